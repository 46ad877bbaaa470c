import Foundation
import TFLiteModel
import TFLiteQuantizer

/// `tflquant` on arbitrary bytes (issue #22): the model is quantized in each weight mode as the
/// tool does (`Quantizer.quantize` from a file to a file, `--min-elements 0` so every weight
/// path runs). Each run fails with an error and writes nothing, or writes a model that reads
/// back; anything else traps.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzQuantize(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let input = FuzzQuantizeFiles.input, output = FuzzQuantizeFiles.output
    guard (try? Data(bytes: start, count: count).write(to: URL(fileURLWithPath: input))) != nil else { return 0 }
    for mode in [QuantizationMode.float16, .dynamic, .weightInt8] {
        unlink(output)
        do {
            try Quantizer.quantize(input, mode: mode, options: QuantizationOptions(minElements: 0), to: output)
            guard (try? Model(contentsOf: output)) != nil else { fatalError("FuzzQuantize: \(mode) wrote an unreadable model") }
        } catch {
            if error.reason.hasPrefix("internal error") { fatalError("FuzzQuantize: \(error)") }
            if FileManager.default.fileExists(atPath: output) { fatalError("FuzzQuantize: \(mode) failed (\(error)) but wrote the output") }
        }
    }
    return 0
}

enum FuzzQuantizeFiles {
    /// One pair of files per process (in memory when /dev/shm exists).
    static let directory = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
    static let input = (directory as NSString).appendingPathComponent("FuzzQuantize-\(getpid()).tflite")
    static let output = (directory as NSString).appendingPathComponent("FuzzQuantize-\(getpid())-out.tflite")
}
