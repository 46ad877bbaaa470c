#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import TFLiteModel

/// The options of `TFLite_Detection_PostProcess`, read from its FlexBuffer custom options the
/// way LiteRT reads them (absent keys are 0, except `detections_per_class` = 100 and
/// `use_regular_nms` = false).
struct DetectionOptions: Equatable {
    var maxDetections: Int
    var maxClassesPerDetection: Int
    var detectionsPerClass: Int
    var useRegularNMS: Bool
    var scoreThreshold: Float
    var iouThreshold: Float
    var numClasses: Int
    var yScale: Float
    var xScale: Float
    var hScale: Float
    var wScale: Float

    init(_ map: FlexBufferMap) {
        maxDetections = Int(map["max_detections"]?.int32 ?? 0)
        maxClassesPerDetection = Int(map["max_classes_per_detection"]?.int32 ?? 0)
        if let value = map["detections_per_class"], value != .null {
            detectionsPerClass = Int(value.int32)
        } else {
            detectionsPerClass = 100
        }
        if let value = map["use_regular_nms"], value != .null {
            useRegularNMS = value.bool
        } else {
            useRegularNMS = false
        }
        scoreThreshold = map["nms_score_threshold"]?.float ?? 0
        iouThreshold = map["nms_iou_threshold"]?.float ?? 0
        numClasses = Int(map["num_classes"]?.int32 ?? 0)
        yScale = map["y_scale"]?.float ?? 0
        xScale = map["x_scale"]?.float ?? 0
        hScale = map["h_scale"]?.float ?? 0
        wScale = map["w_scale"]?.float ?? 0
    }
}

/// The `TFLite_Detection_PostProcess` custom operator (SSD post-processing), as LiteRT's kernel:
///
/// 1. decodes CENTER-SIZE box encodings `[1, N, ≥4]` (y, x, h, w) against anchors `[N, 4]`
///    with the y/x/h/w scales, in double precision, to corner boxes;
/// 2. scores `[1, N, classes (+1 background)]` (float32, or uint8 dequantized);
/// 3. fast NMS (`use_regular_nms` false): each anchor's best `max_classes_per_detection`
///    classes, single-class NMS on the anchors' best scores; or regular NMS: NMS per class
///    (`detections_per_class` each), merged into the overall top `max_detections`;
/// 4. writes boxes `[1, M, 4]` (ymin, xmin, ymax, xmax), classes `[1, M]`, scores `[1, M]`,
///    and the count `[1]`, all float32, with M = max_detections × max_classes_per_detection.
///
/// Unused output slots are zero. Box encodings and anchors must both be float32 or both uint8
/// (quantized); LiteRT supports nothing else.
final class DetectionPostProcessKernel: Kernel {
    private let node: Node
    private let options: DetectionOptions
    private var boxCount = 0
    private var encodingLength = 0
    private var classesWithBackground = 0
    private var labelOffset = 0
    private var outputSlots = 0
    // Scratch (persistent, sized at prepare).
    private var decoded: UnsafeMutablePointer<DetectionBox>?
    private var dequantizedScores: UnsafeMutablePointer<Float>?
    private var workspace: NonMaxSuppression.Workspace?
    private var selected: UnsafeMutablePointer<Int32>?
    private var columnScores: UnsafeMutablePointer<Float>?
    private var classOrder: UnsafeMutablePointer<Int32>?
    private var mergedIndices: UnsafeMutablePointer<Int32>?
    private var mergedScores: UnsafeMutablePointer<Float>?
    private var mergedOrder: UnsafeMutablePointer<Int32>?
    private var sortScratch: UnsafeMutablePointer<Int32>?
    private var sortedValues: UnsafeMutablePointer<Float>?

    /// The most output slots accepted (protects against options asking for gigabytes).
    static let maxOutputSlots = 1 << 20

