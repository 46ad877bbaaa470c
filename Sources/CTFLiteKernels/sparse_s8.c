// Signed 8-bit products with constant int8 weights that are zero in whole runs of 16 input
// channels: the converter's EXPERIMENTAL_SPARSITY layout for int8 FULLY_CONNECTED weights (1 × 16
// blocks), or any weights whose zeros come in such runs. Each output channel keeps only its blocks
// with a nonzero weight (`starts[j] ..< starts[j + 1]`: `index`, the block's first input channel,
// and 16 bytes of `values`). The last block of a depth that is not a multiple of 16 is moved back
// to end at `depth`, its bytes before the block's own first channel zero, so every block reads
// 16 bytes inside its row. The sums are exact (wrapping) int32, the dense GEMM's (tfl_gemm_s8):
//
// - AVX-512 VNNI: vpdpbusd multiplies unsigned by signed bytes, so the activations go in as
//   x + 128 (one bit flipped) and each channel's 128 · Σ w (its column sum) is taken off.
//   Four blocks per 512-bit step: the weights are one 64-byte load, the activations four
//   16-byte loads.
// - AVX2: bytes widened to int16 and multiplied in pairs by vpmaddwd (each pair's sum fits in
//   32 bits; vpmaddubsw would saturate).
// - NEON: sdot (neon_dot), or smull to 16-bit products added in pairs into 32-bit lanes by sadalp.
#include <string.h>

#include "dispatch.h"

enum { BLOCK = TFL_SPARSE_S8_BLOCK, TILE_ROWS = TFL_SPARSE_S8_TILE_ROWS };

// The first input channel of block b's 16 bytes (depth ≥ 16).
static inline ptrdiff_t block_start(ptrdiff_t b, ptrdiff_t depth) {
    const ptrdiff_t end = (b + 1) * BLOCK < depth ? (b + 1) * BLOCK : depth;
    return end - BLOCK;
}

static inline int block_is_zero(const int8_t *row, ptrdiff_t b, ptrdiff_t depth) {
    const ptrdiff_t end = (b + 1) * BLOCK < depth ? (b + 1) * BLOCK : depth;
    for (ptrdiff_t k = b * BLOCK; k < end; ++k)
        if (row[k]) return 0;
    return 1;
}

ptrdiff_t tfl_sparse_s8_count(const int8_t *w, ptrdiff_t n, ptrdiff_t depth) {
    const ptrdiff_t blocks = (depth + BLOCK - 1) / BLOCK;
    ptrdiff_t count = 0;
    for (ptrdiff_t j = 0; j < n; ++j)
        for (ptrdiff_t b = 0; b < blocks; ++b) count += !block_is_zero(w + j * depth, b, depth);
    return count;
}

void tfl_sparse_s8_encode(const int8_t *w, ptrdiff_t n, ptrdiff_t depth, int32_t *starts, int32_t *index, int8_t *values,
                          int32_t *column_sums) {
    const ptrdiff_t blocks = (depth + BLOCK - 1) / BLOCK;
    int32_t next = 0;
    for (ptrdiff_t j = 0; j < n; ++j) {
        const int8_t *row = w + j * depth;
        uint32_t sum = 0;  // wrapping, as the GEMM's sums
        starts[j] = next;
        for (ptrdiff_t b = 0; b < blocks; ++b) {
            if (block_is_zero(row, b, depth)) continue;
            const ptrdiff_t start = block_start(b, depth);
            index[next] = (int32_t)start;
            for (ptrdiff_t i = 0; i < BLOCK; ++i) {
                const int8_t v = start + i >= b * BLOCK ? row[start + i] : 0;
                values[(ptrdiff_t)next * BLOCK + i] = v;
                sum += (uint32_t)(int32_t)v;
            }
            ++next;
        }
        column_sums[j] = (int32_t)sum;
    }
    starts[n] = next;
}

