// The int16×8 GEMM (int16 activations, int8 weights: LiteRT's 16x8 quantization) for CONV_2D and
// FULLY_CONNECTED: exact int64 sums Σ x·w, as LiteRT's reference kernels accumulate them.
//
// A product is at most 2^15 · 2^7 = 2^22 in magnitude, a pair of them 2^23, so 32-bit lanes hold
// the sum of up to 255 pairs exactly; the vector kernels sum CHUNK_PAIRS pairs of reduction steps
// in 32-bit lanes and add each chunk's sums to the 64-bit results, which gives LiteRT's int64
// numbers for any depth.
//
// Weights are packed once as int16, in blocks of 16 output channels; within a block, for each
// pair of reduction steps, 16 × 2 values (channel-major, the two steps adjacent): the operand
// layout of vpdpwssd (AVX-512 VNNI) and vpmaddwd (AVX-512, AVX2: two 8-channel halves), which
// multiply int16 pairs and sum each pair into a 32-bit lane. NEON loads a pair's 32 values with
// vld2q (the two steps apart) and multiplies them by one activation each (smlal by lane).
// Channels are padded to 16 and depth to 2 with zeros. Each pixel's pair (x[k], x[k + 1]) is
// broadcast as one 32-bit value; an odd last step is read alone (nothing past a row is read).
#include <string.h>

#include "dispatch.h"

enum { CHUNK_PAIRS = 254 };

ptrdiff_t tfl_gemm_s16_packed_count(ptrdiff_t depth, ptrdiff_t n) { return ((n + 15) / 16) * 16 * ((depth + 1) / 2) * 2; }

void tfl_gemm_s16_pack(const int8_t *w, ptrdiff_t n, ptrdiff_t depth, int16_t *packed) {
    memset(packed, 0, sizeof(int16_t) * (size_t)tfl_gemm_s16_packed_count(depth, n));
    const ptrdiff_t pairs = (depth + 1) / 2;
    for (ptrdiff_t j = 0; j < n; ++j) {
        int16_t *lane = packed + (j / 16) * pairs * 32 + (j % 16) * 2;
        const int8_t *row = w + j * depth;
        for (ptrdiff_t k = 0; k < depth; ++k) lane[(k / 2) * 32 + k % 2] = row[k];
    }
}

static void gemm_s16_portable(int64_t *acc, ptrdiff_t acc_stride, const int16_t *x, ptrdiff_t x_stride, ptrdiff_t pixels,
                              const int16_t *packed, ptrdiff_t depth, ptrdiff_t n) {
    const ptrdiff_t pairs = (depth + 1) / 2;
    const ptrdiff_t padded = ((n + 15) / 16) * 16;
    for (ptrdiff_t p = 0; p < pixels; ++p) {
        const int16_t *row = x + p * x_stride;
        for (ptrdiff_t j = 0; j < padded; ++j) {
            const int16_t *lane = packed + (j / 16) * pairs * 32 + (j % 16) * 2;
            int64_t sum = 0;
            for (ptrdiff_t k = 0; k < depth; ++k) sum += (int32_t)row[k] * (int32_t)lane[(k / 2) * 32 + k % 2];
            acc[p * acc_stride + j] = sum;
        }
    }
}

// Pair g of a row as one 32-bit value (x[2g] low, x[2g + 1] high; 0 for the missing step of an odd depth).
static inline int32_t activation_pair(const int16_t *row, ptrdiff_t g, ptrdiff_t depth) {
    if (2 * g + 1 < depth) {
        int32_t pair;
        memcpy(&pair, row + 2 * g, 4);  // constant size: one load
        return pair;
    }
    return (int32_t)(uint16_t)row[2 * g];
}

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

