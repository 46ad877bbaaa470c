import Foundation
import Testing
import TestSupport
@_spi(GeneratedCode) @testable import TFLiteRuntime

/// Bad models for the reduction, image and detection kernels: corrupted constants and custom
/// options must end in an `InterpreterError`, never a crash or an out-of-bounds read.
@Suite struct ReductionImageDetectionRobustnessTests {
    static func model(_ name: String) throws -> Data {
        try Data(contentsOf: Fixtures.url("conformance/\(name)/model.tflite"))
    }

    /// Replaces every occurrence of `pattern` in `data` with `replacement` (same length).
    static func patch(_ data: Data, _ pattern: [UInt8], _ replacement: [UInt8]) -> Data {
        var bytes = [UInt8](data)
        var index = 0
        while index + pattern.count <= bytes.count {
            if Array(bytes[index..<(index + pattern.count)]) == pattern {
                bytes.replaceSubrange(index..<(index + pattern.count), with: replacement)
                index += pattern.count
            } else {
                index += 1
            }
        }
        return Data(bytes)
    }

    /// Loads, allocates and runs `data` with zeroed inputs; returns the error, if any.
    static func run(_ data: Data) -> InterpreterError? {
        do {
            let interpreter = try Interpreter(modelData: data)
            try interpreter.allocateTensors()
            try interpreter.invoke()
            return nil
        } catch {
            return error
        }
    }

    static func int32s(_ values: [Int32]) -> [UInt8] {
        values.flatMap { value in withUnsafeBytes(of: value.littleEndian) { Array($0) } }
    }

    @Test func reductionAxisOutOfRangeIsInvalid() throws {
        let data = try Self.model("mean_neg_dup_nokeep_float32")
        #expect(Self.run(data) == nil)
        let bad = Self.patch(data, Self.int32s([-1, 1, 3]), Self.int32s([-1, 1, 7]))
        guard case .invalidOperator(_, _, let reason)? = Self.run(bad) else {
            Issue.record("expected invalidOperator for axis 7")
            return
        }
        #expect(reason.contains("axis 7"))
        #expect(Self.run(Self.patch(data, Self.int32s([-1, 1, 3]), Self.int32s([-1, .min, 3]))) != nil)
    }

    @Test func resizeToNonPositiveOrHugeSizesIsInvalid() throws {
        let data = try Self.model("resize_bilinear_up_plain_float32")
        #expect(Self.run(data) == nil)
        for size: [Int32] in [[0, 10], [8, -3], [.max, 10], [.max, .max]] {
            let bad = Self.patch(data, Self.int32s([8, 10]), Self.int32s(size))
            #expect(Self.run(bad) != nil, "size \(size)")
        }
    }

    @Test func corruptedDetectionOptionsNeverCrash() throws {
        let data = try Self.model("detection_postprocess_fast_float32")
        #expect(Self.run(data) == nil)
        let bytes = [UInt8](data)
        guard let start = bytes.indices.first(where: { bytes[$0...].starts(with: Array("max_detections".utf8) + [0]) }),
              start >= 4 else {
            Issue.record("no custom options in the fixture")
            return
        }
        let length = Int(bytes[start - 4]) | Int(bytes[start - 3]) << 8 | Int(bytes[start - 2]) << 16
        let options = start..<(start + length)
        // A zero root width and a root offset pointing before the buffer are rejected.
        var broken = bytes
        broken[options.upperBound - 1] = 0
        guard case .invalidOperator? = Self.run(Data(broken)) else {
            Issue.record("expected invalidOperator for a bad root width")
            return
        }
        var generator = Xorshift(state: 0x9E37_79B9_7F4A_7C15)
        for _ in 0..<300 {
            var corrupted = bytes
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                corrupted[Int.random(in: options, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            }
            _ = Self.run(Data(corrupted))
        }
    }
}

/// Deterministic generator so failures reproduce.
private struct Xorshift: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }
}
