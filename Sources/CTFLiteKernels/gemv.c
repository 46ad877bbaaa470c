// Micro-kernels for the convolution family: a block of output channels stays in registers
// while the reduction dimension streams through. Runtime CPU dispatch, portable fallback.
#include "dispatch.h"

// MARK: portable

static void gemv_f32_portable(float *acc, const float *w, const float *x, ptrdiff_t depth, ptrdiff_t n, ptrdiff_t stride) {
    for (ptrdiff_t k = 0; k < depth; ++k) {
        const float xv = x[k];
        const float *row = w + k * stride;
        for (ptrdiff_t j = 0; j < n; ++j) acc[j] += xv * row[j];
    }
}

static void gemv_i32_portable(int32_t *acc, const int16_t *w, const int32_t *x, ptrdiff_t depth, ptrdiff_t n, ptrdiff_t stride) {
    for (ptrdiff_t k = 0; k < depth; ++k) {
        const int32_t xv = x[k];
        if (xv == 0) continue;
        const int16_t *row = w + k * stride;
        for (ptrdiff_t j = 0; j < n; ++j) acc[j] = (int32_t)((uint32_t)acc[j] + (uint32_t)(xv * (int32_t)row[j]));
    }
}

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

// MARK: AVX2 + FMA

__attribute__((target("avx2,fma")))
static void gemv_f32_avx2(float *acc, const float *w, const float *x, ptrdiff_t depth, ptrdiff_t n, ptrdiff_t stride) {
    ptrdiff_t j = 0;
    for (; j + 32 <= n; j += 32) {
        __m256 a0 = _mm256_loadu_ps(acc + j), a1 = _mm256_loadu_ps(acc + j + 8);
        __m256 a2 = _mm256_loadu_ps(acc + j + 16), a3 = _mm256_loadu_ps(acc + j + 24);
        for (ptrdiff_t k = 0; k < depth; ++k) {
            const float *row = w + k * stride + j;
            const __m256 xv = _mm256_set1_ps(x[k]);
            a0 = _mm256_fmadd_ps(xv, _mm256_loadu_ps(row), a0);
            a1 = _mm256_fmadd_ps(xv, _mm256_loadu_ps(row + 8), a1);
            a2 = _mm256_fmadd_ps(xv, _mm256_loadu_ps(row + 16), a2);
            a3 = _mm256_fmadd_ps(xv, _mm256_loadu_ps(row + 24), a3);
        }
        _mm256_storeu_ps(acc + j, a0); _mm256_storeu_ps(acc + j + 8, a1);
        _mm256_storeu_ps(acc + j + 16, a2); _mm256_storeu_ps(acc + j + 24, a3);
    }
    for (; j + 8 <= n; j += 8) {
        __m256 a = _mm256_loadu_ps(acc + j);
        for (ptrdiff_t k = 0; k < depth; ++k) a = _mm256_fmadd_ps(_mm256_set1_ps(x[k]), _mm256_loadu_ps(w + k * stride + j), a);
        _mm256_storeu_ps(acc + j, a);
    }
    if (j < n) gemv_f32_portable(acc + j, w + j, x, depth, n - j, stride);
}

// The 8-bit paths' values fit in 16 bits (activations and weights with their zero points
// removed are within ±255), so two reduction steps at a time go through vpmaddwd: rows k and
// k + 1 are interleaved (unpacklo/hi, within 128-bit lanes) and multiplied by the pair
// (x[k], x[k + 1]), each 32-bit lane summing both products exactly. The lane interleaving
// permutes the output channels; the sums are put back in order once, after the reduction.

__attribute__((target("avx2")))
static inline __m256i pair_avx2(const int32_t *x, ptrdiff_t k, ptrdiff_t depth) {
    const uint32_t lo = (uint16_t)(int16_t)x[k];
    const uint32_t hi = k + 1 < depth ? (uint16_t)(int16_t)x[k + 1] : 0;
    return _mm256_set1_epi32((int32_t)(lo | (hi << 16)));
}

