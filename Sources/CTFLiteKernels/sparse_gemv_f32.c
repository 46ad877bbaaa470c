// Float32 FULLY_CONNECTED (and 1 × 1 convolutions) on one row with mostly-zero constant weights:
// a sparse matrix-vector product vectorized over output channels. The weights are encoded per
// group of 16 output channels as `steps` rows of 16 lanes (`group_starts[g] ..< group_starts[g + 1]`):
// step s holds, in lane c, channel 16g + c's s-th nonzero weight and its input channel, or, past
// that channel's last nonzero weight, weight 0 at input channel 0. Each step gathers the 16 inputs
// and adds their products with one fused multiply-add per lane, so every channel's sum runs from
// zero in input-channel order over its nonzero weights, then the bias is added and the result
// clamped: tfl_gemm_f32's numbers wherever the input is finite (a zero weight, skipped here or added
// as padding, adds ±0 to a sum that is never −0).
#include <math.h>
#include <string.h>

#include "dispatch.h"

enum { LANES = TFL_SPARSE_GEMV_LANES };

ptrdiff_t tfl_sparse_gemv_f32_steps(const float *w, ptrdiff_t n, ptrdiff_t depth) {
    ptrdiff_t steps = 0;
    for (ptrdiff_t g = 0; g * LANES < n; ++g) {
        ptrdiff_t most = 0;
        for (ptrdiff_t j = g * LANES; j < n && j < (g + 1) * LANES; ++j) {
            ptrdiff_t count = 0;
            for (ptrdiff_t k = 0; k < depth; ++k) count += w[j * depth + k] != 0;
            if (count > most) most = count;
        }
        steps += most;
    }
    return steps;
}

void tfl_sparse_gemv_f32_encode(const float *w, ptrdiff_t n, ptrdiff_t depth, int32_t *group_starts, int32_t *index, float *values) {
    int32_t next = 0;
    ptrdiff_t g = 0;
    for (; g * LANES < n; ++g) {
        group_starts[g] = next;
        ptrdiff_t most = 0;
        for (ptrdiff_t c = 0; c < LANES; ++c) {
            const ptrdiff_t j = g * LANES + c;
            ptrdiff_t s = 0;
            if (j < n)
                for (ptrdiff_t k = 0; k < depth; ++k) {
                    const float v = w[j * depth + k];
                    if (v == 0) continue;
                    index[(next + s) * LANES + c] = (int32_t)k;
                    values[(next + s) * LANES + c] = v;
                    ++s;
                }
            // The lane's padding up to the group's steps comes below, once they are known.
            if (s > most) most = s;
        }
        for (ptrdiff_t c = 0; c < LANES; ++c) {
            const ptrdiff_t j = g * LANES + c;
            ptrdiff_t count = 0;
            if (j < n)
                for (ptrdiff_t k = 0; k < depth; ++k) count += w[j * depth + k] != 0;
            for (ptrdiff_t s = count; s < most; ++s) {
                index[(next + s) * LANES + c] = 0;
                values[(next + s) * LANES + c] = 0;
            }
        }
        next += (int32_t)most;
    }
    group_starts[g] = next;
}

static inline float clamp(float v, float lo, float hi) {
    v = lo >= v ? lo : v;
    return hi < v ? hi : v;
}

static void gemv_portable(float *out, const float *x, const int32_t *group_starts, const int32_t *index, const float *values,
                          ptrdiff_t n, const float *bias, float lo, float hi) {
    for (ptrdiff_t g = 0; g * LANES < n; ++g)
        for (ptrdiff_t c = 0; c < LANES && g * LANES + c < n; ++c) {
            float sum = 0;
            for (int32_t s = group_starts[g]; s < group_starts[g + 1]; ++s)
                sum = fmaf(x[index[s * LANES + c]], values[s * LANES + c], sum);
            const ptrdiff_t j = g * LANES + c;
            if (bias) sum += bias[j];
            out[j] = clamp(sum, lo, hi);
        }
}

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

__attribute__((target("avx512f,avx512bw,avx512dq,avx512vl")))
static void gemv_avx512(float *out, const float *x, const int32_t *group_starts, const int32_t *index, const float *values,
                        ptrdiff_t n, const float *bias, float lo, float hi) {
    const __m512 low = _mm512_set1_ps(lo), high = _mm512_set1_ps(hi);
    for (ptrdiff_t g = 0; g * LANES < n; ++g) {
        __m512 sum = _mm512_setzero_ps();
        for (int32_t s = group_starts[g]; s < group_starts[g + 1]; ++s) {
            const __m512i k = _mm512_loadu_si512(index + (ptrdiff_t)s * LANES);
            sum = _mm512_fmadd_ps(_mm512_i32gather_ps(k, x, 4), _mm512_loadu_ps(values + (ptrdiff_t)s * LANES), sum);
        }
        const ptrdiff_t count = n - g * LANES < LANES ? n - g * LANES : LANES;
        const __mmask16 mask = (__mmask16)((1u << count) - 1);
        if (bias) sum = _mm512_add_ps(sum, _mm512_maskz_loadu_ps(mask, bias + g * LANES));
        // lo >= v ? lo : v, then hi < v ? hi : v (NaN passes through as the scalar clamp does).
        sum = _mm512_mask_blend_ps(_mm512_cmp_ps_mask(low, sum, _CMP_GE_OQ), sum, low);
        sum = _mm512_mask_blend_ps(_mm512_cmp_ps_mask(high, sum, _CMP_LT_OQ), sum, high);
        _mm512_mask_storeu_ps(out + g * LANES, mask, sum);
    }
}

