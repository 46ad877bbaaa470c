import TFLiteModel

/// Input and output sizes of a resize: a 4-D NHWC input and an int32 `[height, width]` known at
/// prepare (a constant, or any value once the operator prepares at invoke) size input.
struct ResizeGeometry {
    var batches = 0
    var inputHeight = 0
    var inputWidth = 0
    var depth = 0
    var outputHeight = 0
    var outputWidth = 0

    init() {}

    init(_ node: Node, _ tensors: TensorTable) throws(InterpreterError) {
        let input = tensors[try node.input(0)]
        guard input.shape.count == 4 else {
            throw node.invalid("the input must be 4-D (NHWC), got shape \(input.shape)")
        }
        let size = tensors[try node.input(1)]
        guard size.type == .int32, size.elementCount == 2, size.shape.count == 1 else {
            throw node.invalid("the size input must be an int32 vector of 2 values")
        }
        guard tensors.valuesKnown(size) else {
            throw tensors.deferToRunTime(node, "dynamic output shape: the size input is not constant")
        }
        let values = size.buffer(Int32.self)
        guard values.count >= 2 else { throw node.invalid("the size input has no data") }
        batches = input.shape[0]
        inputHeight = input.shape[1]
        inputWidth = input.shape[2]
        depth = input.shape[3]
        outputHeight = Int(values[0])
        outputWidth = Int(values[1])
        guard outputHeight > 0, outputWidth > 0 else {
            throw node.invalid("output size \(outputHeight)×\(outputWidth) must be positive")
        }
        guard inputHeight > 0 || batches * depth == 0, inputWidth > 0 || batches * depth == 0 else {
            throw node.invalid("cannot resize an empty image")
        }
        // LiteRT counts elements in a 32-bit int; larger outputs are refused rather than allocated.
        guard let count = GraphValidator.elementCount([batches, outputHeight, outputWidth, depth]),
              count <= Int(Int32.max) else {
            throw node.invalid("output shape \([batches, outputHeight, outputWidth, depth]) is too large")
        }
    }

    var outputShape: [Int] { [batches, outputHeight, outputWidth, depth] }
    var inputCount: Int { batches * inputHeight * inputWidth * depth }
    var outputCount: Int { batches * outputHeight * outputWidth * depth }
}