// The definition, in wrapping 32-bit arithmetic.
static void sparse_portable(int32_t *acc, ptrdiff_t acc_stride, const int8_t *x, ptrdiff_t x_stride, ptrdiff_t pixels,
                            const int32_t *starts, const int32_t *index, const int8_t *values, const int32_t *column_sums,
                            ptrdiff_t n) {
    (void)column_sums;
    for (ptrdiff_t p = 0; p < pixels; ++p) {
        const int8_t *row = x + p * x_stride;
        for (ptrdiff_t j = 0; j < n; ++j) {
            uint32_t sum = 0;
            for (int32_t e = starts[j]; e < starts[j + 1]; ++e) {
                const int8_t *xs = row + index[e], *ws = values + (ptrdiff_t)e * BLOCK;
                for (int i = 0; i < BLOCK; ++i) sum += (uint32_t)((int32_t)xs[i] * (int32_t)ws[i]);
            }
            acc[p * acc_stride + j] = (int32_t)sum;
        }
    }
}

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#define TFL_TARGET_VNNI __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni")))

// Four blocks' activations, as unsigned bytes x + 128, in one register.
TFL_TARGET_VNNI __attribute__((always_inline))
static inline __m512i four_blocks(const int8_t *row, const int32_t *index, __m512i flip) {
    __m512i v = _mm512_castsi128_si512(_mm_loadu_si128((const __m128i *)(row + index[0])));
    v = _mm512_inserti32x4(v, _mm_loadu_si128((const __m128i *)(row + index[1])), 1);
    v = _mm512_inserti32x4(v, _mm_loadu_si128((const __m128i *)(row + index[2])), 2);
    v = _mm512_inserti32x4(v, _mm_loadu_si128((const __m128i *)(row + index[3])), 3);
    return _mm512_xor_si512(v, flip);
}

// Channel j's sum Σ (x + 128) · w folded to four 32-bit lanes.
TFL_TARGET_VNNI __attribute__((always_inline))
static inline __m128i channel_vnni(const int8_t *row, const int32_t *index, const int8_t *values, int32_t e, int32_t end,
                                   __m512i flip) {
    __m512i s0 = _mm512_setzero_si512(), s1 = _mm512_setzero_si512();
    for (; e + 8 <= end; e += 8) {
        s0 = _mm512_dpbusd_epi32(s0, four_blocks(row, index + e, flip), _mm512_loadu_si512(values + (ptrdiff_t)e * BLOCK));
        s1 = _mm512_dpbusd_epi32(s1, four_blocks(row, index + e + 4, flip),
                                 _mm512_loadu_si512(values + (ptrdiff_t)(e + 4) * BLOCK));
    }
    if (e + 4 <= end) {
        s0 = _mm512_dpbusd_epi32(s0, four_blocks(row, index + e, flip), _mm512_loadu_si512(values + (ptrdiff_t)e * BLOCK));
        e += 4;
    }
    s0 = _mm512_add_epi32(s0, s1);
    const __m256i half = _mm256_add_epi32(_mm512_castsi512_si256(s0), _mm512_extracti64x4_epi64(s0, 1));
    __m128i t = _mm_add_epi32(_mm256_castsi256_si128(half), _mm256_extracti128_si256(half, 1));
    for (; e < end; ++e) {
        const __m128i xv = _mm_xor_si128(_mm_loadu_si128((const __m128i *)(row + index[e])), _mm512_castsi512_si128(flip));
        t = _mm_dpbusd_epi32(t, xv, _mm_loadu_si128((const __m128i *)(values + (ptrdiff_t)e * BLOCK)));
    }
    return t;
}

