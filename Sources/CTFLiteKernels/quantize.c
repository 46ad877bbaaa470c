// LiteRT's AsymmetricQuantizeFloats inner loop for hybrid kernels, as its x86 builds run it (the
// NEON code through NEON_2_SSE): q = round(v × inverse) + offset, the product rounded to float32,
// rounded to an integer, and the integer zero point added after the rounding; clamped to
// [-128, 127]; NaN becomes 0. Where the product is an exact half the order shows: 3.5 × 1 with
// zero point -128 is round(3.5) - 128 = -124 (LiteRT's answer), where round(3.5 - 128) would give
// -125; and a product just under a half that float32 rounds up to it (104.4999993 → 104.5) rounds
// away to 105 (checked against LiteRT 2.3 on both).
//
// The rounding itself differs by position. The first n rounded down to a multiple of 8 values
// (LiteRT's vector loop) round as its RoundToNearest emulation does: trunc(p + 0.5) (p − 0.5 for
// negative p) with the addition in float32, which equals rounding half away from zero except for
// |p| = 0.49999997 (the float just below ½), where p + 0.5 is a tie float32 rounds up to 1: ±1
// instead of 0. The rest (its scalar tail) round half away from zero exactly.
// Runtime CPU dispatch, portable fallback.
#include <math.h>

#include "dispatch.h"
#include "narrow.h"

#pragma clang fp contract(off)

static inline int8_t finish_one(float rounded, float offset) {
    const float q = rounded + offset;
    return isnan(q) ? 0 : (int8_t)(q < -128.0f ? -128.0f : (q > 127.0f ? 127.0f : q));
}

// Values [0, vector_end) round as LiteRT's vector loop, the rest as its scalar tail.
static void quantize_portable_from(const float *values, ptrdiff_t n, ptrdiff_t vector_end, float inverse, float offset,
                                   int8_t *out) {
    for (ptrdiff_t i = 0; i < n; ++i) {
        const float product = values[i] * inverse;
        float rounded;
        if (i < vector_end) {
            const float shifted = product + (product < 0.0f ? -0.5f : 0.5f);
            rounded = truncf(shifted);
        } else {
            rounded = roundf(product);
        }
        out[i] = finish_one(rounded, offset);
    }
}

static void quantize_portable(const float *values, ptrdiff_t n, float inverse, float offset, int8_t *out) {
    quantize_portable_from(values, n, n & ~(ptrdiff_t)7, inverse, offset, out);
}

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

