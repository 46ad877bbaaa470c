import Foundation
import Testing
import TFLiteModel

/// The one reading of label files and score calibration files that the runtime, `tflcodegen`
/// and `tflmeta validate` share (issue #20, item 11).
@Suite struct TextFileParsersTests {
    @Test func labelLinesDropOnlyTrailingBlankLines() {
        #expect(LabelLines.parse("a\nb\nc") == ["a", "b", "c"])
        #expect(LabelLines.parse("a\r\nb\r\n") == ["a", "b"])
        #expect(LabelLines.parse("a\nb\n\n \n\t\r\n") == ["a", "b"])
        #expect(LabelLines.parse("a\n \nb\n") == ["a", " ", "b"], "a blank line in the middle is a label")
        #expect(LabelLines.parse(" x \n") == [" x "], "labels are kept as written")
        #expect(LabelLines.parse("").isEmpty)
        #expect(LabelLines.parse(" \n\n").isEmpty)
        #expect(LabelLines.parse(Array("a\n\u{FF}\n".utf8) + [0xFF, 0x0A]).count == 3, "invalid UTF-8 still counts lines")
        #expect(LabelLines.lines("a\n\n") == ["a", ""])
    }

    @Test func scoreCalibrationReadsOneLinePerClass() {
        let file = ScoreCalibrationFile(text: "1,2,0.5\n\n 0.5 , 1, 0, 0.3\r\n\n \n")
        #expect(file.problems.isEmpty)
        #expect(file.sigmoids == [ScoreCalibrationFile.Sigmoid(scale: 1, slope: 2, offset: 0.5), nil,
                                  ScoreCalibrationFile.Sigmoid(scale: 0.5, slope: 1, offset: 0, minScore: 0.3)])
        #expect(file.lineCount == 5)
        #expect(file.check(classes: 3).isEmpty)
        #expect(file.check(classes: 4).isEmpty, "fewer lines than classes: the rest get the default score")
        #expect(file.check(classes: 2) == ["has 3 lines for 2 classes"])
        #expect(ScoreCalibrationFile(text: "\n \n").check(classes: 2) == ["has no calibration lines"])
    }

    @Test func scoreCalibrationProblemsNameTheLine() {
        let file = ScoreCalibrationFile(text: "1,1\n-1,1,0\nx,1,0\nnan,1,0\n1,1,1e99\n1,1,0,0,0\n")
        #expect(file.problems.map(\.description) == [
            "line 1: expected 3 or 4 numbers (scale,slope,offset[,min_score]), got 2 values",
            "line 2: scale must be ≥ 0, got -1",
            "line 3: expected 3 or 4 numbers (scale,slope,offset[,min_score]); \"x\" is not a finite number",
            "line 4: expected 3 or 4 numbers (scale,slope,offset[,min_score]); \"nan\" is not a finite number",
            "line 5: expected 3 or 4 numbers (scale,slope,offset[,min_score]); \"1e99\" is not a finite number",
            "line 6: expected 3 or 4 numbers (scale,slope,offset[,min_score]), got 5 values",
        ])
        // Model text in problems is escaped and cut.
        let long = ScoreCalibrationFile(text: "1,1,\u{1B}" + String(repeating: "z", count: 1000) + "\n")
        #expect(long.problems.first.map { !$0.description.contains("\u{1B}") && $0.description.count < 200 } == true)
    }
}
