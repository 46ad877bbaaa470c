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

/// NON_MAX_SUPPRESSION_V4 and _V5: greedy selection of float32 `boxes` (`[n, 4]`, two corners in
/// either order) by decreasing `scores` (`[n]`), dropping boxes whose IoU with a selected one
/// reaches `iou_threshold` and scores not above `score_threshold`; V5 adds soft suppression
/// (`soft_nms_sigma` > 0 decays scores by `exp(−iou² / 2σ)`) and outputs the selected scores.
///
/// `max_output_size` must be constant: the outputs are `[max_output_size]` (unused entries
/// zero) and the count of valid ones, as LiteRT sizes them. The candidate queue follows
/// libstdc++'s `std::priority_queue` heap operations step for step, so equal scores come out in
/// LiteRT's order.
final class NonMaxSuppressionV4V5Kernel: Kernel {
    private let node: Node
    private let soft: Bool
    private var boxCount = 0
    private var maxOutput = 0
    /// The heap of candidates, `boxCount` entries each.
    private var heapIndex: UnsafeMutablePointer<Int32>?
    private var heapScore: UnsafeMutablePointer<Float>?
    private var heapBegin: UnsafeMutablePointer<Int32>?

    /// A candidate box: its index, its (possibly decayed) score, and how many selected boxes it
    /// has already been compared with.
    private struct Candidate {
        var index: Int32
        var score: Float
        var begin: Int32
    }

    init(_ node: Node, soft: Bool) throws(InterpreterError) {
        try node.expect(inputs: soft ? 6...6 : 5...5, outputs: soft ? 3...3 : 2...2)
        self.node = node
        self.soft = soft
    }

    func prepare(_ tensors: TensorTable) throws(InterpreterError) {
        let boxes = tensors[try node.input(0)]
        let scores = tensors[try node.input(1)]
        guard boxes.type == .float32, boxes.shape.count == 2, boxes.shape[1] == 4 else {
            throw node.invalid("boxes must be float32 [n, 4], got \(boxes.type) \(boxes.shape)")
        }
        guard scores.type == .float32, scores.shape == [boxes.shape[0]] else {
            throw node.invalid("scores must be float32 [\(boxes.shape[0])], got \(scores.type) \(scores.shape)")
        }
        try ShapeOps.requireData(boxes, node, "boxes")
        try ShapeOps.requireData(scores, node, "scores")
        for (position, name) in (soft ? [3, 4, 5] : [3, 4]).map({ ($0, $0 == 3 ? "iou_threshold" : $0 == 4 ? "score_threshold" : "soft_nms_sigma") }) {
            let tensor = tensors[try node.input(position)]
            guard tensor.type == .float32, tensor.elementCount == 1 else { throw node.invalid("\(name) must be a float32 scalar") }
            try ShapeOps.requireData(tensor, node, name)
        }
        guard tensors[try node.input(2)].type == .int32 else { throw node.invalid("max_output_size must be int32") }
        let sizes = try ShapeOps.constantInts(node, tensors, input: 2, "max_output_size")
        guard sizes.count == 1, let size = sizes.first, size >= 0 else { throw node.invalid("max_output_size must be a non-negative scalar, got \(sizes)") }
        boxCount = boxes.shape[0]
        maxOutput = size
        let selected = try node.output(0)
        guard tensors[selected].type == .int32 else { throw node.invalid("selected_indices must be int32") }
        _ = try ShapeOps.plannedCount([size], width: 4, node, tensors)
        tensors[selected].shape = [size]
        if soft {
            let selectedScores = try node.output(1)
            guard tensors[selectedScores].type == .float32 else { throw node.invalid("selected_scores must be float32") }
            tensors[selectedScores].shape = [size]
        }
        let countIndex = try node.output(soft ? 2 : 1)
        guard tensors[countIndex].type == .int32 else { throw node.invalid("num_selected_indices must be int32") }
        tensors[countIndex].shape = []
        // Every candidate may be compared with every selected box, and re-queued (soft).
        var depth = 1
        while 1 << depth < max(boxCount, 1) { depth += 1 }
        try tensors.checkWork(boxCount, min(boxCount, max(size, 1)) + depth, node: node)
        let count = max(boxCount, 1)
        heapIndex = try tensors.allocatePersistent(byteCount: count * 4).bindMemory(to: Int32.self, capacity: count)
        heapScore = try tensors.allocatePersistent(byteCount: count * 4).bindMemory(to: Float.self, capacity: count)
        heapBegin = try tensors.allocatePersistent(byteCount: count * 4).bindMemory(to: Int32.self, capacity: count)
    }

