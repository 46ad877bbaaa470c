// int8 RESIZE_BILINEAR one output row at a time, LiteRT's integer interpolation (weights in
// 1/1024 steps, the sum rounded half away from zero to 1/2^20) in 32-bit lanes across the
// channels. The caller guarantees the sums fit (tfl_resize_bilinear_row_s8). Runtime CPU
// dispatch, portable fallback.
#include "dispatch.h"
#include "narrow.h"

static inline int8_t finish(int32_t s) {
    const int32_t v = s + (s > 0 ? (1 << 19) : -(1 << 19));
    return (int8_t)(v / (1 << 20));  // truncating division, then the low byte
}

static void resize_row_portable(int8_t *out, const int8_t *top, const int8_t *bottom, const int32_t *x0, const int32_t *x1,
                                const int32_t *fx, int32_t fy, ptrdiff_t out_w, ptrdiff_t depth) {
    for (ptrdiff_t x = 0; x < out_w; ++x) {
        const int32_t w00 = (1024 - fy) * (1024 - fx[x]), w10 = fy * (1024 - fx[x]);
        const int32_t w01 = (1024 - fy) * fx[x], w11 = fy * fx[x];
        const int8_t *a = top + x0[x], *b = bottom + x0[x], *c = top + x1[x], *d = bottom + x1[x];
        for (ptrdiff_t k = 0; k < depth; ++k) out[x * depth + k] = finish(a[k] * w00 + b[k] * w10 + c[k] * w01 + d[k] * w11);
    }
}

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

// The four-weight sum factored, horizontal then vertical: with t = a · 1024 + (c − a) · fx and
// u = b · 1024 + (d − b) · fx, t · 1024 + (u − t) · fy is the same polynomial as
// a · w00 + b · w10 + c · w01 + d · w11, so its 32-bit value is identical (wrapping or not) with
// three multiplies in place of four. Bytes narrowed in a register, then stored (narrow.h).
__attribute__((target("avx512f,avx512bw,avx512vl"))) static void resize_row_avx512(
    int8_t *out, const int8_t *top, const int8_t *bottom, const int32_t *x0, const int32_t *x1, const int32_t *fx,
    int32_t fy, ptrdiff_t out_w, ptrdiff_t depth) {
    const __m512i half = _mm512_set1_epi32(1 << 19), low_bits = _mm512_set1_epi32((1 << 20) - 1);
    const __m512i vy = _mm512_set1_epi32(fy);
    for (ptrdiff_t x = 0; x < out_w; ++x) {
        const __m512i vx = _mm512_set1_epi32(fx[x]);
        const int8_t *a = top + x0[x], *b = bottom + x0[x], *c = top + x1[x], *d = bottom + x1[x];
        for (ptrdiff_t k = 0; k < depth; k += 16) {
            const __mmask16 m = depth - k >= 16 ? 0xFFFF : (__mmask16)((1u << (depth - k)) - 1);
            const __m512i av = _mm512_cvtepi8_epi32(_mm_maskz_loadu_epi8(m, a + k));
            const __m512i bv = _mm512_cvtepi8_epi32(_mm_maskz_loadu_epi8(m, b + k));
            const __m512i cv = _mm512_cvtepi8_epi32(_mm_maskz_loadu_epi8(m, c + k));
            const __m512i dv = _mm512_cvtepi8_epi32(_mm_maskz_loadu_epi8(m, d + k));
            const __m512i t = _mm512_add_epi32(_mm512_slli_epi32(av, 10), _mm512_mullo_epi32(_mm512_sub_epi32(cv, av), vx));
            const __m512i u = _mm512_add_epi32(_mm512_slli_epi32(bv, 10), _mm512_mullo_epi32(_mm512_sub_epi32(dv, bv), vx));
            const __m512i s = _mm512_add_epi32(_mm512_slli_epi32(t, 10), _mm512_mullo_epi32(_mm512_sub_epi32(u, t), vy));
            // s > 0: s + 2^19; else s − 2^19; then divide by 2^20 truncating (add 2^20 − 1 to negatives).
            const __mmask16 positive = _mm512_cmpgt_epi32_mask(s, _mm512_setzero_si512());
            __m512i v = _mm512_mask_sub_epi32(_mm512_sub_epi32(s, half), positive, s, _mm512_sub_epi32(_mm512_setzero_si512(), half));
            v = _mm512_mask_add_epi32(v, _mm512_cmplt_epi32_mask(v, _mm512_setzero_si512()), v, low_bits);
            _mm_mask_storeu_epi8(out + x * depth + k, m, tfl_narrow_epi32_epi8(_mm512_srai_epi32(v, 20)));
        }
    }
}

