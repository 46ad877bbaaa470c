// Sums of 8-bit rows into int32 column totals, for MEAN and SUM over the leading axes of a
// `[rows][n]` block (EfficientNet's squeeze-and-excitation means over H × W, channels kept),
// and of float32 rows into float totals (instance normalization's means in style transfer).
// Up to 256 rows fit a 16-bit partial sum exactly (int8: |Σ| ≤ 256 · 128 = 32768, the extreme
// −32768 included; uint8: Σ ≤ 256 · 255 = 65280 as unsigned), so the vector variants add rows
// as 16-bit lanes and widen once per 256 rows. Totals wrap as 32-bit sums do.
#include "dispatch.h"

static void sums_portable(const uint8_t *x, int is_signed, ptrdiff_t rows, ptrdiff_t n, int32_t *sums) {
    for (ptrdiff_t r = 0; r < rows; ++r)
        for (ptrdiff_t c = 0; c < n; ++c) {
            const int32_t v = is_signed ? (int32_t)(int8_t)x[r * n + c] : (int32_t)x[r * n + c];
            sums[c] = (int32_t)((uint32_t)sums[c] + (uint32_t)v);
        }
}

// Float columns: every total adds its rows one at a time in row order, each sum rounded on its
// own (no fused or reassociated adds), so the vector variants, which only take several columns
// at once, give the bits of this loop.
static void sums_f32_portable(const float *x, ptrdiff_t rows, ptrdiff_t n, float *sums) {
    for (ptrdiff_t r = 0; r < rows; ++r)
        for (ptrdiff_t c = 0; c < n; ++c) sums[c] += x[r * n + c];
}

enum { PARTIAL_ROWS = 256 };

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

// Blocks of 32 columns (`is_signed` a constant after inlining).
__attribute__((target("avx512f,avx512bw,avx512vl"), always_inline))
static inline void sums_avx512_body(const uint8_t *x, ptrdiff_t rows, ptrdiff_t n, int32_t *sums, const int is_signed) {
    for (ptrdiff_t c = 0; c < n; c += 32) {
        const ptrdiff_t left = n - c;
        const __mmask32 mask = left >= 32 ? (__mmask32)0xFFFFFFFFu : (__mmask32)((1u << left) - 1);
        const __mmask16 m0 = left >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << left) - 1);
        const __mmask16 m1 = left >= 32 ? (__mmask16)0xFFFF : (left <= 16 ? 0 : (__mmask16)((1u << (left - 16)) - 1));
        __m512i lo = _mm512_maskz_loadu_epi32(m0, sums + c), hi = _mm512_maskz_loadu_epi32(m1, sums + c + 16);
        for (ptrdiff_t r0 = 0; r0 < rows; r0 += PARTIAL_ROWS) {
            const ptrdiff_t r1 = rows - r0 < PARTIAL_ROWS ? rows : r0 + PARTIAL_ROWS;
            __m512i partial = _mm512_setzero_si512();
            for (ptrdiff_t r = r0; r < r1; ++r) {
                const __m256i bytes = _mm256_maskz_loadu_epi8(mask, x + r * n + c);
                partial = _mm512_add_epi16(partial, is_signed ? _mm512_cvtepi8_epi16(bytes) : _mm512_cvtepu8_epi16(bytes));
            }
            const __m256i p0 = _mm512_castsi512_si256(partial), p1 = _mm512_extracti64x4_epi64(partial, 1);
            lo = _mm512_add_epi32(lo, is_signed ? _mm512_cvtepi16_epi32(p0) : _mm512_cvtepu16_epi32(p0));
            hi = _mm512_add_epi32(hi, is_signed ? _mm512_cvtepi16_epi32(p1) : _mm512_cvtepu16_epi32(p1));
        }
        _mm512_mask_storeu_epi32(sums + c, m0, lo);
        if (m1) _mm512_mask_storeu_epi32(sums + c + 16, m1, hi);
    }
}