__attribute__((target("avx2")))
static void gemv_i32_avx2(int32_t *acc, const int16_t *w, const int32_t *x, ptrdiff_t depth, ptrdiff_t n, ptrdiff_t stride) {
    ptrdiff_t j = 0;
    for (; j + 32 <= n; j += 32) {
        __m256i s0 = _mm256_setzero_si256(), s1 = _mm256_setzero_si256();
        __m256i s2 = _mm256_setzero_si256(), s3 = _mm256_setzero_si256();
        for (ptrdiff_t k = 0; k < depth; k += 2) {
            const int16_t *r0 = w + k * stride + j;
            const __m256i xp = pair_avx2(x, k, depth);
            const __m256i a0 = _mm256_loadu_si256((const __m256i *)r0), a1 = _mm256_loadu_si256((const __m256i *)(r0 + 16));
            __m256i b0 = _mm256_setzero_si256(), b1 = _mm256_setzero_si256();
            if (k + 1 < depth) {
                b0 = _mm256_loadu_si256((const __m256i *)(r0 + stride));
                b1 = _mm256_loadu_si256((const __m256i *)(r0 + stride + 16));
            }
            s0 = _mm256_add_epi32(s0, _mm256_madd_epi16(_mm256_unpacklo_epi16(a0, b0), xp));
            s1 = _mm256_add_epi32(s1, _mm256_madd_epi16(_mm256_unpackhi_epi16(a0, b0), xp));
            s2 = _mm256_add_epi32(s2, _mm256_madd_epi16(_mm256_unpacklo_epi16(a1, b1), xp));
            s3 = _mm256_add_epi32(s3, _mm256_madd_epi16(_mm256_unpackhi_epi16(a1, b1), xp));
        }
        // s0: channels 0-3 and 8-11, s1: 4-7 and 12-15 (likewise s2, s3 for 16-31).
        __m256i *out = (__m256i *)(acc + j);
        _mm256_storeu_si256(out, _mm256_add_epi32(_mm256_loadu_si256(out), _mm256_permute2x128_si256(s0, s1, 0x20)));
        _mm256_storeu_si256(out + 1, _mm256_add_epi32(_mm256_loadu_si256(out + 1), _mm256_permute2x128_si256(s0, s1, 0x31)));
        _mm256_storeu_si256(out + 2, _mm256_add_epi32(_mm256_loadu_si256(out + 2), _mm256_permute2x128_si256(s2, s3, 0x20)));
        _mm256_storeu_si256(out + 3, _mm256_add_epi32(_mm256_loadu_si256(out + 3), _mm256_permute2x128_si256(s2, s3, 0x31)));
    }
    if (j < n) gemv_i32_portable(acc + j, w + j, x, depth, n - j, stride);
}

// MARK: AVX-512

__attribute__((target("avx512f,avx512bw")))
static void gemv_f32_avx512(float *acc, const float *w, const float *x, ptrdiff_t depth, ptrdiff_t n, ptrdiff_t stride) {
    ptrdiff_t j = 0;
    for (; j + 64 <= n; j += 64) {
        __m512 a0 = _mm512_loadu_ps(acc + j), a1 = _mm512_loadu_ps(acc + j + 16);
        __m512 a2 = _mm512_loadu_ps(acc + j + 32), a3 = _mm512_loadu_ps(acc + j + 48);
        for (ptrdiff_t k = 0; k < depth; ++k) {
            const float *row = w + k * stride + j;
            const __m512 xv = _mm512_set1_ps(x[k]);
            a0 = _mm512_fmadd_ps(xv, _mm512_loadu_ps(row), a0);
            a1 = _mm512_fmadd_ps(xv, _mm512_loadu_ps(row + 16), a1);
            a2 = _mm512_fmadd_ps(xv, _mm512_loadu_ps(row + 32), a2);
            a3 = _mm512_fmadd_ps(xv, _mm512_loadu_ps(row + 48), a3);
        }
        _mm512_storeu_ps(acc + j, a0); _mm512_storeu_ps(acc + j + 16, a1);
        _mm512_storeu_ps(acc + j + 32, a2); _mm512_storeu_ps(acc + j + 48, a3);
    }
    for (; j + 16 <= n; j += 16) {
        __m512 a = _mm512_loadu_ps(acc + j);
        for (ptrdiff_t k = 0; k < depth; ++k) a = _mm512_fmadd_ps(_mm512_set1_ps(x[k]), _mm512_loadu_ps(w + k * stride + j), a);
        _mm512_storeu_ps(acc + j, a);
    }
    if (j < n) gemv_f32_avx2(acc + j, w + j, x, depth, n - j, stride);
}

