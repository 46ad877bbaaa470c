import Dispatch
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Synchronization
import TFLiteModel

/// The shared core of generated model wrappers: one loaded model, its associated files and the
/// interpreters that run it, so a wrapper can be `Sendable` and called from any task.
///
/// The interpreters are owned by one serial dispatch queue (not Swift's cooperative pool): a
/// synchronous call waits for its turn on the calling thread, an asynchronous one suspends (no
/// thread is blocked while it waits), runs at its task's priority, and is dropped with a
/// `CancellationError` when its task is cancelled before its turn. Batches check cancellation
/// between runs.
@_spi(GeneratedCode) public final class ModelRunner: @unchecked Sendable {
    /// The loaded model.
    @_spi(GeneratedCode) public let model: Model
    /// The associated files packed with the model (labels, vocabularies, calibration).
    @_spi(GeneratedCode) public let files: AssociatedFileReader
    private let options: Interpreter.Options
    private let queue = DispatchQueue(label: "TFLiteRuntime.ModelRunner")
    /// Touched only on `queue`.
    let interpreters: InterpreterSet

    /// Loads the model at `url` and allocates its tensors.
    @_spi(GeneratedCode) public init(contentsOf url: URL, options: Interpreter.Options = Interpreter.Options()) throws(ModelWrapperError) {
        let model: Model
        do { model = try Model(contentsOf: url.path) } catch { throw .cannotLoadModel(error.description) }
        self.model = model
        self.options = options
        self.files = try AssociatedFileReader(storage: model.storage)
        do {
            interpreters = InterpreterSet(main: try Self.makeInterpreter(model, options: options))
        } catch {
            throw .interpreter(error)
        }
    }

    /// Loads the model bundled as resource `name`.tflite, found by the generated code at `url`
    /// (nil when the bundle at `bundlePath` has no such resource). The generated code looks the
    /// resource up, so the runtime needs only FoundationEssentials, which has no `Bundle`.
    @_spi(GeneratedCode) public convenience init(resource name: String, at url: URL?, bundlePath: String,
                                                 options: Interpreter.Options = Interpreter.Options()) throws(ModelWrapperError) {
        guard let url else {
            throw .cannotLoadModel("no resource \(name).tflite in \(bundlePath)")
        }
        try self.init(contentsOf: url, options: options)
    }

    static func makeInterpreter(_ model: Model, options: Interpreter.Options) throws(InterpreterError) -> Interpreter {
        let interpreter = try Interpreter(model: model, options: options)
        try interpreter.allocateTensors()
        return interpreter
    }

