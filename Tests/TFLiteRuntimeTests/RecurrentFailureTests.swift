import Foundation
import Testing
import TestSupport
import TFLiteMetadata
@testable import TFLiteRuntime

/// The recurrent kernels (LSTM, bidirectional LSTM, RNN, SVDF) on malformed models: wrong
/// tensor counts, shapes and states are refused at `allocateTensors()` with an error naming the
/// operator, and the work and memory limits hold. LiteRT's outputs on well-formed models are the
/// conformance cases (`keras2_lstm_*`, `unidirectional_sequence_lstm_*`,
/// `bidirectional_sequence_lstm_*`, `unidirectional_sequence_rnn_*`, `svdf_*`).
@Suite struct RecurrentFailureTests {
    /// An SVDF over float32 tensors: input [2, `features`], weights_feature [`filters`,
    /// `weightColumns`], weights_time [`filters`, 4], bias [`filters` / `rank`], state [2,
    /// `filters` × 4] (a variable unless `stateIsVariable` is false); `dropBias` leaves the
    /// operator with four inputs.
    static func svdf(features: Int = 6, filters: Int = 8, weightColumns: Int = 6, rank: Int = 2,
                     stateIsVariable: Bool = true, dropBias: Bool = false) throws -> Data {
        func zeros(_ count: Int) -> String { "{ \"data\": [\(Array(repeating: "0", count: count * 4).joined(separator: ","))] }" }
        let units = max(filters / rank, 1)
        let operatorInputs = dropBias ? "[0, 1, 2, 4]" : "[0, 1, 2, 3, 4]"
        return try HostileModels.compile("""
        { "version": 3, "operator_codes": [{ "deprecated_builtin_code": 27, "builtin_code": "SVDF" }],
          "buffers": [{}, \(zeros(filters * weightColumns)), \(zeros(filters * 4)), \(zeros(units))],
          "subgraphs": [{ "inputs": \(stateIsVariable ? "[0]" : "[0, 4]"), "outputs": [5], "tensors": [
            { "shape": [2, \(features)], "type": "FLOAT32", "buffer": 0, "name": "input" },
            { "shape": [\(filters), \(weightColumns)], "type": "FLOAT32", "buffer": 1, "name": "weights_feature" },
            { "shape": [\(filters), 4], "type": "FLOAT32", "buffer": 2, "name": "weights_time" },
            { "shape": [\(units)], "type": "FLOAT32", "buffer": 3, "name": "bias" },
            { "shape": [2, \(filters * 4)], "type": "FLOAT32", "buffer": 0, "name": "state", "is_variable": \(stateIsVariable) },
            { "shape": [2, \(units)], "type": "FLOAT32", "buffer": 0, "name": "output" }],
            "operators": [{ "opcode_index": 0, "inputs": \(operatorInputs), "outputs": [5],
                            "builtin_options_type": "SVDFOptions", "builtin_options": { "rank": \(rank) } }] }] }
        """)
    }

    /// The error `allocateTensors()` reports for `model`, or nil.
    static func allocationError(_ model: Data, options: Interpreter.Options = .init()) -> InterpreterError? {
        do {
            let interpreter = try Interpreter(modelData: model, options: options)
            try interpreter.allocateTensors()
            return nil
        } catch {
            return error
        }
    }

    static func expectInvalid(_ error: InterpreterError?, _ name: String, mentioning text: String,
                              sourceLocation: SourceLocation = #_sourceLocation) {
        guard case .invalidOperator(let operatorName, _, let reason)? = error else {
            Issue.record("expected an invalid \(name), got \(String(describing: error))", sourceLocation: sourceLocation)
            return
        }
        #expect(operatorName == name && reason.contains(text), "\(operatorName): \(reason)", sourceLocation: sourceLocation)
    }

    @Test func aWellFormedSVDFAllocates() throws {
        #expect(Self.allocationError(try Self.svdf()) == nil)
    }

    @Test func svdfRefusesMalformedTensors() throws {
        Self.expectInvalid(Self.allocationError(try Self.svdf(dropBias: true)), "SVDF", mentioning: "expected 5 inputs, got 4")
        Self.expectInvalid(Self.allocationError(try Self.svdf(weightColumns: 5)), "SVDF", mentioning: "do not fit")
        Self.expectInvalid(Self.allocationError(try Self.svdf(rank: 3)), "SVDF", mentioning: "not a multiple of rank 3")
        Self.expectInvalid(Self.allocationError(try Self.svdf(stateIsVariable: false)), "SVDF", mentioning: "variable tensor")
    }

    static func conformance(_ name: String) throws -> Data {
        try Data(contentsOf: Fixtures.url("conformance/\(name)/model.tflite"))
    }