// MR pixels × NB blocks of 16 channels over pairs g0 ..< g1, the 32-bit sums added to (first
// chunk: stored as) the 64-bit results. VNNI: vpdpwssd; else vpmaddwd and an add.
#define TILE512(NAME, TARGET, DOT)                                                                                       \
    __attribute__((target(TARGET), always_inline)) static inline void NAME(                                            \
        int64_t *acc, ptrdiff_t acc_stride, const int16_t *x, ptrdiff_t x_stride, const int16_t *w, ptrdiff_t block_stride, \
        ptrdiff_t g0, ptrdiff_t g1, ptrdiff_t depth, int first, const int mr, const int nb) {                           \
        __m512i s[4][4];                                                                                                \
        for (int p = 0; p < mr; ++p)                                                                                    \
            for (int b = 0; b < nb; ++b) s[p][b] = _mm512_setzero_si512();                                              \
        const ptrdiff_t full = g1 < depth / 2 ? g1 : depth / 2;                                                        \
        for (ptrdiff_t g = g0; g < full; ++g) {                                                                         \
            __m512i wv[4];                                                                                              \
            for (int b = 0; b < nb; ++b) wv[b] = _mm512_loadu_si512(w + b * block_stride + g * 32);                    \
            for (int p = 0; p < mr; ++p) {                                                                              \
                int32_t pair;                                                                                           \
                memcpy(&pair, x + p * x_stride + 2 * g, 4);                                                             \
                const __m512i xv = _mm512_set1_epi32(pair);                                                             \
                for (int b = 0; b < nb; ++b) s[p][b] = DOT(s[p][b], xv, wv[b]);                                         \
            }                                                                                                           \
        }                                                                                                               \
        for (ptrdiff_t g = full > g0 ? full : g0; g < g1; ++g) { /* an odd depth's last step */                         \
            __m512i wv[4];                                                                                              \
            for (int b = 0; b < nb; ++b) wv[b] = _mm512_loadu_si512(w + b * block_stride + g * 32);                    \
            for (int p = 0; p < mr; ++p) {                                                                              \
                const __m512i xv = _mm512_set1_epi32(activation_pair(x + p * x_stride, g, depth));                     \
                for (int b = 0; b < nb; ++b) s[p][b] = DOT(s[p][b], xv, wv[b]);                                         \
            }                                                                                                           \
        }                                                                                                               \
        for (int p = 0; p < mr; ++p)                                                                                    \
            for (int b = 0; b < nb; ++b) {                                                                              \
                int64_t *out = acc + p * acc_stride + b * 16;                                                           \
                __m512i lo = _mm512_cvtepi32_epi64(_mm512_castsi512_si256(s[p][b]));                                    \
                __m512i hi = _mm512_cvtepi32_epi64(_mm512_extracti64x4_epi64(s[p][b], 1));                              \
                if (!first) {                                                                                           \
                    lo = _mm512_add_epi64(lo, _mm512_loadu_si512(out));                                                 \
                    hi = _mm512_add_epi64(hi, _mm512_loadu_si512(out + 8));                                             \
                }                                                                                                       \
                _mm512_storeu_si512(out, lo);                                                                           \
                _mm512_storeu_si512(out + 8, hi);                                                                       \
            }                                                                                                           \
    }

#define DOT_VNNI(s, x, w) _mm512_dpwssd_epi32(s, x, w)
#define DOT_MADD512(s, x, w) _mm512_add_epi32(s, _mm512_madd_epi16(x, w))
TILE512(tile_vnni, "avx512f,avx512bw,avx512vl,avx512vnni", DOT_VNNI)
TILE512(tile_avx512, "avx512f,avx512bw,avx512vl", DOT_MADD512)

