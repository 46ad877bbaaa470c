#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TFLiteModel
import TFLiteRuntime

/// Runs the float model and its quantized version on the same samples and measures, tensor by
/// tensor, how far the dequantized values are from the float ones (``QuantizationReport``).
///
/// Streaming: per sample, the float run keeps a copy of the watched activations of that one
/// sample; the quantized run compares as it goes; only ``ErrorStatistics`` sums outlive a sample.
package enum QuantizationReporter {
    /// Compares `quantized` with `float` on `samples`. `integerTensors` maps a float-model tensor
    /// to the quantized model's tensor holding its integer version (``FullIntegerPlan`` and the
    /// rewrite say which).
    public static func report(float: Model, quantized: Model, integerTensors: [Int: Int], samples: CalibrationSamples,
                              mode: String, source: String) throws(CalibrationError) -> QuantizationReport {
        let floatRun: Interpreter
        let quantizedRun: Interpreter
        do {
            floatRun = try Interpreter(model: float)
            quantizedRun = try Interpreter(model: quantized)
            for (input, shape) in samples.sampleShapes.enumerated() {
                if shape != (try floatRun.inputInfo(at: input)).shape { try floatRun.resizeInput(at: input, to: shape, strict: false) }
                if shape != (try quantizedRun.inputInfo(at: input)).shape { try quantizedRun.resizeInput(at: input, to: shape, strict: false) }
            }
            try floatRun.allocateTensors()
            try quantizedRun.allocateTensors()
        } catch {
            throw CalibrationError("\(source): \(error)")
        }
        let watched = Set(integerTensors.keys)
        let byQuantized = Dictionary(integerTensors.map { ($0.value, $0.key) }, uniquingKeysWith: { first, _ in first })
        var layers: [Int: ErrorStatistics] = [:]
        var scales: [Int: Float] = [:]
        let outputCount = min(floatRun.outputTensorCount, quantizedRun.outputTensorCount)
        var outputs = [ErrorStatistics](repeating: ErrorStatistics(), count: outputCount)
        var agreements = [(same: Int, rows: Int)](repeating: (0, 0), count: outputCount)
        var dequantized: [Float] = []
        for sample in 0..<samples.count {
            var reference: [Int: [Float]] = [:]
            do {
                for input in samples.sampleShapes.indices {
                    let data = try samples.data(input: input, sample: sample)
                    try floatRun.copy(data, toInputAt: input)
                    try quantizedRun.copy(try inputData(data, for: quantizedRun.inputTensor(at: input)), toInputAt: input)
                }
                try floatRun.invoke { observed in
                    guard watched.contains(observed.index), let values = observed.floats else { return }
                    reference[observed.index] = Array(values)
                }
                try quantizedRun.invoke { observed in
                    guard let floatIndex = byQuantized[observed.index], let values = reference[floatIndex],
                          let parameters = parameters(of: observed.tensor) else { return }
                    QuantizedValues.dequantize(UnsafeRawBufferPointer(observed.tensor.bytes), count: observed.tensor.elementCount,
                                               shape: observed.tensor.shape, parameters: parameters, into: &dequantized)
                    values.withUnsafeBufferPointer { r in dequantized.withUnsafeBufferPointer { q in layers[floatIndex, default: ErrorStatistics()].add(reference: r, quantized: q) } }
                    scales[floatIndex] = parameters.scale
                }
                for position in 0..<outputCount {
                    let expected = try floatValues(floatRun.output(at: position))
                    let actual = try floatValues(quantizedRun.output(at: position))
                    expected.withUnsafeBufferPointer { r in actual.withUnsafeBufferPointer { q in outputs[position].add(reference: r, quantized: q) } }
                    let shape = try floatRun.outputInfo(at: position).shape
                    if let last = shape.last, last > 1, expected.count == actual.count {
                        for row in stride(from: 0, to: expected.count - last + 1, by: last) {
                            let a = expected[row..<(row + last)].indices.max { expected[$0] < expected[$1] }
                            let b = actual[row..<(row + last)].indices.max { actual[$0] < actual[$1] }
                            agreements[position].rows += 1
                            if a == b { agreements[position].same += 1 }
                        }
                    }
                }
            } catch let error as CalibrationError {
                throw error
            } catch {
                throw CalibrationError("\(source): sample \(sample): \(error)")
            }
        }
        let floatSubgraph = float.subgraphs[0]
        var producers: [Int: String] = [:]
        for op in floatSubgraph.operators { for output in op.outputs { producers[Int(output)] = float.operatorCode(of: op)?.name ?? "custom" } }
        let layerReports = layers.keys.sorted().compactMap { index -> QuantizationReport.Layer? in
            guard let statistics = layers[index], statistics.count > 0 else { return nil }
            let scale = scales[index] ?? 0
            return QuantizationReport.Layer(tensor: index, name: floatSubgraph.tensors[index].name, op: producers[index] ?? "input", scale: scale,
                                            rmseOverScale: scale > 0 ? statistics.rmse / Double(scale) : 0, maxError: statistics.maxError,
                                            sqnr: statistics.sqnr.isFinite ? statistics.sqnr : nil, elements: statistics.count)
        }
        let outputReports = (0..<outputCount).map { position in
            let tensor = Int(floatSubgraph.outputs[position])
            return QuantizationReport.Output(index: position, name: floatSubgraph.tensors[tensor].name,
                                             sqnr: outputs[position].sqnr.isFinite ? outputs[position].sqnr : nil, maxError: outputs[position].maxError,
                                             top1Agreement: agreements[position].rows > 0 ? Double(agreements[position].same) / Double(agreements[position].rows) : nil)
        }
        return QuantizationReport(model: source, mode: mode, samples: samples.count, layers: layerReports, outputs: outputReports)
    }

    private static func parameters(of tensor: RuntimeTensor) -> QuantizedParameters? {
        guard [.int8, .uint8, .int16].contains(tensor.type), let q = tensor.quantization, !q.scales.isEmpty else { return nil }
        return QuantizedParameters(type: tensor.type, scales: q.scales, zeroPoints: q.zeroPoints.map(Int64.init), axis: q.dimension)
    }

    /// A float sample converted to an integer input's type with its parameters.
    private static func inputData(_ data: Data, for info: RuntimeTensor) throws(CalibrationError) -> Data {
        guard info.type != .float32, let parameters = parameters(of: info) else { return data }
        let floats = data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        do { return try QuantizedValues.quantize(floats, shape: info.shape, parameters: parameters) } catch {
            throw CalibrationError("input \(info.name): \(error)")
        }
    }

    /// A tensor's values as floats (dequantized when integer).
    private static func floatValues(_ tensor: Tensor) -> [Float] {
        if tensor.type == .float32 { return tensor.data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) } }
        guard let q = tensor.quantizationParameters, !q.scales.isEmpty else { return [] }
        let parameters = QuantizedParameters(type: tensor.type, scales: q.scales, zeroPoints: q.zeroPoints.map(Int64.init), axis: q.quantizedDimension)
        var values: [Float] = []
        tensor.data.withUnsafeBytes { QuantizedValues.dequantize($0, count: tensor.shape.reduce(1, *), shape: tensor.shape, parameters: parameters, into: &values) }
        return values
    }
}
