#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TFLiteModel

/// One of MediaPipe's operators: a ``CustomOperator`` whose prepare throws only
/// ``CustomOperatorError`` (typed, so that helpers' errors need no conversion).
protocol MediaPipeOperator: CustomOperator {
    /// Checks the node and returns its outputs (what ``CustomOperator/prepare(_:)`` returns).
    func prepareChecked(_ node: CustomOperatorNode) throws(CustomOperatorError) -> [CustomOperatorOutput]
}

extension MediaPipeOperator {
    /// Calls ``prepareChecked(_:)``.
    func prepare(_ node: CustomOperatorNode) throws -> [CustomOperatorOutput] {
        try prepareChecked(node)
    }
}

/// Checks shared by MediaPipe's operators, over what a ``CustomOperator`` sees.
enum MediaPipeSupport {
    /// Checks the node has `inputs` inputs and `outputs` outputs.
    static func expect(_ node: CustomOperatorNode, inputs: Int, outputs: Int) throws(CustomOperatorError) {
        guard node.inputs.count == inputs else { throw .invalid("expected \(inputs) inputs, got \(node.inputs.count)") }
        guard node.outputs.count == outputs else { throw .invalid("expected \(outputs) outputs, got \(node.outputs.count)") }
    }

    /// The input at `position` as a float32 tensor of `rank` dimensions.
    static func floatInput(_ node: CustomOperatorNode, _ position: Int, rank: Int, name: String) throws(CustomOperatorError) -> Tensor.Info {
        let tensor = node.inputs[position]
        guard tensor.type == .float32 else { throw .unsupported("\(name) must be float32, got \(tensor.type)") }
        guard tensor.shape.count == rank else { throw .invalid("\(name) must be \(rank)-D, got shape \(tensor.shape)") }
        return tensor
    }

    /// Output `position` as float32 of `shape` (whose element count must not overflow or pass
    /// 2^31), checking the model declares it float32.
    static func floatOutput(_ node: CustomOperatorNode, _ position: Int, shape: [Int]) throws(CustomOperatorError) -> CustomOperatorOutput {
        guard node.outputs[position].type == .float32 else {
            throw .unsupported("output \(position) must be float32, got \(node.outputs[position].type)")
        }
        var count = 1
        for dimension in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard dimension >= 0, !overflow, product <= 1 << 31 else { throw .invalid("output \(position) shape \(shape) is too large") }
            count = product
        }
        return CustomOperatorOutput(type: .float32, shape: shape)
    }

    /// Checks the 4 × 4 transformation matrix input (any shape of 16 float32 values, `[1, 4, 4]`
    /// in MediaPipe's models); the kernels read its first two rows.
    static func expectMatrix(_ node: CustomOperatorNode, _ position: Int) throws(CustomOperatorError) {
        let tensor = node.inputs[position]
        guard tensor.type == .float32, tensor.elementCount == 16 else {
            throw .invalid("the transformation matrix must be 16 float32 values (4 × 4), got \(tensor.type) \(tensor.shape)")
        }
    }

    /// The decoded FlexBuffer map of the custom options, nil when there are none.
    static func flexOptions(_ node: CustomOperatorNode) throws(CustomOperatorError) -> FlexBufferMap? {
        guard !node.customOptions.isEmpty else { return nil }
        let decoded: Result<FlexBufferMap, FlexBufferError> = node.customOptions.withUnsafeBytes { bytes in
            Result { () throws(FlexBufferError) in try FlexBufferMap(bytes: bytes) }
        }
        switch decoded {
        case .success(let map): return map
        case .failure(let error): throw .invalid("custom options: \(error)")
        }
    }

    /// Only version 2 of the transform operators: MediaPipe's CPU resolver registers that one.
    static func expectVersion2(_ node: CustomOperatorNode) throws(CustomOperatorError) {
        guard node.version == 2 else {
            throw .unsupported("version \(node.version) is not supported (MediaPipe's CPU kernels are version 2)")
        }
    }

    /// The first `count` little-endian int32 fields of raw custom options (which hold at least
    /// `4 · count` bytes).
    static func int32s(_ raw: Data, count: Int) -> [Int32] {
        raw.withUnsafeBytes { bytes in (0..<count).map { bytes.loadUnaligned(fromByteOffset: $0 * 4, as: Int32.self).littleEndian } }
    }

    /// A padding field: 1 SAME, 2 VALID.
    static func padding(_ raw: Int32) throws(CustomOperatorError) -> ConvPadding {
        switch raw {
        case 1: .same
        case 2: .valid
        default: throw .invalid("custom options: unknown padding \(raw)")
        }
    }

    /// A stride or filter size field: 1...65536.
    static func positive(_ raw: Int32, name: String) throws(CustomOperatorError) -> Int {
        guard raw > 0, raw <= 1 << 16 else { throw .invalid("\(name) must be positive, got \(raw)") }
        return Int(raw)
    }

    /// `buffer` as (at least) `count` floats, checking its size and alignment (callers return before
    /// asking for an empty tensor's floats).
    static func floats(_ buffer: UnsafeRawBufferPointer, count: Int) throws(CustomOperatorError) -> UnsafePointer<Float> {
        guard let base = buffer.baseAddress, count >= 0, buffer.count / 4 >= count, Int(bitPattern: base) % MemoryLayout<Float>.alignment == 0 else {
            throw .invalid("a tensor holds \(buffer.count) bytes, expected \(count) aligned float32 values")
        }
        return base.assumingMemoryBound(to: Float.self)
    }

    /// `buffer` as (at least) `count` mutable floats, checking its size and alignment.
    static func floats(_ buffer: UnsafeMutableRawBufferPointer, count: Int) throws(CustomOperatorError) -> UnsafeMutablePointer<Float> {
        UnsafeMutablePointer(mutating: try floats(UnsafeRawBufferPointer(buffer), count: count))
    }

    /// The product of `factors` (none negative), `Int.max` when it overflows: work units the
    /// work limit then refuses.
    static func product(_ factors: Int...) -> Int {
        var total = 1
        for factor in factors {
            let (product, overflow) = total.multipliedReportingOverflow(by: max(0, factor))
            if overflow { return Int.max }
            total = product
        }
        return total
    }
}
