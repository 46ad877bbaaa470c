import Foundation
import Testing
import TestSupport
@_spi(GeneratedCode) @testable import TFLiteRuntime

/// The interpreter's API contract: misuse is a thrown, readable error (never a crash), an
/// operator outside the implemented set fails at `allocateTensors()` naming itself, and the
/// signature runner addresses tensors by name.
@Suite struct InterpreterTests {
    static let addModel = Fixtures.url("conformance/add_same_float32/model.tflite").path
    static let interpreterFixtures = Fixtures.url("interpreter")

    @Test func invokeBeforeAllocateThrows() throws {
        let interpreter = try Interpreter(modelPath: Self.addModel)
        #expect(throws: InterpreterError.self) { try interpreter.invoke() }
        do {
            try interpreter.invoke()
        } catch {
            #expect("\(error)".contains("allocateTensors()"))
        }
        #expect(throws: InterpreterError.self) { try interpreter.copy(Data(count: 96), toInputAt: 0) }
    }

    @Test func resizeRequiresAllocateAgain() throws {
        let interpreter = try Interpreter(modelPath: Self.addModel)
        try interpreter.allocateTensors()
        try interpreter.invoke()
        let shape = try interpreter.inputInfo(at: 0).shape
        try interpreter.resizeInput(at: 0, to: shape)
        #expect(throws: InterpreterError.self) { try interpreter.invoke() }
        try interpreter.allocateTensors()
        try interpreter.invoke()
    }

    @Test func strictResizeChangesOnlyDynamicDimensions() throws {
        // x: shape [1, 4, 6], shape signature [-1, 4, 6].
        let path = Fixtures.url("conformance/reshape_dynamic_batch_shape_float32/model.tflite").path
        let interpreter = try Interpreter(modelPath: path)
        try interpreter.resizeInput(at: 0, to: [5, 4, 6])
        try interpreter.allocateTensors()
        #expect(try interpreter.input(at: 0).shape == [5, 4, 6])
        let error = #expect(throws: InterpreterError.self) { try interpreter.resizeInput(at: 0, to: [5, 4, 7]) }
        #expect("\(error.map { "\($0)" } ?? "")".contains("dimension 2 is fixed at 6, not 7"))
        // The add model has no shape signature: its declared shape is fixed unless not strict.
        let add = try Interpreter(modelPath: Self.addModel)
        let shape = try add.inputInfo(at: 0).shape
        let bigger = [shape[0] + 1] + shape.dropFirst()
        #expect(throws: InterpreterError.self) { try add.resizeInput(at: 0, to: bigger) }
        try add.resizeInput(at: 0, to: bigger, strict: false)
    }

    @Test func wrongInputSizeThrows() throws {
        let interpreter = try Interpreter(modelPath: Self.addModel)
        try interpreter.allocateTensors()
        let info = try interpreter.inputInfo(at: 0)
        do {
            try interpreter.copy(Data(count: info.byteCount + 4), toInputAt: 0)
            Issue.record("a wrong-sized input was accepted")
        } catch {
            let message = "\(error)"
            #expect(message.contains("takes \(info.byteCount) bytes"))
            #expect(message.contains("got \(info.byteCount + 4)"))
        }
    }

    @Test func badIndicesThrow() throws {
        let interpreter = try Interpreter(modelPath: Self.addModel)
        try interpreter.allocateTensors()
        for index in [-1, interpreter.inputTensorCount, 1000] {
            #expect(throws: InterpreterError.self) { _ = try interpreter.input(at: index) }
            #expect(throws: InterpreterError.self) { try interpreter.copy(Data(), toInputAt: index) }
            #expect(throws: InterpreterError.self) { try interpreter.resizeInput(at: index, to: [1]) }
        }
        for index in [-1, interpreter.outputTensorCount] {
            #expect(throws: InterpreterError.self) { _ = try interpreter.output(at: index) }
        }
        #expect(throws: InterpreterError.self) { try interpreter.resizeInput(at: 0, to: [-2, 3]) }
        #expect(throws: InterpreterError.self) { _ = try Interpreter(model: interpreter.model, subgraph: 5) }
    }

    static func allocationError(_ interpreter: Interpreter) -> InterpreterError? {
        do {
            try interpreter.allocateTensors()
            return nil
        } catch {
            return error
        }
    }

    @Test func unsupportedOperatorFailsAtAllocateNamingIt() throws {
        let path = Self.interpreterFixtures.appending(path: "unsupported_custom.tflite").path
        let interpreter = try Interpreter(modelPath: path)
        let index = try #require(interpreter.operatorNames.firstIndex(of: "Erfinv"))
        let error = try #require(Self.allocationError(interpreter), "Erfinv was accepted")
        #expect(error == .unsupportedOperator(name: "Erfinv", index: index, reason: "no kernel for this operator"))
        #expect("\(error)".contains("operator \(index) (Erfinv)"))
        #expect(throws: InterpreterError.self) { try interpreter.invoke() }
    }

    @Test func profiledInvokeMatchesInvoke() throws {
        let directory = Fixtures.url("conformance/add_bcast4d_int8")
        let interpreter = try Interpreter(modelPath: directory.appending(path: "model.tflite").path)
        try interpreter.allocateTensors()
        for index in 0..<interpreter.inputTensorCount {
            try interpreter.copy(NumPyArray(contentsOf: directory.appending(path: "input_\(index).npy").path).data, toInputAt: index)
        }
        let profiler = OperatorProfiler()
        try interpreter.invoke(profiler: profiler)
        try interpreter.invoke(profiler: profiler)
        let expected = try NumPyArray(contentsOf: directory.appending(path: "output_0.npy").path)
        #expect(try interpreter.output(at: 0).data == expected.data)
        #expect(profiler.byOperator.map(\.name) == ["ADD"])
        #expect(profiler.byOperator.first?.count == 2)
    }

    @Test func signatureRunnerByName() throws {
        let model = try Interpreter(modelPath: Self.interpreterFixtures.appending(path: "two_signatures.tflite").path).model
        let any = try Interpreter(model: model)
        #expect(Set(any.signatureKeys) == ["add", "mul"])
        let runner = try Interpreter.signatureRunner(model: model, key: "add")
        #expect(runner.inputNames.sorted() == ["x", "y"])
        #expect(runner.outputNames == ["out"])
        try runner.allocateTensors()
        let x = try NumPyArray(contentsOf: Self.interpreterFixtures.appending(path: "add_x.npy").path)
        let y = try NumPyArray(contentsOf: Self.interpreterFixtures.appending(path: "add_y.npy").path)
        try runner.copy(x.data, toInputNamed: "x")
        try runner.copy(y.data, toInputNamed: "y")
        try runner.invoke()
        let expected = try NumPyArray(contentsOf: Self.interpreterFixtures.appending(path: "add_out.npy").path)
        #expect(try runner.output(named: "out").data == expected.data)
        #expect(throws: InterpreterError.self) { try runner.copy(x.data, toInputNamed: "z") }
        #expect(throws: InterpreterError.self) { _ = try runner.output(named: "x") }
        #expect(throws: InterpreterError.self) { _ = try Interpreter.signatureRunner(model: model, key: "nope") }
    }
}