__attribute__((target("avx512f,avx512bw")))
static void gemv_i32_avx512(int32_t *acc, const int16_t *w, const int32_t *x, ptrdiff_t depth, ptrdiff_t n, ptrdiff_t stride) {
    ptrdiff_t j = 0;
    for (; j + 64 <= n; j += 64) {
        __m512i s0 = _mm512_setzero_si512(), s1 = _mm512_setzero_si512();
        __m512i s2 = _mm512_setzero_si512(), s3 = _mm512_setzero_si512();
        for (ptrdiff_t k = 0; k < depth; k += 2) {
            const int16_t *r0 = w + k * stride + j;
            const uint32_t lo = (uint16_t)(int16_t)x[k];
            const uint32_t hi = k + 1 < depth ? (uint16_t)(int16_t)x[k + 1] : 0;
            const __m512i xp = _mm512_set1_epi32((int32_t)(lo | (hi << 16)));
            const __m512i a0 = _mm512_loadu_si512(r0), a1 = _mm512_loadu_si512(r0 + 32);
            __m512i b0 = _mm512_setzero_si512(), b1 = _mm512_setzero_si512();
            if (k + 1 < depth) {
                b0 = _mm512_loadu_si512(r0 + stride);
                b1 = _mm512_loadu_si512(r0 + stride + 32);
            }
            s0 = _mm512_add_epi32(s0, _mm512_madd_epi16(_mm512_unpacklo_epi16(a0, b0), xp));
            s1 = _mm512_add_epi32(s1, _mm512_madd_epi16(_mm512_unpackhi_epi16(a0, b0), xp));
            s2 = _mm512_add_epi32(s2, _mm512_madd_epi16(_mm512_unpacklo_epi16(a1, b1), xp));
            s3 = _mm512_add_epi32(s3, _mm512_madd_epi16(_mm512_unpackhi_epi16(a1, b1), xp));
        }
        // s0 holds channels 0-3, 8-11, 16-19, 24-27 (one group of four per 128-bit lane), s1
        // the groups in between; regroup lanes to restore channel order.
        const __m512i t0 = _mm512_shuffle_i64x2(s0, s1, _MM_SHUFFLE(1, 0, 1, 0));
        const __m512i t1 = _mm512_shuffle_i64x2(s0, s1, _MM_SHUFFLE(3, 2, 3, 2));
        const __m512i t2 = _mm512_shuffle_i64x2(s2, s3, _MM_SHUFFLE(1, 0, 1, 0));
        const __m512i t3 = _mm512_shuffle_i64x2(s2, s3, _MM_SHUFFLE(3, 2, 3, 2));
        int32_t *out = acc + j;
        _mm512_storeu_si512(out, _mm512_add_epi32(_mm512_loadu_si512(out), _mm512_shuffle_i64x2(t0, t0, _MM_SHUFFLE(3, 1, 2, 0))));
        _mm512_storeu_si512(out + 16, _mm512_add_epi32(_mm512_loadu_si512(out + 16), _mm512_shuffle_i64x2(t1, t1, _MM_SHUFFLE(3, 1, 2, 0))));
        _mm512_storeu_si512(out + 32, _mm512_add_epi32(_mm512_loadu_si512(out + 32), _mm512_shuffle_i64x2(t2, t2, _MM_SHUFFLE(3, 1, 2, 0))));
        _mm512_storeu_si512(out + 48, _mm512_add_epi32(_mm512_loadu_si512(out + 48), _mm512_shuffle_i64x2(t3, t3, _MM_SHUFFLE(3, 1, 2, 0))));
    }
    if (j < n) gemv_i32_avx2(acc + j, w + j, x, depth, n - j, stride);
}

