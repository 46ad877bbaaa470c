// Signed 8-bit GEMM for int8 convolutions: exact (wrapping) int32 sums Σ x·(w − z) from int8
// activations as they are and int8 weights packed once, in one of two layouts. z, the weights'
// zero point, is 0 for int8 models; uint8 models come as int8 by taking 128 off activations and
// weights (z is then the weight zero point − 128, and w − z stays within ±255).
//
// TFL_GEMM_S8_QUADS, for AVX-512 VNNI. vpdpbusd sums four unsigned × signed byte products into
// each 32-bit lane exactly (no saturation), so the weights are stored unsigned, as w + 128, and
//     Σ (w + 128) · x = Σ (w − z) · x + (128 + z) · Σ x,
// each pixel's (128 + z) · Σ x (its patch's sum, found once per block of pixels, by vpdpbusd
// against bytes of 128 + z, which is in 0 ... 255) taken off before the sums are stored. Blocks of 16 output channels; within a block, for each group of four
// reduction steps, 16 × 4 bytes (channel-major, the four steps adjacent), the operand layout
// vpdpbusd consumes. Padding (channels to 16, depth to 4) is byte 0, i.e. contributes 0.
//
// TFL_GEMM_S8_PAIRS, for AVX2. vpmaddwd multiplies int16 pairs and sums each pair exactly into a
// 32-bit lane, so the weights are stored as int16 w − z: blocks of 8 output channels; within a block,
// for each pair of reduction steps, 8 × 2 values (channel-major, the two steps adjacent).
// Channels are padded to 16 and depth to 2 with zeros. The activations are widened to int16
// per tile and each pair broadcast as one 32-bit value.
//
// The portable loop reads either layout.
#include <string.h>

#include "dispatch.h"

ptrdiff_t tfl_gemm_s8_packed_size(ptrdiff_t depth, ptrdiff_t n, int format) {
    const ptrdiff_t channels = ((n + 15) / 16) * 16;
    if (format == TFL_GEMM_S8_PAIRS) return channels * ((depth + 1) / 2) * 2 * (ptrdiff_t)sizeof(int16_t);
    return channels * ((depth + 3) / 4) * 4;
}

// Where weight (j, k) lives: a byte offset into the packed weights.
static inline ptrdiff_t packed_offset(ptrdiff_t j, ptrdiff_t k, ptrdiff_t depth, int format) {
    if (format == TFL_GEMM_S8_PAIRS) {
        const ptrdiff_t pairs = (depth + 1) / 2;
        return (((j / 8) * pairs + k / 2) * 16 + (j % 8) * 2 + k % 2) * (ptrdiff_t)sizeof(int16_t);
    }
    const ptrdiff_t groups = (depth + 3) / 4;
    return (j / 16) * groups * 64 + (k / 4) * 64 + (j % 16) * 4 + (k % 4);
}

void tfl_gemm_s8_pack(const int8_t *w, ptrdiff_t n, ptrdiff_t depth, uint8_t *packed, int32_t *column_sums, int format,
                      int32_t weight_zero) {
    memset(packed, 0, (size_t)tfl_gemm_s8_packed_size(depth, n, format));
    // Straight loops over each layout (packed_offset is the definition; this is the same map).
    if (format == TFL_GEMM_S8_PAIRS) {
        int16_t *out = (int16_t *)(void *)packed;
        const ptrdiff_t pairs = (depth + 1) / 2;
        for (ptrdiff_t j = 0; j < n; ++j) {
            int16_t *lane = out + (j / 8) * pairs * 16 + (j % 8) * 2;
            const int8_t *row = w + j * depth;
            for (ptrdiff_t k = 0; k < depth; ++k) lane[(k / 2) * 16 + k % 2] = (int16_t)(row[k] - weight_zero);
        }
    } else {
        const ptrdiff_t groups = (depth + 3) / 4;
        for (ptrdiff_t j = 0; j < n; ++j) {
            uint8_t *lane = packed + (j / 16) * groups * 64 + (j % 16) * 4;
            const int8_t *row = w + j * depth;
            for (ptrdiff_t k = 0; k < depth; ++k) lane[(k / 4) * 64 + k % 4] = (uint8_t)(row[k] + 128);
        }
    }
    if (column_sums)
        for (ptrdiff_t j = 0; j < n; ++j) {
            int32_t sum = 0;
            for (ptrdiff_t k = 0; k < depth; ++k) sum += w[j * depth + k] - weight_zero;
            column_sums[j] = sum;
        }
}

static inline int32_t packed_weight(const uint8_t *packed, ptrdiff_t j, ptrdiff_t k, ptrdiff_t depth, int format,
                                    int32_t weight_zero) {
    const uint8_t *at = packed + packed_offset(j, k, depth, format);
    if (format == TFL_GEMM_S8_PAIRS) {
        int16_t wide;
        memcpy(&wide, at, sizeof wide);
        return wide;
    }
    return (int32_t)*at - 128 - weight_zero;
}

