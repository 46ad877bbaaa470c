/// How large a text file the tools read whole may be: label files, vocabularies and score
/// calibration files packed in a model (real ones are kilobytes; a 30 000-token vocabulary is
/// about 250 KB). A hostile model may pack gigabytes; reading and splitting such a file takes
/// several times its size in memory, so larger ones are refused with an error instead.
package enum TextFileLimit {
    /// The most bytes of one text file: 16 MB.
    package static let bytes = 16 << 20

    /// `16 MB`, `512 KB`: a limit for messages.
    package static func describe(_ bytes: Int) -> String {
        if bytes >= 1 << 20, bytes % (1 << 20) == 0 { return "\(bytes >> 20) MB" }
        if bytes >= 1 << 10, bytes % (1 << 10) == 0 { return "\(bytes >> 10) KB" }
        return "\(bytes) bytes"
    }
}
