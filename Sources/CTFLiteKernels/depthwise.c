// Depthwise accumulation for one output pixel: acc[c] += sum over taps t of x[t][c] * w[t][c],
// with a block of channels held in registers across all taps (acc is read and written once,
// not once per tap). Runtime CPU dispatch, portable fallback.
#include "dispatch.h"

static void depthwise_f32_portable(float *acc, const float *const *x, const float *const *w, ptrdiff_t taps, ptrdiff_t n) {
    for (ptrdiff_t t = 0; t < taps; ++t)
        for (ptrdiff_t c = 0; c < n; ++c) acc[c] += x[t][c] * w[t][c];
}

static void depthwise_i32_portable(int32_t *acc, const int32_t *const *x, const int16_t *const *w, ptrdiff_t taps, ptrdiff_t n) {
    for (ptrdiff_t t = 0; t < taps; ++t)
        for (ptrdiff_t c = 0; c < n; ++c) acc[c] = (int32_t)((uint32_t)acc[c] + (uint32_t)(x[t][c] * (int32_t)w[t][c]));
}

// int16×8: products of int16 activations and int8 weights are at most 2^22 in magnitude, so the
// vector variants sum blocks of TAP_BLOCK taps in 32-bit lanes exactly and add each block's sums
// to the 64-bit accumulators.
enum { TAP_BLOCK = 256 };

static void depthwise_i64_portable(int64_t *acc, const int32_t *const *x, const int16_t *const *w, ptrdiff_t taps, ptrdiff_t n) {
    for (ptrdiff_t t = 0; t < taps; ++t)
        for (ptrdiff_t c = 0; c < n; ++c) acc[c] += (int64_t)x[t][c] * w[t][c];
}

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

__attribute__((target("avx512f,avx512bw,avx512vl"))) static void depthwise_i64_avx512(int64_t *acc, const int32_t *const *x,
                                                                             const int16_t *const *w, ptrdiff_t taps,
                                                                             ptrdiff_t n) {
    for (ptrdiff_t c = 0; c < n; c += 16) {
        const __mmask16 mask = n - c >= 16 ? 0xFFFF : (__mmask16)((1u << (n - c)) - 1);
        __m512i lo = _mm512_maskz_loadu_epi64((__mmask8)mask, acc + c);
        __m512i hi = _mm512_maskz_loadu_epi64((__mmask8)(mask >> 8), acc + c + 8);
        for (ptrdiff_t t0 = 0; t0 < taps; t0 += TAP_BLOCK) {
            const ptrdiff_t t1 = taps - t0 < TAP_BLOCK ? taps : t0 + TAP_BLOCK;
            __m512i a = _mm512_setzero_si512();
            for (ptrdiff_t t = t0; t < t1; ++t) {
                const __m512i wv = _mm512_cvtepi16_epi32(_mm256_maskz_loadu_epi16(mask, w[t] + c));
                a = _mm512_add_epi32(a, _mm512_mullo_epi32(_mm512_maskz_loadu_epi32(mask, x[t] + c), wv));
            }
            lo = _mm512_add_epi64(lo, _mm512_cvtepi32_epi64(_mm512_castsi512_si256(a)));
            hi = _mm512_add_epi64(hi, _mm512_cvtepi32_epi64(_mm512_extracti64x4_epi64(a, 1)));
        }
        _mm512_mask_storeu_epi64(acc + c, (__mmask8)mask, lo);
        _mm512_mask_storeu_epi64(acc + c + 8, (__mmask8)(mask >> 8), hi);
    }
}

