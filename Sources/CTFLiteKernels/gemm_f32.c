// Float32 GEMM for convolutions with the output stage fused: out = tfl_clampf(Σ x·w + bias). A tile
// of pixels × output channels stays in registers over the whole reduction; the weights are
// packed once in blocks of 16 output channels, `[block][k][16]`, so each reduction step reads one
// contiguous vector per block. Every variant accumulates each output in k order with fused
// multiply-adds from zero, then adds the bias, so the variants agree bit for bit.
#include <math.h>
#include <string.h>

#include "clamp.h"
#include "dispatch.h"

ptrdiff_t tfl_gemm_f32_packed_count(ptrdiff_t depth, ptrdiff_t n) {
    return ((n + 15) / 16) * 16 * depth;
}

void tfl_gemm_f32_pack(const float *w, ptrdiff_t n, ptrdiff_t depth, float *packed) {
    memset(packed, 0, sizeof(float) * (size_t)tfl_gemm_f32_packed_count(depth, n));
    for (ptrdiff_t j = 0; j < n; ++j) {
        float *block = packed + (j / 16) * depth * 16 + (j % 16);
        for (ptrdiff_t k = 0; k < depth; ++k) block[k * 16] = w[j * depth + k];
    }
}

static void gemm_portable(float *out, ptrdiff_t out_stride, const float *x, ptrdiff_t x_stride, ptrdiff_t pixels,
                          const float *packed, ptrdiff_t depth, ptrdiff_t n, const float *bias, float lo, float hi) {
    for (ptrdiff_t p = 0; p < pixels; ++p) {
        const float *row = x + p * x_stride;
        for (ptrdiff_t j = 0; j < n; ++j) {
            const float *block = packed + (j / 16) * depth * 16 + (j % 16);
            float sum = 0;
            for (ptrdiff_t k = 0; k < depth; ++k) sum = fmaf(row[k], block[k * 16], sum);
            if (bias) sum += bias[j];
            out[p * out_stride + j] = tfl_clampf(sum, lo, hi);
        }
    }
}

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

// The output stage (bias, clamp, masked store) is tfl_store_sums_ps512 (clamp.h).
__attribute__((target("avx512f"), always_inline))
static inline void tile_avx512(float *out, ptrdiff_t out_stride, const float *x, ptrdiff_t x_stride, const float *w,
                               ptrdiff_t depth, ptrdiff_t n_left, const float *bias, float lo, float hi, const int mr, const int nb) {
    __m512 s[6][4];
    // An opaque zero: otherwise the compiler turns this loop into a memset of the array before
    // unrolling, and every tile starts with a library call.
    __m512 zero = _mm512_setzero_ps();
    __asm__("" : "+v"(zero));
    for (int p = 0; p < mr; ++p)
        for (int b = 0; b < nb; ++b) s[p][b] = zero;
    const ptrdiff_t block_stride = depth * 16;
    for (ptrdiff_t k = 0; k < depth; ++k) {
        __m512 wv[4];
        for (int b = 0; b < nb; ++b) wv[b] = _mm512_loadu_ps(w + b * block_stride + k * 16);
        for (int p = 0; p < mr; ++p) {
            const __m512 xv = _mm512_set1_ps(x[p * x_stride + k]);
            for (int b = 0; b < nb; ++b) s[p][b] = _mm512_fmadd_ps(xv, wv[b], s[p][b]);
        }
    }
    const __m512 low = _mm512_set1_ps(lo), high = _mm512_set1_ps(hi);
    for (int b = 0; b < nb; ++b) {
        const ptrdiff_t left = n_left - b * 16;
        const __mmask16 mask = left >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << left) - 1);
        const __m512 bv = bias ? _mm512_maskz_loadu_ps(mask, bias + b * 16) : _mm512_setzero_ps();
        for (int p = 0; p < mr; ++p) tfl_store_sums_ps512(out + p * out_stride + b * 16, s[p][b], bv, bias != 0, low, high, mask);
    }
}