// Float: four blocks of 16 columns at a time held in registers over all rows, masked tails.
__attribute__((target("avx512f")))
static void sums_f32_avx512(const float *x, ptrdiff_t rows, ptrdiff_t n, float *sums) {
    ptrdiff_t c = 0;
    for (; c + 64 <= n; c += 64) {
        __m512 t0 = _mm512_loadu_ps(sums + c), t1 = _mm512_loadu_ps(sums + c + 16);
        __m512 t2 = _mm512_loadu_ps(sums + c + 32), t3 = _mm512_loadu_ps(sums + c + 48);
        for (ptrdiff_t r = 0; r < rows; ++r) {
            const float *row = x + r * n + c;
            t0 = _mm512_add_ps(t0, _mm512_loadu_ps(row));
            t1 = _mm512_add_ps(t1, _mm512_loadu_ps(row + 16));
            t2 = _mm512_add_ps(t2, _mm512_loadu_ps(row + 32));
            t3 = _mm512_add_ps(t3, _mm512_loadu_ps(row + 48));
        }
        _mm512_storeu_ps(sums + c, t0);
        _mm512_storeu_ps(sums + c + 16, t1);
        _mm512_storeu_ps(sums + c + 32, t2);
        _mm512_storeu_ps(sums + c + 48, t3);
    }
    for (; c < n; c += 16) {
        const ptrdiff_t left = n - c;
        const __mmask16 mask = left >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << left) - 1);
        __m512 t = _mm512_maskz_loadu_ps(mask, sums + c);
        for (ptrdiff_t r = 0; r < rows; ++r) t = _mm512_add_ps(t, _mm512_maskz_loadu_ps(mask, x + r * n + c));
        _mm512_mask_storeu_ps(sums + c, mask, t);
    }
}

__attribute__((target("avx512f,avx512bw,avx512vl")))
static void sums_avx512(const uint8_t *x, int is_signed, ptrdiff_t rows, ptrdiff_t n, int32_t *sums) {
    if (is_signed) sums_avx512_body(x, rows, n, sums, 1);
    else sums_avx512_body(x, rows, n, sums, 0);
}

// Blocks of 16 columns; a tail under 16 goes to the portable loop.
__attribute__((target("avx2"), always_inline))
static inline void sums_avx2_body(const uint8_t *x, ptrdiff_t rows, ptrdiff_t n, int32_t *sums, const int is_signed) {
    ptrdiff_t c = 0;
    for (; c + 16 <= n; c += 16) {
        __m256i lo = _mm256_loadu_si256((const __m256i *)(sums + c)), hi = _mm256_loadu_si256((const __m256i *)(sums + c + 8));
        for (ptrdiff_t r0 = 0; r0 < rows; r0 += PARTIAL_ROWS) {
            const ptrdiff_t r1 = rows - r0 < PARTIAL_ROWS ? rows : r0 + PARTIAL_ROWS;
            __m256i partial = _mm256_setzero_si256();
            for (ptrdiff_t r = r0; r < r1; ++r) {
                const __m128i bytes = _mm_loadu_si128((const __m128i *)(x + r * n + c));
                partial = _mm256_add_epi16(partial, is_signed ? _mm256_cvtepi8_epi16(bytes) : _mm256_cvtepu8_epi16(bytes));
            }
            const __m128i p0 = _mm256_castsi256_si128(partial), p1 = _mm256_extracti128_si256(partial, 1);
            lo = _mm256_add_epi32(lo, is_signed ? _mm256_cvtepi16_epi32(p0) : _mm256_cvtepu16_epi32(p0));
            hi = _mm256_add_epi32(hi, is_signed ? _mm256_cvtepi16_epi32(p1) : _mm256_cvtepu16_epi32(p1));
        }
        _mm256_storeu_si256((__m256i *)(sums + c), lo);
        _mm256_storeu_si256((__m256i *)(sums + c + 8), hi);
    }
    if (c < n)
        for (ptrdiff_t r = 0; r < rows; ++r) sums_portable(x + r * n + c, is_signed, 1, n - c, sums + c);
}

