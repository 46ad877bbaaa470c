import Foundation
import Testing
import TestSupport
@_spi(GeneratedCode) @testable import TFLiteRuntime
import TFLiteMetadata

/// LEAKY_RELU's `alpha` as LiteRT reads it: the schema's default (0) when the field is absent,
/// which is how a writer stores `alpha = 0` (FlatBuffers omit fields equal to their default).
@Suite struct LeakyReluOptionsTests {
    static func model(options: String) throws -> Data {
        Data(try FlatBufferSchema.model.binary(fromJSON: """
        { "version": 3,
          "operator_codes": [{ "deprecated_builtin_code": 98, "builtin_code": "LEAKY_RELU" }],
          "subgraphs": [{
            "tensors": [
              { "shape": [2], "type": "FLOAT32", "buffer": 0, "name": "x" },
              { "shape": [2], "type": "FLOAT32", "buffer": 0, "name": "y" }
            ],
            "inputs": [0], "outputs": [1],
            "operators": [{ "opcode_index": 0, "inputs": [0], "outputs": [1],
                            "builtin_options_type": "LeakyReluOptions", "builtin_options": \(options) }]
          }],
          "buffers": [{}]
        }
        """))
    }

    static func run(options: String) throws -> [Float] {
        let interpreter = try Interpreter(modelData: try model(options: options))
        try interpreter.allocateTensors()
        try interpreter.writeFeatures([-2, 3], toInputAt: 0, name: "x")
        try interpreter.invoke()
        return try interpreter.dequantizedOutput(at: 0).scalars
    }

    @Test func anAbsentAlphaIsTheSchemaDefaultZero() throws {
        #expect(try Self.run(options: "{}") == [0, 3])
    }

    @Test func aGivenAlphaIsUsed() throws {
        #expect(try Self.run(options: #"{ "alpha": 0.25 }"#) == [-0.5, 3])
    }
}
