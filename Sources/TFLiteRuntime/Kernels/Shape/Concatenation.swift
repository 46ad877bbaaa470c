import TFLiteModel

/// CONCATENATION (and PACK, which stacks equal-shaped inputs along a new axis) along `axis` (negative allowed) of inputs that agree on every other
/// dimension, any movable type.
///
/// Quantized inputs whose scale or zero point differ from the output's are requantized like
/// LiteRT's uint8 `ConcatenationWithScaling` (LiteRT itself rejects that case for int8; here it
/// is handled the same way for int8 and int16). A fused activation clamps the result (LiteRT
/// accepts only NONE).
final class ConcatenationKernel: Kernel {
    private let node: Node
    private let axisOption: Int
    private let activation: FusedActivation
    /// PACK reuses the kernel: inputs get a dimension of 1 inserted at the axis.
    private let isPack: Bool
    private var plan = ConcatenationPlan()

    init(_ node: Node, pack: Bool = false) throws(InterpreterError) {
        guard !node.inputs.isEmpty else { throw node.invalid("expected at least one input") }
        try node.expect(inputs: 1...Int.max, outputs: 1...1)
        self.node = node
        isPack = pack
        if pack {
            let options = try node.options(expecting: PackOptions.self)
            axisOption = Int(options.axis)
            activation = .none
            let count = options.has(.valuesCount) ? Int(options.valuesCount) : node.inputs.count
            guard count == node.inputs.count else {
                throw node.invalid("values_count \(count) differs from the \(node.inputs.count) inputs")
            }
        } else {
            let options = try node.options(expecting: ConcatenationOptions.self)
            axisOption = Int(options.axis)
            activation = try FusedActivation(raw: options.fusedActivationFunction, node: node)
        }
    }

    func prepare(_ tensors: TensorTable) throws(InterpreterError) {
        let first = tensors[try node.input(0)]
        let outputIndex = try node.output(0)
        let output = tensors[outputIndex]
        let width = try ShapeOps.width(first.type, node)
        guard output.type == first.type else { throw node.invalid("output type \(output.type) differs from input type \(first.type)") }
        guard isPack || !first.shape.isEmpty else { throw node.invalid("cannot concatenate scalars (input 0 has rank 0)") }
        let rank = first.shape.count + (isPack ? 1 : 0)
        let axis = try ShapeOps.axis(axisOption, rank: max(rank, 1), node)
        var shape = first.shape
        if isPack { shape.insert(0, at: axis) } else { shape[axis] = 0 }
        var sizes: [Int] = []
        for position in node.inputs.indices {
            let input = tensors[try node.input(position)]
            guard input.type == first.type else { throw node.invalid("input \(position) is \(input.type), input 0 is \(first.type)") }
            try ShapeOps.requireData(input, node, "input \(position)")
            var inputShape = input.shape
            if isPack {
                guard inputShape == first.shape else {
                    throw node.invalid("input \(position) has shape \(input.shape), input 0 has \(first.shape)")
                }
                inputShape.insert(1, at: axis)
            }
            guard inputShape.count == rank else { throw node.invalid("input \(position) has rank \(inputShape.count), expected \(rank)") }
            for d in 0..<rank where d != axis && inputShape[d] != shape[d] {
                throw node.invalid("input \(position) has shape \(input.shape), which does not fit \(first.shape) on axis \(d)")
            }
            sizes.append(inputShape[axis])
            let (total, overflow) = shape[axis].addingReportingOverflow(inputShape[axis])
            guard !overflow else { throw node.invalid("the concatenated dimension overflows") }
            shape[axis] = total
        }
        tensors[outputIndex].shape = shape
        let inner = try ShapeOps.count(Array(shape[(axis + 1)...]), node)
        let outer = try ShapeOps.count(Array(shape[..<axis]), node)

        var rescales: [Rescale] = []
        var clamp = false
        if ShapeOps.isQuantizedType(first.type) && !isPack {
            let typeRange: (min: Int32, max: Int32) = switch first.type {
            case .int8: (-128, 127)
            case .uint8: (0, 255)
            default: (-32768, 32767)
            }
            var range = typeRange
            if activation != .none {
                guard output.quantization != nil else { throw node.invalid("a fused activation on \(first.type) needs output quantization") }
                range = activation.quantizedRange(scale: output.scale, zeroPoint: output.zeroPoint, qmin: typeRange.min, qmax: typeRange.max)
                clamp = true
            }
            for position in node.inputs.indices {
                let rescale = Rescale(from: tensors[try node.input(position)], to: output, range: range)
                guard rescale.isFinite else {
                    throw node.invalid("input \(position)'s and the output's quantization scales give a non-finite rescale")
                }
                rescales.append(rescale)
            }
        } else {
            guard activation == .none || first.type == .float32 || first.type == .int32 else {
                throw node.unsupported("fused activation on \(first.type)")
            }
            clamp = activation != .none
            rescales = [Rescale](repeating: Rescale(), count: node.inputs.count)
        }
        plan = ConcatenationPlan(outer: outer, inner: inner, sizes: sizes, width: width, type: first.type,
                                 rescales: rescales, clamp: clamp, floatRange: activation.floatRange)
    }

    func run(_ tensors: TensorTable) throws(InterpreterError) {
        let output = tensors[try node.output(0)]
        guard var destination = output.data else { return }
        for k in 0..<plan.outer {
            for (position, size) in plan.sizes.enumerated() {
                let count = size * plan.inner
                guard count > 0, let base = tensors[node.inputs[position]].data else { continue }
                let source = base + k * count * plan.width
                plan.move(source, destination, count: count, rescale: plan.rescales[position])
                destination += count * plan.width
            }
        }
    }
}

/// Precomputed sizes of a concatenation.
struct ConcatenationPlan {
    var outer = 0
    var inner = 0
    var sizes: [Int] = []
    var width = 1
    var type = TensorType.float32
    var rescales: [Rescale] = []
    var clamp = false
    var floatRange: (min: Float, max: Float) = (-.greatestFiniteMagnitude, .greatestFiniteMagnitude)

    func move(_ source: UnsafeRawPointer, _ destination: UnsafeMutableRawPointer, count: Int, rescale: Rescale) {
        switch type {
        case .int8:
            rescale.apply(source.assumingMemoryBound(to: Int8.self), destination.assumingMemoryBound(to: Int8.self), count: count, clamp: clamp)
        case .uint8:
            rescale.apply(source.assumingMemoryBound(to: UInt8.self), destination.assumingMemoryBound(to: UInt8.self), count: count, clamp: clamp)
        case .int16:
            rescale.apply(source.assumingMemoryBound(to: Int16.self), destination.assumingMemoryBound(to: Int16.self), count: count, clamp: clamp)
        case .float32 where clamp:
            let s = source.assumingMemoryBound(to: Float.self), d = destination.assumingMemoryBound(to: Float.self)
            for j in 0..<count { d[j] = min(max(s[j], floatRange.min), floatRange.max) }
        case .int32 where clamp:
            let s = source.assumingMemoryBound(to: Int32.self), d = destination.assumingMemoryBound(to: Int32.self)
            let low = Int32(clamping: Int64(max(floatRange.min, -2e9))), high = Int32(clamping: Int64(min(floatRange.max, 2e9)))
            for j in 0..<count { d[j] = min(max(s[j], low), high) }
        default:
            ShapeOps.copy(source, destination, count: count, width: width)
        }
    }
}
