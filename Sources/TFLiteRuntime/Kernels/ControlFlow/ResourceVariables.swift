import Foundation
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

    func assign(_ id: Int32, _ value: Value) { values[id] = value }
}
