import Foundation
import Testing
@testable import TFLiteRuntime

/// The common operators' refusals on inputs the conformance suite cannot show (LiteRT fails on
/// them too): bad values at invoke fail with a runtime error naming the operator, values that
/// would size an output at invoke are refused at allocate, hostile sizes hit the limits.
@Suite struct CommonOperatorFailureTests {
    /// A model of one operator `code` (schema name, `deprecated` its old code or 127) over
    /// `tensors` (JSON objects), with model inputs `inputs` and outputs `outputs`; `buffers` are
    /// extra JSON buffer objects after the empty buffer 0.
    static func model(_ code: String, deprecated: Int, tensors: [String], inputs: [Int], outputs: [Int],
                      operatorInputs: [Int], buffers: [String] = [], options: String = "") throws -> Data {
        try HostileModels.compile("""
        { "version": 3, "operator_codes": [{ "deprecated_builtin_code": \(deprecated), "builtin_code": "\(code)" }],
          "buffers": [{}\(buffers.map { ", " + $0 }.joined())], "subgraphs": [{ "inputs": \(inputs), "outputs": \(outputs),
            "tensors": [\(tensors.joined(separator: ", "))],
            "operators": [{ "opcode_index": 0, "inputs": \(operatorInputs), "outputs": \(outputs)\(options) }] }] }
        """)
    }

