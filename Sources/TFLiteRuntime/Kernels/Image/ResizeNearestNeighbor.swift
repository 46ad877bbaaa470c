import TFLiteModel

/// RESIZE_NEAREST_NEIGHBOR on NHWC tensors to a constant `[height, width]`, with
/// `align_corners` and `half_pixel_centers`, choosing source pixels exactly as LiteRT's
/// reference `GetNearestNeighbor` does (float scale; `align_corners` rounds half away from
/// zero, otherwise floors). Values are copied, so any element type of 1, 2, 4 or 8 bytes works;
/// LiteRT accepts float32, uint8, int8, int16 and int32.
final class ResizeNearestNeighborKernel: Kernel {
    private let node: Node
    private let alignCorners: Bool
    private let halfPixelCenters: Bool
    private var geometry = ResizeGeometry()
    private var elementSize = 0

    init(_ node: Node) throws(InterpreterError) {
        try node.expect(inputs: 2...2, outputs: 1...1)
        self.node = node
        let options = try node.options(expecting: ResizeNearestNeighborOptions.self)
        alignCorners = options.alignCorners
        halfPixelCenters = options.halfPixelCenters
    }

    func prepare(_ tensors: TensorTable) throws(InterpreterError) {
        let input = tensors[try node.input(0)]
        switch input.type {
        case .float32, .uint8, .int8, .int16, .int32: break
        default: throw node.unsupported("input type \(input.type) is not supported")
        }
        geometry = try ResizeGeometry(node, tensors)
        elementSize = input.type.byteWidth ?? 0
        let outputIndex = try node.output(0)
        guard tensors[outputIndex].type == input.type else {
            throw node.invalid("output type \(tensors[outputIndex].type) differs from input type \(input.type)")
        }
        tensors[outputIndex].shape = geometry.outputShape
    }

    /// The source coordinate for output coordinate `value`.
    static func nearest(_ value: Int, inputSize: Int, outputSize: Int, alignCorners: Bool, halfPixelCenters: Bool) -> Int {
        let scale: Float = alignCorners && outputSize > 1
            ? Float(inputSize - 1) / Float(outputSize - 1)
            : Float(inputSize) / Float(outputSize)
        let offset: Float = halfPixelCenters ? 0.5 : 0
        let position = (Float(value) + offset) * scale
        let rounded = alignCorners ? position.rounded(.toNearestOrAwayFromZero) : position.rounded(.down)
        var result = min(Int(rounded), inputSize - 1)
        if halfPixelCenters { result = max(0, result) }
        return result
    }

    func run(_ tensors: TensorTable) throws(InterpreterError) {
        let input = tensors[try node.input(0)]
        let output = tensors[try node.output(0)]
        let g = geometry
        guard input.elementCount == g.inputCount, output.elementCount == g.outputCount,
              let source = input.data, let destination = output.data else {
            if g.outputCount == 0 { return }
            throw node.failure("tensor sizes changed after prepare")
        }
        let rowBytes = g.depth * elementSize
        var out = destination
        for b in 0..<g.batches {
            for y in 0..<g.outputHeight {
                let inY = Self.nearest(y, inputSize: g.inputHeight, outputSize: g.outputHeight,
                                       alignCorners: alignCorners, halfPixelCenters: halfPixelCenters)
                for x in 0..<g.outputWidth {
                    let inX = Self.nearest(x, inputSize: g.inputWidth, outputSize: g.outputWidth,
                                           alignCorners: alignCorners, halfPixelCenters: halfPixelCenters)
                    let offset = ((b * g.inputHeight + inY) * g.inputWidth + inX) * rowBytes
                    out.copyMemory(from: source + offset, byteCount: rowBytes)
                    out += rowBytes
                }
            }
        }
    }
}
