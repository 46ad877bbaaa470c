import Foundation
import Testing
import TestSupport
@_spi(GeneratedCode) @testable import TFLiteRuntime
import TFLiteMetadata

/// float32 RESIZE_BILINEAR runs a row at a time in C (`tfl_resize_bilinear_row_f32`) with
/// output rows split over the pool. The conformance cases `resize_bilinear_*` compare small
/// shapes with LiteRT; here, outputs large enough to split, channel counts below, at and past
/// a vector, in each coordinate mode, at every kernel level and on 1, 2 and 3 threads, against
/// LiteRT's reference formula (same order of operations, so equal bits).
struct ResizeBilinearFloatTests {
    /// `RESIZE_BILINEAR(x, size)` of `[1, h, w, depth]` to `[1, outH, outW, depth]`.
    static func model(_ input: [Int], _ size: (Int, Int), alignCorners: Bool, halfPixelCenters: Bool) throws -> Data {
        let sizeBytes = [Int32(size.0), Int32(size.1)].withUnsafeBytes { Array($0) }
        return Data(try FlatBufferSchema.model.binary(fromJSON: """
        { "version": 3,
          "operator_codes": [{ "deprecated_builtin_code": 23, "builtin_code": "RESIZE_BILINEAR", "version": 3 }],
          "subgraphs": [{
            "tensors": [
              { "shape": \(input), "type": "FLOAT32", "buffer": 0, "name": "x" },
              { "shape": [2], "type": "INT32", "buffer": 1, "name": "size" },
              { "shape": [1, \(size.0), \(size.1), \(input[3])], "type": "FLOAT32", "buffer": 0, "name": "y" }
            ],
            "inputs": [0], "outputs": [2],
            "operators": [{ "opcode_index": 0, "inputs": [0, 1], "outputs": [2],
                            "builtin_options_type": "ResizeBilinearOptions",
                            "builtin_options": { "align_corners": \(alignCorners), "half_pixel_centers": \(halfPixelCenters) } }]
          }],
          "buffers": [{}, { "data": \(sizeBytes) }]
        }
        """))
    }

    /// LiteRT's reference: source position, lower and upper pixels, then
    /// `a·(1−dy)·(1−dx) + b·dy·(1−dx) + c·(1−dy)·dx + d·dy·dx` in that order.
    static func reference(_ x: [Float], _ input: [Int], _ size: (Int, Int), alignCorners: Bool, halfPixelCenters: Bool) -> [Float] {
        let (h, w, depth) = (input[1], input[2], input[3])
        func scale(_ inSize: Int, _ outSize: Int) -> Float {
            alignCorners && outSize > 1 ? Float(inSize - 1) / Float(outSize - 1) : Float(inSize) / Float(outSize)
        }
        func source(_ v: Int, _ s: Float, _ n: Int) -> (Float, Int, Int) {
            let scaled = halfPixelCenters ? (Float(v) + 0.5) * s - 0.5 : Float(v) * s
            return (scaled, max(Int(scaled.rounded(.down)), 0), min(Int(scaled.rounded(.up)), n - 1))
        }
        var y: [Float] = []
        for oy in 0..<size.0 {
            let (sy, y0, y1) = source(oy, scale(h, size.0), h)
            let dy = sy - Float(y0)
            for ox in 0..<size.1 {
                let (sx, x0, x1) = source(ox, scale(w, size.1), w)
                let dx = sx - Float(x0)
                for c in 0..<depth {
                    var v = x[(y0 * w + x0) * depth + c] * (1 - dy) * (1 - dx)
                    v += x[(y1 * w + x0) * depth + c] * dy * (1 - dx)
                    v += x[(y0 * w + x1) * depth + c] * (1 - dy) * dx
                    v += x[(y1 * w + x1) * depth + c] * dy * dx
                    y.append(v)
                }
            }
        }
        return y
    }

    @Test(arguments: [(false, false), (true, false), (false, true)])
    func float32MatchesReference(_ alignCorners: Bool, _ halfPixelCenters: Bool) throws {
        var generator = SystemRandomNumberGenerator()
        for (input, size) in [([1, 12, 12, 21], (96, 96)), ([1, 7, 9, 5], (40, 33)), ([1, 20, 16, 3], (9, 70)), ([1, 5, 6, 16], (11, 13)),
                              ([1, 4, 5, 40], (17, 9))] {
            let x = (0..<input.reduce(1, *)).map { _ in Float.random(in: -3...3, using: &generator) }
            let data = try Self.model(input, size, alignCorners: alignCorners, halfPixelCenters: halfPixelCenters)
            let expected = Self.reference(x, input, size, alignCorners: alignCorners, halfPixelCenters: halfPixelCenters)
            for variant in KernelVariant.allCases where variant.isSupported {
                for threads in 1...3 {
                    var y: [Float] = []
                    try variant.run { () throws in
                        y = try Interpreter.firstOutput(of: data, inputs: [Data(x.withUnsafeBytes { $0 })], threads: threads, as: Float.self)
                    }
                    #expect(y == expected, "\(input) → \(size), align \(alignCorners), half \(halfPixelCenters), \(variant), \(threads) threads")
                }
            }
        }
    }
}