__attribute__((target("avx512f,avx512bw")))
static void quantize_avx512(const float *values, ptrdiff_t n, float inverse, float offset, int8_t *out) {
    const __m512 inv = _mm512_set1_ps(inverse), off = _mm512_set1_ps(offset);
    const __m512 lo = _mm512_set1_ps(-128.0f), hi = _mm512_set1_ps(127.0f);
    const __m512i sign_mask = _mm512_set1_epi32(INT32_MIN), half_bits = _mm512_castps_si512(_mm512_set1_ps(0.5f));
    ptrdiff_t i = 0;
    for (; i + 16 <= n; i += 16) {
        const __m512 x = _mm512_mul_ps(_mm512_loadu_ps(values + i), inv);
        // LiteRT's vector rounding: trunc(x ± 0.5), the ½ taking x's sign (integer ops: AVX-512F
        // has no float and/or), the addition rounded to float32.
        const __m512 half_signed = _mm512_castsi512_ps(_mm512_or_si512(_mm512_and_si512(_mm512_castps_si512(x), sign_mask), half_bits));
        __m512 r = _mm512_roundscale_ps(_mm512_add_ps(x, half_signed), _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
        r = _mm512_min_ps(_mm512_max_ps(_mm512_add_ps(r, off), lo), hi);
        // NaN lanes (unordered) become 0.
        r = _mm512_maskz_mov_ps(_mm512_cmp_ps_mask(x, x, _CMP_ORD_Q), r);
        _mm_storeu_si128((__m128i *)(out + i), tfl_narrow_epi32_epi8(_mm512_cvttps_epi32(r)));
    }
    if (i < n) quantize_portable_from(values + i, n - i, (n & ~(ptrdiff_t)7) - i, inverse, offset, out + i);
}

__attribute__((target("avx2")))
static void quantize_avx2(const float *values, ptrdiff_t n, float inverse, float offset, int8_t *out) {
    const __m256 inv = _mm256_set1_ps(inverse), off = _mm256_set1_ps(offset);
    const __m256 half = _mm256_set1_ps(0.5f), lo = _mm256_set1_ps(-128.0f), hi = _mm256_set1_ps(127.0f);
    const __m256 sign_mask = _mm256_castsi256_ps(_mm256_set1_epi32(INT32_MIN));
    ptrdiff_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m256 x = _mm256_mul_ps(_mm256_loadu_ps(values + i), inv);
        const __m256 half_signed = _mm256_or_ps(_mm256_and_ps(x, sign_mask), half);
        __m256 r = _mm256_round_ps(_mm256_add_ps(x, half_signed), _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
        r = _mm256_min_ps(_mm256_max_ps(_mm256_add_ps(r, off), lo), hi);
        r = _mm256_and_ps(r, _mm256_cmp_ps(x, x, _CMP_ORD_Q));
        const __m256i v = _mm256_cvttps_epi32(r);
        const __m256i bytes = _mm256_shuffle_epi8(v, _mm256_setr_epi8(0, 4, 8, 12, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
                                                                     0, 4, 8, 12, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1));
        const uint64_t packed = (uint64_t)(uint32_t)_mm256_extract_epi32(bytes, 0) | ((uint64_t)(uint32_t)_mm256_extract_epi32(bytes, 4) << 32);
        __builtin_memcpy(out + i, &packed, 8);
    }
    if (i < n) quantize_portable_from(values + i, n - i, (n & ~(ptrdiff_t)7) - i, inverse, offset, out + i);
}
#endif

#if defined(__aarch64__)
#include <arm_neon.h>

// NEON: the product rounded to float, LiteRT's vector rounding trunc(p ± 0.5) (frintz of a float32
// addition of the ½ that takes p's sign), then the offset added, clamped, NaN lanes 0; the clamped
// integers narrowed exactly. The tail (fewer than 8 values) rounds as the scalar tail does.
static void quantize_neon(const float *values, ptrdiff_t n, float inverse, float offset, int8_t *out) {
    const float32x4_t inv = vdupq_n_f32(inverse), off = vdupq_n_f32(offset);
    const float32x4_t lo = vdupq_n_f32(-128.0f), hi = vdupq_n_f32(127.0f);
    const uint32x4_t sign_mask = vdupq_n_u32(0x80000000u), half_bits = vreinterpretq_u32_f32(vdupq_n_f32(0.5f));
    ptrdiff_t i = 0;
    for (; i + 8 <= n; i += 8) {
        int32x4_t q[2];
        for (int h = 0; h < 2; ++h) {
            const float32x4_t p = vmulq_f32(vld1q_f32(values + i + 4 * h), inv);
            const float32x4_t half_signed = vreinterpretq_f32_u32(vorrq_u32(vandq_u32(vreinterpretq_u32_f32(p), sign_mask), half_bits));
            const float32x4_t r = vaddq_f32(vrndq_f32(vaddq_f32(p, half_signed)), off);
            const int32x4_t v = vcvtq_s32_f32(vminq_f32(vmaxq_f32(r, lo), hi));
            q[h] = vandq_s32(v, vreinterpretq_s32_u32(vceqq_f32(r, r)));  // NaN lanes → 0
        }
        vst1_s8(out + i, vmovn_s16(vcombine_s16(vmovn_s32(q[0]), vmovn_s32(q[1]))));
    }
    if (i < n) quantize_portable_from(values + i, n - i, 0, inverse, offset, out + i);
}
#endif

void tfl_select_quantize(tfl_kernels *k, const tfl_cpu_features *f) {
    k->quantize_asymmetric_8bit = quantize_portable;
#if defined(__x86_64__) || defined(__i386__)
    if (f->avx512) {
        k->quantize_asymmetric_8bit = quantize_avx512;
    } else if (f->avx2_fma) {
        k->quantize_asymmetric_8bit = quantize_avx2;
    }
#elif defined(__aarch64__)
    if (f->neon) k->quantize_asymmetric_8bit = quantize_neon;
#else
    (void)f;
#endif
}

void tfl_quantize_asymmetric_8bit(const float *values, ptrdiff_t n, float inverse, float offset, int8_t *out) {
    tfl_kernels_current()->quantize_asymmetric_8bit(values, n, inverse, offset, out);
}
