// Requantization of the int16×8 kernels' int64 sums to int16 outputs with LiteRT's 64-bit
// MultiplyByQuantizedMultiplier: the Q0.31 multiplier reduced to 16 bits (rounded, at most
// 0x7FFF), one multiply and one rounding shift by t = 15 − shift, all in wrapping 64-bit
// arithmetic, then the clamp (within int16, so clamping the 64-bit result to it is the same as
// clamping to int32 first). Multipliers must be within 0 ... 2^31 − 1 and 15 − shift within
// 1 ... 62 (LiteRT's own range is far inside both). Runtime CPU dispatch, portable fallback.
#include "dispatch.h"

static inline int64_t reduced_multiplier(int32_t m) { return m < 0x7FFF0000 ? ((int64_t)m + (1 << 15)) >> 16 : 0x7FFF; }

static inline int16_t requantize_one(int64_t acc, int64_t bias, int32_t m, int32_t s, int32_t qmin, int32_t qmax) {
    const int t = 15 - s;
    const uint64_t x = (uint64_t)acc + (uint64_t)bias;
    const int64_t v = (int64_t)(x * (uint64_t)reduced_multiplier(m) + (1ULL << (t - 1))) >> t;
    return (int16_t)(v < qmin ? qmin : (v > qmax ? qmax : v));
}

static void requantize_s16_portable(const int64_t *acc, ptrdiff_t acc_stride, ptrdiff_t rows, const int64_t *bias,
                                    const int32_t *multiplier, const int32_t *shift, int32_t qmin, int32_t qmax,
                                    int16_t *out, ptrdiff_t out_stride, ptrdiff_t n) {
    for (ptrdiff_t r = 0; r < rows; ++r)
        for (ptrdiff_t c = 0; c < n; ++c)
            out[r * out_stride + c] =
                requantize_one(acc[r * acc_stride + c], bias ? bias[c] : 0, multiplier[c], shift[c], qmin, qmax);
}

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

// Eight channels: x · m' (vpmullq) + 2^(t−1), shifted right arithmetically by t (vpsravq).
__attribute__((target("avx512f,avx512bw,avx512dq,avx512vl"), always_inline)) static inline __m128i
requantize8_avx512(__m512i x, __m512i m, __m512i t, __m512i low, __m512i high) {
    const __m512i round = _mm512_sllv_epi64(_mm512_set1_epi64(1), _mm512_sub_epi64(t, _mm512_set1_epi64(1)));
    __m512i v = _mm512_srav_epi64(_mm512_add_epi64(_mm512_mullo_epi64(x, m), round), t);
    v = _mm512_min_epi64(_mm512_max_epi64(v, low), high);
    return _mm512_cvtepi64_epi16(v);
}

__attribute__((target("avx512f,avx512bw,avx512dq,avx512vl"))) static void requantize_s16_avx512(
    const int64_t *acc, ptrdiff_t acc_stride, ptrdiff_t rows, const int64_t *bias, const int32_t *multiplier,
    const int32_t *shift, int32_t qmin, int32_t qmax, int16_t *out, ptrdiff_t out_stride, ptrdiff_t n) {
    const __m512i low = _mm512_set1_epi64(qmin), high = _mm512_set1_epi64(qmax);
    const __m256i limit = _mm256_set1_epi32(0x7FFF0000), half = _mm256_set1_epi32(1 << 15);
    for (ptrdiff_t c = 0; c < n; c += 8) {
        const __mmask8 mask = n - c >= 8 ? 0xFF : (__mmask8)((1u << (n - c)) - 1);
        // The reduced multipliers and shifts of these channels, once for every row.
        const __m256i m32 = _mm256_maskz_loadu_epi32(mask, multiplier + c);
        const __m256i reduced = _mm256_mask_blend_epi32(_mm256_cmplt_epi32_mask(m32, limit), _mm256_set1_epi32(0x7FFF),
                                                        _mm256_srai_epi32(_mm256_add_epi32(m32, half), 16));
        const __m512i m = _mm512_cvtepi32_epi64(reduced);
        const __m512i t = _mm512_cvtepi32_epi64(_mm256_sub_epi32(_mm256_set1_epi32(15), _mm256_maskz_loadu_epi32(mask, shift + c)));
        const __m512i b = bias ? _mm512_maskz_loadu_epi64(mask, bias + c) : _mm512_setzero_si512();
        for (ptrdiff_t r = 0; r < rows; ++r) {
            const __m512i x = _mm512_add_epi64(_mm512_maskz_loadu_epi64(mask, acc + r * acc_stride + c), b);
            const __m128i v = requantize8_avx512(x, m, t, low, high);
            _mm_mask_storeu_epi16(out + r * out_stride + c, mask, v);
        }
    }
}

