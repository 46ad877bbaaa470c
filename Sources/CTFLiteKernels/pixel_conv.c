// Float32 convolutions with few output channels (style transfer's 9 × 9, 16 → 3), vectorized
// over output pixels instead of output channels: the packed GEMM fills 16-channel vectors, so
// with 3 channels 13 of every 16 lanes multiply zeros, and its im2col writes taps × depth values
// per pixel. Here the input is staged once per image as rows of channel planes with zero
// margins, `[row][channel][width]`; for a tap (ky, kx, c) the values 16 consecutive output pixels
// read are then one contiguous vector, multiplied by the broadcast weight of each output channel.
// Each lane accumulates its pixel's sum from zero in the filter's `[ky][kx][c]` order with fused
// multiply-adds, padding taps reading the zero margins, then adds the bias and clamps: the
// packed GEMM's definition on im2col patches (tfl_gemm_f32), so the two paths agree bit for bit.
#include <math.h>
#include <string.h>

#include "clamp.h"
#include "dispatch.h"

static ptrdiff_t round_up(ptrdiff_t v, ptrdiff_t m) { return (v + m - 1) / m * m; }

void tfl_pixel_conv_layout(tfl_pixel_conv_geometry *g) {
    const ptrdiff_t needed_rows = g->out_h > 0 ? (g->out_h - 1) * g->stride_h + (g->filter_h - 1) * g->dilation_h + 1 : 0;
    g->rows = g->in_h + g->pad_h > needed_rows ? g->in_h + g->pad_h : needed_rows;
    // Whole vectors of output pixels (16 lanes) read up to round_up(out_w, 16) − 1 + the filter's
    // reach, all inside the row.
    const ptrdiff_t needed_width = round_up(g->out_w, 16) + (g->filter_w - 1) * g->dilation_w;
    g->width = g->in_w + g->pad_w > needed_width ? g->in_w + g->pad_w : needed_width;
}

ptrdiff_t tfl_pixel_conv_staged_count(const tfl_pixel_conv_geometry *g) { return g->rows * g->depth * g->width; }

void tfl_pixel_conv_stage_f32(float *staged, const float *image, const tfl_pixel_conv_geometry *g, ptrdiff_t first_row,
                              ptrdiff_t row_count) {
    const ptrdiff_t width = g->width, depth = g->depth;
    for (ptrdiff_t r = first_row; r < first_row + row_count; ++r) {
        float *row = staged + r * depth * width;
        const ptrdiff_t y = r - g->pad_h;
        if (y < 0 || y >= g->in_h) {
            memset(row, 0, sizeof(float) * (size_t)(depth * width));
            continue;
        }
        const float *source = image + y * g->in_w * depth;
        for (ptrdiff_t c = 0; c < depth; ++c) {
            float *plane = row + c * width;
            memset(plane, 0, sizeof(float) * (size_t)g->pad_w);
            const ptrdiff_t end = g->pad_w + g->in_w;
            memset(plane + end, 0, sizeof(float) * (size_t)(width - end));
        }
        for (ptrdiff_t x = 0; x < g->in_w; ++x)
            for (ptrdiff_t c = 0; c < depth; ++c) row[c * width + g->pad_w + x] = source[x * depth + c];
    }
}

void tfl_pixel_conv_pack_f32(const float *w, ptrdiff_t n, ptrdiff_t depth, float *packed) {
    for (ptrdiff_t j = 0; j < n; ++j)
        for (ptrdiff_t k = 0; k < depth; ++k) packed[k * n + j] = w[j * depth + k];
}

// Bias, clamp and the interleaving into NHWC for a strip's sums `sums[j * lanes + i]` (pixel i,
// channel j) of which the first `valid` pixels are in the row.
static inline void store_strip(float *out, const float *sums, ptrdiff_t lanes, ptrdiff_t valid, ptrdiff_t n, const float *bias,
                               float lo, float hi) {
    for (ptrdiff_t i = 0; i < valid; ++i)
        for (ptrdiff_t j = 0; j < n; ++j) {
            float v = sums[j * lanes + i];
            if (bias) v += bias[j];
            out[i * n + j] = tfl_clampf(v, lo, hi);
        }
}

// Portable: strips of 8 pixels, the lanes an inner loop (vectorized where the target has fused
// multiply-adds, NEON's fmla on arm64).
enum { PORTABLE_LANES = 8 };

