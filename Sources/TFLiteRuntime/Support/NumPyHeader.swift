/// The dictionary of a `.npy` header, read by NumPy's rules (`numpy/lib/format.py`,
/// `_read_array_header`): the header is a Python literal (`ast.literal_eval`) that must be a
/// dict whose keys are exactly `descr`, `fortran_order` and `shape` (a key given twice keeps
/// its last value, as a Python dict does); `fortran_order` must be `True` or `False`, `shape` a
/// tuple of integers, `descr` a string. Anything else is refused with NumPy's reason.
///
/// Only the literals a header can hold are parsed (strings, integers, floats, `True`, `False`,
/// `None`, tuples, lists, dicts), nested at most ``maxDepth`` deep; integers in a shape are
/// refused when negative or beyond `Int`.
struct NumPyHeader: Equatable {
    var descr: String
    var fortranOrder: Bool
    var shape: [Int]

    /// NumPy's `max_header_size` default: longer headers are refused as unsafe to evaluate.
    static let maxLength = 10_000
    /// The deepest nesting of brackets parsed.
    static let maxDepth = 16

    /// Why a header was refused.
    struct Invalid: Error, Equatable {
        let reason: String
    }

    /// A Python literal value.
    indirect enum Value: Equatable {
        case string(String)
        /// An integer, nil when it does not fit `Int`.
        case integer(Int?)
        case float
        case bool(Bool)
        case none
        case tuple([Value])
        case list([Value])
        case dict([(Value, Value)])

        static func == (a: Value, b: Value) -> Bool {
            switch (a, b) {
            case (.string(let x), .string(let y)): x == y
            case (.integer(let x), .integer(let y)): x == y
            case (.float, .float), (.none, .none): true
            case (.bool(let x), .bool(let y)): x == y
            case (.tuple(let x), .tuple(let y)), (.list(let x), .list(let y)): x == y
            case (.dict(let x), .dict(let y)): x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
            default: false
            }
        }

        /// Python's `repr`, shortened, for messages.
        var shown: String {
            switch self {
            case .string(let text): "'\(text)'"
            case .integer(let value): value.map(String.init) ?? "<large int>"
            case .float: "<float>"
            case .bool(let value): value ? "True" : "False"
            case .none: "None"
            case .tuple(let items): items.count == 1 ? "(\(items[0].shown),)" : "(" + items.map(\.shown).joined(separator: ", ") + ")"
            case .list(let items): "[" + items.map(\.shown).joined(separator: ", ") + "]"
            case .dict(let pairs): "{" + pairs.map { "\($0.0.shown): \($0.1.shown)" }.joined(separator: ", ") + "}"
            }
        }
    }

    /// Parses header `bytes` (latin-1 for format versions 1 and 2, UTF-8 for 3).
    init(_ bytes: [UInt8]) throws(Invalid) {
        guard bytes.count <= Self.maxLength else {
            throw Invalid(reason: "header is \(bytes.count) bytes, over NumPy's limit of \(Self.maxLength)")
        }
        var parser = Parser(bytes: bytes)
        parser.skipSpace()
        let value = try parser.value(depth: 0)
        parser.skipSpace()
        guard parser.atEnd else { throw Invalid(reason: "cannot parse header: unexpected text at byte \(parser.position)") }
        guard case .dict(let pairs) = value else { throw Invalid(reason: "header is not a dictionary") }
        var entries: [String: Value] = [:]
        var keys: [String] = []
        for (key, value) in pairs {
            guard case .string(let name) = key else {
                throw Invalid(reason: "header does not contain the correct keys: \(Self.keyList(pairs))")
            }
            if entries[name] == nil { keys.append(name) }
            entries[name] = value  // the last duplicate wins, as in a Python dict
        }
        guard Set(keys) == ["descr", "fortran_order", "shape"], let descr = entries["descr"],
              let order = entries["fortran_order"], let shape = entries["shape"] else {
            throw Invalid(reason: "header does not contain the correct keys: \(Self.keyList(pairs))")
        }
        guard case .tuple(let items) = shape else { throw Invalid(reason: "shape is not valid: \(DisplayText.quoted(shape.shown))") }
        var dimensions: [Int] = []
        for item in items {
            guard case .integer(let dimension) = item else { throw Invalid(reason: "shape is not valid: \(DisplayText.quoted(shape.shown))") }
            guard let dimension, dimension >= 0 else { throw Invalid(reason: "bad shape \(DisplayText.quoted(shape.shown))") }
            dimensions.append(dimension)
        }
        guard case .bool(let fortranOrder) = order else {
            throw Invalid(reason: "fortran_order is not a valid bool: \(DisplayText.quoted(order.shown))")
        }
        guard case .string(let text) = descr else {
            throw Invalid(reason: "descr is not a valid dtype descriptor: \(DisplayText.quoted(descr.shown))")
        }
        self.descr = text
        self.fortranOrder = fortranOrder
        self.shape = dimensions
    }

