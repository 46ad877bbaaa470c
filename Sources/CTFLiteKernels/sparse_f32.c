// Float32 1×1 convolutions (and FULLY_CONNECTED over many rows) with sparse constant weights,
// as sparse matrix products vectorized over pixels, as XNNPACK runs its sparse models: each
// output channel keeps only its nonzero weights (`starts[j] ..< starts[j + 1]` of `index`, the
// input channel, and `values`, in input channel order). A tile of TFL_SPARSE_TILE pixels is
// staged channel-major, `staged[k][pixel]`, so a nonzero weight of input channel k multiplies one
// contiguous vector per 16 (AVX-512) or 8 (AVX2) pixels; the tile's sums, `tile[j][pixel]`, are
// transposed back to NHWC (8 × 8 transposes for both). Every lane sums its pixel's nonzero products from zero in input
// channel order with fused multiply-adds, then adds the bias and clamps: the dense GEMM's
// numbers (tfl_gemm_f32), since a zero weight adds x · 0 = ±0 to a sum that is never −0 (it
// starts at +0) unless a product underflowing to zero made it so, which leaves it unchanged
// for every finite x (but for the sign of such a zero).
#include <math.h>
#include <string.h>

#include "clamp.h"
#include "dispatch.h"

enum { TILE = TFL_SPARSE_TILE };

ptrdiff_t tfl_sparse_f32_count(const float *w, ptrdiff_t n, ptrdiff_t depth) {
    ptrdiff_t count = 0;
    for (ptrdiff_t i = 0; i < n * depth; ++i) count += w[i] != 0;
    return count;
}

void tfl_sparse_f32_encode(const float *w, ptrdiff_t n, ptrdiff_t depth, int32_t *starts, int32_t *index, float *values) {
    int32_t next = 0;
    for (ptrdiff_t j = 0; j < n; ++j) {
        starts[j] = next;
        for (ptrdiff_t k = 0; k < depth; ++k) {
            const float v = w[j * depth + k];
            if (v == 0) continue;
            index[next] = (int32_t)k;
            values[next] = v;
            ++next;
        }
    }
    starts[n] = next;
}

ptrdiff_t tfl_sparse_f32_scratch_count(ptrdiff_t depth, ptrdiff_t n) { return (depth + n) * TILE; }

// The definition, pixel by pixel (no scratch).
static void sparse_portable(float *out, ptrdiff_t out_stride, const float *x, ptrdiff_t x_stride, ptrdiff_t pixels,
                            const int32_t *starts, const int32_t *index, const float *values, ptrdiff_t depth, ptrdiff_t n,
                            const float *bias, float lo, float hi, float *scratch) {
    (void)depth, (void)scratch;
    for (ptrdiff_t p = 0; p < pixels; ++p) {
        const float *row = x + p * x_stride;
        for (ptrdiff_t j = 0; j < n; ++j) {
            float sum = 0;
            for (int32_t i = starts[j]; i < starts[j + 1]; ++i) sum = fmaf(row[index[i]], values[i], sum);
            if (bias) sum += bias[j];
            out[p * out_stride + j] = tfl_clampf(sum, lo, hi);
        }
    }
}

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

