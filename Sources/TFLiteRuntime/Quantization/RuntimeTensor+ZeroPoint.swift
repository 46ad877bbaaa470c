import TFLiteModel

extension RuntimeTensor {
    /// The zero point, checked to lie in the tensor type's range (LiteRT's kernels assume it;
    /// a hostile model's `Int32.min` would overflow the offsets kernels compute from it).
    func checkedZeroPoint(_ node: Node) throws(InterpreterError) -> Int32 {
        let range: ClosedRange<Int32> = switch type {
        case .int8: -128...127
        case .uint8: 0...255
        case .int16: -32768...32767
        default: Int32.min + 1...Int32.max
        }
        guard range.contains(zeroPoint) else {
            throw node.invalid("zero point \(zeroPoint) of \(name) is outside the \(type) range")
        }
        return zeroPoint
    }
}
