import Foundation
import Testing
import TestSupport
import TFLiteModel
import TFLiteQuantizer
import TFLiteRuntime

/// The planner against the TensorFlow Lite converter: the same float network calibrated on the
/// same samples gives the converter's scales and zero points on every tensor.
@Suite struct FullIntegerPlannerTests {
    struct Mismatch: CustomStringConvertible {
        var where_: String
        var ours: String
        var converter: String
        var description: String { "\(where_): ours \(ours), converter \(converter)" }
    }

    static func parameters(of tensor: ModelTensor) -> QuantizedParameters? {
        guard let q = tensor.quantization, !q.scale.isEmpty else { return nil }
        return QuantizedParameters(type: tensor.type, scales: q.scale, zeroPoints: q.zeroPoint, axis: Int(q.quantizedDimension))
    }

    static func same(_ a: QuantizedParameters, _ b: QuantizedParameters) -> Bool {
        a.type == b.type && a.scales.count == b.scales.count && a.zeroPoints == b.zeroPoints
            && (a.scales.count == 1 || a.axis == b.axis)
            && zip(a.scales, b.scales).allSatisfy { abs($0 - $1) <= 1e-5 * max(abs($0), abs($1)) }
    }

    /// Compares the plan with the converter's model operator by operator (QUANTIZE and
    /// DEQUANTIZE, which the converter adds at the edges and for requantization, skipped).
    static func compare(net: String, mode: String) throws -> (compared: Int, mismatches: [Mismatch], plan: FullIntegerPlan) {
        let float = try QuantFixture.model(net, "float")
        let converted = try QuantFixture.model(net, mode)
        let samples = try QuantFixture.samples(net, model: float)
        let ranges = try Calibrator.ranges(of: float, samples: samples, source: "float.tflite")
        let precision: ActivationPrecision = mode == "int8" ? .int8 : .int16
        let plan = try FullIntegerPlanner.plan(model: float, ranges: ranges, precision: precision, source: "float.tflite")
        let fs = float.subgraphs[0]
        let cs = converted.subgraphs[0]
        func code(_ model: Model, _ op: Operator) -> BuiltinOperator? { model.operatorCodes[Int(op.opcodeIndex)].builtinCode }
        let convertedOps = cs.operators.filter { code(converted, $0) != .quantize && code(converted, $0) != .dequantize }
        #expect(convertedOps.map { code(converted, $0) } == fs.operators.map { code(float, $0) }, "\(net) \(mode): the same operators")
        var compared = 0
        var mismatches: [Mismatch] = []
        for (index, (fop, cop)) in zip(fs.operators, convertedOps).enumerated() {
            let pairs = fop.inputs.enumerated().map { (position: $0.offset, ours: Int($0.element), theirs: Int(cop.inputs[$0.offset]), isInput: true) }
                + fop.outputs.enumerated().map { (position: $0.offset, ours: Int($0.element), theirs: Int(cop.outputs[$0.offset]), isInput: false) }
            for pair in pairs where pair.ours >= 0 && pair.theirs >= 0 {
                guard let theirs = parameters(of: cs.tensors[pair.theirs]) else { continue }
                let requantized = pair.isInput ? plan.requantizations.first { $0.reader.operatorIndex == index && $0.reader.position == pair.position }?.parameters : nil
                let where_ = "\(net) \(mode) op \(index) \(fs.operators.isEmpty ? "" : (code(float, fop)?.name ?? "?")) \(pair.isInput ? "input" : "output") \(pair.position) (\(cs.tensors[pair.theirs].name))"
                guard let ours = requantized ?? plan.tensors[pair.ours] else {
                    mismatches.append(Mismatch(where_: where_, ours: "none", converter: theirs.description))
                    continue
                }
                compared += 1
                if !same(ours, theirs) {
                    mismatches.append(Mismatch(where_: where_, ours: "\(ours.type) \(ours.scales) \(ours.zeroPoints)", converter: "\(theirs.type) \(theirs.scales) \(theirs.zeroPoints)"))
                }
            }
        }
        return (compared, mismatches, plan)
    }

