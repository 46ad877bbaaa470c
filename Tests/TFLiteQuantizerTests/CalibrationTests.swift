import Foundation
import Testing
import TestSupport
import TFLiteModel
import TFLiteQuantizer
import TFLiteRuntime

/// The quantizer's fixture networks (`scripts/make_quant_fixtures.py`).
enum QuantFixture {
    static let networks = ["convnet", "mixnet", "samescale"]

    static func folder(_ net: String) -> URL { Fixtures.url("quantizer/\(net)") }

    static func model(_ net: String, _ mode: String) throws -> Model {
        try Model(contentsOf: folder(net).appending(path: "\(mode).tflite").path)
    }

    static func calibrationPaths(_ net: String, inputs: Int) -> [String] {
        (0..<inputs).map { folder(net).appending(path: "calib_\($0).npy").path }
    }

    /// The plain min/max of every float tensor over the calibration samples, by tensor name, as
    /// LiteRT's float interpreter computed them.
    static func referenceRanges(_ net: String) throws -> [String: [Double]] {
        let data = try Data(contentsOf: folder(net).appending(path: "ranges.json"))
        return try JSONDecoder().decode([String: [Double]].self, from: data)
    }

    static func samples(_ net: String, model: Model, limit: Int? = nil) throws -> CalibrationSamples {
        try CalibrationSamples(paths: calibrationPaths(net, inputs: model.subgraphs[0].inputs.count), subgraph: model.subgraphs[0], limit: limit)
    }
}

@Suite struct CalibrationObservationTests {
    /// The observer sees every model input and every operator output once per invoke, and the
    /// observed run computes what `invoke()` computes.
    @Test(arguments: QuantFixture.networks) func observerSeesEveryActivation(net: String) throws {
        let model = try QuantFixture.model(net, "float")
        let subgraph = model.subgraphs[0]
        let samples = try QuantFixture.samples(net, model: model)
        let plain = try Interpreter(model: model)
        try plain.allocateTensors()
        let observed = try Interpreter(model: model)
        try observed.allocateTensors()
        for input in 0..<subgraph.inputs.count {
            let data = try samples.data(input: input, sample: 3)
            try plain.copy(data, toInputAt: input)
            try observed.copy(data, toInputAt: input)
        }
        try plain.invoke()
        var seen: [Int] = []
        var inputsSeen: [Int] = []
        var outputValue: [Float] = []
        let outputIndex = Int(subgraph.outputs[0])
        try observed.invoke { tensor in
            if tensor.producer == nil { inputsSeen.append(tensor.index) } else { seen.append(tensor.index) }
            if tensor.index == outputIndex, let values = tensor.floats { outputValue = Array(values) }
        }
        #expect(inputsSeen == subgraph.inputs.map(Int.init))
        let expectedOutputs = subgraph.operators.flatMap { $0.outputs.map(Int.init) }
        #expect(seen == expectedOutputs)
        let reference = try plain.output(at: 0).data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        #expect(!outputValue.isEmpty && outputValue == reference)
    }
}

@Suite struct CalibrationRangeTests {
    /// Our ranges are the plain min/max LiteRT's float interpreter sees over the same samples.
    @Test(arguments: QuantFixture.networks) func rangesMatchLiteRTMinMax(net: String) throws {
        let model = try QuantFixture.model(net, "float")
        let samples = try QuantFixture.samples(net, model: model)
        #expect(samples.count == 24)
        var reports: [Int] = []
        let ranges = try Calibrator.ranges(of: model, samples: samples, source: "float.tflite") { done, _ in reports.append(done) }
        #expect(reports == Array(1...24))
        #expect(ranges.sampleCount == 24)
        let reference = try QuantFixture.referenceRanges(net)
        var compared = 0
        for (index, tensor) in model.subgraphs[0].tensors.enumerated() where tensor.buffer == 0 || (try? model.data(ofBuffer: Int(tensor.buffer)))?.isEmpty != false {
            guard let expected = reference[tensor.name], let range = ranges[index] else { continue }
            #expect(abs(Double(range.min) - expected[0]) <= 1e-5 * max(1, abs(expected[0])), "\(tensor.name) min")
            #expect(abs(Double(range.max) - expected[1]) <= 1e-5 * max(1, abs(expected[1])), "\(tensor.name) max")
            compared += 1
        }
        #expect(compared >= 6)
    }

    @Test func samplesCapAndRefusals() throws {
        let model = try QuantFixture.model("mixnet", "float")
        let subgraph = model.subgraphs[0]
        #expect(try QuantFixture.samples("mixnet", model: model, limit: 5).count == 5)
        let paths = QuantFixture.calibrationPaths("mixnet", inputs: 2)
        // Swapped files: the shapes no longer fit their inputs.
        #expect {
            _ = try CalibrationSamples(paths: paths.reversed(), subgraph: subgraph)
        } throws: { error in
            let text = "\(error)"
            return text.contains("calib_1.npy") && text.contains("does not match input 0") && !text.contains("\n")
        }
        #expect(throws: CalibrationError.self) { _ = try CalibrationSamples(paths: [paths[0]], subgraph: subgraph) }
        #expect(throws: CalibrationError.self) { _ = try CalibrationSamples(paths: paths, subgraph: subgraph, limit: 0) }

        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // int32 samples for a float32 input.
        let wrongType = directory.appending(path: "int.npy")
        try NumPyArray(type: .int32, shape: [3, 4], data: Data(count: 48)).npyData().write(to: wrongType)
        #expect {
            _ = try CalibrationSamples(paths: [paths[0], wrongType.path], subgraph: subgraph)
        } throws: { "\($0)".contains("int.npy") && "\($0)".contains("dtype int32") }
        // A different sample count per input.
        let fewer = directory.appending(path: "fewer.npy")
        try NumPyArray(type: .float32, shape: [3, 6], data: Data(count: 72)).npyData().write(to: fewer)
        let sixWide = subgraph.tensors[Int(subgraph.inputs[1])].shape == [1, 6]
        let pair = sixWide ? [paths[0], fewer.path] : [fewer.path, paths[1]]
        #expect {
            _ = try CalibrationSamples(paths: pair, subgraph: subgraph)
        } throws: { "\($0)".contains("fewer.npy") && "\($0)".contains("3 samples") }
        // A truncated file is refused when opened.
        let truncated = directory.appending(path: "short.npy")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: paths[0]))
        try bytes.dropLast(4).write(to: truncated)
        #expect {
            _ = try CalibrationSamples(paths: [truncated.path, paths[1]], subgraph: subgraph)
        } throws: { "\($0)".contains("short.npy") && "\($0)".contains("needs") }
    }

    @Test func rowsReadWhatTheWholeArrayHolds() throws {
        let path = QuantFixture.calibrationPaths("convnet", inputs: 1)[0]
        let whole = try NumPyArray(contentsOf: path)
        let rows = try NumPyRows(contentsOf: path)
        #expect(rows.rowCount == whole.shape[0] && rows.rowShape == Array(whole.shape.dropFirst()))
        var joined = Data()
        for row in 0..<rows.rowCount { joined.append(try rows.rowData(row)) }
        #expect(joined == whole.data)
        #expect(throws: NumPyArray.FormatError.self) { _ = try rows.rowData(rows.rowCount) }
    }
}