__attribute__((target("avx2"))) static void depthwise_i64_avx2(int64_t *acc, const int32_t *const *x, const int16_t *const *w,
                                                               ptrdiff_t taps, ptrdiff_t n) {
    ptrdiff_t c = 0;
    for (; c + 8 <= n; c += 8) {
        __m256i lo = _mm256_loadu_si256((const __m256i *)(acc + c)), hi = _mm256_loadu_si256((const __m256i *)(acc + c + 4));
        for (ptrdiff_t t0 = 0; t0 < taps; t0 += TAP_BLOCK) {
            const ptrdiff_t t1 = taps - t0 < TAP_BLOCK ? taps : t0 + TAP_BLOCK;
            __m256i a = _mm256_setzero_si256();
            for (ptrdiff_t t = t0; t < t1; ++t) {
                const __m256i wv = _mm256_cvtepi16_epi32(_mm_loadu_si128((const __m128i *)(w[t] + c)));
                a = _mm256_add_epi32(a, _mm256_mullo_epi32(_mm256_loadu_si256((const __m256i *)(x[t] + c)), wv));
            }
            lo = _mm256_add_epi64(lo, _mm256_cvtepi32_epi64(_mm256_castsi256_si128(a)));
            hi = _mm256_add_epi64(hi, _mm256_cvtepi32_epi64(_mm256_extracti128_si256(a, 1)));
        }
        _mm256_storeu_si256((__m256i *)(acc + c), lo);
        _mm256_storeu_si256((__m256i *)(acc + c + 4), hi);
    }
    if (c < n) {
        const int32_t *xs[TAP_BLOCK];
        const int16_t *ws[TAP_BLOCK];
        for (ptrdiff_t t0 = 0; t0 < taps; t0 += TAP_BLOCK) {
            const ptrdiff_t tn = taps - t0 < TAP_BLOCK ? taps - t0 : TAP_BLOCK;
            for (ptrdiff_t t = 0; t < tn; ++t) xs[t] = x[t0 + t] + c, ws[t] = w[t0 + t] + c;
            depthwise_i64_portable(acc + c, xs, ws, tn, n - c);
        }
    }
}

__attribute__((target("avx2,fma")))
static void depthwise_f32_avx2(float *acc, const float *const *x, const float *const *w, ptrdiff_t taps, ptrdiff_t n) {
    ptrdiff_t c = 0;
    for (; c + 8 <= n; c += 8) {
        __m256 a = _mm256_loadu_ps(acc + c);
        for (ptrdiff_t t = 0; t < taps; ++t) a = _mm256_fmadd_ps(_mm256_loadu_ps(x[t] + c), _mm256_loadu_ps(w[t] + c), a);
        _mm256_storeu_ps(acc + c, a);
    }
    for (; c < n; ++c) {
        float a = acc[c];
        for (ptrdiff_t t = 0; t < taps; ++t) a += x[t][c] * w[t][c];
        acc[c] = a;
    }
}

__attribute__((target("avx2")))
static void depthwise_i32_avx2(int32_t *acc, const int32_t *const *x, const int16_t *const *w, ptrdiff_t taps, ptrdiff_t n) {
    ptrdiff_t c = 0;
    for (; c + 8 <= n; c += 8) {
        __m256i a = _mm256_loadu_si256((const __m256i *)(acc + c));
        for (ptrdiff_t t = 0; t < taps; ++t) {
            const __m256i wv = _mm256_cvtepi16_epi32(_mm_loadu_si128((const __m128i *)(w[t] + c)));
            a = _mm256_add_epi32(a, _mm256_mullo_epi32(_mm256_loadu_si256((const __m256i *)(x[t] + c)), wv));
        }
        _mm256_storeu_si256((__m256i *)(acc + c), a);
    }
    for (; c < n; ++c) {
        uint32_t a = (uint32_t)acc[c];
        for (ptrdiff_t t = 0; t < taps; ++t) a += (uint32_t)(x[t][c] * (int32_t)w[t][c]);
        acc[c] = (int32_t)a;
    }
}