    init(_ node: Node) throws(InterpreterError) {
        try node.expect(inputs: 3...3, outputs: 4...4)
        self.node = node
        guard let bytes = node.customOptions else { throw node.invalid("missing custom options (a FlexBuffer map)") }
        let map: FlexBufferMap
        do { map = try FlexBufferMap(bytes: bytes) } catch { throw node.invalid("custom options: \(error)") }
        options = DetectionOptions(map)
        guard options.maxDetections >= 0 else { throw node.invalid("max_detections \(options.maxDetections) is negative") }
        guard options.numClasses > 0 else { throw node.invalid("num_classes \(options.numClasses) must be positive") }
        guard options.iouThreshold > 0, options.iouThreshold <= 1 else {
            throw node.invalid("nms_iou_threshold \(options.iouThreshold) must be in (0, 1]")
        }
        if options.useRegularNMS {
            guard options.detectionsPerClass > 0 else {
                throw node.invalid("detections_per_class \(options.detectionsPerClass) must be positive")
            }
        } else {
            guard options.maxClassesPerDetection > 0 else {
                throw node.invalid("max_classes_per_detection \(options.maxClassesPerDetection) must be positive")
            }
        }
    }

    func prepare(_ tensors: TensorTable) throws(InterpreterError) {
        let boxes = tensors[try node.input(0)]
        let classes = tensors[try node.input(1)]
        let anchors = tensors[try node.input(2)]
        guard boxes.shape.count == 3, classes.shape.count == 3, anchors.shape.count == 2 else {
            throw node.invalid("expected box encodings [1, N, 4], class predictions [1, N, C] and anchors [N, 4]; got \(boxes.shape), \(classes.shape), \(anchors.shape)")
        }
        guard boxes.shape[0] == 1, classes.shape[0] == 1 else { throw node.unsupported("only batch size 1 is supported") }
        boxCount = boxes.shape[1]
        encodingLength = boxes.shape[2]
        classesWithBackground = classes.shape[2]
        guard encodingLength >= 4 else { throw node.invalid("box encodings have \(encodingLength) values per box, need at least 4") }
        guard classes.shape[1] == boxCount, anchors.shape[0] == boxCount, anchors.shape[1] == 4 else {
            throw node.invalid("box encodings \(boxes.shape), class predictions \(classes.shape) and anchors \(anchors.shape) disagree on the number of boxes")
        }
        labelOffset = classesWithBackground - options.numClasses
        guard labelOffset == 0 || labelOffset == 1 else {
            throw node.invalid("class predictions have \(classesWithBackground) columns for num_classes \(options.numClasses)")
        }
        switch (boxes.type, anchors.type) {
        case (.float32, .float32): break
        case (.uint8, .uint8):
            guard boxes.quantization != nil, anchors.quantization != nil else {
                throw node.invalid("uint8 box encodings and anchors need quantization parameters")
            }
        default:
            throw node.unsupported("box encodings \(boxes.type) with anchors \(anchors.type) (LiteRT supports float32 or uint8 for both)")
        }
        switch classes.type {
        case .float32: break
        case .uint8:
            guard classes.quantization != nil else { throw node.invalid("uint8 class predictions need quantization parameters") }
        default:
            throw node.unsupported("class predictions of type \(classes.type) (float32 or uint8)")
        }
        // LiteRT sizes the outputs max_detections × max_classes_per_detection in both modes.
        let (declaredSlots, overflow) = options.maxDetections.multipliedReportingOverflow(by: max(options.maxClassesPerDetection, 1))
        guard !overflow, declaredSlots <= Self.maxOutputSlots, options.detectionsPerClass <= Self.maxOutputSlots else {
            throw node.unsupported("max_detections × max_classes_per_detection = \(overflow ? "overflow" : "\(declaredSlots)") (at most \(Self.maxOutputSlots) detections)")
        }
        outputSlots = declaredSlots
        let shapes: [[Int]] = [[1, declaredSlots, 4], [1, declaredSlots], [1, declaredSlots], [1]]
        for (position, shape) in shapes.enumerated() {
            let index = try node.output(position)
            tensors[index].type = .float32
            tensors[index].shape = shape
            tensors[index].quantization = nil
        }

        // Scratch.
        let n = max(boxCount, 1)
        let maxDet = options.maxDetections
        func floats(_ count: Int) throws(InterpreterError) -> UnsafeMutablePointer<Float> {
            try tensors.allocatePersistent(byteCount: max(count, 1) * 4).bindMemory(to: Float.self, capacity: max(count, 1))
        }
        func ints(_ count: Int) throws(InterpreterError) -> UnsafeMutablePointer<Int32> {
            try tensors.allocatePersistent(byteCount: max(count, 1) * 4).bindMemory(to: Int32.self, capacity: max(count, 1))
        }
        guard GraphValidator.elementCount([n, max(classesWithBackground, 1), 4]) != nil else {
            throw node.invalid("too many boxes or classes")
        }
        decoded = try tensors.allocatePersistent(byteCount: n * MemoryLayout<DetectionBox>.stride)
            .bindMemory(to: DetectionBox.self, capacity: n)
        dequantizedScores = classes.type == .uint8 ? try floats(n * classesWithBackground) : nil
        workspace = NonMaxSuppression.Workspace(
            keptIndices: try ints(n), keptScores: try floats(n), order: try ints(n), scratch: try ints(n),
            active: try tensors.allocatePersistent(byteCount: n).bindMemory(to: UInt8.self, capacity: n))
        selected = try ints(n)
        columnScores = try floats(n)
        if options.useRegularNMS {
            mergedIndices = try ints(n + maxDet)
            mergedScores = try floats(n + maxDet)
            mergedOrder = try ints(n + maxDet)
            sortScratch = try ints(n + maxDet)
            sortedValues = try floats(maxDet)
        } else {
            classOrder = try ints(n * max(options.numClasses, 1))
            sortScratch = try ints(max(options.numClasses, 1))
        }
    }

