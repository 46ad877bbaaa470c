// int8 RESIZE_BILINEAR in two passes, LiteRT's integer interpolation (weights in 1/1024 steps,
// the sum rounded half away from zero to 1/2^20) taken apart: the four-weight sum
// a·w00 + b·w10 + c·w01 + d·w11 equals t·(1024 − fy) + u·fy with the horizontal sums
// t = a·(1024 − fx) + c·fx (top row) and u likewise (bottom row), exactly, in integers. The
// columns pass makes a source row's horizontal sums once; the rows pass blends two of them per
// output row over out_w · depth contiguous lanes, whatever the channel count. The caller keeps
// every sum within 32 bits (tfl_resize_bilinear_columns_s8). Runtime CPU dispatch, portable
// fallback.
#include "dispatch.h"
#include "narrow.h"

static inline int8_t finish(int32_t s) {
    const int32_t v = s + (s > 0 ? (1 << 19) : -(1 << 19));
    return (int8_t)(v / (1 << 20));  // truncating division, then the low byte
}

static void columns_portable(int32_t *h, const int8_t *row, const int32_t *x0, const int32_t *x1, const int32_t *fx,
                             ptrdiff_t out_w, ptrdiff_t depth) {
    for (ptrdiff_t x = 0; x < out_w; ++x) {
        const int8_t *a = row + x0[x], *c = row + x1[x];
        const int32_t wa = 1024 - fx[x], wc = fx[x];
        for (ptrdiff_t k = 0; k < depth; ++k) h[x * depth + k] = a[k] * wa + c[k] * wc;
    }
}

static void rows_portable(int8_t *out, const int32_t *top, const int32_t *bottom, int32_t fy, ptrdiff_t n) {
    for (ptrdiff_t i = 0; i < n; ++i) out[i] = finish(top[i] * (1024 - fy) + bottom[i] * fy);
}

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

// Vectors across the channels of one output column; a · 1024 + (c − a) · fx is a · (1024 − fx) + c · fx
// with one multiply.
__attribute__((target("avx512f,avx512bw,avx512vl"))) static void columns_avx512(
    int32_t *h, const int8_t *row, const int32_t *x0, const int32_t *x1, const int32_t *fx, ptrdiff_t out_w,
    ptrdiff_t depth) {
    for (ptrdiff_t x = 0; x < out_w; ++x) {
        const __m512i vx = _mm512_set1_epi32(fx[x]);
        const int8_t *a = row + x0[x], *c = row + x1[x];
        for (ptrdiff_t k = 0; k < depth; k += 16) {
            const __mmask16 m = depth - k >= 16 ? 0xFFFF : (__mmask16)((1u << (depth - k)) - 1);
            const __m512i av = _mm512_cvtepi8_epi32(_mm_maskz_loadu_epi8(m, a + k));
            const __m512i cv = _mm512_cvtepi8_epi32(_mm_maskz_loadu_epi8(m, c + k));
            const __m512i t = _mm512_add_epi32(_mm512_slli_epi32(av, 10), _mm512_mullo_epi32(_mm512_sub_epi32(cv, av), vx));
            _mm512_mask_storeu_epi32(h + x * depth + k, m, t);
        }
    }
}

// s = t · 1024 + (u − t) · fy (the same 32-bit value as t · (1024 − fy) + u · fy, wrapping or
// not); s > 0: s + 2^19, else s − 2^19; then the division by 2^20 truncating (2^20 − 1 added to
// negatives before the shift). Bytes narrowed in a register, then stored (narrow.h).
__attribute__((target("avx512f,avx512bw,avx512vl"))) static inline __m128i blend_avx512(__m512i t, __m512i u,
                                                                                        __m512i vy) {
    const __m512i half = _mm512_set1_epi32(1 << 19), low_bits = _mm512_set1_epi32((1 << 20) - 1);
    const __m512i s = _mm512_add_epi32(_mm512_slli_epi32(t, 10), _mm512_mullo_epi32(_mm512_sub_epi32(u, t), vy));
    const __mmask16 positive = _mm512_cmpgt_epi32_mask(s, _mm512_setzero_si512());
    __m512i v = _mm512_mask_add_epi32(_mm512_sub_epi32(s, half), positive, s, half);
    v = _mm512_mask_add_epi32(v, _mm512_cmplt_epi32_mask(v, _mm512_setzero_si512()), v, low_bits);
    return tfl_narrow_epi32_epi8(_mm512_srai_epi32(v, 20));
}

