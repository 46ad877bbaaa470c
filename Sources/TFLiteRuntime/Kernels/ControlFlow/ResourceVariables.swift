#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TFLiteModel

/// The resource variables of a model (TensorFlow `tf.Variable`s converted with resource
/// variables enabled): ids by `(container, shared_name)` as VAR_HANDLE names them, values as
/// ASSIGN_VARIABLE last stored them. Values live until the interpreter goes away, as LiteRT's
/// do; a value is replaced, never accumulated, so their memory is bounded by the tensors that
/// assign them.
final class ResourceVariables {
    /// A stored value: type, shape and bytes.
    struct Value {
        var type: TensorType
        var shape: [Int]
        var bytes: [UInt8]
    }

    private var ids: [String: Int32] = [:]
    private var values: [Int32: Value] = [:]

    /// The id of the variable `container`/`sharedName` (the same names give the same id).
    func id(container: String, sharedName: String) -> Int32 {
        let key = "\(container)\u{0}\(sharedName)"
        if let id = ids[key] { return id }
        let id = Int32(truncatingIfNeeded: ids.count)
        ids[key] = id
        return id
    }

    /// Whether `id` is one ``id(container:sharedName:)`` handed out.
    func isKnown(_ id: Int32) -> Bool { id >= 0 && Int(id) < ids.count }

    func value(_ id: Int32) -> Value? { values[id] }

    /// Stores `count` bytes from `bytes` as variable `id`'s value, reusing its storage when the
    /// size is unchanged (a model assigning every run allocates once).
    func assign(_ id: Int32, type: TensorType, shape: [Int], bytes: UnsafeRawPointer?, count: Int) {
        var value = values.removeValue(forKey: id) ?? Value(type: type, shape: shape, bytes: [])
        if value.bytes.count != count { value.bytes = [UInt8](repeating: 0, count: count) }
        value.type = type
        value.shape = shape
        if let bytes, count > 0 { value.bytes.withUnsafeMutableBytes { $0.baseAddress?.copyMemory(from: bytes, byteCount: count) } }
        values[id] = value
    }
}