TFL_TARGET_VNNI
static void sparse_vnni(int32_t *acc, ptrdiff_t acc_stride, const int8_t *x, ptrdiff_t x_stride, ptrdiff_t pixels,
                        const int32_t *starts, const int32_t *index, const int8_t *values, const int32_t *column_sums,
                        ptrdiff_t n) {
    const __m512i flip = _mm512_set1_epi8((char)0x80);
    for (ptrdiff_t p = 0; p < pixels; ++p) {
        const int8_t *row = x + p * x_stride;
        int32_t *out = acc + p * acc_stride;
        ptrdiff_t j = 0;
        // Four channels' lanes folded together: one horizontal sum for four channels.
        for (; j + 4 <= n; j += 4) {
            const __m128i a = channel_vnni(row, index, values, starts[j], starts[j + 1], flip);
            const __m128i b = channel_vnni(row, index, values, starts[j + 1], starts[j + 2], flip);
            const __m128i c = channel_vnni(row, index, values, starts[j + 2], starts[j + 3], flip);
            const __m128i d = channel_vnni(row, index, values, starts[j + 3], starts[j + 4], flip);
            const __m128i sums = _mm_hadd_epi32(_mm_hadd_epi32(a, b), _mm_hadd_epi32(c, d));
            const __m128i correction = _mm_slli_epi32(_mm_loadu_si128((const __m128i *)(column_sums + j)), 7);
            _mm_storeu_si128((__m128i *)(out + j), _mm_sub_epi32(sums, correction));
        }
        for (; j < n; ++j) {
            __m128i t = channel_vnni(row, index, values, starts[j], starts[j + 1], flip);
            t = _mm_hadd_epi32(t, t);
            t = _mm_hadd_epi32(t, t);
            out[j] = (int32_t)((uint32_t)_mm_cvtsi128_si32(t) - ((uint32_t)column_sums[j] << 7));
        }
    }
}

// Several rows at once (depth a multiple of 4): a tile of up to 16 rows is staged as
// staged[g][r] = the four bytes 4g ... 4g + 3 of row r as x + 128, so each four weights of a
// block, broadcast, meet 16 rows' activations in one vpdpbusd (64 products, the dense GEMM's
// rate); a channel's 16 row sums land in one register, and every 16 channels are written back
// to the rows from a tile.
// Four weights broadcast to every 32-bit lane.
TFL_TARGET_VNNI __attribute__((always_inline))
static inline __m512i quad(const int8_t *w) {
    int32_t v;
    memcpy(&v, w, 4);
    return _mm512_set1_epi32(v);
}

TFL_TARGET_VNNI
static void sparse_vnni_rows(int32_t *acc, ptrdiff_t acc_stride, const int8_t *x, ptrdiff_t x_stride, ptrdiff_t pixels,
                             const int32_t *starts, const int32_t *index, const int8_t *values, const int32_t *column_sums,
                             ptrdiff_t depth, ptrdiff_t n, int32_t *scratch) {
    const ptrdiff_t groups = depth / 4;
    uint32_t *staged = (uint32_t *)scratch;
    int32_t *tile = scratch + groups * TILE_ROWS;
    for (ptrdiff_t p0 = 0; p0 < pixels; p0 += TILE_ROWS) {
        const ptrdiff_t rows = pixels - p0 < TILE_ROWS ? pixels - p0 : TILE_ROWS;
        for (ptrdiff_t r = 0; r < TILE_ROWS; ++r) {
            const int8_t *row = x + (p0 + (r < rows ? r : 0)) * x_stride;
            for (ptrdiff_t g = 0; g < groups; ++g) {
                uint32_t v;
                memcpy(&v, row + 4 * g, 4);
                staged[g * TILE_ROWS + r] = v ^ 0x80808080u;
            }
        }
        for (ptrdiff_t j0 = 0; j0 < n; j0 += 16) {
            const ptrdiff_t nj = n - j0 < 16 ? n - j0 : 16;
            for (ptrdiff_t jj = 0; jj < nj; ++jj) {
                const ptrdiff_t j = j0 + jj;
                __m512i s0 = _mm512_setzero_si512(), s1 = _mm512_setzero_si512();
                __m512i s2 = _mm512_setzero_si512(), s3 = _mm512_setzero_si512();
                for (int32_t e = starts[j]; e < starts[j + 1]; ++e) {
                    const uint32_t *xs = staged + (ptrdiff_t)(index[e] / 4) * TILE_ROWS;
                    const int8_t *w = values + (ptrdiff_t)e * BLOCK;
                    s0 = _mm512_dpbusd_epi32(s0, _mm512_loadu_si512(xs), quad(w));
                    s1 = _mm512_dpbusd_epi32(s1, _mm512_loadu_si512(xs + TILE_ROWS), quad(w + 4));
                    s2 = _mm512_dpbusd_epi32(s2, _mm512_loadu_si512(xs + 2 * TILE_ROWS), quad(w + 8));
                    s3 = _mm512_dpbusd_epi32(s3, _mm512_loadu_si512(xs + 3 * TILE_ROWS), quad(w + 12));
                }
                const __m512i correction = _mm512_slli_epi32(_mm512_set1_epi32(column_sums[j]), 7);
                const __m512i sum = _mm512_add_epi32(_mm512_add_epi32(s0, s1), _mm512_add_epi32(s2, s3));
                _mm512_storeu_si512(tile + jj * TILE_ROWS, _mm512_sub_epi32(sum, correction));
            }
            for (ptrdiff_t r = 0; r < rows; ++r) {
                int32_t *out = acc + (p0 + r) * acc_stride + j0;
                for (ptrdiff_t jj = 0; jj < nj; ++jj) out[jj] = tile[jj * TILE_ROWS + r];
            }
        }
    }
}

