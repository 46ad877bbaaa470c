/// A tensor's values with its shape, row-major: what generated wrappers return for outputs
/// that are plain tensors (`ShapedArray<Float>` for a dequantized output).
public struct ShapedArray<Scalar: Sendable>: Sendable {
    /// The size of each dimension, outermost first.
    public var shape: [Int]
    /// The values, row-major (the last dimension varies fastest); as many as the shape's product.
    public var scalars: [Scalar]

    /// An array of `scalars` in `shape` (the caller keeps the two consistent).
    public init(shape: [Int], scalars: [Scalar]) {
        self.shape = shape
        self.scalars = scalars
    }
}

extension ShapedArray: Equatable where Scalar: Equatable {}
extension ShapedArray: Hashable where Scalar: Hashable {}