    func run(_ tensors: TensorTable) throws(InterpreterError) {
        guard let decoded, let workspace, let selected, let columnScores else { throw node.failure("not prepared") }
        let boxesTensor = tensors[try node.input(0)]
        let classesTensor = tensors[try node.input(1)]
        let anchorsTensor = tensors[try node.input(2)]
        guard boxesTensor.elementCount == boxCount * encodingLength,
              classesTensor.elementCount == boxCount * classesWithBackground,
              anchorsTensor.elementCount == boxCount * 4 else {
            throw node.failure("input sizes changed after prepare")
        }
        try decode(boxesTensor, anchorsTensor, into: decoded)

        // Scores as float.
        let scores: UnsafePointer<Float>
        if classesTensor.type == .uint8 {
            guard let dequantizedScores else { throw node.failure("not prepared") }
            let raw = classesTensor.buffer(UInt8.self)
            let scale = classesTensor.scale
            let zeroPoint = classesTensor.zeroPoint
            for index in 0..<(boxCount * classesWithBackground) {
                dequantizedScores[index] = scale * Float(Int32(raw[index]) - zeroPoint)
            }
            scores = UnsafePointer(dequantizedScores)
        } else {
            guard let base = classesTensor.buffer(Float.self).baseAddress else {
                if boxCount == 0 { return try writeEmpty(tensors) }
                throw node.failure("class predictions have no data")
            }
            scores = UnsafePointer(base)
        }

        let outBoxes = tensors[try node.output(0)].buffer(DetectionBox.self)
        let outClasses = tensors[try node.output(1)].buffer(Float.self)
        let outScores = tensors[try node.output(2)].buffer(Float.self)
        let outCount = tensors[try node.output(3)].buffer(Float.self)
        guard outBoxes.count >= outputSlots, outClasses.count >= outputSlots, outScores.count >= outputSlots,
              outCount.count >= 1 else {
            throw node.failure("output sizes changed after prepare")
        }
        for slot in 0..<outputSlots {
            outBoxes[slot] = .zero
            outClasses[slot] = 0
            outScores[slot] = 0
        }
        let detections: Int
        if options.useRegularNMS {
            detections = regular(decoded, scores, workspace, selected, columnScores, outBoxes, outClasses, outScores)
        } else {
            detections = fast(decoded, scores, workspace, selected, columnScores, outBoxes, outClasses, outScores)
        }
        outCount[0] = Float(detections)
    }

