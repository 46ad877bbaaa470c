import Foundation
import Testing
import TestSupport
import TFLiteModel
@testable import TFLiteRuntime

/// WHILE, IF, CALL_ONCE and resource variables beyond LiteRT's outputs (the conformance cases
/// `while_*`, `if_*`, `variables_*`, `keras_*` check those): the limits hold inside loops and
/// nested subgraphs, and hostile subgraph references are refused.
@Suite struct ControlFlowTests {
    static func conformanceModel(_ name: String) -> String {
        Fixtures.url("conformance/\(name)/model.tflite").path
    }

    @Test func aLoopThatNeverEndsStopsAtTheWorkLimit() throws {
        // i < n with n = Int32.max: about two billion iterations, stopped by the total work limit.
        let options = Interpreter.Options(totalWorkLimit: 1 << 20)
        let interpreter = try Interpreter(modelPath: Self.conformanceModel("while_counter_float32"), options: options)
        try interpreter.allocateTensors()
        try interpreter.copy(Data(count: 24), toInputAt: 0)
        try interpreter.copy(withUnsafeBytes(of: Int32.max) { Data($0) }, toInputAt: 1)
        let started = Date()
        let error = #expect(throws: InterpreterError.self) { try interpreter.invoke() }
        guard case .totalWorkLimitExceeded(let name, _, let required, let limit)? = error else {
            Issue.record("expected the total work limit, got \(String(describing: error))")
            return
        }
        #expect(name == "WHILE")
        #expect(required > limit && limit == 1 << 20)
        #expect(Date().timeIntervalSince(started) < 10)
        // The same interpreter runs a loop within the limit afterwards.
        try interpreter.copy(withUnsafeBytes(of: Int32(3)) { Data($0) }, toInputAt: 1)
        try interpreter.invoke()
    }

    @Test func nestedInterpretersCountAgainstTheMemoryLimit() throws {
        let path = Self.conformanceModel("keras_lstm_float32")
        let interpreter = try Interpreter(modelPath: path)
        try interpreter.allocateTensors()
        let whole = interpreter.allocatedBytes
        #expect(whole > interpreter.scope.childBytes && interpreter.scope.childBytes > 0)
        let tight = try Interpreter(modelPath: path, options: Interpreter.Options(memoryLimit: whole - 1))
        let error = #expect(throws: InterpreterError.self) { try tight.allocateTensors() }
        guard case .memoryLimitExceeded(let required, let limit)? = error else {
            Issue.record("expected the memory limit, got \(String(describing: error))")
            return
        }
        #expect(limit == whole - 1 && required > limit)
        let enough = try Interpreter(modelPath: path, options: Interpreter.Options(memoryLimit: whole))
        try enough.allocateTensors()
    }