static void conv_portable(float *out, const float *staged, const tfl_pixel_conv_geometry *g, ptrdiff_t out_y, const float *w,
                          ptrdiff_t n, const float *bias, float lo, float hi) {
    const ptrdiff_t width = g->width, row_stride = g->depth * width;
    const float *base = staged + out_y * g->stride_h * row_stride;
    for (ptrdiff_t x0 = 0; x0 < g->out_w; x0 += PORTABLE_LANES) {
        float s[TFL_PIXEL_CONV_MAX_CHANNELS * PORTABLE_LANES] = {0};
        const float *wk = w;
        for (ptrdiff_t ky = 0; ky < g->filter_h; ++ky)
            for (ptrdiff_t kx = 0; kx < g->filter_w; ++kx) {
                const float *tap = base + ky * g->dilation_h * row_stride + kx * g->dilation_w + x0;
                for (ptrdiff_t c = 0; c < g->depth; ++c, wk += n) {
                    const float *xv = tap + c * width;
                    for (ptrdiff_t j = 0; j < n; ++j)
                        for (int i = 0; i < PORTABLE_LANES; ++i)
                            s[j * PORTABLE_LANES + i] = fmaf(xv[i], wk[j], s[j * PORTABLE_LANES + i]);
                }
            }
        const ptrdiff_t valid = g->out_w - x0 < PORTABLE_LANES ? g->out_w - x0 : PORTABLE_LANES;
        store_strip(out + x0 * n, s, PORTABLE_LANES, valid, n, bias, lo, hi);
    }
}

// 8-bit inputs (int8, uint8 less 128, hybrid's quantized input) run the same way on int16 pairs:
// the staged image holds `[row][channel pair][column][2]` int16 values and each packed weight word
// two int16 weights of a pair, so one 32-bit lane multiplies a pixel's pair by a channel's pair
// (vpdpwssd, vpmaddwd). The int32 sums are exact, so any order gives LiteRT's.
static ptrdiff_t pairs_of(const tfl_pixel_conv_geometry *g) { return (g->depth + 1) / 2; }

ptrdiff_t tfl_pixel_conv_staged_count_s8(const tfl_pixel_conv_geometry *g) { return g->rows * pairs_of(g) * g->width * 2; }

void tfl_pixel_conv_stage_s8(int16_t *staged, const int8_t *image, const tfl_pixel_conv_geometry *g, int8_t pad,
                             ptrdiff_t first_row, ptrdiff_t row_count) {
    const ptrdiff_t width = g->width, depth = g->depth, pairs = pairs_of(g);
    for (ptrdiff_t r = first_row; r < first_row + row_count; ++r) {
        int16_t *row = staged + r * pairs * width * 2;
        const ptrdiff_t y = r - g->pad_h;
        const int inside_row = y >= 0 && y < g->in_h;
        const int8_t *source = inside_row ? image + y * g->in_w * depth : 0;
        for (ptrdiff_t p = 0; p < pairs; ++p) {
            int16_t *plane = row + p * width * 2;
            for (ptrdiff_t x = 0; x < width; ++x) {
                const ptrdiff_t ix = x - g->pad_w;
                if (!source || ix < 0 || ix >= g->in_w) {
                    plane[2 * x] = plane[2 * x + 1] = pad;
                    continue;
                }
                const int8_t *pixel = source + ix * depth + 2 * p;
                plane[2 * x] = pixel[0];
                plane[2 * x + 1] = 2 * p + 1 < depth ? pixel[1] : pad;
            }
        }
    }
}

ptrdiff_t tfl_pixel_conv_packed_count_s8(const tfl_pixel_conv_geometry *g, ptrdiff_t n) {
    return g->filter_h * g->filter_w * pairs_of(g) * n;
}

void tfl_pixel_conv_pack_s8(const int8_t *w, ptrdiff_t n, const tfl_pixel_conv_geometry *g, int32_t weight_zero, int32_t *packed) {
    const ptrdiff_t taps = g->filter_h * g->filter_w, depth = g->depth, pairs = pairs_of(g);
    for (ptrdiff_t t = 0; t < taps; ++t)
        for (ptrdiff_t p = 0; p < pairs; ++p)
            for (ptrdiff_t j = 0; j < n; ++j) {
                const int8_t *tap = w + (j * taps + t) * depth;
                const int32_t lo = tap[2 * p] - weight_zero;
                const int32_t hi = 2 * p + 1 < depth ? tap[2 * p + 1] - weight_zero : 0;
                packed[(t * pairs + p) * n + j] = (int32_t)(((uint32_t)(uint16_t)(int16_t)hi << 16) | (uint16_t)(int16_t)lo);
            }
}

