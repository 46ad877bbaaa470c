#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TFLiteModel
import TFLiteRuntime

/// Runs a float model on calibration samples with the interpreter and records the range of every
/// float activation (``TensorRanges``), streaming: one sample at a time, statistics only.
package enum Calibrator {
    /// The ranges of subgraph `subgraph`'s float activations over `samples`. `source` names the
    /// model in errors; `progress` is told `(done, total)` after each sample.
    public static func ranges(of model: Model, subgraph: Int = 0, samples: CalibrationSamples, source: String,
                              options: Interpreter.Options = Interpreter.Options(),
                              progress: ((Int, Int) -> Void)? = nil) throws(CalibrationError) -> TensorRanges {
        // The float model runs once per sample and is then dropped: stream its weights, so
        // calibration holds the arena and one operator's weights, not a packed copy of all.
        var options = options
        options.streamsWeights = true
        let interpreter: Interpreter
        do {
            interpreter = try Interpreter(model: model, subgraph: subgraph, options: options)
            for (input, shape) in samples.sampleShapes.enumerated() where shape != (try interpreter.inputInfo(at: input)).shape {
                try interpreter.resizeInput(at: input, to: shape, strict: false)
            }
            try interpreter.allocateTensors()
        } catch {
            throw CalibrationError("\(source): \(error)")
        }
        var ranges = TensorRanges()
        for sample in 0..<samples.count {
            for input in samples.sampleShapes.indices {
                let data = try samples.data(input: input, sample: sample)
                do { try interpreter.copy(data, toInputAt: input) } catch {
                    throw CalibrationError("\(samples.files[input].source): sample \(sample): \(error)")
                }
            }
            var nanTensor: ObservedTensor?
            do {
                try interpreter.invoke { observed in
                    guard let values = observed.floats else { return }
                    if !ranges.add(values, tensor: observed.index), nanTensor == nil { nanTensor = observed }
                }
            } catch {
                throw CalibrationError("\(source): sample \(sample): \(error)")
            }
            if let nanTensor {
                let producer = nanTensor.producer.map { "operator \($0)" } ?? "a model input"
                throw CalibrationError("\(source): sample \(sample): tensor \(nanTensor.index) (\(DisplayText.quoted(nanTensor.tensor.name)), written by \(producer)) holds NaN or infinity: check the calibration samples")
            }
            ranges.finishSample()
            progress?(sample + 1, samples.count)
        }
        return ranges
    }
}
