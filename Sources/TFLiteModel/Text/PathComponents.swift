extension String {
    /// The part after the last `/` (trailing slashes ignored), as `NSString.lastPathComponent`
    /// gives it for the relative names files carry: `"a/b.txt"` → `"b.txt"`, `""` → `""`.
    package var lastPathComponent: String {
        var trimmed = Substring(self)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard trimmed != "/" else { return "/" }
        return trimmed.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? ""
    }

    /// The extension after the last `.` of the last path component, or `""`.
    package var pathExtension: String {
        let name = lastPathComponent
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
        return String(name[name.index(after: dot)...])
    }
}
