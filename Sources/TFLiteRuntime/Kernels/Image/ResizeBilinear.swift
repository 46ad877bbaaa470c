import CTFLiteKernels
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TFLiteModel

/// RESIZE_BILINEAR on NHWC tensors to a constant `[height, width]`, with `align_corners` and
/// `half_pixel_centers`.
///
/// float32 and uint8 interpolate in float like LiteRT's reference `ResizeBilinear` (uint8 adds
/// 0.5 and truncates); int8 and int16 use LiteRT's integer path (`ResizeBilinearInteger`):
/// positions in 10-bit fixed point, products in 20 bits, rounded half away from zero.
final class ResizeBilinearKernel: Kernel {
    private let node: Node
    private let alignCorners: Bool
    private let halfPixelCenters: Bool
    private var geometry = ResizeGeometry()

    init(_ node: Node) throws(InterpreterError) {
        try node.expect(inputs: 2...2, outputs: 1...1)
        self.node = node
        let options = try node.options(expecting: ResizeBilinearOptions.self)
        alignCorners = options.alignCorners
        halfPixelCenters = options.halfPixelCenters
        if alignCorners && halfPixelCenters {
            throw node.invalid("align_corners and half_pixel_centers cannot both be set")
        }
    }

    func prepare(_ tensors: TensorTable) throws(InterpreterError) {
        let input = tensors[try node.input(0)]
        switch input.type {
        case .float32, .uint8, .int8, .int16: break
        default: throw node.unsupported("input type \(input.type) is not supported")
        }
        geometry = try ResizeGeometry(node, tensors)
        let outputIndex = try node.output(0)
        guard tensors[outputIndex].type == input.type else {
            throw node.invalid("output type \(tensors[outputIndex].type) differs from input type \(input.type)")
        }
        tensors[outputIndex].shape = geometry.outputShape
    }

    func run(_ tensors: TensorTable) throws(InterpreterError) {
        let input = tensors[try node.input(0)]
        let output = tensors[try node.output(0)]
        guard input.elementCount == geometry.inputCount, output.elementCount == geometry.outputCount else {
            throw node.failure("tensor sizes changed after prepare")
        }
        switch input.type {
        case .float32:
            if !resizeFloat32(input.buffer(Float.self), output.buffer(Float.self), tensors.pool) {
                resizeFloat(input.buffer(Float.self), output.buffer(Float.self), rounding: 0) { $0 }
            }
        case .uint8:
            resizeFloat(input.buffer(UInt8.self), output.buffer(UInt8.self), rounding: 0.5) { value in
                UInt8(truncatingIfNeeded: truncateToInt32(value))
            }
        case .int8:
            if !resizeInt8Rows(input.buffer(Int8.self), output.buffer(Int8.self)) {
                resizeInteger(input.buffer(Int8.self), output.buffer(Int8.self))
            }
        case .int16: resizeInteger(input.buffer(Int16.self), output.buffer(Int16.self))
        default: throw node.unsupported("input type \(input.type) is not supported")
        }
    }

    // MARK: float path

    private func floatScale(_ inputSize: Int, _ outputSize: Int) -> Float {
        if alignCorners && outputSize > 1 { return Float(inputSize - 1) / Float(outputSize - 1) }
        return Float(inputSize) / Float(outputSize)
    }

    @inline(__always)
    private func interpolationValues(_ value: Int, scale: Float, inputSize: Int) -> (Float, Int, Int) {
        let scaled = halfPixelCenters ? (Float(value) + 0.5) * scale - 0.5 : Float(value) * scale
        // Clamped to the image on both sides (LiteRT clamps lower at 0 and upper at size-1; the
        // extra clamps only matter for sizes where float rounding could step past the edge).
        let lower = min(max(Int(scaled.rounded(.down)), 0), max(inputSize - 1, 0))
        let upper = max(min(Int(scaled.rounded(.up)), inputSize - 1), 0)
        return (scaled, lower, upper)
    }

    /// Output values below which float32 stays on one thread.
    static let floatValuesPerThread = 1 << 13

