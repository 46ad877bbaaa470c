import Foundation
@_spi(GeneratedCode) @testable import TFLiteRuntime

extension Interpreter {
    /// Allocates, feeds a conformance case's `input_N.npy` files, invokes and returns the first
    /// output's bytes.
    func firstOutput(feeding directory: URL) throws -> Data {
        try allocateTensors()
        var index = 0
        while FileManager.default.fileExists(atPath: directory.appending(path: "input_\(index).npy").path) {
            let input = try NumPyArray(contentsOf: directory.appending(path: "input_\(index).npy").path)
            _ = try copy(input.data, toInputAt: index)
            index += 1
        }
        try invoke()
        return try output(at: 0).data
    }
}