    @Test(arguments: QuantFixture.networks, ["int8", "int16x8"])
    func sameParametersAsTheConverter(net: String, mode: String) throws {
        let (compared, mismatches, plan) = try Self.compare(net: net, mode: mode)
        #expect(compared >= 10, "\(net) \(mode): \(compared) tensors compared")
        #expect(mismatches.isEmpty, "\(mismatches.map(\.description).joined(separator: "\n"))")
        #expect(plan.floatOperators.isEmpty)
        print("planner vs converter: \(net) \(mode): \(compared) tensors compared, \(mismatches.count) differ")
    }

    @Test func edgesFollowTheIOType() throws {
        let float = try QuantFixture.model("mixnet", "float")
        let samples = try QuantFixture.samples("mixnet", model: float)
        let ranges = try Calibrator.ranges(of: float, samples: samples, source: "float.tflite")
        let subgraph = float.subgraphs[0]
        let floatIO = try FullIntegerPlanner.plan(model: float, ranges: ranges, precision: .int8, io: .float, source: "m")
        // Two QUANTIZE (one per input) and one DEQUANTIZE feeding the output.
        #expect(floatIO.conversions.filter { $0.direction == .quantize }.map(\.tensor).sorted() == subgraph.inputs.map(Int.init).sorted())
        #expect(floatIO.conversions.filter { $0.direction == .dequantize }.map(\.tensor) == subgraph.outputs.map(Int.init))
        #expect(floatIO.conversions.allSatisfy { $0.direction == .quantize || $0.feedsModelOutput })
        let integerIO = try FullIntegerPlanner.plan(model: float, ranges: ranges, precision: .int8, io: .int8, source: "m")
        #expect(integerIO.conversions.isEmpty && integerIO.floatInPlace.isEmpty)
        #expect(throws: FullIntegerError.self) { _ = try FullIntegerPlanner.plan(model: float, ranges: ranges, precision: .int16, io: .uint8, source: "m") }
        // Keeping the TANH float: a DEQUANTIZE before it and a QUANTIZE after it.
        let tanh = subgraph.operators.firstIndex { float.operatorCodes[Int($0.opcodeIndex)].builtinCode == .tanh }
        let kept = try FullIntegerPlanner.plan(model: float, ranges: ranges, precision: .int8, keepFloat: [try #require(tanh)], source: "m")
        #expect(kept.floatOperators[try #require(tanh)] == "--keep-float")
        let tanhOp = subgraph.operators[try #require(tanh)]
        #expect(kept.conversions.contains { $0.tensor == Int(tanhOp.inputs[0]) && $0.direction == .dequantize })
        #expect(kept.conversions.contains { $0.tensor == Int(tanhOp.outputs[0]) && $0.direction == .quantize })
        #expect(kept.floatInPlace.contains(Int(tanhOp.outputs[0])))
    }
}

/// Weights and biases quantized with the planned parameters hold the converter's integers.
@Suite struct FullIntegerValuesTests {
    @Test(arguments: QuantFixture.networks, ["int8", "int16x8"])
    func constantsMatchTheConverter(net: String, mode: String) throws {
        let float = try QuantFixture.model(net, "float")
        let converted = try QuantFixture.model(net, mode)
        let ranges = try Calibrator.ranges(of: float, samples: try QuantFixture.samples(net, model: float), source: "float.tflite")
        let plan = try FullIntegerPlanner.plan(model: float, ranges: ranges, precision: mode == "int8" ? .int8 : .int16, source: "float.tflite")
        func code(_ model: Model, _ op: Operator) -> BuiltinOperator? { model.operatorCodes[Int(op.opcodeIndex)].builtinCode }
        let fs = float.subgraphs[0]
        let cs = converted.subgraphs[0]
        let convertedOps = cs.operators.filter { code(converted, $0) != .quantize && code(converted, $0) != .dequantize }
        var compared = 0
        var largestDifference = 0
        for (fop, cop) in zip(fs.operators, convertedOps) {
            guard let opCode = code(float, fop), [.conv2D, .depthwiseConv2D, .fullyConnected].contains(opCode) else { continue }
            for position in 1...2 where position < fop.inputs.count {
                let ours = Int(fop.inputs[position])
                let theirs = Int(cop.inputs[position])
                let tensor = fs.tensors[ours]
                let values = try float.data(ofBuffer: Int(tensor.buffer))
                let floats = (0..<values.count / 4).map { values.loadUnaligned(fromByteOffset: $0 * 4, as: Float.self) }
                let parameters = try #require(plan.tensors[ours])
                let bytes = try QuantizedValues.quantize(floats, shape: tensor.shape.map(Int.init), parameters: parameters, narrowRange: position == 1)
                let expected = try converted.data(ofBuffer: Int(cs.tensors[theirs].buffer))
                #expect(bytes.count == expected.count)
                let width = parameters.type.byteWidth ?? 1
                func integer(_ raw: UnsafeRawBufferPointer, _ index: Int) -> Int64 {
                    switch width {
                    case 1: Int64(raw.loadUnaligned(fromByteOffset: index, as: Int8.self))
                    case 4: Int64(raw.loadUnaligned(fromByteOffset: index * 4, as: Int32.self))
                    default: raw.loadUnaligned(fromByteOffset: index * 8, as: Int64.self)
                    }
                }
                bytes.withUnsafeBytes { raw in
                    for index in 0..<min(floats.count, expected.count / width) {
                        // Ranges from our float kernels may differ from TensorFlow's in the last bit of
                        // a scale: a bias of 1.6e8 steps then moves by one float32 ulp (16).
                        let reference = integer(expected, index)
                        let difference = Int(abs(integer(raw, index) - reference))
                        let allowed = max(1, Int(Double(abs(reference)) * 2e-7))
                        largestDifference = max(largestDifference, difference > allowed ? difference : min(difference, 1))
                        compared += 1
                    }
                }
            }
        }
        print("quantized constants vs converter: \(net) \(mode): \(compared) values, largest difference (float32 rounding of huge biases counted as 1) \(largestDifference)")
        #expect(compared > 0)
        #expect(largestDifference <= 1)
    }
}

@Suite struct FullIntegerSharedConstantTests {
    /// A constant two operators quantize differently (`quant/convnet`: one bias tensor read by a
    /// convolution and a depthwise convolution with different input scales) gets a copy per
    /// extra reader, each at its reader's scale.
    @Test func sharedBiasGetsACopyPerReader() throws {
        let model = try Model(contentsOf: Fixtures.url("quant/convnet.float.tflite").path)
        let subgraph = model.subgraphs[0]
        let input = subgraph.tensors[Int(subgraph.inputs[0])]
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let shape = [8] + input.shape.dropFirst().map(Int.init)
        var generator = SystemRandomNumberGenerator()
        let values = (0..<shape.reduce(1, *)).map { _ in Float.random(in: -1...1, using: &generator) }
        let path = directory.appending(path: "x.npy")
        try NumPyArray(type: .float32, shape: shape, data: values.withUnsafeBytes { Data($0) }).npyData().write(to: path)
        let samples = try CalibrationSamples(paths: [path.path], subgraph: subgraph)
        let ranges = try Calibrator.ranges(of: model, samples: samples, source: "convnet")
        let plan = try FullIntegerPlanner.plan(model: model, ranges: ranges, precision: .int8, source: "convnet")
        let copy = try #require(plan.constantCopies.first)
        let original = try #require(plan.tensors[copy.tensor])
        #expect(copy.parameters != original)
        let reader = subgraph.operators[copy.reader.operatorIndex]
        let readerInput = try #require(plan.tensors[Int(reader.inputs[0])])
        let readerWeights = try #require(plan.tensors[Int(reader.inputs[1])])
        // The copy is at this reader's input scale × its weight scales.
        #expect(zip(copy.parameters.scales, readerWeights.scales).allSatisfy { abs($0 - readerInput.scale * $1) <= 1e-6 * abs($0) })
        #expect(plan.adjustments.isEmpty)
    }
}