// Float: blocks of 32, then 8 columns; a tail under 8 goes to the portable loop.
__attribute__((target("avx2")))
static void sums_f32_avx2(const float *x, ptrdiff_t rows, ptrdiff_t n, float *sums) {
    ptrdiff_t c = 0;
    for (; c + 32 <= n; c += 32) {
        __m256 t0 = _mm256_loadu_ps(sums + c), t1 = _mm256_loadu_ps(sums + c + 8);
        __m256 t2 = _mm256_loadu_ps(sums + c + 16), t3 = _mm256_loadu_ps(sums + c + 24);
        for (ptrdiff_t r = 0; r < rows; ++r) {
            const float *row = x + r * n + c;
            t0 = _mm256_add_ps(t0, _mm256_loadu_ps(row));
            t1 = _mm256_add_ps(t1, _mm256_loadu_ps(row + 8));
            t2 = _mm256_add_ps(t2, _mm256_loadu_ps(row + 16));
            t3 = _mm256_add_ps(t3, _mm256_loadu_ps(row + 24));
        }
        _mm256_storeu_ps(sums + c, t0);
        _mm256_storeu_ps(sums + c + 8, t1);
        _mm256_storeu_ps(sums + c + 16, t2);
        _mm256_storeu_ps(sums + c + 24, t3);
    }
    for (; c + 8 <= n; c += 8) {
        __m256 t = _mm256_loadu_ps(sums + c);
        for (ptrdiff_t r = 0; r < rows; ++r) t = _mm256_add_ps(t, _mm256_loadu_ps(x + r * n + c));
        _mm256_storeu_ps(sums + c, t);
    }
    if (c < n)
        for (ptrdiff_t r = 0; r < rows; ++r) sums_f32_portable(x + r * n + c, 1, n - c, sums + c);
}

__attribute__((target("avx2")))
static void sums_avx2(const uint8_t *x, int is_signed, ptrdiff_t rows, ptrdiff_t n, int32_t *sums) {
    if (is_signed) sums_avx2_body(x, rows, n, sums, 1);
    else sums_avx2_body(x, rows, n, sums, 0);
}
#endif

#if defined(__aarch64__)
#include <arm_neon.h>

// NEON: blocks of 16 columns added as 16-bit lanes (saddw/uaddw of the bytes) for up to 256
// rows, then widened into the int32 totals; a tail under 16 goes to the portable loop.
// `is_signed` is a constant after inlining.
__attribute__((always_inline))
static inline void sums_neon_body(const uint8_t *x, ptrdiff_t rows, ptrdiff_t n, int32_t *sums, const int is_signed) {
    ptrdiff_t c = 0;
    for (; c + 16 <= n; c += 16) {
        int32x4_t t[4];
        for (int q = 0; q < 4; ++q) t[q] = vld1q_s32(sums + c + 4 * q);
        for (ptrdiff_t r0 = 0; r0 < rows; r0 += PARTIAL_ROWS) {
            const ptrdiff_t r1 = rows - r0 < PARTIAL_ROWS ? rows : r0 + PARTIAL_ROWS;
            int16x8_t p0 = vdupq_n_s16(0), p1 = vdupq_n_s16(0);
            for (ptrdiff_t r = r0; r < r1; ++r) {
                const uint8x16_t bytes = vld1q_u8(x + r * n + c);
                if (is_signed) {
                    p0 = vaddw_s8(p0, vget_low_s8(vreinterpretq_s8_u8(bytes)));
                    p1 = vaddw_high_s8(p1, vreinterpretq_s8_u8(bytes));
                } else {
                    p0 = vreinterpretq_s16_u16(vaddw_u8(vreinterpretq_u16_s16(p0), vget_low_u8(bytes)));
                    p1 = vreinterpretq_s16_u16(vaddw_high_u8(vreinterpretq_u16_s16(p1), bytes));
                }
            }
            const int16x8_t p[2] = {p0, p1};
            for (int h = 0; h < 2; ++h) {
                // int8 partials are signed 16-bit sums, uint8 ones unsigned (up to 65280).
                if (is_signed) {
                    t[2 * h] = vaddw_s16(t[2 * h], vget_low_s16(p[h]));
                    t[2 * h + 1] = vaddw_high_s16(t[2 * h + 1], p[h]);
                } else {
                    const uint16x8_t u = vreinterpretq_u16_s16(p[h]);
                    t[2 * h] = vreinterpretq_s32_u32(vaddw_u16(vreinterpretq_u32_s32(t[2 * h]), vget_low_u16(u)));
                    t[2 * h + 1] = vreinterpretq_s32_u32(vaddw_high_u16(vreinterpretq_u32_s32(t[2 * h + 1]), u));
                }
            }
        }
        for (int q = 0; q < 4; ++q) vst1q_s32(sums + c + 4 * q, t[q]);
    }
    if (c < n)
        for (ptrdiff_t r = 0; r < rows; ++r) sums_portable(x + r * n + c, is_signed, 1, n - c, sums + c);
}

