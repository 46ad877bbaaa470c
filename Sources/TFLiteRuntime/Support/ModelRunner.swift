import Foundation
import TFLiteModel

/// The shared core of generated model wrappers: one loaded model, its associated files and an
/// interpreter used under a lock, so a wrapper can be `Sendable` and called from any task.
@_spi(GeneratedCode) public final class ModelRunner: @unchecked Sendable {
    /// The loaded model.
    @_spi(GeneratedCode) public let model: Model
    /// The associated files packed with the model (labels, vocabularies, calibration).
    @_spi(GeneratedCode) public let files: AssociatedFileReader
    private let interpreter: Interpreter
    private let lock = NSLock()

    /// Loads the model at `url` and allocates its tensors.
    @_spi(GeneratedCode) public init(contentsOf url: URL, options: Interpreter.Options = Interpreter.Options()) throws(ModelWrapperError) {
        let model: Model
        do { model = try Model(contentsOf: url.path) } catch { throw .cannotLoadModel(error.description) }
        self.model = model
        self.files = try AssociatedFileReader(storage: model.storage)
        do {
            interpreter = try Interpreter(model: model, options: options)
            try interpreter.allocateTensors()
        } catch {
            throw .interpreter(error)
        }
    }

    /// Loads the model bundled as resource `name`.tflite in `bundle`.
    @_spi(GeneratedCode) public convenience init(resource name: String, in bundle: Bundle, options: Interpreter.Options = Interpreter.Options()) throws(ModelWrapperError) {
        guard let url = bundle.url(forResource: name, withExtension: "tflite") else {
            throw .cannotLoadModel("no resource \(name).tflite in \(bundle.bundlePath)")
        }
        try self.init(contentsOf: url, options: options)
    }

    /// Runs `body` with exclusive use of the interpreter.
    @_spi(GeneratedCode) public func run<R>(_ body: (Interpreter) throws -> R) throws -> R {
        lock.lock()
        defer { lock.unlock() }
        do {
            return try body(interpreter)
        } catch let error as InterpreterError {
            throw ModelWrapperError.interpreter(error)
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