    private func writeEmpty(_ tensors: TensorTable) throws(InterpreterError) {
        for position in 0..<4 {
            let output = tensors[try node.output(position)]
            if let data = output.data { data.initializeMemory(as: UInt8.self, repeating: 0, count: output.byteCount) }
        }
    }

    // MARK: Decoding

    private func decode(_ boxes: RuntimeTensor, _ anchors: RuntimeTensor,
                        into decoded: UnsafeMutablePointer<DetectionBox>) throws(InterpreterError) {
        let sy = Double(options.yScale), sx = Double(options.xScale)
        let sh = Double(options.hScale), sw = Double(options.wScale)
        let quantized = boxes.type == .uint8
        let floatBoxes = boxes.buffer(Float.self), floatAnchors = anchors.buffer(Float.self)
        let byteBoxes = boxes.buffer(UInt8.self), byteAnchors = anchors.buffer(UInt8.self)
        let boxZero = Float(boxes.zeroPoint), boxScale = boxes.scale
        let anchorZero = Float(anchors.zeroPoint), anchorScale = anchors.scale
        for index in 0..<boxCount {
            let base = index * encodingLength
            let a = index * 4
            let y, x, h, w, ay, ax, ah, aw: Float
            if quantized {
                y = (Float(byteBoxes[base]) - boxZero) * boxScale
                x = (Float(byteBoxes[base + 1]) - boxZero) * boxScale
                h = (Float(byteBoxes[base + 2]) - boxZero) * boxScale
                w = (Float(byteBoxes[base + 3]) - boxZero) * boxScale
                ay = (Float(byteAnchors[a]) - anchorZero) * anchorScale
                ax = (Float(byteAnchors[a + 1]) - anchorZero) * anchorScale
                ah = (Float(byteAnchors[a + 2]) - anchorZero) * anchorScale
                aw = (Float(byteAnchors[a + 3]) - anchorZero) * anchorScale
            } else {
                y = floatBoxes[base]; x = floatBoxes[base + 1]; h = floatBoxes[base + 2]; w = floatBoxes[base + 3]
                ay = floatAnchors[a]; ax = floatAnchors[a + 1]; ah = floatAnchors[a + 2]; aw = floatAnchors[a + 3]
            }
            let yCenter = Float(Double(y) / sy * Double(ah) + Double(ay))
            let xCenter = Float(Double(x) / sx * Double(aw) + Double(ax))
            let halfH = Float(0.5 * exp(Double(h) / sh) * Double(ah))
            let halfW = Float(0.5 * exp(Double(w) / sw) * Double(aw))
            let box = DetectionBox(ymin: yCenter - halfH, xmin: xCenter - halfW, ymax: yCenter + halfH, xmax: xCenter + halfW)
            // LiteRT rejects boxes whose corners are out of order (negative anchor sizes).
            if box.ymin > box.ymax || box.xmin > box.xmax {
                throw node.failure("decoded box \(index) has ymin > ymax or xmin > xmax (negative anchor size?)")
            }
            decoded[index] = box
        }
    }

    // MARK: Fast NMS