// Float: blocks of 16, then 4 columns; a tail under 4 goes to the portable loop.
static void sums_f32_neon(const float *x, ptrdiff_t rows, ptrdiff_t n, float *sums) {
    ptrdiff_t c = 0;
    for (; c + 16 <= n; c += 16) {
        float32x4_t t0 = vld1q_f32(sums + c), t1 = vld1q_f32(sums + c + 4);
        float32x4_t t2 = vld1q_f32(sums + c + 8), t3 = vld1q_f32(sums + c + 12);
        for (ptrdiff_t r = 0; r < rows; ++r) {
            const float *row = x + r * n + c;
            t0 = vaddq_f32(t0, vld1q_f32(row));
            t1 = vaddq_f32(t1, vld1q_f32(row + 4));
            t2 = vaddq_f32(t2, vld1q_f32(row + 8));
            t3 = vaddq_f32(t3, vld1q_f32(row + 12));
        }
        vst1q_f32(sums + c, t0);
        vst1q_f32(sums + c + 4, t1);
        vst1q_f32(sums + c + 8, t2);
        vst1q_f32(sums + c + 12, t3);
    }
    for (; c + 4 <= n; c += 4) {
        float32x4_t t = vld1q_f32(sums + c);
        for (ptrdiff_t r = 0; r < rows; ++r) t = vaddq_f32(t, vld1q_f32(x + r * n + c));
        vst1q_f32(sums + c, t);
    }
    if (c < n)
        for (ptrdiff_t r = 0; r < rows; ++r) sums_f32_portable(x + r * n + c, 1, n - c, sums + c);
}

static void sums_neon(const uint8_t *x, int is_signed, ptrdiff_t rows, ptrdiff_t n, int32_t *sums) {
    if (is_signed) sums_neon_body(x, rows, n, sums, 1);
    else sums_neon_body(x, rows, n, sums, 0);
}
#endif

void tfl_select_column_sums(tfl_kernels *k, const tfl_cpu_features *f) {
    k->column_sums_8bit = sums_portable;
    k->column_sums_f32 = sums_f32_portable;
#if defined(__x86_64__) || defined(__i386__)
    if (f->avx512) {
        k->column_sums_8bit = sums_avx512;
        k->column_sums_f32 = sums_f32_avx512;
    } else if (f->avx2_fma) {
        k->column_sums_8bit = sums_avx2;
        k->column_sums_f32 = sums_f32_avx2;
    }
#elif defined(__aarch64__)
    if (f->neon) {
        k->column_sums_8bit = sums_neon;
        k->column_sums_f32 = sums_f32_neon;
    }
#else
    (void)f;
#endif
}

void tfl_column_sums_8bit(const uint8_t *x, int is_signed, ptrdiff_t rows, ptrdiff_t n, int32_t *sums) {
    tfl_kernels_current()->column_sums_8bit(x, is_signed, rows, n, sums);
}

void tfl_column_sums_f32(const float *x, ptrdiff_t rows, ptrdiff_t n, float *sums) {
    tfl_kernels_current()->column_sums_f32(x, rows, n, sums);
}
