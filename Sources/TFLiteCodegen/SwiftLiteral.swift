import Foundation
import TFLiteModel

/// Deterministic Swift source text for values the view model embeds.
enum SwiftLiteral {
    /// A string literal: `"a\"b"`.
    static func string(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 { out += "\\u{\(String(scalar.value, radix: 16))}" } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out + "\""
    }

    static func optionalString(_ value: String?) -> String { value.map(string) ?? "nil" }

    /// Shortest round-trip text of a Float (`127.5`, `0.2`).
    static func float(_ value: Float) -> String { "\(value)" }

    static func floats(_ values: [Float]) -> String { "[" + values.map(float).joined(separator: ", ") + "]" }

    static func ints(_ values: [Int]) -> String { "[" + values.map(String.init).joined(separator: ", ") + "]" }

    /// `1 × 32 × 32 × 3`.
    static func shape(_ shape: [Int]) -> String {
        shape.isEmpty ? "scalar" : shape.map(String.init).joined(separator: " × ")
    }

    /// The Swift element type of a tensor type, or nil when generated code cannot hold it.
    static func scalarType(_ type: TensorType) -> String? {
        switch type {
        case .float32: "Float"
        case .float64: "Double"
        case .int8: "Int8"
        case .uint8: "UInt8"
        case .int16: "Int16"
        case .int32: "Int32"
        case .int64: "Int64"
        case .bool: "Bool"
        default: nil
        }
    }

    /// `///` lines from free text (each line of it, trimmed; an empty text gives none).
    static func docLines(_ text: String?) -> [String] {
        guard let text, !text.isEmpty else { return [] }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            return trimmed.isEmpty ? "///" : "/// " + trimmed
        }
    }
}

