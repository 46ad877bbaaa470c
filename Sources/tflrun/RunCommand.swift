import ArgumentParser
import Foundation
import TFLiteModel
import TFLiteRuntime

/// `tflrun run`: runs a model on `.npy` inputs and writes `.npy` outputs.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a model on .npy inputs and write output_0.npy, output_1.npy, … to a directory.",
        discussion: "Inputs are given in the model's input order (or the signature's with --signature); outputs are written in the same kind of order."
    )

    @OptionGroup var model: ModelOptions

    @OptionGroup var inputs: InputOptions

    @Option(name: .customLong("output-dir"),
            help: "The directory to write output_N.npy files to (created if missing; each file is written to a temporary file beside it and renamed over it, so a link there is replaced, never written through).")
    var outputDirectory: String

    @OptionGroup var limits: InterpreterLimits

    func validate() throws {
        guard inputs.ranges.isEmpty else { throw ValidationError("--input-range is for bench; run takes its inputs from --input files") }
    }

    func run() throws {
        let loaded = try model.load()
        let options = limits.options
        let target = try RunTarget(loaded, model: model, signature: inputs.signature, options: options)
        try target.feed(inputs, limit: options.memoryLimit)
        do throws(InterpreterError) { try target.interpreter.invoke() } catch { throw model.failure(error) }
        try OutputWriter.prepareDirectory(outputDirectory)
        for (slot, position) in target.outputPositions.enumerated() {
            let tensor: TFLiteRuntime.Tensor
            do throws(InterpreterError) { tensor = try target.interpreter.output(at: position) } catch { throw model.failure(error) }
            let array = NumPyArray(type: tensor.type, shape: tensor.shape, data: tensor.data)
            try OutputWriter.write(array, to: (outputDirectory as NSString).appendingPathComponent("output_\(slot).npy"))
        }
    }
}

extension Array {
    subscript(safeIndex index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
