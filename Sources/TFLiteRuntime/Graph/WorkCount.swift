/// The work an operator does per invoke, in `Interpreter.Options` work units: what its kernel
/// reported (multiply-adds, window reads) plus `Interpreter.Options.elementWork` for every
/// element of its inputs and outputs. Sums saturate at `Int.max` (a hostile shape never wraps).
enum WorkCount {
    /// `a + b`, or `Int.max` when that overflows.
    static func add(_ a: Int, _ b: Int) -> Int {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? Int.max : sum
    }

    /// `a × b`, or `Int.max` when that overflows.
    static func multiply(_ a: Int, _ b: Int) -> Int {
        let (product, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? Int.max : product
    }

    /// Work units of `node` once prepared: `reported` plus the weighted elements it reads and writes.
    static func ofOperator(_ node: Node, reported: Int, tensors: TensorTable) -> Int {
        var elements = 0
        for index in node.inputs where tensors.indices.contains(index) {
            elements = add(elements, tensors[index].elementCount)
        }
        for index in node.outputs where tensors.indices.contains(index) {
            elements = add(elements, tensors[index].elementCount)
        }
        return add(reported, multiply(elements, Interpreter.Options.elementWork))
    }
}
