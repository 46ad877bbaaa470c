import Foundation

/// Reading the small text files metadata refers to: label files and score calibration files.
public enum TextFiles {
    /// The lines of `bytes` (`\n` or `\r\n`), without the empty line after a final newline.
    public static func lines(_ bytes: [UInt8]) -> [String] {
        var lines = String(decoding: bytes, as: UTF8.self)
            .split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasSuffix("\r") ? String($0.dropLast()) : String($0) }
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    /// The number of labels in a label file: its lines, ignoring empty lines at the end.
    public static func labelCount(_ bytes: [UInt8]) -> Int {
        var lines = lines(bytes)
        while let last = lines.last, last.trimmingCharacters(in: .whitespaces).isEmpty { lines.removeLast() }
        return lines.count
    }

    /// Problems in a score calibration file (`scale,slope,offset[,min_score]` per class, an
    /// empty line for a class without calibration, scale ≥ 0), as tflite-support checks it.
    /// Returns the number of classes (lines) and the problems found.
    public static func checkScoreCalibration(_ bytes: [UInt8]) -> (lines: Int, problems: [String]) {
        let all = lines(bytes)
        var problems: [String] = []
        for (index, line) in all.enumerated() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            let values = line.split(separator: ",", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            guard values.count == 3 || values.count == 4 else {
                problems.append("line \(index + 1) has \(values.count) values, expected 3 or 4 (scale,slope,offset[,min_score])")
                continue
            }
            let numbers = values.map { Double($0) }
            if let bad = values.indices.first(where: { numbers[$0] == nil }) {
                problems.append("line \(index + 1): \"\(values[bad])\" is not a number")
            } else if let scale = numbers[0], scale < 0 {
                problems.append("line \(index + 1): the scale \(values[0]) is negative")
            }
        }
        return (all.count, problems)
    }
}
