// Convolutions of few input channels (an image's first layer: 3 channels, 3 × 3 or 7 × 7
// filters) without im2col, vectorized over 16 output channels; the tap values each output pixel
// reads come straight from a staged copy of the image with padding margins.
//
// float32: margins of zeros, the weights as tfl_gemm_f32_pack lays them out; each output sums in
// the filter's [ky][kx][c] order with fused multiply-adds from zero, then adds the bias and
// clamps: tfl_gemm_f32's definition on im2col patches, so the two agree bit for bit.
//
// int8: the input is staged once per image with margins of zero-point bytes, every byte
// flipped to x + 128 (unsigned), so a filter tap of an output pixel is its channels' bytes at one
// address, read four at a time (the bytes past the last channel, of the next pixel, meet zero
// weights). One vpdpbusd per tap and group of four channels sums them for 16 output channels,
// the four bytes broadcast against the group's packed weights: no im2col, and no per-pixel Σ x
// (the GEMM's offsets) either. The sums are Σ (x + 128)·w exactly, Σ (x − zp)·w plus
// (128 + zp)·Σ w, which the caller takes off with the bias. Runtime CPU dispatch, portable
// fallback (the same sums).
#include <math.h>
#include <string.h>

#include "clamp.h"
#include "dispatch.h"

void tfl_direct_s8_layout(tfl_direct_geometry *g) {
    const ptrdiff_t reach_h = (g->out_h - 1) * g->stride_h + (g->filter_h - 1) * g->dilation_h + 1;
    const ptrdiff_t reach_w = (g->out_w - 1) * g->stride_w + (g->filter_w - 1) * g->dilation_w + 1;
    g->rows = g->pad_h + g->in_h > reach_h ? g->pad_h + g->in_h : reach_h;
    g->width = g->pad_w + g->in_w > reach_w ? g->pad_w + g->in_w : reach_w;
}

ptrdiff_t tfl_direct_s8_staged_size(const tfl_direct_geometry *g) { return g->rows * g->width * g->depth + 4; }

ptrdiff_t tfl_direct_f32_staged_count(const tfl_direct_geometry *g) { return g->rows * g->width * g->depth; }

void tfl_direct_f32_stage(float *staged, const float *image, const tfl_direct_geometry *g) {
    const ptrdiff_t row = g->width * g->depth, in_row = g->in_w * g->depth, left = g->pad_w * g->depth;
    for (ptrdiff_t r = 0; r < g->rows; ++r) {
        float *to = staged + r * row;
        const ptrdiff_t iy = r - g->pad_h;
        if (iy < 0 || iy >= g->in_h) {
            memset(to, 0, sizeof(float) * (size_t)row);
            continue;
        }
        memset(to, 0, sizeof(float) * (size_t)left);
        memcpy(to + left, image + iy * in_row, sizeof(float) * (size_t)in_row);
        memset(to + left + in_row, 0, sizeof(float) * (size_t)(row - left - in_row));
    }
}

static void direct_f32_portable(float *out, ptrdiff_t out_stride, const float *staged, const tfl_direct_geometry *g,
                                ptrdiff_t out_y, const float *packed, ptrdiff_t n, const float *bias, float lo, float hi) {
    const ptrdiff_t depth = g->filter_h * g->filter_w * g->depth;
    for (ptrdiff_t ox = 0; ox < g->out_w; ++ox) {
        const float *base = staged + ((out_y * g->stride_h) * g->width + ox * g->stride_w) * g->depth;
        for (ptrdiff_t j = 0; j < n; ++j) {
            const float *block = packed + (j / 16) * depth * 16 + (j % 16);
            float sum = 0;
            ptrdiff_t k = 0;
            for (ptrdiff_t ky = 0; ky < g->filter_h; ++ky)
                for (ptrdiff_t kx = 0; kx < g->filter_w; ++kx) {
                    const float *x = base + (ky * g->dilation_h * g->width + kx * g->dilation_w) * g->depth;
                    for (ptrdiff_t c = 0; c < g->depth; ++c, ++k) sum = fmaf(x[c], block[k * 16], sum);
                }
            if (bias) sum += bias[j];
            out[ox * out_stride + j] = tfl_clampf(sum, lo, hi);
        }
    }
}

