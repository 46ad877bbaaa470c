import Foundation
import TFLiteModel
import TFLiteRuntime

/// The interpreter `run` and `bench` drive: the model's main subgraph or one signature, its
/// inputs and outputs in the order the command line uses, and how inputs are named there.
struct RunTarget {
    let interpreter: Interpreter
    /// Interpreter input positions, in command-line order.
    let inputPositions: [Int]
    /// Interpreter output positions, in command-line order.
    let outputPositions: [Int]
    /// The signature's input names (empty without a signature).
    let signatureNames: [String]
    private let model: ModelOptions

    init(_ loaded: Model, model: ModelOptions, signature: String?, options: Interpreter.Options) throws {
        self.model = model
        do throws(InterpreterError) {
            if let signature {
                let runner = try Interpreter.signatureRunner(model: loaded, key: signature, options: options)
                interpreter = runner.interpreter
                inputPositions = try runner.inputNames.map { name throws(InterpreterError) in try runner.inputIndex(name) }
                outputPositions = try runner.outputNames.map { name throws(InterpreterError) in try runner.outputIndex(name) }
                signatureNames = runner.inputNames
            } else {
                interpreter = try Interpreter(model: loaded, options: options)
                inputPositions = Array(0..<interpreter.inputTensorCount)
                outputPositions = Array(0..<interpreter.outputTensorCount)
                signatureNames = []
            }
        } catch {
            throw model.failure(error)
        }
    }

    /// Plans the interpreter's memory and prepares every operator for the model's input shapes.
    func allocate() throws {
        do throws(InterpreterError) { try interpreter.allocateTensors() } catch { throw model.failure(error) }
    }

    /// How messages name input `slot`: the signature's name, else its position and tensor name.
    func displayName(_ slot: Int) -> String {
        if signatureNames.indices.contains(slot) { return "\"\(DisplayText.quoted(signatureNames[slot]))\"" }
        let name = (try? interpreter.inputTensor(at: inputPositions[slot]).name) ?? ""
        return "\(slot) (\"\(DisplayText.quoted(name))\")"
    }

    /// The slot of the input a flag names: a signature input name, a tensor name or a position.
    func slot(named name: String, flag: String) throws -> Int {
        if let slot = signatureNames.firstIndex(of: name) { return slot }
        if let slot = inputPositions.indices.first(where: { (try? interpreter.inputTensor(at: inputPositions[$0]).name) == name }) {
            return slot
        }
        if let slot = Int(name), inputPositions.indices.contains(slot) { return slot }
        let known = inputPositions.indices.map { slot in
            signatureNames.indices.contains(slot) ? signatureNames[slot] : ((try? interpreter.inputTensor(at: inputPositions[slot]).name) ?? "\(slot)")
        }
        throw ToolFailure("\(model.model): \(flag) names input \"\(DisplayText.quoted(name))\", which the model does not have (inputs: \(known.map { "\"\(DisplayText.quoted($0))\"" }.joined(separator: ", ")))")
    }

    /// Reads the `.npy` files (each within `limit`, before any tensor memory is taken), allocates
    /// unless `allocated`, applies `--input-shape` (only dimensions the model marks dynamic may
    /// change), fits each file (resizing dynamic dimensions to the file's), then copies the files
    /// in. Without files, `generate` makes each input's values (`bench`); without it, a file is
    /// required for every input (`run`).
    func feed(_ inputs: InputOptions, limit: Int, allocated: Bool = false,
              generate: ((Int, RuntimeTensor) throws -> Data)? = nil) throws {
        guard (inputs.files.isEmpty && generate != nil) || inputs.files.count == inputPositions.count else {
            let count = inputPositions.count
            throw ToolFailure("\(model.model): the model takes \(count) input\(count == 1 ? "" : "s"), got \(inputs.files.count) --input file\(inputs.files.count == 1 ? "" : "s")")
        }
        let arrays = try inputs.files.map { path in try InputLoader.read(path, limit: limit) }
        if !allocated { try allocate() }
        var resized = false
        for shape in inputs.shapes {
            let slot = try slot(named: shape.assignment.name, flag: "--input-shape")
            do {
                try interpreter.resizeInput(at: inputPositions[slot], to: shape.assignment.value)
            } catch {
                throw ToolFailure("\(model.model): --input-shape: \(error)")
            }
            resized = true
        }
        do {
            if resized { try interpreter.allocateTensors() }
            resized = false
            for (slot, array) in arrays.enumerated() {
                let info = try interpreter.inputTensor(at: inputPositions[slot])
                resized = try InputLoader.fit(array, path: inputs.files[slot], to: info, name: displayName(slot)) { shape throws(InterpreterError) in
                    try interpreter.resizeInput(at: inputPositions[slot], to: shape)
                } || resized
            }
            if resized { try interpreter.allocateTensors() }
            for (slot, position) in inputPositions.enumerated() {
                if arrays.indices.contains(slot) {
                    try interpreter.copy(arrays[slot].data, toInputAt: position)
                } else if let generate {
                    try interpreter.copy(generate(slot, try interpreter.inputTensor(at: position)), toInputAt: position)
                }
            }
        } catch let error as InterpreterError {
            throw model.failure(error)
        }
    }
}
