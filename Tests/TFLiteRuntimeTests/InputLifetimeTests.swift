import Foundation
import Testing
@testable import TFLiteRuntime

/// Model inputs live through the whole run (ArenaPlanner), as in LiteRT: no tensor computed
/// after an input's last reader takes its memory, so the input reads back as written and an
/// invoke repeated without copying it again computes the same outputs. (Before, an input read
/// only by the first operator shared memory with the output written after it.)
struct InputLifetimeTests {
    @Test func inputsReadBackAndRepeatedRunsAgree() throws {
        // x is read by the PAD alone (the channel pad keeps it from folding); y comes after.
        let c = PadFoldingTests.Case(depthwise: true, input: [1, 8, 8, 8], pads: (1, 1, 1, 1), filter: (3, 3),
                                     outputChannels: 16, channelPad: 8)
        let (x, weights, bias) = PadFoldingTests.inputs(c)
        let interpreter = try Interpreter(modelData: try PadFoldingTests.model(c, padOutput: false, weights: weights, bias: bias))
        try interpreter.allocateTensors()
        _ = try interpreter.copy(Data(x.withUnsafeBytes { $0 }), toInputAt: 0)
        try interpreter.invoke()
        let first = try interpreter.withOutput(at: 0) { Array($0.bindMemory(to: Float.self)) }
        let input = try interpreter.withInput(at: 0) { Array($0.bindMemory(to: Float.self)) }
        #expect(input.map(\.bitPattern) == x.map(\.bitPattern), "the input after a run")
        for _ in 0..<2 {
            try interpreter.invoke()
            let again = try interpreter.withOutput(at: 0) { Array($0.bindMemory(to: Float.self)) }
            #expect(!first.isEmpty && again.map(\.bitPattern) == first.map(\.bitPattern), "a repeated run")
        }
    }
}
