import Foundation
import Testing
import TestSupport
import TFLiteModel
import TFLiteRuntime

/// MediaPipe's custom operators on malformed options and shapes: each is refused with an error
/// naming the operator and the field (their arithmetic is checked by the conformance cases
/// `mediapipe_*`, made by scripts/conformance/mediapipe_ops.py).
@Suite struct MediaPipeKernelTests {
    /// FlexBuffer options written by `mediapipe_ops.flex_options` (hex): Landmarks2TransformMatrix
    /// with `subset_idxs [0, 3, 5, 1, 7]`, rotation indices 2 and 6, target 0.25, a 20 × 12
    /// output, scales 1.5 and 2, and one field broken per variant (`wrappingIndex`: 2^32 − 1,
    /// which reads as int32 −1); TransformTensorBilinear's
    /// output size.
    static let flex: [String: String] = [
        "good": "6c6566745f726f746174696f6e5f696478006f75747075745f686569676874006f75747075745f77696474680072696768745f726f746174696f6e5f696478007363616c655f78007363616c655f79007375627365745f69647873000500030501077461726765745f726f746174696f6e5f72616469616e7300087b6a5d513f38312000090000000100000008000000020000000c00000014000000060000000000c03f000000404b0000000000803e060606060e0e2c0e282601",
        "emptySubset": "6c6566745f726f746174696f6e5f696478006f75747075745f686569676874006f75747075745f77696474680072696768745f726f746174696f6e5f696478007363616c655f78007363616c655f79007375627365745f6964787300007461726765745f726f746174696f6e5f72616469616e7300087665584c3a332c2000000a0000000100000008000000020000000c00000014000000060000000000c03f00000040470000000000803e060606060e0e380e282601",
        "negativeIndex": "6c6566745f726f746174696f6e5f696478006f75747075745f686569676874006f75747075745f77696474680072696768745f726f746174696f6e5f696478007363616c655f78007363616c655f79007375627365745f69647873000200ff7461726765745f726f746174696f6e5f72616469616e73000878675a4e3c352e20080000000100000008000000020000000c00000014000000060000000000c03f00000040470000000000803e060606060e0e2c0e282601",
        "indexPastLandmarks": "6c6566745f726f746174696f6e5f696478006f75747075745f686569676874006f75747075745f77696474680072696768745f726f746174696f6e5f696478007363616c655f78007363616c655f79007375627365745f69647873000200087461726765745f726f746174696f6e5f72616469616e73000878675a4e3c352e20080000000100000008000000020000000c00000014000000060000000000c03f00000040470000000000803e060606060e0e2c0e282601",
        "wrappingIndex": "6c6566745f726f746174696f6e5f696478006f75747075745f686569676874006f75747075745f77696474680072696768745f726f746174696f6e5f696478007363616c655f78007363616c655f79007375627365745f69647873000000000002000000000000000000000000000000ffffffff000000007461726765745f726f746174696f6e5f72616469616e73000891807367554e47200000000b0000000100000008000000020000000c00000014000000060000000000c03f00000040580000000000803e060606060e0e2f0e282601",
        "zeroWidth": "6c6566745f726f746174696f6e5f696478006f75747075745f686569676874006f75747075745f77696474680072696768745f726f746174696f6e5f696478007363616c655f78007363616c655f79007375627365745f69647873000500030501077461726765745f726f746174696f6e5f72616469616e7300087b6a5d513f38312000090000000100000008000000020000000c00000000000000060000000000c03f000000404b0000000000803e060606060e0e2c0e282601",
        "zeroScale": "6c6566745f726f746174696f6e5f696478006f75747075745f686569676874006f75747075745f77696474680072696768745f726f746174696f6e5f696478007363616c655f78007363616c655f79007375627365745f69647873000500030501077461726765745f726f746174696f6e5f72616469616e7300087b6a5d513f38312000090000000100000008000000020000000c00000014000000060000000000c03f000000004b0000000000803e060606060e0e2c0e282601",
        "rotationPastLandmarks": "6c6566745f726f746174696f6e5f696478006f75747075745f686569676874006f75747075745f77696474680072696768745f726f746174696f6e5f696478007363616c655f78007363616c655f79007375627365745f69647873000500030501077461726765745f726f746174696f6e5f72616469616e7300087b6a5d513f38312000090000000100000008000000020000000c00000014000000090000000000c03f000000404b0000000000803e060606060e0e2c0e282601",
        "bilinear": "6f75747075745f686569676874006f75747075745f776964746800021c0f02010203020404042401",
        "bilinearZero": "6f75747075745f686569676874006f75747075745f776964746800021c0f02010200020404042401",
    ]

