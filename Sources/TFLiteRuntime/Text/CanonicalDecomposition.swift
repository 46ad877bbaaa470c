extension String {
    /// The string in Unicode Normalization Form D (canonical decomposition, then canonical
    /// ordering of combining marks), as Foundation's `decomposedStringWithCanonicalMapping`
    /// gives it, without linking Foundation: decompositions from the generated
    /// `CanonicalDecompositions` table, Hangul syllables by Unicode's formula.
    var canonicallyDecomposed: String {
        var scalars: [Unicode.Scalar] = []
        scalars.reserveCapacity(unicodeScalars.count)
        for scalar in unicodeScalars { CanonicalDecompositions.append(scalar, to: &scalars) }
        // Canonical ordering: each run of non-starters sorted (stably) by combining class.
        var start = 0
        while start < scalars.count {
            guard scalars[start].properties.canonicalCombiningClass.rawValue != 0 else { start += 1; continue }
            var end = start
            while end < scalars.count, scalars[end].properties.canonicalCombiningClass.rawValue != 0 { end += 1 }
            if end - start > 1 {
                let run = scalars[start..<end].enumerated().sorted {
                    let (a, b) = ($0.element.properties.canonicalCombiningClass.rawValue, $1.element.properties.canonicalCombiningClass.rawValue)
                    return a != b ? a < b : $0.offset < $1.offset
                }
                scalars.replaceSubrange(start..<end, with: run.map(\.element))
            }
            start = end
        }
        var result = String.UnicodeScalarView()
        result.append(contentsOf: scalars)
        return String(result)
    }
}

extension CanonicalDecompositions {
    /// Appends the full canonical decomposition of `scalar` to `output`.
    static func append(_ scalar: Unicode.Scalar, to output: inout [Unicode.Scalar]) {
        let code = scalar.value
        // Hangul syllables: L + V (+ T), Unicode §3.12.
        if (0xAC00...0xD7A3).contains(code) {
            let index = code - 0xAC00
            let (lead, vowel, trail) = (0x1100 + index / 588, 0x1161 + (index % 588) / 28, 0x11A7 + index % 28)
            for part in trail == 0x11A7 ? [lead, vowel] : [lead, vowel, trail] {
                if let value = Unicode.Scalar(part) { output.append(value) }
            }
            return
        }
        var low = 0, high = keys.count
        while low < high {
            let middle = (low + high) / 2
            if keys[middle] < code { low = middle + 1 } else { high = middle }
        }
        guard low < keys.count, keys[low] == code, low + 1 < offsets.count else { output.append(scalar); return }
        for index in Int(offsets[low])..<Int(offsets[low + 1]) where index < values.count {
            if let value = Unicode.Scalar(values[index]) { output.append(value) }
        }
    }
}