static void gemm_portable(int32_t *acc, ptrdiff_t acc_stride, const int8_t *x, ptrdiff_t x_stride, ptrdiff_t pixels,
                          const uint8_t *packed, ptrdiff_t depth, ptrdiff_t n, int format, int32_t weight_zero) {
    const ptrdiff_t padded = ((n + 15) / 16) * 16;
    for (ptrdiff_t p = 0; p < pixels; ++p) {
        const int8_t *row = x + p * x_stride;
        for (ptrdiff_t j = 0; j < padded; ++j) {
            uint32_t sum = 0;
            if (j < n)
                for (ptrdiff_t k = 0; k < depth; ++k)
                    sum += (uint32_t)(packed_weight(packed, j, k, depth, format, weight_zero) * (int32_t)row[k]);
            acc[p * acc_stride + j] = (int32_t)sum;
        }
    }
}

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

enum { PREFETCH_GROUPS = 64, SMALL_TILE = 12 };

// MR pixels × NB blocks of 16 channels; MR, NB and INLINE are constants after inlining. INLINE 0:
// the sums start at each pixel's −(128 + z) · Σ x from `offsets`; 1 (short rows, where the
// separate pass and its fold cost more): each pixel's (128 + z) · Σ x is summed alongside, by
// vpdpbusd of its broadcast four bytes against `v128` (bytes of 128 + z), and taken off at the end.
__attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni"), always_inline))
static inline void tile_vnni(int32_t *acc, ptrdiff_t acc_stride, const int8_t *x, ptrdiff_t x_stride, const uint8_t *w,
                             ptrdiff_t block_stride, ptrdiff_t depth, const int32_t *offsets, __m512i v128, const int mr,
                             const int nb, const int inline_offsets) {
    __m512i s[12][4], o[12];
    for (int p = 0; p < mr; ++p) {
        o[p] = _mm512_setzero_si512();
        for (int b = 0; b < nb; ++b) s[p][b] = inline_offsets ? _mm512_setzero_si512() : _mm512_set1_epi32(offsets[p]);
    }
    const ptrdiff_t full = depth / 4;
    for (ptrdiff_t g = 0; g < full; ++g) {
        __m512i wv[4];
        for (int b = 0; b < nb; ++b) wv[b] = _mm512_loadu_si512(w + b * block_stride + g * 64);
        if (g + PREFETCH_GROUPS < full)  // see SMALL_TILE
            for (int b = 0; b < nb; ++b) _mm_prefetch((const char *)(w + b * block_stride + (g + PREFETCH_GROUPS) * 64), _MM_HINT_T0);
        for (int p = 0; p < mr; ++p) {
            int32_t four;
            memcpy(&four, x + p * x_stride + g * 4, 4);  // constant size: one load
            const __m512i xv = _mm512_set1_epi32(four);
            if (inline_offsets) o[p] = _mm512_dpbusd_epi32(o[p], v128, xv);
            for (int b = 0; b < nb; ++b) s[p][b] = _mm512_dpbusd_epi32(s[p][b], wv[b], xv);
        }
    }
    if (depth % 4) {  // the last, partial group: a masked load (no byte past the row is read)
        const __mmask16 tail = (__mmask16)((1u << (depth % 4)) - 1);
        __m512i wv[4];
        for (int b = 0; b < nb; ++b) wv[b] = _mm512_loadu_si512(w + b * block_stride + full * 64);
        for (int p = 0; p < mr; ++p) {
            const __m512i xv = _mm512_broadcastd_epi32(_mm_maskz_loadu_epi8(tail, x + p * x_stride + full * 4));
            if (inline_offsets) o[p] = _mm512_dpbusd_epi32(o[p], v128, xv);
            for (int b = 0; b < nb; ++b) s[p][b] = _mm512_dpbusd_epi32(s[p][b], wv[b], xv);
        }
    }
    for (int p = 0; p < mr; ++p)
        for (int b = 0; b < nb; ++b)
            _mm512_storeu_si512(acc + p * acc_stride + b * 16, inline_offsets ? _mm512_sub_epi32(s[p][b], o[p]) : s[p][b]);
}

// The tile's pixel count grows as its block count shrinks, so that at least eight accumulators
// are in flight (vpdpbusd's latency covered) with at most 16 of the 32 registers: 8 pixels for
// one block, 6 for two, 4 for three or four (tile_pixels). Calls of 5 to SMALL_TILE pixels take
// them all in one tile of one or two blocks (up to 24 accumulators), so the weights stream once
// instead of once per four pixels. Layers of few pixels (Inception's 1 × 1 and 3 × 3 grids) read
// their weights from L3 or memory, so every tile prefetches each block's weights PREFETCH_GROUPS
// groups (4 KiB) ahead.
#define TILE_NB(MR, NB)                                                                           \
    (offsets ? tile_vnni(acc, acc_stride, x, x_stride, w, block_stride, depth, offsets, v128, MR, NB, 0) \
             : tile_vnni(acc, acc_stride, x, x_stride, w, block_stride, depth, offsets, v128, MR, NB, 1))
