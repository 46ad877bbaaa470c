import Foundation
import Testing
import TestSupport
@_spi(GeneratedCode) import TFLiteRuntime
import TFLiteMetadata

/// Issue #8: models and inputs that claim absurd sizes are refused with an error before
/// anything is allocated; deep and cyclic graphs neither overflow the stack nor loop.
///
/// The hostile models are written as FlatBuffers JSON and compiled with our schema
/// (`FlatBufferSchema.model.binary(fromJSON:)`), so each one is valid FlatBuffers and only its
/// meaning is hostile.
@Suite struct ResourceLimitTests {
    static func model(_ json: String) throws -> Data {
        Data(try FlatBufferSchema.model.binary(fromJSON: json))
    }

    /// `ADD(a, b)` with `a`, `b` and the output of `shape`, optionally with a constant buffer.
    static func addModel(shape: [Int64], type: String = "FLOAT32", buffers: String = "{}", constantBuffer: Int = 0, inputs: String = "[0]") throws -> Data {
        let shapeText = shape.map(String.init).joined(separator: ", ")
        return try model("""
        { "version": 3,
          "operator_codes": [{ "deprecated_builtin_code": 0, "builtin_code": "ADD" }],
          "subgraphs": [{
            "tensors": [
              { "shape": [\(shapeText)], "type": "\(type)", "buffer": 0, "name": "a" },
              { "shape": [\(shapeText)], "type": "\(type)", "buffer": \(constantBuffer), "name": "b" },
              { "shape": [\(shapeText)], "type": "\(type)", "buffer": 0, "name": "out" }
            ],
            "inputs": \(inputs), "outputs": [2],
            "operators": [{ "opcode_index": 0, "inputs": [0, 1], "outputs": [2],
                            "builtin_options_type": "AddOptions", "builtin_options": {} }]
          }],
          "buffers": [\(buffers)]
        }
        """)
    }

    /// Loads, allocates and invokes; returns the first error.
    static func run(_ data: Data, options: Interpreter.Options = .init()) -> InterpreterError? {
        do {
            let interpreter = try Interpreter(modelData: data, options: options)
            try interpreter.allocateTensors()
            try interpreter.invoke()
            return nil
        } catch {
            return error
        }
    }

    @Test func theBuilderMakesARunnableModel() throws {
        let data = try Self.addModel(shape: [1, 4], buffers: "{}, { \"data\": [0,0,128,63, 0,0,0,64, 0,0,64,64, 0,0,128,64] }", constantBuffer: 1)
        #expect(Self.run(data) == nil)
    }

    @Test func elementCountOverflowIsRefused() throws {
        for shape: [Int64] in [[2_147_483_647, 2_147_483_647, 2_147_483_647, 2_147_483_647],
                               [65_536, 65_536, 65_536, 65_536, 65_536], [-1, 4], [-2_147_483_648, 2]] {
            let error = try #require(Self.run(try Self.addModel(shape: shape)), "shape \(shape) was accepted")
            #expect(!error.description.contains("\n"))
        }
    }

    @Test func terabyteTensorIsRefusedBeforeAllocating() throws {
        // 1024⁴ float32 elements: 4 TiB per tensor.
        let data = try Self.addModel(shape: [1024, 1024, 1024, 1024], inputs: "[0, 1]")
        let capped = try #require(Self.run(data, options: .init(memoryLimit: 64 << 20)))
        #expect(capped.description.contains("limit"))
        // Without a cap the interpreter must still refuse rather than ask malloc for terabytes.
        #expect(Self.run(data) != nil)
    }

    @Test func constantBufferClaimingTerabytesIsRefused() throws {
        // An external buffer (offset/size from the start of the file) far past the end of the file.
        let data = try Self.addModel(shape: [1, 4], buffers: "{}, { \"offset\": 16, \"size\": 1099511627776 }", constantBuffer: 1)
        #expect(throws: ModelError.self) { try Model(data: data) }
        #expect(Self.run(data) != nil)
        // And one whose offset + size overflows.
        let wrapping = try Self.addModel(shape: [1, 4], buffers: "{}, { \"offset\": 18446744073709551600, \"size\": 64 }", constantBuffer: 1)
        #expect(throws: ModelError.self) { try Model(data: wrapping) }
    }

    @Test func constantSmallerThanItsShapeIsRefused() throws {
        // A constant whose buffer holds 4 bytes but whose shape claims 4 floats.
        let data = try Self.addModel(shape: [1, 4], buffers: "{}, { \"data\": [0, 0, 128, 63] }", constantBuffer: 1)
        #expect(Self.run(data) != nil)
    }