    /// `['descr', 'shape']`: the keys of a refused header, sorted as NumPy shows them.
    private static func keyList(_ pairs: [(Value, Value)]) -> String {
        var seen: [String] = []
        for (key, _) in pairs where !seen.contains(key.shown) { seen.append(key.shown) }
        return DisplayText.quoted("[" + seen.sorted().joined(separator: ", ") + "]")
    }

    /// A recursive-descent reader of Python literals.
    private struct Parser {
        let bytes: [UInt8]
        var position = 0

        var atEnd: Bool { position >= bytes.count }
        var current: UInt8? { position < bytes.count ? bytes[position] : nil }

        func fail(_ what: String) -> Invalid {
            Invalid(reason: "cannot parse header: \(what) at byte \(position)")
        }

        mutating func skipSpace() {
            while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C { position += 1 }
        }

        mutating func value(depth: Int) throws(Invalid) -> Value {
            guard depth < NumPyHeader.maxDepth else { throw fail("nesting deeper than \(NumPyHeader.maxDepth)") }
            skipSpace()
            guard let byte = current else { throw fail("unexpected end") }
            switch byte {
            case UInt8(ascii: "{"):
                position += 1
                var pairs: [(Value, Value)] = []
                try sequence(closing: UInt8(ascii: "}")) { (parser: inout Parser) throws(Invalid) in
                    let key = try parser.value(depth: depth + 1)
                    parser.skipSpace()
                    guard parser.current == UInt8(ascii: ":") else { throw parser.fail("expected ':'") }
                    parser.position += 1
                    pairs.append((key, try parser.value(depth: depth + 1)))
                }
                return .dict(pairs)
            case UInt8(ascii: "("), UInt8(ascii: "["):
                let isTuple = byte == UInt8(ascii: "(")
                position += 1
                var items: [Value] = []
                var sawComma = false
                let closing = isTuple ? UInt8(ascii: ")") : UInt8(ascii: "]")
                try sequence(closing: closing, sawComma: &sawComma) { (parser: inout Parser) throws(Invalid) in
                    items.append(try parser.value(depth: depth + 1))
                }
                // `(5)` is a parenthesized 5, `(5,)` and `()` are tuples.
                if isTuple, items.count == 1, !sawComma { return items[0] }
                return isTuple ? .tuple(items) : .list(items)
            case UInt8(ascii: "'"), UInt8(ascii: "\""):
                return .string(try string())
            case UInt8(ascii: "u"), UInt8(ascii: "U"):
                if let next = bytes[safe: position + 1], next == UInt8(ascii: "'") || next == UInt8(ascii: "\"") {
                    position += 1
                    return .string(try string())
                }
                throw fail("unexpected name")
            case UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."):
                return try number()
            default:
                if byte.isIdentifierStart {
                    let start = position
                    while let c = current, c.isIdentifierStart || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c) { position += 1 }
                    switch String(decoding: bytes[start..<position], as: UTF8.self) {
                    case "True": return .bool(true)
                    case "False": return .bool(false)
                    case "None": return .none
                    default: position = start; throw fail("a name is not a literal")
                    }
                }
                throw fail("unexpected character")
            }
        }

