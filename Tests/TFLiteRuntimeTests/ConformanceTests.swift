import Foundation
import Testing
import TestSupport
@_spi(GeneratedCode) @testable import TFLiteRuntime

/// One case of the conformance suite (`Tests/Fixtures/conformance/<case>/`), made by
/// `scripts/make_conformance.py` with the TensorFlow converter and LiteRT's reference kernels.
struct ConformanceCase: CustomTestStringConvertible, Sendable {
    let name: String
    let directory: URL
    var testDescription: String { name }

    struct Info: Decodable {
        /// What `make_conformance.py` allows: `relative` (float outputs, `value` relative),
        /// `exact` (integers equal) or `one_step` (integers within `value` steps, where LiteRT's
        /// own optimized kernels differ from its reference kernels).
        struct Tolerance: Decodable {
            var kind: String
            var value: Double?
        }
        var op: String
        var dtype: String
        var tolerance: Tolerance?
        var optimized_max_diff: Double?
        /// Set for cases TFLiteRuntime refuses by design (data-dependent output shapes): the
        /// substring its unsupported-operator error must contain.
        var expected_unsupported: String?
        /// How many times the case invokes the model on the same inputs (stateful models: the
        /// outputs are the last run's).
        var runs: Int?
    }

    /// Every case, or those whose name contains `CONFORMANCE_FILTER` (comma-separated substrings).
    static var all: [ConformanceCase] {
        let base = Fixtures.url("conformance")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: base.path)) ?? []).sorted()
        let filters = ProcessInfo.processInfo.environment["CONFORMANCE_FILTER"]?
            .split(separator: ",").map(String.init) ?? []
        return names
            .filter { FileManager.default.fileExists(atPath: base.appending(path: "\($0)/case.json").path) }
            .filter { name in filters.isEmpty || filters.contains { name.contains($0) } }
            .map { ConformanceCase(name: $0, directory: base.appending(path: $0)) }
    }

    func files(_ prefix: String) -> [URL] {
        var result: [URL] = []
        while FileManager.default.fileExists(atPath: directory.appending(path: "\(prefix)_\(result.count).npy").path) {
            result.append(directory.appending(path: "\(prefix)_\(result.count).npy"))
        }
        return result
    }
}

@Suite struct ConformanceTests {
    @Test(arguments: ConformanceCase.all)
    func matchesLiteRT(_ testCase: ConformanceCase) throws {
        try Self.check(testCase)
    }

    /// Every case again on three threads (the kernels split rows over the pool; a pool bug or
    /// a thread-dependent result shows up here).
    @Test func everyCaseMatchesLiteRTOnThreeThreads() throws {
        for testCase in ConformanceCase.all { try Self.check(testCase, threads: 3) }
    }

    /// `case.json`'s tolerance decides the comparison (it was decoded and never used).
    @Test func theRecordedToleranceIsUsed() throws {
        func info(_ json: String) throws -> ConformanceCase.Info {
            let text = "{\"op\": \"ADD\", \"dtype\": \"int8\", " + json
            return try JSONDecoder().decode(ConformanceCase.Info.self, from: Data(text.utf8))
        }
        let loose = try Self.allowance(info("\"tolerance\": {\"kind\": \"relative\", \"value\": 1e-3}}"), case: "loose")
        #expect(loose.relative == 1e-3)
        #expect(Self.compare([1.0005], [1.0], type: .float32, allowedSteps: loose.steps, relative: loose.relative) == nil)
        #expect(Self.compare([1.0005], [1.0], type: .float32, allowedSteps: 0) != nil)
        let steps = try Self.allowance(info("\"tolerance\": {\"kind\": \"one_step\", \"value\": 2}}"), case: "steps")
        #expect(steps.steps == 2)
        #expect(Self.compare([3], [1], type: .int8, allowedSteps: steps.steps, relative: steps.relative) == nil)
        let exact = try Self.allowance(info("\"tolerance\": {\"kind\": \"exact\", \"value\": 0}, \"optimized_max_diff\": 1}"), case: "exact")
        #expect(exact.steps == 0)
        let none = try Self.allowance(info("\"optimized_max_diff\": 1}"), case: "none")
        #expect(none.steps == 1 && none.relative == 1e-5)
    }

