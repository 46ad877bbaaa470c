import Foundation
import Testing
import TestSupport
import TFLiteModel
import TFLiteQuantizer
import TFLiteRuntime

/// `tflquant --calibration-images DIR`: PNG/JPEG files preprocessed as the model's metadata
/// says, against `--calibration X.npy` made from the same files by Pillow and NumPy
/// (scripts/make_calibration_images.py).
@Suite struct CalibrationImagesTests {
    let model = Fixtures.url("metadata/image_classifier_float/model.tflite")
    let images = Fixtures.url("quantizer/calibration_images")
    let npy = Fixtures.url("quantizer/calibration_images.npy")

    @Test func samplesEqualTheNumPyPreprocessingBitForBit() throws {
        let float = try Model(contentsOf: model.path)
        let fromImages = try CalibrationSamples(imageDirectory: images.path, model: float)
        let fromArray = try CalibrationSamples(paths: [npy.path], subgraph: float.subgraphs[0])
        #expect(fromImages.count == 6 && fromArray.count == 6)
        #expect(fromImages.sampleShapes == fromArray.sampleShapes)
        for sample in 0..<6 {
            #expect(try fromImages.data(input: 0, sample: sample) == fromArray.data(input: 0, sample: sample), "sample \(sample)")
        }
        #expect(try CalibrationSamples(imageDirectory: images.path, model: float, limit: 2).count == 2)
    }

    @Test func sameModelBytesAsFromTheNpy() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        for mode in ["int8", "int16x8"] {
            let a = directory.appending(path: "images-\(mode).tflite"), b = directory.appending(path: "npy-\(mode).tflite")
            let viaImages = try CommandRunner.run("tflquant", [model.path, "--mode", mode, "-o", a.path, "--calibration-images", images.path])
            let viaNpy = try CommandRunner.run("tflquant", [model.path, "--mode", mode, "-o", b.path, "--calibration", npy.path])
            #expect(viaImages.status == 0, "\(viaImages.stderr)")
            #expect(viaNpy.status == 0, "\(viaNpy.stderr)")
            #expect(try Data(contentsOf: a) == Data(contentsOf: b), "\(mode)")
        }
    }

    @Test func modelWithoutImageMetadataIsAnErrorNamingIt() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let plain = Fixtures.url("metadata/plain_float/model.tflite")
        let output = directory.appending(path: "out.tflite")
        let result = try CommandRunner.run("tflquant", [plain.path, "--mode", "int8", "-o", output.path, "--calibration-images", images.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains(plain.path) && result.stderr.contains("image-input metadata"), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output.path))
    }

    @Test func undecodableFileIsAnErrorNamingIt() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let folder = directory.appending(path: "images")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: images.appending(path: "a_china.jpg"), to: folder.appending(path: "a_china.jpg"))
        let broken = folder.appending(path: "b_broken.png")
        try Data(try Data(contentsOf: images.appending(path: "b_flower.png")).prefix(100)).write(to: broken)
        let output = directory.appending(path: "out.tflite")
        let result = try CommandRunner.run("tflquant", [model.path, "--mode", "int8", "-o", output.path, "--calibration-images", folder.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains(broken.path), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output.path))

        // A folder with no images, and both kinds of samples at once.
        let empty = directory.appending(path: "empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let none = try CommandRunner.run("tflquant", [model.path, "--mode", "int8", "-o", output.path, "--calibration-images", empty.path])
        #expect(none.status == 1 && none.stderr.contains("no .png, .jpg or .jpeg files"), "\(none.stderr)")
        let both = try CommandRunner.run("tflquant", [model.path, "--mode", "int8", "-o", output.path, "--calibration-images", images.path,
                                                      "--calibration", npy.path])
        #expect(both.status != 0 && both.stderr.contains("one or the other"), "\(both.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output.path))
    }
}
