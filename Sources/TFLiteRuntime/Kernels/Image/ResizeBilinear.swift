import Foundation
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
        case .float32: resizeFloat(input.buffer(Float.self), output.buffer(Float.self), rounding: 0) { $0 }
        case .uint8:
            resizeFloat(input.buffer(UInt8.self), output.buffer(UInt8.self), rounding: 0.5) { value in
                UInt8(truncatingIfNeeded: truncateToInt32(value))
            }
        case .int8: resizeInteger(input.buffer(Int8.self), output.buffer(Int8.self))
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