    static func bytes(_ key: String) -> [UInt8] {
        let text = Array((flex[key] ?? "").utf8)
        return stride(from: 0, to: text.count - 1, by: 2).compactMap { UInt8(String(decoding: text[$0...($0 + 1)], as: UTF8.self), radix: 16) }
    }

    /// TfLitePoolParams as MediaPipe stores it: six int32 fields and four of computed padding.
    static func pool(_ fields: [Int32]) -> [UInt8] {
        (fields + [0, 0, 0, 0]).flatMap { value in withUnsafeBytes(of: value.littleEndian) { Array($0) } }
    }

    /// A model of one custom operator over float32 tensors: `inputs` then `outputs` shapes.
    static func model(_ code: String, version: Int = 1, inputs: [[Int]], outputs: [[Int]], options: [UInt8]?) throws -> Data {
        let shapes = inputs + outputs
        let tensors = shapes.map { "{\"shape\": \($0), \"type\": \"FLOAT32\", \"buffer\": 0}" }.joined(separator: ", ")
        let options = options.map { ", \"custom_options\": \($0)" } ?? ""
        return try HostileModels.compile("""
        { "version": 3, "operator_codes": [{ "deprecated_builtin_code": 32, "builtin_code": "CUSTOM", "custom_code": "\(code)", "version": \(version) }],
          "buffers": [{}], "subgraphs": [{ "inputs": \(Array(0..<inputs.count)), "outputs": \(Array(inputs.count..<shapes.count)),
            "tensors": [\(tensors)],
            "operators": [{ "opcode_index": 0, "inputs": \(Array(0..<inputs.count)), "outputs": \(Array(inputs.count..<shapes.count))\(options) }] }] }
        """)
    }

    /// Runs the model on `feeds` (zeros when nil) and returns its outputs.
    static func run(_ data: Data, feeds: [[Float]]? = nil) throws -> [[Float]] {
        let interpreter = try Interpreter(modelData: data)
        try interpreter.allocateTensors()
        for index in 0..<interpreter.inputTensorCount {
            let count = try interpreter.input(at: index).data.count / 4
            let values = feeds?[index] ?? [Float](repeating: 0, count: count)
            try interpreter.copy(values.withUnsafeBytes { Data($0) }, toInputAt: index)
        }
        try interpreter.invoke()
        return try (0..<interpreter.outputTensorCount).map { index in
            try interpreter.output(at: index).data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        }
    }

