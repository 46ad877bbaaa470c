// Float32 FULLY_CONNECTED (and 1 × 1 convolutions) on one row with mostly-zero constant weights:
// a sparse matrix-vector product vectorized over output channels. The weights are encoded per
// group of 16 output channels as entries of 16 lanes (`group_starts[g] ..< group_starts[g + 1]`),
// lane c serving channel 16g + c, in one of two layouts:
//
// - runs of 1 (TFL_SPARSE_GEMV_SINGLES): entry e holds in lane c the channel's next nonzero
//   weight and its input channel. Each entry gathers the 16 inputs.
// - runs of 4 (TFL_SPARSE_GEMV_QUADS): entry e holds in lane c an input channel k0 and the
//   weights of k0 ... k0 + 3, covering the channel's next nonzero weights (zeros in between
//   included). Each entry loads four consecutive inputs per lane (16-byte loads) and transposes
//   them, about twice as fast per input as a gather: the layout for weights whose nonzeros come
//   in runs, such as the converter's 1 × 4 blocks.
//
// A lane with fewer entries than its group's most is padded with weight 0 at input channel 0. Each
// channel's sum runs from zero in input-channel order by one fused multiply-add per weight, then
// the bias is added and the result clamped: tfl_gemm_f32's numbers wherever the input is finite
// (a zero weight, skipped here or added, adds ±0, which leaves the sum alone unless it is −0:
// only a product that underflows to zero makes one, and only the sign of that zero can differ).
#include <math.h>
#include <string.h>

#include "clamp.h"
#include "dispatch.h"

enum { LANES = TFL_SPARSE_GEMV_LANES };

// Input channel of the entry of `run` weights that covers channel row `w`'s nonzero weight at k:
// k itself, or depth − run when that runs past the row (the entry then repeats weights the
// previous one covered as zeros).
static inline ptrdiff_t run_start(ptrdiff_t k, ptrdiff_t depth, int run) { return k + run <= depth ? k : depth - run; }

// Entries lane `row` (depth weights) needs in runs of `run`; with `index`/`values` (not NULL),
// also writes them to lane c of entries first, first + 1, ... (values run-major per entry).
static ptrdiff_t lane_entries(const float *row, ptrdiff_t depth, int run, int32_t *index, float *values, ptrdiff_t first,
                              ptrdiff_t c) {
    ptrdiff_t entries = 0, covered = 0;  // input channels below `covered` are done
    for (ptrdiff_t k = 0; k < depth; ++k) {
        if (row[k] == 0 || k < covered) continue;
        const ptrdiff_t start = run_start(k, depth, run);
        if (index) {
            const ptrdiff_t e = first + entries;
            index[e * LANES + c] = (int32_t)start;
            for (int i = 0; i < run; ++i)
                values[(e * run + i) * LANES + c] = start + i >= covered ? row[start + i] : 0;
        }
        covered = start + run;
        ++entries;
    }
    return entries;
}

ptrdiff_t tfl_sparse_gemv_f32_steps(const float *w, ptrdiff_t n, ptrdiff_t depth, int run) {
    if (depth < run) return 0;
    ptrdiff_t steps = 0;
    for (ptrdiff_t g = 0; g * LANES < n; ++g) {
        ptrdiff_t most = 0;
        for (ptrdiff_t j = g * LANES; j < n && j < (g + 1) * LANES; ++j) {
            const ptrdiff_t count = lane_entries(w + j * depth, depth, run, NULL, NULL, 0, 0);
            if (count > most) most = count;
        }
        steps += most;
    }
    return steps;
}

void tfl_sparse_gemv_f32_encode(const float *w, ptrdiff_t n, ptrdiff_t depth, int run, int32_t *group_starts, int32_t *index,
                                float *values) {
    int32_t next = 0;
    ptrdiff_t g = 0;
    for (; g * LANES < n; ++g) {
        group_starts[g] = next;
        ptrdiff_t counts[LANES], most = 0;
        for (ptrdiff_t c = 0; c < LANES; ++c) {
            const ptrdiff_t j = g * LANES + c;
            counts[c] = j < n ? lane_entries(w + j * depth, depth, run, index, values, next, c) : 0;
            if (counts[c] > most) most = counts[c];
        }
        for (ptrdiff_t c = 0; c < LANES; ++c)
            for (ptrdiff_t e = next + counts[c]; e < next + most; ++e) {
                index[e * LANES + c] = 0;
                for (int i = 0; i < run; ++i) values[(e * run + i) * LANES + c] = 0;
            }
        next += (int32_t)most;
    }
    group_starts[g] = next;
}

static void gemv_portable(float *out, const float *x, int run, const int32_t *group_starts, const int32_t *index,
                          const float *values, ptrdiff_t n, const float *bias, float lo, float hi) {
    for (ptrdiff_t g = 0; g * LANES < n; ++g)
        for (ptrdiff_t c = 0; c < LANES && g * LANES + c < n; ++c) {
            float sum = 0;
            for (ptrdiff_t e = group_starts[g]; e < group_starts[g + 1]; ++e)
                for (int i = 0; i < run; ++i) sum = fmaf(x[index[e * LANES + c] + i], values[(e * run + i) * LANES + c], sum);
            const ptrdiff_t j = g * LANES + c;
            if (bias) sum += bias[j];
            out[j] = tfl_clampf(sum, lo, hi);
        }
}

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#define TFL_TARGET_AVX512 __attribute__((target("avx512f,avx512bw,avx512dq,avx512vl")))

