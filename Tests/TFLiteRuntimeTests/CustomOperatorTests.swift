import Foundation
import Testing
import TestSupport
import TFLiteModel
import TFLiteRuntime

/// Custom operators an app registers through `Interpreter.Options.customOperators`.
@Suite struct CustomOperatorTests {
    final class Doubler: CustomOperator {
        func prepare(inputs: [Tensor.Info], customOptions: Data) throws -> [CustomOperatorOutput] {
            [CustomOperatorOutput(type: inputs[0].type, shape: inputs[0].shape)]
        }
        func invoke(inputs: [UnsafeRawBufferPointer], outputs: [UnsafeMutableRawBufferPointer]) throws {
            let x = inputs[0].bindMemory(to: Float.self), y = outputs[0].bindMemory(to: Float.self)
            for i in x.indices { y[i] = 2 * x[i] }
        }
    }

    struct Refusal: Error, CustomStringConvertible { var description: String { "no negative inputs" } }

    final class Picky: CustomOperator {
        func prepare(inputs: [Tensor.Info], customOptions: Data) throws -> [CustomOperatorOutput] {
            [CustomOperatorOutput(type: .float32, shape: inputs[0].shape)]
        }
        func invoke(inputs: [UnsafeRawBufferPointer], outputs: [UnsafeMutableRawBufferPointer]) throws {
            if inputs[0].bindMemory(to: Float.self).contains(where: { $0 < 0 }) { throw Refusal() }
        }
    }

    @Test func aRegisteredOperatorRuns() throws {
        let model = try HostileModels.customOperator("AppDoubler")
        // Without registration the model is refused, naming the operator.
        let plain = try Interpreter(modelData: model)
        #expect(throws: InterpreterError.self) { try plain.allocateTensors() }
        var options = Interpreter.Options()
        options.customOperators.register("AppDoubler") { Doubler() }
        #expect(options.customOperators.names == ["AppDoubler"])
        let interpreter = try Interpreter(modelData: model, options: options)
        try interpreter.allocateTensors()
        try interpreter.copy(withUnsafeBytes(of: Float(21)) { Data($0) }, toInputAt: 0)
        try interpreter.invoke()
        let result = try interpreter.output(at: 0).data.withUnsafeBytes { $0.load(as: Float.self) }
        #expect(result == 42)
    }

    @Test func errorsNameTheOperator() throws {
        var options = Interpreter.Options()
        options.customOperators.register("AppPicky") { Picky() }
        let interpreter = try Interpreter(modelData: try HostileModels.customOperator("AppPicky"), options: options)
        try interpreter.allocateTensors()
        try interpreter.copy(withUnsafeBytes(of: Float(-1)) { Data($0) }, toInputAt: 0)
        let error = #expect(throws: InterpreterError.self) { try interpreter.invoke() }
        let message = "\(error.map { "\($0)" } ?? "")"
        #expect(message.contains("AppPicky") && message.contains("no negative inputs"), "\(message)")
    }
}
