import TFLiteModel

/// The oldest TensorFlow Lite runtime that runs each operator version (published facts of
/// LiteRT's runtime-version table). Converters write the newest of these over a model's
/// operators as its `min_runtime_version` metadata entry (a 16-byte, zero-padded string), and so
/// does the quantizer after raising operator versions.
package enum RuntimeVersion {
    /// Per operator, the runtime of versions 1, 2, …; an empty string is a version no runtime
    /// release lists.
    static let table: [BuiltinOperator: [String]] = [
        .abs: ["1.13.0", "2.4.0", "2.5.0", "2.6.0"],
        .add: ["1.5.0", "1.14.0", "2.4.0", "2.6.0"],
        .addN: ["1.14.0"],
        .argMax: ["1.9.0", "1.14.0", "2.9.0"],
        .argMin: ["1.9.0", "1.14.0", "2.9.0"],
        .assignVariable: ["2.6.0"],
        .averagePool2D: ["1.5.0", "1.14.0", "2.3.0"],
        .batchMatmul: ["2.3.0", "2.3.0", "2.4.0", "2.5.0"],
        .batchToSpaceNd: ["1.6.0", "1.14.0", "2.3.0"],
        .bidirectionalSequenceLstm: ["1.14.0", "1.14.0", "1.14.0"],
        .bidirectionalSequenceRnn: ["1.14.0", "1.14.0", "2.3.0"],
        .broadcastArgs: ["2.6.0"],
        .broadcastTo: ["", "2.5.0", "2.5.0"],
        .bucketize: ["2.8.0"],
        .callOnce: ["2.5.0"],
        .cast: ["1.5.0", "2.7.0", "2.8.0", "2.9.0"],
        .ceil: ["1.14.0"],
        .complexAbs: ["2.5.0"],
        .concatenation: ["1.5.0", "1.14.0", "2.3.0"],
        .conv2D: ["1.5.0", "1.14.0", "1.14.0", "2.3.0", "2.4.0", "2.9.0"],
        .conv3D: ["2.5.0"],
        .conv3DTranspose: ["2.6.0"],
        .cos: ["1.14.0"],
        .cumsum: ["2.4.0"],
        .densify: ["2.2.0"],
        .depthToSpace: ["2.1.0", "2.5.0"],
        .depthwiseConv2D: ["1.5.0", "1.12.0", "1.14.0", "2.2.0", "2.3.0", "2.3.0"],
        .dequantize: ["1.13.1", "1.14.0", "1.15.0", "2.2.0", "2.7.0"],
        .div: ["1.6.0", "2.3.0"],
        .dynamicUpdateSlice: ["2.9.0"],
        .elu: ["1.14.0"],
        .embeddingLookup: ["1.13.0", "1.14.0", "1.14.0"],
        .embeddingLookupSparse: ["1.5.0"],
        .equal: ["1.14.0", "1.14.0", "2.3.0"],
        .exp: ["1.7.0"],
        .expandDims: ["1.10.0"],
        .fakeQuant: ["1.5.0", "1.10.0"],
        .fill: ["1.13.0", "2.3.0", "2.5.0"],
        .floor: ["1.9.0"],
        .floorDiv: ["1.14.0", "1.14.0"],
        .floorMod: ["1.13.0"],
        .fullyConnected: ["1.5.0", "1.10.0", "1.14.0", "1.14.0", "2.0.0", "2.1.0", "2.3.0", "2.3.0", "2.3.0", "", "", "2.17.0"],
        .gather: ["1.6.0", "1.14.0", "1.15.0", "2.4.0", "2.5.0"],
        .gatherNd: ["1.14.0", "2.3.0", "2.5.0"],
        .gelu: ["2.9.0", "2.9.0"],
        .greater: ["1.14.0", "1.14.0"],
        .greaterEqual: ["1.14.0", "1.14.0"],
        .hardSwish: ["1.15.0"],
        .hashtable: ["2.5.0"],
        .hashtableFind: ["2.5.0"],
        .hashtableImport: ["2.5.0"],
        .hashtableLookup: ["1.5.0"],
        .hashtableSize: ["2.5.0"],
        .if: ["1.15.0"],
        .imag: ["2.5.0"],
        .l2Normalization: ["1.5.0", "1.14.0"],
        .l2Pool2D: ["1.5.0"],
        .leakyRelu: ["1.13.1", "2.3.0"],
        .less: ["1.14.0", "1.14.0"],
        .lessEqual: ["1.14.0", "1.14.0"],
        .localResponseNormalization: ["1.5.0"],
        .log: ["1.14.0"],
        .logicalAnd: ["1.11.0"],
        .logicalNot: ["1.11.0"],
        .logicalOr: ["1.11.0"],
        .logistic: ["1.14.0", "1.14.0", "2.3.0"],
        .logSoftmax: ["1.14.0", "1.14.0"],
        .lshProjection: ["1.5.0"],
        .lstm: ["1.7.0", "1.10.0", "1.14.0", "2.3.0"],
        .matrixDiag: ["1.14.0"],
        .matrixSetDiag: ["1.14.0"],
        .maximum: ["1.14.0", "1.14.0", "2.3.0", "2.3.0"],
        .maxPool2D: ["1.5.0", "1.14.0", "2.3.0"],
        .mean: ["1.6.0", "1.14.0", "2.4.0"],
        .minimum: ["1.14.0", "1.14.0", "2.3.0", "2.3.0"],
        .mirrorPad: ["1.13.1", "2.3.0"],
        .mul: ["1.5.0", "1.14.0", "1.15.0", "2.3.0", "2.6.0"],
        .multinomial: ["2.8.0"],
        .neg: ["1.9.0"],
        .nonMaxSuppressionV4: ["2.1.0"],
        .nonMaxSuppressionV5: ["2.1.0"],
        .notEqual: ["1.14.0", "1.14.0", "2.3.0"],
        .oneHot: ["1.11.0"],
        .pack: ["1.11.0", "1.14.0", "2.3.0"],
        .pad: ["1.5.0", "1.14.0", "2.4.0", "2.6.0"],
        .padv2: ["1.9.0", "1.14.0", "2.4.0", "2.6.0"],
        .pow: ["1.10.0"],
        .prelu: ["1.8.0"],
        .quantize: ["1.14.0", "1.15.0", "2.7.0"],
        .randomStandardNormal: ["2.8.0"],
        .randomUniform: ["2.8.0"],
        .range: ["1.13.0"],
        .rank: ["1.14.0"],
        .readVariable: ["2.6.0"],
        .real: ["2.5.0"],
        .reduceAll: ["2.6.0"],
        .reduceAny: ["1.11.0"],
        .reduceMax: ["1.11.0", "1.14.0", "2.5.0"],
        .reduceMin: ["1.11.0", "1.14.0", "2.5.0"],
        .reduceProd: ["1.11.0", "2.6.0"],
        .relu: ["1.5.0", "2.1.0", "2.5.0"],
        .relu0To1: ["2.10.0"],
        .relu6: ["1.5.0", "1.14.0", "2.5.0"],
        .reluN1To1: ["1.5.0"],
        .reshape: ["1.5.0"],
        .resizeBilinear: ["1.7.0", "1.14.0", "2.2.0", "2.5.0"],
        .resizeNearestNeighbor: ["1.13.1", "1.14.0", "2.3.0", "2.4.0"],
        .reverseSequence: ["1.14.0"],
        .reverseV2: ["1.14.0", "2.2.0", "2.5.0"],
        .rfft2D: ["2.5.0"],
        .rnn: ["1.5.0", "1.14.0", "2.3.0"],
        .round: ["1.14.0"],
        .rsqrt: ["1.10.0", "2.5.0"],
        .scatterNd: ["2.1.0"],
        .segmentSum: ["2.2.0"],
        .select: ["1.14.0", "1.14.0"],
        .selectV2: ["2.2.0"],
        .shape: ["1.10.0"],
        .sin: ["1.9.0"],
        .skipGram: ["1.5.0"],
        .slice: ["1.14.0", "1.14.0", "1.14.0", "2.4.0", "2.5.0"],
        .softmax: ["1.5.0", "1.14.0", "2.3.0"],
        .spaceToBatchNd: ["1.6.0", "1.14.0", "2.3.0"],
        .spaceToDepth: ["1.5.0", "1.14.0"],
        .sparseToDense: ["1.9.0", "1.14.0", "1.15.0"],
        .split: ["1.5.0", "1.14.0", "1.14.0", "2.3.0"],
        .splitV: ["1.13.1", "2.3.0"],
        .sqrt: ["1.10.0"],
        .square: ["1.12.0"],
        .squaredDifference: ["1.13.1", "2.5.0"],
        .squeeze: ["1.6.0", "2.5.0"],
        .stridedSlice: ["1.6.0", "1.14.0", "2.1.0", "2.2.0", "2.5.0", "2.6.0"],
        .sub: ["1.6.0", "1.14.0", "2.3.0", "2.4.0", "2.4.0"],
        .sum: ["1.10.0", "1.15.0"],
        .svdf: ["1.5.0", "1.14.0", "2.2.0", "2.3.0"],
        .tanh: ["1.14.0", "1.14.0", "2.3.0"],
        .tile: ["1.10.1", "2.2.0", "2.8.0"],
        .topkV2: ["1.7.0", "1.14.0"],
        .transpose: ["1.6.0", "1.14.0", "1.15.0", "2.3.0", "2.4.0"],
        .transposeConv: ["1.9.0", "2.2.0", "2.3.0"],
        .unidirectionalSequenceLstm: ["1.13.1", "1.14.0", "2.3.0"],
        .unidirectionalSequenceRnn: ["1.14.0", "1.14.0", "2.3.0"],
        .unique: ["1.14.0"],
        .unpack: ["1.11.0", "1.14.0", "2.2.0", "2.3.0"],
        .unsortedSegmentMax: ["2.10.0"],
        .unsortedSegmentMin: ["2.11.0"],
        .unsortedSegmentProd: ["2.10.0"],
        .unsortedSegmentSum: ["2.10.0"],
        .varHandle: ["2.6.0"],
        .where: ["1.14.0", "2.8.0"],
        .while: ["1.15.0"],
        .zerosLike: ["1.12.0"],
        .atan2: ["2.10.0"],
    ]

    /// The runtime version `code` needs at `version`, when known.
    package static func required(_ code: BuiltinOperator, version: Int32) -> String? {
        guard let versions = table[code], version >= 1, Int(version) <= versions.count else { return nil }
        let runtime = versions[Int(version) - 1]
        return runtime.isEmpty ? nil : runtime
    }

    /// Whether dotted version `a` is older than `b` (`1.15.0` < `2.4.0`; missing parts count
    /// as older).
    package static func isOlder(_ a: String, than b: String) -> Bool {
        let left = a.split(separator: ".").map { Int($0) ?? 0 }, right = b.split(separator: ".").map { Int($0) ?? 0 }
        for (x, y) in zip(left, right) where x != y { return x < y }
        return left.count < right.count
    }

    /// The newest of `versions`.
    package static func newest(_ versions: [String]) -> String? {
        versions.reduce(nil) { result, version in
            guard let result else { return version }
            return isOlder(result, than: version) ? version : result
        }
    }

    /// Raises the rewritten model's `min_runtime_version` to the newest runtime its operator
    /// codes need, when the model records one that is older (or empty). A model without the
    /// entry keeps having none, as converters only update an existing entry.
    static func update(_ rewriter: inout ModelRewriter) {
        guard let recorded = rewriter.model.minRuntimeVersion() else { return }
        var needed: [String] = []
        for index in rewriter.operatorCodes.indices {
            let table = rewriter.operatorCodes[index]
            let deprecated = (try? table.integer("deprecated_builtin_code", default: Int8(0))) ?? 0
            let builtin = (try? table.integer("builtin_code", default: Int32(0))) ?? 0
            let code = BuiltinOperator(rawValue: max(builtin, Int32(deprecated)))
            if let runtime = required(code, version: rewriter.version(ofCode: index)) { needed.append(runtime) }
        }
        guard let newest = newest(needed), recorded.isEmpty || isOlder(recorded, than: newest) else { return }
        var bytes = Array(newest.utf8)
        while bytes.count < 16 { bytes.append(0) }  // the converters' fixed-width field
        rewriter.setMetadataBuffer(named: "min_runtime_version", bytes: bytes)
    }
}