// Four channels with AVX2, which has neither a 64-bit multiply nor an arithmetic 64-bit shift:
// x · m' (m' < 2^15) as lo(x) · m' + (hi(x) · m' << 32), both by vpmuludq, wrapping as the
// 64-bit product does; the arithmetic shift as ((v ^ s) >> t) ^ s, s the sign mask.
__attribute__((target("avx2"), always_inline)) static inline __m256i requantize4_avx2(__m256i x, __m256i m, __m256i t,
                                                                                     __m256i low, __m256i high) {
    const __m256i product = _mm256_add_epi64(_mm256_mul_epu32(x, m), _mm256_slli_epi64(_mm256_mul_epu32(_mm256_srli_epi64(x, 32), m), 32));
    const __m256i round = _mm256_sllv_epi64(_mm256_set1_epi64x(1), _mm256_sub_epi64(t, _mm256_set1_epi64x(1)));
    const __m256i v = _mm256_add_epi64(product, round);
    const __m256i sign = _mm256_cmpgt_epi64(_mm256_setzero_si256(), v);
    __m256i shifted = _mm256_xor_si256(_mm256_srlv_epi64(_mm256_xor_si256(v, sign), t), sign);
    shifted = _mm256_blendv_epi8(shifted, low, _mm256_cmpgt_epi64(low, shifted));
    return _mm256_blendv_epi8(shifted, high, _mm256_cmpgt_epi64(shifted, high));
}

__attribute__((target("avx2"))) static void requantize_s16_avx2(const int64_t *acc, ptrdiff_t acc_stride, ptrdiff_t rows,
                                                                const int64_t *bias, const int32_t *multiplier,
                                                                const int32_t *shift, int32_t qmin, int32_t qmax,
                                                                int16_t *out, ptrdiff_t out_stride, ptrdiff_t n) {
    const __m256i low = _mm256_set1_epi64x(qmin), high = _mm256_set1_epi64x(qmax);
    const __m256i even = _mm256_setr_epi32(0, 2, 4, 6, 0, 2, 4, 6);
    ptrdiff_t c = 0;
    for (; c + 4 <= n; c += 4) {
        const __m256i m = _mm256_setr_epi64x(reduced_multiplier(multiplier[c]), reduced_multiplier(multiplier[c + 1]),
                                             reduced_multiplier(multiplier[c + 2]), reduced_multiplier(multiplier[c + 3]));
        const __m256i t = _mm256_sub_epi64(_mm256_set1_epi64x(15), _mm256_cvtepi32_epi64(_mm_loadu_si128((const __m128i *)(shift + c))));
        const __m256i b = bias ? _mm256_loadu_si256((const __m256i *)(bias + c)) : _mm256_setzero_si256();
        for (ptrdiff_t r = 0; r < rows; ++r) {
            const __m256i x = _mm256_add_epi64(_mm256_loadu_si256((const __m256i *)(acc + r * acc_stride + c)), b);
            const __m256i v = _mm256_permutevar8x32_epi32(requantize4_avx2(x, m, t, low, high), even);
            const __m128i packed = _mm_packs_epi32(_mm256_castsi256_si128(v), _mm256_castsi256_si128(v));
            _mm_storel_epi64((__m128i *)(out + r * out_stride + c), packed);
        }
    }
    if (c < n)
        requantize_s16_portable(acc + c, acc_stride, rows, bias ? bias + c : 0, multiplier + c, shift + c, qmin, qmax,
                                out + c, out_stride, n - c);
}
#endif

#if defined(__aarch64__)
#include <arm_neon.h>

