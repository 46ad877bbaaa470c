import Foundation
import TFLiteModel
import TFLiteMetadata

/// Small hostile models for the limit tests, written as FlatBuffers JSON and compiled with our
/// schema: each is a valid model whose only fault is what it asks for.
enum HostileModels {
    static func compile(_ json: String) throws -> Data {
        Data(try FlatBufferSchema.model.binary(fromJSON: json))
    }

    /// `count` RELUs in a chain over float32 tensors of `shape` (tensor i → tensor i + 1).
    /// `inputName` names the input tensor.
    static func reluChain(_ count: Int, shape: [Int], inputName: String? = nil) throws -> Data {
        let shapeText = shape.map(String.init).joined(separator: ",")
        var json = """
        { "version": 3, "operator_codes": [{ "deprecated_builtin_code": 19, "builtin_code": "RELU" }],
          "buffers": [{}], "subgraphs": [{ "inputs": [0], "outputs": [\(count)], "tensors": [
        """
        for i in 0...count {
            let name = i == 0 ? inputName.map { ", \"name\": \(jsonString($0))" } ?? "" : ""
            json += (i == 0 ? "" : ",") + "{\"shape\":[\(shapeText)],\"type\":\"FLOAT32\",\"buffer\":0\(name)}"
        }
        json += "], \"operators\": ["
        for i in 0..<count { json += "\(i == 0 ? "" : ","){\"opcode_index\":0,\"inputs\":[\(i)],\"outputs\":[\(i + 1)]}" }
        json += "]}]}"
        return try compile(json)
    }

    /// One custom operator named `code` from a float32 [1] input to a float32 [1] output.
    static func customOperator(_ code: String) throws -> Data {
        try compile("""
        { "version": 3, "operator_codes": [{ "deprecated_builtin_code": 32, "builtin_code": "CUSTOM", "custom_code": \(jsonString(code)) }],
          "buffers": [{}], "subgraphs": [{ "inputs": [0], "outputs": [1],
            "tensors": [{ "shape": [1], "type": "FLOAT32", "buffer": 0 }, { "shape": [1], "type": "FLOAT32", "buffer": 0 }],
            "operators": [{ "opcode_index": 0, "inputs": [0], "outputs": [1] }] }] }
        """)
    }

    static func jsonString(_ text: String) -> String {
        String(decoding: (try? JSONEncoder().encode(text)) ?? Data("\"\"".utf8), as: UTF8.self)
    }

    /// A `.npy` file of float32 zeros of `shape`.
    static func npyZeros(shape: [Int]) -> Data {
        let count = shape.reduce(1, *)
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': \(shapeText), }"
        header += String(repeating: " ", count: (64 - (10 + header.utf8.count + 1) % 64) % 64) + "\n"
        var data = Data([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0, UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)])
        data.append(Data(header.utf8))
        data.append(Data(count: count * 4))
        return data
    }
}
