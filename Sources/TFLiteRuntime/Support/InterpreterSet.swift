import Dispatch
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TFLiteModel

/// The interpreters of one ``ModelRunner``, used only on its serial queue: the main one, and
/// for batches an interpreter resized to the batch (when the model has a batch dimension) or a
/// pool of interpreters run in parallel.
final class InterpreterSet {
    /// Runs single predictions, and stages each row of a batch.
    let main: Interpreter
    private var pool: [Interpreter] = []
    private var batch: Interpreter?
    /// The rows the batch interpreter is sized for (0: none).
    private(set) var batchRows = 0
    /// Whether the model runs a batch through its batch dimension (decided at the first batch).
    private(set) var batchable: Bool?

    /// At most this many rows per run through the batch dimension (memory grows with it).
    static let maxBatchRows = 16

    init(main: Interpreter) {
        self.main = main
    }

    func predictions<Input, Output>(
        _ inputs: [Input], model: Model, options: Interpreter.Options, cancellation: Cancellation,
        write: @escaping (Input, Interpreter) throws -> Void, read: @escaping (Input, Interpreter) throws -> Output
    ) throws -> [Output] {
        try cancellation.check()
        guard inputs.count > 1 else {
            return try inputs.map { try single($0, write: write, read: read) }
        }
        if batchable ?? Self.hasBatchDimension(model, main) {
            var results: [Output] = []
            results.reserveCapacity(inputs.count)
            var start = 0
            while start < inputs.count {
                try cancellation.check()
                let rows = inputs[start..<min(start + Self.maxBatchRows, inputs.count)]
                if rows.count == 1 {
                    results.append(try single(rows[rows.startIndex], write: write, read: read))
                } else if let outputs = try batched(rows, model: model, options: options, write: write, read: read) {
                    results += outputs
                } else {
                    break
                }
                start += rows.count
            }
            if start >= inputs.count { return results }
            return try results + pooled(Array(inputs[start...]), model: model, options: options, cancellation: cancellation, write: write, read: read)
        }
        return try pooled(inputs, model: model, options: options, cancellation: cancellation, write: write, read: read)
    }

    private func single<Input, Output>(_ input: Input, write: (Input, Interpreter) throws -> Void,
                                       read: (Input, Interpreter) throws -> Output) throws -> Output {
        try write(input, main)
        try main.invoke()
        return try read(input, main)
    }

    /// Whether every input is declared with a dynamic first dimension of 1 (`shape_signature`
    /// [-1, …], shape [1, …]).
    static func hasBatchDimension(_ model: Model, _ interpreter: Interpreter) -> Bool {
        guard let subgraph = model.subgraphs[safe: interpreter.subgraphIndex], !subgraph.inputs.isEmpty else { return false }
        return subgraph.inputs.allSatisfy { index in
            guard let tensor = subgraph.tensors[safe: Int(index)], let signature = tensor.shapeSignature,
                  signature.count == tensor.shape.count, signature.first == -1, tensor.shape.first == 1 else { return false }
            return true
        }
    }

    /// The rows run as one batch: each row written through the main interpreter and copied into
    /// its row of the batch interpreter's inputs; after the run, each row of the outputs copied
    /// back into the main interpreter's outputs and read there. Nil when the model does not
    /// batch after all (resizing fails, or an output has no batch dimension).
    private func batched<Input, Output>(
        _ rows: ArraySlice<Input>, model: Model, options: Interpreter.Options,
        write: @escaping (Input, Interpreter) throws -> Void, read: @escaping (Input, Interpreter) throws -> Output
    ) throws -> [Output]? {
        guard let batch = prepareBatch(rows: rows.count, model: model, options: options) else {
            batchable = false
            return nil
        }
        batchable = true
        for (row, input) in rows.enumerated() {
            try write(input, main)
            for index in 0..<main.inputTensorCount {
                try main.withInput(at: index) { source in
                    try batch.withInput(at: index) { destination in
                        try Self.copy(source, into: destination, row: row)
                    }
                }
            }
        }
        try batch.invoke()
        var outputs: [Output] = []
        outputs.reserveCapacity(rows.count)
        for (row, input) in rows.enumerated() {
            for index in 0..<main.outputTensorCount {
                let destination = try main.outputTensor(at: index).bytes
                try batch.withOutput(at: index) { source in
                    guard let base = source.baseAddress, destination.count > 0, (row + 1) * destination.count <= source.count else {
                        throw InterpreterError.invalidState("output \(index) has no row \(row) in a batch of \(source.count) bytes")
                    }
                    destination.copyMemory(from: UnsafeRawBufferPointer(start: base + row * destination.count, count: destination.count))
                }
            }
            outputs.append(try read(input, main))
        }
        return outputs
    }

