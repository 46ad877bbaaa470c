import ArgumentParser

/// `NAME=VALUES` on the command line: an input (by signature name, tensor name or position)
/// and what to give it, e.g. `--input-shape input_ids=1,128` or `--input-range mask=0,1`.
struct InputAssignment<Value: Sendable>: Sendable {
    /// The input as the user named it.
    let name: String
    let value: Value

    /// Splits at the last `=` (tensor names may hold `=`, values never do).
    static func parse(_ argument: String, values: (Substring) -> Value?) -> InputAssignment? {
        guard let equals = argument.lastIndex(of: "="), equals != argument.startIndex,
              let value = values(argument[argument.index(after: equals)...]) else { return nil }
        return InputAssignment(name: String(argument[..<equals]), value: value)
    }
}

/// `--input-shape NAME=D0,D1,…`: a new shape for an input with dynamic dimensions.
struct InputShape: ExpressibleByArgument, Sendable {
    let assignment: InputAssignment<[Int]>

    init?(argument: String) {
        guard let parsed = InputAssignment.parse(argument, values: { text -> [Int]? in
            let dimensions = text.split(separator: ",", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard !dimensions.isEmpty, dimensions.allSatisfy({ ($0 ?? -1) >= 0 }) else { return nil }
            return dimensions.compactMap { $0 }
        }) else { return nil }
        assignment = parsed
    }

    static var defaultValueDescription: String { "NAME=D0,D1,…" }
}

/// `--input-range NAME=LO,HI`: the closed range generated values of an input are drawn from
/// (as LiteRT's benchmark tool's `--input_layer_value_range`, which is inclusive too).
struct InputRange: ExpressibleByArgument, Sendable {
    let assignment: InputAssignment<ClosedRange<Double>>

    init?(argument: String) {
        guard let parsed = InputAssignment.parse(argument, values: { text -> ClosedRange<Double>? in
            let bounds = text.split(separator: ",", omittingEmptySubsequences: false).map { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard bounds.count == 2, let low = bounds[0], let high = bounds[1], low.isFinite, high.isFinite, low <= high else { return nil }
            return low...high
        }) else { return nil }
        assignment = parsed
    }

    static var defaultValueDescription: String { "NAME=LO,HI" }
}