__attribute__((target("avx2"))) static void resize_row_avx2(int8_t *out, const int8_t *top, const int8_t *bottom,
                                                            const int32_t *x0, const int32_t *x1, const int32_t *fx,
                                                            int32_t fy, ptrdiff_t out_w, ptrdiff_t depth) {
    const __m256i half = _mm256_set1_epi32(1 << 19), low_bits = _mm256_set1_epi32((1 << 20) - 1);
    const __m256i bytes = _mm256_setr_epi8(0, 4, 8, 12, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
                                           0, 4, 8, 12, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1);
    for (ptrdiff_t x = 0; x < out_w; ++x) {
        const int32_t s00 = (1024 - fy) * (1024 - fx[x]), s10 = fy * (1024 - fx[x]), s01 = (1024 - fy) * fx[x], s11 = fy * fx[x];
        const __m256i w00 = _mm256_set1_epi32(s00), w10 = _mm256_set1_epi32(s10), w01 = _mm256_set1_epi32(s01), w11 = _mm256_set1_epi32(s11);
        const int8_t *a = top + x0[x], *b = bottom + x0[x], *c = top + x1[x], *d = bottom + x1[x];
        ptrdiff_t k = 0;
        for (; k + 8 <= depth; k += 8) {
            __m256i s = _mm256_mullo_epi32(_mm256_cvtepi8_epi32(_mm_loadl_epi64((const __m128i *)(a + k))), w00);
            s = _mm256_add_epi32(s, _mm256_mullo_epi32(_mm256_cvtepi8_epi32(_mm_loadl_epi64((const __m128i *)(b + k))), w10));
            s = _mm256_add_epi32(s, _mm256_mullo_epi32(_mm256_cvtepi8_epi32(_mm_loadl_epi64((const __m128i *)(c + k))), w01));
            s = _mm256_add_epi32(s, _mm256_mullo_epi32(_mm256_cvtepi8_epi32(_mm_loadl_epi64((const __m128i *)(d + k))), w11));
            const __m256i positive = _mm256_cmpgt_epi32(s, _mm256_setzero_si256());
            __m256i v = _mm256_blendv_epi8(_mm256_sub_epi32(s, half), _mm256_add_epi32(s, half), positive);
            v = _mm256_add_epi32(v, _mm256_and_si256(_mm256_cmpgt_epi32(_mm256_setzero_si256(), v), low_bits));
            v = _mm256_shuffle_epi8(_mm256_srai_epi32(v, 20), bytes);  // each lane's low byte, four per half
            const int32_t lo = _mm256_cvtsi256_si32(v), hi = _mm_cvtsi128_si32(_mm256_extracti128_si256(v, 1));
            __builtin_memcpy(out + x * depth + k, &lo, 4);
            __builtin_memcpy(out + x * depth + k + 4, &hi, 4);
        }
        for (; k < depth; ++k) out[x * depth + k] = finish(a[k] * s00 + b[k] * s10 + c[k] * s01 + d[k] * s11);
    }
}
#endif

#if defined(__aarch64__)
#include <arm_neon.h>

