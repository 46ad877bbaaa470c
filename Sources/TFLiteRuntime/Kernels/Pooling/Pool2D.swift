import CTFLiteKernels
import TFLiteModel

/// AVERAGE_POOL_2D and MAX_POOL_2D on NHWC tensors: window, strides, SAME/VALID padding and a
/// fused activation; float32, int8, uint8 and int16.
///
/// Windows cover only the input positions inside the image (padding is not counted). Integer
/// averages follow LiteRT's reference: the int32 sum divided by the count rounding half away
/// from zero, then clamped to the activation range; maxima clamp the same way. Quantized pooling
/// works on the raw values (input and output share their quantization).
final class Pool2DKernel: Kernel {
    enum Kind: Sendable {
        case average, max
    }

    private let node: Node
    private let kind: Kind
    private let padding: ConvPadding
    private let strideWidth: Int
    private let strideHeight: Int
    private let filterWidth: Int
    private let filterHeight: Int
    private let activation: FusedActivation
    private var geometry = ConvGeometry()
    private var quantizedMin: Int32 = 0
    private var quantizedMax: Int32 = 0

    init(_ node: Node, kind: Kind) throws(InterpreterError) {
        try node.expect(inputs: 1...1, outputs: 1...1)
        self.node = node
        self.kind = kind
        let options = try node.options(expecting: Pool2DOptions.self)
        padding = try ConvSupport.padding(options.padding, node)
        // An absent stride or window size is 1 here (the schema's default, 0, is none).
        strideWidth = try ConvSupport.positive(options.has(.strideW) ? options.strideW : 1, name: "stride_w", node)
        strideHeight = try ConvSupport.positive(options.has(.strideH) ? options.strideH : 1, name: "stride_h", node)
        filterWidth = try ConvSupport.positive(options.has(.filterWidth) ? options.filterWidth : 1, name: "filter_width", node)
        filterHeight = try ConvSupport.positive(options.has(.filterHeight) ? options.filterHeight : 1, name: "filter_height", node)
        activation = try FusedActivation(raw: options.fusedActivationFunction, node: node)
    }

    func prepare(_ tensors: TensorTable) throws(InterpreterError) {
        let input = tensors[try node.input(0)]
        let outputIndex = try node.output(0)
        let output = tensors[outputIndex]
        guard input.shape.count == 4 else { throw node.invalid("input must be 4-D, got shape \(input.shape)") }
        switch input.type {
        case .float32, .int8, .uint8, .int16: break
        default: throw node.unsupported("input type \(input.type) is not supported")
        }
        guard output.type == input.type else {
            throw node.invalid("output type \(output.type) differs from input type \(input.type)")
        }
        var g = ConvGeometry()
        g.batches = input.shape[0]
        g.inputHeight = input.shape[1]
        g.inputWidth = input.shape[2]
        g.inputDepth = input.shape[3]
        g.outputDepth = g.inputDepth
        g.filterHeight = filterHeight
        g.filterWidth = filterWidth
        g.strideHeight = strideHeight
        g.strideWidth = strideWidth
        let h = ConvAxis(padding: padding, inputSize: g.inputHeight, filterSize: filterHeight, stride: strideHeight, dilation: 1)
        let w = ConvAxis(padding: padding, inputSize: g.inputWidth, filterSize: filterWidth, stride: strideWidth, dilation: 1)
        g.outputHeight = h.outputSize
        g.outputWidth = w.outputSize
        g.paddingHeight = h.padding
        g.paddingWidth = w.padding
        geometry = g
        // Each output reads its window of the input: a hostile window as large as the image over a
        // large output is quadratic work inside the memory cap.
        try tensors.checkReads(g.batches, g.outputHeight, g.outputWidth, g.outputDepth,
                              min(filterHeight, max(1, g.inputHeight)), min(filterWidth, max(1, g.inputWidth)), node: node)
        if input.type != .float32 {
            guard output.quantization != nil else { throw node.invalid("quantized pooling needs output quantization") }
            (quantizedMin, quantizedMax) = try ConvSupport.quantizedRange(activation, output: output, node: node)
        }
        tensors[outputIndex].shape = [g.batches, g.outputHeight, g.outputWidth, g.outputDepth]
    }

    func run(_ tensors: TensorTable) throws(InterpreterError) {
        let input = tensors[try node.input(0)]
        let output = tensors[try node.output(0)]
        let g = geometry
        guard input.elementCount == g.inputCount, output.elementCount == g.outputCount else {
            throw node.failure("tensor sizes changed after prepare")
        }
        switch input.type {
        case .float32:
            let x = try ConvSupport.checked(input, Float.self, count: g.inputCount, node: node)
            let y = try ConvSupport.checked(output, Float.self, count: g.outputCount, node: node)
            try poolFloat(tensors, x, y)
        case .int8:
            try poolInteger(tensors, try ConvSupport.checked(input, Int8.self, count: g.inputCount, node: node),
                            try ConvSupport.checked(output, Int8.self, count: g.outputCount, node: node))
        case .uint8:
            try poolInteger(tensors, try ConvSupport.checked(input, UInt8.self, count: g.inputCount, node: node),
                            try ConvSupport.checked(output, UInt8.self, count: g.outputCount, node: node))
        case .int16:
            try poolInteger(tensors, try ConvSupport.checked(input, Int16.self, count: g.inputCount, node: node),
                            try ConvSupport.checked(output, Int16.self, count: g.outputCount, node: node))
        default:
            throw node.unsupported("input type \(input.type) is not supported")
        }
    }

