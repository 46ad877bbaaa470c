import ArgumentParser

/// How `run` and `bench` feed a model: `.npy` files, a signature, new shapes for dynamic
/// dimensions, and value ranges for generated inputs.
struct InputOptions: ParsableArguments {
    @Option(name: .customLong("input"),
            help: "An input .npy file (repeat, in input order, or the signature's with --signature). bench fills inputs itself when none is given.")
    var files: [String] = []

    @Option(help: "Run this signature (inputs and outputs in the signature's order).")
    var signature: String?

    @Option(name: .customLong("input-shape"),
            help: ArgumentHelp("Resize an input's dynamic dimensions (-1 in the model's shape signature) before running; NAME is the signature's input name, the tensor name or the input's position. Repeat for each input.",
                               valueName: "NAME=D0,D1,…"))
    var shapes: [InputShape] = []

    @Option(name: .customLong("input-range"),
            help: ArgumentHelp("The closed range bench draws an input's generated values from (integers rounded inward). Default: [-1, 1] for floats, the full range for 8- and 16-bit integers, and for int32/int64 [0, N-1] when the input indexes a table of N rows (GATHER, EMBEDDING_LOOKUP, …), else [0, 7].",
                               valueName: "NAME=LO,HI"))
    var ranges: [InputRange] = []

    func validate() throws {
        for (flag, names) in [("--input-shape", shapes.map(\.assignment.name)), ("--input-range", ranges.map(\.assignment.name))] {
            if let repeated = names.first(where: { name in names.filter { $0 == name }.count > 1 }) {
                throw ValidationError("\(flag) names input \"\(repeated)\" twice")
            }
        }
    }
}