// The sums of a strip, `sums[j * lanes + i]`, into rows of n (pixel-major) for the first `valid`.
static inline void store_sums(int32_t *acc, const int32_t *sums, ptrdiff_t lanes, ptrdiff_t valid, ptrdiff_t n) {
    for (ptrdiff_t i = 0; i < valid; ++i)
        for (ptrdiff_t j = 0; j < n; ++j) acc[i * n + j] = sums[j * lanes + i];
}

static void conv_s8_portable(int32_t *acc, const int16_t *staged, const tfl_pixel_conv_geometry *g, ptrdiff_t out_y,
                             const int32_t *w, ptrdiff_t n) {
    const ptrdiff_t plane = g->width * 2, row_stride = pairs_of(g) * plane, pairs = pairs_of(g);
    const int16_t *base = staged + out_y * g->stride_h * row_stride;
    for (ptrdiff_t x0 = 0; x0 < g->out_w; x0 += PORTABLE_LANES) {
        int32_t s[TFL_PIXEL_CONV_MAX_CHANNELS * PORTABLE_LANES] = {0};
        const int32_t *wk = w;
        for (ptrdiff_t ky = 0; ky < g->filter_h; ++ky)
            for (ptrdiff_t kx = 0; kx < g->filter_w; ++kx) {
                const int16_t *tap = base + ky * g->dilation_h * row_stride + (kx * g->dilation_w + x0) * 2;
                for (ptrdiff_t p = 0; p < pairs; ++p, wk += n) {
                    const int16_t *xv = tap + p * plane;
                    for (ptrdiff_t j = 0; j < n; ++j) {
                        const int32_t w0 = (int16_t)(uint16_t)((uint32_t)wk[j] & 0xFFFF), w1 = (int16_t)(uint16_t)((uint32_t)wk[j] >> 16);
                        for (int i = 0; i < PORTABLE_LANES; ++i)
                            s[j * PORTABLE_LANES + i] += xv[2 * i] * w0 + xv[2 * i + 1] * w1;
                    }
                }
            }
        const ptrdiff_t valid = g->out_w - x0 < PORTABLE_LANES ? g->out_w - x0 : PORTABLE_LANES;
        store_sums(acc + x0 * n, s, PORTABLE_LANES, valid, n);
    }
}

// The vector strips, written once for every instruction set as macros: ATTRIBUTES are the
// function attributes (the target features), OPAQUE(v) hides a zero vector from the optimizer.

// The float strips: MR vectors of LANES pixels × N channels of accumulators (N · MR ≤ 24 of
// AVX-512's 32 registers, ≤ 12 of AVX2's 16; NEON: see NEON_MR), per tap MR loads and N
// broadcasts feeding N · MR fused multiply-adds. N and MR are constants after inlining.
#define F32_STRIP(NAME, ATTRIBUTES, VEC, LANES, ZERO, OPAQUE, LOAD, SET1, FMA, STORE)                               \
    ATTRIBUTES static inline void NAME(float *out, const float *base, const tfl_pixel_conv_geometry *g,               \
                                       const float *w, ptrdiff_t valid, const float *bias, float lo, float hi,        \
                                       const int n, const int mr) {                                                   \
        VEC s[8][8];                                                                                                 \
        VEC zero = ZERO();                                                                                           \
        OPAQUE(zero); /* an opaque zero: no memset of the array (see gemm_f32.c) */                                  \
        for (int v = 0; v < mr; ++v)                                                                                 \
            for (int j = 0; j < n; ++j) s[v][j] = zero;                                                              \
        const ptrdiff_t width = g->width, row_stride = g->depth * width, depth = g->depth;                          \
        const float *wk = w;                                                                                         \
        for (ptrdiff_t ky = 0; ky < g->filter_h; ++ky)                                                               \
            for (ptrdiff_t kx = 0; kx < g->filter_w; ++kx) {                                                         \
                const float *tap = base + ky * g->dilation_h * row_stride + kx * g->dilation_w;                      \
                for (ptrdiff_t c = 0; c < depth; ++c, wk += n) {                                                     \
                    const float *xp = tap + c * width;                                                               \
                    VEC xv[8];                                                                                       \
                    for (int v = 0; v < mr; ++v) xv[v] = LOAD(xp + LANES * v);                                       \
                    for (int j = 0; j < n; ++j) {                                                                    \
                        const VEC wv = SET1(wk[j]);                                                                  \
                        for (int v = 0; v < mr; ++v) s[v][j] = FMA(xv[v], wv, s[v][j]);                              \
                    }                                                                                                \
                }                                                                                                    \
            }                                                                                                        \
        float sums[8 * 8 * LANES];                                                                                   \
        const ptrdiff_t lanes = LANES * mr;                                                                          \
        for (int v = 0; v < mr; ++v)                                                                                 \
            for (int j = 0; j < n; ++j) STORE(sums + j * lanes + LANES * v, s[v][j]);                                \
        store_strip(out, sums, lanes, valid, n, bias, lo, hi);                                                       \
    }