// Channel j's sum Σ x · w in eight 32-bit lanes.
__attribute__((target("avx2"), always_inline))
static inline __m256i channel_avx2(const int8_t *row, const int32_t *index, const int8_t *values, int32_t e, int32_t end) {
    __m256i s0 = _mm256_setzero_si256(), s1 = _mm256_setzero_si256();
    for (; e + 2 <= end; e += 2) {
        const __m256i x0 = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(row + index[e])));
        const __m256i w0 = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(values + (ptrdiff_t)e * BLOCK)));
        const __m256i x1 = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(row + index[e + 1])));
        const __m256i w1 = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(values + (ptrdiff_t)(e + 1) * BLOCK)));
        s0 = _mm256_add_epi32(s0, _mm256_madd_epi16(x0, w0));
        s1 = _mm256_add_epi32(s1, _mm256_madd_epi16(x1, w1));
    }
    if (e < end) {
        const __m256i x0 = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(row + index[e])));
        const __m256i w0 = _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)(values + (ptrdiff_t)e * BLOCK)));
        s0 = _mm256_add_epi32(s0, _mm256_madd_epi16(x0, w0));
    }
    return _mm256_add_epi32(s0, s1);
}

__attribute__((target("avx2")))
static void sparse_avx2(int32_t *acc, ptrdiff_t acc_stride, const int8_t *x, ptrdiff_t x_stride, ptrdiff_t pixels,
                        const int32_t *starts, const int32_t *index, const int8_t *values, const int32_t *column_sums,
                        ptrdiff_t n) {
    (void)column_sums;
    for (ptrdiff_t p = 0; p < pixels; ++p) {
        const int8_t *row = x + p * x_stride;
        int32_t *out = acc + p * acc_stride;
        ptrdiff_t j = 0;
        for (; j + 4 <= n; j += 4) {
            const __m256i a = channel_avx2(row, index, values, starts[j], starts[j + 1]);
            const __m256i b = channel_avx2(row, index, values, starts[j + 1], starts[j + 2]);
            const __m256i c = channel_avx2(row, index, values, starts[j + 2], starts[j + 3]);
            const __m256i d = channel_avx2(row, index, values, starts[j + 3], starts[j + 4]);
            // Lane i of the two halves: channel j + i's partial sums.
            const __m256i sums = _mm256_hadd_epi32(_mm256_hadd_epi32(a, b), _mm256_hadd_epi32(c, d));
            _mm_storeu_si128((__m128i *)(out + j), _mm_add_epi32(_mm256_castsi256_si128(sums), _mm256_extracti128_si256(sums, 1)));
        }
        for (; j < n; ++j) {
            const __m256i a = channel_avx2(row, index, values, starts[j], starts[j + 1]);
            __m128i t = _mm_add_epi32(_mm256_castsi256_si128(a), _mm256_extracti128_si256(a, 1));
            t = _mm_hadd_epi32(t, t);
            t = _mm_hadd_epi32(t, t);
            out[j] = _mm_cvtsi128_si32(t);
        }
    }
}
#endif

#if defined(__aarch64__)
#include <arm_neon.h>