#define TILE_MR(NB, CASES)                                                                               \
    switch (mr) {                                                                                        \
    CASES                                                                                                \
    case 4: TILE_NB(4, NB); break;                                                                       \
    case 3: TILE_NB(3, NB); break;                                                                       \
    case 2: TILE_NB(2, NB); break;                                                                       \
    default: TILE_NB(1, NB); break;                                                                      \
    }
#define TILE_12_TO_7(NB) case 12: TILE_NB(12, NB); break; case 11: TILE_NB(11, NB); break; case 10: TILE_NB(10, NB); break; \
                         case 9: TILE_NB(9, NB); break; case 8: TILE_NB(8, NB); break; case 7: TILE_NB(7, NB); break;
#define TILE_6_TO_5(NB) case 6: TILE_NB(6, NB); break; case 5: TILE_NB(5, NB); break;

static inline int tile_pixels(int nb) { return nb == 1 ? 8 : (nb == 2 ? 6 : 4); }

__attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni")))
static void tile_dispatch(int32_t *acc, ptrdiff_t acc_stride, const int8_t *x, ptrdiff_t x_stride, const uint8_t *w,
                          ptrdiff_t block_stride, ptrdiff_t depth, const int32_t *offsets, __m512i v128, int mr, int nb) {
    switch (nb) {
    case 4: TILE_MR(4, ) break;
    case 3: TILE_MR(3, ) break;
    case 2: TILE_MR(2, TILE_12_TO_7(2) TILE_6_TO_5(2)) break;
    default: TILE_MR(1, TILE_12_TO_7(1) TILE_6_TO_5(1)) break;
    }
}
#undef TILE_6_TO_5
#undef TILE_12_TO_7
#undef TILE_MR
#undef TILE_NB

