#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TFLiteModel
import TFLiteRuntime

/// Calibration inputs: one `.npy` per model input, in input order, samples along axis 0; or a
/// folder of PNG and JPEG files for a model with one image input (``init(imageDirectory:model:limit:)``).
///
/// Each sample has the input's shape with batch 1 (the file's shape is `(N, d1, …)` for an input
/// of shape `[b, d1, …]`); a file whose shape is exactly the input's is one sample of that shape.
/// The files are read one row at a time (``NumPyRows``): never all samples in memory.
package struct CalibrationSamples {
    /// The files, one per model input.
    package let files: [NumPyRows]
    /// The number of samples used (at most the files' rows, and `limit` when given).
    public let count: Int
    /// Per input: the shape each sample has when fed to the interpreter.
    public let sampleShapes: [[Int]]
    /// Per input: how many rows of the file one sample takes (1, or the input's batch when the
    /// file's shape is the input's shape).
    private let rowsPerSample: [Int]
    /// `--calibration-images`: the image files, instead of `files`.
    private let images: ImageCalibrationSet?

    /// The image files of `directory` as samples for `model`'s one image input, preprocessed
    /// as its metadata says (the generated wrappers' `ImagePreprocessor`). `limit` caps the
    /// number of samples.
    public init(imageDirectory directory: String, model: Model, limit: Int? = nil) throws(CalibrationError) {
        if let limit, limit < 1 { throw CalibrationError("--samples: must be at least 1, got \(limit)") }
        let images = try ImageCalibrationSet(directory: directory, model: model)
        self.images = images
        self.files = []
        self.rowsPerSample = [1]
        self.sampleShapes = [images.shape]
        self.count = min(images.files.count, limit ?? images.files.count)
    }

    /// Opens `paths` (one per input of `subgraph`) and checks each file's dtype and shape against
    /// its input. `limit` caps the number of samples (`--samples`); `role` names the option the
    /// files came from in errors.
    package init(paths: [String], subgraph: Subgraph, limit: Int? = nil, role: String = "--calibration") throws(CalibrationError) {
        guard paths.count == subgraph.inputs.count else {
            throw CalibrationError("\(role): the model has \(subgraph.inputs.count) input\(subgraph.inputs.count == 1 ? "" : "s"), got \(paths.count) file\(paths.count == 1 ? "" : "s") (one .npy per input, in input order)")
        }
        if let limit, limit < 1 { throw CalibrationError("--samples: must be at least 1, got \(limit)") }
        var files: [NumPyRows] = []
        var shapes: [[Int]] = []
        var rowsPerSample: [Int] = []
        var counts: [Int] = []
        for (position, path) in paths.enumerated() {
            let input = Int(subgraph.inputs[position])
            guard let tensor = subgraph.tensors[safe: input] else {
                throw CalibrationError("the model's input \(position) names tensor \(input), which does not exist")
            }
            let rows: NumPyRows
            do { rows = try NumPyRows(contentsOf: path, role: role) } catch { throw CalibrationError(error.description) }
            let inputShape = tensor.shape.map(Int.init)
            let what = "input \(position) (\(DisplayText.quoted(tensor.name)), \(tensor.type) \(inputShape))"
            guard rows.type == tensor.type else {
                throw CalibrationError("\(rows.source): dtype \(rows.type) does not match \(what)")
            }
            if rows.shape == inputShape {
                // The input's own shape: N == batch, one sample.
                shapes.append(inputShape)
                rowsPerSample.append(max(rows.rowCount, 1))
                counts.append(rows.rowCount == 0 ? 0 : 1)
            } else if rows.shape.count == inputShape.count, !inputShape.isEmpty, Array(rows.shape.dropFirst()) == Array(inputShape.dropFirst()) {
                shapes.append([1] + inputShape.dropFirst())
                rowsPerSample.append(1)
                counts.append(rows.rowCount)
            } else {
                let expected = "(N" + inputShape.dropFirst().map { ", \($0)" }.joined() + ")"
                throw CalibrationError("\(rows.source): shape (\(rows.shape.map(String.init).joined(separator: ", "))) does not match \(what): expected \(expected)")
            }
            files.append(rows)
        }
        let available = counts.min() ?? 0
        if let first = counts.first, let mismatch = counts.firstIndex(where: { $0 != first }) {
            throw CalibrationError("\(files[mismatch].source): \(counts[mismatch]) samples, but \(files[0].source) has \(first) (every input needs the same number)")
        }
        guard available > 0 else { throw CalibrationError("\(files.first?.source ?? role): no samples (axis 0 is empty)") }
        self.files = files
        self.images = nil
        self.sampleShapes = shapes
        self.rowsPerSample = rowsPerSample
        self.count = min(available, limit ?? available)
    }

    /// The bytes of input `input` for sample `index`.
    public func data(input: Int, sample index: Int) throws(CalibrationError) -> Data {
        if let images { return try images.data(sample: index) }
        let file = files[input]
        let rows = rowsPerSample[input]
        if rows == 1 {
            do { return try file.rowData(index) } catch { throw CalibrationError(error.description) }
        }
        var data = Data()
        for row in 0..<rows {
            do { data.append(try file.rowData(index * rows + row)) } catch { throw CalibrationError(error.description) }
        }
        return data
    }
}

fileprivate extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