    /// float32: the same arithmetic as ``resizeFloat(_:_:rounding:_:)`` (LiteRT's order of
    /// operations), a row at a time by `tfl_resize_bilinear_row_f32` (vectors across the
    /// channels) with each column's source pixels and fraction computed once, output rows split
    /// over the pool. Returns false (nothing written) where a row's offsets would not fit in 32 bits.
    private func resizeFloat32(_ input: UnsafeMutableBufferPointer<Float>, _ output: UnsafeMutableBufferPointer<Float>,
                               _ pool: ThreadPool) -> Bool {
        let g = geometry
        guard g.inputWidth * g.depth < Int(Int32.max) else { return false }
        guard let input = input.baseAddress, let output = output.baseAddress else { return g.outputCount == 0 }
        let heightScale = floatScale(g.inputHeight, g.outputHeight)
        let widthScale = floatScale(g.inputWidth, g.outputWidth)
        let depth = g.depth
        var x0 = [Int32](), x1 = [Int32](), fx = [Float]()
        x0.reserveCapacity(g.outputWidth); x1.reserveCapacity(g.outputWidth); fx.reserveCapacity(g.outputWidth)
        for x in 0..<g.outputWidth {
            let (inputX, left, right) = interpolationValues(x, scale: widthScale, inputSize: g.inputWidth)
            x0.append(Int32(left * depth)); x1.append(Int32(right * depth)); fx.append(inputX - Float(left))
        }
        let rowValues = max(1, g.outputWidth * depth)
        pool.parallelFor(g.batches * g.outputHeight, minimumPerThread: max(1, Self.floatValuesPerThread / rowValues)) { rows in
            for row in rows {
                let b = row / g.outputHeight, y = row % g.outputHeight
                let (inputY, y0, y1) = interpolationValues(y, scale: heightScale, inputSize: g.inputHeight)
                let top = input + (b * g.inputHeight + y0) * g.inputWidth * depth
                let bottom = input + (b * g.inputHeight + y1) * g.inputWidth * depth
                tfl_resize_bilinear_row_f32(output + row * rowValues, top, bottom, x0, x1, fx, inputY - Float(y0), g.outputWidth, depth)
            }
        }
        return true
    }

    private func resizeFloat<T>(_ input: UnsafeMutableBufferPointer<T>, _ output: UnsafeMutableBufferPointer<T>,
                                rounding: Float, _ convert: (Float) -> T) where T: BilinearSample {
        let g = geometry
        let heightScale = floatScale(g.inputHeight, g.outputHeight)
        let widthScale = floatScale(g.inputWidth, g.outputWidth)
        let depth = g.depth
        var out = 0
        for b in 0..<g.batches {
            let batchBase = b * g.inputHeight * g.inputWidth * depth
            for y in 0..<g.outputHeight {
                let (inputY, y0, y1) = interpolationValues(y, scale: heightScale, inputSize: g.inputHeight)
                let dy = inputY - Float(y0)
                for x in 0..<g.outputWidth {
                    let (inputX, x0, x1) = interpolationValues(x, scale: widthScale, inputSize: g.inputWidth)
                    let dx = inputX - Float(x0)
                    let i00 = batchBase + (y0 * g.inputWidth + x0) * depth
                    let i10 = batchBase + (y1 * g.inputWidth + x0) * depth
                    let i01 = batchBase + (y0 * g.inputWidth + x1) * depth
                    let i11 = batchBase + (y1 * g.inputWidth + x1) * depth
                    for c in 0..<depth {
                        // Same association order as LiteRT: ((a + b) + c) + d + rounding.
                        var value = input[i00 + c].floatValue * (1 - dy) * (1 - dx)
                        value += input[i10 + c].floatValue * dy * (1 - dx)
                        value += input[i01 + c].floatValue * (1 - dy) * dx
                        value += input[i11 + c].floatValue * dy * dx
                        output[out] = convert(value + rounding)
                        out += 1
                    }
                }
            }
        }
    }

    // MARK: integer path

    private func integerScale(_ inputSize: Int, _ outputSize: Int) -> Int64 {
        if alignCorners && outputSize > 1 {
            return (Int64(1 << 10) * Int64(inputSize - 1) + Int64(outputSize - 1) / 2) / Int64(outputSize - 1)
        }
        return (Int64(1 << 10) * Int64(inputSize) + Int64(outputSize) / 2) / Int64(outputSize)
    }

    @inline(__always)
    private func integerValues(_ value: Int, scale: Int64, inputSize: Int) -> (Int64, Int, Int) {
        let scaled = halfPixelCenters ? Int64(value) * scale + scale / 2 - (1 << 9) : Int64(value) * scale
        // C++ division truncates toward zero.
        let lower = min(max(Int(scaled / 1024), 0), max(inputSize - 1, 0))
        let upper = max(min(Int((scaled + 1023) / 1024), inputSize - 1), 0)
        return (scaled, lower, upper)
    }

