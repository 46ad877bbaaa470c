import Foundation
import Testing
import TestSupport
import TFLiteModel
import TFLiteQuantizer
@testable import TFLiteRuntime

/// Dynamic range on the fused LSTM (UNIDIRECTIONAL_SEQUENCE_LSTM, which the interpreter runs
/// hybrid): its eight gate matrices become int8 together, the operator version 3 with
/// asymmetric inputs, as the converter writes it; or all stay float.
@Suite struct RecurrentWeightsTests {
    static let lstm = Fixtures.url("conformance/keras2_lstm_sequences_float32/model.tflite").path

    static func outputs(_ path: String, input: Data) throws -> [Float] {
        let interpreter = try Interpreter(modelPath: path)
        try interpreter.allocateTensors()
        try interpreter.copy(input, toInputAt: 0)
        try interpreter.invoke()
        return try interpreter.output(at: 0).data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    }

    @Test func allGateMatricesBecomeInt8() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appending(path: "lstm.tflite").path
        // The fixture's matrices hold 32 and 64 values: below the default 1024.
        let summary = try Quantizer.quantize(Self.lstm, mode: .dynamic, options: QuantizationOptions(minElements: 0), to: output)
        #expect(summary.quantized.count == 8)
        let model = try Model(contentsOf: output)
        let op = try #require(model.subgraphs[0].operators.first)
        #expect(model.operatorCode(of: op)?.version == 3)
        let types = (1...8).map { model.subgraphs[0].tensors[Int(op.inputs[$0])].type }
        #expect(types.allSatisfy { $0 == .int8 })
        #expect(model.minRuntimeVersion() == "2.3.0")
        // The hybrid model stays close to the float one on the same input (an SQNR above 30 dB).
        let input = (0..<24).map { Float(sin(Double($0))) }.withUnsafeBytes { Data($0) }
        let reference = try Self.outputs(Self.lstm, input: input), quantized = try Self.outputs(output, input: input)
        let signal = reference.reduce(0) { $0 + $1 * $1 }, noise = zip(reference, quantized).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
        #expect(10 * log10(signal / noise) > 30)
    }

    @Test func aShortMatrixKeepsThemAllFloat() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appending(path: "lstm.tflite").path
        // 40 elements: the recurrent matrices (64) qualify, the input ones (32) do not.
        let summary = try Quantizer.quantize(Self.lstm, mode: .dynamic, options: QuantizationOptions(minElements: 40), to: output)
        #expect(summary.quantized.isEmpty)
        #expect(summary.keptFloat.contains { $0.reason.contains("so all do") })
        _ = try Self.outputs(output, input: Data(count: 96))
    }
}