    /// The error's text when the model is refused (at load, allocation or invocation), nil when it runs.
    static func refusal(_ data: Data) -> String? {
        do {
            _ = try run(data)
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func flexBufferIntegerVectorsDecode() throws {
        func decode(_ bytes: [UInt8]) throws -> FlexBufferMap { try bytes.withUnsafeBytes { try FlexBufferMap(bytes: $0) } }
        let good = try decode(Self.bytes("good"))
        #expect(good["subset_idxs"] == .integers([0, 3, 5, 1, 7]))
        #expect(good["output_width"]?.int32 == 20 && good["scale_x"]?.float == 1.5)
        #expect(try decode(Self.bytes("negativeIndex"))["subset_idxs"] == .integers([0, -1]))
        // A vector whose length runs past the buffer is an error, not a read outside it.
        var long = Self.bytes("good")
        let at = try #require(long.firstIndex(of: 0x05))  // subset_idxs' length byte
        long[at] = 0xff
        #expect(throws: FlexBufferError.self) { try decode(long) }
    }

    @Test func poolOptionsAreChecked() throws {
        let argmax = { (options: [UInt8]) in
            try Self.model("MaxPoolingWithArgmax2D", inputs: [[1, 4, 4, 2]], outputs: [[1, 2, 2, 2], [1, 2, 2, 2]], options: options)
        }
        #expect(Self.refusal(try argmax(Self.pool([1, 2, 2, 2, 2, 0]))) == nil)
        let broken: [(String, [UInt8])] = [
            ("24 bytes", Array(Self.pool([1, 2, 2, 2, 2, 0]).prefix(20))),
            ("padding", Self.pool([0, 2, 2, 2, 2, 0])),
            ("padding", Self.pool([3, 2, 2, 2, 2, 0])),
            ("stride_width", Self.pool([1, 0, 2, 2, 2, 0])),
            ("stride_height", Self.pool([1, 2, -4, 2, 2, 0])),
            ("filter_width", Self.pool([1, 2, 2, 1 << 20, 2, 0])),
            ("filter_height", Self.pool([1, 2, 2, 2, 0, 0])),
            ("activation", Self.pool([1, 2, 2, 2, 2, 9])),
        ]
        for (field, options) in broken {
            let message = try #require(Self.refusal(try argmax(options)), "\(field) accepted")
            #expect(message.contains("MaxPoolingWithArgmax2D") && message.contains(field), "\(message)")
            let unpool = try Self.model("MaxUnpooling2D", inputs: [[1, 2, 2, 1], [1, 2, 2, 1]], outputs: [[1, 4, 4, 1]], options: options)
            #expect(Self.refusal(unpool)?.contains(field) == true)
        }
        #expect(Self.refusal(try Self.model("MaxPoolingWithArgmax2D", inputs: [[1, 4, 4, 2]], outputs: [[1, 2, 2, 2]], options: Self.pool([1, 2, 2, 2, 2, 0]))) != nil)
    }

    @Test func unpoolingSkipsPositionsOutsideTheOutput() throws {
        // Two values, SAME, stride 2, filter 2: a [1, 2, 4, 1] output, no padding.
        let model = try Self.model("MaxUnpooling2D", inputs: [[1, 1, 2, 1], [1, 1, 2, 1]], outputs: [[1, 2, 4, 1]], options: Self.pool([1, 2, 2, 2, 2, 0]))
        // Position 3.1 → row 1, column 1 of the first window; NaN is skipped.
        #expect(try Self.run(model, feeds: [[5, 7], [3.1, .nan]]) == [[0, 0, 0, 0, 0, 5, 0, 0]])
        // -1 (column −1), 1e10 (past int32) and +∞ land nowhere; 2.9 → row 1, column 0 of window 2.
        #expect(try Self.run(model, feeds: [[5, 7], [-1.5, 1e10]]) == [[0, 0, 0, 0, 0, 0, 0, 0]])
        #expect(try Self.run(model, feeds: [[5, 7], [.infinity, 2.9]]) == [[0, 0, 0, 0, 0, 0, 7, 0]])
        // Indices must match the input's shape.
        let mismatched = try Self.model("MaxUnpooling2D", inputs: [[1, 1, 2, 1], [1, 2, 1, 1]], outputs: [[1, 2, 4, 1]], options: Self.pool([1, 2, 2, 2, 2, 0]))
        #expect(Self.refusal(mismatched)?.contains("indices") == true)
    }

    @Test func landmarksToTransformMatrixOptionsAreChecked() throws {
        let make = { (key: String, version: Int) in
            try Self.model("Landmarks2TransformMatrix", version: version, inputs: [[1, 8, 3]], outputs: [[1, 4, 4]], options: Self.bytes(key))
        }
        #expect(Self.refusal(try make("good", 2)) == nil)
        for (key, field) in [("emptySubset", "subset_idxs"), ("negativeIndex", "subset_idxs"), ("wrappingIndex", "subset_idxs"), ("indexPastLandmarks", "index 8"),
                             ("zeroWidth", "output_width"), ("zeroScale", "scale_y"), ("rotationPastLandmarks", "index 9")] {
            let message = try #require(Self.refusal(try make(key, 2)), "\(key) accepted")
            #expect(message.contains("Landmarks2TransformMatrix") && message.contains(field), "\(key): \(message)")
        }
        #expect(Self.refusal(try make("good", 1))?.contains("version 1") == true)
        let bare = try Self.model("Landmarks2TransformMatrix", version: 2, inputs: [[1, 8, 3]], outputs: [[1, 4, 4]], options: nil)
        #expect(Self.refusal(bare)?.contains("custom options") == true)
        // Four landmarks cannot hold index 7.
        let small = try Self.model("Landmarks2TransformMatrix", version: 2, inputs: [[1, 4, 3]], outputs: [[1, 4, 4]], options: Self.bytes("good"))
        #expect(Self.refusal(small)?.contains("outside the 4 landmarks") == true)
    }

    @Test func transformShapesAreChecked() throws {
        let landmarks = { (shape: [Int], matrix: [Int], version: Int) in
            try Self.model("TransformLandmarks", version: version, inputs: [shape, matrix], outputs: [shape], options: nil)
        }
        #expect(Self.refusal(try landmarks([1, 5, 2], [1, 4, 4], 2)) == nil)
        #expect(Self.refusal(try landmarks([1, 5, 4], [1, 4, 4], 2))?.contains("[1, N, 2] or [1, N, 3]") == true)
        #expect(Self.refusal(try landmarks([2, 5, 3], [1, 4, 4], 2))?.contains("[1, N, 2] or [1, N, 3]") == true)
        #expect(Self.refusal(try landmarks([1, 5, 3], [1, 3, 3], 2))?.contains("transformation matrix") == true)
        #expect(Self.refusal(try landmarks([1, 5, 3], [1, 4, 4], 1))?.contains("version 1") == true)

        let bilinear = { (input: [Int], output: [Int], key: String?) in
            try Self.model("TransformTensorBilinear", version: 2, inputs: [input, [1, 4, 4]], outputs: [output], options: key.map { Self.bytes($0) })
        }
        let outputs = try Self.run(try bilinear([1, 6, 6, 2], [1, 1, 1, 1], "bilinear"))
        #expect(outputs.map { $0.count } == [3 * 2 * 2], "the options' 3 × 2 output, not the declared shape")
        #expect(Self.refusal(try bilinear([1, 6, 6, 2], [1, 3, 2, 2], "bilinearZero"))?.contains("output_height 0") == true)
        #expect(Self.refusal(try bilinear([2, 6, 6, 2], [1, 3, 2, 2], "bilinear"))?.contains("one batch") == true)
        // Without options the model's output shape is used, as MediaPipe's CPU kernel does.
        #expect(try Self.run(try bilinear([1, 6, 6, 2], [1, 4, 5, 2], nil)).map { $0.count } == [40])
    }

    /// Every byte of the options replaced by extreme values: refused or run, never a crash.
    @Test func hostileOptionBytesNeverCrash() throws {
        let cases: [(String, [UInt8], [[Int]], [[Int]], Int)] = [
            ("MaxPoolingWithArgmax2D", Self.pool([1, 2, 2, 2, 2, 0]), [[1, 4, 4, 2]], [[1, 2, 2, 2], [1, 2, 2, 2]], 1),
            ("MaxUnpooling2D", Self.pool([1, 2, 2, 2, 2, 0]), [[1, 2, 2, 1], [1, 2, 2, 1]], [[1, 4, 4, 1]], 1),
            ("Landmarks2TransformMatrix", Self.bytes("good"), [[1, 8, 3]], [[1, 4, 4]], 2),
            ("TransformTensorBilinear", Self.bytes("bilinear"), [[1, 6, 6, 2], [1, 4, 4]], [[1, 3, 2, 2]], 2),
        ]
        var refused = 0
        for (code, options, inputs, outputs, version) in cases {
            for index in options.indices {
                for value: UInt8 in [0x00, 0x01, 0x7f, 0x80, 0xff] {
                    var bytes = options
                    bytes[index] = value
                    if Self.refusal(try Self.model(code, version: version, inputs: inputs, outputs: outputs, options: bytes)) != nil { refused += 1 }
                }
            }
        }
        #expect(refused > 100)
    }
}
