import TFLiteModel

/// The custom options of MediaPipe's `MaxPoolingWithArgmax2D` and `MaxUnpooling2D`: LiteRT's
/// `TfLitePoolParams` stored as raw little-endian bytes (not a FlexBuffer). The six int32 fields
/// the kernels read come first: padding (1 SAME, 2 VALID), stride width, stride height, filter
/// width, filter height, fused activation; the struct's trailing computed-padding fields are
/// ignored.
struct MediaPipePoolOptions: Equatable, Sendable {
    var padding: ConvPadding
    var strideWidth: Int
    var strideHeight: Int
    var filterWidth: Int
    var filterHeight: Int
    /// The float clamp of the fused activation: LiteRT's `CalculateActivationRange` clamps for
    /// RELU, RELU_N1_TO_1 and RELU6 and leaves every other activation unclamped.
    var low: Float
    var high: Float

    /// The bytes the fields occupy.
    static let byteCount = 24

    init(_ node: Node) throws(InterpreterError) {
        guard let raw = node.customOptions, raw.count >= Self.byteCount else {
            throw node.invalid("custom options must hold TfLitePoolParams (at least \(Self.byteCount) bytes), got \(node.customOptions?.count ?? 0)")
        }
        let field = { (index: Int) in raw.loadUnaligned(fromByteOffset: index * 4, as: Int32.self).littleEndian }
        switch field(0) {
        case 1: padding = .same
        case 2: padding = .valid
        default: throw node.invalid("custom options: unknown padding \(field(0))")
        }
        strideWidth = try ConvSupport.positive(field(1), name: "stride_width", node)
        strideHeight = try ConvSupport.positive(field(2), name: "stride_height", node)
        filterWidth = try ConvSupport.positive(field(3), name: "filter_width", node)
        filterHeight = try ConvSupport.positive(field(4), name: "filter_height", node)
        switch field(5) {
        case 0, 4, 5, 6: (low, high) = (-.greatestFiniteMagnitude, .greatestFiniteMagnitude)
        case 1: (low, high) = (0, .greatestFiniteMagnitude)
        case 2: (low, high) = (-1, 1)
        case 3: (low, high) = (0, 6)
        default: throw node.invalid("custom options: unknown activation \(field(5))")
        }
    }
}

extension MediaPipePoolOptions {
    /// The window geometry over a 4-D NHWC `shape` (output size and padding left to the kernel).
    func geometry(input shape: [Int]) -> ConvGeometry {
        var g = ConvGeometry()
        (g.batches, g.inputHeight, g.inputWidth, g.inputDepth) = (shape[0], shape[1], shape[2], shape[3])
        g.outputDepth = g.inputDepth
        (g.filterHeight, g.filterWidth) = (filterHeight, filterWidth)
        (g.strideHeight, g.strideWidth) = (strideHeight, strideWidth)
        return g
    }
}

/// Shape checks shared by MediaPipe's kernels.
enum MediaPipeSupport {
    /// The input at `position` as a float32 tensor of `rank` dimensions.
    static func floatInput(_ tensors: TensorTable, _ node: Node, _ position: Int, rank: Int, name: String) throws(InterpreterError) -> RuntimeTensor {
        let tensor = tensors[try node.input(position)]
        guard tensor.type == .float32 else { throw node.unsupported("\(name) must be float32, got \(tensor.type)") }
        guard tensor.shape.count == rank else { throw node.invalid("\(name) must be \(rank)-D, got shape \(tensor.shape)") }
        return tensor
    }

    /// Checks output `position` is float32 and gives it `shape` (whose element count must not
    /// overflow or pass 2^31).
    static func setFloatOutput(_ tensors: TensorTable, _ node: Node, _ position: Int, shape: [Int]) throws(InterpreterError) {
        let index = try node.output(position)
        guard tensors[index].type == .float32 else { throw node.unsupported("output \(position) must be float32, got \(tensors[index].type)") }
        var count = 1
        for dimension in shape {
            let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
            guard dimension >= 0, !overflow, product <= 1 << 31 else { throw node.invalid("output \(position) shape \(shape) is too large") }
            count = product
        }
        tensors[index].shape = shape
    }

    /// The 4 × 4 transformation matrix input (any shape of 16 float32 values, `[1, 4, 4]` in
    /// MediaPipe's models); the kernels read its first two rows.
    static func matrixInput(_ tensors: TensorTable, _ node: Node, _ position: Int) throws(InterpreterError) -> RuntimeTensor {
        let tensor = tensors[try node.input(position)]
        guard tensor.type == .float32, tensor.elementCount == 16 else {
            throw node.invalid("the transformation matrix must be 16 float32 values (4 × 4), got \(tensor.type) \(tensor.shape)")
        }
        return tensor
    }

    /// The decoded FlexBuffer map of the node's custom options, nil when it has none.
    static func flexOptions(_ node: Node) throws(InterpreterError) -> FlexBufferMap? {
        guard let bytes = node.customOptions, !bytes.isEmpty else { return nil }
        do { return try FlexBufferMap(bytes: bytes) } catch { throw node.invalid("custom options: \(error)") }
    }

    /// Only version 2 of the transform operators: MediaPipe's CPU resolver registers that one.
    static func expectVersion2(_ node: Node) throws(InterpreterError) {
        guard node.version == 2 else {
            throw node.unsupported("version \(node.version) is not supported (MediaPipe's CPU kernels are version 2)")
        }
    }
}
