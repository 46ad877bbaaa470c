import Foundation
import Synchronization
import Testing
import TestSupport
import TFLiteModel
import TFLiteRuntime

/// Custom operators registered through `Interpreter.Options.customOperators`: an app's, and
/// MediaPipe's, which take the same path.
@Suite struct CustomOperatorTests {
    final class Doubler: CustomOperator {
        func prepare(inputs: [Tensor.Info], customOptions: Data) throws -> [CustomOperatorOutput] {
            [CustomOperatorOutput(type: inputs[0].type, shape: inputs[0].shape)]
        }
        func invoke(inputs: [UnsafeRawBufferPointer], outputs: [UnsafeMutableRawBufferPointer]) throws {
            let x = inputs[0].bindMemory(to: Float.self), y = outputs[0].bindMemory(to: Float.self)
            for i in x.indices { y[i] = 2 * x[i] }
        }
    }

    struct Refusal: Error, CustomStringConvertible { var description: String { "no negative inputs" } }

    final class Picky: CustomOperator {
        func prepare(inputs: [Tensor.Info], customOptions: Data) throws -> [CustomOperatorOutput] {
            [CustomOperatorOutput(type: .float32, shape: inputs[0].shape)]
        }
        func invoke(inputs: [UnsafeRawBufferPointer], outputs: [UnsafeMutableRawBufferPointer]) throws {
            if inputs[0].bindMemory(to: Float.self).contains(where: { $0 < 0 }) { throw Refusal() }
        }
    }

    @Test func aRegisteredOperatorRuns() throws {
        let model = try HostileModels.customOperator("AppDoubler")
        // Without registration the model is refused, naming the operator.
        let plain = try Interpreter(modelData: model)
        #expect(throws: InterpreterError.self) { try plain.allocateTensors() }
        var options = Interpreter.Options()
        options.customOperators.register("AppDoubler") { Doubler() }
        #expect(options.customOperators.names == (CustomOperators.mediaPipe.names + ["AppDoubler"]).sorted())
        let interpreter = try Interpreter(modelData: model, options: options)
        try interpreter.allocateTensors()
        try interpreter.copy(withUnsafeBytes(of: Float(21)) { Data($0) }, toInputAt: 0)
        try interpreter.invoke()
        let result = try interpreter.output(at: 0).data.withUnsafeBytes { $0.load(as: Float.self) }
        #expect(result == 42)
    }

    @Test func errorsNameTheOperator() throws {
        var options = Interpreter.Options()
        options.customOperators.register("AppPicky") { Picky() }
        let interpreter = try Interpreter(modelData: try HostileModels.customOperator("AppPicky"), options: options)
        try interpreter.allocateTensors()
        try interpreter.copy(withUnsafeBytes(of: Float(-1)) { Data($0) }, toInputAt: 0)
        let error = #expect(throws: InterpreterError.self) { try interpreter.invoke() }
        let message = "\(error.map { "\($0)" } ?? "")"
        #expect(message.contains("AppPicky") && message.contains("no negative inputs"), "\(message)")
    }

    /// Counts its invokes under its name (tests run in parallel), reports work and splits its
    /// invoke over the threads.
    final class Counting: CustomOperator {
        /// Invokes and the thread count seen, by name.
        static let seen = Mutex<[String: (invokes: Int, threads: Int)]>([:])
        let name: String
        let work: Int
        init(_ name: String, work: Int = 0) { (self.name, self.work) = (name, work) }
        var workUnits: Int { work }
        func prepare(_ node: CustomOperatorNode) throws -> [CustomOperatorOutput] {
            guard node.version == 1 else { throw CustomOperatorError.unsupported("version \(node.version)") }
            return node.outputs.map { CustomOperatorOutput(type: $0.type, shape: $0.shape) }
        }
        func invoke(inputs: [UnsafeRawBufferPointer], outputs: [UnsafeMutableRawBufferPointer], threads: CustomOperatorThreads) throws {
            let covered = Mutex(0)
            threads.parallelFor(100) { range in covered.withLock { $0 += range.count } }
            guard covered.withLock({ $0 }) == 100 else { throw CustomOperatorError.invalid("parallelFor covered \(covered.withLock { $0 })") }
            Self.seen.withLock { $0[name] = (($0[name]?.invokes ?? 0) + 1, threads.count) }
        }
    }