// The GEMM over 4-pixel tiles and groups of at most four 16-channel blocks (as even as they
// come), chunk by chunk of the reduction.
#define GEMM512(NAME, TILE, TARGET)                                                                                      \
    __attribute__((target(TARGET))) static void NAME##_tile(int64_t *acc, ptrdiff_t acc_stride, const int16_t *x,       \
                                                            ptrdiff_t x_stride, const int16_t *w, ptrdiff_t block_stride, \
                                                            ptrdiff_t g0, ptrdiff_t g1, ptrdiff_t depth, int first, int mr, \
                                                            int nb) {                                                   \
        switch (mr * 8 + nb) {                                                                                          \
        case 4 * 8 + 4: TILE(acc, acc_stride, x, x_stride, w, block_stride, g0, g1, depth, first, 4, 4); break;         \
        case 4 * 8 + 3: TILE(acc, acc_stride, x, x_stride, w, block_stride, g0, g1, depth, first, 4, 3); break;         \
        case 4 * 8 + 2: TILE(acc, acc_stride, x, x_stride, w, block_stride, g0, g1, depth, first, 4, 2); break;         \
        case 4 * 8 + 1: TILE(acc, acc_stride, x, x_stride, w, block_stride, g0, g1, depth, first, 4, 1); break;         \
        default:                                                                                                        \
            for (int p = 0; p < mr; ++p)                                                                                \
                switch (nb) {                                                                                           \
                case 4: TILE(acc + p * acc_stride, acc_stride, x + p * x_stride, x_stride, w, block_stride, g0, g1, depth, first, 1, 4); break; \
                case 3: TILE(acc + p * acc_stride, acc_stride, x + p * x_stride, x_stride, w, block_stride, g0, g1, depth, first, 1, 3); break; \
                case 2: TILE(acc + p * acc_stride, acc_stride, x + p * x_stride, x_stride, w, block_stride, g0, g1, depth, first, 1, 2); break; \
                default: TILE(acc + p * acc_stride, acc_stride, x + p * x_stride, x_stride, w, block_stride, g0, g1, depth, first, 1, 1); break; \
                }                                                                                                       \
        }                                                                                                               \
    }                                                                                                                   \
    __attribute__((target(TARGET))) static void NAME(int64_t *acc, ptrdiff_t acc_stride, const int16_t *x,               \
                                                     ptrdiff_t x_stride, ptrdiff_t pixels, const int16_t *packed,       \
                                                     ptrdiff_t depth, ptrdiff_t n) {                                    \
        const ptrdiff_t pairs = (depth + 1) / 2, block_stride = pairs * 32, blocks = (n + 15) / 16;                     \
        const ptrdiff_t groups = (blocks + 3) / 4;                                                                      \
        for (ptrdiff_t p = 0; p < pixels; p += 4) {                                                                     \
            const int mr = pixels - p < 4 ? (int)(pixels - p) : 4;                                                      \
            for (ptrdiff_t k = 0, b = 0; k < groups; ++k) {                                                             \
                const int nb = (int)((blocks - b) / (groups - k) + ((blocks - b) % (groups - k) ? 1 : 0));              \
                ptrdiff_t g0 = 0;                                                                                       \
                do {                                                                                                    \
                    const ptrdiff_t g1 = pairs - g0 < CHUNK_PAIRS ? pairs : g0 + CHUNK_PAIRS;                           \
                    NAME##_tile(acc + p * acc_stride + b * 16, acc_stride, x + p * x_stride, x_stride,                  \
                                packed + b * block_stride, block_stride, g0, g1, depth, g0 == 0, mr, nb);               \
                    g0 = g1;                                                                                            \
                } while (g0 < pairs);                                                                                   \
                b += nb;                                                                                                \
            }                                                                                                           \
        }                                                                                                               \
    }

GEMM512(gemm_s16_vnni, tile_vnni, "avx512f,avx512bw,avx512vl,avx512vnni")
GEMM512(gemm_s16_avx512, tile_avx512, "avx512f,avx512bw,avx512vl")

// AVX2: MR pixels × one 16-channel block as two 8-channel halves (12 accumulators at most, two
// weight vectors, a broadcast and a product: the 16 registers).
__attribute__((target("avx2"), always_inline)) static inline void tile_avx2(int64_t *acc, ptrdiff_t acc_stride,
                                                                            const int16_t *x, ptrdiff_t x_stride,
                                                                            const int16_t *w, ptrdiff_t g0, ptrdiff_t g1,
                                                                            ptrdiff_t depth, int first, const int mr) {
    __m256i s[6][2];
    for (int p = 0; p < mr; ++p) s[p][0] = s[p][1] = _mm256_setzero_si256();
    for (ptrdiff_t g = g0; g < g1; ++g) {
        const __m256i w0 = _mm256_loadu_si256((const __m256i *)(w + g * 32));
        const __m256i w1 = _mm256_loadu_si256((const __m256i *)(w + g * 32 + 16));
        for (int p = 0; p < mr; ++p) {
            const __m256i xv = _mm256_set1_epi32(activation_pair(x + p * x_stride, g, depth));
            s[p][0] = _mm256_add_epi32(s[p][0], _mm256_madd_epi16(xv, w0));
            s[p][1] = _mm256_add_epi32(s[p][1], _mm256_madd_epi16(xv, w1));
        }
    }
    for (int p = 0; p < mr; ++p)
        for (int h = 0; h < 2; ++h) {
            int64_t *out = acc + p * acc_stride + h * 8;
            __m256i lo = _mm256_cvtepi32_epi64(_mm256_castsi256_si128(s[p][h]));
            __m256i hi = _mm256_cvtepi32_epi64(_mm256_extracti128_si256(s[p][h], 1));
            if (!first) {
                lo = _mm256_add_epi64(lo, _mm256_loadu_si256((const __m256i *)out));
                hi = _mm256_add_epi64(hi, _mm256_loadu_si256((const __m256i *)(out + 4)));
            }
            _mm256_storeu_si256((__m256i *)out, lo);
            _mm256_storeu_si256((__m256i *)(out + 4), hi);
        }
}