static void sparse_neon(int32_t *acc, ptrdiff_t acc_stride, const int8_t *x, ptrdiff_t x_stride, ptrdiff_t pixels,
                        const int32_t *starts, const int32_t *index, const int8_t *values, const int32_t *column_sums,
                        ptrdiff_t n) {
    (void)column_sums;
    for (ptrdiff_t p = 0; p < pixels; ++p) {
        const int8_t *row = x + p * x_stride;
        for (ptrdiff_t j = 0; j < n; ++j) {
            int32x4_t s = vdupq_n_s32(0);
            for (int32_t e = starts[j]; e < starts[j + 1]; ++e) {
                const int8x16_t xv = vld1q_s8(row + index[e]), wv = vld1q_s8(values + (ptrdiff_t)e * BLOCK);
                s = vpadalq_s16(s, vmull_s8(vget_low_s8(xv), vget_low_s8(wv)));
                s = vpadalq_s16(s, vmull_high_s8(xv, wv));
            }
            acc[p * acc_stride + j] = vaddvq_s32(s);
        }
    }
}

TFL_TARGET_DOTPROD
static void sparse_dot(int32_t *acc, ptrdiff_t acc_stride, const int8_t *x, ptrdiff_t x_stride, ptrdiff_t pixels,
                       const int32_t *starts, const int32_t *index, const int8_t *values, const int32_t *column_sums,
                       ptrdiff_t n) {
    (void)column_sums;
    for (ptrdiff_t p = 0; p < pixels; ++p) {
        const int8_t *row = x + p * x_stride;
        for (ptrdiff_t j = 0; j < n; ++j) {
            int32x4_t s0 = vdupq_n_s32(0), s1 = vdupq_n_s32(0);
            int32_t e = starts[j];
            const int32_t end = starts[j + 1];
            for (; e + 2 <= end; e += 2) {
                s0 = vdotq_s32(s0, vld1q_s8(row + index[e]), vld1q_s8(values + (ptrdiff_t)e * BLOCK));
                s1 = vdotq_s32(s1, vld1q_s8(row + index[e + 1]), vld1q_s8(values + (ptrdiff_t)(e + 1) * BLOCK));
            }
            if (e < end) s0 = vdotq_s32(s0, vld1q_s8(row + index[e]), vld1q_s8(values + (ptrdiff_t)e * BLOCK));
            acc[p * acc_stride + j] = vaddvq_s32(vaddq_s32(s0, s1));
        }
    }
}
#endif

void tfl_select_sparse_s8(tfl_kernels *k, const tfl_cpu_features *f) {
    k->sparse_s8 = sparse_portable;
    k->sparse_s8_rows = 0;
#if defined(__x86_64__) || defined(__i386__)
    if (f->avx512_vnni) {
        k->sparse_s8 = sparse_vnni;
        k->sparse_s8_rows = sparse_vnni_rows;
    } else if (f->avx2_fma) {
        k->sparse_s8 = sparse_avx2;
    }
#elif defined(__aarch64__)
    if (f->neon) k->sparse_s8 = f->neon_dot ? sparse_dot : sparse_neon;
#else
    (void)f;
#endif
}

ptrdiff_t tfl_sparse_s8_scratch_count(ptrdiff_t depth) { return (depth / 4 + 16) * TILE_ROWS; }

int tfl_sparse_s8_multirow(ptrdiff_t depth) { return tfl_kernels_current()->sparse_s8_rows != 0 && depth % 4 == 0; }

void tfl_sparse_s8(int32_t *acc, ptrdiff_t acc_stride, const int8_t *x, ptrdiff_t x_stride, ptrdiff_t pixels, const int32_t *starts,
                   const int32_t *index, const int8_t *values, const int32_t *column_sums, ptrdiff_t depth, ptrdiff_t n,
                   int32_t *scratch) {
    const tfl_kernels *k = tfl_kernels_current();
    if (pixels > 1 && k->sparse_s8_rows && depth % 4 == 0 && scratch) {
        k->sparse_s8_rows(acc, acc_stride, x, x_stride, pixels, starts, index, values, column_sums, depth, n, scratch);
        return;
    }
    k->sparse_s8(acc, acc_stride, x, x_stride, pixels, starts, index, values, column_sums, n);
}