#define F32_TILE_CASES(MR)                                                                                      \
    switch (nb) {                                                                                               \
    case 4: tile_avx512(out, out_stride, x, x_stride, w, depth, n_left, bias, lo, hi, MR, 4); break;            \
    case 3: tile_avx512(out, out_stride, x, x_stride, w, depth, n_left, bias, lo, hi, MR, 3); break;            \
    case 2: tile_avx512(out, out_stride, x, x_stride, w, depth, n_left, bias, lo, hi, MR, 2); break;            \
    default: tile_avx512(out, out_stride, x, x_stride, w, depth, n_left, bias, lo, hi, MR, 1); break;           \
    }

__attribute__((target("avx512f")))
static void tile_avx512_dispatch(float *out, ptrdiff_t out_stride, const float *x, ptrdiff_t x_stride, const float *w,
                                 ptrdiff_t depth, ptrdiff_t n_left, const float *bias, float lo, float hi, int mr, int nb) {
    switch (mr) {
    case 6: F32_TILE_CASES(6) break;
    case 5: F32_TILE_CASES(5) break;
    case 4: F32_TILE_CASES(4) break;
    case 3: F32_TILE_CASES(3) break;
    case 2: F32_TILE_CASES(2) break;
    default: F32_TILE_CASES(1) break;
    }
}

__attribute__((target("avx512f")))
static void gemm_avx512(float *out, ptrdiff_t out_stride, const float *x, ptrdiff_t x_stride, ptrdiff_t pixels,
                        const float *packed, ptrdiff_t depth, ptrdiff_t n, const float *bias, float lo, float hi) {
    const ptrdiff_t blocks = (n + 15) / 16;
    // Six pixels by up to four blocks: 24 accumulators, 4 weight vectors and a broadcast.
    for (ptrdiff_t p = 0; p < pixels; p += 6) {
        const int mr = pixels - p < 6 ? (int)(pixels - p) : 6;
        for (ptrdiff_t b = 0; b < blocks; b += 4) {
            const int nb = blocks - b < 4 ? (int)(blocks - b) : 4;
            tile_avx512_dispatch(out + p * out_stride + b * 16, out_stride, x + p * x_stride, x_stride, packed + b * depth * 16,
                                 depth, n - b * 16, bias ? bias + b * 16 : 0, lo, hi, mr, nb);
        }
    }
}

// AVX2: MR pixels by one 16-channel block (two vectors); MR is a constant after inlining, so
// the 2·MR accumulators stay in registers (six pixels: 12 accumulators, 2 weight vectors and a
// broadcast of the 16 registers).
__attribute__((target("avx2,fma"), always_inline))
static inline void tile_avx2(float *out, ptrdiff_t out_stride, const float *x, ptrdiff_t x_stride, const float *w,
                             ptrdiff_t depth, ptrdiff_t n_left, const float *bias, float lo, float hi, const int mr) {
    __m256 s[6][2];
    __m256 zero = _mm256_setzero_ps();
    __asm__("" : "+x"(zero));  // as in tile_avx512: no memset of the array
    for (int p = 0; p < mr; ++p) s[p][0] = s[p][1] = zero;
    // One pointer per row, indexed by k: no address arithmetic per broadcast.
    const float *rows[6];
    for (int p = 0; p < mr; ++p) rows[p] = x + p * x_stride;
    // Unrolled: the row addresses are formed once per four steps (the loop is otherwise too
    // many instructions per multiply-add for the front end to keep both FMA pipes busy).
#pragma clang loop unroll_count(4)
    for (ptrdiff_t k = 0; k < depth; ++k) {
        const __m256 w0 = _mm256_loadu_ps(w + k * 16), w1 = _mm256_loadu_ps(w + k * 16 + 8);
        for (int p = 0; p < mr; ++p) {
            const __m256 xv = _mm256_broadcast_ss(rows[p] + k);
            s[p][0] = _mm256_fmadd_ps(xv, w0, s[p][0]);
            s[p][1] = _mm256_fmadd_ps(xv, w1, s[p][1]);
        }
    }
    const __m256 low = _mm256_set1_ps(lo), high = _mm256_set1_ps(hi);
    const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    for (int h = 0; h < 2; ++h) {
        const ptrdiff_t left = n_left - h * 8;
        if (left <= 0) break;
        const int full = left >= 8;
        const __m256i mask = _mm256_cmpgt_epi32(_mm256_set1_epi32(full ? 8 : (int)left), lanes);
        const __m256 bv = !bias ? _mm256_setzero_ps() : full ? _mm256_loadu_ps(bias + h * 8) : _mm256_maskload_ps(bias + h * 8, mask);
        for (int p = 0; p < mr; ++p) {
            __m256 v = s[p][h];
            if (bias) v = _mm256_add_ps(v, bv);
            v = _mm256_min_ps(high, _mm256_max_ps(low, v));  // the clamp (see tile_avx512)
            if (full) _mm256_storeu_ps(out + p * out_stride + h * 8, v);
            else _mm256_maskstore_ps(out + p * out_stride + h * 8, mask, v);
        }
    }
}

