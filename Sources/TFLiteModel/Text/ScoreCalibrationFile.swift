/// A `TENSOR_AXIS_SCORE_CALIBRATION` file, read the one way the runtime, the code generator and
/// the validator share: one line per class, `scale,slope,offset[,min_score]` (spaces around the
/// values allowed), or blank for a class without calibration (it gets the default score).
///
/// Lines are split as `LabelLines` splits them, and blank lines at the end are dropped by the
/// same rule (they mean "no calibration", as missing lines do). Values are finite 32-bit floats
/// (what the runtime computes with); the scale is at least 0.
package struct ScoreCalibrationFile: Sendable, Hashable {
    /// The sigmoid of one class: `scale / (1 + exp(−(slope × x + offset)))`; scores below
    /// `minScore` get the default score.
    package struct Sigmoid: Sendable, Hashable {
        package var scale: Float
        package var slope: Float
        package var offset: Float
        package var minScore: Float?

        package init(scale: Float, slope: Float, offset: Float, minScore: Float? = nil) {
            self.scale = scale
            self.slope = slope
            self.offset = offset
            self.minScore = minScore
        }
    }

    /// A malformed line: its number (from 1) and what is wrong.
    package struct Problem: Error, Sendable, Hashable, CustomStringConvertible {
        package var line: Int
        package var reason: String
        /// `line 3: scale must be ≥ 0, got -1`.
        package var description: String { "line \(line): \(reason)" }
    }

    /// One entry per class line (trailing blank lines dropped): nil for a blank line, and for a
    /// malformed one (see `problems`).
    package var sigmoids: [Sigmoid?]
    /// The malformed lines, in order.
    package var problems: [Problem]
    /// Every line as written (blank ones at the end included, the final newline not).
    package var lineCount: Int

    /// Reads `text`; malformed lines are collected in `problems`, never thrown.
    package init(text: String) {
        let all = LabelLines.lines(text)
        var rows = all
        while let last = rows.last, LabelLines.isBlank(last) { rows.removeLast() }
        var sigmoids: [Sigmoid?] = []
        var problems: [Problem] = []
        for (index, line) in rows.enumerated() {
            guard !LabelLines.isBlank(line) else {
                sigmoids.append(nil)
                continue
            }
            switch Self.sigmoid(line) {
            case .success(let sigmoid):
                sigmoids.append(sigmoid)
            case .failure(let reason):
                sigmoids.append(nil)
                problems.append(Problem(line: index + 1, reason: reason.text))
            }
        }
        self.sigmoids = sigmoids
        self.problems = problems
        self.lineCount = all.count
    }

    /// Reads UTF-8 `bytes`.
    package init(bytes: some Collection<UInt8>) {
        self.init(text: String(decoding: bytes, as: UTF8.self))
    }

    /// What is wrong with this file for an output of `classes` classes (nil when unknown): its
    /// malformed lines, no calibration at all, or more lines than classes. Fewer lines are
    /// allowed: the remaining classes get the default score.
    package func check(classes: Int?) -> [String] {
        var found = problems.map(\.description)
        if sigmoids.isEmpty {
            found.append("has no calibration lines")
        } else if let classes, sigmoids.count > classes {
            found.append("has \(sigmoids.count) lines for \(classes) classes")
        }
        return found
    }

    private struct Reason: Error { var text: String }

    private static func sigmoid(_ line: String) -> Result<Sigmoid, Reason> {
        let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingWhitespace() }
        guard fields.count == 3 || fields.count == 4 else {
            return .failure(Reason(text: "expected 3 or 4 numbers (scale,slope,offset[,min_score]), got \(fields.count) values"))
        }
        var values: [Float] = []
        for field in fields {
            guard let value = Float(field), value.isFinite else {
                return .failure(Reason(text: "expected 3 or 4 numbers (scale,slope,offset[,min_score]); \"\(DisplayText.quoted(field, limit: 40))\" is not a finite number"))
            }
            values.append(value)
        }
        guard values[0] >= 0 else { return .failure(Reason(text: "scale must be ≥ 0, got \(DisplayText.quoted(fields[0], limit: 40))")) }
        return .success(Sigmoid(scale: values[0], slope: values[1], offset: values[2], minScore: values.count == 4 ? values[3] : nil))
    }
}

private extension Substring {
    /// Without leading and trailing whitespace.
    func trimmingWhitespace() -> String {
        var text = self[...]
        while let first = text.first, first.isWhitespace { text = text.dropFirst() }
        while let last = text.last, last.isWhitespace { text = text.dropLast() }
        return String(text)
    }
}