// At most eight channels (one block, half of it padding): two groups of four reduction steps a
// vector. Each pixel's eight activation bytes x[8h ..< 8h + 8] are broadcast as one 64-bit value
// (so even 32-bit lanes hold group 2h, odd lanes group 2h + 1), against the two groups' weights
// for channels 0-7 interleaved the same way (lane 2c: channel c, group 2h; lane 2c + 1: channel
// c, group 2h + 1), so each vpdpbusd does a whole vector of work. At the end lanes 2c and 2c + 1
// add up to channel c's sum, two pixels to a vector, and each pixel's −(128 + z) · Σ x from
// `offsets` is added. MR pixels (up to 16).
__attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni"), always_inline))
static inline __m512i group_pair_weights(const uint8_t *w, ptrdiff_t g, ptrdiff_t groups) {
    const __m512i interleave = _mm512_setr_epi32(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
    const __m512i a = _mm512_castsi256_si512(_mm256_loadu_si256((const __m256i *)(const void *)(w + g * 64)));
    const __m512i b = g + 1 < groups ? _mm512_castsi256_si512(_mm256_loadu_si256((const __m256i *)(const void *)(w + (g + 1) * 64)))
                                     : _mm512_setzero_si512();
    return _mm512_permutex2var_epi32(a, interleave, b);
}

__attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni"), always_inline))
static inline void tile_vnni_narrow(int32_t *acc, ptrdiff_t acc_stride, const int8_t *x, ptrdiff_t x_stride, const uint8_t *w,
                                    ptrdiff_t depth, const int32_t *offsets, const int mr) {
    enum { MAX_PIXELS = 16 };
    __m512i s[MAX_PIXELS];
    for (int p = 0; p < mr; ++p) s[p] = _mm512_setzero_si512();
    const ptrdiff_t groups = (depth + 3) / 4, full = depth / 8;
    for (ptrdiff_t h = 0; h < full; ++h) {
        const __m512i wv = group_pair_weights(w, 2 * h, groups);
        for (int p = 0; p < mr; ++p) {
            int64_t eight;
            memcpy(&eight, x + p * x_stride + h * 8, 8);  // constant size: one load
            const __m512i xv = _mm512_set1_epi64(eight);
            s[p] = _mm512_dpbusd_epi32(s[p], wv, xv);
        }
    }
    if (depth % 8) {  // the last one or two groups, partial: masked loads (no byte past the row is read)
        const __mmask16 tail = (__mmask16)((1u << (depth % 8)) - 1);
        const __m512i wv = group_pair_weights(w, 2 * full, groups);
        for (int p = 0; p < mr; ++p) {
            const __m512i xv = _mm512_broadcastq_epi64(_mm_maskz_loadu_epi8(tail, x + p * x_stride + full * 8));
            s[p] = _mm512_dpbusd_epi32(s[p], wv, xv);
        }
    }
    const __m512i even = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    const __m512i odd = _mm512_setr_epi32(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
    for (int p = 0; p < mr; p += 2) {
        const __m512i next = p + 1 < mr ? s[p + 1] : s[p];
        __m512i v = _mm512_add_epi32(_mm512_permutex2var_epi32(s[p], even, next), _mm512_permutex2var_epi32(s[p], odd, next));
        v = _mm512_add_epi32(v, _mm512_mask_set1_epi32(_mm512_set1_epi32(offsets[p]), (__mmask16)0xFF00, offsets[p + 1 < mr ? p + 1 : p]));
        _mm256_storeu_si256((__m256i *)(void *)(acc + p * acc_stride), _mm512_castsi512_si256(v));
        if (p + 1 < mr) _mm256_storeu_si256((__m256i *)(void *)(acc + (p + 1) * acc_stride), _mm512_extracti64x4_epi64(v, 1));
    }
}

enum { NARROW_TILE = 16 };

#define NARROW_CASE(MR) case MR: tile_vnni_narrow(acc, acc_stride, x, x_stride, w, depth, offsets, MR); break;

__attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni")))
static void narrow_dispatch(int32_t *acc, ptrdiff_t acc_stride, const int8_t *x, ptrdiff_t x_stride, const uint8_t *w,
                            ptrdiff_t depth, const int32_t *offsets, int mr) {
    switch (mr) {
    NARROW_CASE(16) NARROW_CASE(15) NARROW_CASE(14) NARROW_CASE(13) NARROW_CASE(12) NARROW_CASE(11) NARROW_CASE(10)
    NARROW_CASE(9) NARROW_CASE(8) NARROW_CASE(7) NARROW_CASE(6) NARROW_CASE(5) NARROW_CASE(4) NARROW_CASE(3)
    NARROW_CASE(2)
    default: NARROW_CASE(1)
    }
}
#undef NARROW_CASE

// −(128 + z) · Σ x over one row, via vpdpbusd against bytes of 128 + z (the products are exact).
__attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni")))
static int32_t row_offset(const int8_t *row, ptrdiff_t depth, int32_t weight_zero) {
    const __m512i v128 = _mm512_set1_epi8((char)(uint8_t)(128 + weight_zero));
    __m512i sum = _mm512_setzero_si512();
    ptrdiff_t k = 0;
    for (; k + 64 <= depth; k += 64) sum = _mm512_dpbusd_epi32(sum, v128, _mm512_loadu_si512(row + k));
    if (k < depth) {
        const __mmask64 mask = (__mmask64)((~0ULL) >> (64 - (depth - k)));
        sum = _mm512_dpbusd_epi32(sum, v128, _mm512_maskz_loadu_epi8(mask, row + k));
    }
    return (int32_t)(0u - (uint32_t)_mm512_reduce_add_epi32(sum));
}

// row_offset for four rows at once: the four vectors of partial sums are folded together (two
// interleaving adds, then the 128-bit quarters), 13 instructions where four single folds take 36.
__attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni")))
static void row_offsets4(const int8_t *x, ptrdiff_t x_stride, ptrdiff_t depth, int32_t weight_zero, int32_t *offsets) {
    const __m512i v128 = _mm512_set1_epi8((char)(uint8_t)(128 + weight_zero));
    __m512i sum[4];
    for (int i = 0; i < 4; ++i) {
        const int8_t *row = x + i * x_stride;
        sum[i] = _mm512_setzero_si512();
        ptrdiff_t k = 0;
        for (; k + 64 <= depth; k += 64) sum[i] = _mm512_dpbusd_epi32(sum[i], v128, _mm512_loadu_si512(row + k));
        if (k < depth) {
            const __mmask64 mask = (__mmask64)((~0ULL) >> (64 - (depth - k)));
            sum[i] = _mm512_dpbusd_epi32(sum[i], v128, _mm512_maskz_loadu_epi8(mask, row + k));
        }
    }
    // Per 128-bit quarter: [s0 s1 s0 s1] pairs, then [s0 s1 s2 s3].
    const __m512i t01 = _mm512_add_epi32(_mm512_unpacklo_epi32(sum[0], sum[1]), _mm512_unpackhi_epi32(sum[0], sum[1]));
    const __m512i t23 = _mm512_add_epi32(_mm512_unpacklo_epi32(sum[2], sum[3]), _mm512_unpackhi_epi32(sum[2], sum[3]));
    const __m512i u = _mm512_add_epi32(_mm512_unpacklo_epi64(t01, t23), _mm512_unpackhi_epi64(t01, t23));
    const __m256i h = _mm256_add_epi32(_mm512_castsi512_si256(u), _mm512_extracti64x4_epi64(u, 1));
    const __m128i q = _mm_add_epi32(_mm256_castsi256_si128(h), _mm256_extracti128_si256(h, 1));
    _mm_storeu_si128((__m128i *)offsets, _mm_sub_epi32(_mm_setzero_si128(), q));
}

__attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni")))
static void gemm_vnni(int32_t *acc, ptrdiff_t acc_stride, const int8_t *x, ptrdiff_t x_stride, ptrdiff_t pixels,
                      const uint8_t *packed, ptrdiff_t depth, ptrdiff_t n, int32_t weight_zero) {
    const ptrdiff_t groups = (depth + 3) / 4;
    const ptrdiff_t block_stride = groups * 64;
    const ptrdiff_t blocks = (n + 15) / 16;
    // Blocks in groups of at most four, as even as they come (6 blocks as 3 + 3, not 4 + 2); of
    // at most two for 5 to SMALL_TILE pixels, all in one tile (rows longer than 16 steps: shorter
    // ones sum their offsets alongside, in more registers).
    const int small = pixels > 4 && pixels <= SMALL_TILE && depth > 16;
    const ptrdiff_t block_groups = small ? (blocks + 1) / 2 : (blocks + 3) / 4;
    // The widest group sets the tile's pixels (tile_pixels).
    const int tile = small ? (int)pixels : tile_pixels((int)((blocks + block_groups - 1) / block_groups));
    // Rows of at most 16 steps sum their offsets inside the tile (tile_vnni's INLINE): one more
    // vpdpbusd per pixel and group of four against row_offsets4's loads and 13-instruction fold.
    const int inline_offsets = depth <= 16 && block_groups == 1;
    const __m512i v128 = _mm512_set1_epi8((char)(uint8_t)(128 + weight_zero));
    if (n <= 8 && !inline_offsets) {  // two groups a vector (tile_vnni_narrow)
        for (ptrdiff_t p = 0; p < pixels; p += NARROW_TILE) {
            const int mr = pixels - p < NARROW_TILE ? (int)(pixels - p) : NARROW_TILE;
            int32_t offsets[NARROW_TILE];
            int i = 0;
            for (; i + 4 <= mr; i += 4) row_offsets4(x + (p + i) * x_stride, x_stride, depth, weight_zero, offsets + i);
            for (; i < mr; ++i) offsets[i] = row_offset(x + (p + i) * x_stride, depth, weight_zero);
            narrow_dispatch(acc + p * acc_stride, acc_stride, x + p * x_stride, x_stride, packed, depth, offsets, mr);
        }
        return;
    }
    for (ptrdiff_t p = 0; p < pixels; p += tile) {
        const int mr = pixels - p < tile ? (int)(pixels - p) : tile;
        int32_t offsets[SMALL_TILE] = {0};
        if (!inline_offsets) {
            int i = 0;
            for (; i + 4 <= mr; i += 4) row_offsets4(x + (p + i) * x_stride, x_stride, depth, weight_zero, offsets + i);
            for (; i < mr; ++i) offsets[i] = row_offset(x + (p + i) * x_stride, depth, weight_zero);
        }
        for (ptrdiff_t k = 0, b = 0; k < block_groups; ++k) {
            const int nb = (int)((blocks - b) / (block_groups - k) + ((blocks - b) % (block_groups - k) ? 1 : 0));
            tile_dispatch(acc + p * acc_stride + b * 16, acc_stride, x + p * x_stride, x_stride, packed + b * block_stride,
                          block_stride, depth, inline_offsets ? 0 : offsets, v128, mr, nb);
            b += nb;
        }
    }
}

// AVX2, TFL_GEMM_S8_PAIRS: MR pixels × NB blocks of 8 channels (at most 6 × 2: 12 accumulators,
// 2 weight vectors, a broadcast and a product, the 16 registers). The tile's activations are widened to int16 a chunk of
// reduction steps at a time (on the stack), then each pair (x[k], x[k + 1]) is broadcast as one
// 32-bit value against the weight pairs. Chunks after the first add to the stored sums.
enum { PAIRS_CHUNK = 512 };

__attribute__((target("avx2"), always_inline))
static inline void tile_pairs(int32_t *acc, ptrdiff_t acc_stride, const int16_t (*xs)[PAIRS_CHUNK], const int16_t *w,
                              ptrdiff_t block_stride, ptrdiff_t pairs, int accumulate, const int mr, const int nb) {
    __m256i s[6][2];
    for (int p = 0; p < mr; ++p)
        for (int b = 0; b < nb; ++b)
            s[p][b] = accumulate ? _mm256_loadu_si256((const __m256i *)(acc + p * acc_stride + b * 8)) : _mm256_setzero_si256();
    for (ptrdiff_t g = 0; g < pairs; ++g) {
        __m256i wv[2];
        for (int b = 0; b < nb; ++b) wv[b] = _mm256_loadu_si256((const __m256i *)(w + b * block_stride + g * 16));
        for (int p = 0; p < mr; ++p) {
            int32_t pair;
            memcpy(&pair, &xs[p][2 * g], 4);
            const __m256i xv = _mm256_set1_epi32(pair);
            for (int b = 0; b < nb; ++b) s[p][b] = _mm256_add_epi32(s[p][b], _mm256_madd_epi16(xv, wv[b]));
        }
    }
    for (int p = 0; p < mr; ++p)
        for (int b = 0; b < nb; ++b) _mm256_storeu_si256((__m256i *)(acc + p * acc_stride + b * 8), s[p][b]);
}

#define PAIRS_CASES(MR)                                                                                  \
    switch (nb) {                                                                                        \
    case 2: tile_pairs(acc, acc_stride, xs, w, block_stride, pairs, accumulate, MR, 2); break;           \
    default: tile_pairs(acc, acc_stride, xs, w, block_stride, pairs, accumulate, MR, 1); break;          \
    }

__attribute__((target("avx2")))
static void pairs_dispatch(int32_t *acc, ptrdiff_t acc_stride, const int16_t (*xs)[PAIRS_CHUNK], const int16_t *w,
                           ptrdiff_t block_stride, ptrdiff_t pairs, int accumulate, int mr, int nb) {
    switch (mr) {
    case 6: PAIRS_CASES(6) break;
    case 5: PAIRS_CASES(5) break;
    case 4: PAIRS_CASES(4) break;
    case 3: PAIRS_CASES(3) break;
    case 2: PAIRS_CASES(2) break;
    default: PAIRS_CASES(1) break;
    }
}

// Row r's activations k0 ..< k0 + count as int16, zero-padded to an even count.
__attribute__((target("avx2")))
static void widen_row(int16_t *out, const int8_t *row, ptrdiff_t count) {
    ptrdiff_t k = 0;
    for (; k + 16 <= count; k += 16)
        _mm256_storeu_si256((__m256i *)(out + k), _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(row + k))));
    for (; k < count; ++k) out[k] = row[k];
    if (count % 2) out[count] = 0;
}