__attribute__((target("avx2,fma")))
static void gemm_avx2(float *out, ptrdiff_t out_stride, const float *x, ptrdiff_t x_stride, ptrdiff_t pixels,
                      const float *packed, ptrdiff_t depth, ptrdiff_t n, const float *bias, float lo, float hi) {
    const ptrdiff_t blocks = (n + 15) / 16;
    // Channel blocks outside, pixels inside: a block's weights (depth × 16) are read from memory
    // once and stay in the cache for every pixel tile, while the pixels' rows stay in L1/L2.
    // (Pixels outside would stream the whole weight matrix once per tile: for the late layers
    // of MobileNetV2, over 1 MB eight times per block of pixels.)
    for (ptrdiff_t b = 0; b < blocks; ++b) {
        for (ptrdiff_t p = 0; p < pixels; p += 6) {
            const int mr = pixels - p < 6 ? (int)(pixels - p) : 6;
            float *o = out + p * out_stride + b * 16;
            const float *xp = x + p * x_stride, *w = packed + b * depth * 16, *bb = bias ? bias + b * 16 : 0;
            const ptrdiff_t left = n - b * 16;
            switch (mr) {
            case 6: tile_avx2(o, out_stride, xp, x_stride, w, depth, left, bb, lo, hi, 6); break;
            case 5: tile_avx2(o, out_stride, xp, x_stride, w, depth, left, bb, lo, hi, 5); break;
            case 4: tile_avx2(o, out_stride, xp, x_stride, w, depth, left, bb, lo, hi, 4); break;
            case 3: tile_avx2(o, out_stride, xp, x_stride, w, depth, left, bb, lo, hi, 3); break;
            case 2: tile_avx2(o, out_stride, xp, x_stride, w, depth, left, bb, lo, hi, 2); break;
            default: tile_avx2(o, out_stride, xp, x_stride, w, depth, left, bb, lo, hi, 1); break;
            }
        }
    }
}
#endif

#if defined(__aarch64__)
#include <arm_neon.h>