// Two channels: x · m' (m' < 2^15) as lo(x) · m' (umull) + (hi(x) · m' mod 2^32) << 32, wrapping
// as the 64-bit product does; the rounding shift by sshl with −t; the clamp by compare and select.
static inline int64x2_t requantize2_neon(int64x2_t x, uint32x2_t m, int64x2_t t, int64x2_t low, int64x2_t high) {
    const uint64x2_t ux = vreinterpretq_u64_s64(x);
    const uint64x2_t product = vaddq_u64(vmull_u32(vmovn_u64(ux), m), vshll_n_u32(vmul_u32(vshrn_n_u64(ux, 32), m), 32));
    const int64x2_t round = vshlq_s64(vdupq_n_s64(1), vsubq_s64(t, vdupq_n_s64(1)));
    int64x2_t v = vshlq_s64(vaddq_s64(vreinterpretq_s64_u64(product), round), vnegq_s64(t));
    v = vbslq_s64(vcgtq_s64(low, v), low, v);
    return vbslq_s64(vcgtq_s64(v, high), high, v);
}

static void requantize_s16_neon(const int64_t *acc, ptrdiff_t acc_stride, ptrdiff_t rows, const int64_t *bias,
                                const int32_t *multiplier, const int32_t *shift, int32_t qmin, int32_t qmax, int16_t *out,
                                ptrdiff_t out_stride, ptrdiff_t n) {
    const int64x2_t low = vdupq_n_s64(qmin), high = vdupq_n_s64(qmax);
    ptrdiff_t c = 0;
    for (; c + 4 <= n; c += 4) {
        const uint32_t reduced[4] = {(uint32_t)reduced_multiplier(multiplier[c]), (uint32_t)reduced_multiplier(multiplier[c + 1]),
                                     (uint32_t)reduced_multiplier(multiplier[c + 2]), (uint32_t)reduced_multiplier(multiplier[c + 3])};
        const uint32x2_t m0 = vld1_u32(reduced), m1 = vld1_u32(reduced + 2);
        const int32x4_t s = vld1q_s32(shift + c);
        const int64x2_t t0 = vsubq_s64(vdupq_n_s64(15), vmovl_s32(vget_low_s32(s)));
        const int64x2_t t1 = vsubq_s64(vdupq_n_s64(15), vmovl_high_s32(s));
        const int64x2_t b0 = bias ? vld1q_s64(bias + c) : vdupq_n_s64(0), b1 = bias ? vld1q_s64(bias + c + 2) : vdupq_n_s64(0);
        for (ptrdiff_t r = 0; r < rows; ++r) {
            const int64_t *a = acc + r * acc_stride + c;
            const int64x2_t v0 = requantize2_neon(vaddq_s64(vld1q_s64(a), b0), m0, t0, low, high);
            const int64x2_t v1 = requantize2_neon(vaddq_s64(vld1q_s64(a + 2), b1), m1, t1, low, high);
            vst1_s16(out + r * out_stride + c, vmovn_s32(vcombine_s32(vmovn_s64(v0), vmovn_s64(v1))));
        }
    }
    if (c < n)
        requantize_s16_portable(acc + c, acc_stride, rows, bias ? bias + c : 0, multiplier + c, shift + c, qmin, qmax,
                                out + c, out_stride, n - c);
}
#endif

void tfl_select_requantize_s16(tfl_kernels *k, const tfl_cpu_features *f) {
    k->requantize_s16 = requantize_s16_portable;
#if defined(__x86_64__) || defined(__i386__)
    if (f->avx2_fma) k->requantize_s16 = requantize_s16_avx2;
    if (f->avx512) k->requantize_s16 = requantize_s16_avx512;
#elif defined(__aarch64__)
    if (f->neon) k->requantize_s16 = requantize_s16_neon;
#else
    (void)f;
#endif
}

void tfl_requantize_s16_rows(const int64_t *acc, ptrdiff_t acc_stride, ptrdiff_t rows, const int64_t *bias,
                             const int32_t *multiplier, const int32_t *shift, int32_t qmin, int32_t qmax, int16_t *out,
                             ptrdiff_t out_stride, ptrdiff_t n) {
    tfl_kernels_current()->requantize_s16(acc, acc_stride, rows, bias, multiplier, shift, qmin, qmax, out, out_stride, n);
}