__attribute__((target("avx2"))) static void gemm_s16_avx2(int64_t *acc, ptrdiff_t acc_stride, const int16_t *x,
                                                          ptrdiff_t x_stride, ptrdiff_t pixels, const int16_t *packed,
                                                          ptrdiff_t depth, ptrdiff_t n) {
    const ptrdiff_t pairs = (depth + 1) / 2, block_stride = pairs * 32, blocks = (n + 15) / 16;
    for (ptrdiff_t p = 0; p < pixels; p += 6) {
        const int mr = pixels - p < 6 ? (int)(pixels - p) : 6;
        for (ptrdiff_t b = 0; b < blocks; ++b) {
            ptrdiff_t g0 = 0;
            do {
                const ptrdiff_t g1 = pairs - g0 < CHUNK_PAIRS ? pairs : g0 + CHUNK_PAIRS;
                int64_t *a = acc + p * acc_stride + b * 16;
                const int16_t *xp = x + p * x_stride, *w = packed + b * block_stride;
                switch (mr) {
                case 6: tile_avx2(a, acc_stride, xp, x_stride, w, g0, g1, depth, g0 == 0, 6); break;
                case 5: tile_avx2(a, acc_stride, xp, x_stride, w, g0, g1, depth, g0 == 0, 5); break;
                case 4: tile_avx2(a, acc_stride, xp, x_stride, w, g0, g1, depth, g0 == 0, 4); break;
                case 3: tile_avx2(a, acc_stride, xp, x_stride, w, g0, g1, depth, g0 == 0, 3); break;
                case 2: tile_avx2(a, acc_stride, xp, x_stride, w, g0, g1, depth, g0 == 0, 2); break;
                default: tile_avx2(a, acc_stride, xp, x_stride, w, g0, g1, depth, g0 == 0, 1); break;
                }
                g0 = g1;
            } while (g0 < pairs);
        }
    }
}
#endif

#if defined(__aarch64__)
#include <arm_neon.h>

