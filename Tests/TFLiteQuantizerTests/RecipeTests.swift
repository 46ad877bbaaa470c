import Foundation
import Testing
import TestSupport
import TFLiteModel
import TFLiteQuantizer

@Suite struct RecipeTests {
    static func config(bits: Int, symmetric: Bool) -> String {
        """
        {"activation_tensor_config": {"num_bits": \(bits), "symmetric": \(symmetric), "granularity": "TENSORWISE", "dtype": "INT"},
         "weight_tensor_config": {"num_bits": 8, "symmetric": true, "granularity": "CHANNELWISE", "dtype": "INT"},
         "compute_precision": "INTEGER", "explicit_dequantize": false, "skip_checks": false, "min_weight_elements": 0}
        """
    }

    /// litert-quantizer's default a8w8 recipe, as it ships.
    static let a8w8 = """
        [{"regex": ".*", "operation": "*", "algorithm_key": "min_max_uniform_quantize", "op_config": \(config(bits: 8, symmetric: false))}]
        """

    static func recipe(_ json: String) throws -> QuantizationRecipe {
        try QuantizationRecipe(json: Data(json.utf8), source: "r.json")
    }

    @Test func defaultRecipesChooseTheMode() throws {
        let model = try QuantFixture.model("mixnet", "float")
        let int8 = try Self.recipe(Self.a8w8).apply(to: model, source: "r.json")
        #expect(int8.mode == .int8 && int8.keepFloat.isEmpty)
        let a16 = """
            [{"regex": ".*", "operation": "*", "algorithm_key": "min_max_uniform_quantize", "op_config": \(Self.config(bits: 16, symmetric: true))}]
            """
        #expect(try Self.recipe(a16).apply(to: model, source: "r.json").mode == .int16x8)
    }

    @Test func laterEntriesOverrideEarlierOnes() throws {
        let model = try QuantFixture.model("mixnet", "float")
        let json = String(Self.a8w8.dropLast()) + """
            , {"regex": ".*", "operation": "TANH", "algorithm_key": "no_quantize"},
              {"regex": "^Sigmoid$", "operation": "*", "algorithm_key": "no_quantize"}]
            """
        let applied = try Self.recipe(json).apply(to: model, source: "r.json")
        let names = applied.keepFloat.map { model.operatorCode(of: model.subgraphs[0].operators[$0])?.name ?? "" }.sorted()
        #expect(names == ["LOGISTIC", "TANH"])
        // An operator no entry matches stays float, as in litert-quantizer.
        let onlyFC = """
            [{"regex": ".*", "operation": "FULLY_CONNECTED", "algorithm_key": "min_max_uniform_quantize", "op_config": \(Self.config(bits: 8, symmetric: false))}]
            """
        let partial = try Self.recipe(onlyFC).apply(to: model, source: "r.json")
        #expect(partial.keepFloat.count == model.subgraphs[0].operators.count - 3)
    }

    @Test(arguments: [
        (#"{"regex": ".*", "operation": "*", "algorithm_key": "min_max_uniform_quantize", "op_config": {"weight_tensor_config": {"num_bits": 4, "symmetric": true}, "activation_tensor_config": {"num_bits": 8, "symmetric": false}}}"#,
         "[0].op_config.weight_tensor_config.num_bits"),
        (#"{"regex": ".*", "operation": "*", "algorithm_key": "min_max_uniform_quantize", "op_config": {"weight_tensor_config": {"num_bits": 8}, "activation_tensor_config": {"num_bits": 8}, "explicit_dequantize": true}}"#,
         "[0].op_config.explicit_dequantize"),
        (#"{"regex": ".*", "operation": "*", "algorithm_key": "hadamard_rotation"}"#, "[0].algorithm_key"),
        (#"{"regex": ".*", "operation": "*", "algorithm_key": "no_quantize", "extra": 1}"#, "[0].extra"),
        (#"{"regex": ".*", "operation": "NOT_AN_OP", "algorithm_key": "no_quantize"}"#, "[0].operation"),
        (#"{"regex": "(", "operation": "*", "algorithm_key": "no_quantize"}"#, "[0].regex"),
        (#"{"regex": ".*", "operation": "*", "algorithm_key": "min_max_uniform_quantize", "op_config": {"weight_tensor_config": {"num_bits": 8}, "activation_tensor_config": {"num_bits": 8, "symmetric": true}}}"#,
         "[0].op_config.activation_tensor_config.symmetric"),
    ])
    func unsupportedFieldsAreNamed(entry: String, field: String) {
        #expect {
            _ = try Self.recipe("[\(entry)]")
        } throws: { error in
            let text = "\(error)"
            return text.hasPrefix("r.json: \(field): ") && !text.contains("\n")
        }
    }

    @Test func mixedPrecisionIsRefused() throws {
        let model = try QuantFixture.model("mixnet", "float")
        let json = String(Self.a8w8.dropLast()) + """
            , {"regex": ".*", "operation": "TANH", "algorithm_key": "min_max_uniform_quantize", "op_config": \(Self.config(bits: 16, symmetric: true))}]
            """
        #expect(throws: QuantizationRecipe.Invalid.self) { _ = try Self.recipe(json).apply(to: model, source: "r.json") }
        #expect(throws: QuantizationRecipe.Invalid.self) { _ = try Self.recipe("{}") }
    }
}