__attribute__((target("avx2")))
static void gemm_pairs(int32_t *acc, ptrdiff_t acc_stride, const int8_t *x, ptrdiff_t x_stride, ptrdiff_t pixels,
                       const uint8_t *packed, ptrdiff_t depth, ptrdiff_t n) {
    const ptrdiff_t all_pairs = (depth + 1) / 2;
    const ptrdiff_t block_stride = all_pairs * 16;  // int16 values per 8-channel block
    const ptrdiff_t blocks = ((n + 15) / 16) * 2;
    const int16_t *weights = (const int16_t *)(const void *)packed;
    // Up to PAIRS_GROUP pixels widened at once; then channel blocks outside and pixel tiles
    // inside, so each block's weights come from memory once per group (see gemm_avx2 in
    // gemm_f32.c).
    enum { PAIRS_GROUP = 36 };
    int16_t xs[PAIRS_GROUP][PAIRS_CHUNK] __attribute__((aligned(32)));
    for (ptrdiff_t p0 = 0; p0 < pixels; p0 += PAIRS_GROUP) {
        const ptrdiff_t group = pixels - p0 < PAIRS_GROUP ? pixels - p0 : PAIRS_GROUP;
        if (depth == 0)
            for (ptrdiff_t i = 0; i < group; ++i) memset(acc + (p0 + i) * acc_stride, 0, sizeof(int32_t) * (size_t)(blocks * 8));
        for (ptrdiff_t k0 = 0; k0 < depth; k0 += PAIRS_CHUNK) {
            const ptrdiff_t count = depth - k0 < PAIRS_CHUNK ? depth - k0 : PAIRS_CHUNK;
            for (ptrdiff_t i = 0; i < group; ++i) widen_row(xs[i], x + (p0 + i) * x_stride + k0, count);
            const ptrdiff_t pairs = (count + 1) / 2;
            for (ptrdiff_t b = 0; b < blocks; b += 2) {
                const int nb = blocks - b < 2 ? (int)(blocks - b) : 2;
                for (ptrdiff_t p = 0; p < group; p += 6) {
                    const int mr = group - p < 6 ? (int)(group - p) : 6;
                    pairs_dispatch(acc + (p0 + p) * acc_stride + b * 8, acc_stride, (const int16_t (*)[PAIRS_CHUNK])(xs + p),
                                   weights + b * block_stride + (k0 / 2) * 16, block_stride, pairs, k0 > 0, mr, nb);
                }
            }
        }
    }
}