// One strip of `vectors` vectors (at most MAXV, the strip width for N channels): STRIP with
// both counts constant. Counts above MAXV never occur and are not instantiated.
#define PIXEL_STRIP(STRIP, N, V, MAXV) \
    case V: if (V <= MAXV) STRIP(o, base, g, w, valid, bias, lo, hi, N, V <= MAXV ? V : 1); break;
#define PIXEL_STRIPS(STRIP, N, MAXV)                                                                      \
    switch (vectors) {                                                                                    \
        PIXEL_STRIP(STRIP, N, 8, MAXV) PIXEL_STRIP(STRIP, N, 7, MAXV) PIXEL_STRIP(STRIP, N, 6, MAXV)      \
        PIXEL_STRIP(STRIP, N, 5, MAXV) PIXEL_STRIP(STRIP, N, 4, MAXV) PIXEL_STRIP(STRIP, N, 3, MAXV)      \
        PIXEL_STRIP(STRIP, N, 2, MAXV) default: STRIP(o, base, g, w, valid, bias, lo, hi, N, 1); break;  \
    }
#define PIXEL_CHANNELS(STRIP, MR)                               \
    switch (n) {                                                \
    case 1: PIXEL_STRIPS(STRIP, 1, MR(1)) break;                \
    case 2: PIXEL_STRIPS(STRIP, 2, MR(2)) break;                \
    case 3: PIXEL_STRIPS(STRIP, 3, MR(3)) break;                \
    case 4: PIXEL_STRIPS(STRIP, 4, MR(4)) break;                \
    case 5: PIXEL_STRIPS(STRIP, 5, MR(5)) break;                \
    case 6: PIXEL_STRIPS(STRIP, 6, MR(6)) break;                \
    case 7: PIXEL_STRIPS(STRIP, 7, MR(7)) break;                \
    default: PIXEL_STRIPS(STRIP, 8, MR(8)) break;               \
    }

// One output row: strips of `mr` vectors of LANES pixels (the last shorter).
#define F32_CONV(NAME, ATTRIBUTES, STRIP, LANES, MR)                                                                \
    ATTRIBUTES static void NAME(float *out, const float *staged, const tfl_pixel_conv_geometry *g, ptrdiff_t out_y,  \
                                const float *w, ptrdiff_t n, const float *bias, float lo, float hi) {                \
        const float *row = staged + out_y * g->stride_h * g->depth * g->width;                                       \
        const int mr = MR((int)n);                                                                                   \
        for (ptrdiff_t x0 = 0; x0 < g->out_w; x0 += LANES * mr) {                                                    \
            const ptrdiff_t left = g->out_w - x0;                                                                    \
            const int vectors = left >= LANES * mr ? mr : (int)((left + LANES - 1) / LANES);                         \
            const ptrdiff_t valid = left < LANES * vectors ? left : LANES * vectors;                                 \
            const float *base = row + x0;                                                                            \
            float *o = out + x0 * n;                                                                                 \
            PIXEL_CHANNELS(STRIP, MR)                                                                                \
        }                                                                                                            \
    }