__attribute__((target("avx512f,avx512bw")))
static void depthwise_f32_avx512(float *acc, const float *const *x, const float *const *w, ptrdiff_t taps, ptrdiff_t n) {
    ptrdiff_t c = 0;
    for (; c + 16 <= n; c += 16) {
        __m512 a = _mm512_loadu_ps(acc + c);
        for (ptrdiff_t t = 0; t < taps; ++t) a = _mm512_fmadd_ps(_mm512_loadu_ps(x[t] + c), _mm512_loadu_ps(w[t] + c), a);
        _mm512_storeu_ps(acc + c, a);
    }
    for (; c < n; ++c) {
        float a = acc[c];
        for (ptrdiff_t t = 0; t < taps; ++t) a += x[t][c] * w[t][c];
        acc[c] = a;
    }
}

__attribute__((target("avx512f,avx512bw")))
static void depthwise_i32_avx512(int32_t *acc, const int32_t *const *x, const int16_t *const *w, ptrdiff_t taps, ptrdiff_t n) {
    ptrdiff_t c = 0;
    for (; c + 16 <= n; c += 16) {
        __m512i a = _mm512_loadu_si512(acc + c);
        for (ptrdiff_t t = 0; t < taps; ++t) {
            const __m512i wv = _mm512_cvtepi16_epi32(_mm256_loadu_si256((const __m256i *)(w[t] + c)));
            a = _mm512_add_epi32(a, _mm512_mullo_epi32(_mm512_loadu_si512(x[t] + c), wv));
        }
        _mm512_storeu_si512(acc + c, a);
    }
    for (; c < n; ++c) {
        uint32_t a = (uint32_t)acc[c];
        for (ptrdiff_t t = 0; t < taps; ++t) a += (uint32_t)(x[t][c] * (int32_t)w[t][c]);
        acc[c] = (int32_t)a;
    }
}
#endif

#if defined(__aarch64__)
#include <arm_neon.h>
#include <math.h>

// Eight channels: smlal of the int16 activations (narrowed from their int32 staging, exact) by
// the weights, 32-bit lanes per block of taps, widened into the 64-bit sums.
static void depthwise_i64_neon(int64_t *acc, const int32_t *const *x, const int16_t *const *w, ptrdiff_t taps, ptrdiff_t n) {
    ptrdiff_t c = 0;
    for (; c + 8 <= n; c += 8) {
        int64x2_t s[4];
        for (int i = 0; i < 4; ++i) s[i] = vld1q_s64(acc + c + 2 * i);
        for (ptrdiff_t t0 = 0; t0 < taps; t0 += TAP_BLOCK) {
            const ptrdiff_t t1 = taps - t0 < TAP_BLOCK ? taps : t0 + TAP_BLOCK;
            int32x4_t a0 = vdupq_n_s32(0), a1 = vdupq_n_s32(0);
            for (ptrdiff_t t = t0; t < t1; ++t) {
                const int16x8_t xv = vcombine_s16(vmovn_s32(vld1q_s32(x[t] + c)), vmovn_s32(vld1q_s32(x[t] + c + 4)));
                const int16x8_t wv = vld1q_s16(w[t] + c);
                a0 = vmlal_s16(a0, vget_low_s16(xv), vget_low_s16(wv));
                a1 = vmlal_high_s16(a1, xv, wv);
            }
            s[0] = vaddw_s32(s[0], vget_low_s32(a0));
            s[1] = vaddw_high_s32(s[1], a0);
            s[2] = vaddw_s32(s[2], vget_low_s32(a1));
            s[3] = vaddw_high_s32(s[3], a1);
        }
        for (int i = 0; i < 4; ++i) vst1q_s64(acc + c + 2 * i, s[i]);
    }
    for (; c < n; ++c)
        for (ptrdiff_t t = 0; t < taps; ++t) acc[c] += (int64_t)x[t][c] * w[t][c];
}