    private func fast(_ boxes: UnsafeMutablePointer<DetectionBox>, _ scores: UnsafePointer<Float>,
                      _ workspace: NonMaxSuppression.Workspace, _ selected: UnsafeMutablePointer<Int32>,
                      _ maxScores: UnsafeMutablePointer<Float>, _ outBoxes: UnsafeMutableBufferPointer<DetectionBox>,
                      _ outClasses: UnsafeMutableBufferPointer<Float>, _ outScores: UnsafeMutableBufferPointer<Float>) -> Int {
        guard let classOrder, let sortScratch else { return 0 }
        let numClasses = options.numClasses
        let perAnchor = options.maxClassesPerDetection
        let categories = min(perAnchor, numClasses)
        for row in 0..<boxCount {
            let rowScores = scores + row * classesWithBackground + labelOffset
            let order = classOrder + row * numClasses
            NonMaxSuppression.partialDecreasingSort(rowScores, count: numClasses, sortCount: categories, into: order,
                                                    scratch: sortScratch)
            maxScores[row] = rowScores[Int(order[0])]
        }
        let count = NonMaxSuppression.selectSingleClass(
            boxes: boxes, scores: maxScores, count: boxCount, scoreThreshold: options.scoreThreshold,
            iouThreshold: options.iouThreshold, maxDetections: options.maxDetections,
            workspace: workspace, selected: selected)
        for output in 0..<count {
            let anchor = Int(selected[output])
            let rowScores = scores + anchor * classesWithBackground + labelOffset
            let order = classOrder + anchor * numClasses
            for column in 0..<categories {
                let slot = perAnchor * output + column
                outBoxes[slot] = boxes[anchor]
                outClasses[slot] = Float(order[column])
                outScores[slot] = rowScores[Int(order[column])]
            }
        }
        return count
    }

    // MARK: Regular NMS

    private func regular(_ boxes: UnsafeMutablePointer<DetectionBox>, _ scores: UnsafePointer<Float>,
                         _ workspace: NonMaxSuppression.Workspace, _ selected: UnsafeMutablePointer<Int32>,
                         _ classScores: UnsafeMutablePointer<Float>, _ outBoxes: UnsafeMutableBufferPointer<DetectionBox>,
                         _ outClasses: UnsafeMutableBufferPointer<Float>, _ outScores: UnsafeMutableBufferPointer<Float>) -> Int {
        guard let mergedIndices, let mergedScores, let mergedOrder, let sortedValues, let sortScratch else { return 0 }
        let maxDetections = options.maxDetections
        var sortedCount = 0
        for column in 0..<options.numClasses {
            for row in 0..<boxCount {
                classScores[row] = scores[row * classesWithBackground + column + labelOffset]
            }
            let count = NonMaxSuppression.selectSingleClass(
                boxes: boxes, scores: classScores, count: boxCount, scoreThreshold: options.scoreThreshold,
                iouThreshold: options.iouThreshold, maxDetections: options.detectionsPerClass,
                workspace: workspace, selected: selected)
            var outputIndex = sortedCount
            for position in 0..<count {
                let anchor = Int(selected[position])
                mergedIndices[outputIndex] = Int32(anchor * classesWithBackground + column + labelOffset)
                mergedScores[outputIndex] = classScores[anchor]
                outputIndex += 1
            }
            let sortCount = min(outputIndex, maxDetections)
            NonMaxSuppression.partialDecreasingSort(mergedScores, count: outputIndex, sortCount: sortCount,
                                                    into: mergedOrder, scratch: sortScratch)
            for row in 0..<sortCount {
                let from = Int(mergedOrder[row])
                mergedOrder[row] = mergedIndices[from]
                sortedValues[row] = mergedScores[from]
            }
            for row in 0..<sortCount {
                mergedIndices[row] = mergedOrder[row]
                mergedScores[row] = sortedValues[row]
            }
            sortedCount = sortCount
        }
        for output in 0..<sortedCount {
            let flat = Int(mergedIndices[output])
            let anchor = flat / classesWithBackground
            outBoxes[output] = boxes[anchor]
            outClasses[output] = Float(flat - anchor * classesWithBackground - labelOffset)
            outScores[output] = mergedScores[output]
        }
        return sortedCount
    }
}