    /// Conformance case `name`'s model with its operator edited as JSON (`edit` gets the
    /// operator and the tensor list).
    static func edited(_ name: String, _ edit: (inout [String: Any], inout [[String: Any]]) -> Void) throws -> Data {
        let model = try conformance(name)
        let json = try model.withUnsafeBytes { try FlatBufferSchema.model.json(from: $0) }
        guard var root = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
              var subgraphs = root["subgraphs"] as? [[String: Any]], var operators = subgraphs[0]["operators"] as? [[String: Any]],
              var tensors = subgraphs[0]["tensors"] as? [[String: Any]] else {
            throw CocoaError(.coderReadCorrupt)
        }
        edit(&operators[0], &tensors)
        // flatc wants a union's type before its value, which JSONSerialization does not keep:
        // the options go back in by text, in that order.
        let type = operators[0].removeValue(forKey: "builtin_options_type") as? String ?? ""
        let options = operators[0].removeValue(forKey: "builtin_options") ?? [String: Any]()
        operators[0]["builtin_options_placeholder"] = 0
        subgraphs[0]["operators"] = operators
        subgraphs[0]["tensors"] = tensors
        root["subgraphs"] = subgraphs
        let optionsText = String(decoding: try JSONSerialization.data(withJSONObject: options), as: UTF8.self)
        let text = String(decoding: try JSONSerialization.data(withJSONObject: root), as: UTF8.self)
            .replacingOccurrences(of: "\"builtin_options_placeholder\":0",
                                  with: "\"builtin_options_type\":\"\(type)\",\"builtin_options\":\(optionsText)")
        return try HostileModels.compile(text)
    }

    /// Sets operator input `position` to `value` (-1: absent).
    static func input(_ position: Int, _ value: Int) -> (inout [String: Any], inout [[String: Any]]) -> Void {
        { op, _ in
            var inputs = op["inputs"] as? [Int] ?? []
            inputs[position] = value
            op["inputs"] = inputs
        }
    }

    @Test func theIntegerLSTMTakesPeepholesAndLayerNormAllOrNone() throws {
        #expect(Self.allocationError(try Self.edited("unidirectional_sequence_lstm_layer_norm_int8") { _, _ in }) == nil)
        Self.expectInvalid(Self.allocationError(try Self.edited("unidirectional_sequence_lstm_layer_norm_int8", Self.input(22, -1))),
                           "UNIDIRECTIONAL_SEQUENCE_LSTM", mentioning: "layer-norm coefficients 20–23")
        Self.expectInvalid(Self.allocationError(try Self.edited("unidirectional_sequence_lstm_peephole_int8", Self.input(10, -1))),
                           "UNIDIRECTIONAL_SEQUENCE_LSTM", mentioning: "peephole weights 9–11")
        // CIFG: the input gate's peephole and coefficients must be absent too.
        let cifg = "unidirectional_sequence_lstm_layer_norm_peephole_cifg_int8"
        Self.expectInvalid(Self.allocationError(try Self.edited(cifg) { op, tensors in
            var inputs = op["inputs"] as? [Int] ?? []
            inputs[20] = inputs[21]
            op["inputs"] = inputs
        }), "UNIDIRECTIONAL_SEQUENCE_LSTM", mentioning: "layer-norm coefficients 20–23")
    }

    @Test func theIntegerLSTMRefusesUnscaledPeepholesAndGates() throws {
        // A peephole weight tensor without its scale.
        let peephole = Self.allocationError(try Self.edited("unidirectional_sequence_lstm_peephole_int8") { op, tensors in
            let index = (op["inputs"] as? [Int] ?? [])[9]
            tensors[index]["quantization"] = nil
        })
        guard case .unsupportedOperator(_, _, let reason)? = peephole else {
            Issue.record("expected an unsupported LSTM, got \(String(describing: peephole))")
            return
        }
        #expect(reason.contains("peephole weights 9") && reason.contains("one scale"), "\(reason)")
        // With layer norm the gate sums take the intermediates' scales: one without is refused.
        Self.expectInvalid(Self.allocationError(try Self.edited("unidirectional_sequence_lstm_layer_norm_int8") { op, tensors in
            let index = (op["intermediates"] as? [Int] ?? [])[1]
            tensors[index]["quantization"] = nil
        }), "UNIDIRECTIONAL_SEQUENCE_LSTM", mentioning: "intermediate 1")
        // Coefficients of the wrong shape (as many values).
        Self.expectInvalid(Self.allocationError(try Self.edited("unidirectional_sequence_lstm_layer_norm_int8") { op, tensors in
            let index = (op["inputs"] as? [Int] ?? [])[23]
            tensors[index]["shape"] = [2, 4]
        }), "UNIDIRECTIONAL_SEQUENCE_LSTM", mentioning: "must be int16 [8]")
    }

    @Test(arguments: ["keras2_lstm_sequences_int8", "keras2_lstm_last_batch2_int8", "unidirectional_sequence_lstm_layer_norm_peephole_cifg_int8",
                      "bidirectional_sequence_lstm_merged_time_major_float32",
                      "unidirectional_sequence_rnn_asymmetric_hybrid", "svdf_relu_int8", "svdf_symmetric_hybrid"])
    func theWorkAndMemoryLimitsHold(name: String) throws {
        let model = try Self.conformance(name)
        let work = Self.allocationError(model, options: .init(workLimit: 64))
        guard case .workLimitExceeded(_, _, let required, let limit)? = work else {
            Issue.record("\(name): expected the work limit, got \(String(describing: work))")
            return
        }
        #expect(required > limit && limit == 64)
        let memory = Self.allocationError(model, options: .init(memoryLimit: 256))
        guard case .memoryLimitExceeded? = memory else {
            Issue.record("\(name): expected the memory limit, got \(String(describing: memory))")
            return
        }
        #expect(Self.allocationError(model) == nil)
    }
}
