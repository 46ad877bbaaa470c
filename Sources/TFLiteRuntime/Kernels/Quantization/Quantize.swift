import CTFLiteKernels
import TFLiteModel

/// QUANTIZE: float32 → int8/uint8/int16, or requantization between int8, uint8 and int16 with
/// LiteRT's `Requantize`: `(q − zᵢ)` times the fixed-point multiplier of `sᵢ / sₒ`, plus `zₒ`,
/// clamped.
///
/// From float with one scale, as LiteRT's optimized `AffineQuantize`: `x × (1 / scale)` in
/// float32 (the reciprocal rounded to float32 once), rounded half to even, plus the zero point,
/// clamped. (Dividing in double and rounding halves away from zero, as the reference kernel
/// does, differs on values near a half: 7 % of a MobileNetV2 int16x8 input.) Per-channel scales
/// along the quantized dimension divide in double, rounding halves away from zero.
final class QuantizeKernel: Kernel {
    private let node: Node
    private var multiplier = FixedPoint.Multiplier(multiplier: 0, shift: 0)
    private var scales: [Double] = []
    private var zeroPoints: [Int32] = []
    private var inner = 1
    private var channels = 1
    private var inputZeroPoint: Int32 = 0
    private var outputZeroPoint: Int32 = 0

    init(_ node: Node) throws(InterpreterError) {
        try node.expect(inputs: 1...1, outputs: 1...1)
        self.node = node
    }

    func prepare(_ tensors: TensorTable) throws(InterpreterError) {
        let input = tensors[try node.input(0)]
        let outputIndex = try node.output(0)
        let output = tensors[outputIndex]
        guard ShapeOps.isQuantizedType(output.type) else {
            throw node.unsupported("quantize from \(input.type) to \(output.type) is not supported")
        }
        guard let quantization = output.quantization, quantization.scales.allSatisfy({ $0 > 0 && $0.isFinite }) else {
            throw node.invalid("the output needs positive quantization scales")
        }
        try ShapeOps.requireData(input, node, "the input")
        tensors[outputIndex].shape = input.shape
        switch input.type {
        case .float32:
            scales = quantization.scales.map(Double.init)
            zeroPoints = quantization.zeroPoints
            channels = 1
            inner = 1
            if quantization.scales.count > 1 {
                let dimension = quantization.dimension
                guard dimension >= 0, dimension < input.shape.count, input.shape[dimension] == quantization.scales.count,
                      zeroPoints.count == scales.count else {
                    throw node.invalid("\(quantization.scales.count) scales do not fit dimension \(dimension) of \(input.shape)")
                }
                channels = quantization.scales.count
                inner = try ShapeOps.count(Array(input.shape[(dimension + 1)...]), node)
            }
        case .int8, .uint8, .int16:
            guard let inputQuantization = input.quantization, inputQuantization.scale > 0, inputQuantization.scale.isFinite else {
                throw node.invalid("requantization needs input quantization")
            }
            guard quantization.scales.count == 1 else { throw node.unsupported("per-channel requantization") }
            multiplier = FixedPoint.Multiplier(Double(input.scale) / Double(output.scale))
            inputZeroPoint = input.zeroPoint
            outputZeroPoint = output.zeroPoint
        default:
            throw node.unsupported("quantize from \(input.type) to \(output.type) is not supported")
        }
    }

    func run(_ tensors: TensorTable) throws(InterpreterError) {
        let input = tensors[try node.input(0)]
        let output = tensors[try node.output(0)]
        guard let source = input.data, let destination = output.data else { return }
        let count = input.elementCount
        switch (input.type, output.type) {
        case (.float32, .int8): quantize(source, destination.assumingMemoryBound(to: Int8.self), count)
        case (.float32, .uint8): quantize(source, destination.assumingMemoryBound(to: UInt8.self), count)
        case (.float32, .int16): quantize(source, destination.assumingMemoryBound(to: Int16.self), count)
        case (.int8, _): requantize(source.assumingMemoryBound(to: Int8.self), destination, output.type, count)
        case (.uint8, _): requantize(source.assumingMemoryBound(to: UInt8.self), destination, output.type, count)
        case (.int16, _): requantize(source.assumingMemoryBound(to: Int16.self), destination, output.type, count)
        default: throw node.unsupported("quantize from \(input.type) to \(output.type) is not supported")
        }
    }

    private func quantize<T: FixedWidthInteger>(_ raw: UnsafeMutableRawPointer, _ output: UnsafeMutablePointer<T>, _ count: Int) {
        let input = raw.assumingMemoryBound(to: Float.self)
        if channels == 1, let scale = scales.first, let zeroPoint = zeroPoints.first {
            let reciprocal = 1 / Float(scale)
            if let type = DequantizeKernel.linearType(T.self) {
                tfl_quantize_linear(input, count, reciprocal, zeroPoint, type, output)  // the same arithmetic, vectorized
                return
            }
            let low = Float(T.min), high = Float(T.max), offset = Float(zeroPoint)
            for i in 0..<count {
                let scaled = (input[i] * reciprocal).rounded(.toNearestOrEven) + offset
                output[i] = scaled.isNaN ? T(clamping: zeroPoint) : T(min(max(scaled, low), high))
            }
            return
        }
        let low = Double(T.min), high = Double(T.max)
        for i in 0..<count {
            let channel = channels > 1 ? (i / inner) % channels : 0
            let scaled = (Double(input[i]) / scales[channel]).rounded(.toNearestOrAwayFromZero) + Double(zeroPoints[channel])
            output[i] = scaled.isNaN ? T(clamping: zeroPoints[channel]) : T(min(max(scaled, low), high))
        }
    }

    private func requantize<S: FixedWidthInteger>(_ input: UnsafeMutablePointer<S>, _ raw: UnsafeMutableRawPointer,
                                                  _ type: TensorType, _ count: Int) {
        if type == .int8 || type == .uint8, (-31...30).contains(multiplier.shift) {
            // 8-bit outputs: the vectorized requantization (the same gemmlowp arithmetic, for the
            // shifts LiteRT produces), a block of inputs less their zero point at a time.
            let low: Int32 = type == .int8 ? -128 : 0, high: Int32 = type == .int8 ? 127 : 255
            let output = raw.assumingMemoryBound(to: UInt8.self)
            let block = 1024
            withUnsafeTemporaryAllocation(of: Int32.self, capacity: block) { staged in
                guard let staged = staged.baseAddress else { return }
                var start = 0
                while start < count {
                    let n = min(block, count - start)
                    for i in 0..<n { staged[i] = Int32(input[start + i]) &- inputZeroPoint }
                    tfl_requantize_8bit_uniform(staged, multiplier.multiplier, Int32(clamping: multiplier.shift), outputZeroPoint,
                                                low, high, output + start, n)
                    start += n
                }
            }
            return
        }
        func write<T: FixedWidthInteger>(_ output: UnsafeMutablePointer<T>) {
            let low = Int32(T.min), high = Int32(T.max)
            for i in 0..<count {
                let value = FixedPoint.multiply(Int32(input[i]) &- inputZeroPoint, by: multiplier) &+ outputZeroPoint
                output[i] = T(truncatingIfNeeded: min(max(value, low), high))
            }
        }
        switch type {
        case .int8: write(raw.assumingMemoryBound(to: Int8.self))
        case .uint8: write(raw.assumingMemoryBound(to: UInt8.self))
        default: write(raw.assumingMemoryBound(to: Int16.self))
        }
    }
}