// The 8-bit strips: MR vectors of pixels (16 per zmm, 8 per ymm, 4 per NEON pair) × N channels
// of int32 sums, per channel pair MR loads and N broadcast weight words. DOT is vpdpwssd
// (AVX-512 VNNI), vpmaddwd then vpaddd, or NEON's smlal pair; STORE leaves LANES int32 sums.
#define S8_STRIP(NAME, ATTRIBUTES, VEC, XVEC, LANES, ZERO, OPAQUE, LOAD, SET1, STORE, DOT)                          \
    ATTRIBUTES static inline void NAME(int32_t *acc, const int16_t *base, const tfl_pixel_conv_geometry *g,           \
                                       const int32_t *w, ptrdiff_t valid, const int n, const int mr) {                \
        VEC s[8][8];                                                                                                 \
        VEC zero = ZERO();                                                                                           \
        OPAQUE(zero);                                                                                                \
        for (int v = 0; v < mr; ++v)                                                                                 \
            for (int j = 0; j < n; ++j) s[v][j] = zero;                                                              \
        const ptrdiff_t plane = g->width * 2, pairs = (g->depth + 1) / 2, row_stride = pairs * plane;               \
        const int32_t *wk = w;                                                                                       \
        for (ptrdiff_t ky = 0; ky < g->filter_h; ++ky)                                                               \
            for (ptrdiff_t kx = 0; kx < g->filter_w; ++kx) {                                                         \
                const int16_t *tap = base + ky * g->dilation_h * row_stride + kx * g->dilation_w * 2;               \
                for (ptrdiff_t p = 0; p < pairs; ++p, wk += n) {                                                     \
                    const int16_t *xp = tap + p * plane;                                                             \
                    XVEC xv[8];                                                                                      \
                    for (int v = 0; v < mr; ++v) xv[v] = LOAD((const void *)(xp + 2 * LANES * v));                   \
                    for (int j = 0; j < n; ++j) {                                                                    \
                        const XVEC wv = SET1(wk[j]);                                                                 \
                        for (int v = 0; v < mr; ++v) s[v][j] = DOT(s[v][j], xv[v], wv);                              \
                    }                                                                                                \
                }                                                                                                    \
            }                                                                                                        \
        int32_t sums[8 * 8 * LANES];                                                                                 \
        const ptrdiff_t lanes = LANES * mr;                                                                          \
        for (int v = 0; v < mr; ++v)                                                                                 \
            for (int j = 0; j < n; ++j) STORE((void *)(sums + j * lanes + LANES * v), s[v][j]);                      \
        store_sums(acc, sums, lanes, valid, n);                                                                      \
    }

// One output row of 8-bit sums: strips of `mr` vectors of LANES pixels (the last shorter).
#define S8_CONV(NAME, ATTRIBUTES, STRIP, LANES, MR)                                                                 \
    ATTRIBUTES static void NAME(int32_t *acc, const int16_t *staged, const tfl_pixel_conv_geometry *g, ptrdiff_t out_y, \
                                const int32_t *w, ptrdiff_t n) {                                                     \
        const int16_t *row = staged + out_y * g->stride_h * ((g->depth + 1) / 2) * g->width * 2;                     \
        const int mr = MR((int)n);                                                                                   \
        for (ptrdiff_t x0 = 0; x0 < g->out_w; x0 += LANES * mr) {                                                    \
            const ptrdiff_t left = g->out_w - x0;                                                                    \
            const int vectors = left >= LANES * mr ? mr : (int)((left + LANES - 1) / LANES);                         \
            const ptrdiff_t valid = left < LANES * vectors ? left : LANES * vectors;                                 \
            const int16_t *base = row + x0 * 2;                                                                      \
            int32_t *o = acc + x0 * n;                                                                               \
            PIXEL_CHANNELS_S8(STRIP, MR)                                                                             \
        }                                                                                                            \
    }
#define S8_CALL(STRIP, N, V, MAXV) \
    case V: if (V <= MAXV) STRIP(o, base, g, w, valid, N, V <= MAXV ? V : 1); break;
#define S8_STRIPS(STRIP, N, MAXV)                                                                                  \
    switch (vectors) {                                                                                             \
        S8_CALL(STRIP, N, 8, MAXV) S8_CALL(STRIP, N, 7, MAXV) S8_CALL(STRIP, N, 6, MAXV) S8_CALL(STRIP, N, 5, MAXV) \
        S8_CALL(STRIP, N, 4, MAXV) S8_CALL(STRIP, N, 3, MAXV) S8_CALL(STRIP, N, 2, MAXV)                           \
        default: STRIP(o, base, g, w, valid, N, 1); break;                                                         \
    }
