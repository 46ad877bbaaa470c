import Foundation
import TFLiteMetadata

/// The associated-files zip reader (`TFLiteModel.ZipDirectory`, the one the runtime also uses,
/// cross-checked with libzip by `AssociatedFiles(crossChecking:)`),
/// on the bytes of a whole file: finding the archive, listing, reading and CRC-checking entries.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzZip(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let storage = ByteStorage(copying: Data(bytes: start, count: count), source: "fuzz.tflite")
    guard let files = try? AssociatedFiles(crossChecking: storage) else { return 0 }
    for entry in files.entries {
        _ = files.contents(of: entry.name)
        _ = try? files.data(of: entry.name)
        _ = AssociatedFiles.isSafeName(entry.name)
    }
    return 0
}
