#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TFLiteModel
import TFLiteRuntime

/// `--mode int8|int16x8`: calibrate on the samples, plan, write.
enum FullIntegerQuantization {
    static func run(model: Model, files: AssociatedFiles, mode: QuantizationMode, options: QuantizationOptions, output: String,
                    summary: inout QuantizationSummary) throws(QuantizationError) {
        let source = model.storage.source
        guard !options.calibration.isEmpty || options.calibrationImages != nil else {
            throw QuantizationError(file: source, field: nil, reason: "--mode \(mode.rawValue) needs calibration samples (--calibration X.npy, one per input, or --calibration-images DIR)")
        }
        guard model.subgraphs.count == 1 else {
            throw QuantizationError(file: source, field: "subgraphs", reason: "--mode \(mode.rawValue) quantizes models of one subgraph; this one has \(model.subgraphs.count)")
        }
        let precision: ActivationPrecision = mode == .int8 ? .int8 : .int16
        var keepFloat = keptFloatOperators(options.keepFloat, in: model)
        var keepReasons: [Int: String] = [:]
        if let recipe = options.recipe {
            let applied: (mode: QuantizationMode, keepFloat: Set<Int>)
            do { applied = try recipe.apply(to: model, source: "--recipe") } catch {
                throw QuantizationError(file: source, field: nil, reason: error.description)
            }
            guard applied.mode == mode else {
                throw QuantizationError(file: source, field: nil, reason: "--recipe quantizes activations as --mode \(applied.mode.rawValue), not \(mode.rawValue)")
            }
            for op in applied.keepFloat where !keepFloat.contains(op) { keepReasons[op] = "--recipe (no_quantize, or no entry matches)" }
            keepFloat.formUnion(applied.keepFloat)
        }
        if options.reportPath != nil, !options.reportSamples.isEmpty {
            // Checked before anything is written.
            do { _ = try reportSamples(options, model: model) } catch {
                throw QuantizationError(file: source, field: nil, reason: Self.withoutFile(error.description, source))
            }
        }
        let plan: FullIntegerPlan
        do {
            let samples = try samples(options, model: model)
            let bar = options.progress ? ProgressBar(label: "calibrating") : nil
            let ranges = try Calibrator.ranges(of: model, samples: samples, source: source) { done, total in bar?.update(done: done, total: total) }
            plan = try FullIntegerPlanner.plan(model: model, ranges: ranges, precision: precision, io: options.io,
                                               keepFloat: keepFloat, keepReasons: keepReasons, source: source)
        } catch let error as CalibrationError {
            throw QuantizationError(file: source, field: nil, reason: Self.withoutFile(error.description, source))
        } catch let error as FullIntegerError {
            throw QuantizationError(file: source, field: nil, reason: Self.withoutFile(error.description, source))
        } catch {
            throw QuantizationError(file: source, field: nil, reason: "\(error)")
        }
        let integerTensors: [Int: Int]
        do {
            var rewrite = try FullIntegerRewrite(model: model, files: files, plan: plan)
            try rewrite.run()
            summary.outputBytes = try rewrite.rewriter.write(to: output)
            integerTensors = rewrite.integerTensors
        } catch {
            throw QuantizationError(file: error.file, field: error.field, reason: error.reason)
        }
        if let reportPath = options.reportPath {
            summary.report = try writeReport(to: reportPath, float: model, output: output, integerTensors: integerTensors,
                                             options: options, mode: mode)
        }
        let tensors = model.subgraphs[0].tensors
        summary.quantized = plan.tensors.keys.sorted().map { tensors[$0].name }
        summary.floatOperators = plan.floatOperators.sorted { $0.key < $1.key }.map { op, reason in
            let name = model.operatorCode(of: model.subgraphs[0].operators[op])?.name ?? "custom"
            return QuantizationSummary.Kept(tensor: "operator \(op) (\(name))", reason: reason)
        }
        summary.adjustments = plan.adjustments
    }

    /// The calibration samples: the `.npy` files, or the images of `--calibration-images`.
    private static func samples(_ options: QuantizationOptions, model: Model) throws(CalibrationError) -> CalibrationSamples {
        if let directory = options.calibrationImages {
            return try CalibrationSamples(imageDirectory: directory, model: model, limit: options.samples)
        }
        return try CalibrationSamples(paths: options.calibration, subgraph: model.subgraphs[0], limit: options.samples)
    }

    /// Measures the written model against the float one on the calibration samples and writes
    /// the report's JSON to `path` (atomically).
    private static func writeReport(to path: String, float model: Model, output: String, integerTensors: [Int: Int],
                                    options: QuantizationOptions, mode: QuantizationMode) throws(QuantizationError) -> QuantizationReport {
        let quantized: Model
        do { quantized = try Model(contentsOf: output) } catch { throw QuantizationError(error) }
        let report: QuantizationReport
        do {
            let samples = try reportSamples(options, model: model)
            report = try QuantizationReporter.report(float: model, quantized: quantized, integerTensors: integerTensors,
                                                     samples: samples, mode: mode.rawValue, source: model.storage.source)
        } catch {
            throw QuantizationError(file: path, field: nil, reason: error.description)
        }
        guard let json = try? report.json() else { throw QuantizationError(file: path, field: nil, reason: "the report could not be encoded") }
        let bytes = [UInt8](json)
        var failure: ModelError?
        bytes.withUnsafeBytes { raw in
            do throws(ModelError) { try AtomicFile.write(raw, to: path) } catch { failure = error }
        }
        if let failure { throw QuantizationError(failure) }
        return report
    }

    /// The samples the report measures on: `--report-samples` (all of them), else the
    /// calibration samples.
    private static func reportSamples(_ options: QuantizationOptions, model: Model) throws(CalibrationError) -> CalibrationSamples {
        options.reportSamples.isEmpty
            ? try samples(options, model: model)
            : try CalibrationSamples(paths: options.reportSamples, subgraph: model.subgraphs[0], role: "--report-samples")
    }

    /// `message` without a leading `file: ` (the error adds it).
    private static func withoutFile(_ message: String, _ file: String) -> String {
        message.hasPrefix(file + ": ") ? String(message.dropFirst(file.count + 2)) : message
    }
}