// MR pixels × one 16-channel block: per pair, vld2q splits the block's 32 values into the two
// steps (8 channels a vector), each multiplied by its activation with smlal / smlal2 by lane.
__attribute__((always_inline)) static inline void tile_neon(int64_t *acc, ptrdiff_t acc_stride, const int16_t *x,
                                                            ptrdiff_t x_stride, const int16_t *w, ptrdiff_t g0,
                                                            ptrdiff_t g1, ptrdiff_t depth, int first, const int mr) {
    int32x4_t s[4][4];
    for (int p = 0; p < mr; ++p)
        for (int i = 0; i < 4; ++i) s[p][i] = vdupq_n_s32(0);
    for (ptrdiff_t g = g0; g < g1; ++g) {
        const int16x8x2_t lo = vld2q_s16(w + g * 32), hi = vld2q_s16(w + g * 32 + 16);
        for (int p = 0; p < mr; ++p) {
            const int16x4_t xv = vreinterpret_s16_s32(vdup_n_s32(activation_pair(x + p * x_stride, g, depth)));
            s[p][0] = vmlal_lane_s16(s[p][0], vget_low_s16(lo.val[0]), xv, 0);
            s[p][0] = vmlal_lane_s16(s[p][0], vget_low_s16(lo.val[1]), xv, 1);
            s[p][1] = vmlal_high_lane_s16(s[p][1], lo.val[0], xv, 0);
            s[p][1] = vmlal_high_lane_s16(s[p][1], lo.val[1], xv, 1);
            s[p][2] = vmlal_lane_s16(s[p][2], vget_low_s16(hi.val[0]), xv, 0);
            s[p][2] = vmlal_lane_s16(s[p][2], vget_low_s16(hi.val[1]), xv, 1);
            s[p][3] = vmlal_high_lane_s16(s[p][3], hi.val[0], xv, 0);
            s[p][3] = vmlal_high_lane_s16(s[p][3], hi.val[1], xv, 1);
        }
    }
    for (int p = 0; p < mr; ++p)
        for (int i = 0; i < 4; ++i) {
            int64_t *out = acc + p * acc_stride + 4 * i;
            int64x2_t lo = vmovl_s32(vget_low_s32(s[p][i])), hi = vmovl_high_s32(s[p][i]);
            if (!first) {
                lo = vaddq_s64(lo, vld1q_s64(out));
                hi = vaddq_s64(hi, vld1q_s64(out + 2));
            }
            vst1q_s64(out, lo);
            vst1q_s64(out + 2, hi);
        }
}

static void gemm_s16_neon(int64_t *acc, ptrdiff_t acc_stride, const int16_t *x, ptrdiff_t x_stride, ptrdiff_t pixels,
                          const int16_t *packed, ptrdiff_t depth, ptrdiff_t n) {
    const ptrdiff_t pairs = (depth + 1) / 2, block_stride = pairs * 32, blocks = (n + 15) / 16;
    for (ptrdiff_t p = 0; p < pixels; p += 4) {
        const int mr = pixels - p < 4 ? (int)(pixels - p) : 4;
        for (ptrdiff_t b = 0; b < blocks; ++b) {
            ptrdiff_t g0 = 0;
            do {
                const ptrdiff_t g1 = pairs - g0 < CHUNK_PAIRS ? pairs : g0 + CHUNK_PAIRS;
                int64_t *a = acc + p * acc_stride + b * 16;
                const int16_t *xp = x + p * x_stride, *w = packed + b * block_stride;
                switch (mr) {
                case 4: tile_neon(a, acc_stride, xp, x_stride, w, g0, g1, depth, g0 == 0, 4); break;
                case 3: tile_neon(a, acc_stride, xp, x_stride, w, g0, g1, depth, g0 == 0, 3); break;
                case 2: tile_neon(a, acc_stride, xp, x_stride, w, g0, g1, depth, g0 == 0, 2); break;
                default: tile_neon(a, acc_stride, xp, x_stride, w, g0, g1, depth, g0 == 0, 1); break;
                }
                g0 = g1;
            } while (g0 < pairs);
        }
    }
}
#endif

void tfl_select_gemm_s16(tfl_kernels *k, const tfl_cpu_features *f) {
    k->gemm_s16 = gemm_s16_portable;
#if defined(__x86_64__) || defined(__i386__)
    if (f->avx2_fma) k->gemm_s16 = gemm_s16_avx2;
    if (f->avx512) k->gemm_s16 = gemm_s16_avx512;
    if (f->avx512_vnni) k->gemm_s16 = gemm_s16_vnni;
#elif defined(__aarch64__)
    if (f->neon) k->gemm_s16 = gemm_s16_neon;
#else
    (void)f;
#endif
}

void tfl_gemm_s16(int64_t *acc, ptrdiff_t acc_stride, const int16_t *x, ptrdiff_t x_stride, ptrdiff_t pixels,
                  const int16_t *packed, ptrdiff_t depth, ptrdiff_t n) {
    if (depth <= 0) {  // empty sums (the kernels store after at least one pair)
        const ptrdiff_t padded = ((n + 15) / 16) * 16;
        for (ptrdiff_t p = 0; p < pixels; ++p) memset(acc + p * acc_stride, 0, sizeof(int64_t) * (size_t)padded);
        return;
    }
    tfl_kernels_current()->gemm_s16(acc, acc_stride, x, x_stride, pixels, packed, depth, n);
}
