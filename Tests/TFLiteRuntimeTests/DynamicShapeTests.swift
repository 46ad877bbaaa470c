import Foundation
import Testing
import TestSupport
@testable import TFLiteRuntime

/// Output shapes computed at run time in the top-level graph (the conformance cases
/// `where_gather_*`, `unique_computed_*`, `range_computed_*`, `while_grow_*` check the values
/// against LiteRT): each run gives its own shapes, memory taken at invoke is given back, and
/// hostile input values stop at the limits with an error naming the operator.
@Suite struct DynamicShapeTests {
    static func path(_ name: String) -> String { Fixtures.url("conformance/\(name)/model.tflite").path }

    static func floats(_ values: [Float]) -> Data { values.withUnsafeBytes { Data($0) } }

    @Test func outputsTakeEachRunsShape() throws {
        // tf.gather_nd(x, tf.where(x > 0)) over a [3, 4, 5] input.
        let interpreter = try Interpreter(modelPath: Self.path("where_gather_nd_float32"))
        try interpreter.allocateTensors()
        let declared = try interpreter.outputInfo(at: 0).shape
        let planned = interpreter.allocatedBytes
        let values = (0..<60).map { Float($0 % 7) - 3 }
        for (input, count) in [(values, values.filter { $0 > 0 }.count), (Array(repeating: 1, count: 60), 60),
                               (Array(repeating: -1, count: 60), 0), (values, values.filter { $0 > 0 }.count)] {
            try interpreter.copy(Self.floats(input), toInputAt: 0)
            try interpreter.invoke()
            let output = try interpreter.output(at: 0)
            #expect(output.shape == [count])
            #expect(try interpreter.outputInfo(at: 0).shape == [count])
            #expect(output.data == Self.floats(input.filter { $0 > 0 }))
            // The arena and what this run took at invoke; the last run's is freed at the next.
            #expect(interpreter.allocatedBytes >= planned && interpreter.allocatedBytes <= planned + 4096)
        }
        try interpreter.allocateTensors()
        #expect(try interpreter.outputInfo(at: 0).shape == declared, "the declared shape until the next invoke")
        #expect(interpreter.allocatedBytes == planned)
    }

    /// Every input of each model filled with hostile byte patterns (all ones, the largest and
    /// smallest values, seeded noise): every run ends, either with outputs or with an
    /// `InterpreterError`, within the memory limit and in bounded time, and the interpreter runs
    /// again afterwards.
    @Test(arguments: ["range_computed_bounds_int32", "range_computed_limit_int32", "range_computed_bounds_float32",
                      "while_grow_concat_int32", "while_grow_rows_float32", "unique_computed_int64", "where_gather_nd_int32",
                      "slice_computed_size_int32", "resize_bilinear_computed_size_float32", "sum_computed_axis_int32"])
    func hostileInputValuesStayWithinTheLimits(_ name: String) throws {
        let limit = 4 << 20
        let options = Interpreter.Options(memoryLimit: limit, totalWorkLimit: 1 << 26)
        let interpreter = try Interpreter(modelPath: Self.path(name), options: options)
        try interpreter.allocateTensors()
        var generator = SplitMix64(seed: 0xD1A_0024)
        let patterns: [(String, (Int) -> UInt8)] = [
            ("0xff", { _ in 0xFF }), ("0x7f", { $0 % 4 == 3 ? 0x7F : 0xFF }), ("0x80", { $0 % 4 == 3 ? 0x80 : 0 }),
            ("0x01", { $0 % 4 == 0 ? 1 : 0 }), ("noise", { _ in UInt8(truncatingIfNeeded: generator.next()) }),
        ]
        let clock = ContinuousClock()
        var refused = 0
        for (label, pattern) in patterns {
            for input in 0..<interpreter.inputTensorCount {
                try interpreter.withInput(at: input) { bytes in
                    for index in bytes.indices { bytes[index] = pattern(index) }
                }
            }
            let elapsed = clock.measure {
                do { try interpreter.invoke() } catch { refused += 1 }
            }
            #expect(elapsed < .seconds(10), "\(name) \(label): \(elapsed)")
            #expect(interpreter.allocatedBytes <= limit, "\(name) \(label): \(interpreter.allocatedBytes) bytes")
        }
        // The case's own inputs still run after the refusals, with LiteRT's shapes.
        let directory = Fixtures.url("conformance/\(name)")
        for input in 0..<interpreter.inputTensorCount {
            let array = try NumPyArray(contentsOf: directory.appending(path: "input_\(input).npy").path)
            try interpreter.copy(array.data, toInputAt: input)
        }
        try interpreter.invoke()
        let reference = try NumPyArray(contentsOf: directory.appending(path: "output_0.npy").path)
        #expect(try interpreter.output(at: 0).shape == reference.shape)
        print("dynamic shapes: \(name): \(refused) of \(patterns.count) hostile runs refused")
    }

    /// A refusal at invoke names the operator: RANGE from 0 to a huge computed limit.
    @Test func aHugeComputedRangeNamesTheOperator() throws {
        // tf.range(max(x) - min(x)) * 2 + 1 over six int32 values.
        let interpreter = try Interpreter(modelPath: Self.path("range_computed_limit_int32"),
                                          options: Interpreter.Options(memoryLimit: 1 << 24))
        try interpreter.allocateTensors()
        let values: [Int32] = [0, 1, 2, 3, 4, Int32.max]
        try interpreter.copy(values.withUnsafeBytes { Data($0) }, toInputAt: 0)
        let error = #expect(throws: InterpreterError.self) { try interpreter.invoke() }
        guard case .runtime("RANGE", _, let reason)? = error else {
            Issue.record("expected a refusal naming RANGE, got \(String(describing: error))")
            return
        }
        #expect(reason.contains("memory limit"))
        #expect("\(error.map { "\($0)" } ?? "")".contains("RANGE"))
    }
}
