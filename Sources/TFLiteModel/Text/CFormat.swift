#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension String {
    /// `printf`-style formatting of numbers (`%.1f`, `%7.2f`, `%10.4g`, `%d`, …) through the C
    /// library's `vsnprintf`, as Foundation's `String(format:)` does, for code that links only
    /// FoundationEssentials.
    package init(printf format: String, _ arguments: any CVarArg...) {
        self = withVaList(arguments) { list in
            var buffer = [CChar](repeating: 0, count: 64)
            let needed = Int(buffer.withUnsafeMutableBufferPointer { vsnprintf($0.baseAddress, $0.count, format, list) })
            guard needed >= buffer.count else { return String(decoding: buffer.prefix(Swift.max(0, needed)).map { UInt8(bitPattern: $0) }, as: UTF8.self) }
            buffer = [CChar](repeating: 0, count: needed + 1)
            return withVaList(arguments) { again in
                let written = Int(buffer.withUnsafeMutableBufferPointer { vsnprintf($0.baseAddress, $0.count, format, again) })
                return String(decoding: buffer.prefix(Swift.max(0, Swift.min(written, needed))).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            }
        }
    }
}