// dst[c * dst_stride + r] = src[r * src_stride + c] for r < rows, c < cols, in 8 × 8 blocks
// (unpacks, in-lane shuffles, then 128-bit permutes): the transposes to and from the staged
// layout for both vector widths. In 256-bit registers they ran up to 1.3× faster on Zen 4 than
// 16 × 16 blocks in 512-bit ones, whose edges also waste more.
__attribute__((target("avx2,fma")))
static void transpose_avx2(float *dst, ptrdiff_t dst_stride, const float *src, ptrdiff_t src_stride, ptrdiff_t rows, ptrdiff_t cols) {
    const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    for (ptrdiff_t r0 = 0; r0 < rows; r0 += 8) {
        const ptrdiff_t nr = rows - r0 < 8 ? rows - r0 : 8;
        const __m256i store_mask = _mm256_cmpgt_epi32(_mm256_set1_epi32((int)nr), lanes);
        for (ptrdiff_t c0 = 0; c0 < cols; c0 += 8) {
            const ptrdiff_t nc = cols - c0 < 8 ? cols - c0 : 8;
            const __m256i load_mask = _mm256_cmpgt_epi32(_mm256_set1_epi32((int)nc), lanes);
            __m256 r[8], t[8];
            for (int i = 0; i < 8; ++i)
                r[i] = i < nr ? _mm256_maskload_ps(src + (r0 + i) * src_stride + c0, load_mask) : _mm256_setzero_ps();
            for (int i = 0; i < 4; ++i) {
                t[2 * i] = _mm256_unpacklo_ps(r[2 * i], r[2 * i + 1]);
                t[2 * i + 1] = _mm256_unpackhi_ps(r[2 * i], r[2 * i + 1]);
            }
            for (int i = 0; i < 2; ++i) {
                r[4 * i] = _mm256_shuffle_ps(t[4 * i], t[4 * i + 2], 0x44);
                r[4 * i + 1] = _mm256_shuffle_ps(t[4 * i], t[4 * i + 2], 0xEE);
                r[4 * i + 2] = _mm256_shuffle_ps(t[4 * i + 1], t[4 * i + 3], 0x44);
                r[4 * i + 3] = _mm256_shuffle_ps(t[4 * i + 1], t[4 * i + 3], 0xEE);
            }
            for (int k = 0; k < 4; ++k) {
                t[k] = _mm256_permute2f128_ps(r[k], r[4 + k], 0x20);
                t[4 + k] = _mm256_permute2f128_ps(r[k], r[4 + k], 0x31);
            }
            for (int c = 0; c < nc; ++c) {
                if (nr == 8) _mm256_storeu_ps(dst + (c0 + c) * dst_stride + r0, t[c]);
                else _mm256_maskstore_ps(dst + (c0 + c) * dst_stride + r0, store_mask, t[c]);
            }
        }
    }
}

// CHANNELS: the sums of channels j (and j + 1 when `two`) over V vectors of LANES pixels (up to
// 4), bias added and clamped (as tile_avx512 in gemm_f32.c), into tile rows j and j + 1. The two
// channels' nonzeros are taken side by side as far as both go: 2·V independent chains of fused
// multiply-adds (8 for 4 vectors: as many as two FMA pipes with a 4-cycle latency keep busy).
// SPARSE: each tile staged, then its pixels in runs of 4 vectors (the whole 64-pixel tile with
// AVX-512, halves with AVX2), then its sums transposed out.
#define SPARSE_VARIANT(CHANNELS, SPARSE, TARGET, VEC, LANES, SET1, LOAD, FMA, ADD, MIN, MAX, STORE)                           \
    __attribute__((target(TARGET), always_inline))                                                                          \
    static inline void CHANNELS(float *tile, const float *staged, const int32_t *starts, const int32_t *index,                \
                                const float *values, ptrdiff_t j, const int two, const float *bias, VEC low, VEC high,        \
                                const int V) {                                                                              \
        VEC a[4], b[4];                                                                                                     \
        VEC zero = SET1(0);                                                                                                 \
        __asm__("" : "+v"(zero)); /* no memset of the arrays (see gemm_f32.c) */                                            \
        for (int v = 0; v < V; ++v) a[v] = b[v] = zero;                                                                     \
        const int32_t *ia = index + starts[j], *ib = index + starts[j + 1];                                                  \
        const float *wa = values + starts[j], *wb = values + starts[j + 1];                                                  \
        const ptrdiff_t na = starts[j + 1] - starts[j], nb = two ? starts[j + 2] - starts[j + 1] : 0;                        \
        const ptrdiff_t both = na < nb ? na : nb;                                                                           \
        ptrdiff_t i = 0;                                                                                                    \
        for (; i < both; ++i) {                                                                                             \
            const float *xa = staged + (ptrdiff_t)ia[i] * TILE, *xb = staged + (ptrdiff_t)ib[i] * TILE;                     \
            const VEC va = SET1(wa[i]), vb = SET1(wb[i]);                                                                   \
            for (int v = 0; v < V; ++v) a[v] = FMA(LOAD(xa + LANES * v), va, a[v]);                                         \
            for (int v = 0; v < V; ++v) b[v] = FMA(LOAD(xb + LANES * v), vb, b[v]);                                         \
        }                                                                                                                   \
        for (ptrdiff_t k = i; k < na; ++k) {                                                                                \
            const VEC va = SET1(wa[k]);                                                                                     \
            for (int v = 0; v < V; ++v) a[v] = FMA(LOAD(staged + (ptrdiff_t)ia[k] * TILE + LANES * v), va, a[v]);           \
        }                                                                                                                   \
        for (ptrdiff_t k = i; k < nb; ++k) {                                                                                \
            const VEC vb = SET1(wb[k]);                                                                                     \
            for (int v = 0; v < V; ++v) b[v] = FMA(LOAD(staged + (ptrdiff_t)ib[k] * TILE + LANES * v), vb, b[v]);           \
        }                                                                                                                   \
        for (int v = 0; v < V; ++v) {                                                                                       \
            VEC sum = a[v];                                                                                                 \
            if (bias) sum = ADD(sum, SET1(bias[j]));                                                                        \
            STORE(tile + j * TILE + LANES * v, MIN(high, MAX(low, sum)));                                                   \
            if (!two) continue;                                                                                             \
            sum = b[v];                                                                                                     \
            if (bias) sum = ADD(sum, SET1(bias[j + 1]));                                                                    \
            STORE(tile + (j + 1) * TILE + LANES * v, MIN(high, MAX(low, sum)));                                             \
        }                                                                                                                   \
    }                                                                                                                       \
                                                                                                                            \
    __attribute__((target(TARGET)))                                                                                         \
    static void SPARSE(float *out, ptrdiff_t out_stride, const float *x, ptrdiff_t x_stride, ptrdiff_t pixels,               \
                       const int32_t *starts, const int32_t *index, const float *values, ptrdiff_t depth, ptrdiff_t n,      \
                       const float *bias, float lo, float hi, float *scratch) {                                             \
        float *staged = scratch, *tile = scratch + depth * TILE;                                                            \
        const VEC low = SET1(lo), high = SET1(hi);                                                                          \
        for (ptrdiff_t p0 = 0; p0 < pixels; p0 += TILE) {                                                                   \
            const ptrdiff_t count = pixels - p0 < TILE ? pixels - p0 : TILE;                                                \
            transpose_avx2(staged, TILE, x + p0 * x_stride, x_stride, count, depth);                                        \
            for (ptrdiff_t h = 0; h < count; h += 4 * LANES) {                                                              \
                const float *run = staged + h;                                                                              \
                float *sums = tile + h;                                                                                     \
                ptrdiff_t j = 0;                                                                                            \
                switch (count - h >= 4 * LANES ? 4 : (count - h + LANES - 1) / LANES) {                                     \
                case 4: SPARSE_PAIRS(CHANNELS, 4) break;                                                                    \
                case 3: SPARSE_PAIRS(CHANNELS, 3) break;                                                                    \
                case 2: SPARSE_PAIRS(CHANNELS, 2) break;                                                                    \
                default: SPARSE_PAIRS(CHANNELS, 1) break;                                                                   \
                }                                                                                                           \
            }                                                                                                               \
            transpose_avx2(out + p0 * out_stride, out_stride, tile, TILE, n, count);                                        \
        }                                                                                                                   \
    }