// The 16 lanes' four consecutive inputs x[k0 + i] as four vectors (i = 0 ... 3): z[m] holds the
// 16-byte runs of lanes m, 4 + m, 8 + m and 12 + m in its four 128-bit lanes, so a 4 × 4
// transpose within each 128-bit lane leaves lane 4L + m of vector i holding lane 4L + m's x[k0 + i].
TFL_TARGET_AVX512 __attribute__((always_inline))
static inline void quad_inputs(const float *x, const int32_t *k, __m512 *t) {
    __m512 z[4];
    for (int m = 0; m < 4; ++m) {
        __m512 v = _mm512_castps128_ps512(_mm_loadu_ps(x + k[m]));
        v = _mm512_insertf32x4(v, _mm_loadu_ps(x + k[4 + m]), 1);
        v = _mm512_insertf32x4(v, _mm_loadu_ps(x + k[8 + m]), 2);
        z[m] = _mm512_insertf32x4(v, _mm_loadu_ps(x + k[12 + m]), 3);
    }
    const __m512 t0 = _mm512_unpacklo_ps(z[0], z[1]), t1 = _mm512_unpackhi_ps(z[0], z[1]);
    const __m512 t2 = _mm512_unpacklo_ps(z[2], z[3]), t3 = _mm512_unpackhi_ps(z[2], z[3]);
    t[0] = _mm512_shuffle_ps(t0, t2, 0x44);
    t[1] = _mm512_shuffle_ps(t0, t2, 0xEE);
    t[2] = _mm512_shuffle_ps(t1, t3, 0x44);
    t[3] = _mm512_shuffle_ps(t1, t3, 0xEE);
}

TFL_TARGET_AVX512
static void gemv_avx512(float *out, const float *x, int run, const int32_t *group_starts, const int32_t *index,
                        const float *values, ptrdiff_t n, const float *bias, float lo, float hi) {
    const __m512 low = _mm512_set1_ps(lo), high = _mm512_set1_ps(hi);
    for (ptrdiff_t g = 0; g * LANES < n; ++g) {
        __m512 sum = _mm512_setzero_ps();
        if (run == TFL_SPARSE_GEMV_QUADS) {
            for (ptrdiff_t e = group_starts[g]; e < group_starts[g + 1]; ++e) {
                __m512 t[4];
                quad_inputs(x, index + e * LANES, t);
                const float *v = values + e * 4 * LANES;
                for (int i = 0; i < 4; ++i) sum = _mm512_fmadd_ps(t[i], _mm512_loadu_ps(v + i * LANES), sum);
            }
        } else {
            for (ptrdiff_t e = group_starts[g]; e < group_starts[g + 1]; ++e) {
                const __m512i k = _mm512_loadu_si512(index + e * LANES);
                sum = _mm512_fmadd_ps(_mm512_i32gather_ps(k, x, 4), _mm512_loadu_ps(values + e * LANES), sum);
            }
        }
        const ptrdiff_t count = n - g * LANES < LANES ? n - g * LANES : LANES;
        const __mmask16 mask = (__mmask16)((1u << count) - 1);
        if (bias) sum = _mm512_add_ps(sum, _mm512_maskz_loadu_ps(mask, bias + g * LANES));
        _mm512_mask_storeu_ps(out + g * LANES, mask, tfl_clamp_ps512(sum, low, high));
    }
}

// quad_inputs for lanes h ... h + 7 (h = 0 or 8) in 256-bit vectors: z[m] holds lanes h + m and
// h + 4 + m.
__attribute__((target("avx2,fma"), always_inline))
static inline void quad_inputs_avx2(const float *x, const int32_t *k, __m256 *t) {
    __m256 z[4];
    for (int m = 0; m < 4; ++m)
        z[m] = _mm256_insertf128_ps(_mm256_castps128_ps256(_mm_loadu_ps(x + k[m])), _mm_loadu_ps(x + k[4 + m]), 1);
    const __m256 t0 = _mm256_unpacklo_ps(z[0], z[1]), t1 = _mm256_unpackhi_ps(z[0], z[1]);
    const __m256 t2 = _mm256_unpacklo_ps(z[2], z[3]), t3 = _mm256_unpackhi_ps(z[2], z[3]);
    t[0] = _mm256_shuffle_ps(t0, t2, 0x44);
    t[1] = _mm256_shuffle_ps(t0, t2, 0xEE);
    t[2] = _mm256_shuffle_ps(t1, t3, 0x44);
    t[3] = _mm256_shuffle_ps(t1, t3, 0xEE);
}

