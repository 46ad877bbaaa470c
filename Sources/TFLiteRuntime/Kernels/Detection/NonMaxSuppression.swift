/// A box in corner form, as `TFLite_Detection_PostProcess` outputs it.
struct DetectionBox: Equatable {
    var ymin: Float
    var xmin: Float
    var ymax: Float
    var xmax: Float

    static let zero = DetectionBox(ymin: 0, xmin: 0, ymax: 0, xmax: 0)
}

/// The pieces of LiteRT's detection post-processing that decide which boxes survive, with its
/// exact ordering and tie-breaking. Everything works in caller-provided buffers (no allocation).
enum NonMaxSuppression {
    /// Intersection over union; 0 when either box has no area (degenerate boxes never suppress).
    static func intersectionOverUnion(_ a: DetectionBox, _ b: DetectionBox) -> Float {
        let areaA = (a.ymax - a.ymin) * (a.xmax - a.xmin)
        let areaB = (b.ymax - b.ymin) * (b.xmax - b.xmin)
        if areaA <= 0 || areaB <= 0 { return 0 }
        let ymin = max(a.ymin, b.ymin)
        let xmin = max(a.xmin, b.xmin)
        let ymax = min(a.ymax, b.ymax)
        let xmax = min(a.xmax, b.xmax)
        let intersection = max(ymax - ymin, 0) * max(xmax - xmin, 0)
        return intersection / (areaA + areaB - intersection)
    }

    /// The index of the first largest value (`optimized_ops::ArgMaxVector`).
    static func argMax(_ values: UnsafePointer<Float>, count: Int) -> Int {
        guard count > 0 else { return 0 }
        var best = values[0]
        var bestIndex = 0
        for index in 1..<max(count, 1) where values[index] > best {
            best = values[index]
            bestIndex = index
        }
        return bestIndex
    }

    /// Indices `0..<count` sorted by decreasing value, ties in index order (LiteRT's
    /// `std::stable_sort`). `scratch` holds at least `count` elements.
    static func stableDecreasingSort<T: Comparable>(_ values: UnsafePointer<T>, count: Int,
                                                    into indices: UnsafeMutablePointer<Int32>, scratch: UnsafeMutablePointer<Int32>) {
        for index in 0..<count { indices[index] = Int32(index) }
        // Bottom-up merge sort: stable, O(n log n), no allocation.
        var source = indices
        var target = scratch
        var width = 1
        while width < count {
            var start = 0
            while start < count {
                let middle = min(start + width, count)
                let end = min(start + 2 * width, count)
                var left = start, right = middle, out = start
                while left < middle && right < end {
                    // Take from the right only when strictly greater: keeps equal values in order.
                    if values[Int(source[right])] > values[Int(source[left])] {
                        target[out] = source[right]
                        right += 1
                    } else {
                        target[out] = source[left]
                        left += 1
                    }
                    out += 1
                }
                while left < middle { target[out] = source[left]; left += 1; out += 1 }
                while right < end { target[out] = source[right]; right += 1; out += 1 }
                start += 2 * width
            }
            swap(&source, &target)
            width *= 2
        }
        if source != indices {
            indices.update(from: source, count: count)
        }
    }

    /// LiteRT's `DecreasingPartialArgSort`: the first `sortCount` of the indices `0..<count`
    /// ordered by decreasing value, equal values in index order (LiteRT 2.x sorts stably; one
    /// element is `ArgMaxVector`, the first largest). `scratch` holds `count` elements.
    static func partialDecreasingSort(_ values: UnsafePointer<Float>, count: Int, sortCount: Int,
                                      into indices: UnsafeMutablePointer<Int32>, scratch: UnsafeMutablePointer<Int32>) {
        if sortCount == 1 {
            indices[0] = Int32(argMax(values, count: count))
            return
        }
        stableDecreasingSort(values, count: count, into: indices, scratch: scratch)
    }

    /// Greedy single-class NMS (`NonMaxSuppressionSingleClassHelper`): keeps boxes scoring at
    /// least `scoreThreshold`, visits them by decreasing score (ties in box order) and drops
    /// every later box whose IoU with a kept one is greater than `iouThreshold`. Writes the
    /// kept box indices to `selected` and returns how many (at most `maxDetections`).
    static func selectSingleClass(boxes: UnsafePointer<DetectionBox>, scores: UnsafePointer<Float>, count: Int,
                                  scoreThreshold: Float, iouThreshold: Float, maxDetections: Int,
                                  workspace: Workspace, selected: UnsafeMutablePointer<Int32>) -> Int {
        var kept = 0
        for index in 0..<count where scores[index] >= scoreThreshold {
            workspace.keptIndices[kept] = Int32(index)
            workspace.keptScores[kept] = scores[index]
            kept += 1
        }
        stableDecreasingSort(workspace.keptScores, count: kept, into: workspace.order, scratch: workspace.scratch)
        let outputSize = min(kept, maxDetections)
        var active = kept
        for index in 0..<kept { workspace.active[index] = 1 }
        var selectedCount = 0
        for i in 0..<kept {
            if active == 0 || selectedCount >= outputSize { break }
            guard workspace.active[i] == 1 else { continue }
            let boxI = Int(workspace.keptIndices[Int(workspace.order[i])])
            selected[selectedCount] = Int32(boxI)
            selectedCount += 1
            workspace.active[i] = 0
            active -= 1
            var j = i + 1
            while j < kept {
                if workspace.active[j] == 1 {
                    let boxJ = Int(workspace.keptIndices[Int(workspace.order[j])])
                    if intersectionOverUnion(boxes[boxI], boxes[boxJ]) > iouThreshold {
                        workspace.active[j] = 0
                        active -= 1
                    }
                }
                j += 1
            }
        }
        return selectedCount
    }

    /// Scratch memory for ``selectSingleClass``, each buffer holding one element per box.
    struct Workspace {
        var keptIndices: UnsafeMutablePointer<Int32>
        var keptScores: UnsafeMutablePointer<Float>
        var order: UnsafeMutablePointer<Int32>
        var scratch: UnsafeMutablePointer<Int32>
        var active: UnsafeMutablePointer<UInt8>
    }
}
