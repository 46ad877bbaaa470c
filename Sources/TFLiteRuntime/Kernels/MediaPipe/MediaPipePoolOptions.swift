#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
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

    init(_ raw: Data) throws(CustomOperatorError) {
        guard raw.count >= Self.byteCount else {
            throw .invalid("custom options must hold TfLitePoolParams (at least \(Self.byteCount) bytes), got \(raw.count)")
        }
        let fields = MediaPipeSupport.int32s(raw, count: 6)
        padding = try MediaPipeSupport.padding(fields[0])
        strideWidth = try MediaPipeSupport.positive(fields[1], name: "stride_width")
        strideHeight = try MediaPipeSupport.positive(fields[2], name: "stride_height")
        filterWidth = try MediaPipeSupport.positive(fields[3], name: "filter_width")
        filterHeight = try MediaPipeSupport.positive(fields[4], name: "filter_height")
        switch fields[5] {
        case 0, 4, 5, 6: (low, high) = (-.greatestFiniteMagnitude, .greatestFiniteMagnitude)
        case 1: (low, high) = (0, .greatestFiniteMagnitude)
        case 2: (low, high) = (-1, 1)
        case 3: (low, high) = (0, 6)
        default: throw .invalid("custom options: unknown activation \(fields[5])")
        }
    }

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