// NEON: 8 channels at a time, each input widened to int32 and multiplied by its weight (mul,
// mla: the same int32 sum), then finish's rounding: ± 2^19 by the sign, the truncating division
// as an arithmetic shift after adding 2^20 − 1 to negatives, the low bytes by two narrowings.
static inline int32x4_t finish_neon(int32x4_t s) {
    const int32x4_t half = vdupq_n_s32(1 << 19), zero = vdupq_n_s32(0);
    int32x4_t v = vbslq_s32(vcgtq_s32(s, zero), vaddq_s32(s, half), vsubq_s32(s, half));
    v = vaddq_s32(v, vandq_s32(vreinterpretq_s32_u32(vcltq_s32(v, zero)), vdupq_n_s32((1 << 20) - 1)));
    return vshrq_n_s32(v, 20);
}

static void resize_row_neon(int8_t *out, const int8_t *top, const int8_t *bottom, const int32_t *x0, const int32_t *x1,
                            const int32_t *fx, int32_t fy, ptrdiff_t out_w, ptrdiff_t depth) {
    for (ptrdiff_t x = 0; x < out_w; ++x) {
        const int32_t s00 = (1024 - fy) * (1024 - fx[x]), s10 = fy * (1024 - fx[x]), s01 = (1024 - fy) * fx[x], s11 = fy * fx[x];
        const int8_t *a = top + x0[x], *b = bottom + x0[x], *c = top + x1[x], *d = bottom + x1[x];
        ptrdiff_t k = 0;
        for (; k + 8 <= depth; k += 8) {
            const int16x8_t av = vmovl_s8(vld1_s8(a + k)), bv = vmovl_s8(vld1_s8(b + k));
            const int16x8_t cv = vmovl_s8(vld1_s8(c + k)), dv = vmovl_s8(vld1_s8(d + k));
            int32x4_t lo = vmulq_n_s32(vmovl_s16(vget_low_s16(av)), s00), hi = vmulq_n_s32(vmovl_high_s16(av), s00);
            lo = vmlaq_n_s32(lo, vmovl_s16(vget_low_s16(bv)), s10), hi = vmlaq_n_s32(hi, vmovl_high_s16(bv), s10);
            lo = vmlaq_n_s32(lo, vmovl_s16(vget_low_s16(cv)), s01), hi = vmlaq_n_s32(hi, vmovl_high_s16(cv), s01);
            lo = vmlaq_n_s32(lo, vmovl_s16(vget_low_s16(dv)), s11), hi = vmlaq_n_s32(hi, vmovl_high_s16(dv), s11);
            const int16x8_t words = vcombine_s16(vmovn_s32(finish_neon(lo)), vmovn_s32(finish_neon(hi)));
            vst1_s8(out + x * depth + k, vmovn_s16(words));
        }
        for (; k < depth; ++k) out[x * depth + k] = finish(a[k] * s00 + b[k] * s10 + c[k] * s01 + d[k] * s11);
    }
}
#endif

void tfl_select_resize_bilinear(tfl_kernels *k, const tfl_cpu_features *f) {
    k->resize_bilinear_row_s8 = resize_row_portable;
#if defined(__x86_64__) || defined(__i386__)
    if (f->avx2_fma) k->resize_bilinear_row_s8 = resize_row_avx2;
    if (f->avx512) k->resize_bilinear_row_s8 = resize_row_avx512;
#elif defined(__aarch64__)
    if (f->neon) k->resize_bilinear_row_s8 = resize_row_neon;
#else
    (void)f;
#endif
}

void tfl_resize_bilinear_row_s8(int8_t *out, const int8_t *top, const int8_t *bottom, const int32_t *x0, const int32_t *x1,
                                const int32_t *fx, int32_t fy, ptrdiff_t out_w, ptrdiff_t depth) {
    tfl_kernels_current()->resize_bilinear_row_s8(out, top, bottom, x0, x1, fx, fy, out_w, depth);
}