#define PIXEL_CHANNELS_S8(STRIP, MR)                \
    switch (n) {                                    \
    case 1: S8_STRIPS(STRIP, 1, MR(1)) break;       \
    case 2: S8_STRIPS(STRIP, 2, MR(2)) break;       \
    case 3: S8_STRIPS(STRIP, 3, MR(3)) break;       \
    case 4: S8_STRIPS(STRIP, 4, MR(4)) break;       \
    case 5: S8_STRIPS(STRIP, 5, MR(5)) break;       \
    case 6: S8_STRIPS(STRIP, 6, MR(6)) break;       \
    case 7: S8_STRIPS(STRIP, 7, MR(7)) break;       \
    default: S8_STRIPS(STRIP, 8, MR(8)) break;      \
    }

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#define OPAQUE_X86(v) __asm__("" : "+v"(v))
#define AVX512_ATTRIBUTES __attribute__((target("avx512f"), always_inline))
#define AVX2_ATTRIBUTES __attribute__((target("avx2,fma"), always_inline))
F32_STRIP(strip_avx512, AVX512_ATTRIBUTES, __m512, 16, _mm512_setzero_ps, OPAQUE_X86, _mm512_loadu_ps, _mm512_set1_ps,
          _mm512_fmadd_ps, _mm512_storeu_ps)
F32_STRIP(strip_avx2, AVX2_ATTRIBUTES, __m256, 8, _mm256_setzero_ps, OPAQUE_X86, _mm256_loadu_ps, _mm256_set1_ps,
          _mm256_fmadd_ps, _mm256_storeu_ps)

// Vectors of 16 pixels per strip for N channels: 24 accumulators at most, 8 vectors at most.
#define AVX512_MR(N) ((24 / (N)) < 8 ? (24 / (N)) : 8)

F32_CONV(conv_avx512, __attribute__((target("avx512f"))), strip_avx512, 16, AVX512_MR)

#define AVX2_MR(N) ((12 / (N)) < 4 ? (12 / (N)) : 4)

F32_CONV(conv_avx2, __attribute__((target("avx2,fma"))), strip_avx2, 8, AVX2_MR)

#define DOT_VNNI(s, x, w) _mm512_dpwssd_epi32(s, x, w)
#define DOT_AVX512(s, x, w) _mm512_add_epi32(s, _mm512_madd_epi16(x, w))
#define DOT_AVX2(s, x, w) _mm256_add_epi32(s, _mm256_madd_epi16(x, w))
#define VNNI_ATTRIBUTES __attribute__((target("avx512f,avx512bw,avx512vnni"), always_inline))
#define AVX512BW_ATTRIBUTES __attribute__((target("avx512f,avx512bw"), always_inline))
#define AVX2_S8_ATTRIBUTES __attribute__((target("avx2"), always_inline))
S8_STRIP(strip_s8_vnni, VNNI_ATTRIBUTES, __m512i, __m512i, 16, _mm512_setzero_si512, OPAQUE_X86, _mm512_loadu_si512,
         _mm512_set1_epi32, _mm512_storeu_si512, DOT_VNNI)
S8_STRIP(strip_s8_avx512, AVX512BW_ATTRIBUTES, __m512i, __m512i, 16, _mm512_setzero_si512, OPAQUE_X86, _mm512_loadu_si512,
         _mm512_set1_epi32, _mm512_storeu_si512, DOT_AVX512)
#define LOAD256(p) _mm256_loadu_si256((const __m256i *)(p))
#define STORE256(p, v) _mm256_storeu_si256((__m256i *)(p), v)
S8_STRIP(strip_s8_avx2, AVX2_S8_ATTRIBUTES, __m256i, __m256i, 8, _mm256_setzero_si256, OPAQUE_X86, LOAD256, _mm256_set1_epi32,
         STORE256, DOT_AVX2)

S8_CONV(conv_s8_vnni, __attribute__((target("avx512f,avx512bw,avx512vnni"))), strip_s8_vnni, 16, AVX512_MR)
S8_CONV(conv_s8_avx512, __attribute__((target("avx512f,avx512bw"))), strip_s8_avx512, 16, AVX512_MR)
S8_CONV(conv_s8_avx2, __attribute__((target("avx2"))), strip_s8_avx2, 8, AVX2_MR)
#endif

#if defined(__aarch64__)
#include <arm_neon.h>