// NEON: tiles of up to 6 pixels × 16 channels (24 accumulators, the four weight vectors and a
// broadcast in the 32 registers), fmla from zero in k order, bias added after, as every variant.
// The clamp is fmax(lo, v) then fmin(hi, v): NaN passes through both, as in the portable clamp,
// and they part from it only where v and lo are zeros of opposite signs (see the AVX-512 note).
__attribute__((always_inline))
static inline void tile_neon(float *out, ptrdiff_t out_stride, const float *x, ptrdiff_t x_stride, const float *w,
                             ptrdiff_t depth, ptrdiff_t n_left, const float *bias, float lo, float hi, const int mr) {
    float32x4_t s[6][4];
    for (int p = 0; p < mr; ++p)
        for (int i = 0; i < 4; ++i) s[p][i] = vdupq_n_f32(0);
    for (ptrdiff_t k = 0; k < depth; ++k) {
        float32x4_t wv[4];
        for (int i = 0; i < 4; ++i) wv[i] = vld1q_f32(w + k * 16 + 4 * i);
        for (int p = 0; p < mr; ++p) {
            const float32x4_t xv = vdupq_n_f32(x[p * x_stride + k]);
            for (int i = 0; i < 4; ++i) s[p][i] = vfmaq_f32(s[p][i], xv, wv[i]);
        }
    }
    float b[16] = {0};
    if (bias) memcpy(b, bias, sizeof(float) * (size_t)(n_left < 16 ? n_left : 16));
    const float32x4_t low = vdupq_n_f32(lo), high = vdupq_n_f32(hi);
    for (int p = 0; p < mr; ++p) {
        float row[16];
        for (int i = 0; i < 4; ++i) {
            float32x4_t v = s[p][i];
            if (bias) v = vaddq_f32(v, vld1q_f32(b + 4 * i));
            vst1q_f32(row + 4 * i, vminq_f32(high, vmaxq_f32(low, v)));
        }
        memcpy(out + p * out_stride, row, sizeof(float) * (size_t)(n_left < 16 ? n_left : 16));
    }
}

static void gemm_neon(float *out, ptrdiff_t out_stride, const float *x, ptrdiff_t x_stride, ptrdiff_t pixels,
                      const float *packed, ptrdiff_t depth, ptrdiff_t n, const float *bias, float lo, float hi) {
    enum { GROUP = 36 };  // pixels whose rows stay in cache while each block's weights pass once
    for (ptrdiff_t p0 = 0; p0 < pixels; p0 += GROUP) {
        const ptrdiff_t group = pixels - p0 < GROUP ? pixels - p0 : GROUP;
        for (ptrdiff_t j = 0; j < n; j += 16) {
            const float *w = packed + (j / 16) * depth * 16;
            const float *b = bias ? bias + j : 0;
            for (ptrdiff_t p = p0; p < p0 + group; p += 6) {
                const ptrdiff_t left = p0 + group - p;
                float *o = out + p * out_stride + j;
                const float *xp = x + p * x_stride;
                switch (left < 6 ? left : 6) {
                case 6: tile_neon(o, out_stride, xp, x_stride, w, depth, n - j, b, lo, hi, 6); break;
                case 5: tile_neon(o, out_stride, xp, x_stride, w, depth, n - j, b, lo, hi, 5); break;
                case 4: tile_neon(o, out_stride, xp, x_stride, w, depth, n - j, b, lo, hi, 4); break;
                case 3: tile_neon(o, out_stride, xp, x_stride, w, depth, n - j, b, lo, hi, 3); break;
                case 2: tile_neon(o, out_stride, xp, x_stride, w, depth, n - j, b, lo, hi, 2); break;
                default: tile_neon(o, out_stride, xp, x_stride, w, depth, n - j, b, lo, hi, 1); break;
                }
            }
        }
    }
}
#endif

void tfl_select_gemm_f32(tfl_kernels *k, const tfl_cpu_features *f) {
    k->gemm_f32 = gemm_portable;
#if defined(__x86_64__) || defined(__i386__)
    if (f->avx512) {
        k->gemm_f32 = gemm_avx512;
    } else if (f->avx2_fma) {
        k->gemm_f32 = gemm_avx2;
    }
#elif defined(__aarch64__)
    if (f->neon) k->gemm_f32 = gemm_neon;
#endif
}

void tfl_gemm_f32(float *out, ptrdiff_t out_stride, const float *x, ptrdiff_t x_stride, ptrdiff_t pixels,
                  const float *packed, ptrdiff_t depth, ptrdiff_t n, const float *bias, float lo, float hi) {
    tfl_kernels_current()->gemm_f32(out, out_stride, x, x_stride, pixels, packed, depth, n, bias, lo, hi);
}
