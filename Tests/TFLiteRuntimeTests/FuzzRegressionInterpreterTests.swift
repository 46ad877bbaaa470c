import Foundation
import Testing
import TestSupport
@_spi(GeneratedCode) import TFLiteRuntime

/// Inputs that made the FuzzInterpreter target crash or time out (docs/FUZZING.md), run the way
/// the target runs them: load, allocate under a 64 MB and 2^30 multiply-add cap, invoke with
/// zeroed inputs. They used to
/// build index tables sized by hostile TILE multiples or MIRROR_PAD amounts before the memory
/// cap was checked; the cap is now checked first.
@Suite struct FuzzRegressionInterpreterTests {
    static let inputs: [URL] = {
        let directory = Fixtures.url("fuzz-regressions/interpreter")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.sorted().map { directory.appending(path: $0) }
    }()

    @Test(arguments: inputs)
    func runsLikeTheFuzzTarget(_ url: URL) throws {
        let data = try Data(contentsOf: url)
        guard let interpreter = try? Interpreter(modelData: data, options: .fuzzTarget) else { return }
        guard (try? interpreter.allocateTensors()) != nil else { return }
        _ = try? interpreter.invoke()
        for index in 0..<interpreter.outputTensorCount { _ = try? interpreter.outputInfo(at: index) }
    }

    @Test func hugeTileIsRefusedByTheMemoryCap() throws {
        let data = try Data(contentsOf: Fixtures.url("fuzz-regressions/interpreter/tile-huge-multiples.tflite"))
        let interpreter = try Interpreter(modelData: data, options: .fuzzTarget)
        let error = #expect(throws: InterpreterError.self) { try interpreter.allocateTensors() }
        guard case .memoryLimitExceeded? = error else {
            Issue.record("expected memoryLimitExceeded, got \(String(describing: error))")
            return
        }
    }
}

extension FuzzRegressionInterpreterTests {
    /// CONCATENATION whose input and output scales give an infinite rescale (FuzzInterpreter,
    /// round 2): a Float → Int64 conversion trapped on the NaN; now refused at allocation.
    @Test func nonFiniteRescaleIsRefused() throws {
        let data = try Data(contentsOf: Fixtures.url("fuzz-regressions/interpreter/float-to-int-nan.tflite"))
        let interpreter = try Interpreter(modelData: data, options: .fuzzTarget)
        let error = #expect(throws: InterpreterError.self) { try interpreter.allocateTensors() }
        #expect("\(error.map { "\($0)" } ?? "")".contains("non-finite rescale"))
    }
}

extension FuzzRegressionInterpreterTests {
    /// CONV_2D with an int8 input zero point of Int32.min (FuzzInterpreter, round 4): negating it
    /// trapped; such a model is now refused when it is loaded (zero points must lie in their
    /// type's range), and the kernels check again at allocation.
    @Test func outOfRangeZeroPointIsRefused() throws {
        let data = try Data(contentsOf: Fixtures.url("fuzz-regressions/interpreter/conv-zero-point-overflow.tflite"))
        let error = #expect(throws: InterpreterError.self) {
            let interpreter = try Interpreter(modelData: data, options: .fuzzTarget)
            try interpreter.allocateTensors()
        }
        #expect("\(error.map { "\($0)" } ?? "")".contains("is outside the int8 range"))
    }
}

extension FuzzRegressionInterpreterTests {
    /// DENSIFY whose sparsity metadata has dense levels over an empty sparse level (FuzzInterpreter,
    /// round 10): the walk visited billions of positions without reaching a value (2 s release,
    /// 10 s under ASan). The walk now has a budget of `levels × dense count` positions.
    @Test func endlessSparseWalkIsRefused() throws {
        let data = try Data(contentsOf: Fixtures.url("fuzz-regressions/interpreter/densify-endless-walk.tflite"))
        let error = #expect(throws: InterpreterError.self) {
            let interpreter = try Interpreter(modelData: data, options: .fuzzTarget)
            try interpreter.allocateTensors()
            try interpreter.invoke()
        }
        #expect("\(error.map { "\($0)" } ?? "")".contains("walks more positions"))
    }
}