// gemm_pairs as the kernel table holds it (the pairs layout has the weight zero point taken off).
static void gemm_pairs_entry(int32_t *acc, ptrdiff_t acc_stride, const int8_t *x, ptrdiff_t x_stride, ptrdiff_t pixels,
                             const uint8_t *packed, ptrdiff_t depth, ptrdiff_t n, int32_t weight_zero) {
    (void)weight_zero;
    gemm_pairs(acc, acc_stride, x, x_stride, pixels, packed, depth, n);
}
#endif

#if defined(__aarch64__)
// AArch64 reads TFL_GEMM_S8_QUADS: each 16-byte quarter of a group's 64 bytes is four channels'
// four reduction steps, stored as w + 128; one eor gives w back as signed bytes. Signed × signed
// products need no 128 · Σ x correction; a uint8 model's weight zero point (z ≠ 0) takes
// z · Σ x off each pixel. With the dot product (neon_dot), sdot sums a channel's four products
// into its 32-bit lane; without it (neon alone), smull gives 16-bit products that sadalp adds in
// pairs into 32-bit lanes (two lanes per channel, folded by addp at the end).
#include <arm_neon.h>

// −z · Σ x over each of the tile's rows (0 when z is 0).
static void row_offsets_neon(const int8_t *x, ptrdiff_t x_stride, ptrdiff_t depth, int32_t weight_zero, int mr,
                             int32_t *offsets) {
    for (int p = 0; p < mr; ++p) {
        offsets[p] = 0;
        if (weight_zero == 0) continue;
        const int8_t *row = x + p * x_stride;
        int32_t sum = 0;
        ptrdiff_t k = 0;
        for (; k + 16 <= depth; k += 16) sum += vaddlvq_s8(vld1q_s8(row + k));
        for (; k < depth; ++k) sum += row[k];
        offsets[p] = (int32_t)(0u - (uint32_t)weight_zero * (uint32_t)sum);
    }
}

