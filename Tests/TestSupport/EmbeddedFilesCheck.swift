import Foundation

/// Compares a committed `Embedded*.swift` table with the top-level folder it was made from
/// (`make embed` regenerates it).
public enum EmbeddedFilesCheck {
    /// A description of each difference between `embedded` and the `*.extension` files of
    /// `folder`; empty when they match.
    public static func differences(_ embedded: [String: String], folder: String, extension fileExtension: String) throws -> [String] {
        let directory = Fixtures.root.appending(path: folder)
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix("." + fileExtension) }
        var problems: [String] = []
        for name in names.sorted() {
            let text = try String(contentsOf: directory.appending(path: name), encoding: .utf8)
            if embedded[name] == nil {
                problems.append("\(folder)/\(name) is not embedded (run `make embed`)")
            } else if embedded[name] != text {
                problems.append("\(folder)/\(name) changed since it was embedded (run `make embed`)")
            }
        }
        for name in embedded.keys.sorted() where !names.contains(name) {
            problems.append("\(name) is embedded but no longer in \(folder)/ (run `make embed`)")
        }
        return problems
    }
}