// NEON: vectors of 4 pixels, fmla lane by lane in the same order as every variant. Per tap the
// strip keeps N · MR accumulators, MR loaded vectors and a broadcast weight in the 32 registers.
#define NEON_MR(N) ((31 / ((N) + 1)) < 8 ? (31 / ((N) + 1)) : 8)
#define OPAQUE_NEON(v) __asm__("" : "+w"(v))
#define NEON_FMA(x, w, s) vfmaq_f32(s, x, w)
static inline float32x4_t zero_f32x4(void) { return vdupq_n_f32(0); }
F32_STRIP(strip_neon, __attribute__((always_inline)), float32x4_t, 4, zero_f32x4, OPAQUE_NEON, vld1q_f32, vdupq_n_f32, NEON_FMA,
          vst1q_f32)
F32_CONV(conv_neon, , strip_neon, 4, NEON_MR)

// 8-bit: 4 pixels' channel pairs (8 int16) times a broadcast weight pair by smlal into two
// vectors, the low and high product of each pixel's pair in neighbouring lanes; the pairwise add
// at the end gives the pixels' sums (exact int32 sums: any order is the same).
typedef struct { int32x4_t low, high; } pair_sums;
static inline pair_sums zero_pair_sums(void) { return (pair_sums){vdupq_n_s32(0), vdupq_n_s32(0)}; }
#define OPAQUE_PAIRS(v) __asm__("" : "+w"(v.low), "+w"(v.high))
static inline int16x8_t load_pairs(const void *p) { return vld1q_s16((const int16_t *)p); }
static inline int16x8_t broadcast_pair(int32_t word) { return vreinterpretq_s16_s32(vdupq_n_s32(word)); }
static inline void store_pair_sums(void *p, pair_sums s) { vst1q_s32((int32_t *)p, vpaddq_s32(s.low, s.high)); }
static inline pair_sums dot_pairs(pair_sums s, int16x8_t x, int16x8_t w) {
    return (pair_sums){vmlal_s16(s.low, vget_low_s16(x), vget_low_s16(w)), vmlal_high_s16(s.high, x, w)};
}
// Two accumulators per vector: 2 · N · MR, MR loads and a broadcast in 32 registers.
#define NEON_S8_MR(N) ((31 / (2 * (N) + 1)) < 8 ? (31 / (2 * (N) + 1)) : 8)
S8_STRIP(strip_s8_neon, __attribute__((always_inline)), pair_sums, int16x8_t, 4, zero_pair_sums, OPAQUE_PAIRS, load_pairs,
         broadcast_pair, store_pair_sums, dot_pairs)
S8_CONV(conv_s8_neon, , strip_s8_neon, 4, NEON_S8_MR)
#endif

void tfl_select_pixel_conv(tfl_kernels *k, const tfl_cpu_features *f) {
    k->pixel_conv_f32 = conv_portable;
    k->pixel_conv_s8 = conv_s8_portable;
#if defined(__x86_64__) || defined(__i386__)
    if (f->avx512) {
        k->pixel_conv_f32 = conv_avx512;
        k->pixel_conv_s8 = f->avx512_vnni ? conv_s8_vnni : conv_s8_avx512;
    } else if (f->avx2_fma) {
        k->pixel_conv_f32 = conv_avx2;
        k->pixel_conv_s8 = conv_s8_avx2;
    }
#elif defined(__aarch64__)
    if (f->neon) {
        k->pixel_conv_f32 = conv_neon;
        k->pixel_conv_s8 = conv_s8_neon;
    }
#else
    (void)f;
#endif
}

void tfl_pixel_conv_f32(float *out, const float *staged, const tfl_pixel_conv_geometry *g, ptrdiff_t out_y, const float *packed,
                        ptrdiff_t n, const float *bias, float lo, float hi) {
    if (n < 1 || n > TFL_PIXEL_CONV_MAX_CHANNELS) return;
    tfl_kernels_current()->pixel_conv_f32(out, staged, g, out_y, packed, n, bias, lo, hi);
}

void tfl_pixel_conv_s8(int32_t *acc, const int16_t *staged, const tfl_pixel_conv_geometry *g, ptrdiff_t out_y, const int32_t *packed,
                       ptrdiff_t n) {
    if (n < 1 || n > TFL_PIXEL_CONV_MAX_CHANNELS) return;
    tfl_kernels_current()->pixel_conv_s8(acc, staged, g, out_y, packed, n);
}