    /// Runs one case and records every difference from LiteRT's outputs.
    static func check(_ testCase: ConformanceCase, threads: Int = 1) throws {
        let info = try JSONDecoder().decode(ConformanceCase.Info.self,
                                            from: Data(contentsOf: testCase.directory.appending(path: "case.json")))
        let interpreter = try Interpreter(modelPath: testCase.directory.appending(path: "model.tflite").path,
                                          options: Interpreter.Options(threadCount: threads))
        let inputs = try testCase.files("input").map { try NumPyArray(contentsOf: $0.path) }
        #expect(inputs.count == interpreter.inputTensorCount)
        for (index, input) in inputs.enumerated() where input.shape != (try interpreter.input(at: index)).shape {
            try interpreter.resizeInput(at: index, to: input.shape, strict: false)  // as LiteRT's resize_tensor_input
        }
        if let refusal = info.expected_unsupported {
            let error = #expect(throws: InterpreterError.self) { try interpreter.allocateTensors() }
            guard case .unsupportedOperator(_, _, let reason)? = error else {
                Issue.record("\(testCase.name): expected an unsupported-operator error, got \(String(describing: error))")
                return
            }
            #expect(reason.contains(refusal), "\(testCase.name): \(reason)")
            return
        }
        let allowance = try allowance(info, case: testCase.name)
        try interpreter.allocateTensors()
        for (index, input) in inputs.enumerated() {
            try interpreter.copy(input.data, toInputAt: index)
        }
        for _ in 0..<max(1, info.runs ?? 1) { try interpreter.invoke() }
        let expected = try testCase.files("output").map { try NumPyArray(contentsOf: $0.path) }
        #expect(expected.count == interpreter.outputTensorCount)
        for (index, reference) in expected.enumerated() {
            let output = try interpreter.output(at: index)
            #expect(output.shape == reference.shape, "output \(index) shape")
            let actual = NumPyArray(type: output.type, shape: output.shape, data: output.data)
            #expect(output.type == reference.type, "output \(index) type")
            guard output.shape == reference.shape, output.type == reference.type else { continue }
            let mismatch = compare(actual.doubles(), reference.doubles(), type: reference.type,
                                   allowedSteps: allowance.steps, relative: allowance.relative)
            #expect(mismatch == nil, "\(testCase.name) output \(index): \(mismatch ?? "")")
        }
    }

    /// The case's recorded tolerance as (integer steps, float relative error). Cases without one
    /// (and the integer outputs of a float case) allow one step where LiteRT's optimized kernels
    /// differed from its reference kernels (`optimized_max_diff`), and floats 1e-5.
    static func allowance(_ info: ConformanceCase.Info, case name: String) throws -> (steps: Int, relative: Double) {
        let defaultSteps = (info.optimized_max_diff ?? 0) > 0 ? 1 : 0
        let defaultRelative = 1e-5
        guard let tolerance = info.tolerance else { return (defaultSteps, defaultRelative) }
        switch tolerance.kind {
        case "exact":
            return (0, defaultRelative)
        case "one_step":
            let steps = try #require(tolerance.value.flatMap { Int(exactly: $0) }, "\(name): case.json: tolerance.value must be a whole number of steps")
            return (steps, defaultRelative)
        case "relative":
            let relative = try #require(tolerance.value, "\(name): case.json: tolerance.value is missing")
            return (defaultSteps, relative)
        default:
            Issue.record("\(name): case.json: unknown tolerance kind \(tolerance.kind)")
            return (defaultSteps, defaultRelative)
        }
    }

    /// Integers: equal, or within `allowedSteps`; floats: within `relative` (the tensor's
    /// magnitude standing in for values near zero).
    static func compare(_ actual: [Double], _ expected: [Double], type: TensorType, allowedSteps: Int, relative: Double = 1e-5) -> String? {
        let isFloat = type == .float32 || type == .float16 || type == .float64
        var worst: (index: Int, difference: Double)?
        let largest = expected.map(abs).max() ?? 0
        for index in expected.indices {
            let difference = abs(actual[index] - expected[index])
            // Relative, measured against the tensor's magnitude for values near zero (sums that
            // cancel have no meaningful relative error of their own).
            let allowed = isFloat ? relative * max(abs(expected[index]), 1e-2 * largest) + 1e-7 : Double(allowedSteps)
            if difference > allowed || difference.isNaN != expected[index].isNaN {
                if difference > (worst?.difference ?? -1) { worst = (index, difference) }
            }
        }
        guard let worst else { return nil }
        return "element \(worst.index): got \(actual[worst.index]), LiteRT \(expected[worst.index]) (|Δ| = \(worst.difference))"
    }
}
