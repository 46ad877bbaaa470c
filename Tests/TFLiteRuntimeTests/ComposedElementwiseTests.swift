import Foundation
import Testing
import TestSupport
@testable import TFLiteRuntime

/// An 8-bit MUL of a tensor by an 8-bit unary of that same tensor (swish: x · logistic(x)) runs
/// as one table of x (`Interpreter.composeElementwise`). The conformance cases `mul_swish_*`
/// check its outputs against LiteRT's reference kernels; here, that the composed path is the one
/// those cases take (and that float, which has no table, is left alone).
struct ComposedElementwiseTests {
    @Test(arguments: [("mul_swish_int8", true), ("mul_swish_uint8", true), ("mul_swish_uint8_legacy", true), ("mul_swish_float32", false)])
    func swishMultiplicationIsTabulated(_ name: String, _ composed: Bool) throws {
        let testCase = try #require(ConformanceCase.all.first { $0.name == name }, "missing conformance case \(name)")
        try ConformanceTests.check(testCase)
        let interpreter = try Interpreter(modelPath: testCase.directory.appending(path: "model.tflite").path)
        try interpreter.allocateTensors()
        let multiplications = interpreter.kernels.compactMap { $0 as? ElementwiseBinaryKernel }
        #expect(multiplications.count == 1)
        #expect(multiplications.allSatisfy { $0.isComposed == composed }, "\(name)")
    }
}
