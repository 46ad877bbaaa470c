import TFLiteModel

/// A convolution whose every output reads a single filter tap inside the input, all the others
/// lying in the padding (a 3 × 3 or 1 × 3 filter over a 1 × 1 map: Inception's last blocks at
/// small input sizes), runs as the 1 × 1 convolution of that tap: the GEMM then reads one
/// tap's weights instead of all of them (nine times fewer bytes for 3 × 3).
///
/// The results are the full convolution's bit for bit. 8-bit sums are exact and a padding tap
/// reads the zero point, adding (zp − zp)·w = 0. float32 padding taps read +0 and add
/// fma(0, w, s) = s exactly while w is finite (each remaining tap keeps its place in the order
/// of fused multiply-adds), so float filters qualify only when every dropped weight is finite.
struct ConvSingleTap: Equatable {
    /// The tap every output reads inside the input.
    let ky: Int
    let kx: Int
    /// The full filter's taps.
    let filterHeight: Int
    let filterWidth: Int

    /// The tap, when `g` (one group) reads one tap only and reads it as a pointwise convolution
    /// would: output pixel (y, x) reads input pixel (y, x).
    static func find(_ g: ConvGeometry) -> ConvSingleTap? {
        guard g.taps > 1, g.inputHeight == g.outputHeight, g.inputWidth == g.outputWidth else { return nil }
        guard let ky = valid(taps: g.filterHeight, input: g.inputHeight, output: g.outputHeight, stride: g.strideHeight,
                             dilation: g.dilationHeight, padding: g.paddingHeight),
              let kx = valid(taps: g.filterWidth, input: g.inputWidth, output: g.outputWidth, stride: g.strideWidth,
                             dilation: g.dilationWidth, padding: g.paddingWidth) else { return nil }
        return ConvSingleTap(ky: ky, kx: kx, filterHeight: g.filterHeight, filterWidth: g.filterWidth)
    }

    /// The only tap along one axis that any output reads inside the input, if there is one and
    /// output i reads input i through it.
    private static func valid(taps: Int, input: Int, output: Int, stride: Int, dilation: Int, padding: Int) -> Int? {
        var found: Int?
        for k in 0..<taps {
            let inside = (0..<output).contains { o in
                let i = o * stride - padding + k * dilation
                return i >= 0 && i < input
            }
            guard inside else { continue }
            if found != nil { return nil }
            found = k
        }
        guard let k = found else { return nil }
        let pointwise = (0..<output).allSatisfy { o in o * stride - padding + k * dilation == o }
        return pointwise ? k : nil
    }

    /// The 1 × 1 convolution's geometry.
    func geometry(_ g: ConvGeometry) -> ConvGeometry {
        var reduced = g
        reduced.filterHeight = 1
        reduced.filterWidth = 1
        reduced.strideHeight = 1
        reduced.strideWidth = 1
        reduced.dilationHeight = 1
        reduced.dilationWidth = 1
        reduced.paddingHeight = 0
        reduced.paddingWidth = 0
        return reduced
    }

    /// Values in the full filter (`channels` × taps × `depth`).
    func fullCount(channels: Int, depth: Int) -> Int { channels * filterHeight * filterWidth * depth }

    /// The tap's weights, `[channel][depth]`, from the full filter `[channel][ky][kx][depth]`.
    func slice<T>(_ weights: UnsafePointer<T>, channels: Int, depth: Int) -> [T] {
        let taps = filterHeight * filterWidth, tap = ky * filterWidth + kx
        var sliced = [T]()
        sliced.reserveCapacity(channels * depth)
        for c in 0..<channels {
            let start = (c * taps + tap) * depth
            for d in 0..<depth { sliced.append(weights[start + d]) }
        }
        return sliced
    }

    /// Whether every weight the 1 × 1 convolution drops is finite (float32 filters).
    func dropsOnlyFinite(_ weights: UnsafePointer<Float>, channels: Int, depth: Int) -> Bool {
        let taps = filterHeight * filterWidth, tap = ky * filterWidth + kx
        for c in 0..<channels {
            for t in 0..<taps where t != tap {
                let start = (c * taps + t) * depth
                for d in 0..<depth where !weights[start + d].isFinite { return false }
            }
        }
        return true
    }
}