        /// Items separated by commas up to `closing`, a trailing comma allowed.
        mutating func sequence(closing: UInt8, _ item: (inout Parser) throws(Invalid) -> Void) throws(Invalid) {
            var sawComma = false
            try sequence(closing: closing, sawComma: &sawComma, item)
        }

        mutating func sequence(closing: UInt8, sawComma: inout Bool, _ item: (inout Parser) throws(Invalid) -> Void) throws(Invalid) {
            skipSpace()
            if current == closing { position += 1; return }
            while true {
                try item(&self)
                skipSpace()
                if current == closing { position += 1; return }
                guard current == UInt8(ascii: ",") else { throw fail("expected ',' or '\(Character(Unicode.Scalar(closing)))'") }
                sawComma = true
                position += 1
                skipSpace()
                if current == closing { position += 1; return }
            }
        }

        /// A quoted string (single-line; backslash escapes of quotes and backslashes).
        mutating func string() throws(Invalid) -> String {
            guard let quote = current else { throw fail("unexpected end") }
            position += 1
            var out: [UInt8] = []
            while let byte = current {
                position += 1
                if byte == quote { return String(decoding: out, as: UTF8.self) }
                if byte == 0x0A { break }
                if byte == UInt8(ascii: "\\") {
                    guard let escaped = current, escaped == quote || escaped == UInt8(ascii: "\\")
                        || escaped == UInt8(ascii: "'") || escaped == UInt8(ascii: "\"") else {
                        throw fail("unsupported escape in a string")
                    }
                    out.append(escaped)
                    position += 1
                    continue
                }
                out.append(byte)
            }
            throw fail("unterminated string")
        }

        /// An integer (decimal, `0x`, `0o`, `0b`, `_` separators) or a float, with unary signs.
        mutating func number() throws(Invalid) -> Value {
            var negative = false
            while let sign = current, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
                if sign == UInt8(ascii: "-") { negative.toggle() }
                position += 1
                skipSpace()
            }
            let start = position
            while let c = current, c.isIdentifierStart || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c) || c == UInt8(ascii: ".")
                || ((c == UInt8(ascii: "+") || c == UInt8(ascii: "-")) && position > start && (bytes[position - 1] | 0x20) == UInt8(ascii: "e")
                    && !String(decoding: bytes[start..<position], as: UTF8.self).lowercased().hasPrefix("0x")) {
                position += 1
            }
            let text = String(decoding: bytes[start..<position], as: UTF8.self).lowercased()
            guard !text.isEmpty, !text.hasPrefix("_"), !text.hasSuffix("_"), !text.contains("__") else { throw fail("bad number") }
            let digits = text.replacingUnderscores()
            var radix = 10
            var body = Substring(digits)
            if digits.hasPrefix("0x") { radix = 16; body = digits.dropFirst(2) }
            else if digits.hasPrefix("0o") { radix = 8; body = digits.dropFirst(2) }
            else if digits.hasPrefix("0b") { radix = 2; body = digits.dropFirst(2) }
            if radix == 10, body.contains(where: { $0 == "." || $0 == "e" || $0 == "j" }) {
                guard Double(body.filter { $0 != "j" }) != nil else { throw fail("bad number") }
                return .float
            }
            guard !body.isEmpty, body.allSatisfy({ $0.isHexDigit && Int(String($0), radix: 16).map { $0 < radix } == true }) else {
                throw fail("bad number")
            }
            // Python refuses leading zeros in decimal integers other than zero itself.
            if radix == 10, body.count > 1, body.hasPrefix("0"), body.contains(where: { $0 != "0" }) { throw fail("bad number") }
            guard let magnitude = Int(body, radix: radix) else { return .integer(nil) }
            return .integer(negative ? -magnitude : magnitude)
        }
    }
}

private extension UInt8 {
    var isIdentifierStart: Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(self) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(self) || self == UInt8(ascii: "_")
    }
}

private extension String {
    func replacingUnderscores() -> String { filter { $0 != "_" } }
}
