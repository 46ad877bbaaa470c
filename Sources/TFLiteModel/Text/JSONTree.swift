#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Untyped JSON, for the few readers that check a document's shape before decoding it
/// (metadata SPEC files, quantization recipes): objects become `[String: Any]`, arrays `[Any]`,
/// strings `String`, `true`/`false` `Bool`, integers `Int`, other numbers `Double`, and `null`
/// ``JSONTree/Null``. Built on `JSONDecoder`, so the tools need only FoundationEssentials.
package enum JSONTree {
    /// JSON's `null`.
    package struct Null: Equatable, Sendable {}

    /// Parses `data`; the error describes the first syntax error.
    package static func parse(_ data: Data) throws(ParseError) -> Any {
        do {
            return try JSONDecoder().decode(Node.self, from: data).value
        } catch let DecodingError.dataCorrupted(context) {
            throw ParseError(message: context.underlyingError.map { "\($0)" } ?? context.debugDescription)
        } catch {
            throw ParseError(message: "\(error)")
        }
    }

    /// Why a document is not JSON.
    package struct ParseError: Error, CustomStringConvertible {
        package let message: String
        package var description: String { message }
    }

    /// One decoded value.
    private struct Node: Decodable {
        let value: Any

        init(from decoder: any Decoder) throws {
            if var array = try? decoder.unkeyedContainer() {
                var items: [Any] = []
                while !array.isAtEnd { items.append(try array.decode(Node.self).value) }
                value = items
            } else if let object = try? decoder.container(keyedBy: Key.self) {
                var items: [String: Any] = [:]
                for key in object.allKeys { items[key.stringValue] = try object.decode(Node.self, forKey: key).value }
                value = items
            } else {
                let single = try decoder.singleValueContainer()
                if single.decodeNil() {
                    value = Null()
                } else if let bool = try? single.decode(Bool.self) {
                    value = bool
                } else if let int = try? single.decode(Int.self) {
                    value = int
                } else if let double = try? single.decode(Double.self) {
                    value = double
                } else {
                    value = try single.decode(String.self)
                }
            }
        }
    }

    private struct Key: CodingKey {
        let stringValue: String
        init(stringValue: String) { self.stringValue = stringValue }
        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }
}
