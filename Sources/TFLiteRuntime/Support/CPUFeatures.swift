import CTFLiteKernels

/// The CPU features the C kernels use, by name (`tfl_cpu_features`). Every kernel runs the
/// widest variant the features in use allow; `withKernels(limitedTo:_:)` narrows them for one
/// thread, e.g. to check or time the AVX2 code on an AVX-512 machine.
///
/// A set is closed under what its members build on: `.avx512` needs `.avx2FMA`, `.avx512VNNI`
/// `.avx512VBMI` and `.avx512NarrowStore` need `.avx512`, `.neonDot` needs `.neon`.
package struct CPUFeatures: OptionSet, Hashable, Sendable, CustomStringConvertible {
    package let rawValue: UInt32
    package init(rawValue: UInt32) { self.rawValue = rawValue }

    /// x86-64: AVX2 and FMA.
    package static let avx2FMA = CPUFeatures(rawValue: 1 << 0)
    /// x86-64: AVX-512 F, BW, DQ and VL.
    package static let avx512 = CPUFeatures(rawValue: 1 << 1)
    /// x86-64: AVX-512 VNNI (8-bit dot products).
    package static let avx512VNNI = CPUFeatures(rawValue: 1 << 2)
    /// x86-64: AVX-512 VBMI (byte permutes).
    package static let avx512VBMI = CPUFeatures(rawValue: 1 << 3)
    /// x86-64: a tuning, not an instruction set: AVX-512 narrowing stores at full speed (AMD Zen 5
    /// and later); the requantization narrows straight into memory.
    package static let avx512NarrowStore = CPUFeatures(rawValue: 1 << 6)
    /// AArch64: Advanced SIMD.
    package static let neon = CPUFeatures(rawValue: 1 << 4)
    /// AArch64: the 8-bit dot product (ARMv8.2 DotProd).
    package static let neonDot = CPUFeatures(rawValue: 1 << 5)

    private static let named: [(CPUFeatures, String)] = [
        (.avx2FMA, "avx2_fma"), (.avx512, "avx512"), (.avx512VNNI, "avx512_vnni"), (.avx512VBMI, "avx512_vbmi"),
        (.avx512NarrowStore, "avx512_narrow_store"), (.neon, "neon"), (.neonDot, "neon_dot"),
    ]

    /// The names (`tfl_cpu_features` field names), or "portable" for none.
    package var description: String {
        let names = Self.named.filter { contains($0.0) }.map(\.1)
        return names.isEmpty ? "portable" : names.joined(separator: "+")
    }

    /// What this CPU has (probed once per process).
    package static var detected: CPUFeatures { CPUFeatures(tfl_cpu_detected()) }

    /// What the kernels use on the calling thread.
    package static var active: CPUFeatures { CPUFeatures(tfl_cpu_active()) }

    /// Runs `body` with the kernels on the calling thread, and on the thread pool chunks it
    /// starts, limited to `features` (those of them the CPU has), then restores what was used
    /// before. Other threads keep theirs.
    package static func withKernels<T, E: Error>(limitedTo features: CPUFeatures, _ body: () throws(E) -> T) throws(E) -> T {
        var previous = tfl_cpu_active()
        var wanted = features.cFeatures
        _ = tfl_cpu_use(&wanted)
        defer { _ = tfl_cpu_use(&previous) }
        return try body()
    }

    init(_ f: tfl_cpu_features) {
        var set: CPUFeatures = []
        if f.avx2_fma { set.insert(.avx2FMA) }
        if f.avx512 { set.insert(.avx512) }
        if f.avx512_vnni { set.insert(.avx512VNNI) }
        if f.avx512_vbmi { set.insert(.avx512VBMI) }
        if f.avx512_narrow_store { set.insert(.avx512NarrowStore) }
        if f.neon { set.insert(.neon) }
        if f.neon_dot { set.insert(.neonDot) }
        self = set
    }

    var cFeatures: tfl_cpu_features {
        tfl_cpu_features(avx2_fma: contains(.avx2FMA), avx512: contains(.avx512), avx512_vnni: contains(.avx512VNNI),
                         avx512_vbmi: contains(.avx512VBMI), avx512_narrow_store: contains(.avx512NarrowStore), neon: contains(.neon),
                         neon_dot: contains(.neonDot))
    }
}