#define SPARSE_PAIRS(CHANNELS, V)                                                                            \
    for (; j + 1 < n; j += 2) CHANNELS(sums, run, starts, index, values, j, 1, bias, low, high, V);          \
    if (j < n) CHANNELS(sums, run, starts, index, values, j, 0, bias, low, high, V);

SPARSE_VARIANT(channels_avx512, sparse_avx512, "avx512f", __m512, 16, _mm512_set1_ps, _mm512_loadu_ps, _mm512_fmadd_ps, _mm512_add_ps,
               _mm512_min_ps, _mm512_max_ps, _mm512_storeu_ps)
SPARSE_VARIANT(channels_avx2, sparse_avx2, "avx2,fma", __m256, 8, _mm256_set1_ps, _mm256_loadu_ps, _mm256_fmadd_ps, _mm256_add_ps,
               _mm256_min_ps, _mm256_max_ps, _mm256_storeu_ps)
#endif

#if defined(__aarch64__)
#include <arm_neon.h>

// dst[c * dst_stride + r] = src[r * src_stride + c] for r < rows, c < cols, in 4 × 4 blocks
// (two rounds of vtrn), scalar at the edges.
static void transpose_neon(float *dst, ptrdiff_t dst_stride, const float *src, ptrdiff_t src_stride, ptrdiff_t rows, ptrdiff_t cols) {
    const ptrdiff_t full_rows = rows / 4 * 4, full_cols = cols / 4 * 4;
    for (ptrdiff_t r0 = 0; r0 < full_rows; r0 += 4)
        for (ptrdiff_t c0 = 0; c0 < full_cols; c0 += 4) {
            const float32x4_t a = vld1q_f32(src + r0 * src_stride + c0), b = vld1q_f32(src + (r0 + 1) * src_stride + c0);
            const float32x4_t c = vld1q_f32(src + (r0 + 2) * src_stride + c0), d = vld1q_f32(src + (r0 + 3) * src_stride + c0);
            const float32x4x2_t ab = vtrnq_f32(a, b), cd = vtrnq_f32(c, d);
            vst1q_f32(dst + c0 * dst_stride + r0, vcombine_f32(vget_low_f32(ab.val[0]), vget_low_f32(cd.val[0])));
            vst1q_f32(dst + (c0 + 1) * dst_stride + r0, vcombine_f32(vget_low_f32(ab.val[1]), vget_low_f32(cd.val[1])));
            vst1q_f32(dst + (c0 + 2) * dst_stride + r0, vcombine_f32(vget_high_f32(ab.val[0]), vget_high_f32(cd.val[0])));
            vst1q_f32(dst + (c0 + 3) * dst_stride + r0, vcombine_f32(vget_high_f32(ab.val[1]), vget_high_f32(cd.val[1])));
        }
    for (ptrdiff_t r = 0; r < rows; ++r)
        for (ptrdiff_t c = r < full_rows ? full_cols : 0; c < cols; ++c) dst[c * dst_stride + r] = src[r * src_stride + c];
}