// Groups of four input channels per tap (the last one padded with zero weights).
static ptrdiff_t quads_of(const tfl_direct_geometry *g) { return (g->depth + 3) / 4; }

ptrdiff_t tfl_direct_s8_packed_size(const tfl_direct_geometry *g, ptrdiff_t n) {
    return (n + 15) / 16 * g->filter_h * g->filter_w * quads_of(g) * 64;
}

void tfl_direct_s8_pack(const int8_t *w, ptrdiff_t n, const tfl_direct_geometry *g, int8_t *packed) {
    const ptrdiff_t taps = g->filter_h * g->filter_w, blocks = (n + 15) / 16, quads = quads_of(g);
    for (ptrdiff_t b = 0; b < blocks; ++b)
        for (ptrdiff_t t = 0; t < taps; ++t)
            for (ptrdiff_t q = 0; q < quads; ++q)
                for (ptrdiff_t j = 0; j < 16; ++j)
                    for (ptrdiff_t i = 0; i < 4; ++i) {
                        const ptrdiff_t channel = b * 16 + j, c = 4 * q + i;
                        packed[(((b * taps + t) * quads + q) * 16 + j) * 4 + i] =
                            channel < n && c < g->depth ? w[(channel * taps + t) * g->depth + c] : 0;
                    }
}

void tfl_direct_s8_stage(uint8_t *staged, const int8_t *image, int32_t zero_point, const tfl_direct_geometry *g) {
    const uint8_t pad = (uint8_t)((uint32_t)zero_point ^ 0x80u);
    const ptrdiff_t row_bytes = g->width * g->depth, in_bytes = g->in_w * g->depth;
    for (ptrdiff_t r = 0; r < g->rows; ++r) {
        uint8_t *to = staged + r * row_bytes;
        const ptrdiff_t iy = r - g->pad_h;
        if (iy < 0 || iy >= g->in_h) {
            memset(to, pad, (size_t)row_bytes);
            continue;
        }
        const ptrdiff_t left = g->pad_w * g->depth;
        memset(to, pad, (size_t)left);
        const int8_t *from = image + iy * in_bytes;
        for (ptrdiff_t i = 0; i < in_bytes; ++i) to[left + i] = (uint8_t)((uint8_t)from[i] ^ 0x80u);
        memset(to + left + in_bytes, pad, (size_t)(row_bytes - left - in_bytes));
    }
    memset(staged + g->rows * row_bytes, pad, 4);
}

static void direct_s8_portable(int32_t *acc, ptrdiff_t acc_stride, const uint8_t *staged, const tfl_direct_geometry *g,
                               ptrdiff_t out_y, const int8_t *packed, ptrdiff_t n) {
    const ptrdiff_t taps = g->filter_h * g->filter_w, blocks = (n + 15) / 16, quads = quads_of(g);
    for (ptrdiff_t ox = 0; ox < g->out_w; ++ox) {
        const uint8_t *base = staged + ((out_y * g->stride_h) * g->width + ox * g->stride_w) * g->depth;
        for (ptrdiff_t b = 0; b < blocks; ++b)
            for (ptrdiff_t j = 0; j < 16; ++j) {
                int32_t sum = 0;
                for (ptrdiff_t t = 0; t < taps; ++t) {
                    const ptrdiff_t ky = t / g->filter_w, kx = t % g->filter_w;
                    const uint8_t *x = base + (ky * g->dilation_h * g->width + kx * g->dilation_w) * g->depth;
                    for (ptrdiff_t c = 0; c < g->depth; ++c)
                        sum += (int32_t)x[c] * (int32_t)packed[(((b * taps + t) * quads + c / 4) * 16 + j) * 4 + c % 4];
                }
                acc[ox * acc_stride + b * 16 + j] = sum;
            }
    }
}

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

