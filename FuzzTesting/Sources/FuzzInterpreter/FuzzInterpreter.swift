import Foundation
import TFLiteRuntime

/// The interpreter on a hostile model: load (verify + graph validation), plan and allocate
/// under a 64 MB cap and a 2^30 multiply-add cap per operator (the default, 2^36, is minutes
/// under ASan), invoke with zeroed inputs.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzInterpreter(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let data = Data(bytes: start, count: count)
    guard let interpreter = try? Interpreter(modelData: data, options: .init(threadCount: 1, memoryLimit: 64 << 20, workLimit: 1 << 30)) else {
        return 0
    }
    guard (try? interpreter.allocateTensors()) != nil else { return 0 }
    _ = try? interpreter.invoke()
    for index in 0..<interpreter.outputTensorCount { _ = try? interpreter.outputInfo(at: index) }
    return 0
}