// Four output pixels at once (a pointwise convolution's consecutive pixels): every pair of
// weight rows is loaded and interleaved once and used for all four, so the weights stream a
// quarter as often. acc[p * acc_stride + j] += sum_k x[p * x_stride + k] * w[k * stride + j].
__attribute__((target("avx512f,avx512bw")))
static void gemv4_i32_avx512(int32_t *acc, ptrdiff_t acc_stride, const int16_t *w, const int32_t *x, ptrdiff_t x_stride,
                             ptrdiff_t depth, ptrdiff_t n, ptrdiff_t stride) {
    ptrdiff_t j = 0;
    for (; j + 32 <= n; j += 32) {
        __m512i lo[4], hi[4];
        for (int p = 0; p < 4; ++p) { lo[p] = _mm512_setzero_si512(); hi[p] = _mm512_setzero_si512(); }
        for (ptrdiff_t k = 0; k < depth; k += 2) {
            const int16_t *r0 = w + k * stride + j;
            const __m512i a = _mm512_loadu_si512(r0);
            const __m512i b = k + 1 < depth ? _mm512_loadu_si512(r0 + stride) : _mm512_setzero_si512();
            const __m512i l = _mm512_unpacklo_epi16(a, b), h = _mm512_unpackhi_epi16(a, b);
            for (int p = 0; p < 4; ++p) {
                const int32_t *xp = x + p * x_stride;
                const uint32_t x0 = (uint16_t)(int16_t)xp[k];
                const uint32_t x1 = k + 1 < depth ? (uint16_t)(int16_t)xp[k + 1] : 0;
                const __m512i pair = _mm512_set1_epi32((int32_t)(x0 | (x1 << 16)));
                lo[p] = _mm512_add_epi32(lo[p], _mm512_madd_epi16(l, pair));
                hi[p] = _mm512_add_epi32(hi[p], _mm512_madd_epi16(h, pair));
            }
        }
        for (int p = 0; p < 4; ++p) {
            const __m512i t0 = _mm512_shuffle_i64x2(lo[p], hi[p], _MM_SHUFFLE(1, 0, 1, 0));
            const __m512i t1 = _mm512_shuffle_i64x2(lo[p], hi[p], _MM_SHUFFLE(3, 2, 3, 2));
            int32_t *out = acc + p * acc_stride + j;
            _mm512_storeu_si512(out, _mm512_add_epi32(_mm512_loadu_si512(out), _mm512_shuffle_i64x2(t0, t0, _MM_SHUFFLE(3, 1, 2, 0))));
            _mm512_storeu_si512(out + 16, _mm512_add_epi32(_mm512_loadu_si512(out + 16), _mm512_shuffle_i64x2(t1, t1, _MM_SHUFFLE(3, 1, 2, 0))));
        }
    }
    if (j < n)
        for (int p = 0; p < 4; ++p) gemv_i32_avx2(acc + p * acc_stride + j, w + j, x + p * x_stride, depth, n - j, stride);
}

__attribute__((target("avx2")))
static void gemv4_i32_avx2(int32_t *acc, ptrdiff_t acc_stride, const int16_t *w, const int32_t *x, ptrdiff_t x_stride,
                           ptrdiff_t depth, ptrdiff_t n, ptrdiff_t stride) {
    ptrdiff_t j = 0;
    for (; j + 16 <= n; j += 16) {
        __m256i lo[4], hi[4];
        for (int p = 0; p < 4; ++p) { lo[p] = _mm256_setzero_si256(); hi[p] = _mm256_setzero_si256(); }
        for (ptrdiff_t k = 0; k < depth; k += 2) {
            const int16_t *r0 = w + k * stride + j;
            const __m256i a = _mm256_loadu_si256((const __m256i *)r0);
            const __m256i b = k + 1 < depth ? _mm256_loadu_si256((const __m256i *)(r0 + stride)) : _mm256_setzero_si256();
            const __m256i l = _mm256_unpacklo_epi16(a, b), h = _mm256_unpackhi_epi16(a, b);
            for (int p = 0; p < 4; ++p) {
                const __m256i pair = pair_avx2(x + p * x_stride, k, depth);
                lo[p] = _mm256_add_epi32(lo[p], _mm256_madd_epi16(l, pair));
                hi[p] = _mm256_add_epi32(hi[p], _mm256_madd_epi16(h, pair));
            }
        }
        for (int p = 0; p < 4; ++p) {
            __m256i *out = (__m256i *)(acc + p * acc_stride + j);
            _mm256_storeu_si256(out, _mm256_add_epi32(_mm256_loadu_si256(out), _mm256_permute2x128_si256(lo[p], hi[p], 0x20)));
            _mm256_storeu_si256(out + 1, _mm256_add_epi32(_mm256_loadu_si256(out + 1), _mm256_permute2x128_si256(lo[p], hi[p], 0x31)));
        }
    }
    if (j < n)
        for (int p = 0; p < 4; ++p) gemv_i32_portable(acc + p * acc_stride + j, w + j, x + p * x_stride, depth, n - j, stride);
}