    /// The window of output (row, column) clipped to the image: (y range, x range).
    @inline(__always)
    private func window(_ g: ConvGeometry, outY: Int, outX: Int) -> (Range<Int>, Range<Int>) {
        let originY = outY * g.strideHeight - g.paddingHeight
        let originX = outX * g.strideWidth - g.paddingWidth
        let y0 = max(0, originY), y1 = min(g.inputHeight, originY + g.filterHeight)
        let x0 = max(0, originX), x1 = min(g.inputWidth, originX + g.filterWidth)
        return (y0..<max(y0, y1), x0..<max(x0, x1))
    }

    private func poolFloat(_ tensors: TensorTable, _ x: UnsafeMutablePointer<Float>, _ y: UnsafeMutablePointer<Float>) throws(InterpreterError) {
        let g = geometry
        let (low, high) = activation.floatRange
        let kind = self.kind
        var emptyWindow = false
        let rows = g.batches * g.outputHeight
        withUnsafeMutablePointer(to: &emptyWindow) { empty in
            let flag = UnsafeSendable(empty)
            tensors.pool.parallelFor(rows) { range in
                for row in range {
                    let batch = row / g.outputHeight, outY = row % g.outputHeight
                    for outX in 0..<g.outputWidth {
                        let (ys, xs) = window(g, outY: outY, outX: outX)
                        let out = y + (row * g.outputWidth + outX) * g.outputDepth
                        let count = ys.count * xs.count
                        if count == 0 { flag.value.pointee = true; continue }
                        // Channels innermost (contiguous), each channel folding its window in
                        // (iy, ix) order, in C.
                        let corner = x + ((batch * g.inputHeight + ys.lowerBound) * g.inputWidth + xs.lowerBound) * g.inputDepth
                        tfl_window_f32(out, corner, g.inputWidth * g.inputDepth, ys.count, xs.count, g.outputDepth,
                                       kind == .max ? 1 : 0, low, high)
                    }
                }
            }
        }
        if emptyWindow { throw node.failure("a pooling window covers no input") }
    }

    private func poolInteger<T: FixedWidthInteger>(_ tensors: TensorTable, _ x: UnsafeMutablePointer<T>, _ y: UnsafeMutablePointer<T>) throws(InterpreterError) {
        let g = geometry
        let low = quantizedMin, high = quantizedMax
        let kind = self.kind
        var emptyWindow = false
        let rows = g.batches * g.outputHeight
        withUnsafeMutablePointer(to: &emptyWindow) { empty in
            let flag = UnsafeSendable(empty)
            tensors.pool.parallelFor(rows) { range in
                // One pixel's per-channel Int32 accumulators; channels innermost (contiguous).
                withUnsafeTemporaryAllocation(of: Int32.self, capacity: max(1, g.outputDepth)) { buffer in
                    guard let acc = buffer.baseAddress else { return }
                    let depth = g.outputDepth
                    for row in range {
                        let batch = row / g.outputHeight, outY = row % g.outputHeight
                        for outX in 0..<g.outputWidth {
                            let (ys, xs) = window(g, outY: outY, outX: outX)
                            let out = y + (row * g.outputWidth + outX) * depth
                            let count = Int32(ys.count * xs.count)
                            if count == 0 { flag.value.pointee = true; continue }
                            if T.bitWidth == 8 {
                                // The window's max or rounded average, clamped, on the bytes in C.
                                let corner = x + ((batch * g.inputHeight + ys.lowerBound) * g.inputWidth + xs.lowerBound) * g.inputDepth
                                let window = kind == .max ? tfl_max_window_8bit : tfl_average_window_8bit
                                window(UnsafeMutableRawPointer(out).assumingMemoryBound(to: UInt8.self),
                                       UnsafeRawPointer(corner).assumingMemoryBound(to: UInt8.self),
                                       g.inputWidth * g.inputDepth, ys.count, xs.count, depth, T.isSigned ? 1 : 0,
                                       Int32(T(clamping: low)), Int32(T(clamping: high)))
                                continue
                            }
                            if kind == .max {
                                let lowT = T(clamping: low), highT = T(clamping: high)
                                out.update(repeating: lowT, count: depth)
                                for iy in ys {
                                    for ix in xs {
                                        let p = x + ((batch * g.inputHeight + iy) * g.inputWidth + ix) * g.inputDepth
                                        for c in 0..<depth { out[c] = max(out[c], p[c]) }
                                    }
                                }
                                for c in 0..<depth { out[c] = min(out[c], highT) }
                                continue
                            }
                            acc.update(repeating: 0, count: depth)
                            for iy in ys {
                                for ix in xs {
                                    let p = x + ((batch * g.inputHeight + iy) * g.inputWidth + ix) * g.inputDepth
                                    for c in 0..<depth { acc[c] &+= Int32(p[c]) }
                                }
                            }
                            if kind == .average {
                                // LiteRT's rounded division, (v ± count/2) / count truncated, in
                                // double precision: exact for any int32 operands (a quotient that
                                // is not an integer lies at least 1/|v| away from one, relatively,
                                // far above double's 2^-53), and it vectorizes where an integer
                                // division per channel does not.
                                let half = count / 2, divisor = Double(count)
                                for c in 0..<depth {
                                    let v = acc[c]
                                    let q = Int32(truncatingIfNeeded: Int64(Double(v > 0 ? Int64(v) + Int64(half) : Int64(v) - Int64(half)) / divisor))
                                    out[c] = T(truncatingIfNeeded: min(max(q, low), high))
                                }
                            } else {
                                for c in 0..<depth { out[c] = T(truncatingIfNeeded: min(max(acc[c], low), high)) }
                            }
                        }
                    }
                }
            }
        }
        if emptyWindow { throw node.failure("a pooling window covers no input") }
    }
}