// One channel's sums over V vectors of 4 pixels (up to 16: as many chains as a tile has
// vectors), bias added and clamped as gemm_neon does, into tile row j.
__attribute__((always_inline))
static inline void channel_neon(float *tile, const float *staged, const int32_t *starts, const int32_t *index,
                                const float *values, ptrdiff_t j, const float *bias, float32x4_t low, float32x4_t high, const int V) {
    float32x4_t a[16];
    for (int v = 0; v < V; ++v) a[v] = vdupq_n_f32(0);
    for (int32_t i = starts[j]; i < starts[j + 1]; ++i) {
        const float *xa = staged + (ptrdiff_t)index[i] * TILE;
        const float32x4_t w = vdupq_n_f32(values[i]);
        for (int v = 0; v < V; ++v) a[v] = vfmaq_f32(a[v], vld1q_f32(xa + 4 * v), w);
    }
    for (int v = 0; v < V; ++v) {
        float32x4_t s = a[v];
        if (bias) s = vaddq_f32(s, vdupq_n_f32(bias[j]));
        vst1q_f32(tile + j * TILE + 4 * v, vminq_f32(high, vmaxq_f32(low, s)));
    }
}

static void sparse_neon(float *out, ptrdiff_t out_stride, const float *x, ptrdiff_t x_stride, ptrdiff_t pixels,
                        const int32_t *starts, const int32_t *index, const float *values, ptrdiff_t depth, ptrdiff_t n,
                        const float *bias, float lo, float hi, float *scratch) {
    float *staged = scratch, *tile = scratch + depth * TILE;
    const float32x4_t low = vdupq_n_f32(lo), high = vdupq_n_f32(hi);
    for (ptrdiff_t p0 = 0; p0 < pixels; p0 += TILE) {
        const ptrdiff_t count = pixels - p0 < TILE ? pixels - p0 : TILE;
        transpose_neon(staged, TILE, x + p0 * x_stride, x_stride, count, depth);
        const int vectors = (int)((count + 3) / 4);
        for (ptrdiff_t j = 0; j < n; ++j) {
            if (vectors == 16) channel_neon(tile, staged, starts, index, values, j, bias, low, high, 16);
            else if (vectors > 8) channel_neon(tile, staged, starts, index, values, j, bias, low, high, vectors > 12 ? 16 : 12);
            else if (vectors > 4) channel_neon(tile, staged, starts, index, values, j, bias, low, high, 8);
            else channel_neon(tile, staged, starts, index, values, j, bias, low, high, 4);
        }
        transpose_neon(out + p0 * out_stride, out_stride, tile, TILE, n, count);
    }
}
#endif

void tfl_select_sparse(tfl_kernels *k, const tfl_cpu_features *f) {
    k->sparse_f32 = sparse_portable;
#if defined(__x86_64__) || defined(__i386__)
    if (f->avx512) {
        k->sparse_f32 = sparse_avx512;
    } else if (f->avx2_fma) {
        k->sparse_f32 = sparse_avx2;
    }
#elif defined(__aarch64__)
    if (f->neon) k->sparse_f32 = sparse_neon;
#else
    (void)f;
#endif
}

void tfl_sparse_f32(float *out, ptrdiff_t out_stride, const float *x, ptrdiff_t x_stride, ptrdiff_t pixels, const int32_t *starts,
                    const int32_t *index, const float *values, ptrdiff_t depth, ptrdiff_t n, const float *bias, float lo, float hi,
                    float *scratch) {
    tfl_kernels_current()->sparse_f32(out, out_stride, x, x_stride, pixels, starts, index, values, depth, n, bias, lo, hi, scratch);
}