__attribute__((target("avx512f,avx512bw")))
static void gemv4_f32_avx512(float *acc, ptrdiff_t acc_stride, const float *w, const float *x, ptrdiff_t x_stride,
                             ptrdiff_t depth, ptrdiff_t n, ptrdiff_t stride) {
    ptrdiff_t j = 0;
    for (; j + 32 <= n; j += 32) {
        __m512 a[4][2];
        for (int p = 0; p < 4; ++p) {
            a[p][0] = _mm512_loadu_ps(acc + p * acc_stride + j);
            a[p][1] = _mm512_loadu_ps(acc + p * acc_stride + j + 16);
        }
        for (ptrdiff_t k = 0; k < depth; ++k) {
            const float *row = w + k * stride + j;
            const __m512 w0 = _mm512_loadu_ps(row), w1 = _mm512_loadu_ps(row + 16);
            for (int p = 0; p < 4; ++p) {
                const __m512 xv = _mm512_set1_ps(x[p * x_stride + k]);
                a[p][0] = _mm512_fmadd_ps(xv, w0, a[p][0]);
                a[p][1] = _mm512_fmadd_ps(xv, w1, a[p][1]);
            }
        }
        for (int p = 0; p < 4; ++p) {
            _mm512_storeu_ps(acc + p * acc_stride + j, a[p][0]);
            _mm512_storeu_ps(acc + p * acc_stride + j + 16, a[p][1]);
        }
    }
    if (j < n)
        for (int p = 0; p < 4; ++p) gemv_f32_avx2(acc + p * acc_stride + j, w + j, x + p * x_stride, depth, n - j, stride);
}

__attribute__((target("avx2,fma")))
static void gemv4_f32_avx2(float *acc, ptrdiff_t acc_stride, const float *w, const float *x, ptrdiff_t x_stride,
                           ptrdiff_t depth, ptrdiff_t n, ptrdiff_t stride) {
    ptrdiff_t j = 0;
    for (; j + 16 <= n; j += 16) {
        __m256 a[4][2];
        for (int p = 0; p < 4; ++p) {
            a[p][0] = _mm256_loadu_ps(acc + p * acc_stride + j);
            a[p][1] = _mm256_loadu_ps(acc + p * acc_stride + j + 8);
        }
        for (ptrdiff_t k = 0; k < depth; ++k) {
            const float *row = w + k * stride + j;
            const __m256 w0 = _mm256_loadu_ps(row), w1 = _mm256_loadu_ps(row + 8);
            for (int p = 0; p < 4; ++p) {
                const __m256 xv = _mm256_set1_ps(x[p * x_stride + k]);
                a[p][0] = _mm256_fmadd_ps(xv, w0, a[p][0]);
                a[p][1] = _mm256_fmadd_ps(xv, w1, a[p][1]);
            }
        }
        for (int p = 0; p < 4; ++p) {
            _mm256_storeu_ps(acc + p * acc_stride + j, a[p][0]);
            _mm256_storeu_ps(acc + p * acc_stride + j + 8, a[p][1]);
        }
    }
    if (j < n)
        for (int p = 0; p < 4; ++p) gemv_f32_portable(acc + p * acc_stride + j, w + j, x + p * x_stride, depth, n - j, stride);
}

#endif

#if defined(__aarch64__)
#include <arm_neon.h>
#include <math.h>

// MARK: NEON
//
// Float: each accumulator takes fmla in k order, the tail fmaf, as clang compiles the portable
// loop's `acc += x · w` on AArch64 (contracted to one fused multiply-add). Integer: the int16
// weights widened, multiplied by the int32 inputs in 32-bit lanes (mla wraps as the portable sums
// do, for any input).

