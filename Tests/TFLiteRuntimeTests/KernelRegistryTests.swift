import Foundation
import Testing
import TestSupport
@_spi(GeneratedCode) @testable import TFLiteRuntime
import TFLiteMetadata

/// The kernel registry (rows keyed by the schema's operator names) and the options check
/// kernels go through (`Node.options(expecting:)`).
@Suite struct KernelRegistryTests {
    @Test func shippedGroupsRegisterEachOperatorOnce() {
        #expect(KernelRegistry.duplicates(in: KernelRegistry.builtinGroups) == [])
        #expect(KernelRegistry.duplicates(in: KernelRegistry.customGroups) == [])
        let rows = KernelRegistry.builtinGroups.map(\.count).reduce(0, +)
        #expect(KernelRegistry.builtins.count == rows)
        #expect(KernelRegistry.builtins[.conv2D] != nil && KernelRegistry.builtins[.reshape] != nil)
        #expect(KernelRegistry.customs["TFLite_Detection_PostProcess"] != nil)
    }

    @Test func aDuplicateRegistrationIsDetected() {
        let factory: KernelFactory = { node throws(InterpreterError) in throw node.unsupported("test") }
        let first: KeyValuePairs<BuiltinOperator, KernelFactory> = [.add: factory, .conv2D: factory]
        let second: KeyValuePairs<BuiltinOperator, KernelFactory> = [.reshape: factory, .add: factory, .add: factory]
        #expect(KernelRegistry.duplicates(in: [first, second]) == [.add])
        #expect(KernelRegistry.duplicates(in: [second]) == [.add])
        #expect(KernelRegistry.duplicates(in: [first, [.conv2D: factory]] + KernelRegistry.builtinGroups).contains(.conv2D))
        #expect(KernelRegistry.duplicates(in: [KeyValuePairs<String, KernelFactory>](
            [["TFLite_Detection_PostProcess": factory]]) + KernelRegistry.customGroups) == ["TFLite_Detection_PostProcess"])
    }

    /// A 1×1 CONV_2D over a 1×2×2×1 float input whose options are `optionsType` with `options`
    /// (none when `optionsType` is nil).
    static func convModel(optionsType: String?, options: String = "{}") throws -> Data {
        let optionsJSON = optionsType.map { #", "builtin_options_type": "\#($0)", "builtin_options": \#(options)"# } ?? ""
        return Data(try FlatBufferSchema.model.binary(fromJSON: """
        { "version": 3,
          "operator_codes": [{ "deprecated_builtin_code": 3, "builtin_code": "CONV_2D" }],
          "subgraphs": [{
            "tensors": [
              { "shape": [1, 2, 2, 1], "type": "FLOAT32", "buffer": 0, "name": "x" },
              { "shape": [1, 1, 1, 1], "type": "FLOAT32", "buffer": 1, "name": "w" },
              { "shape": [1, 2, 2, 1], "type": "FLOAT32", "buffer": 0, "name": "y" }
            ],
            "inputs": [0], "outputs": [2],
            "operators": [{ "opcode_index": 0, "inputs": [0, 1], "outputs": [2]\(optionsJSON) }]
          }],
          "buffers": [{}, { "data": [0, 0, 0, 64] }]
        }
        """))
    }

    static func prepare(_ data: Data) -> InterpreterError? {
        do {
            let interpreter = try Interpreter(modelData: data)
            try interpreter.allocateTensors()
            return nil
        } catch {
            return error
        }
    }

    @Test func matchingOptionsAreAccepted() throws {
        #expect(Self.prepare(try Self.convModel(optionsType: "Conv2DOptions", options: #"{ "stride_w": 1, "stride_h": 1 }"#)) == nil)
        #expect(Self.prepare(try Self.convModel(optionsType: nil)) == nil)
    }

    /// An options table of another operator (here Pool2DOptions, whose first fields line up with
    /// Conv2DOptions') is refused, naming the operator and its index.
    @Test func optionsOfAnotherOperatorAreRefused() throws {
        let error = try #require(Self.prepare(try Self.convModel(optionsType: "Pool2DOptions",
                                                                 options: #"{ "stride_w": 1, "stride_h": 1, "filter_width": 3 }"#)))
        guard case .invalidOperator(let name, let index, let reason) = error else {
            Issue.record("expected invalidOperator, got \(error)")
            return
        }
        #expect(name == "CONV_2D" && index == 0)
        #expect(reason.contains("Pool2DOptions") && reason.contains("Conv2DOptions"), "\(reason)")
        #expect(!error.description.contains("\n"))
    }
}