// The four activations of group g of a row in every 32-bit lane, the bytes past `depth` as 0
// (never read).
__attribute__((always_inline))
static inline int8x16_t group_activations(const int8_t *row, ptrdiff_t g, ptrdiff_t depth) {
    int32_t four = 0;
    const ptrdiff_t left = depth - g * 4;
    if (left >= 4) memcpy(&four, row + g * 4, 4);  // constant size: one load
    else memcpy(&four, row + g * 4, (size_t)left);
    return vreinterpretq_s8_s32(vdupq_n_s32(four));
}

// Group g's weights of a 16-channel block as signed bytes (four channels a vector).
__attribute__((always_inline))
static inline void group_weights(int8x16_t *wv, const uint8_t *w, ptrdiff_t g) {
    const uint8x16_t flip = vdupq_n_u8(0x80);
    for (int i = 0; i < 4; ++i) wv[i] = vreinterpretq_s8_u8(veorq_u8(vld1q_u8(w + g * 64 + 16 * i), flip));
}

TFL_TARGET_DOTPROD __attribute__((always_inline))
static inline void tile_dot(int32_t *acc, ptrdiff_t acc_stride, const int8_t *x, ptrdiff_t x_stride, const uint8_t *w,
                            ptrdiff_t depth, const int32_t *offsets, const int mr) {
    int32x4_t s[4][4];
    for (int p = 0; p < mr; ++p)
        for (int i = 0; i < 4; ++i) s[p][i] = vdupq_n_s32(offsets[p]);
    for (ptrdiff_t g = 0; g < (depth + 3) / 4; ++g) {
        int8x16_t wv[4];
        group_weights(wv, w, g);
        for (int p = 0; p < mr; ++p) {
            const int8x16_t xv = group_activations(x + p * x_stride, g, depth);
            for (int i = 0; i < 4; ++i) s[p][i] = vdotq_s32(s[p][i], wv[i], xv);
        }
    }
    for (int p = 0; p < mr; ++p)
        for (int i = 0; i < 4; ++i) vst1q_s32(acc + p * acc_stride + 4 * i, s[p][i]);
}

TFL_TARGET_DOTPROD
static void gemm_dot(int32_t *acc, ptrdiff_t acc_stride, const int8_t *x, ptrdiff_t x_stride, ptrdiff_t pixels,
                     const uint8_t *packed, ptrdiff_t depth, ptrdiff_t n, int32_t weight_zero) {
    const ptrdiff_t block_stride = ((depth + 3) / 4) * 64, blocks = (n + 15) / 16;
    for (ptrdiff_t p = 0; p < pixels; p += 4) {
        const int mr = pixels - p < 4 ? (int)(pixels - p) : 4;
        int32_t offsets[4];
        row_offsets_neon(x + p * x_stride, x_stride, depth, weight_zero, mr, offsets);
        for (ptrdiff_t b = 0; b < blocks; ++b) {
            int32_t *a = acc + p * acc_stride + b * 16;
            const int8_t *xp = x + p * x_stride;
            const uint8_t *w = packed + b * block_stride;
            switch (mr) {
            case 4: tile_dot(a, acc_stride, xp, x_stride, w, depth, offsets, 4); break;
            case 3: tile_dot(a, acc_stride, xp, x_stride, w, depth, offsets, 3); break;
            case 2: tile_dot(a, acc_stride, xp, x_stride, w, depth, offsets, 2); break;
            default: tile_dot(a, acc_stride, xp, x_stride, w, depth, offsets, 1); break;
            }
        }
    }
}

