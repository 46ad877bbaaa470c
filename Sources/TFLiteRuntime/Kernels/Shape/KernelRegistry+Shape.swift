import TFLiteModel

extension KernelRegistry {
    /// Shape and data-movement operators.
    static var shapeKernels: KeyValuePairs<BuiltinOperator, KernelFactory> {
        [
            .reshape: { node throws(InterpreterError) in try shapeOnly(ReshapeKernel(node), node, inputs: 1...2) },
            .squeeze: { node throws(InterpreterError) in try shapeOnly(SqueezeKernel(node), node, inputs: 1...1) },
            .expandDims: { node throws(InterpreterError) in try shapeOnly(ExpandDimsKernel(node), node, inputs: 2...2) },
            .shape: ShapeKernel.init,
            .concatenation: { node throws(InterpreterError) in try ConcatenationKernel(node) },
            .pack: { node throws(InterpreterError) in try ConcatenationKernel(node, pack: true) },
            .unpack: { node throws(InterpreterError) in try SplitKernel(node, kind: .unpack) },
            .split: { node throws(InterpreterError) in try SplitKernel(node, kind: .split) },
            .splitV: { node throws(InterpreterError) in try SplitKernel(node, kind: .splitV) },
            .slice: SliceKernel.init,
            .stridedSlice: StridedSliceKernel.init,
            .pad: { node throws(InterpreterError) in try PadKernel(node, v2: false) },
            .padv2: { node throws(InterpreterError) in try PadKernel(node, v2: true) },
            .mirrorPad: MirrorPadKernel.init,
            .transpose: TransposeKernel.init,
            .tile: TileKernel.init,
            .gather: GatherKernel.init,
            .gatherNd: GatherNDKernel.init,
            .embeddingLookup: EmbeddingLookupKernel.init,
            .cast: CastKernel.init,
            .fill: FillKernel.init,
            .zerosLike: ZerosLikeKernel.init,
            .selectV2: { node throws(InterpreterError) in try SelectKernel(node, v2: true) },
            .select: { node throws(InterpreterError) in try SelectKernel(node, v2: false) },
            .reverseV2: ReverseV2Kernel.init,
            .broadcastTo: BroadcastToKernel.init,
            .oneHot: OneHotKernel.init,
            .spaceToBatchNd: { node throws(InterpreterError) in try SpaceBatchNDKernel(node, .spaceToBatch) },
            .batchToSpaceNd: { node throws(InterpreterError) in try SpaceBatchNDKernel(node, .batchToSpace) },
            .dynamicUpdateSlice: DynamicUpdateSliceKernel.init,
            .range: RangeKernel.init,
            .scatterNd: ScatterNDKernel.init,
            .where: WhereKernel.init,
            .unique: UniqueKernel.init,
        ]
    }

    private static func shapeOnly(_ kernel: ShapeOnlyKernel, _ node: Node, inputs: ClosedRange<Int>) throws(InterpreterError) -> any Kernel {
        try node.expect(inputs: inputs, outputs: 1...1)
        return kernel
    }
}
