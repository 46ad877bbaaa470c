import Foundation
import TFLiteRuntime

/// The `.npy` reader (`tflrun` inputs, conformance fixtures), and writing back what it read.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNumPy(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let data = Data(bytes: start, count: count)
    guard let array = try? NumPyArray(npy: data, source: "fuzz.npy") else { return 0 }
    _ = array.doubles()
    _ = try? array.npyData()
    return 0
}