    /// Runs `load` (reading and preparing a model: file I/O and CPU work) on a dispatch queue at
    /// the task's priority, so it blocks no thread of Swift's cooperative pool; a cancelled task
    /// gets `CancellationError` without loading.
    @_spi(GeneratedCode) public static func load<R: Sendable>(_ load: @escaping @Sendable () throws -> R) async throws -> R {
        try Task.checkCancellation()
        let queue = DispatchQueue.global(qos: Self.qos(Task.currentPriority).qosClass)
        return try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try load() }) }
        }
    }

    /// Runs `body` with exclusive use of the interpreter, waiting for other calls on the
    /// calling thread.
    @_spi(GeneratedCode) public func run<R>(_ body: (Interpreter) throws -> R) throws -> R {
        try queue.sync {
            do {
                return try body(interpreters.main)
            } catch let error as InterpreterError {
                throw ModelWrapperError.interpreter(error)
            }
        }
    }

    /// One prediction: `write` the input into the interpreter, invoke it, `read` the output;
    /// waits for other calls on the calling thread.
    @_spi(GeneratedCode) public func prediction<Input, Output>(
        _ input: Input, write: (Input, Interpreter) throws -> Void, read: (Input, Interpreter) throws -> Output
    ) throws -> Output {
        try queue.sync {
            try Self.mapErrors { try Self.predict(input, on: interpreters.main, write: write, read: read) }
        }
    }

    /// One prediction off the cooperative pool, at the task's priority; `CancellationError` when
    /// the task is cancelled before it runs.
    @_spi(GeneratedCode) public func prediction<Input: Sendable, Output: Sendable>(
        _ input: Input,
        write: @escaping @Sendable (Input, Interpreter) throws -> Void,
        read: @escaping @Sendable (Input, Interpreter) throws -> Output
    ) async throws -> Output {
        try await submit { cancellation in
            try cancellation.check()
            return try Self.predict(input, on: self.interpreters.main, write: write, read: read)
        }
    }

    /// Predictions for `inputs`, in order: one run through the model's batch dimension when every
    /// input and output has one (`shape_signature` −1 first, outputs of `n` rows), else spread
    /// over a pool of interpreters, one per processor. Each output is the one a single
    /// prediction gives. Waits for other calls on the calling thread.
    @_spi(GeneratedCode) public func predictions<Input, Output>(
        _ inputs: [Input], write: @escaping (Input, Interpreter) throws -> Void, read: @escaping (Input, Interpreter) throws -> Output
    ) throws -> [Output] {
        try queue.sync {
            try Self.mapErrors {
                try interpreters.predictions(inputs, model: model, options: options, cancellation: Cancellation(), write: write, read: read)
            }
        }
    }

    /// The predictions for `inputs` off the cooperative pool, at the task's priority;
    /// cancellation is checked before the first run and between runs (`CancellationError`).
    @_spi(GeneratedCode) public func predictions<Input: Sendable, Output: Sendable>(
        _ inputs: [Input],
        write: @escaping @Sendable (Input, Interpreter) throws -> Void,
        read: @escaping @Sendable (Input, Interpreter) throws -> Output
    ) async throws -> [Output] {
        try await submit { cancellation in
            try self.interpreters.predictions(inputs, model: self.model, options: self.options, cancellation: cancellation,
                                              write: write, read: read)
        }
    }

    /// Queues `job` on the interpreters' queue without blocking the caller's thread.
    private func submit<R: Sendable>(_ job: @escaping @Sendable (Cancellation) throws -> R) async throws -> R {
        try Task.checkCancellation()
        let cancellation = Cancellation()
        let qos = Self.qos(Task.currentPriority)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<R, any Error>) in
                queue.async(qos: qos) {
                    continuation.resume(with: Result { try Self.mapErrors { try job(cancellation) } })
                }
            }
        } onCancel: {
            cancellation.cancel()
        }
    }

    private static func predict<Input, Output>(
        _ input: Input, on interpreter: Interpreter,
        write: (Input, Interpreter) throws -> Void, read: (Input, Interpreter) throws -> Output
    ) throws -> Output {
        try write(input, interpreter)
        try interpreter.invoke()
        return try read(input, interpreter)
    }

    private static func mapErrors<R>(_ body: () throws -> R) throws -> R {
        do {
            return try body()
        } catch let error as InterpreterError {
            throw ModelWrapperError.interpreter(error)
        }
    }

    /// The dispatch quality of service of a task priority.
    static func qos(_ priority: TaskPriority) -> DispatchQoS {
        switch priority {
        case let p where p >= .high: .userInitiated
        case let p where p >= .medium: .default
        case let p where p >= .low: .utility
        default: .background
        }
    }

    /// The labels in packed file `name`, checked to number `count` (the size of the labelled axis).
    @_spi(GeneratedCode) public func labels(in name: String, count: Int?) throws(ModelWrapperError) -> [String] {
        let labels = try files.labels(in: name)
        if let count, labels.count != count {
            throw .invalidPackedFile(name: name, reason: "\(labels.count) labels for an axis of \(count) entries")
        }
        return labels
    }
}

/// A job's cancellation flag, set by the task's cancellation handler and read on the
/// interpreters' queue.
final class Cancellation: Sendable {
    private let cancelled = Mutex(false)

    func cancel() {
        cancelled.withLock { $0 = true }
    }

    var isCancelled: Bool {
        cancelled.withLock { $0 }
    }

    /// Throws `CancellationError` once cancelled.
    func check() throws {
        if isCancelled { throw CancellationError() }
    }
}