__attribute__((target("avx512f,avx512bw,avx512vl"))) static void rows_avx512(int8_t *out, const int32_t *top,
                                                                             const int32_t *bottom, int32_t fy,
                                                                             ptrdiff_t n) {
    const __m512i vy = _mm512_set1_epi32(fy);
    ptrdiff_t i = 0;
    for (; i + 32 <= n; i += 32) {
        const __m128i lo = blend_avx512(_mm512_loadu_si512(top + i), _mm512_loadu_si512(bottom + i), vy);
        const __m128i hi = blend_avx512(_mm512_loadu_si512(top + i + 16), _mm512_loadu_si512(bottom + i + 16), vy);
        _mm_storeu_si128((__m128i *)(out + i), lo);
        _mm_storeu_si128((__m128i *)(out + i + 16), hi);
    }
    for (; i < n; i += 16) {
        const __mmask16 m = n - i >= 16 ? 0xFFFF : (__mmask16)((1u << (n - i)) - 1);
        const __m128i v = blend_avx512(_mm512_maskz_loadu_epi32(m, top + i), _mm512_maskz_loadu_epi32(m, bottom + i), vy);
        _mm_mask_storeu_epi8(out + i, m, v);
    }
}

__attribute__((target("avx2"))) static void columns_avx2(int32_t *h, const int8_t *row, const int32_t *x0,
                                                         const int32_t *x1, const int32_t *fx, ptrdiff_t out_w,
                                                         ptrdiff_t depth) {
    for (ptrdiff_t x = 0; x < out_w; ++x) {
        const int32_t wa = 1024 - fx[x], wc = fx[x];
        const __m256i va = _mm256_set1_epi32(wa), vc = _mm256_set1_epi32(wc);
        const int8_t *a = row + x0[x], *c = row + x1[x];
        ptrdiff_t k = 0;
        for (; k + 8 <= depth; k += 8) {
            const __m256i av = _mm256_cvtepi8_epi32(_mm_loadl_epi64((const __m128i *)(a + k)));
            const __m256i cv = _mm256_cvtepi8_epi32(_mm_loadl_epi64((const __m128i *)(c + k)));
            _mm256_storeu_si256((__m256i *)(h + x * depth + k),
                                _mm256_add_epi32(_mm256_mullo_epi32(av, va), _mm256_mullo_epi32(cv, vc)));
        }
        for (; k < depth; ++k) h[x * depth + k] = a[k] * wa + c[k] * wc;
    }
}

__attribute__((target("avx2"))) static void rows_avx2(int8_t *out, const int32_t *top, const int32_t *bottom,
                                                      int32_t fy, ptrdiff_t n) {
    const __m256i half = _mm256_set1_epi32(1 << 19), low_bits = _mm256_set1_epi32((1 << 20) - 1);
    const __m256i wt = _mm256_set1_epi32(1024 - fy), wu = _mm256_set1_epi32(fy);
    const __m256i bytes = _mm256_setr_epi8(0, 4, 8, 12, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
                                           0, 4, 8, 12, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1);
    ptrdiff_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m256i s = _mm256_add_epi32(_mm256_mullo_epi32(_mm256_loadu_si256((const __m256i *)(top + i)), wt),
                                           _mm256_mullo_epi32(_mm256_loadu_si256((const __m256i *)(bottom + i)), wu));
        const __m256i positive = _mm256_cmpgt_epi32(s, _mm256_setzero_si256());
        __m256i v = _mm256_blendv_epi8(_mm256_sub_epi32(s, half), _mm256_add_epi32(s, half), positive);
        v = _mm256_add_epi32(v, _mm256_and_si256(_mm256_cmpgt_epi32(_mm256_setzero_si256(), v), low_bits));
        v = _mm256_shuffle_epi8(_mm256_srai_epi32(v, 20), bytes);  // each lane's low byte, four per half
        const int32_t lo = _mm256_cvtsi256_si32(v), hi = _mm_cvtsi128_si32(_mm256_extracti128_si256(v, 1));
        __builtin_memcpy(out + i, &lo, 4);
        __builtin_memcpy(out + i + 4, &hi, 4);
    }
    for (; i < n; ++i) out[i] = finish(top[i] * (1024 - fy) + bottom[i] * fy);
}
#endif

#if defined(__aarch64__)
#include <arm_neon.h>

