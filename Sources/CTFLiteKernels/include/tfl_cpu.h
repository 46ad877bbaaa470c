#ifndef TFL_CPU_H
#define TFL_CPU_H

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The CPU features the kernels use, by name. A set is always closed under what the features
/// build on: avx512 needs avx2_fma, avx512_vnni, avx512_vbmi and avx512_narrow_store need avx512,
/// neon_dot needs neon
/// (a set that asks for one without the other gets neither).
typedef struct {
    bool avx2_fma;     ///< x86-64: AVX2 and FMA.
    bool avx512;       ///< x86-64: AVX-512 F, BW, DQ and VL.
    bool avx512_vnni;  ///< x86-64: AVX-512 VNNI (8-bit dot products).
    bool avx512_vbmi;  ///< x86-64: AVX-512 VBMI (byte permutes).
    /// x86-64: a tuning, not an instruction set: AVX-512's narrowing stores (vpmov[s]db to memory)
    /// run at full speed (AMD Zen 5 and later; Zen 4 runs them several times slower than the
    /// register form and a store).
    bool avx512_narrow_store;
    bool neon;         ///< AArch64: Advanced SIMD.
    bool neon_dot;     ///< AArch64: the 8-bit dot product (ARMv8.2 DotProd).
} tfl_cpu_features;

/// The features this CPU (and its operating system) supports, probed once per process.
tfl_cpu_features tfl_cpu_detected(void);

/// The features the kernels use on the calling thread: the CPU's unless tfl_cpu_use said otherwise.
tfl_cpu_features tfl_cpu_active(void);

/// From now on, kernels called on this thread, and the chunks of tfl_pool jobs it starts, use
/// only the features in `features` that the CPU has (closed as above); NULL: all the CPU has.
/// Other threads are not affected. Returns the features now used (tfl_cpu_active).
tfl_cpu_features tfl_cpu_use(const tfl_cpu_features *features);

#ifdef __cplusplus
}
#endif

#endif