// float: fmla per tap in tap order (the tail fmaf), as clang compiles the portable loop's
// `acc += x · w` on AArch64. int32: the weights widened, mla in 32-bit lanes (wrapping).
static void depthwise_f32_neon(float *acc, const float *const *x, const float *const *w, ptrdiff_t taps, ptrdiff_t n) {
    ptrdiff_t c = 0;
    for (; c + 16 <= n; c += 16) {
        float32x4_t a[4];
        for (int i = 0; i < 4; ++i) a[i] = vld1q_f32(acc + c + 4 * i);
        for (ptrdiff_t t = 0; t < taps; ++t)
            for (int i = 0; i < 4; ++i) a[i] = vfmaq_f32(a[i], vld1q_f32(x[t] + c + 4 * i), vld1q_f32(w[t] + c + 4 * i));
        for (int i = 0; i < 4; ++i) vst1q_f32(acc + c + 4 * i, a[i]);
    }
    for (; c + 4 <= n; c += 4) {
        float32x4_t a = vld1q_f32(acc + c);
        for (ptrdiff_t t = 0; t < taps; ++t) a = vfmaq_f32(a, vld1q_f32(x[t] + c), vld1q_f32(w[t] + c));
        vst1q_f32(acc + c, a);
    }
    for (; c < n; ++c) {
        float a = acc[c];
        for (ptrdiff_t t = 0; t < taps; ++t) a = fmaf(x[t][c], w[t][c], a);
        acc[c] = a;
    }
}

static void depthwise_i32_neon(int32_t *acc, const int32_t *const *x, const int16_t *const *w, ptrdiff_t taps, ptrdiff_t n) {
    ptrdiff_t c = 0;
    for (; c + 8 <= n; c += 8) {
        int32x4_t a0 = vld1q_s32(acc + c), a1 = vld1q_s32(acc + c + 4);
        for (ptrdiff_t t = 0; t < taps; ++t) {
            const int16x8_t wv = vld1q_s16(w[t] + c);
            a0 = vmlaq_s32(a0, vld1q_s32(x[t] + c), vmovl_s16(vget_low_s16(wv)));
            a1 = vmlaq_s32(a1, vld1q_s32(x[t] + c + 4), vmovl_high_s16(wv));
        }
        vst1q_s32(acc + c, a0), vst1q_s32(acc + c + 4, a1);
    }
    for (; c < n; ++c) {
        uint32_t a = (uint32_t)acc[c];
        for (ptrdiff_t t = 0; t < taps; ++t) a += (uint32_t)(x[t][c] * (int32_t)w[t][c]);
        acc[c] = (int32_t)a;
    }
}
#endif

void tfl_select_depthwise(tfl_kernels *k, const tfl_cpu_features *f) {
    k->depthwise_f32 = depthwise_f32_portable;
    k->depthwise_i32 = depthwise_i32_portable;
    k->depthwise_i64 = depthwise_i64_portable;
#if defined(__x86_64__) || defined(__i386__)
    if (f->avx512) {
        k->depthwise_f32 = depthwise_f32_avx512;
        k->depthwise_i32 = depthwise_i32_avx512;
        k->depthwise_i64 = depthwise_i64_avx512;
    } else if (f->avx2_fma) {
        k->depthwise_f32 = depthwise_f32_avx2;
        k->depthwise_i32 = depthwise_i32_avx2;
        k->depthwise_i64 = depthwise_i64_avx2;
    }
#elif defined(__aarch64__)
    if (f->neon) {
        k->depthwise_f32 = depthwise_f32_neon;
        k->depthwise_i32 = depthwise_i32_neon;
        k->depthwise_i64 = depthwise_i64_neon;
    }
#else
    (void)f;
#endif
}

void tfl_depthwise_f32(float *acc, const float *const *x, const float *const *w, ptrdiff_t taps, ptrdiff_t n) {
    tfl_kernels_current()->depthwise_f32(acc, x, w, taps, n);
}

void tfl_depthwise_i32(int32_t *acc, const int32_t *const *x, const int16_t *const *w, ptrdiff_t taps, ptrdiff_t n) {
    tfl_kernels_current()->depthwise_i32(acc, x, w, taps, n);
}


void tfl_depthwise_i64(int64_t *acc, const int32_t *const *x, const int16_t *const *w, ptrdiff_t taps, ptrdiff_t n) {
    tfl_kernels_current()->depthwise_i64(acc, x, w, taps, n);
}