// NEON: 8 channels (columns) or 8 lanes (rows) at a time, int32 products by mul and mla (the same
// sums), then finish's rounding: ± 2^19 by the sign, the truncating division as an arithmetic
// shift after adding 2^20 − 1 to negatives, the low bytes by two narrowings.
static inline int32x4_t finish_neon(int32x4_t s) {
    const int32x4_t half = vdupq_n_s32(1 << 19), zero = vdupq_n_s32(0);
    int32x4_t v = vbslq_s32(vcgtq_s32(s, zero), vaddq_s32(s, half), vsubq_s32(s, half));
    v = vaddq_s32(v, vandq_s32(vreinterpretq_s32_u32(vcltq_s32(v, zero)), vdupq_n_s32((1 << 20) - 1)));
    return vshrq_n_s32(v, 20);
}

static void columns_neon(int32_t *h, const int8_t *row, const int32_t *x0, const int32_t *x1, const int32_t *fx,
                         ptrdiff_t out_w, ptrdiff_t depth) {
    for (ptrdiff_t x = 0; x < out_w; ++x) {
        const int32_t wa = 1024 - fx[x], wc = fx[x];
        const int8_t *a = row + x0[x], *c = row + x1[x];
        ptrdiff_t k = 0;
        for (; k + 8 <= depth; k += 8) {
            const int16x8_t av = vmovl_s8(vld1_s8(a + k)), cv = vmovl_s8(vld1_s8(c + k));
            int32x4_t lo = vmulq_n_s32(vmovl_s16(vget_low_s16(av)), wa), hi = vmulq_n_s32(vmovl_high_s16(av), wa);
            lo = vmlaq_n_s32(lo, vmovl_s16(vget_low_s16(cv)), wc), hi = vmlaq_n_s32(hi, vmovl_high_s16(cv), wc);
            vst1q_s32(h + x * depth + k, lo), vst1q_s32(h + x * depth + k + 4, hi);
        }
        for (; k < depth; ++k) h[x * depth + k] = a[k] * wa + c[k] * wc;
    }
}

static void rows_neon(int8_t *out, const int32_t *top, const int32_t *bottom, int32_t fy, ptrdiff_t n) {
    const int32_t wt = 1024 - fy;
    ptrdiff_t i = 0;
    for (; i + 8 <= n; i += 8) {
        int32x4_t lo = vmulq_n_s32(vld1q_s32(top + i), wt), hi = vmulq_n_s32(vld1q_s32(top + i + 4), wt);
        lo = vmlaq_n_s32(lo, vld1q_s32(bottom + i), fy), hi = vmlaq_n_s32(hi, vld1q_s32(bottom + i + 4), fy);
        const int16x8_t words = vcombine_s16(vmovn_s32(finish_neon(lo)), vmovn_s32(finish_neon(hi)));
        vst1_s8(out + i, vmovn_s16(words));
    }
    for (; i < n; ++i) out[i] = finish(top[i] * wt + bottom[i] * fy);
}
#endif

void tfl_select_resize_bilinear(tfl_kernels *k, const tfl_cpu_features *f) {
    k->resize_bilinear_columns_s8 = columns_portable;
    k->resize_bilinear_rows_s8 = rows_portable;
#if defined(__x86_64__) || defined(__i386__)
    if (f->avx2_fma) k->resize_bilinear_columns_s8 = columns_avx2, k->resize_bilinear_rows_s8 = rows_avx2;
    if (f->avx512) k->resize_bilinear_columns_s8 = columns_avx512, k->resize_bilinear_rows_s8 = rows_avx512;
#elif defined(__aarch64__)
    if (f->neon) k->resize_bilinear_columns_s8 = columns_neon, k->resize_bilinear_rows_s8 = rows_neon;
#else
    (void)f;
#endif
}

void tfl_resize_bilinear_columns_s8(int32_t *h, const int8_t *row, const int32_t *x0, const int32_t *x1,
                                    const int32_t *fx, ptrdiff_t out_w, ptrdiff_t depth) {
    tfl_kernels_current()->resize_bilinear_columns_s8(h, row, x0, x1, fx, out_w, depth);
}

void tfl_resize_bilinear_rows_s8(int8_t *out, const int32_t *top, const int32_t *bottom, int32_t fy, ptrdiff_t n) {
    tfl_kernels_current()->resize_bilinear_rows_s8(out, top, bottom, fy, n);
}
