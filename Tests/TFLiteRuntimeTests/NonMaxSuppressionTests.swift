import Testing
@_spi(GeneratedCode) @testable import TFLiteRuntime

/// IoU, ordering and suppression rules of the detection post-processing (LiteRT semantics).
@Suite struct NonMaxSuppressionTests {
    static func box(_ ymin: Float, _ xmin: Float, _ ymax: Float, _ xmax: Float) -> DetectionBox {
        DetectionBox(ymin: ymin, xmin: xmin, ymax: ymax, xmax: xmax)
    }

    @Test func intersectionOverUnion() {
        let unit = Self.box(0, 0, 1, 1)
        #expect(NonMaxSuppression.intersectionOverUnion(unit, unit) == 1)
        #expect(NonMaxSuppression.intersectionOverUnion(unit, Self.box(2, 2, 3, 3)) == 0)
        // Touching edges: no overlap.
        #expect(NonMaxSuppression.intersectionOverUnion(unit, Self.box(1, 0, 2, 1)) == 0)
        // Half overlap: 0.5 / 1.5.
        #expect(abs(NonMaxSuppression.intersectionOverUnion(unit, Self.box(0, 0.5, 1, 1.5)) - 1.0 / 3.0) < 1e-7)
        // Contained: 0.25 / 1.
        #expect(NonMaxSuppression.intersectionOverUnion(unit, Self.box(0, 0, 0.5, 0.5)) == 0.25)
        // Degenerate boxes (no area) never overlap anything, even themselves.
        let line = Self.box(0, 0, 0, 1)
        #expect(NonMaxSuppression.intersectionOverUnion(line, line) == 0)
        #expect(NonMaxSuppression.intersectionOverUnion(unit, Self.box(0.5, 0.5, 0.5, 0.5)) == 0)
    }

    @Test func stableSortKeepsTiesInIndexOrder() {
        let values: [Float] = [0.5, 0.9, 0.5, 0.9, 0.1, 0.5]
        var indices = [Int32](repeating: -1, count: values.count)
        var scratch = indices
        indices.withUnsafeMutableBufferPointer { out in
            scratch.withUnsafeMutableBufferPointer { tmp in
                NonMaxSuppression.stableDecreasingSort(values, count: values.count, into: out.baseAddress!, scratch: tmp.baseAddress!)
            }
        }
        #expect(indices == [1, 3, 0, 2, 5, 4])
        #expect(NonMaxSuppression.argMax(values, count: values.count) == 1)
        #expect(NonMaxSuppression.argMax([Float.nan, 1, 2], count: 3) == 0)  // NaN first is kept, like LiteRT
    }

    /// Runs single-class NMS on `boxes`/`scores`.
    static func select(_ boxes: [DetectionBox], _ scores: [Float], score: Float = 0, iou: Float = 0.5,
                       max maxDetections: Int = 100) -> [Int] {
        let n = max(boxes.count, 1)
        var keptIndices = [Int32](repeating: 0, count: n), order = keptIndices, scratch = keptIndices, selected = keptIndices
        var keptScores = [Float](repeating: 0, count: n)
        var active = [UInt8](repeating: 0, count: n)
        let count = keptIndices.withUnsafeMutableBufferPointer { ki in
            order.withUnsafeMutableBufferPointer { o in
                scratch.withUnsafeMutableBufferPointer { s in
                    keptScores.withUnsafeMutableBufferPointer { ks in
                        active.withUnsafeMutableBufferPointer { a in
                            selected.withUnsafeMutableBufferPointer { sel in
                                let workspace = NonMaxSuppression.Workspace(
                                    keptIndices: ki.baseAddress!, keptScores: ks.baseAddress!, order: o.baseAddress!,
                                    scratch: s.baseAddress!, active: a.baseAddress!)
                                return NonMaxSuppression.selectSingleClass(
                                    boxes: boxes, scores: scores, count: boxes.count, scoreThreshold: score,
                                    iouThreshold: iou, maxDetections: maxDetections, workspace: workspace,
                                    selected: sel.baseAddress!)
                            }
                        }
                    }
                }
            }
        }
        return selected.prefix(count).map(Int.init)
    }

    @Test func suppressesOverlapsAboveTheThresholdOnly() {
        let a = Self.box(0, 0, 1, 1)
        let b = Self.box(0, 0.5, 1, 1.5)  // IoU with a = 1/3
        let c = Self.box(5, 5, 6, 6)
        // IoU 1/3 > 0.3: b is suppressed by the higher-scoring a.
        #expect(Self.select([a, b, c], [0.9, 0.8, 0.7], iou: 0.3) == [0, 2])
        // IoU equal to the threshold does not suppress (strictly greater only).
        let d = Self.box(0, 0, 0.5, 1)  // IoU with a = 0.5 exactly
        #expect(Self.select([a, d], [0.9, 0.8], iou: 0.5) == [0, 1])
        #expect(Self.select([a, d], [0.9, 0.8], iou: 0.49) == [0])
    }

    @Test func scoreThresholdIsInclusive() {
        let boxes = [Self.box(0, 0, 1, 1), Self.box(2, 2, 3, 3), Self.box(4, 4, 5, 5)]
        #expect(Self.select(boxes, [0.5, 0.49, 0.7], score: 0.5) == [2, 0])
    }

    @Test func tiesGoToTheLowerIndexAndSuppressLaterBoxes() {
        let a = Self.box(0, 0, 1, 1)
        // Same score and the same box: the first index wins, the second is suppressed.
        #expect(Self.select([a, a], [0.6, 0.6]) == [0])
        let far = Self.box(3, 3, 4, 4)
        #expect(Self.select([far, a, a], [0.6, 0.6, 0.6]) == [0, 1])
    }

    @Test func respectsMaxDetectionsAndEmptyInput() {
        let boxes = (0..<5).map { Self.box(Float($0) * 2, 0, Float($0) * 2 + 1, 1) }
        #expect(Self.select(boxes, [0.1, 0.5, 0.3, 0.9, 0.2], max: 2) == [3, 1])
        #expect(Self.select(boxes, [0.1, 0.5, 0.3, 0.9, 0.2], max: 0) == [])
        #expect(Self.select([], []) == [])
        #expect(Self.select(boxes, [0, 0, 0, 0, 0], score: 0.1) == [])
    }

    @Test func degenerateBoxesAreNeverSuppressed() {
        let point = Self.box(0.5, 0.5, 0.5, 0.5)
        #expect(Self.select([point, point, point], [0.9, 0.8, 0.7], iou: 0.01) == [0, 1, 2])
    }
}