extension FuzzRegressionInterpreterTests {
    /// BATCH_MATMUL whose batch dimensions broadcast to 5.5 × 10^11 batches of an empty product
    /// (FuzzInterpreter, round 11): its batch-index tables were built before any cap was checked
    /// (1 GB under the fuzz target, killed without a cap). The tables now count against the cap,
    /// and with no cap given the interpreter uses the machine's physical memory as one.
    @Test func hugeBroadcastBatchIsRefused() throws {
        let data = try Data(contentsOf: Fixtures.url("fuzz-regressions/interpreter/batch-matmul-empty-huge-batch.tflite"))
        for options in [Interpreter.Options.fuzzTarget, Interpreter.Options()] {
            let interpreter = try Interpreter(modelData: data, options: options)
            let error = #expect(throws: InterpreterError.self) { try interpreter.allocateTensors() }
            guard case .memoryLimitExceeded? = error else {
                Issue.record("expected memoryLimitExceeded with \(options), got \(String(describing: error))")
                continue
            }
        }
    }
}

extension FuzzRegressionInterpreterTests {
    /// FULLY_CONNECTED with a fused RELU6 and an output scale so small that 6 / scale passes
    /// Int64.max (FuzzInterpreter, round 12): the activation range's Float → Int64 conversion
    /// trapped. The bound is now clamped first; the range is then simply the type's.
    @Test func activationRangeOfATinyScaleIsClamped() throws {
        for activation in [FusedActivation.relu, .relu6, .reluN1To1] {
            let range = activation.quantizedRange(scale: 1e-30, zeroPoint: 127, qmin: -128, qmax: 127)
            #expect(range.min >= -128 && range.max <= 127 && range.min <= range.max, "\(activation): \(range)")
        }
        let data = try Data(contentsOf: Fixtures.url("fuzz-regressions/interpreter/fully-connected-tiny-output-scale.tflite"))
        guard let interpreter = try? Interpreter(modelData: data, options: .fuzzTarget) else { return }
        _ = try? interpreter.allocateTensors()
    }
}

extension FuzzRegressionInterpreterTests {
    /// Float pooling whose window covers the whole image at every one of millions of outputs
    /// (FuzzInterpreter, round 13 timeout): 9.6 × 10^9 reads inside the memory cap, 13 s in a
    /// release build. Pooling now counts its reads against `Options.workLimit` (2^30 in the fuzz
    /// target). Since issue #20 a window read counts as an element read (8 units), so the
    /// default per-operator limit, 2^35, refuses it too (it used to let it through).
    @Test func quadraticPoolingIsRefused() throws {
        let data = try Data(contentsOf: Fixtures.url("fuzz-regressions/interpreter/pool-window-whole-image.tflite"))
        for options in [Interpreter.Options.fuzzTarget, Interpreter.Options()] {
            let error = #expect(throws: InterpreterError.self) {
                let interpreter = try Interpreter(modelData: data, options: options)
                try interpreter.allocateTensors()
                try interpreter.invoke()
            }
            guard case .workLimitExceeded? = error else {
                Issue.record("expected workLimitExceeded with \(options), got \(String(describing: error))")
                continue
            }
        }
    }
}

extension Interpreter.Options {
    /// The FuzzInterpreter target's options: one thread, 64 MB of tensor memory, 2^30
    /// multiply-adds per operator.
    static let fuzzTarget = Interpreter.Options(threadCount: 1, memoryLimit: 64 << 20, workLimit: 1 << 30)
}

extension FuzzRegressionInterpreterTests {
    /// The work cap applies to every operator whose work grows faster than its tensors:
    /// convolutions, depthwise, fully connected, matrix products and pooling are refused at
    /// allocation when over it, and run when under it.
    @Test(arguments: ["conv_2d_k3_s1_same_int8", "depthwise_conv_2d_m1_s1_same_int8", "fully_connected_bias_big_hybrid",
                      "batch_matmul_bcast_adj_xy_int8", "transpose_conv_k3_s2_same_int8"])
    func workLimitRefusesHeavyOperators(_ name: String) throws {
        let path = Fixtures.url("conformance/\(name)/model.tflite").path
        let small = try Interpreter(modelPath: path, options: .init(workLimit: 8))
        let error = #expect(throws: InterpreterError.self) { try small.allocateTensors() }
        guard case .workLimitExceeded(_, _, let required, let limit)? = error else {
            Issue.record("\(name): expected workLimitExceeded, got \(String(describing: error))")
            return
        }
        #expect(required > limit && limit == 8)
        try Interpreter(modelPath: path).allocateTensors()
    }
}
