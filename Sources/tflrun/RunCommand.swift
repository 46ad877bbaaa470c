import ArgumentParser
import Foundation
import TFLiteModel
@_spi(GeneratedCode) import TFLiteRuntime

/// `tflrun run`: runs a model on `.npy` inputs and writes `.npy` outputs.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a model on .npy inputs and write output_0.npy, output_1.npy, … to a directory.",
        discussion: "Inputs are given in the model's input order (or the signature's with --signature); outputs are written in the same kind of order."
    )

    @OptionGroup var model: ModelOptions

    @Option(name: .customLong("input"), help: "An input .npy file (repeat, in input order).")
    var inputs: [String] = []

    @Option(name: .customLong("output-dir"),
            help: "The directory to write output_N.npy files to (created if missing; each file is written to a temporary file beside it and renamed over it, so a link there is replaced, never written through).")
    var outputDirectory: String

    @Option(help: "Run this signature (inputs and outputs in the signature's order).")
    var signature: String?

    @OptionGroup var limits: InterpreterLimits

    func run() throws {
        let loaded = try model.load()
        let options = limits.options
        let interpreter: Interpreter
        let inputPositions: [Int]
        let outputPositions: [Int]
        var names: [String] = []
        do {
            if let signature {
                let runner = try Interpreter.signatureRunner(model: loaded, key: signature, options: options)
                interpreter = runner.interpreter
                inputPositions = try runner.inputNames.map { name throws(InterpreterError) in try runner.inputIndex(name) }
                outputPositions = try runner.outputNames.map { name throws(InterpreterError) in try runner.outputIndex(name) }
                names = runner.inputNames
            } else {
                interpreter = try Interpreter(model: loaded, options: options)
                inputPositions = Array(0..<interpreter.inputTensorCount)
                outputPositions = Array(0..<interpreter.outputTensorCount)
            }
        } catch {
            throw model.failure(error)
        }
        guard inputs.count == inputPositions.count else {
            throw ToolFailure("\(model.model): the model takes \(inputPositions.count) input\(inputPositions.count == 1 ? "" : "s"), got \(inputs.count) --input file\(inputs.count == 1 ? "" : "s")")
        }
        let arrays = try inputs.map { path in try InputLoader.read(path, limit: options.memoryLimit) }
        let subgraph = loaded.subgraphs[interpreter.subgraphIndex]
        do {
            try interpreter.allocateTensors()
            var resized = false
            for (slot, position) in inputPositions.enumerated() {
                let info = try interpreter.inputTensor(at: position)
                let tensorIndex = Int(subgraph.inputs[position])
                let name = names.indices.contains(slot) ? names[slot] : "\(position) (\(info.name))"
                resized = try InputLoader.fit(arrays[slot], path: inputs[slot], to: info,
                                              signature: subgraph.tensors[safeIndex: tensorIndex]?.shapeSignature,
                                              name: name) { shape in try interpreter.resizeInput(at: position, to: shape) } || resized
            }
            if resized { try interpreter.allocateTensors() }
            for (slot, position) in inputPositions.enumerated() {
                try interpreter.copy(arrays[slot].data, toInputAt: position)
            }
            try interpreter.invoke()
        } catch let error as InterpreterError {
            throw model.failure(error)
        }
        try OutputWriter.prepareDirectory(outputDirectory)
        for (slot, position) in outputPositions.enumerated() {
            let tensor: TFLiteRuntime.Tensor
            do throws(InterpreterError) { tensor = try interpreter.output(at: position) } catch { throw model.failure(error) }
            let array = NumPyArray(type: tensor.type, shape: tensor.shape, data: tensor.data)
            try OutputWriter.write(array, to: (outputDirectory as NSString).appendingPathComponent("output_\(slot).npy"))
        }
    }
}

extension Array {
    subscript(safeIndex index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