static void gemv_f32_neon(float *acc, const float *w, const float *x, ptrdiff_t depth, ptrdiff_t n, ptrdiff_t stride) {
    ptrdiff_t j = 0;
    for (; j + 16 <= n; j += 16) {
        float32x4_t a[4];
        for (int i = 0; i < 4; ++i) a[i] = vld1q_f32(acc + j + 4 * i);
        for (ptrdiff_t k = 0; k < depth; ++k) {
            const float *row = w + k * stride + j;
            for (int i = 0; i < 4; ++i) a[i] = vfmaq_n_f32(a[i], vld1q_f32(row + 4 * i), x[k]);
        }
        for (int i = 0; i < 4; ++i) vst1q_f32(acc + j + 4 * i, a[i]);
    }
    for (; j + 4 <= n; j += 4) {
        float32x4_t a = vld1q_f32(acc + j);
        for (ptrdiff_t k = 0; k < depth; ++k) a = vfmaq_n_f32(a, vld1q_f32(w + k * stride + j), x[k]);
        vst1q_f32(acc + j, a);
    }
    for (; j < n; ++j) {
        float a = acc[j];
        for (ptrdiff_t k = 0; k < depth; ++k) a = fmaf(x[k], w[k * stride + j], a);
        acc[j] = a;
    }
}

static void gemv_i32_neon(int32_t *acc, const int16_t *w, const int32_t *x, ptrdiff_t depth, ptrdiff_t n, ptrdiff_t stride) {
    ptrdiff_t j = 0;
    for (; j + 16 <= n; j += 16) {
        int32x4_t a[4];
        for (int i = 0; i < 4; ++i) a[i] = vld1q_s32(acc + j + 4 * i);
        for (ptrdiff_t k = 0; k < depth; ++k) {
            const int16_t *row = w + k * stride + j;
            const int16x8_t w0 = vld1q_s16(row), w1 = vld1q_s16(row + 8);
            a[0] = vmlaq_n_s32(a[0], vmovl_s16(vget_low_s16(w0)), x[k]);
            a[1] = vmlaq_n_s32(a[1], vmovl_high_s16(w0), x[k]);
            a[2] = vmlaq_n_s32(a[2], vmovl_s16(vget_low_s16(w1)), x[k]);
            a[3] = vmlaq_n_s32(a[3], vmovl_high_s16(w1), x[k]);
        }
        for (int i = 0; i < 4; ++i) vst1q_s32(acc + j + 4 * i, a[i]);
    }
    if (j < n) gemv_i32_portable(acc + j, w + j, x, depth, n - j, stride);
}

// Four inputs at once: each block of weights loaded once for all four.
static void gemv4_f32_neon(float *acc, ptrdiff_t acc_stride, const float *w, const float *x, ptrdiff_t x_stride,
                           ptrdiff_t depth, ptrdiff_t n, ptrdiff_t stride) {
    ptrdiff_t j = 0;
    for (; j + 8 <= n; j += 8) {
        float32x4_t a[4][2];
        for (int p = 0; p < 4; ++p) a[p][0] = vld1q_f32(acc + p * acc_stride + j), a[p][1] = vld1q_f32(acc + p * acc_stride + j + 4);
        for (ptrdiff_t k = 0; k < depth; ++k) {
            const float32x4_t w0 = vld1q_f32(w + k * stride + j), w1 = vld1q_f32(w + k * stride + j + 4);
            for (int p = 0; p < 4; ++p) {
                const float xv = x[p * x_stride + k];
                a[p][0] = vfmaq_n_f32(a[p][0], w0, xv);
                a[p][1] = vfmaq_n_f32(a[p][1], w1, xv);
            }
        }
        for (int p = 0; p < 4; ++p) vst1q_f32(acc + p * acc_stride + j, a[p][0]), vst1q_f32(acc + p * acc_stride + j + 4, a[p][1]);
    }
    if (j < n)
        for (int p = 0; p < 4; ++p) gemv_f32_neon(acc + p * acc_stride + j, w + j, x + p * x_stride, depth, n - j, stride);
}