__attribute__((target("avx2,fma")))
static void gemv_avx2(float *out, const float *x, int run, const int32_t *group_starts, const int32_t *index,
                      const float *values, ptrdiff_t n, const float *bias, float lo, float hi) {
    const __m256 low = _mm256_set1_ps(lo), high = _mm256_set1_ps(hi);
    const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    for (ptrdiff_t g = 0; g * LANES < n; ++g) {
        __m256 a = _mm256_setzero_ps(), b = _mm256_setzero_ps();
        for (ptrdiff_t e = group_starts[g]; e < group_starts[g + 1]; ++e) {
            const int32_t *k = index + e * LANES;
            if (run == TFL_SPARSE_GEMV_QUADS) {
                __m256 ta[4], tb[4];
                quad_inputs_avx2(x, k, ta);
                quad_inputs_avx2(x, k + 8, tb);
                const float *v = values + e * 4 * LANES;
                for (int i = 0; i < 4; ++i) {
                    a = _mm256_fmadd_ps(ta[i], _mm256_loadu_ps(v + i * LANES), a);
                    b = _mm256_fmadd_ps(tb[i], _mm256_loadu_ps(v + i * LANES + 8), b);
                }
            } else {
                const float *v = values + e * LANES;
                a = _mm256_fmadd_ps(_mm256_i32gather_ps(x, _mm256_loadu_si256((const __m256i *)k), 4), _mm256_loadu_ps(v), a);
                b = _mm256_fmadd_ps(_mm256_i32gather_ps(x, _mm256_loadu_si256((const __m256i *)(k + 8)), 4), _mm256_loadu_ps(v + 8), b);
            }
        }
        for (int half = 0; half < 2; ++half) {
            const ptrdiff_t first = g * LANES + half * 8;
            const ptrdiff_t count = n - first < 8 ? n - first : 8;
            if (count <= 0) break;
            const __m256i mask = _mm256_cmpgt_epi32(_mm256_set1_epi32((int)count), lanes);
            __m256 sum = half ? b : a;
            if (bias) sum = _mm256_add_ps(sum, _mm256_maskload_ps(bias + first, mask));
            _mm256_maskstore_ps(out + first, mask, tfl_clamp_ps256(sum, low, high));
        }
    }
}
#endif

#if defined(__aarch64__)
#include <arm_neon.h>

// Four vectors of four lanes. Runs of 1 load the inputs lane by lane (AArch64 has no gather);
// runs of 4 load each lane's four inputs and transpose them 4 × 4.
static void gemv_neon(float *out, const float *x, int run, const int32_t *group_starts, const int32_t *index,
                      const float *values, ptrdiff_t n, const float *bias, float lo, float hi) {
    const float32x4_t low = vdupq_n_f32(lo), high = vdupq_n_f32(hi);
    for (ptrdiff_t g = 0; g * LANES < n; ++g) {
        float32x4_t sum[4] = {vdupq_n_f32(0), vdupq_n_f32(0), vdupq_n_f32(0), vdupq_n_f32(0)};
        for (ptrdiff_t e = group_starts[g]; e < group_starts[g + 1]; ++e) {
            const int32_t *k = index + e * LANES;
            if (run == TFL_SPARSE_GEMV_QUADS) {
                const float *v = values + e * 4 * LANES;
                for (int q = 0; q < 4; ++q) {
                    const float32x4_t r0 = vld1q_f32(x + k[4 * q]), r1 = vld1q_f32(x + k[4 * q + 1]);
                    const float32x4_t r2 = vld1q_f32(x + k[4 * q + 2]), r3 = vld1q_f32(x + k[4 * q + 3]);
                    const float32x4x2_t a = vtrnq_f32(r0, r1), b = vtrnq_f32(r2, r3);
                    const float32x4_t t[4] = {vcombine_f32(vget_low_f32(a.val[0]), vget_low_f32(b.val[0])),
                                              vcombine_f32(vget_low_f32(a.val[1]), vget_low_f32(b.val[1])),
                                              vcombine_f32(vget_high_f32(a.val[0]), vget_high_f32(b.val[0])),
                                              vcombine_f32(vget_high_f32(a.val[1]), vget_high_f32(b.val[1]))};
                    for (int i = 0; i < 4; ++i) sum[q] = vfmaq_f32(sum[q], t[i], vld1q_f32(v + i * LANES + 4 * q));
                }
            } else {
                const float *v = values + e * LANES;
                for (int q = 0; q < 4; ++q) {
                    float32x4_t xs = vdupq_n_f32(x[k[4 * q]]);
                    xs = vsetq_lane_f32(x[k[4 * q + 1]], xs, 1);
                    xs = vsetq_lane_f32(x[k[4 * q + 2]], xs, 2);
                    xs = vsetq_lane_f32(x[k[4 * q + 3]], xs, 3);
                    sum[q] = vfmaq_f32(sum[q], xs, vld1q_f32(v + 4 * q));
                }
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
            vst1q_f32(lanes, tfl_clamp_f32x4(v, low, high));
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

void tfl_sparse_gemv_f32(float *out, const float *x, int run, const int32_t *group_starts, const int32_t *index,
                         const float *values, ptrdiff_t n, const float *bias, float lo, float hi) {
    tfl_kernels_current()->sparse_gemv_f32(out, x, run, group_starts, index, values, n, bias, lo, hi);
}
