import TFLiteModel

/// Spatial zero padding moved into the convolution that reads it.
///
/// A float32 PAD whose only reader is a VALID CONV_2D or DEPTHWISE_CONV_2D (as its data input)
/// and which pads only height and width, by less than the filter's extent, is folded: the
/// convolution reads the PAD's input with the PAD's amounts as its own leading padding (the
/// trailing amounts size its output), and the PAD no longer runs. The convolution's kernels
/// treat positions outside the input as zeros, which is what the PAD wrote, so the values are
/// those of the two operators in turn; the padded tensor is never written or read. XNNPACK folds
/// these the same way (MediaPipe's detectors pad before most depthwise convolutions).
///
/// Quantized convolutions are left alone: LiteRT chooses its int8 kernels, and with them their
/// rounding, from the padding it sees (``ConvRounding``). Hybrid ones too (their input's
/// quantization range would no longer include the padded zeros).
enum PadFolding {
    /// The leading and trailing padding of a folded PAD, in pixels.
    struct Amounts: Equatable, Sendable {
        var top = 0, bottom = 0, left = 0, right = 0
    }

    /// `nodes` (in execution order) with each foldable PAD's reader rewritten to read the PAD's
    /// input with ``Node/foldedPadding``, and per operator whether it is a PAD nothing reads
    /// any more (it need not run). Reads only the model's constants and declared types.
    static func fold(_ nodes: [Node], tensors: TensorTable, subgraphOutputs: Set<Int>) -> (nodes: [Node], folded: [Bool]) {
        var rewritten = nodes
        var folded = Array(repeating: false, count: nodes.count)
        var readers: [Int: [Int]] = [:]
        for (position, node) in nodes.enumerated() {
            for input in node.inputs where input >= 0 { readers[input, default: []].append(position) }
        }
        for (position, pad) in nodes.enumerated() where pad.code == .pad {
            guard pad.inputs.count == 2, pad.outputs.count == 1, let source = pad.inputs.first, source >= 0,
                  let padded = pad.outputs.first, padded >= 0, !subgraphOutputs.contains(padded),
                  let users = readers[padded], users.count == 1, let reader = users.first, reader > position,
                  let amounts = amounts(pad, tensors) else { continue }
            let conv = nodes[reader]
            guard conv.inputs.first == padded, conv.inputs.dropFirst().allSatisfy({ $0 != padded }),
                  conv.foldedPadding == nil, fits(amounts, conv, tensors: tensors),
                  tensors[source].type == .float32, tensors[padded].type == .float32 else { continue }
            rewritten[reader].inputs[0] = source
            rewritten[reader].foldedPadding = amounts
            folded[position] = true
        }
        return (rewritten, folded)
    }

    /// The PAD's height and width amounts, when it pads nothing else and its paddings are constant.
    private static func amounts(_ pad: Node, _ tensors: TensorTable) -> Amounts? {
        guard let paddings = pad.inputs.last, tensors[paddings].isConstant,
              let (before, after) = try? PadKernel.paddings(pad, tensors, rank: 4),
              before[0] == 0, after[0] == 0, before[3] == 0, after[3] == 0 else { return nil }
        return Amounts(top: before[1], bottom: after[1], left: before[2], right: after[2])
    }

    /// Whether `conv` is a float32 VALID convolution whose filter's extent exceeds every amount.
    private static func fits(_ amounts: Amounts, _ conv: Node, tensors: TensorTable) -> Bool {
        let padding: Int8, dilation: (height: Int32, width: Int32)
        switch conv.code {
        case .conv2D:
            guard let options = try? conv.options(expecting: Conv2DOptions.self) else { return false }
            (padding, dilation) = (options.padding, (options.dilationHFactor, options.dilationWFactor))
        case .depthwiseConv2D:
            guard let options = try? conv.options(expecting: DepthwiseConv2DOptions.self) else { return false }
            (padding, dilation) = (options.padding, (options.dilationHFactor, options.dilationWFactor))
        default:
            return false
        }
        guard padding == ConvPadding.valid.rawValue, conv.inputs.count >= 2, conv.inputs[1] >= 0,
              (1...64).contains(dilation.height), (1...64).contains(dilation.width) else { return false }
        let filter = tensors[conv.inputs[1]]
        guard filter.type == .float32, filter.shape.count == 4 else { return false }
        let extentHeight = (filter.shape[1] - 1) * Int(dilation.height) + 1
        let extentWidth = (filter.shape[2] - 1) * Int(dilation.width) + 1
        return [amounts.top, amounts.bottom].allSatisfy { $0 < extentHeight }
            && [amounts.left, amounts.right].allSatisfy { $0 < extentWidth }
    }
}