    /// A chain of `count` ADDs: tensor i + tensor i → tensor i + 1.
    static func chain(_ count: Int) throws -> Data {
        var json = """
        { "version": 3, "operator_codes": [{ "deprecated_builtin_code": 0, "builtin_code": "ADD" }],
          "buffers": [{}], "subgraphs": [{ "inputs": [0], "outputs": [\(count)], "tensors": [
        """
        json.reserveCapacity(count * 64)
        for i in 0...count { json += i == 0 ? "{\"shape\":[1]}" : ",{\"shape\":[1]}" }
        json += "], \"operators\": ["
        for i in 0..<count { json += "\(i == 0 ? "" : ","){\"inputs\":[\(i),\(i)],\"outputs\":[\(i + 1)]}" }
        json += "]}]}"
        return try model(json)
    }

    @Test func deepGraphNeitherOverflowsTheStackNorHangs() throws {
        let clock = ContinuousClock()
        let data = try Self.chain(Int(ProcessInfo.processInfo.environment["DEEP_N"] ?? "1000000") ?? 1_000_000)
        let elapsed = clock.measure { _ = Self.run(data, options: .init(memoryLimit: 64 << 20)) }
        print("resource limits: a 10⁶-deep graph (\(data.count) bytes) loaded and ran or was refused in \(elapsed)")
        // A hang guard, not a speed goal (that lives in the benchmarks): about a minute alone in a
        // debug build, several under a loaded machine's parallel test run.
        #expect(elapsed < .seconds(900))
    }

    @Test func cyclicGraphIsRefused() throws {
        // op 0 reads tensor 2, which op 1 writes from op 0's output.
        let cycle = try Self.model("""
        { "version": 3, "operator_codes": [{ "deprecated_builtin_code": 0, "builtin_code": "ADD" }], "buffers": [{}],
          "subgraphs": [{ "inputs": [0], "outputs": [2],
            "tensors": [{ "shape": [1] }, { "shape": [1] }, { "shape": [1] }],
            "operators": [{ "inputs": [0, 2], "outputs": [1] }, { "inputs": [1, 1], "outputs": [2] }] }] }
        """)
        #expect(Self.run(cycle) != nil)
        // An operator reading its own output.
        let selfLoop = try Self.model("""
        { "version": 3, "operator_codes": [{ "deprecated_builtin_code": 0, "builtin_code": "ADD" }], "buffers": [{}],
          "subgraphs": [{ "inputs": [0], "outputs": [1],
            "tensors": [{ "shape": [1] }, { "shape": [1] }],
            "operators": [{ "inputs": [0, 1], "outputs": [1] }] }] }
        """)
        #expect(Self.run(selfLoop) != nil)
        // Tensor and operator indices out of range.
        let outOfRange = try Self.model("""
        { "version": 3, "operator_codes": [{ "deprecated_builtin_code": 0, "builtin_code": "ADD" }], "buffers": [{}],
          "subgraphs": [{ "inputs": [0], "outputs": [7],
            "tensors": [{ "shape": [1] }, { "shape": [1] }],
            "operators": [{ "opcode_index": 9, "inputs": [0, -5], "outputs": [1] }] }] }
        """)
        #expect(Self.run(outOfRange) != nil)
    }

    static func npy(header: String, payload: Int = 0) -> Data {
        var text = header
        while (10 + text.utf8.count + 1) % 64 != 0 { text += " " }
        text += "\n"
        var data = Data([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0])
        data.append(UInt8(text.utf8.count & 0xFF)); data.append(UInt8(text.utf8.count >> 8))
        data.append(Data(text.utf8))
        data.append(Data(count: payload))
        return data
    }

    @Test func numPyClaimingHugeArraysIsRefused() throws {
        let good = Self.npy(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }", payload: 16)
        #expect((try? NumPyArray(npy: good)) != nil)
        for shape in ["(1000000000000,)", "(4294967296, 4294967296)", "(9223372036854775807, 2)",
                      "(99999999999999999999999,)", "(-1, 4)", "(3037000500, 3037000500)"] {
            let data = Self.npy(header: "{'descr': '<f4', 'fortran_order': False, 'shape': \(shape), }", payload: 16)
            #expect(throws: NumPyArray.FormatError.self, "shape \(shape)") { try NumPyArray(npy: data) }
        }
    }
}
