/// An entry of `Model.operator_codes`: which operator an `Operator` runs.
package struct OperatorCode: Hashable, Sendable {
    /// The builtin code: the larger of `builtin_code` and `deprecated_builtin_code`, as LiteRT
    /// reads it (old files fill only the one-byte field, new ones both).
    package var builtinCode: BuiltinOperator
    /// The raw one-byte field.
    package var deprecatedBuiltinCode: Int8
    /// The raw 32-bit field.
    package var rawBuiltinCode: Int32
    /// The custom operator's name, for `CUSTOM`.
    package var customCode: String?
    /// The operator version.
    package var version: Int32

    /// `CONV_2D`, or the custom name for custom operators.
    package var name: String {
        builtinCode == .custom ? (customCode ?? "CUSTOM") : builtinCode.name
    }
}

/// Quantization parameters of a tensor: per tensor (one scale) or per channel along
/// `quantizedDimension`.
package struct QuantizationParameters: Hashable, Sendable {
    /// The schema's `min` field.
    package var min: [Float]
    /// The schema's `max` field.
    package var max: [Float]
    /// The schema's `scale` field.
    package var scale: [Float]
    /// The schema's `zero_point` field.
    package var zeroPoint: [Int64]
    /// The schema's `quantized_dimension` field.
    package var quantizedDimension: Int32
    /// Custom quantization details (`details_type` ≠ 0), unsupported by builtin kernels.
    package var hasCustomDetails: Bool

    /// Whether there is an affine scale/zero point to apply.
    package var isAffine: Bool { !scale.isEmpty }
}

/// How a sparse tensor is stored (`tflite.SparsityParameters`).
package struct SparsityParameters: Hashable, Sendable {
    /// One dimension's storage (`tflite.DimensionMetadata`).
    package struct Dimension: Hashable, Sendable {
        /// 0 = DENSE, 1 = SPARSE_CSR.
        package var format: Int8
        /// The schema's `dense_size` field.
        package var denseSize: Int32
        /// The schema's `array_segments` field.
        package var arraySegments: [Int32]
        /// The schema's `array_indices` field.
        package var arrayIndices: [Int32]
    }
    /// The schema's `traversal_order` field.
    package var traversalOrder: [Int32]
    /// The schema's `block_map` field.
    package var blockMap: [Int32]
    /// The schema's `dimensions` field.
    package var dimensions: [Dimension]
}

/// A tensor of a subgraph as the model file declares it (`tflite.Tensor`): name, type, shape,
/// buffer and quantization, no data. `TFLiteRuntime.Tensor` is an interpreter tensor's snapshot.
package struct ModelTensor: Hashable, Sendable {
    /// The schema's `name` field.
    package var name: String
    /// The schema's `type` field.
    package var type: TensorType
    /// The schema's `shape` field.
    package var shape: [Int32]
    /// The shape with -1 for dynamic dimensions, when the converter recorded it.
    package var shapeSignature: [Int32]?
    /// Index into `Model.buffers` (0 is the empty sentinel buffer).
    package var buffer: UInt32
    /// The schema's `quantization` field.
    package var quantization: QuantizationParameters?
    /// The schema's `is_variable` field.
    package var isVariable: Bool
    /// The schema's `sparsity` field.
    package var sparsity: SparsityParameters?
    /// The schema's `has_rank` field.
    package var hasRank: Bool

    /// The number of elements, or nil when a dimension is negative or the product overflows.
    package var elementCount: Int? { Self.elementCount(of: shape) }

    /// The number of elements of `shape`, or nil when a dimension is negative or the product
    /// overflows.
    package static func elementCount<S: Sequence>(of shape: S) -> Int? where S.Element: BinaryInteger {
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
package struct Operator: @unchecked Sendable {
    /// The schema's `opcode_index` field.
    package var opcodeIndex: UInt32
    /// Tensor indices; -1 marks an omitted optional input.
    package var inputs: [Int32]
    /// The schema's `outputs` field.
    package var outputs: [Int32]
    /// The schema's `intermediates` field.
    package var intermediates: [Int32]
    /// `BuiltinOptions` union member index (0 = none) and its table.
    package var builtinOptionsType: UInt8
    package var builtinOptions: FlatBufferTable?
    /// `BuiltinOptions2` union member index (0 = none) and its table.
    package var builtinOptions2Type: UInt8
    package var builtinOptions2: FlatBufferTable?
    /// Custom options bytes (FlexBuffer), either inline or at `large_custom_options_offset`.
    package var customOptions: UnsafeRawBufferPointer?
}

/// A subgraph: tensors, operators, and which tensors are its inputs and outputs.
package struct Subgraph: Sendable {
    /// The schema's `name` field.
    package var name: String?
    /// The schema's `tensors` field.
    package var tensors: [ModelTensor]
    /// The schema's `inputs` field.
    package var inputs: [Int32]
    /// The schema's `outputs` field.
    package var outputs: [Int32]
    /// The schema's `operators` field.
    package var operators: [Operator]
}

/// A data buffer. Small models store bytes inline in the FlatBuffer; models over 2 GB store them
/// after it, at `offset` from the start of the file.
package struct Buffer: Hashable, Sendable {
    /// Where the bytes are in the file (inline or via offset), nil when the buffer is empty.
    package var range: Range<Int>?
    /// Raw `offset` and `size` fields (non-zero offset means data outside the FlatBuffer).
    package var offset: UInt64
    /// The schema's `size` field.
    package var size: UInt64
}

/// An entry of `Model.metadata`: a named buffer (`TFLITE_METADATA`, `min_runtime_version`, …).
package struct MetadataEntry: Hashable, Sendable {
    /// The schema's `name` field.
    package var name: String
    /// The schema's `buffer` field.
    package var buffer: UInt32
}

/// A signature: named inputs and outputs of one subgraph.
package struct SignatureDef: Hashable, Sendable {
    /// A signature name bound to a tensor index of the subgraph.
    package struct TensorMap: Hashable, Sendable {
        /// The schema's `name` field.
        package var name: String
        /// The schema's `tensor_index` field.
        package var tensorIndex: UInt32
    }
    /// The schema's `key` field.
    package var key: String
    /// The schema's `subgraph_index` field.
    package var subgraphIndex: UInt32
    /// The schema's `inputs` field.
    package var inputs: [TensorMap]
    /// The schema's `outputs` field.
    package var outputs: [TensorMap]
}
