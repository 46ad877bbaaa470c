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
        guard let meta = metadata?.subgraphMetadata?.first?.inputTensorMetadata?.first,
              case .image(let properties)? = meta.content?.contentProperties else {
            throw CalibrationError("\(source): --calibration-images needs image-input metadata (ImageProperties on input 0) to know the preprocessing; this model has none (use --calibration X.npy, or add metadata with tflmeta populate)")
        }
        let colorSpace: ImagePreprocessor.ColorSpace
        switch properties.colorSpace ?? .unknown {
        case .rgb: colorSpace = .rgb
        case .grayscale: colorSpace = .grayscale
        case .unknown:
            throw CalibrationError("\(source): input 0 metadata: image colour space UNKNOWN (RGB or GRAYSCALE needed for --calibration-images)")
        }
        let channels = colorSpace == .rgb ? 3 : 1
        let shape = tensor.shape.map(Int.init)
        guard shape.count == 4, shape[0] == 1, shape[1] > 0, shape[2] > 0, shape[3] == channels else {
            throw CalibrationError("\(source): input 0 (\(DisplayText.quoted(tensor.name))): an \(colorSpace.rawValue) image input needs shape [1, height, width, \(channels)], not \(shape)")
        }
        var normalization: NormalizationOptions?
        for unit in meta.processUnits ?? [] {
            if case .normalization(let options)? = unit.options { normalization = options }
        }
        let mean = normalization?.mean ?? [0], std = normalization?.std ?? [1]
        for (field, values) in [("mean", mean), ("std", std)] where values.count != 1 && values.count != channels {
            throw CalibrationError("\(source): input 0 metadata: normalization \(field) has \(values.count) values for \(channels) channels")
        }
        guard !std.contains(0) else { throw CalibrationError("\(source): input 0 metadata: normalization std contains 0") }

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
        self.shape = shape
        self.preprocessor = ImagePreprocessor(colorSpace: colorSpace, mean: mean, std: std)
        self.quantizer = TensorQuantizer(type: tensor.type, quantization: nil, name: tensor.name)
        guard [.float32, .uint8, .int8].contains(tensor.type) else {
            throw CalibrationError("\(source): input 0 (\(DisplayText.quoted(tensor.name))): image input of type \(tensor.type) (float32, uint8 or int8 needed)")
        }
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
