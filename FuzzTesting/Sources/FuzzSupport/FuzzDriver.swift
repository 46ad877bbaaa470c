import CFuzzerDriver
import Foundation

/// Runs libFuzzer from a SwiftPM executable's `main.swift` (SwiftPM owns `main`, so the
/// fuzzer is started through `LLVMFuzzerRunDriver` rather than libFuzzer's own `main`).
public enum FuzzDriver {
    /// One input: bytes (nil when empty) and their count; returns 0.
    public typealias TestFunction = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt

    /// A valid pointer for empty inputs.
    nonisolated(unsafe) public static let empty = UnsafeRawPointer(UnsafeMutableRawPointer.allocate(byteCount: 1, alignment: 16))

    /// Parses libFuzzer's command line, fuzzes `test` and exits with libFuzzer's status.
    public static func run(_ test: TestFunction) -> Never {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, test))
    }
}
