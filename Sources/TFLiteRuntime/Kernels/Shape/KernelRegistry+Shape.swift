import TFLiteModel

extension KernelRegistry {
    /// Shape and data-movement operators.
    static var shapeKernels: [BuiltinOperator: KernelFactory] {
        [
            .init(rawValue: 22): { node throws(InterpreterError) in try shapeOnly(ReshapeKernel(node), node, inputs: 1...2) },  // RESHAPE
            .init(rawValue: 43): { node throws(InterpreterError) in try shapeOnly(SqueezeKernel(node), node, inputs: 1...1) },  // SQUEEZE
            .init(rawValue: 70): { node throws(InterpreterError) in try shapeOnly(ExpandDimsKernel(node), node, inputs: 2...2) },  // EXPAND_DIMS
            .init(rawValue: 77): { node throws(InterpreterError) in try ShapeKernel(node) },  // SHAPE
            .init(rawValue: 2): { node throws(InterpreterError) in try ConcatenationKernel(node) },  // CONCATENATION
            .init(rawValue: 83): { node throws(InterpreterError) in try ConcatenationKernel(node, pack: true) },  // PACK
            .init(rawValue: 88): { node throws(InterpreterError) in try SplitKernel(node, kind: .unpack) },  // UNPACK
            .init(rawValue: 49): { node throws(InterpreterError) in try SplitKernel(node, kind: .split) },  // SPLIT
            .init(rawValue: 102): { node throws(InterpreterError) in try SplitKernel(node, kind: .splitV) },  // SPLIT_V
            .init(rawValue: 65): { node throws(InterpreterError) in try SliceKernel(node) },  // SLICE
            .init(rawValue: 45): { node throws(InterpreterError) in try StridedSliceKernel(node) },  // STRIDED_SLICE
            .init(rawValue: 34): { node throws(InterpreterError) in try PadKernel(node, v2: false) },  // PAD
            .init(rawValue: 60): { node throws(InterpreterError) in try PadKernel(node, v2: true) },  // PADV2
            .init(rawValue: 100): { node throws(InterpreterError) in try MirrorPadKernel(node) },  // MIRROR_PAD
            .init(rawValue: 39): { node throws(InterpreterError) in try TransposeKernel(node) },  // TRANSPOSE
            .init(rawValue: 69): { node throws(InterpreterError) in try TileKernel(node) },  // TILE
            .init(rawValue: 36): { node throws(InterpreterError) in try GatherKernel(node) },  // GATHER
            .init(rawValue: 107): { node throws(InterpreterError) in try GatherNDKernel(node) },  // GATHER_ND
            .init(rawValue: 7): { node throws(InterpreterError) in try EmbeddingLookupKernel(node) },  // EMBEDDING_LOOKUP
            .init(rawValue: 53): { node throws(InterpreterError) in try CastKernel(node) },  // CAST
            .init(rawValue: 94): { node throws(InterpreterError) in try FillKernel(node) },  // FILL
            .init(rawValue: 93): { node throws(InterpreterError) in try ZerosLikeKernel(node) },  // ZEROS_LIKE
            .init(rawValue: 123): { node throws(InterpreterError) in try SelectKernel(node, v2: true) },  // SELECT_V2
            .init(rawValue: 64): { node throws(InterpreterError) in try SelectKernel(node, v2: false) },  // SELECT
        ]
    }

    private static func shapeOnly(_ kernel: ShapeOnlyKernel, _ node: Node, inputs: ClosedRange<Int>) throws(InterpreterError) -> any Kernel {
        try node.expect(inputs: inputs, outputs: 1...1)
        return kernel
    }
}