__attribute__((target("avx2,fma")))
static void gemv_avx2(float *out, const float *x, const int32_t *group_starts, const int32_t *index, const float *values,
                      ptrdiff_t n, const float *bias, float lo, float hi) {
    const __m256 low = _mm256_set1_ps(lo), high = _mm256_set1_ps(hi);
    const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    for (ptrdiff_t g = 0; g * LANES < n; ++g) {
        __m256 a = _mm256_setzero_ps(), b = _mm256_setzero_ps();
        for (int32_t s = group_starts[g]; s < group_starts[g + 1]; ++s) {
            const int32_t *k = index + (ptrdiff_t)s * LANES;
            const float *v = values + (ptrdiff_t)s * LANES;
            a = _mm256_fmadd_ps(_mm256_i32gather_ps(x, _mm256_loadu_si256((const __m256i *)k), 4), _mm256_loadu_ps(v), a);
            b = _mm256_fmadd_ps(_mm256_i32gather_ps(x, _mm256_loadu_si256((const __m256i *)(k + 8)), 4), _mm256_loadu_ps(v + 8), b);
        }
        for (int half = 0; half < 2; ++half) {
            const ptrdiff_t first = g * LANES + half * 8;
            const ptrdiff_t count = n - first < 8 ? n - first : 8;
            if (count <= 0) break;
            const __m256i mask = _mm256_cmpgt_epi32(_mm256_set1_epi32((int)count), lanes);
            __m256 sum = half ? b : a;
            if (bias) sum = _mm256_add_ps(sum, _mm256_maskload_ps(bias + first, mask));
            sum = _mm256_blendv_ps(sum, low, _mm256_cmp_ps(low, sum, _CMP_GE_OQ));
            sum = _mm256_blendv_ps(sum, high, _mm256_cmp_ps(high, sum, _CMP_LT_OQ));
            _mm256_maskstore_ps(out + first, mask, sum);
        }
    }
}
#endif

#if defined(__aarch64__)
#include <arm_neon.h>

// Four vectors of four lanes; the inputs are loaded lane by lane (AArch64 has no gather).
static void gemv_neon(float *out, const float *x, const int32_t *group_starts, const int32_t *index, const float *values,
                      ptrdiff_t n, const float *bias, float lo, float hi) {
    const float32x4_t low = vdupq_n_f32(lo), high = vdupq_n_f32(hi);
    for (ptrdiff_t g = 0; g * LANES < n; ++g) {
        float32x4_t sum[4] = {vdupq_n_f32(0), vdupq_n_f32(0), vdupq_n_f32(0), vdupq_n_f32(0)};
        for (int32_t s = group_starts[g]; s < group_starts[g + 1]; ++s) {
            const int32_t *k = index + (ptrdiff_t)s * LANES;
            const float *v = values + (ptrdiff_t)s * LANES;
            for (int q = 0; q < 4; ++q) {
                float32x4_t xs = vdupq_n_f32(x[k[4 * q]]);
                xs = vsetq_lane_f32(x[k[4 * q + 1]], xs, 1);
                xs = vsetq_lane_f32(x[k[4 * q + 2]], xs, 2);
                xs = vsetq_lane_f32(x[k[4 * q + 3]], xs, 3);
                sum[q] = vfmaq_f32(sum[q], xs, vld1q_f32(v + 4 * q));
            }
        }
        for (int q = 0; q < 4; ++q) {
            float lanes[4];
            float32x4_t v = sum[q];
            const ptrdiff_t first = g * LANES + 4 * q;
            if (first >= n) break;
            if (bias) {
                float b[4] = {0, 0, 0, 0};
                for (int i = 0; i < 4 && first + i < n; ++i) b[i] = bias[first + i];
                v = vaddq_f32(v, vld1q_f32(b));
            }
            v = vbslq_f32(vcgeq_f32(low, v), low, v);
            v = vbslq_f32(vcltq_f32(high, v), high, v);
            vst1q_f32(lanes, v);
            for (int i = 0; i < 4 && first + i < n; ++i) out[first + i] = lanes[i];
        }
    }
}
#endif

void tfl_select_sparse_gemv(tfl_kernels *k, const tfl_cpu_features *f) {
    k->sparse_gemv_f32 = gemv_portable;
#if defined(__x86_64__) || defined(__i386__)
    if (f->avx512) {
        k->sparse_gemv_f32 = gemv_avx512;
    } else if (f->avx2_fma) {
        k->sparse_gemv_f32 = gemv_avx2;
    }
#elif defined(__aarch64__)
    if (f->neon) k->sparse_gemv_f32 = gemv_neon;
#else
    (void)f;
#endif
}

void tfl_sparse_gemv_f32(float *out, const float *x, const int32_t *group_starts, const int32_t *index, const float *values,
                         ptrdiff_t n, const float *bias, float lo, float hi) {
    tfl_kernels_current()->sparse_gemv_f32(out, x, group_starts, index, values, n, bias, lo, hi);
}
