#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TFLiteModel

/// A snapshot of an interpreter tensor, shaped like TensorFlowLiteSwift's `Tensor`.
public struct Tensor: Equatable, Sendable {
    /// Element types, as TensorFlowLiteSwift names them.
    public enum DataType: Equatable, Sendable {
        /// The element types TensorFlowLiteSwift names (`float32`, `int8`, `bool`, `string`, …).
        case float32, float16, float64, int8, uint8, int16, uint16, int32, uint32, int64, uint64, bool, string
        /// Another element type of the model (`complex64`, `int4`, …).
        case other(TensorType)

        init(_ type: TensorType) {
            switch type {
            case .float32: self = .float32
            case .float16: self = .float16
            case .float64: self = .float64
            case .int8: self = .int8
            case .uint8: self = .uint8
            case .int16: self = .int16
            case .uint16: self = .uint16
            case .int32: self = .int32
            case .uint32: self = .uint32
            case .int64: self = .int64
            case .uint64: self = .uint64
            case .bool: self = .bool
            case .string: self = .string
            default: self = .other(type)
            }
        }
    }

    /// Affine quantization: `real = scale × (quantized − zeroPoint)`; per channel when
    /// `scales.count > 1`, along `quantizedDimension`.
    public struct QuantizationParameters: Equatable, Sendable {
        /// The per-tensor scale (the first one).
        public var scale: Float { scales.first ?? 0 }
        /// The per-tensor zero point (the first one).
        public var zeroPoint: Int { zeroPoints.first ?? 0 }
        /// The scales: one per tensor, or one per channel.
        public var scales: [Float]
        /// The zero points, one per scale.
        public var zeroPoints: [Int]
        /// The channel dimension of per-channel quantization.
        public var quantizedDimension: Int
    }

    /// The tensor's name in the model.

    public var name: String
    /// The element type, as TensorFlowLiteSwift names it.
    public var dataType: DataType
    /// The model's element type.
    public var type: TensorType
    /// The size of each dimension, outermost first.
    public var shape: [Int]
    /// A copy of the tensor's bytes.
    public var data: Data
    /// The affine quantization, for quantized tensors.
    public var quantizationParameters: QuantizationParameters?
}

extension Tensor.QuantizationParameters {
    init(_ quantization: Quantization) {
        self.init(scales: quantization.scales, zeroPoints: quantization.zeroPoints.map(Int.init),
                  quantizedDimension: quantization.dimension)
    }
}

extension Tensor {
    /// What an input or output is, without its data: ``Interpreter/inputInfo(at:)`` and
    /// ``Interpreter/outputInfo(at:)`` return it (no copy).
    public struct Info: Equatable, Sendable {
        /// The tensor's name in the model.
        public var name: String
        /// The element type, as TensorFlowLiteSwift names it.
        public var dataType: DataType
        /// The model's element type.
        public var type: TensorType
        /// The size of each dimension, outermost first.
        public var shape: [Int]
        /// How many elements the shape holds.
        public var elementCount: Int
        /// How many bytes the tensor's data takes.
        public var byteCount: Int
        /// The affine quantization, for quantized tensors.
        public var quantizationParameters: QuantizationParameters?

        init(_ tensor: RuntimeTensor) {
            name = tensor.name
            dataType = DataType(tensor.type)
            type = tensor.type
            shape = tensor.shape
            elementCount = tensor.elementCount
            byteCount = tensor.byteCount
            quantizationParameters = tensor.quantization.map(QuantizationParameters.init)
        }
    }
}