    func run(_ tensors: TensorTable) throws(InterpreterError) {
        let boxes = tensors[try node.input(0)].buffer(Float.self)
        let scores = tensors[try node.input(1)].buffer(Float.self)
        let iouThreshold = tensors[try node.input(3)].buffer(Float.self).first ?? 0
        let scoreThreshold = tensors[try node.input(4)].buffer(Float.self).first ?? 0
        let sigma = soft ? (tensors[try node.input(5)].buffer(Float.self).first ?? 0) : 0
        let selected = tensors[try node.output(0)].buffer(Int32.self)
        let selectedScores = soft ? tensors[try node.output(1)].buffer(Float.self) : UnsafeMutableBufferPointer(start: nil, count: 0)
        let countOutput = tensors[try node.output(soft ? 2 : 1)].buffer(Int32.self)
        guard boxes.count >= boxCount * 4, scores.count >= boxCount, selected.count >= maxOutput,
              !soft || selectedScores.count >= maxOutput, !countOutput.isEmpty,
              let heapIndex, let heapScore, let heapBegin else {
            throw node.failure("tensor sizes changed after prepare")
        }
        guard iouThreshold >= 0, iouThreshold <= 1 else { throw node.failure("iou_threshold \(iouThreshold) is outside [0, 1]") }
        guard sigma >= 0 else { throw node.failure("soft_nms_sigma \(sigma) is negative") }
        var heap = Heap(index: heapIndex, score: heapScore, begin: heapBegin)
        for box in 0..<boxCount where scores[box] > scoreThreshold {
            heap.push(Candidate(index: Int32(box), score: scores[box], begin: 0))
        }
        var count = 0
        let outputs = min(heap.count, maxOutput)
        let scale: Float = sigma > 0 ? -0.5 / sigma : 0
        while count < outputs && heap.count > 0 {
            var candidate = heap.pop()
            let original = candidate.score
            var hardSuppress = false
            var j = count - 1
            while j >= Int(candidate.begin) {
                let iou = Self.intersectionOverUnion(boxes, Int(candidate.index), Int(selected[j]))
                if iou >= iouThreshold {
                    hardSuppress = true
                    break
                }
                if sigma > 0 { candidate.score = candidate.score * expf(scale * iou * iou) }
                if candidate.score <= scoreThreshold { break }
                j -= 1
            }
            candidate.begin = Int32(count)
            guard !hardSuppress else { continue }
            if candidate.score == original {
                selected[count] = candidate.index
                if soft { selectedScores[count] = candidate.score }
                count += 1
            }
            if candidate.score > scoreThreshold { heap.push(candidate) }
        }
        for position in count..<maxOutput {
            selected[position] = 0
            if soft { selectedScores[position] = 0 }
        }
        countOutput[0] = Int32(count)
    }

    /// LiteRT's IoU of boxes `i` and `j` (corners in either order; 0 when either has no area).
    static func intersectionOverUnion(_ boxes: UnsafeMutableBufferPointer<Float>, _ i: Int, _ j: Int) -> Float {
        let iy1 = boxes[4 * i], ix1 = boxes[4 * i + 1], iy2 = boxes[4 * i + 2], ix2 = boxes[4 * i + 3]
        let jy1 = boxes[4 * j], jx1 = boxes[4 * j + 1], jy2 = boxes[4 * j + 2], jx2 = boxes[4 * j + 3]
        let iyMin = min(iy1, iy2), iyMax = max(iy1, iy2), ixMin = min(ix1, ix2), ixMax = max(ix1, ix2)
        let jyMin = min(jy1, jy2), jyMax = max(jy1, jy2), jxMin = min(jx1, jx2), jxMax = max(jx1, jx2)
        let areaI = (iyMax - iyMin) * (ixMax - ixMin)
        let areaJ = (jyMax - jyMin) * (jxMax - jxMin)
        if areaI <= 0 || areaJ <= 0 { return 0 }
        let intersection = max(min(iyMax, jyMax) - max(iyMin, jyMin), 0) * max(min(ixMax, jxMax) - max(ixMin, jxMin), 0)
        return intersection / (areaI + areaJ - intersection)
    }

    /// A max-heap by score over three parallel arrays, with libstdc++'s `push_heap` and
    /// `pop_heap` (`__adjust_heap`) moves, so ties resolve as `std::priority_queue`'s do.
    private struct Heap {
        let index: UnsafeMutablePointer<Int32>
        let score: UnsafeMutablePointer<Float>
        let begin: UnsafeMutablePointer<Int32>
        var count = 0

        init(index: UnsafeMutablePointer<Int32>, score: UnsafeMutablePointer<Float>, begin: UnsafeMutablePointer<Int32>) {
            self.index = index
            self.score = score
            self.begin = begin
        }

        subscript(position: Int) -> Candidate {
            get { Candidate(index: index[position], score: score[position], begin: begin[position]) }
            nonmutating set {
                index[position] = newValue.index
                score[position] = newValue.score
                begin[position] = newValue.begin
            }
        }

        /// `__push_heap`: moves the hole at `hole` up while its parent scores less than `value`.
        private func siftUp(_ start: Int, top: Int, _ value: Candidate) {
            var hole = start
            var parent = (hole - 1) / 2
            while hole > top && score[parent] < value.score {
                self[hole] = self[parent]
                hole = parent
                parent = (hole - 1) / 2
            }
            self[hole] = value
        }

        mutating func push(_ value: Candidate) {
            count += 1
            siftUp(count - 1, top: 0, value)
        }

        mutating func pop() -> Candidate {
            let top = self[0]
            count -= 1
            if count > 0 {
                let value = self[count]
                self[count] = top
                adjust(length: count, value)
            }
            return top
        }

        /// `__adjust_heap(first, 0, length, value)`.
        private func adjust(length: Int, _ value: Candidate) {
            var hole = 0
            var child = 0
            while child < (length - 1) / 2 {
                child = 2 * (child + 1)
                if score[child] < score[child - 1] { child -= 1 }
                self[hole] = self[child]
                hole = child
            }
            if length & 1 == 0 && child == (length - 2) / 2 {
                child = 2 * (child + 1)
                self[hole] = self[child - 1]
                hole = child - 1
            }
            siftUp(hole, top: 0, value)
        }
    }
}
