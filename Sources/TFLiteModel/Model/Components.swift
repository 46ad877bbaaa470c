/// An entry of `Model.operator_codes`: which operator an `Operator` runs.
public struct OperatorCode: Hashable, Sendable {
    /// The builtin code: the larger of `builtin_code` and `deprecated_builtin_code`, as LiteRT
    /// reads it (old files fill only the one-byte field, new ones both).
    public var builtinCode: BuiltinOperator
    /// The raw one-byte field.
    public var deprecatedBuiltinCode: Int8
    /// The raw 32-bit field.
    public var rawBuiltinCode: Int32
    /// The custom operator's name, for `CUSTOM`.
    public var customCode: String?
    /// The operator version.
    public var version: Int32

    /// `CONV_2D`, or the custom name for custom operators.
    public var name: String {
        builtinCode == .custom ? (customCode ?? "CUSTOM") : builtinCode.name
    }
}

/// Quantization parameters of a tensor: per tensor (one scale) or per channel along
/// `quantizedDimension`.
public struct QuantizationParameters: Hashable, Sendable {
    /// The schema's `min` field.
    public var min: [Float]
    /// The schema's `max` field.
    public var max: [Float]
    /// The schema's `scale` field.
    public var scale: [Float]
    /// The schema's `zero_point` field.
    public var zeroPoint: [Int64]
    /// The schema's `quantized_dimension` field.
    public var quantizedDimension: Int32
    /// Custom quantization details (`details_type` ≠ 0), unsupported by builtin kernels.
    public var hasCustomDetails: Bool

    /// Whether there is an affine scale/zero point to apply.
    public var isAffine: Bool { !scale.isEmpty }
}

/// How a sparse tensor is stored (`tflite.SparsityParameters`).
public struct SparsityParameters: Hashable, Sendable {
    /// One dimension's storage (`tflite.DimensionMetadata`).
    public struct Dimension: Hashable, Sendable {
        /// 0 = DENSE, 1 = SPARSE_CSR.
        public var format: Int8
        /// The schema's `dense_size` field.
        public var denseSize: Int32
        /// The schema's `array_segments` field.
        public var arraySegments: [Int32]
        /// The schema's `array_indices` field.
        public var arrayIndices: [Int32]
    }
    /// The schema's `traversal_order` field.
    public var traversalOrder: [Int32]
    /// The schema's `block_map` field.
    public var blockMap: [Int32]
    /// The schema's `dimensions` field.
    public var dimensions: [Dimension]
}

/// A tensor of a subgraph as the model file declares it (`tflite.Tensor`): name, type, shape,
/// buffer and quantization, no data. `TFLiteRuntime.Tensor` is an interpreter tensor's snapshot.
public struct ModelTensor: Hashable, Sendable {
    /// The schema's `name` field.
    public var name: String
    /// The schema's `type` field.
    public var type: TensorType
    /// The schema's `shape` field.
    public var shape: [Int32]
    /// The shape with -1 for dynamic dimensions, when the converter recorded it.
    public var shapeSignature: [Int32]?
    /// Index into `Model.buffers` (0 is the empty sentinel buffer).
    public var buffer: UInt32
    /// The schema's `quantization` field.
    public var quantization: QuantizationParameters?
    /// The schema's `is_variable` field.
    public var isVariable: Bool
    /// The schema's `sparsity` field.
    public var sparsity: SparsityParameters?
    /// The schema's `has_rank` field.
    public var hasRank: Bool

    /// The number of elements, or nil when a dimension is negative or the product overflows.
    public var elementCount: Int? { Self.elementCount(of: shape) }

    /// The number of elements of `shape`, or nil when a dimension is negative or the product
    /// overflows.
    public static func elementCount<S: Sequence>(of shape: S) -> Int? where S.Element: BinaryInteger {
        var count = 1
        for dimension in shape {
            guard dimension >= 0, let value = Int(exactly: dimension) else { return nil }
            let (product, overflow) = count.multipliedReportingOverflow(by: value)
            if overflow { return nil }
            count = product
        }
        return count
    }
}

/// An operator node of a subgraph.
/// Views into immutable storage, hence `@unchecked Sendable`.
public struct Operator: @unchecked Sendable {
    /// The schema's `opcode_index` field.
    public var opcodeIndex: UInt32
    /// Tensor indices; -1 marks an omitted optional input.
    public var inputs: [Int32]
    /// The schema's `outputs` field.
    public var outputs: [Int32]
    /// The schema's `intermediates` field.
    public var intermediates: [Int32]
    /// `BuiltinOptions` union member index (0 = none) and its table.
    public var builtinOptionsType: UInt8
    package var builtinOptions: FlatBufferTable?
    /// `BuiltinOptions2` union member index (0 = none) and its table.
    public var builtinOptions2Type: UInt8
    package var builtinOptions2: FlatBufferTable?
    /// Custom options bytes (FlexBuffer), either inline or at `large_custom_options_offset`.
    public var customOptions: UnsafeRawBufferPointer?
}

/// A subgraph: tensors, operators, and which tensors are its inputs and outputs.
public struct Subgraph: Sendable {
    /// The schema's `name` field.
    public var name: String?
    /// The schema's `tensors` field.
    public var tensors: [ModelTensor]
    /// The schema's `inputs` field.
    public var inputs: [Int32]
    /// The schema's `outputs` field.
    public var outputs: [Int32]
    /// The schema's `operators` field.
    public var operators: [Operator]
}

/// A data buffer. Small models store bytes inline in the FlatBuffer; models over 2 GB store them
/// after it, at `offset` from the start of the file.
public struct Buffer: Hashable, Sendable {
    /// Where the bytes are in the file (inline or via offset), nil when the buffer is empty.
    public var range: Range<Int>?
    /// Raw `offset` and `size` fields (non-zero offset means data outside the FlatBuffer).
    public var offset: UInt64
    /// The schema's `size` field.
    public var size: UInt64
}

/// An entry of `Model.metadata`: a named buffer (`TFLITE_METADATA`, `min_runtime_version`, …).
public struct MetadataEntry: Hashable, Sendable {
    /// The schema's `name` field.
    public var name: String
    /// The schema's `buffer` field.
    public var buffer: UInt32
}

/// A signature: named inputs and outputs of one subgraph.
public struct SignatureDef: Hashable, Sendable {
    /// A signature name bound to a tensor index of the subgraph.
    public struct TensorMap: Hashable, Sendable {
        /// The schema's `name` field.
        public var name: String
        /// The schema's `tensor_index` field.
        public var tensorIndex: UInt32
    }
    /// The schema's `key` field.
    public var key: String
    /// The schema's `subgraph_index` field.
    public var subgraphIndex: UInt32
    /// The schema's `inputs` field.
    public var inputs: [TensorMap]
    /// The schema's `outputs` field.
    public var outputs: [TensorMap]
}