    static func int32Bytes(_ values: [Int32]) -> Data {
        var data = Data()
        for value in values { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
        return data
    }

    /// Runs a two-input int32 [3] binary operator on `a` and `b` and returns the invoke error.
    static func binaryFailure(_ code: String, deprecated: Int, _ a: [Int32], _ b: [Int32]) throws -> InterpreterError? {
        let tensor = "{ \"shape\": [3], \"type\": \"INT32\", \"buffer\": 0 }"
        let data = try model(code, deprecated: deprecated, tensors: [tensor, tensor, tensor], inputs: [0, 1], outputs: [2], operatorInputs: [0, 1])
        let interpreter = try Interpreter(modelData: data)
        try interpreter.allocateTensors()
        _ = try interpreter.copy(int32Bytes(a), toInputAt: 0)
        _ = try interpreter.copy(int32Bytes(b), toInputAt: 1)
        do {
            try interpreter.invoke()
            return nil
        } catch {
            return error
        }
    }

    @Test func integerFloorDivisionAndModuloByZeroFail() throws {
        for (code, deprecated) in [("FLOOR_DIV", 90), ("FLOOR_MOD", 95)] {
            let error = try Self.binaryFailure(code, deprecated: deprecated, [7, -7, 1], [2, 0, 3])
            guard case .runtime(let name, _, let reason)? = error else {
                Issue.record("\(code): expected a runtime error, got \(String(describing: error))")
                continue
            }
            #expect(name == code && reason.contains("division by zero"))
            #expect(try Self.binaryFailure(code, deprecated: deprecated, [7, -7, Int32.min], [2, 3, -1]) == nil)
        }
    }

    @Test func integerPowerRefusesNegativeExponents() throws {
        let error = try Self.binaryFailure("POW", deprecated: 78, [2, 3, 4], [1, -1, 2])
        guard case .runtime("POW", _, let reason)? = error else {
            Issue.record("expected a runtime error, got \(String(describing: error))")
            return
        }
        #expect(reason.contains("negative"))
        #expect(FloorAndPowerKernel.integerPower(3, 5) == 243 && FloorAndPowerKernel.integerPower(-2, 31) == Int32.min)
    }

    /// SCATTER_ND with indices from the model input: a slice outside the output fails the invoke.
    @Test func scatterOutsideTheOutputFails() throws {
        let data = try Self.model("SCATTER_ND", deprecated: 122, tensors: [
            "{ \"shape\": [2, 1], \"type\": \"INT32\", \"buffer\": 0 }",
            "{ \"shape\": [2, 3], \"type\": \"INT32\", \"buffer\": 0 }",
            "{ \"shape\": [2], \"type\": \"INT32\", \"buffer\": 1 }",
            "{ \"shape\": [4, 3], \"type\": \"INT32\", \"buffer\": 0 }",
        ], inputs: [0, 1], outputs: [3], operatorInputs: [0, 1, 2],
            buffers: ["{ \"data\": [4, 0, 0, 0, 3, 0, 0, 0] }"])
        let interpreter = try Interpreter(modelData: data)
        try interpreter.allocateTensors()
        _ = try interpreter.copy(Self.int32Bytes([1, 3]), toInputAt: 0)
        _ = try interpreter.copy(Self.int32Bytes([1, 2, 3, 4, 5, 6]), toInputAt: 1)
        try interpreter.invoke()
        #expect(try interpreter.output(at: 0).data == Self.int32Bytes([0, 0, 0, 1, 2, 3, 0, 0, 0, 4, 5, 6]))
        _ = try interpreter.copy(Self.int32Bytes([1, 4]), toInputAt: 0)
        #expect(throws: InterpreterError.self) { try interpreter.invoke() }
        _ = try interpreter.copy(Self.int32Bytes([-1, 0]), toInputAt: 0)
        #expect(throws: InterpreterError.self) { try interpreter.invoke() }
    }

    /// RANGE whose limit is a model input: its length is unknown at allocate, so it is
    /// prepared at invoke, and the output has the shape the run gives it; a hostile limit stops
    /// at the memory or work limit with an error naming RANGE, before anything is allocated.
    @Test func rangeOverAnInputIsSizedAtInvoke() throws {
        let scalar = "{ \"shape\": [], \"type\": \"INT32\", \"buffer\": 1 }"
        let data = try Self.model("RANGE", deprecated: 96, tensors: [
            scalar, "{ \"shape\": [], \"type\": \"INT32\", \"buffer\": 0 }", scalar,
            "{ \"shape\": [1], \"type\": \"INT32\", \"buffer\": 0 }",
        ], inputs: [1], outputs: [3], operatorInputs: [0, 1, 2], buffers: ["{ \"data\": [1, 0, 0, 0] }"])
        let interpreter = try Interpreter(modelData: data, options: Interpreter.Options(memoryLimit: 1 << 24))
        try interpreter.allocateTensors()
        #expect(try interpreter.outputInfo(at: 0).shape == [1], "the declared shape before invoke")
        for limit: Int32 in [5, 1, 9] {
            _ = try interpreter.copy(Self.int32Bytes([limit]), toInputAt: 0)
            try interpreter.invoke()
            let output = try interpreter.output(at: 0)
            #expect(output.shape == [Int(limit) - 1])
            #expect(output.data == Self.int32Bytes(Array(1..<limit)))
        }
        _ = try interpreter.copy(Self.int32Bytes([Int32.max]), toInputAt: 0)
        let memory = #expect(throws: InterpreterError.self) { try interpreter.invoke() }
        guard case .runtime("RANGE", _, let reason)? = memory else {
            Issue.record("expected the memory limit naming RANGE, got \(String(describing: memory))")
            return
        }
        #expect(reason.contains("memory limit"), "\(reason)")
        // The interpreter stays usable after the refusal.
        _ = try interpreter.copy(Self.int32Bytes([3]), toInputAt: 0)
        try interpreter.invoke()
        #expect(try interpreter.output(at: 0).data == Self.int32Bytes([1, 2]))

        let bounded = try Interpreter(modelData: data, options: Interpreter.Options(workLimit: 10_000))
        try bounded.allocateTensors()
        _ = try bounded.copy(Self.int32Bytes([100_000]), toInputAt: 0)
        let work = #expect(throws: InterpreterError.self) { try bounded.invoke() }
        guard case .workLimitExceeded("RANGE", _, _, 10_000)? = work else {
            Issue.record("expected the work limit naming RANGE, got \(String(describing: work))")
            return
        }
    }

    /// ONE_HOT with a huge constant depth stops at the memory limit before building anything.
    @Test func oneHotWithAHugeDepthHitsTheMemoryLimit() throws {
        let data = try Self.model("ONE_HOT", deprecated: 85, tensors: [
            "{ \"shape\": [4], \"type\": \"INT32\", \"buffer\": 0 }",
            "{ \"shape\": [], \"type\": \"INT32\", \"buffer\": 1 }",
            "{ \"shape\": [], \"type\": \"FLOAT32\", \"buffer\": 2 }",
            "{ \"shape\": [], \"type\": \"FLOAT32\", \"buffer\": 3 }",
            "{ \"shape\": [4, 1], \"type\": \"FLOAT32\", \"buffer\": 0 }",
        ], inputs: [0], outputs: [4], operatorInputs: [0, 1, 2, 3],
            buffers: ["{ \"data\": [255, 255, 255, 127] }", "{ \"data\": [0, 0, 128, 63] }", "{ \"data\": [0, 0, 0, 0] }"])
        let interpreter = try Interpreter(modelData: data, options: Interpreter.Options(memoryLimit: 1 << 24))
        let error = #expect(throws: InterpreterError.self) { try interpreter.allocateTensors() }
        guard case .memoryLimitExceeded? = error else {
            Issue.record("expected memoryLimitExceeded, got \(String(describing: error))")
            return
        }
    }
}
