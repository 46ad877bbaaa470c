// Unsigned × signed 8-bit GEMM for int8 convolutions on CPUs with AVX-512 VNNI: vpdpbusd sums
// four u8 × s8 products into each 32-bit lane, exactly (no saturation). Activations arrive as
// x + 128 (unsigned), and the caller folds -(128 + zero point) × Σw into the bias, so the sums
// equal LiteRT's Σ (x - zero point) × w bit for bit.
//
// Packed weights: blocks of 16 output channels; within a block, for each group of four
// reduction steps, 16 × 4 bytes (channel-major, the four steps adjacent), which is the operand
// layout vpdpbusd consumes.
#include <string.h>

#include "CTFLiteKernels.h"

ptrdiff_t tfl_gemm_u8s8_packed_size(ptrdiff_t depth, ptrdiff_t n) {
    return ((n + 15) / 16) * 16 * ((depth + 3) / 4) * 4;
}

void tfl_gemm_u8s8_pack(const int8_t *w, ptrdiff_t n, ptrdiff_t depth, int8_t *packed, int32_t *column_sums) {
    const ptrdiff_t groups = (depth + 3) / 4;
    const ptrdiff_t blocks = (n + 15) / 16;
    memset(packed, 0, (size_t)tfl_gemm_u8s8_packed_size(depth, n));
    for (ptrdiff_t j = 0; j < n; ++j) {
        int32_t sum = 0;
        int8_t *block = packed + (j / 16) * groups * 64;
        for (ptrdiff_t k = 0; k < depth; ++k) {
            const int8_t v = w[j * depth + k];
            block[(k / 4) * 64 + (j % 16) * 4 + (k % 4)] = v;
            sum += v;
        }
        if (column_sums) column_sums[j] = sum;
    }
    (void)blocks;
}

static void gemm_portable(int32_t *acc, ptrdiff_t acc_stride, const int8_t *x, ptrdiff_t x_stride, ptrdiff_t pixels,
                          const int8_t *packed, ptrdiff_t depth, ptrdiff_t n) {
    const ptrdiff_t groups = (depth + 3) / 4;
    for (ptrdiff_t p = 0; p < pixels; ++p) {
        const int8_t *row = x + p * x_stride;
        for (ptrdiff_t j = 0; j < n; ++j) {
            const int8_t *block = packed + (j / 16) * groups * 64 + (j % 16) * 4;
            int32_t sum = 0;
            for (ptrdiff_t k = 0; k < depth; ++k) sum += ((int32_t)row[k] + 128) * (int32_t)block[(k / 4) * 64 + (k % 4)];
            acc[p * acc_stride + j] = sum;
        }
    }
}

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

// MR pixels × NB blocks of 16 channels; MR and NB are constants after inlining.
__attribute__((target("avx512f,avx512bw,avx512vnni"), always_inline))
static inline void tile_vnni(int32_t *acc, ptrdiff_t acc_stride, const int8_t *x, ptrdiff_t x_stride, const int8_t *w,
                             ptrdiff_t block_stride, ptrdiff_t depth, const int mr, const int nb) {
    __m512i s[4][4];
    for (int p = 0; p < mr; ++p)
        for (int b = 0; b < nb; ++b) s[p][b] = _mm512_setzero_si512();
    const __m512i flip = _mm512_set1_epi32((int32_t)0x80808080u);
    const ptrdiff_t full = depth / 4;
    for (ptrdiff_t g = 0; g < full; ++g) {
        __m512i wv[4];
        for (int b = 0; b < nb; ++b) wv[b] = _mm512_loadu_si512(w + b * block_stride + g * 64);
        for (int p = 0; p < mr; ++p) {
            int32_t four;
            memcpy(&four, x + p * x_stride + g * 4, 4);
            const __m512i xv = _mm512_xor_si512(_mm512_set1_epi32(four), flip);
            for (int b = 0; b < nb; ++b) s[p][b] = _mm512_dpbusd_epi32(s[p][b], xv, wv[b]);
        }
    }
    const ptrdiff_t rest = depth - full * 4;
    if (rest) {
        __m512i wv[4];
        for (int b = 0; b < nb; ++b) wv[b] = _mm512_loadu_si512(w + b * block_stride + full * 64);
        for (int p = 0; p < mr; ++p) {
            // Missing steps read 0x80 (0 once flipped); their packed weights are 0 anyway.
            uint8_t bytes[4] = {0x80, 0x80, 0x80, 0x80};
            memcpy(bytes, x + p * x_stride + full * 4, (size_t)rest);
            int32_t four;
            memcpy(&four, bytes, 4);
            const __m512i xv = _mm512_xor_si512(_mm512_set1_epi32(four), flip);
            for (int b = 0; b < nb; ++b) s[p][b] = _mm512_dpbusd_epi32(s[p][b], xv, wv[b]);
        }
    }
    for (int p = 0; p < mr; ++p)
        for (int b = 0; b < nb; ++b) _mm512_storeu_si512(acc + p * acc_stride + b * 16, s[p][b]);
}