    @Test func variablesKeepTheirValuesBetweenRuns() throws {
        let interpreter = try Interpreter(modelPath: Self.conformanceModel("variables_accumulator_float32"))
        try interpreter.allocateTensors()
        var means: [[Float]] = []
        for value in [Float(2), 4, 9] {
            try interpreter.copy([Float](repeating: value, count: 6).withUnsafeBytes { Data($0) }, toInputAt: 0)
            try interpreter.invoke()
            means.append(try interpreter.output(at: 0).data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) })
        }
        #expect(means.map { $0.first } == [2, 3, 5])
    }

    @Test func aSubgraphThatCallsItselfIsRefused() throws {
        // Subgraph 0 loops with itself as the body: refused when prepared, not recursed into.
        let model = try HostileModels.compile("""
        { "version": 3,
          "operator_codes": [{ "deprecated_builtin_code": 119, "builtin_code": "WHILE", "version": 1 },
                             { "deprecated_builtin_code": 61, "builtin_code": "GREATER", "version": 1 }],
          "buffers": [{}, { "data": [0, 0, 0, 0] }],
          "subgraphs": [
            { "inputs": [0], "outputs": [1],
              "tensors": [{ "shape": [], "type": "INT32", "buffer": 0 }, { "shape": [], "type": "INT32", "buffer": 0 }],
              "operators": [{ "opcode_index": 0, "inputs": [0], "outputs": [1],
                              "builtin_options_type": "WhileOptions",
                              "builtin_options": { "cond_subgraph_index": 1, "body_subgraph_index": 0 } }] },
            { "inputs": [0], "outputs": [2],
              "tensors": [{ "shape": [], "type": "INT32", "buffer": 0 }, { "shape": [], "type": "INT32", "buffer": 1 },
                          { "shape": [], "type": "BOOL", "buffer": 0 }],
              "operators": [{ "opcode_index": 1, "inputs": [0, 1], "outputs": [2] }] }
          ] }
        """)
        let interpreter = try Interpreter(modelData: model)
        let error = #expect(throws: InterpreterError.self) { try interpreter.allocateTensors() }
        #expect("\(error.map { "\($0)" } ?? "")".contains("calls itself"))
    }

    @Test func subgraphReferencesOutOfRangeAreRefused() throws {
        let model = try HostileModels.compile("""
        { "version": 3,
          "operator_codes": [{ "deprecated_builtin_code": 118, "builtin_code": "IF", "version": 1 }],
          "buffers": [{}],
          "subgraphs": [
            { "inputs": [0, 1], "outputs": [2],
              "tensors": [{ "shape": [], "type": "BOOL", "buffer": 0 }, { "shape": [2], "type": "FLOAT32", "buffer": 0 },
                          { "shape": [2], "type": "FLOAT32", "buffer": 0 }],
              "operators": [{ "opcode_index": 0, "inputs": [0, 1], "outputs": [2],
                              "builtin_options_type": "IfOptions",
                              "builtin_options": { "then_subgraph_index": 7, "else_subgraph_index": -1 } }] } ] }
        """)
        let interpreter = try Interpreter(modelData: model)
        let error = #expect(throws: InterpreterError.self) { try interpreter.allocateTensors() }
        #expect("\(error.map { "\($0)" } ?? "")".contains("names subgraph 7"))
    }

    /// The bytes deferred operators (prepared at invoke: the GRU body's SLICEs sized by the
    /// iteration counter) take count against the memory limit at every run, and are given back
    /// at the next: a limit one run fits holds for any number of runs and re-allocations, and a
    /// byte less is refused.
    @Test func operatorsPreparedAtInvokeStayWithinTheMemoryLimit() throws {
        let path = Self.conformanceModel("keras2_gru_sequences_float32")
        let input = try Data(contentsOf: Fixtures.url("conformance/keras2_gru_sequences_float32/input_0.npy"))
        func run(limit: Int, times: Int) throws(InterpreterError) -> [Float] {
            let interpreter = try Interpreter(modelPath: path, options: Interpreter.Options(memoryLimit: limit))
            try interpreter.allocateTensors()
            let count = try interpreter.input(at: 0).data.count
            var output: [Float] = []
            for round in 0..<times {
                // Re-allocating drops the nested interpreters; what they held is given back too.
                if round == times / 2 { try interpreter.allocateTensors() }
                try interpreter.copy(input.suffix(count), toInputAt: 0)
                try interpreter.invoke()
                output = try interpreter.output(at: 0).data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
            }
            return output
        }
        let plain = try Interpreter(modelPath: path)
        try plain.allocateTensors()
        let body = plain.allocatedBytes
        // The smallest limit one run fits: above the static allocation, found by bisection.
        var (low, high) = (body, body + (1 << 20))
        while low < high {
            let middle = (low + high) / 2
            if (try? run(limit: middle, times: 1)) != nil { high = middle } else { low = middle + 1 }
        }
        #expect(low > body, "deferred operators allocate at invoke")
        let once = try run(limit: low, times: 1)
        #expect(try run(limit: low, times: 20) == once)
        let error = #expect(throws: InterpreterError.self) { _ = try run(limit: low - 1, times: 1) }
        // Met at invoke: the error names the operator whose outputs did not fit.
        guard case .runtime(_, _, let reason)? = error, reason.contains("memory limit") else {
            Issue.record("expected the memory limit, got \(String(describing: error))")
            return
        }
    }

    /// A loop value that grows every iteration (rows appended with tf.concat,
    /// shape_invariants=[None]) under a hostile trip count stops at the memory limit, or at the
    /// total work limit, with an error naming the WHILE; the same interpreter then runs a
    /// reasonable count with LiteRT's result.
    @Test func aGrowingLoopValueStaysWithinTheLimits() throws {
        let directory = Fixtures.url("conformance/while_grow_rows_float32")
        let path = directory.appending(path: "model.tflite").path
        let x = try NumPyArray(contentsOf: directory.appending(path: "input_0.npy").path)
        let reference = try NumPyArray(contentsOf: directory.appending(path: "output_0.npy").path)
        func loaded(_ options: Interpreter.Options) throws -> (Interpreter, count: Int) {
            let interpreter = try Interpreter(modelPath: path, options: options)
            try interpreter.allocateTensors()
            let count = try #require(try (0..<2).first { try interpreter.inputInfo(at: $0).type == .int32 })
            try interpreter.copy(x.data, toInputAt: 1 - count)
            return (interpreter, count)
        }
        let base = try loaded(Interpreter.Options()).0.allocatedBytes
        let (interpreter, count) = try loaded(Interpreter.Options(memoryLimit: base + (1 << 16), totalWorkLimit: 1 << 40))
        try interpreter.copy(withUnsafeBytes(of: Int32(1_000_000)) { Data($0) }, toInputAt: count)
        let memory = #expect(throws: InterpreterError.self) { try interpreter.invoke() }
        guard case .runtime("WHILE", _, let reason)? = memory, reason.contains("memory limit") else {
            Issue.record("expected the memory limit naming the WHILE, got \(String(describing: memory))")
            return
        }
        let nine = withUnsafeBytes(of: Int32(9)) { Data($0) }
        try interpreter.copy(nine, toInputAt: count)
        try interpreter.invoke()
        let output = try interpreter.output(at: 0)
        let (fresh, freshCount) = try loaded(Interpreter.Options())
        try fresh.copy(nine, toInputAt: freshCount)
        try fresh.invoke()
        let expected = try fresh.output(at: 0)
        #expect(output.shape == reference.shape && output.data == expected.data, "as a fresh interpreter's")

        let (bounded, boundedCount) = try loaded(Interpreter.Options(totalWorkLimit: 1 << 22))
        try bounded.copy(withUnsafeBytes(of: Int32.max) { Data($0) }, toInputAt: boundedCount)
        let started = Date()
        let work = #expect(throws: InterpreterError.self) { try bounded.invoke() }
        guard case .totalWorkLimitExceeded("WHILE", _, _, 1 << 22)? = work else {
            Issue.record("expected the total work limit naming the WHILE, got \(String(describing: work))")
            return
        }
        #expect(Date().timeIntervalSince(started) < 10)
    }

    /// Profiled and observed runs (`bench --profile`, calibration) invoke like `invoke()`: each
    /// run starts its own work count (a loop within the limit runs any number of times), and
    /// operators prepared at invoke give the same outputs.
    @Test func profiledAndObservedRunsInvokeLikeInvoke() throws {
        let directory = Fixtures.url("conformance/while_grow_rows_float32")
        let x = try NumPyArray(contentsOf: directory.appending(path: "input_0.npy").path)
        let nine = withUnsafeBytes(of: Int32(9)) { Data($0) }
        func loaded(_ options: Interpreter.Options = Interpreter.Options()) throws -> Interpreter {
            let interpreter = try Interpreter(modelPath: directory.appending(path: "model.tflite").path, options: options)
            try interpreter.allocateTensors()
            let count = try #require(try (0..<2).first { try interpreter.inputInfo(at: $0).type == .int32 })
            try interpreter.copy(x.data, toInputAt: 1 - count)
            try interpreter.copy(nine, toInputAt: count)
            return interpreter
        }
        let plain = try loaded()
        try plain.invoke()
        let expected = try plain.output(at: 0)
        // One run's work, and a limit three runs would pass together.
        let (low, high) = try { () throws -> (Int, Int) in
            var (low, high) = (1, 1 << 30)
            while low < high {
                let middle = (low + high) / 2
                if (try? loaded(Interpreter.Options(totalWorkLimit: middle)).invoke()) != nil { high = middle } else { low = middle + 1 }
            }
            return (low, 3 * low)
        }()
        let profiled = try loaded(Interpreter.Options(totalWorkLimit: high - 1))
        for _ in 0..<5 { try profiled.invoke(profiler: OperatorProfiler()) }
        #expect(try profiled.output(at: 0) == expected)
        let observed = try loaded(Interpreter.Options(totalWorkLimit: high - 1))
        var seen = 0
        for _ in 0..<5 { try observed.invoke { _ in seen += 1 } }
        #expect(seen > 0 && low > 1)
        #expect(try observed.output(at: 0) == expected)
    }
}
