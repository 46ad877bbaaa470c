import CTFLiteKernels
import TFLiteModel

/// DEQUANTIZE: int8/uint8/int16 → float32 as LiteRT's reference kernels compute it
/// (`scale × (q − zero_point)` in double precision per tensor; `(q − zᶜ) × sᶜ` in float per
/// channel), and float16 → float32. Constant weights fold at prepare.
final class DequantizeKernel: Kernel {
    private let node: Node
    private var scales: [Float] = []
    private var zeroPoints: [Int32] = []
    private var inner = 1
    private var channels = 1

    init(_ node: Node) throws(InterpreterError) {
        try node.expect(inputs: 1...1, outputs: 1...1)
        self.node = node
    }

    func prepare(_ tensors: TensorTable) throws(InterpreterError) {
        let input = tensors[try node.input(0)]
        let outputIndex = try node.output(0)
        guard tensors[outputIndex].type == .float32 else { throw node.unsupported("dequantize to \(tensors[outputIndex].type)") }
        try ShapeOps.requireData(input, node, "the input")
        tensors[outputIndex].shape = input.shape
        switch input.type {
        case .float16:
            return
        case .int8, .uint8, .int16:
            guard let quantization = input.quantization else { throw node.invalid("the input has no quantization") }
            scales = quantization.scales
            zeroPoints = quantization.zeroPoints
            channels = 1
            inner = 1
            if scales.count > 1 {
                let dimension = quantization.dimension
                guard dimension >= 0, dimension < input.shape.count, input.shape[dimension] == scales.count,
                      zeroPoints.count == scales.count else {
                    throw node.invalid("\(scales.count) scales do not fit dimension \(dimension) of \(input.shape)")
                }
                channels = scales.count
                inner = try ShapeOps.count(Array(input.shape[(dimension + 1)...]), node)
            }
        default:
            throw node.unsupported("dequantize from \(input.type) is not supported")
        }
    }

    func run(_ tensors: TensorTable) throws(InterpreterError) {
        let input = tensors[try node.input(0)]
        let output = tensors[try node.output(0)]
        guard let source = input.data, let destination = output.data?.assumingMemoryBound(to: Float.self) else { return }
        let count = input.elementCount
        switch input.type {
        case .float16:
            let half = source.assumingMemoryBound(to: UInt16.self)
            for i in 0..<count { destination[i] = Float(Float16(bitPattern: half[i])) }
        case .int8: dequantize(source.assumingMemoryBound(to: Int8.self), destination, count)
        case .uint8: dequantize(source.assumingMemoryBound(to: UInt8.self), destination, count)
        default: dequantize(source.assumingMemoryBound(to: Int16.self), destination, count)
        }
    }

    private func dequantize<T: FixedWidthInteger>(_ input: UnsafeMutablePointer<T>, _ output: UnsafeMutablePointer<Float>, _ count: Int) {
        if channels > 1 {
            for i in 0..<count {
                let channel = (i / inner) % channels
                output[i] = Float(Int32(input[i]) - zeroPoints[channel]) * scales[channel]
            }
        } else {
            let scale = Double(scales.first ?? 0), zeroPoint = Int32(zeroPoints.first ?? 0)
            if let type = Self.linearType(T.self), abs(zeroPoint) < 1 << 16 {
                tfl_dequantize_linear(input, type, count, scale, zeroPoint, output)  // the same arithmetic, vectorized
                return
            }
            for i in 0..<count { output[i] = Float(scale * Double(Int32(input[i]) - zeroPoint)) }
        }
    }

    /// `tfl_dequantize_linear`'s name for `T`.
    static func linearType<T: FixedWidthInteger>(_ type: T.Type) -> Int32? {
        switch type {
        case is Int8.Type: Int32(TFL_QUANT_INT8)
        case is UInt8.Type: Int32(TFL_QUANT_UINT8)
        case is Int16.Type: Int32(TFL_QUANT_INT16)
        default: nil
        }
    }
}
