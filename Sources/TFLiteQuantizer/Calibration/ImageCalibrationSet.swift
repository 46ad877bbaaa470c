#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TFLiteImageIO
import TFLiteMetadata
import TFLiteModel
@_spi(GeneratedCode) import TFLiteRuntime

/// Calibration samples from a folder of PNG and JPEG files (`--calibration-images`), preprocessed
/// as the model's metadata says and as generated wrappers do: decoded by `TFLiteImageIO`, then
/// `ImagePreprocessor` (turned upright by the EXIF orientation, resized bilinear to the input's
/// size, RGB or grayscale, `(x − mean) / std`), then stored in the input's type. Files are
/// decoded one at a time, when their sample is asked for.
struct ImageCalibrationSet {
    /// The image files, sorted by name.
    let files: [URL]
    /// The one input's shape, `[1, height, width, channels]`.
    let shape: [Int]
    let preprocessor: ImagePreprocessor
    let quantizer: TensorQuantizer

    /// The files of `directory` for the image input of `model` (its only input, with
    /// ImageProperties and NormalizationOptions in its metadata).
    init(directory: String, model: Model) throws(CalibrationError) {
        let source = model.storage.source
        let subgraph = model.subgraphs[0]
        guard subgraph.inputs.count == 1, let input = subgraph.inputs.first.map(Int.init), let tensor = subgraph.tensors[safe: input] else {
            throw CalibrationError("\(source): --calibration-images needs a model with one image input; this one has \(subgraph.inputs.count) inputs (use --calibration X.npy per input)")
        }
        let metadata: ModelMetadata?
        do { metadata = try ModelFile(model: model).metadata() } catch { throw CalibrationError(error.description) }
        let meta = metadata?.subgraphMetadata?.first?.inputTensorMetadata?.first
        // The wrappers' rule (TFLiteMetadata's ImageInputPreprocessing), so calibration samples are
        // what a generated wrapper would feed.
        let rule: ImageInputPreprocessing?
        do { rule = try ImageInputPreprocessing(metadata: meta, shape: tensor.shape.map(Int.init), type: tensor.type) } catch {
            throw CalibrationError("\(source): input 0 (\(DisplayText.quoted(tensor.name))): \(error.description) (needed for --calibration-images)")
        }
        guard let image = rule else {
            throw CalibrationError("\(source): --calibration-images needs image-input metadata (ImageProperties on input 0) to know the preprocessing; this model has none (use --calibration X.npy, or add metadata with tflmeta populate)")
        }

        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: directory) } catch {
            throw CalibrationError("\(directory): --calibration-images: cannot list the folder: \(error)")
        }
        let files = names.filter { ["png", "jpg", "jpeg"].contains($0.pathExtension.lowercased()) }.sorted()
            .map { URL(fileURLWithPath: directory).appending(path: $0) }
        guard !files.isEmpty else {
            throw CalibrationError("\(directory): --calibration-images: no .png, .jpg or .jpeg files in the folder")
        }
        self.files = files
        self.shape = [1, image.height, image.width, image.channels]
        self.preprocessor = ImagePreprocessor(colorSpace: image.colorSpace == .rgb ? .rgb : .grayscale, mean: image.mean, std: image.std)
        self.quantizer = TensorQuantizer(type: tensor.type, quantization: nil, name: tensor.name)
    }

    /// The input bytes of sample `index`: the file decoded and preprocessed.
    func data(sample index: Int) throws(CalibrationError) -> Data {
        let file = files[index]
        let image: TensorImage
        do { image = try TensorImage(contentsOf: file) } catch { throw CalibrationError("--calibration-images: \(error.description)") }
        let values = preprocessor.normalizedValues(image, width: shape[2], height: shape[1], channels: shape[3])
        var data = Data(count: values.count * (quantizer.type == .float32 ? 4 : 1))
        do {
            try data.withUnsafeMutableBytes { raw in try quantizer.store(values, into: raw) }
        } catch {
            throw CalibrationError("\(file.path): --calibration-images: \(error)")
        }
        return data
    }
}

fileprivate extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
