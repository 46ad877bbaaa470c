import Foundation
import Testing
@_spi(GeneratedCode) @testable import TFLiteRuntime

/// The runtime's own NFD (the runtime links only FoundationEssentials) equals Foundation's
/// `decomposedStringWithCanonicalMapping` on every scalar the table covers, and on mixed text.
@Suite struct CanonicalDecompositionTests {
    @Test func everyScalarDecomposesAsFoundation() {
        var differing: [String] = []
        for code in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(code), scalar.properties.age != nil else { continue }
            let text = String(Character(scalar))
            if text.canonicallyDecomposed.unicodeScalars.elementsEqual(text.decomposedStringWithCanonicalMapping.unicodeScalars) == false {
                differing.append(String(format: "U+%04X", code))
            }
        }
        // Foundation's ICU may know newer scalars than the generated table (Unicode
        // \(CanonicalDecompositions.unicodeVersion)); none of those may decompose differently.
        #expect(differing.isEmpty, "\(differing.prefix(20))")
    }

    @Test func combiningMarksAreReorderedCanonically() {
        for text in ["a\u{0301}\u{0323}", "Ǻ\u{0316}", "한국어 café naïve Ångström", "\u{1E0A}\u{0323}", "q\u{0307}\u{0323}\u{0301}", ""] {
            #expect(Array(text.canonicallyDecomposed.unicodeScalars) == Array(text.decomposedStringWithCanonicalMapping.unicodeScalars), "\(text)")
        }
    }
}