    private static func copy(_ source: UnsafeMutableRawBufferPointer, into destination: UnsafeMutableRawBufferPointer, row: Int) throws {
        guard let base = destination.baseAddress, (row + 1) * source.count <= destination.count else {
            throw InterpreterError.invalidState("no row \(row) of \(source.count) bytes in a batch input of \(destination.count) bytes")
        }
        UnsafeMutableRawBufferPointer(start: base + row * source.count, count: source.count).copyMemory(from: UnsafeRawBufferPointer(source))
    }

    /// The batch interpreter resized to `rows`, when every output then has `rows` rows of the
    /// main interpreter's size and the main interpreter's outputs are activations (writable).
    private func prepareBatch(rows: Int, model: Model, options: Interpreter.Options) -> Interpreter? {
        do {
            let interpreter = try batch ?? Interpreter(model: model, subgraph: main.subgraphIndex, options: options)
            batch = interpreter
            if batchRows != rows {
                batchRows = 0
                for index in 0..<main.inputTensorCount {
                    var shape = try main.inputInfo(at: index).shape
                    shape[0] = rows
                    try interpreter.resizeInput(at: index, to: shape)
                }
                try interpreter.allocateTensors()
                batchRows = rows
            }
            for index in 0..<main.outputTensorCount {
                let one = try main.outputTensor(at: index), many = try interpreter.outputInfo(at: index)
                guard one.storage == .arena, one.shape.first == 1, many.shape.first == rows,
                      Array(one.shape.dropFirst()) == Array(many.shape.dropFirst()), many.byteCount == rows * one.byteCount,
                      one.byteCount > 0 else { return nil }
            }
            return interpreter
        } catch {
            batch = nil
            batchRows = 0
            return nil
        }
    }

    /// The inputs spread over up to one interpreter per processor (the main one first), each
    /// worker taking every k-th input; cancellation is checked before each run.
    private func pooled<Input, Output>(
        _ inputs: [Input], model: Model, options: Interpreter.Options, cancellation: Cancellation,
        write: @escaping (Input, Interpreter) throws -> Void, read: @escaping (Input, Interpreter) throws -> Output
    ) throws -> [Output] {
        let wanted = min(inputs.count, max(1, ProcessInfo.processInfo.activeProcessorCount))
        while pool.count < wanted - 1 {
            guard let interpreter = try? ModelRunner.makeInterpreter(model, options: options) else { break }
            pool.append(interpreter)
        }
        let workers = [main] + pool.prefix(wanted - 1)
        if workers.count == 1 {
            return try inputs.map { input in
                try cancellation.check()
                return try single(input, write: write, read: read)
            }
        }
        let job = PoolJob(workers: workers, inputs: inputs, cancellation: cancellation, write: write, read: read)
        DispatchQueue.concurrentPerform(iterations: workers.count) { worker in
            job.run(worker: worker)
        }
        return try job.results()
    }
}

/// One batch spread over a pool: each worker uses its own interpreter and writes only its own
/// result and error slots (`concurrentPerform` returns when every worker has).
private final class PoolJob<Input, Output>: @unchecked Sendable {
    let workers: [Interpreter]
    let inputs: [Input]
    let cancellation: Cancellation
    let write: (Input, Interpreter) throws -> Void
    let read: (Input, Interpreter) throws -> Output
    /// Allocated once; each slot written by one worker.
    private let outputs: UnsafeMutableBufferPointer<Output?>
    private let errors: UnsafeMutableBufferPointer<(index: Int, error: any Error)?>

    init(workers: [Interpreter], inputs: [Input], cancellation: Cancellation,
         write: @escaping (Input, Interpreter) throws -> Void, read: @escaping (Input, Interpreter) throws -> Output) {
        self.workers = workers
        self.inputs = inputs
        self.cancellation = cancellation
        self.write = write
        self.read = read
        outputs = .allocate(capacity: inputs.count)
        outputs.initialize(repeating: nil)
        errors = .allocate(capacity: workers.count)
        errors.initialize(repeating: nil)
    }

    deinit {
        _ = outputs.deinitialize()
        outputs.deallocate()
        _ = errors.deinitialize()
        errors.deallocate()
    }

    /// Runs every `workers.count`-th input from `worker`, stopping at the first error or
    /// cancellation.
    func run(worker: Int) {
        let interpreter = workers[worker]
        for index in stride(from: worker, to: inputs.count, by: workers.count) {
            do {
                try cancellation.check()
                try write(inputs[index], interpreter)
                try interpreter.invoke()
                let output = try read(inputs[index], interpreter)
                outputs[index] = output
            } catch {
                errors[worker] = (index, error)
                return
            }
        }
    }

    /// The outputs in order, or the error of the first failing input (as a sequential run would
    /// report it).
    func results() throws -> [Output] {
        if let first = errors.compactMap({ $0 }).min(by: { $0.index < $1.index }) {
            throw first.error
        }
        return outputs.compactMap { $0 }
    }
}
