import Foundation
import Testing
@testable import TFLiteModel

/// The helpers that let the tools link only FoundationEssentials give what the Foundation API
/// they replace gives.
@Suite struct FoundationEssentialsHelpersTests {
    @Test func printfFormatsAsStringFormat() {
        let cases: [(String, any CVarArg)] = [("%.1f KB", 12.345), ("%7.2f", -3.14159), ("%10.4g", 1.0e-7), ("%10.3f", 123456.789),
                                             ("%.1f %%", 99.95), ("%d items", 42), ("%.4g", Double.infinity)]
        for (format, value) in cases {
            #expect(String(printf: format, value) == String(format: format, value), "\(format)")
        }
        let long = String(printf: "%200.1f", 1.5)
        #expect(long.count == 200 && long.hasSuffix("1.5"), "longer than the first buffer")
    }

    @Test func jsonTreeMatchesJSONSerialization() throws {
        let text = #"{"a": [1, 2.5, true, false, null, "x\u00e9"], "b": {"c": -7, "d": 1e3}, "e": ""}"#
        let tree = try #require(try JSONTree.parse(Data(text.utf8)) as? [String: Any])
        let array = try #require(tree["a"] as? [Any])
        #expect(array[0] as? Int == 1)
        #expect(array[1] as? Double == 2.5)
        #expect(array[2] as? Bool == true && array[3] as? Bool == false)
        #expect(array[4] is JSONTree.Null)
        #expect(array[5] as? String == "xé")
        let object = try #require(tree["b"] as? [String: Any])
        #expect(object["c"] as? Int == -7)
        #expect(object["d"] as? Double == 1000 || object["d"] as? Int == 1000)
        #expect(tree["e"] as? String == "")
        #expect(Set(tree.keys) == ["a", "b", "e"])
    }

    @Test func jsonTreeRejectsWhatIsNotJSON() {
        for text in ["", "{", "[1 2]", "{\"a\" 1}", "nul", "{\"a\": 1} x"] {
            #expect(throws: JSONTree.ParseError.self, "\(text)") { try JSONTree.parse(Data(text.utf8)) }
        }
    }

    @Test func pathComponentsAsNSString() {
        for path in ["a/b.txt", "b.txt", "", "/", "a/b/", "/x/y.tar.gz", ".hidden", "a/.hidden", "dir.d/file", "a//b"] {
            #expect(path.lastPathComponent == (path as NSString).lastPathComponent, "\(path)")
            #expect(path.pathExtension == (path as NSString).pathExtension, "\(path)")
        }
    }
}
