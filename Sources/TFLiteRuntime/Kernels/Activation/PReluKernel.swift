import TFLiteModel

/// PRELU: `x ≥ 0 ? x : x × alpha` with alpha broadcast against the input (the output keeps the
/// input's shape). float32, and int8/uint8 with LiteRT's two requantization multipliers. Split
/// over the pool by ``BinaryBroadcast/parts``.
final class PReluKernel: Kernel {
    private let node: Node
    private var broadcast = BinaryBroadcast()
    private var type = TensorType.float32
    private var inputOffset: Int32 = 0
    private var alphaOffset: Int32 = 0
    private var outputOffset: Int32 = 0
    private var positive = FixedPoint.Multiplier(multiplier: 0, shift: 0)
    private var negative = FixedPoint.Multiplier(multiplier: 0, shift: 0)
    /// float32 with alpha repeating along the input (per channel, `[1, 1, C]`): contiguous runs
    /// against a tiled alpha (`periodicScratch`), split over the pool.
    private var periodic: PeriodicBroadcast?
    private var periodicScratch: UnsafeMutableRawPointer?

    init(_ node: Node) throws(InterpreterError) {
        try node.expect(inputs: 2...2, outputs: 1...1)
        self.node = node
    }

    func prepare(_ tensors: TensorTable) throws(InterpreterError) {
        let input = tensors[try node.input(0)]
        let alpha = tensors[try node.input(1)]
        let outputIndex = try node.output(0)
        guard input.type == alpha.type else { throw node.invalid("input is \(input.type) but alpha is \(alpha.type)") }
        guard [.float32, .int8, .uint8].contains(input.type), tensors[outputIndex].type == input.type else {
            throw node.unsupported("\(input.type) input with \(tensors[outputIndex].type) output is not supported")
        }
        type = input.type
        broadcast = try BinaryBroadcast(input.shape, alpha.shape, node: node)
        guard broadcast.outputShape == input.shape else {
            throw node.invalid("alpha shape \(alpha.shape) does not broadcast to the input shape \(input.shape)")
        }
        tensors[outputIndex].shape = input.shape
        let output = tensors[outputIndex]
        periodic = nil
        periodicScratch = nil
        guard type != .float32 else {
            if let layout = PeriodicBroadcast(input.shape, alpha.shape, output: input.shape), layout.periodicInput == 1 {
                periodic = layout
                if layout.needsScratch {
                    periodicScratch = try tensors.allocatePersistent(byteCount: layout.runLength * MemoryLayout<Float>.stride)
                }
            }
            return
        }
        guard input.scale > 0, alpha.scale > 0, output.scale > 0 else {
            throw node.invalid("quantized tensors need positive scales")
        }
        inputOffset = -(try input.checkedZeroPoint(node))
        alphaOffset = -(try alpha.checkedZeroPoint(node))
        outputOffset = try output.checkedZeroPoint(node)
        positive = FixedPoint.Multiplier(Double(input.scale / output.scale))
        negative = FixedPoint.Multiplier(Double(input.scale * alpha.scale / output.scale))
    }

    func run(_ tensors: TensorTable) throws(InterpreterError) {
        let input = tensors[try node.input(0)]
        let alpha = tensors[try node.input(1)]
        let output = tensors[try node.output(0)]
        guard output.elementCount == broadcast.outputCount else { throw node.failure("tensor sizes changed after prepare") }
        if broadcast.outputCount == 0 { return }
        switch type {
        case .float32:
            guard let x = input.buffer(Float.self).baseAddress, let a = alpha.buffer(Float.self).baseAddress,
                  let y = output.buffer(Float.self).baseAddress else { return }
            if let periodic {
                periodic.run(periodic: UnsafeRawPointer(a), scratch: periodicScratch, width: MemoryLayout<Float>.stride,
                             pool: tensors.pool, minimumPerThread: ElementwiseBinaryKernel.floatElementsPerThread) { offset, run, count in
                    let alphas = run.assumingMemoryBound(to: Float.self), source = x + offset, target = y + offset
                    // The product taken for every element and then selected, so the loop has no
                    // branch and vectorizes (same values: the product is only kept where x < 0).
                    for i in 0..<count {
                        let value = source[i], scaled = value * alphas[i]
                        target[i] = value >= 0 ? value : scaled
                    }
                }
            } else {
                let bc = broadcast
                tensors.pool.parallelFor(bc.parts, minimumPerThread: bc.partsPerThread(elements: ElementwiseBinaryKernel.floatElementsPerThread)) { parts in
                    bc.apply(parts: parts, x, a, y) { value, alpha in
                        let scaled = value * alpha
                        return value >= 0 ? value : scaled
                    }
                }
            }
        case .int8: runQuantized(Int8.self, input, alpha, output, tensors.pool)
        default: runQuantized(UInt8.self, input, alpha, output, tensors.pool)
        }
    }

    private func runQuantized<T: FixedWidthInteger>(_: T.Type, _ input: RuntimeTensor, _ alpha: RuntimeTensor, _ output: RuntimeTensor,
                                                    _ pool: ThreadPool) {
        guard let x = input.buffer(T.self).baseAddress, let a = alpha.buffer(T.self).baseAddress,
              let y = output.buffer(T.self).baseAddress else { return }
        let inOff = inputOffset, alphaOff = alphaOffset, outOff = outputOffset
        let m1 = positive, m2 = negative
        let lo = Int32(T.min), hi = Int32(T.max)
        let bc = broadcast
        pool.parallelFor(bc.parts, minimumPerThread: bc.partsPerThread(elements: ElementwiseBinaryKernel.elementsPerThread)) { parts in
            bc.apply(parts: parts, x, a, y) { q, alphaValue in
                let value = inOff &+ Int32(q)
                let scaled = value >= 0
                    ? FixedPoint.multiply(value, by: m1)
                    : FixedPoint.multiply(value &* (alphaOff &+ Int32(alphaValue)), by: m2)
                return T(truncatingIfNeeded: min(max(scaled &+ outOff, lo), hi))
            }
        }
    }
}