static void gemv4_i32_neon(int32_t *acc, ptrdiff_t acc_stride, const int16_t *w, const int32_t *x, ptrdiff_t x_stride,
                           ptrdiff_t depth, ptrdiff_t n, ptrdiff_t stride) {
    ptrdiff_t j = 0;
    for (; j + 8 <= n; j += 8) {
        int32x4_t a[4][2];
        for (int p = 0; p < 4; ++p) a[p][0] = vld1q_s32(acc + p * acc_stride + j), a[p][1] = vld1q_s32(acc + p * acc_stride + j + 4);
        for (ptrdiff_t k = 0; k < depth; ++k) {
            const int16x8_t wv = vld1q_s16(w + k * stride + j);
            const int32x4_t w0 = vmovl_s16(vget_low_s16(wv)), w1 = vmovl_high_s16(wv);
            for (int p = 0; p < 4; ++p) {
                const int32_t xv = x[p * x_stride + k];
                a[p][0] = vmlaq_n_s32(a[p][0], w0, xv);
                a[p][1] = vmlaq_n_s32(a[p][1], w1, xv);
            }
        }
        for (int p = 0; p < 4; ++p) vst1q_s32(acc + p * acc_stride + j, a[p][0]), vst1q_s32(acc + p * acc_stride + j + 4, a[p][1]);
    }
    if (j < n)
        for (int p = 0; p < 4; ++p) gemv_i32_portable(acc + p * acc_stride + j, w + j, x + p * x_stride, depth, n - j, stride);
}
#endif

static void gemv4_f32_portable(float *acc, ptrdiff_t acc_stride, const float *w, const float *x, ptrdiff_t x_stride,
                               ptrdiff_t depth, ptrdiff_t n, ptrdiff_t stride) {
    for (int p = 0; p < 4; ++p) gemv_f32_portable(acc + p * acc_stride, w, x + p * x_stride, depth, n, stride);
}

static void gemv4_i32_portable(int32_t *acc, ptrdiff_t acc_stride, const int16_t *w, const int32_t *x, ptrdiff_t x_stride,
                               ptrdiff_t depth, ptrdiff_t n, ptrdiff_t stride) {
    for (int p = 0; p < 4; ++p) gemv_i32_portable(acc + p * acc_stride, w, x + p * x_stride, depth, n, stride);
}

void tfl_select_gemv(tfl_kernels *k, const tfl_cpu_features *f) {
    k->gemv_f32 = gemv_f32_portable;
    k->gemv_i32 = gemv_i32_portable;
    k->gemv4_f32 = gemv4_f32_portable;
    k->gemv4_i32 = gemv4_i32_portable;
#if defined(__x86_64__) || defined(__i386__)
    if (f->avx512) {
        k->gemv_f32 = gemv_f32_avx512;
        k->gemv_i32 = gemv_i32_avx512;
        k->gemv4_f32 = gemv4_f32_avx512;
        k->gemv4_i32 = gemv4_i32_avx512;
    } else if (f->avx2_fma) {
        k->gemv_f32 = gemv_f32_avx2;
        k->gemv_i32 = gemv_i32_avx2;
        k->gemv4_f32 = gemv4_f32_avx2;
        k->gemv4_i32 = gemv4_i32_avx2;
    }
#elif defined(__aarch64__)
    if (f->neon) {
        k->gemv_f32 = gemv_f32_neon;
        k->gemv_i32 = gemv_i32_neon;
        k->gemv4_f32 = gemv4_f32_neon;
        k->gemv4_i32 = gemv4_i32_neon;
    }
#else
    (void)f;
#endif
}

void tfl_gemv_f32(float *acc, const float *w, const float *x, ptrdiff_t depth, ptrdiff_t n, ptrdiff_t stride) {
    tfl_kernels_current()->gemv_f32(acc, w, x, depth, n, stride);
}

void tfl_gemv4_f32(float *acc, ptrdiff_t acc_stride, const float *w, const float *x, ptrdiff_t x_stride,
                   ptrdiff_t depth, ptrdiff_t n, ptrdiff_t stride) {
    tfl_kernels_current()->gemv4_f32(acc, acc_stride, w, x, x_stride, depth, n, stride);
}

void tfl_gemv4_i32(int32_t *acc, ptrdiff_t acc_stride, const int16_t *w, const int32_t *x, ptrdiff_t x_stride,
                   ptrdiff_t depth, ptrdiff_t n, ptrdiff_t stride) {
    tfl_kernels_current()->gemv4_i32(acc, acc_stride, w, x, x_stride, depth, n, stride);
}

void tfl_gemv_i32(int32_t *acc, const int16_t *w, const int32_t *x, ptrdiff_t depth, ptrdiff_t n, ptrdiff_t stride) {
    tfl_kernels_current()->gemv_i32(acc, w, x, depth, n, stride);
}