    /// int8 in two passes (`tfl_resize_bilinear_columns_s8`, `tfl_resize_bilinear_rows_s8`): a
    /// source row's horizontal sums once, kept for the two source rows the current output row
    /// reads, then each output row as one blend of two of them, vectorized over the whole row
    /// whatever the channel count. The same integers as LiteRT's four-weight sum. False, having
    /// written nothing, when a sum could leave 32 bits (weights far outside 0 ... 1024, which
    /// only extreme sizes give).
    private func resizeInt8Rows(_ input: UnsafeMutableBufferPointer<Int8>, _ output: UnsafeMutableBufferPointer<Int8>) -> Bool {
        let g = geometry
        guard let source = input.baseAddress, let target = output.baseAddress else { return g.outputCount == 0 }
        let heightScale = integerScale(g.inputHeight, g.outputHeight)
        let widthScale = integerScale(g.inputWidth, g.outputWidth)
        let depth = g.depth, one: Int64 = 1 << 10
        var x0 = [Int32](), x1 = [Int32](), fx = [Int32]()
        x0.reserveCapacity(g.outputWidth); x1.reserveCapacity(g.outputWidth); fx.reserveCapacity(g.outputWidth)
        var widest: Int64 = 0
        for x in 0..<g.outputWidth {
            let (inputX, left, right) = integerValues(x, scale: widthScale, inputSize: g.inputWidth)
            let f = inputX - one * Int64(left)
            guard abs(f) < 1 << 20 else { return false }
            widest = max(widest, abs(one - f) + abs(f))
            x0.append(Int32(left * depth)); x1.append(Int32(right * depth)); fx.append(Int32(f))
        }
        var tallest: Int64 = 0
        for y in 0..<g.outputHeight {
            let (inputY, top, _) = integerValues(y, scale: heightScale, inputSize: g.inputHeight)
            let f = inputY - one * Int64(top)
            guard abs(f) < 1 << 20 else { return false }
            tallest = max(tallest, abs(one - f) + abs(f))
        }
        guard 128 * widest * tallest + (1 << 20) < Int64(Int32.max), g.inputWidth * depth < Int(Int32.max) else { return false }
        let rowSize = g.inputWidth * depth, outputRow = g.outputWidth * depth
        // Two slots of horizontal sums; `held` names the source row each holds (−1: none).
        var sums = [Int32](repeating: 0, count: 2 * outputRow)
        sums.withUnsafeMutableBufferPointer { slots in
            guard let base = slots.baseAddress else { return }
            var out = target
            for b in 0..<g.batches {
                let image = source + b * g.inputHeight * rowSize
                var held = (-1, -1)
                // The slot holding source row `row`, filling the one not holding `keep` if neither does.
                func slot(_ row: Int, keeping keep: Int) -> UnsafeMutablePointer<Int32> {
                    if held.0 == row { return base }
                    if held.1 == row { return base + outputRow }
                    let second = held.0 == keep
                    let h = second ? base + outputRow : base
                    tfl_resize_bilinear_columns_s8(h, image + row * rowSize, x0, x1, fx, g.outputWidth, depth)
                    if second { held.1 = row } else { held.0 = row }
                    return h
                }
                for y in 0..<g.outputHeight {
                    let (inputY, top, bottom) = integerValues(y, scale: heightScale, inputSize: g.inputHeight)
                    let upper = slot(top, keeping: bottom), lower = slot(bottom, keeping: top)
                    tfl_resize_bilinear_rows_s8(out, upper, lower, Int32(inputY - one * Int64(top)), outputRow)
                    out += outputRow
                }
            }
        }
        return true
    }

    private func resizeInteger<T: FixedWidthInteger>(_ input: UnsafeMutableBufferPointer<T>,
                                                     _ output: UnsafeMutableBufferPointer<T>) {
        let g = geometry
        let heightScale = integerScale(g.inputHeight, g.outputHeight)
        let widthScale = integerScale(g.inputWidth, g.outputWidth)
        let depth = g.depth
        let one: Int64 = 1 << 10
        var out = 0
        for b in 0..<g.batches {
            let batchBase = b * g.inputHeight * g.inputWidth * depth
            for y in 0..<g.outputHeight {
                let (inputY, y0, y1) = integerValues(y, scale: heightScale, inputSize: g.inputHeight)
                let fy = inputY - one * Int64(y0)
                for x in 0..<g.outputWidth {
                    let (inputX, x0, x1) = integerValues(x, scale: widthScale, inputSize: g.inputWidth)
                    let fx = inputX - one * Int64(x0)
                    let i00 = batchBase + (y0 * g.inputWidth + x0) * depth
                    let i10 = batchBase + (y1 * g.inputWidth + x0) * depth
                    let i01 = batchBase + (y0 * g.inputWidth + x1) * depth
                    let i11 = batchBase + (y1 * g.inputWidth + x1) * depth
                    for c in 0..<depth {
                        let sum = Int64(input[i00 + c]) * (one - fy) * (one - fx)
                            + Int64(input[i10 + c]) * fy * (one - fx)
                            + Int64(input[i01 + c]) * (one - fy) * fx
                            + Int64(input[i11 + c]) * fy * fx
                        let round: Int64 = sum > 0 ? 1 << 19 : -(1 << 19)
                        output[out] = T(truncatingIfNeeded: (sum + round) / (1 << 20))
                        out += 1
                    }
                }
            }
        }
    }
}

/// Element types the float interpolation reads.
protocol BilinearSample {
    var floatValue: Float { get }
}

extension Float: BilinearSample {
    var floatValue: Float { self }
}

extension UInt8: BilinearSample {
    var floatValue: Float { Float(self) }
}

/// C++ `static_cast<int32_t>(float)` for values in range (truncation toward zero); values
/// outside saturate instead of being undefined.
private func truncateToInt32(_ value: Float) -> Int32 {
    if value.isNaN { return 0 }
    if value >= 2_147_483_648 { return .max }
    if value <= -2_147_483_648 { return .min }
    return Int32(value.rounded(.towardZero))
}
