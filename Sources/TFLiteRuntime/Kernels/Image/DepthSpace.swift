import TFLiteModel

/// DEPTH_TO_SPACE and SPACE_TO_DEPTH on NHWC tensors with `block_size` (a pure rearrangement
/// of the raw values; like LiteRT, the output keeps the quantization the model declares). Depth-to-space moves channel block
/// `(by · block + bx)` to pixel offset `(by, bx)`; space-to-depth is its inverse. Types:
/// float32, uint8, int8, int32 and int64, as in LiteRT.
final class DepthSpaceKernel: Kernel {
    private let node: Node
    private let toSpace: Bool
    private let blockSize: Int
    private var inputShape: [Int] = []
    private var elementSize = 0

    init(_ node: Node, toSpace: Bool) throws(InterpreterError) {
        try node.expect(inputs: 1...1, outputs: 1...1)
        self.node = node
        self.toSpace = toSpace
        blockSize = Int(toSpace ? try node.options(expecting: DepthToSpaceOptions.self).blockSize
                                : try node.options(expecting: SpaceToDepthOptions.self).blockSize)
        guard blockSize >= 1 else { throw node.invalid("block_size \(blockSize) must be at least 1") }
    }

    func prepare(_ tensors: TensorTable) throws(InterpreterError) {
        let input = tensors[try node.input(0)]
        switch input.type {
        case .float32, .uint8, .int8, .int32, .int64: break
        default: throw node.unsupported("input type \(input.type) is not supported")
        }
        guard input.shape.count == 4 else { throw node.invalid("the input must be 4-D (NHWC), got \(input.shape)") }
        let outputIndex = try node.output(0)
        guard tensors[outputIndex].type == input.type else {
            throw node.invalid("output type \(tensors[outputIndex].type) differs from input type \(input.type)")
        }
        let (n, h, w, c) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
        let block = blockSize
        let shape: [Int]
        if toSpace {
            guard c % (block * block) == 0 else {
                throw node.invalid("depth \(c) is not a multiple of block_size² (\(block * block))")
            }
            shape = [n, h * block, w * block, c / (block * block)]
        } else {
            guard h % block == 0, w % block == 0 else {
                throw node.invalid("height \(h) and width \(w) must be multiples of block_size \(block)")
            }
            shape = [n, h / block, w / block, c * block * block]
        }
        guard GraphValidator.elementCount(shape) != nil else { throw node.invalid("output shape overflows") }
        inputShape = input.shape
        elementSize = input.type.byteWidth ?? 0
        tensors[outputIndex].shape = shape
    }

    func run(_ tensors: TensorTable) throws(InterpreterError) {
        let input = tensors[try node.input(0)]
        let output = tensors[try node.output(0)]
        guard input.shape == inputShape, output.byteCount == input.byteCount,
              let source = input.data, let destination = output.data else {
            if input.byteCount == 0 { return }
            throw node.failure("tensor sizes changed after prepare")
        }
        if input.elementCount == 0 { return }
        let (n, h, w, c) = (inputShape[0], inputShape[1], inputShape[2], inputShape[3])
        let block = blockSize
        let size = elementSize
        if toSpace {
            // Each input pixel's channels split into block×block runs of c/block² channels.
            let outC = c / (block * block)
            let outW = w * block
            let run = outC * size
            var from = source
            for b in 0..<n {
                for y in 0..<h {
                    for x in 0..<w {
                        for by in 0..<block {
                            for bx in 0..<block {
                                let outY = y * block + by, outX = x * block + bx
                                let to = (((b * h * block + outY) * outW) + outX) * outC * size
                                (destination + to).copyMemory(from: from, byteCount: run)
                                from += run
                            }
                        }
                    }
                }
            }
        } else {
            let outH = h / block, outW = w / block
            let run = c * size
            var to = destination
            for b in 0..<n {
                for y in 0..<outH {
                    for x in 0..<outW {
                        for by in 0..<block {
                            for bx in 0..<block {
                                let inY = y * block + by, inX = x * block + bx
                                let from = ((b * h + inY) * w + inX) * c * size
                                to.copyMemory(from: source + from, byteCount: run)
                                to += run
                            }
                        }
                    }
                }
            }
        }
    }
}
