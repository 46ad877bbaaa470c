// Signed 8-bit GEMM for int8 convolutions on CPUs with AVX-512 VNNI. vpdpbusd sums four
// unsigned × signed byte products into each 32-bit lane exactly (no saturation), so the weights
// are stored unsigned, as w + 128, and the activations enter as they are:
//     Σ (w + 128) · x = Σ w · x + 128 · Σ x,
// and each pixel's 128 · Σ x (its patch's sum, found once per block of pixels) is taken off
// before the sums are stored. Results are the exact (wrapping) int32 Σ w · x.
//
// Packed weights: blocks of 16 output channels; within a block, for each group of four
// reduction steps, 16 × 4 bytes (channel-major, the four steps adjacent), which is the operand
// layout vpdpbusd consumes. Padding (channels to 16, depth to 4) is byte 0, i.e. contributes 0.
#include <string.h>

#include "CTFLiteKernels.h"

ptrdiff_t tfl_gemm_s8_packed_size(ptrdiff_t depth, ptrdiff_t n) {
    return ((n + 15) / 16) * 16 * ((depth + 3) / 4) * 4;
}

void tfl_gemm_s8_pack(const int8_t *w, ptrdiff_t n, ptrdiff_t depth, uint8_t *packed, int32_t *column_sums) {
    const ptrdiff_t groups = (depth + 3) / 4;
    memset(packed, 0, (size_t)tfl_gemm_s8_packed_size(depth, n));
    for (ptrdiff_t j = 0; j < n; ++j) {
        int32_t sum = 0;
        uint8_t *block = packed + (j / 16) * groups * 64;
        for (ptrdiff_t k = 0; k < depth; ++k) {
            const int8_t v = w[j * depth + k];
            block[(k / 4) * 64 + (j % 16) * 4 + (k % 4)] = (uint8_t)(v + 128);
            sum += v;
        }
        if (column_sums) column_sums[j] = sum;
    }
}

static void gemm_portable(int32_t *acc, ptrdiff_t acc_stride, const int8_t *x, ptrdiff_t x_stride, ptrdiff_t pixels,
                          const uint8_t *packed, ptrdiff_t depth, ptrdiff_t n) {
    const ptrdiff_t groups = (depth + 3) / 4;
    for (ptrdiff_t p = 0; p < pixels; ++p) {
        const int8_t *row = x + p * x_stride;
        for (ptrdiff_t j = 0; j < n; ++j) {
            const uint8_t *block = packed + (j / 16) * groups * 64 + (j % 16) * 4;
            uint32_t sum = 0;
            for (ptrdiff_t k = 0; k < depth; ++k)
                sum += (uint32_t)(((int32_t)block[(k / 4) * 64 + (k % 4)] - 128) * (int32_t)row[k]);
            acc[p * acc_stride + j] = (int32_t)sum;
        }
    }
}

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

// The four bytes of a row at reduction group g (zero beyond `depth`), as one 32-bit value.
// Assembled byte by byte: a variable-length memcpy here would be a library call inside the
// tile, and the call would push every accumulator out to the stack.
static inline int32_t four_bytes(const int8_t *row, ptrdiff_t g, ptrdiff_t depth) {
    const ptrdiff_t k = g * 4, count = depth - k < 4 ? depth - k : 4;
    uint32_t four = 0;
    for (ptrdiff_t i = 0; i < count; ++i) four |= (uint32_t)(uint8_t)row[k + i] << (8 * i);
    return (int32_t)four;
}

// MR pixels × NB blocks of 16 channels; MR and NB are constants after inlining.
__attribute__((target("avx512f,avx512bw,avx512vnni"), always_inline))
static inline void tile_vnni(int32_t *acc, ptrdiff_t acc_stride, const int8_t *x, ptrdiff_t x_stride, const uint8_t *w,
                             ptrdiff_t block_stride, ptrdiff_t depth, const int32_t *offsets, const int mr, const int nb) {
    __m512i s[4][4];
    for (int p = 0; p < mr; ++p)
        for (int b = 0; b < nb; ++b) s[p][b] = _mm512_set1_epi32(offsets[p]);
    const ptrdiff_t full = depth / 4;
    for (ptrdiff_t g = 0; g < full; ++g) {
        __m512i wv[4];
        for (int b = 0; b < nb; ++b) wv[b] = _mm512_loadu_si512(w + b * block_stride + g * 64);
        for (int p = 0; p < mr; ++p) {
            int32_t four;
            memcpy(&four, x + p * x_stride + g * 4, 4);  // constant size: one load
            const __m512i xv = _mm512_set1_epi32(four);
            for (int b = 0; b < nb; ++b) s[p][b] = _mm512_dpbusd_epi32(s[p][b], wv[b], xv);
        }
    }
    if (depth % 4) {  // the last, partial group
        __m512i wv[4];
        for (int b = 0; b < nb; ++b) wv[b] = _mm512_loadu_si512(w + b * block_stride + full * 64);
        for (int p = 0; p < mr; ++p) {
            const __m512i xv = _mm512_set1_epi32(four_bytes(x + p * x_stride, full, depth));
            for (int b = 0; b < nb; ++b) s[p][b] = _mm512_dpbusd_epi32(s[p][b], wv[b], xv);
        }
    }
    for (int p = 0; p < mr; ++p)
        for (int b = 0; b < nb; ++b) _mm512_storeu_si512(acc + p * acc_stride + b * 16, s[p][b]);
}

