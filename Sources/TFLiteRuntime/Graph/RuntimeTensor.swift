import TFLiteModel

/// Quantization of a runtime tensor (per tensor, or per channel along `dimension`).
package struct Quantization: Equatable, Sendable {
    package var scales: [Float]
    package var zeroPoints: [Int32]
    package var dimension: Int

    package init(scales: [Float], zeroPoints: [Int32], dimension: Int = 0) {
        self.scales = scales
        self.zeroPoints = zeroPoints
        self.dimension = dimension
    }

    /// The per-tensor scale (the first one).
    package var scale: Float { scales.first ?? 0 }
    /// The per-tensor zero point (the first one).
    package var zeroPoint: Int32 { zeroPoints.first ?? 0 }
    package var isPerChannel: Bool { scales.count > 1 }
}

/// A tensor as the interpreter holds it: type, shape, quantization and where its bytes are.
///
/// Constant tensors point into the mapped model file (read-only); activations point into the
/// arena; folded constants and variables into memory owned by the ``TensorTable``.
package struct RuntimeTensor {
    /// Where the bytes live.
    package enum Storage: Equatable {
        /// Not allocated yet (or an optional input that is absent).
        case none
        /// Model data, read in place from the file.
        case constant
        /// Computed at `allocateTensors()` from constants, kept for the interpreter's life.
        case folded
        /// In the activation arena; shares memory with tensors whose lifetimes don't overlap.
        case arena
        /// Variable tensors, kept across invocations.
        case variable
        /// The output of an operator prepared at `invoke()` (its shape depends on values the
        /// same run computes): allocated as the operator runs, released at the next `invoke()`.
        case deferred
    }

    /// The reference-counted fields, in one shared box, so that copying a tensor (which kernels
    /// do per operator and invoke) costs one reference count rather than one per array.
    private final class Description: Sendable {
        let name: String
        let shape: [Int]
        let quantization: Quantization?
        let sparsity: SparsityParameters?

        init(name: String, shape: [Int], quantization: Quantization?, sparsity: SparsityParameters?) {
            self.name = name
            self.shape = shape
            self.quantization = quantization
            self.sparsity = sparsity
        }
    }

    private var description: Description
    package var type: TensorType
    package var data: UnsafeMutableRawPointer?
    package var byteCount: Int
    package var storage: Storage
    /// Declared `is_variable` (state kept across invocations).
    package var isVariableTensor: Bool = false
    /// The number of elements (the product of `shape`; `Int.max` if that overflows).
    package private(set) var elementCount: Int

    package init(name: String, type: TensorType, shape: [Int], quantization: Quantization?, data: UnsafeMutableRawPointer?,
                byteCount: Int, storage: Storage, sparsity: SparsityParameters? = nil) {
        description = Description(name: name, shape: shape, quantization: quantization, sparsity: sparsity)
        elementCount = Self.product(shape)
        self.type = type
        self.data = data
        self.byteCount = byteCount
        self.storage = storage
    }

    private static func product(_ shape: [Int]) -> Int {
        var count = 1
        for dimension in shape {
            let (next, overflow) = count.multipliedReportingOverflow(by: dimension)
            if overflow { return Int.max }
            count = next
        }
        return count
    }

    package var name: String {
        get { description.name }
        set { description = Description(name: newValue, shape: shape, quantization: quantization, sparsity: sparsity) }
    }

    package var shape: [Int] {
        get { description.shape }
        set {
            description = Description(name: name, shape: newValue, quantization: quantization, sparsity: sparsity)
            elementCount = Self.product(newValue)
        }
    }

    package var quantization: Quantization? {
        get { description.quantization }
        set { description = Description(name: name, shape: shape, quantization: newValue, sparsity: sparsity) }
    }

    /// Sparse weights (densified by DENSIFY).
    package var sparsity: SparsityParameters? {
        get { description.sparsity }
        set { description = Description(name: name, shape: shape, quantization: quantization, sparsity: newValue) }
    }

    /// Whether the value is known before `invoke()` (model constants and folded results).
    package var isConstant: Bool { storage == .constant || storage == .folded }


    /// The bytes as a typed buffer of `elementCount` elements.
    @inline(__always)
    package func buffer<T>(_ type: T.Type) -> UnsafeMutableBufferPointer<T> {
        guard let data else { return UnsafeMutableBufferPointer(start: nil, count: 0) }
        return UnsafeMutableBufferPointer(start: data.assumingMemoryBound(to: T.self), count: byteCount / MemoryLayout<T>.stride)
    }

    /// The raw bytes.
    package var bytes: UnsafeMutableRawBufferPointer {
        UnsafeMutableRawBufferPointer(start: data, count: data == nil ? 0 : byteCount)
    }

    /// The scale of per-tensor quantization (0 when not quantized).
    package var scale: Float { quantization?.scale ?? 0 }
    /// The zero point of per-tensor quantization (0 when not quantized).
    package var zeroPoint: Int32 { quantization?.zeroPoint ?? 0 }

    /// Size of dimension `axis`, counting negative axes from the end.
    package func dimension(_ axis: Int) -> Int {
        shape[axis < 0 ? shape.count + axis : axis]
    }
}
