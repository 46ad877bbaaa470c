// The float clamp of the fused activations and output stages, as Swift's `min(max(v, lo), hi)`
// is defined: `lo >= v ? lo : v`, then `hi < v ? hi : v`. NaN passes through, and max(−0, +0)
// keeps the bound. One home for it at each vector width (compare and blend: fmax/fmin or
// vmaxps/vminps treat NaN and signed zeros otherwise).
#ifndef TFL_CLAMP_H
#define TFL_CLAMP_H

static inline float tfl_clampf(float v, float lo, float hi) {
    v = lo >= v ? lo : v;
    return hi < v ? hi : v;
}

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

__attribute__((target("avx512f"), always_inline))
static inline __m512 tfl_clamp_ps512(__m512 v, __m512 lo, __m512 hi) {
    v = _mm512_mask_blend_ps(_mm512_cmp_ps_mask(lo, v, _CMP_GE_OQ), v, lo);
    return _mm512_mask_blend_ps(_mm512_cmp_ps_mask(hi, v, _CMP_LT_OQ), v, hi);
}

// The float GEMMs' output stage for one vector of sums (tfl_gemm_f32, tfl_direct_f32): the bias
// added where there is one, the clamp as vmaxps(lo, v) then vminps(hi, v), and a masked store.
// Those return v for NaN and keep `hi < v`; `lo > v` differs from `lo >= v` only for v = −0 with
// lo = +0, which these sums never are (they start from +0, and a sum of exact value 0 rounds to
// +0 unless both addends are −0), so this is tfl_clampf on them.
__attribute__((target("avx512f"), always_inline))
static inline void tfl_store_sums_ps512(float *out, __m512 v, __m512 bias, const int has_bias, __m512 lo, __m512 hi,
                                        __mmask16 mask) {
    if (has_bias) v = _mm512_add_ps(v, bias);
    _mm512_mask_storeu_ps(out, mask, _mm512_min_ps(hi, _mm512_max_ps(lo, v)));
}

__attribute__((target("avx"), always_inline))
static inline __m256 tfl_clamp_ps256(__m256 v, __m256 lo, __m256 hi) {
    v = _mm256_blendv_ps(v, lo, _mm256_cmp_ps(lo, v, _CMP_GE_OQ));
    return _mm256_blendv_ps(v, hi, _mm256_cmp_ps(hi, v, _CMP_LT_OQ));
}
#elif defined(__aarch64__)
#include <arm_neon.h>

static inline float32x4_t tfl_clamp_f32x4(float32x4_t v, float32x4_t lo, float32x4_t hi) {
    v = vbslq_f32(vcgeq_f32(lo, v), lo, v);
    return vbslq_f32(vcltq_f32(hi, v), hi, v);
}
#endif

#endif