// float32: MR pixels of the row × NB blocks of 16 channels (constants after inlining), per tap
// and input channel NB weight vectors, MR broadcasts and MR · NB fused multiply-adds, in the
// GEMM's order; then bias, clamp and masked stores (tfl_store_sums_ps512).
__attribute__((target("avx512f"), always_inline))
static inline void tile_direct_f32(float *out, ptrdiff_t out_stride, const float *base, ptrdiff_t pixel_step,
                                   const tfl_direct_geometry *g, const float *w, ptrdiff_t n_left, const float *bias, float lo,
                                   float hi, const int mr, const int nb) {
    __m512 s[12][2];
    __m512 zero = _mm512_setzero_ps();
    __asm__("" : "+v"(zero));  // see gemm_f32.c's tile_avx512
    for (int p = 0; p < mr; ++p)
        for (int b = 0; b < nb; ++b) s[p][b] = zero;
    const ptrdiff_t depth = g->filter_h * g->filter_w * g->depth, block_stride = depth * 16;
    const ptrdiff_t row_step = g->dilation_h * g->width * g->depth, column_step = g->dilation_w * g->depth;
    ptrdiff_t k = 0;
    for (ptrdiff_t ky = 0; ky < g->filter_h; ++ky)
        for (ptrdiff_t kx = 0; kx < g->filter_w; ++kx) {
            const float *x = base + ky * row_step + kx * column_step;
            for (ptrdiff_t c = 0; c < g->depth; ++c, ++k) {
                __m512 wv[2];
                for (int b = 0; b < nb; ++b) wv[b] = _mm512_loadu_ps(w + b * block_stride + k * 16);
                for (int p = 0; p < mr; ++p) {
                    const __m512 xv = _mm512_set1_ps(x[p * pixel_step + c]);
                    for (int b = 0; b < nb; ++b) s[p][b] = _mm512_fmadd_ps(xv, wv[b], s[p][b]);
                }
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

#define DIRECT_F32_CASE(MR, NB) \
    case MR: tile_direct_f32(out, out_stride, base, pixel_step, g, w, n_left, bias, lo, hi, MR, NB); break;

// Tiles of 12 pixels for one block, 8 for two.
__attribute__((target("avx512f")))
static void direct_f32_tile_dispatch(float *out, ptrdiff_t out_stride, const float *base, ptrdiff_t pixel_step,
                                     const tfl_direct_geometry *g, const float *w, ptrdiff_t n_left, const float *bias, float lo,
                                     float hi, int mr, int nb) {
    if (nb == 2) {
        switch (mr) {
        DIRECT_F32_CASE(8, 2) DIRECT_F32_CASE(7, 2) DIRECT_F32_CASE(6, 2) DIRECT_F32_CASE(5, 2) DIRECT_F32_CASE(4, 2)
        DIRECT_F32_CASE(3, 2) DIRECT_F32_CASE(2, 2)
        default: DIRECT_F32_CASE(1, 2)
        }
        return;
    }
    switch (mr) {
    DIRECT_F32_CASE(12, 1) DIRECT_F32_CASE(11, 1) DIRECT_F32_CASE(10, 1) DIRECT_F32_CASE(9, 1) DIRECT_F32_CASE(8, 1)
    DIRECT_F32_CASE(7, 1) DIRECT_F32_CASE(6, 1) DIRECT_F32_CASE(5, 1) DIRECT_F32_CASE(4, 1) DIRECT_F32_CASE(3, 1)
    DIRECT_F32_CASE(2, 1)
    default: DIRECT_F32_CASE(1, 1)
    }
}
#undef DIRECT_F32_CASE

__attribute__((target("avx512f")))
static void direct_f32_avx512(float *out, ptrdiff_t out_stride, const float *staged, const tfl_direct_geometry *g,
                              ptrdiff_t out_y, const float *packed, ptrdiff_t n, const float *bias, float lo, float hi) {
    const ptrdiff_t depth = g->filter_h * g->filter_w * g->depth, blocks = (n + 15) / 16;
    const ptrdiff_t pixel_step = g->stride_w * g->depth;
    const float *row = staged + out_y * g->stride_h * g->width * g->depth;
    for (ptrdiff_t b = 0; b < blocks; b += 2) {
        const int nb = blocks - b >= 2 ? 2 : 1;
        const int tile = nb == 2 ? 8 : 12;
        const float *w = packed + b * depth * 16;
        for (ptrdiff_t ox = 0; ox < g->out_w; ox += tile) {
            const int mr = g->out_w - ox < tile ? (int)(g->out_w - ox) : tile;
            direct_f32_tile_dispatch(out + ox * out_stride + b * 16, out_stride, row + ox * pixel_step, pixel_step, g, w, n - b * 16,
                                     bias ? bias + b * 16 : 0, lo, hi, mr, nb);
        }
    }
}

// int8: MR pixels of the row (from output column ox) × NB blocks of 16 channels; constants after
// inlining. Per tap: NB weight vectors, MR broadcast loads, MR · NB vpdpbusd.
__attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni"), always_inline))
static inline void tile_direct(int32_t *acc, ptrdiff_t acc_stride, const uint8_t *base, ptrdiff_t pixel_step,
                               const tfl_direct_geometry *g, const int8_t *w, ptrdiff_t taps, const int mr, const int nb) {
    __m512i s[16][2];
    for (int p = 0; p < mr; ++p)
        for (int b = 0; b < nb; ++b) s[p][b] = _mm512_setzero_si512();
    const ptrdiff_t row_step = g->dilation_h * g->width * g->depth, column_step = g->dilation_w * g->depth;
    const ptrdiff_t quads = quads_of(g), block_stride = taps * quads * 64;
    const int8_t *wq = w;
    for (ptrdiff_t ky = 0; ky < g->filter_h; ++ky) {
        const uint8_t *row = base + ky * row_step;
        for (ptrdiff_t kx = 0; kx < g->filter_w; ++kx) {
            const uint8_t *x = row + kx * column_step;
            for (ptrdiff_t q = 0; q < quads; ++q, wq += 64) {
                __m512i wv[2];
                for (int b = 0; b < nb; ++b) wv[b] = _mm512_loadu_si512(wq + b * block_stride);
#pragma clang loop unroll(full)
                for (int p = 0; p < mr; ++p) {
                    int32_t four;
                    memcpy(&four, x + p * pixel_step + 4 * q, 4);
                    const __m512i xv = _mm512_set1_epi32(four);
                    for (int b = 0; b < nb; ++b) s[p][b] = _mm512_dpbusd_epi32(s[p][b], xv, wv[b]);
                }
            }
        }
    }
    for (int p = 0; p < mr; ++p)
        for (int b = 0; b < nb; ++b) _mm512_storeu_si512(acc + p * acc_stride + b * 16, s[p][b]);
}

#define DIRECT_CASE(MR, NB) case MR: tile_direct(acc, acc_stride, base, pixel_step, g, w, taps, MR, NB); break;

// Tiles of 16 pixels for one block, 12 for two.
__attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni")))
static void direct_tile_dispatch(int32_t *acc, ptrdiff_t acc_stride, const uint8_t *base, ptrdiff_t pixel_step,
                                 const tfl_direct_geometry *g, const int8_t *w, ptrdiff_t taps, int mr, int nb) {
    if (nb == 2) {
        switch (mr) {
        DIRECT_CASE(12, 2) DIRECT_CASE(11, 2) DIRECT_CASE(10, 2) DIRECT_CASE(9, 2) DIRECT_CASE(8, 2) DIRECT_CASE(7, 2)
        DIRECT_CASE(6, 2) DIRECT_CASE(5, 2) DIRECT_CASE(4, 2) DIRECT_CASE(3, 2) DIRECT_CASE(2, 2)
        default: DIRECT_CASE(1, 2)
        }
        return;
    }
    switch (mr) {
    DIRECT_CASE(16, 1) DIRECT_CASE(15, 1) DIRECT_CASE(14, 1) DIRECT_CASE(13, 1) DIRECT_CASE(12, 1) DIRECT_CASE(11, 1)
    DIRECT_CASE(10, 1) DIRECT_CASE(9, 1) DIRECT_CASE(8, 1) DIRECT_CASE(7, 1) DIRECT_CASE(6, 1) DIRECT_CASE(5, 1)
    DIRECT_CASE(4, 1) DIRECT_CASE(3, 1) DIRECT_CASE(2, 1)
    default: DIRECT_CASE(1, 1)
    }
}
#undef DIRECT_CASE

__attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni")))
static void direct_s8_vnni(int32_t *acc, ptrdiff_t acc_stride, const uint8_t *staged, const tfl_direct_geometry *g,
                           ptrdiff_t out_y, const int8_t *packed, ptrdiff_t n) {
    const ptrdiff_t taps = g->filter_h * g->filter_w, blocks = (n + 15) / 16;
    const ptrdiff_t pixel_step = g->stride_w * g->depth;
    const uint8_t *row = staged + out_y * g->stride_h * g->width * g->depth;
    // Blocks in pairs (an odd last one alone), pixels in tiles.
    for (ptrdiff_t b = 0; b < blocks; b += 2) {
        const int nb = blocks - b >= 2 ? 2 : 1;
        const int tile = nb == 2 ? 12 : 16;
        const int8_t *w = packed + b * taps * quads_of(g) * 64;
        for (ptrdiff_t ox = 0; ox < g->out_w; ox += tile) {
            const int mr = g->out_w - ox < tile ? (int)(g->out_w - ox) : tile;
            direct_tile_dispatch(acc + ox * acc_stride + b * 16, acc_stride, row + ox * pixel_step, pixel_step, g, w, taps, mr, nb);
        }
    }
}
#endif

void tfl_select_direct_conv(tfl_kernels *k, const tfl_cpu_features *f) {
    k->direct_s8 = direct_s8_portable;
    k->direct_s8_vector = 0;
    k->direct_f32 = direct_f32_portable;
    k->direct_f32_vector = 0;
#if defined(__x86_64__) || defined(__i386__)
    if (f->avx512) {
        k->direct_f32 = direct_f32_avx512;
        k->direct_f32_vector = 1;
    }
    if (f->avx512_vnni) {
        k->direct_s8 = direct_s8_vnni;
        k->direct_s8_vector = 1;
    }
#else
    (void)f;
#endif
}

int tfl_direct_s8_available(void) { return tfl_kernels_current()->direct_s8_vector; }

int tfl_direct_f32_available(void) { return tfl_kernels_current()->direct_f32_vector; }

void tfl_direct_f32(float *out, ptrdiff_t out_stride, const float *staged, const tfl_direct_geometry *g, ptrdiff_t out_y,
                    const float *packed, ptrdiff_t n, const float *bias, float lo, float hi) {
    tfl_kernels_current()->direct_f32(out, out_stride, staged, g, out_y, packed, n, bias, lo, hi);
}

void tfl_direct_s8(int32_t *acc, ptrdiff_t acc_stride, const uint8_t *staged, const tfl_direct_geometry *g, ptrdiff_t out_y,
                   const int8_t *packed, ptrdiff_t n) {
    tfl_kernels_current()->direct_s8(acc, acc_stride, staged, g, out_y, packed, n);
}
