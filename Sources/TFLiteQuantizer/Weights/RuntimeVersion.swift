import TFLiteModel

/// The oldest TensorFlow Lite runtime that runs an operator at a version, for the operators the
/// quantizer changes (published facts of LiteRT's `runtime_version`; the converter writes the
/// maximum over a model's operators as its `min_runtime_version` metadata entry).
package enum RuntimeVersion {
    static let table: [BuiltinOperator: [Int32: String]] = [
        .dequantize: [1: "1.13.1", 2: "1.14.0", 3: "1.15.0", 4: "2.2.0", 5: "2.7.0"],
        .unidirectionalSequenceLstm: [1: "1.13.1", 2: "2.3.0", 3: "2.3.0"],
        .conv2D: [1: "1.5.0", 2: "1.14.0", 3: "1.14.0", 4: "2.3.0", 5: "2.4.0", 6: "2.9.0"],
        .depthwiseConv2D: [1: "1.5.0", 2: "1.12.0", 3: "1.14.0", 4: "2.2.0", 5: "2.3.0", 6: "2.3.0"],
        .fullyConnected: [1: "1.5.0", 2: "1.10.0", 3: "1.14.0", 4: "1.14.0", 5: "2.0.0", 6: "2.1.0", 7: "2.3.0",
                          8: "2.3.0", 9: "2.3.0", 12: "2.17.0"],
        .batchMatmul: [1: "2.3.0", 2: "2.3.0", 3: "2.4.0", 4: "2.5.0"],
        .embeddingLookup: [1: "1.13.0", 2: "1.14.0", 3: "1.14.0"],
        .gather: [1: "1.6.0", 2: "1.14.0", 3: "1.15.0", 4: "2.4.0", 5: "2.5.0"],
    ]

    /// The runtime version `code` needs at `version`, when known.
    package static func required(_ code: BuiltinOperator, version: Int32) -> String? {
        table[code]?[version]
    }

    /// Whether dotted version `a` is older than `b` (`1.15.0` < `2.4.0`; missing parts count
    /// as older).
    public static func isOlder(_ a: String, than b: String) -> Bool {
        let left = a.split(separator: ".").map { Int($0) ?? 0 }, right = b.split(separator: ".").map { Int($0) ?? 0 }
        for (x, y) in zip(left, right) where x != y { return x < y }
        return left.count < right.count
    }

    /// The newest of `versions`.
    public static func newest(_ versions: [String]) -> String? {
        versions.reduce(nil) { result, version in
            guard let result else { return version }
            return isOlder(result, than: version) ? version : result
        }
    }
}
