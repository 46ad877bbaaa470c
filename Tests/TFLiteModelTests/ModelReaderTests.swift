import Foundation
import Testing
import TestSupport
import TFLiteModel

/// Facts LiteRT and TensorFlow report for each fixture (`info.json`, written by
/// `scripts/make_fixtures.py`).
struct FixtureInfo: Decodable {
    struct TensorInfo: Decodable {
        var name: String
        var dtype: String
        var shape: [Int32]
        struct Q: Decodable { var scale: Float; var zero_point: Int64 }
        var quantization: Q?
    }
    var inputs: [TensorInfo]
    var outputs: [TensorInfo]
    var subgraphs: Int
    var operator_codes: [String]
    var custom_codes: [String]?
    var description: String?
}

@Suite struct ModelReaderTests {
    static let cases = Fixtures.metadataCases()

    @Test(arguments: cases)
    func readsWhatLiteRTReports(_ directory: URL) throws {
        let info = try JSONDecoder().decode(FixtureInfo.self, from: Data(contentsOf: directory.appending(path: "info.json")))
        let model = try Model(contentsOf: directory.appending(path: "model.tflite").path)
        #expect(model.version == 3)
        #expect(model.subgraphs.count == info.subgraphs)
        #expect(model.description == info.description)
        #expect(model.operatorCodes.map { $0.builtinCode.name } == info.operator_codes)
        let customs = model.operatorCodes.compactMap(\.customCode)
        #expect(customs == (info.custom_codes ?? []))
        let subgraph = try #require(model.subgraphs.first)
        for (expected, index) in zip(info.inputs, subgraph.inputs) {
            let tensor = subgraph.tensors[Int(index)]
            #expect(tensor.name == expected.name)
            #expect(tensor.type.description == expected.dtype)
            #expect(tensor.shape == expected.shape)
            if let q = expected.quantization {
                #expect(tensor.quantization?.scale.first == q.scale)
                #expect(tensor.quantization?.zeroPoint.first == q.zero_point)
            }
        }
        for (expected, index) in zip(info.outputs, subgraph.outputs) {
            let tensor = subgraph.tensors[Int(index)]
            #expect(tensor.name == expected.name)
            #expect(tensor.type.description == expected.dtype)
            #expect(tensor.shape == expected.shape)
        }
        #expect(subgraph.inputs.count == info.inputs.count)
        #expect(subgraph.outputs.count == info.outputs.count)
    }

    @Test func constantDataIsReadInPlace() throws {
        let path = Fixtures.url("metadata/plain_float/model.tflite").path
        let model = try Model(contentsOf: path)
        let file = model.storage.bytes
        var sawData = false
        for index in model.buffers.indices {
            let data = try model.data(ofBuffer: index)
            guard let base = data.baseAddress, let fileBase = file.baseAddress else { continue }
            // A view into the mapped file, not a copy.
            #expect(base >= fileBase && base + data.count <= fileBase + file.count)
            sawData = true
        }
        #expect(sawData)
    }

    @Test func signaturesAndMinRuntimeVersion() throws {
        let model = try Model(contentsOf: Fixtures.url("metadata/object_detector/model.tflite").path)
        let signature = try #require(model.signatureDefs.first)
        #expect(signature.key == "serving_default")
        #expect(signature.inputs.map(\.name) == ["image"])
        #expect(signature.outputs.count == 4)
        #expect(model.minRuntimeVersion() != nil)
        #expect(model.operatorCodes.contains { $0.name == "TFLite_Detection_PostProcess" })
    }

    @Test func enumNamesComeFromTheSchema() {
        #expect(TensorType.int8.name == "INT8")
        #expect(BuiltinOperator(name: "CONV_2D")?.rawValue == 3)
        #expect(BuiltinOperator(rawValue: 3).name == "CONV_2D")
        #expect(BuiltinOperator(rawValue: 9999).name == "OP_9999")
    }
}
