import Foundation
@_spi(GeneratedCode) @testable import TFLiteRuntime

extension Interpreter {
    /// The first output of `model` run once on `inputs` (raw bytes, in input order) with
    /// `threads` threads, as `T` values.
    static func firstOutput<T>(of model: Data, inputs: [Data], threads: Int, as _: T.Type) throws -> [T] {
        let interpreter = try Interpreter(modelData: model, options: Interpreter.Options(threadCount: threads))
        try interpreter.allocateTensors()
        for (index, input) in inputs.enumerated() { _ = try interpreter.copy(input, toInputAt: index) }
        try interpreter.invoke()
        return try interpreter.withOutput(at: 0) { Array($0.bindMemory(to: T.self)) }
    }
}