#define TILE_CASES(MR)                                                                                   \
    switch (nb) {                                                                                        \
    case 4: tile_vnni(acc, acc_stride, x, x_stride, w, block_stride, depth, offsets, MR, 4); break;      \
    case 3: tile_vnni(acc, acc_stride, x, x_stride, w, block_stride, depth, offsets, MR, 3); break;      \
    case 2: tile_vnni(acc, acc_stride, x, x_stride, w, block_stride, depth, offsets, MR, 2); break;      \
    default: tile_vnni(acc, acc_stride, x, x_stride, w, block_stride, depth, offsets, MR, 1); break;     \
    }

__attribute__((target("avx512f,avx512bw,avx512vnni")))
static void tile_dispatch(int32_t *acc, ptrdiff_t acc_stride, const int8_t *x, ptrdiff_t x_stride, const uint8_t *w,
                          ptrdiff_t block_stride, ptrdiff_t depth, const int32_t *offsets, int mr, int nb) {
    switch (mr) {
    case 4: TILE_CASES(4) break;
    case 3: TILE_CASES(3) break;
    case 2: TILE_CASES(2) break;
    default: TILE_CASES(1) break;
    }
}

// -128 · Σ x over one row, via vpdpbusd against bytes of 128 (the products are exact).
__attribute__((target("avx512f,avx512bw,avx512vnni")))
static int32_t row_offset(const int8_t *row, ptrdiff_t depth) {
    const __m512i v128 = _mm512_set1_epi8((char)0x80);
    __m512i sum = _mm512_setzero_si512();
    ptrdiff_t k = 0;
    for (; k + 64 <= depth; k += 64) sum = _mm512_dpbusd_epi32(sum, v128, _mm512_loadu_si512(row + k));
    if (k < depth) {
        const __mmask64 mask = (__mmask64)((~0ULL) >> (64 - (depth - k)));
        sum = _mm512_dpbusd_epi32(sum, v128, _mm512_maskz_loadu_epi8(mask, row + k));
    }
    return (int32_t)(0u - (uint32_t)_mm512_reduce_add_epi32(sum));
}

__attribute__((target("avx512f,avx512bw,avx512vnni")))
static void gemm_vnni(int32_t *acc, ptrdiff_t acc_stride, const int8_t *x, ptrdiff_t x_stride, ptrdiff_t pixels,
                      const uint8_t *packed, ptrdiff_t depth, ptrdiff_t n) {
    const ptrdiff_t groups = (depth + 3) / 4;
    const ptrdiff_t block_stride = groups * 64;
    const ptrdiff_t blocks = (n + 15) / 16;
    for (ptrdiff_t p = 0; p < pixels; p += 4) {
        const int mr = pixels - p < 4 ? (int)(pixels - p) : 4;
        int32_t offsets[4] = {0, 0, 0, 0};
        for (int i = 0; i < mr; ++i) offsets[i] = row_offset(x + (p + i) * x_stride, depth);
        for (ptrdiff_t b = 0; b < blocks; b += 4) {
            const int nb = blocks - b < 4 ? (int)(blocks - b) : 4;
            tile_dispatch(acc + p * acc_stride + b * 16, acc_stride, x + p * x_stride, x_stride, packed + b * block_stride,
                          block_stride, depth, offsets, mr, nb);
        }
    }
}

static int has_vnni(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512vnni") && __builtin_cpu_supports("avx512bw");
}
#endif

int tfl_gemm_s8_available(void) {
#if defined(__x86_64__) || defined(__i386__)
    return tfl_kernels_level() >= 3 && has_vnni();
#else
    return 0;
#endif
}

void tfl_gemm_s8(int32_t *acc, ptrdiff_t acc_stride, const int8_t *x, ptrdiff_t x_stride, ptrdiff_t pixels,
                 const uint8_t *packed, ptrdiff_t depth, ptrdiff_t n) {
#if defined(__x86_64__) || defined(__i386__)
    if (tfl_gemm_s8_available()) {
        gemm_vnni(acc, acc_stride, x, x_stride, pixels, packed, depth, n);
        return;
    }
#endif
    gemm_portable(acc, acc_stride, x, x_stride, pixels, packed, depth, n);
}
