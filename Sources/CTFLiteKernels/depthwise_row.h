// Shared by the depthwise row kernels (depthwise_row.c dispatches; depthwise_row_avx2.c holds
// the AVX2 variants). Not part of the public header.
#ifndef TFL_DEPTHWISE_ROW_H
#define TFL_DEPTHWISE_ROW_H

#include "CTFLiteKernels.h"

// The float clamp `lo >= v ? lo : v`, then `hi < v ? hi : v` (NaN passes through), is
// vmaxps(lo, v) then vminps(hi, v) in the vector variants: those return v for NaN and keep
// `hi < v`; `lo > v` differs from `lo >= v` only for v = −0 with lo = +0, and these sums are
// never −0 (they start from +0, and a sum of exact value 0 rounds to +0 unless both addends
// are −0).

// The valid filter taps of one output pixel: [kx0, kx1) along x; rows checked per ky.
static inline void tfl_dw_valid_x(const tfl_depthwise_geometry *g, ptrdiff_t ox, ptrdiff_t *origin, ptrdiff_t *kx0,
                                  ptrdiff_t *kx1) {
    const ptrdiff_t o = ox * g->stride_w - g->pad_w;
    ptrdiff_t lo = 0, hi = g->filter_w;
    // in_x = o + kx * dil_w must lie in [0, in_w).
    while (lo < hi && o + lo * g->dilation_w < 0) ++lo;
    while (hi > lo && o + (hi - 1) * g->dilation_w >= g->in_w) --hi;
    *origin = o;
    *kx0 = lo;
    *kx1 = hi;
}

// The output pixels [*first, *last) of a row of a k × k filter whose taps all lie inside the
// image (empty unless the filter is k × k and all k input rows from origin_y are inside).
static inline void tfl_dw_interior(const tfl_depthwise_geometry *g, ptrdiff_t origin_y, ptrdiff_t k, ptrdiff_t *first,
                                   ptrdiff_t *last) {
    *first = *last = g->out_w;
    if (g->filter_h != k || g->filter_w != k || origin_y < 0 || origin_y + (k - 1) * g->dilation_h >= g->in_h) return;
    ptrdiff_t f = 0;
    while (f < g->out_w && f * g->stride_w - g->pad_w < 0) ++f;
    ptrdiff_t l = f;
    while (l < g->out_w && l * g->stride_w - g->pad_w + (k - 1) * g->dilation_w < g->in_w) ++l;
    if (l > f) {
        *first = f;
        *last = l;
    }
}

// tfl_dw_interior for 3 × 3 filters.
static inline void tfl_dw_interior_3x3(const tfl_depthwise_geometry *g, ptrdiff_t origin_y, ptrdiff_t *first,
                                       ptrdiff_t *last) {
    tfl_dw_interior(g, origin_y, 3, first, last);
}

// The input pixel each filter tap of output pixel ox reads, `[ky][kx]` order (the row of
// zero-point bytes for taps outside the image).
static inline void tfl_dw_tap_sources(const tfl_depthwise_geometry *g, const int8_t *image, ptrdiff_t origin_y, ptrdiff_t ox,
                                      const int8_t *pad_row, const int8_t **sources) {
    const ptrdiff_t origin_x = ox * g->stride_w - g->pad_w;
    for (ptrdiff_t ky = 0; ky < g->filter_h; ++ky) {
        const ptrdiff_t iy = origin_y + ky * g->dilation_h;
        for (ptrdiff_t kx = 0; kx < g->filter_w; ++kx) {
            const ptrdiff_t ix = origin_x + kx * g->dilation_w;
            const int inside = iy >= 0 && iy < g->in_h && ix >= 0 && ix < g->in_w;
            sources[ky * g->filter_w + kx] = inside ? image + (iy * g->in_w + ix) * g->channels : pad_row;
        }
    }
}

#if defined(__x86_64__) || defined(__i386__)
void tfl_dw_row_f32_avx2(float *out, const float *image, const tfl_depthwise_geometry *g, ptrdiff_t origin_y,
                         const float *w, const float *bias, float lo, float hi);
void tfl_dw_row_s8_pairs_avx2(int32_t *acc, const int8_t *image, int32_t zero_point, const tfl_depthwise_geometry *g,
                              ptrdiff_t origin_y, const int8_t *w, const int16_t *packed, int32_t weight_zero, int8_t *pad_row,
                              const int8_t **sources);
#endif

#if defined(__aarch64__)
void tfl_dw_row_f32_neon(float *out, const float *image, const tfl_depthwise_geometry *g, ptrdiff_t origin_y,
                         const float *w, const float *bias, float lo, float hi);
void tfl_dw_row_s8_neon(int32_t *acc, const int8_t *image, int32_t zero_point, const tfl_depthwise_geometry *g,
                        ptrdiff_t origin_y, const int8_t *w, int32_t weight_zero);
#endif

#endif