#define TILE_CASES(MR)                                                                                   \
    switch (nb) {                                                                                        \
    case 4: tile_vnni(acc, acc_stride, x, x_stride, w, block_stride, depth, MR, 4); break;            \
    case 3: tile_vnni(acc, acc_stride, x, x_stride, w, block_stride, depth, MR, 3); break;            \
    case 2: tile_vnni(acc, acc_stride, x, x_stride, w, block_stride, depth, MR, 2); break;            \
    default: tile_vnni(acc, acc_stride, x, x_stride, w, block_stride, depth, MR, 1); break;           \
    }

__attribute__((target("avx512f,avx512bw,avx512vnni")))
static void tile_dispatch(int32_t *acc, ptrdiff_t acc_stride, const int8_t *x, ptrdiff_t x_stride, const int8_t *w,
                          ptrdiff_t block_stride, ptrdiff_t depth, int mr, int nb) {
    switch (mr) {
    case 4: TILE_CASES(4) break;
    case 3: TILE_CASES(3) break;
    case 2: TILE_CASES(2) break;
    default: TILE_CASES(1) break;
    }
}

__attribute__((target("avx512f,avx512bw,avx512vnni")))
static void gemm_vnni(int32_t *acc, ptrdiff_t acc_stride, const int8_t *x, ptrdiff_t x_stride, ptrdiff_t pixels,
                      const int8_t *packed, ptrdiff_t depth, ptrdiff_t n) {
    const ptrdiff_t groups = (depth + 3) / 4;
    const ptrdiff_t block_stride = groups * 64;
    const ptrdiff_t blocks = (n + 15) / 16;
    for (ptrdiff_t p = 0; p < pixels; p += 4) {
        const int mr = pixels - p < 4 ? (int)(pixels - p) : 4;
        for (ptrdiff_t b = 0; b < blocks; b += 4) {
            const int nb = blocks - b < 4 ? (int)(blocks - b) : 4;
            tile_dispatch(acc + p * acc_stride + b * 16, acc_stride, x + p * x_stride, x_stride, packed + b * block_stride,
                          block_stride, depth, mr, nb);
        }
    }
}

static int has_vnni(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512vnni") && __builtin_cpu_supports("avx512bw");
}
#endif

int tfl_gemm_u8s8_available(void) {
#if defined(__x86_64__) || defined(__i386__)
    return tfl_kernels_level() >= 3 && has_vnni();
#else
    return 0;
#endif
}

void tfl_gemm_u8s8(int32_t *acc, ptrdiff_t acc_stride, const int8_t *x, ptrdiff_t x_stride, ptrdiff_t pixels,
                   const int8_t *packed, ptrdiff_t depth, ptrdiff_t n) {
#if defined(__x86_64__) || defined(__i386__)
    if (tfl_gemm_u8s8_available()) {
        gemm_vnni(acc, acc_stride, x, x_stride, pixels, packed, depth, n);
        return;
    }
#endif
    gemm_portable(acc, acc_stride, x, x_stride, pixels, packed, depth, n);
}