__attribute__((always_inline))
static inline void tile_neon(int32_t *acc, ptrdiff_t acc_stride, const int8_t *x, ptrdiff_t x_stride, const uint8_t *w,
                             ptrdiff_t depth, const int32_t *offsets, const int mr) {
    int32x4_t lo[2][4], hi[2][4];  // lanes: channel 4i (two halves), 4i + 1 | 4i + 2, 4i + 3
    for (int p = 0; p < mr; ++p)
        for (int i = 0; i < 4; ++i) lo[p][i] = hi[p][i] = vdupq_n_s32(0);
    for (ptrdiff_t g = 0; g < (depth + 3) / 4; ++g) {
        int8x16_t wv[4];
        group_weights(wv, w, g);
        for (int p = 0; p < mr; ++p) {
            const int8x16_t xv = group_activations(x + p * x_stride, g, depth);
            for (int i = 0; i < 4; ++i) {
                lo[p][i] = vpadalq_s16(lo[p][i], vmull_s8(vget_low_s8(wv[i]), vget_low_s8(xv)));
                hi[p][i] = vpadalq_s16(hi[p][i], vmull_high_s8(wv[i], xv));
            }
        }
    }
    for (int p = 0; p < mr; ++p)
        for (int i = 0; i < 4; ++i)
            vst1q_s32(acc + p * acc_stride + 4 * i, vaddq_s32(vpaddq_s32(lo[p][i], hi[p][i]), vdupq_n_s32(offsets[p])));
}

static void gemm_neon(int32_t *acc, ptrdiff_t acc_stride, const int8_t *x, ptrdiff_t x_stride, ptrdiff_t pixels,
                      const uint8_t *packed, ptrdiff_t depth, ptrdiff_t n, int32_t weight_zero) {
    const ptrdiff_t block_stride = ((depth + 3) / 4) * 64, blocks = (n + 15) / 16;
    for (ptrdiff_t p = 0; p < pixels; p += 2) {
        const int mr = pixels - p < 2 ? (int)(pixels - p) : 2;
        int32_t offsets[2];
        row_offsets_neon(x + p * x_stride, x_stride, depth, weight_zero, mr, offsets);
        for (ptrdiff_t b = 0; b < blocks; ++b) {
            if (mr == 2) tile_neon(acc + p * acc_stride + b * 16, acc_stride, x + p * x_stride, x_stride, packed + b * block_stride, depth, offsets, 2);
            else tile_neon(acc + p * acc_stride + b * 16, acc_stride, x + p * x_stride, x_stride, packed + b * block_stride, depth, offsets, 1);
        }
    }
}
#endif

void tfl_select_gemm_s8(tfl_kernels *k, const tfl_cpu_features *f) {
    k->gemm_s8_format = TFL_GEMM_S8_QUADS;
    k->gemm_s8_available = 0;
    k->gemm_s8_quads = 0;
    k->gemm_s8_pairs = 0;
#if defined(__x86_64__) || defined(__i386__)
    if (f->avx2_fma) {
        k->gemm_s8_format = TFL_GEMM_S8_PAIRS;
        k->gemm_s8_available = 1;
        k->gemm_s8_pairs = gemm_pairs_entry;
    }
    if (f->avx512_vnni) {
        k->gemm_s8_format = TFL_GEMM_S8_QUADS;
        k->gemm_s8_quads = gemm_vnni;
    }
#elif defined(__aarch64__)
    if (f->neon) {
        k->gemm_s8_available = 1;
        k->gemm_s8_quads = f->neon_dot ? gemm_dot : gemm_neon;
    }
#else
    (void)f;
#endif
}

int tfl_gemm_s8_format(void) { return tfl_kernels_current()->gemm_s8_format; }

int tfl_gemm_s8_available(void) { return tfl_kernels_current()->gemm_s8_available; }

void tfl_gemm_s8(int32_t *acc, ptrdiff_t acc_stride, const int8_t *x, ptrdiff_t x_stride, ptrdiff_t pixels,
                 const uint8_t *packed, ptrdiff_t depth, ptrdiff_t n, int format, int32_t weight_zero) {
    const tfl_kernels *k = tfl_kernels_current();
    if (format == TFL_GEMM_S8_QUADS && k->gemm_s8_quads) {
        k->gemm_s8_quads(acc, acc_stride, x, x_stride, pixels, packed, depth, n, weight_zero);
        return;
    }
    if (format == TFL_GEMM_S8_PAIRS && k->gemm_s8_pairs) {
        k->gemm_s8_pairs(acc, acc_stride, x, x_stride, pixels, packed, depth, n, weight_zero);
        return;
    }
    gemm_portable(acc, acc_stride, x, x_stride, pixels, packed, depth, n, format, weight_zero);
}

void tfl_uint8_to_int8(const uint8_t *in, int8_t *out, ptrdiff_t n) {
    ptrdiff_t i = 0;
    for (; i + 8 <= n; i += 8) {  // eight bytes a step, their top bits flipped
        uint64_t word;
        memcpy(&word, in + i, 8);
        word ^= 0x8080808080808080ULL;
        memcpy(out + i, &word, 8);
    }
    for (; i < n; ++i) out[i] = (int8_t)(in[i] ^ 0x80);
}