    /// MediaPipe's operators are what the default options register, by the same public call.
    @Test func mediaPipesOperatorsAreTheDefaultRegistrations() throws {
        #expect(Interpreter.Options().customOperators == CustomOperators.mediaPipe)
        #expect(CustomOperators.mediaPipe.names == ["Convolution2DTransposeBias", "Landmarks2TransformMatrix", "MaxPoolingWithArgmax2D",
                                                   "MaxUnpooling2D", "TransformLandmarks", "TransformTensorBilinear"])
        #expect(CustomOperators().names.isEmpty)
    }

    /// A MediaPipe model runs only through the registration: replaced by an app's operator, the
    /// app's runs; unregistered, the model is refused; an empty set refuses it too.
    @Test func aMediaPipeOperatorTakesTheAppsPath() throws {
        let model = try MediaPipeKernelTests.model("MaxUnpooling2D", inputs: [[1, 1, 2, 1], [1, 1, 2, 1]], outputs: [[1, 2, 4, 1]],
                                                   options: MediaPipeKernelTests.pool([1, 2, 2, 2, 2, 0]))
        #expect(try MediaPipeKernelTests.run(model, feeds: [[5, 7], [3.1, 0.1]]) == [[0, 0, 7, 0, 0, 5, 0, 0]])

        var replaced = Interpreter.Options(threadCount: 2)
        replaced.customOperators.register("MaxUnpooling2D") { Counting("replacement") }
        let interpreter = try Interpreter(modelData: model, options: replaced)
        try interpreter.allocateTensors()
        try interpreter.invoke()
        let seen = Counting.seen.withLock { $0["replacement"] }
        #expect(seen?.invokes == 1, "the app's operator ran in place of MediaPipe's")
        #expect(seen?.threads == 2)

        var unregistered = Interpreter.Options()
        #expect(unregistered.customOperators.contains("MaxUnpooling2D"))
        unregistered.customOperators.unregister("MaxUnpooling2D")
        let refused = try Interpreter(modelData: model, options: unregistered)
        let error = #expect(throws: InterpreterError.self) { try refused.allocateTensors() }
        #expect("\(error.map { "\($0)" } ?? "")".contains("no kernel"))
        var empty = Interpreter.Options()
        empty.customOperators = CustomOperators()
        #expect(throws: InterpreterError.self) { try Interpreter(modelData: model, options: empty).allocateTensors() }
    }

    /// The work an operator reports counts against the work limit, as a builtin kernel's does.
    @Test func reportedWorkIsLimited() throws {
        var options = Interpreter.Options()
        options.customOperators.register("AppHeavy") { Counting("heavy", work: 1 << 40) }
        let heavy = try Interpreter(modelData: try HostileModels.customOperator("AppHeavy"), options: options)
        let error = #expect(throws: InterpreterError.self) { try heavy.allocateTensors() }
        guard case .workLimitExceeded(let name, _, let required, _) = error else {
            Issue.record("expected workLimitExceeded, got \(String(describing: error))")
            return
        }
        #expect(name == "AppHeavy" && required >= 1 << 40)
        options.customOperators.register("AppLight") { Counting("light", work: 1000) }
        let light = try Interpreter(modelData: try HostileModels.customOperator("AppLight"), options: options)
        try light.allocateTensors()
        try light.invoke()
    }

    /// A `CustomOperatorError` reaches the interpreter's error as its kind and message.
    @Test func customOperatorErrorsKeepTheirKind() throws {
        var options = Interpreter.Options()
        options.customOperators.register("Landmarks2TransformMatrix") { Counting("versioned") }
        // MediaPipe's own operator and the app's refuse version 3 as unsupported, through the same mapping.
        let model = try MediaPipeKernelTests.model("Landmarks2TransformMatrix", version: 3, inputs: [[1, 8, 3]], outputs: [[1, 4, 4]],
                                                   options: MediaPipeKernelTests.bytes("good"))
        for options in [Interpreter.Options(), options] {
            let interpreter = try Interpreter(modelData: model, options: options)
            let error = #expect(throws: InterpreterError.self) { try interpreter.allocateTensors() }
            guard case .unsupportedOperator(let name, _, let reason) = error else {
                Issue.record("expected unsupportedOperator, got \(String(describing: error))")
                continue
            }
            #expect(name == "Landmarks2TransformMatrix" && reason.hasPrefix("version 3"), "\(reason)")
        }
    }
}
