// Depthwise convolution (depth multiplier 1) one output row at a time: for each output pixel
// and block of channels, the accumulators stay in registers over the valid filter taps (in
// (ky, kx) order; taps in the padding are skipped, as LiteRT does). The float variant fuses
// bias and clamp; the int8 variant produces exact int32 sums of (x - zero point) × w for the
// caller's requantization (or hybrid scaling). Filters are read in place: `[ky][kx][channel]`. Runtime CPU dispatch, portable fallback.
#include <math.h>

#include "CTFLiteKernels.h"

// The valid filter taps of one output pixel: [kx0, kx1) along x; rows checked per ky.
static inline void valid_x(const tfl_depthwise_geometry *g, ptrdiff_t ox, ptrdiff_t *origin, ptrdiff_t *kx0, ptrdiff_t *kx1) {
    const ptrdiff_t o = ox * g->stride_w - g->pad_w;
    ptrdiff_t lo = 0, hi = g->filter_w;
    // in_x = o + kx * dil_w must lie in [0, in_w).
    while (lo < hi && o + lo * g->dilation_w < 0) ++lo;
    while (hi > lo && o + (hi - 1) * g->dilation_w >= g->in_w) --hi;
    *origin = o;
    *kx0 = lo;
    *kx1 = hi;
}

static void row_f32_portable(float *out, const float *image, const tfl_depthwise_geometry *g, ptrdiff_t origin_y,
                             const float *w, const float *bias, float lo, float hi) {
    const ptrdiff_t c_count = g->channels;
    for (ptrdiff_t ox = 0; ox < g->out_w; ++ox) {
        ptrdiff_t origin_x, kx0, kx1;
        valid_x(g, ox, &origin_x, &kx0, &kx1);
        for (ptrdiff_t c = 0; c < c_count; ++c) {
            float a = 0;
            for (ptrdiff_t ky = 0; ky < g->filter_h; ++ky) {
                const ptrdiff_t iy = origin_y + ky * g->dilation_h;
                if (iy < 0 || iy >= g->in_h) continue;
                for (ptrdiff_t kx = kx0; kx < kx1; ++kx) {
                    const ptrdiff_t ix = origin_x + kx * g->dilation_w;
                    a = fmaf(image[(iy * g->in_w + ix) * c_count + c], w[(ky * g->filter_w + kx) * c_count + c], a);
                }
            }
            if (bias) a += bias[c];
            a = lo >= a ? lo : a;
            out[ox * c_count + c] = hi < a ? hi : a;
        }
    }
}

static void row_s8_portable(int32_t *acc, const int8_t *image, int32_t zero_point, const tfl_depthwise_geometry *g,
                            ptrdiff_t origin_y, const int8_t *w) {
    const ptrdiff_t c_count = g->channels;
    for (ptrdiff_t ox = 0; ox < g->out_w; ++ox) {
        ptrdiff_t origin_x, kx0, kx1;
        valid_x(g, ox, &origin_x, &kx0, &kx1);
        for (ptrdiff_t c = 0; c < c_count; ++c) {
            uint32_t a = 0;
            for (ptrdiff_t ky = 0; ky < g->filter_h; ++ky) {
                const ptrdiff_t iy = origin_y + ky * g->dilation_h;
                if (iy < 0 || iy >= g->in_h) continue;
                for (ptrdiff_t kx = kx0; kx < kx1; ++kx) {
                    const ptrdiff_t ix = origin_x + kx * g->dilation_w;
                    const int32_t x = (int32_t)image[(iy * g->in_w + ix) * c_count + c] - zero_point;
                    a += (uint32_t)(x * (int32_t)w[(ky * g->filter_w + kx) * c_count + c]);
                }
            }
            acc[ox * c_count + c] = (int32_t)a;
        }
    }
}

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

__attribute__((target("avx512f")))
static void row_f32_avx512(float *out, const float *image, const tfl_depthwise_geometry *g, ptrdiff_t origin_y,
                           const float *w, const float *bias, float lo, float hi) {
    const ptrdiff_t c_count = g->channels;
    const __m512 low = _mm512_set1_ps(lo), high = _mm512_set1_ps(hi);
    ptrdiff_t ky0 = 0, ky1 = g->filter_h;
    while (ky0 < ky1 && origin_y + ky0 * g->dilation_h < 0) ++ky0;
    while (ky1 > ky0 && origin_y + (ky1 - 1) * g->dilation_h >= g->in_h) --ky1;
    for (ptrdiff_t ox = 0; ox < g->out_w; ++ox) {
        ptrdiff_t origin_x, kx0, kx1;
        valid_x(g, ox, &origin_x, &kx0, &kx1);
        float *o = out + ox * c_count;
        for (ptrdiff_t c = 0; c < c_count; c += 64) {
            const ptrdiff_t left = c_count - c;
            const int vectors = left >= 64 ? 4 : (int)((left + 15) / 16);
            __mmask16 masks[4];
            for (int v = 0; v < 4; ++v) {
                const ptrdiff_t l = left - v * 16;
                masks[v] = l >= 16 ? (__mmask16)0xFFFF : (l <= 0 ? 0 : (__mmask16)((1u << l) - 1));
            }
            __m512 a[4] = {_mm512_setzero_ps(), _mm512_setzero_ps(), _mm512_setzero_ps(), _mm512_setzero_ps()};
            for (ptrdiff_t ky = ky0; ky < ky1; ++ky) {
                const ptrdiff_t iy = origin_y + ky * g->dilation_h;
                for (ptrdiff_t kx = kx0; kx < kx1; ++kx) {
                    const float *xp = image + (iy * g->in_w + origin_x + kx * g->dilation_w) * c_count + c;
                    const float *wp = w + (ky * g->filter_w + kx) * c_count + c;
                    for (int v = 0; v < vectors; ++v)
                        a[v] = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(masks[v], xp + v * 16), _mm512_maskz_loadu_ps(masks[v], wp + v * 16), a[v]);
                }
            }
            for (int v = 0; v < vectors; ++v) {
                __m512 r = a[v];
                if (bias) r = _mm512_add_ps(r, _mm512_maskz_loadu_ps(masks[v], bias + c + v * 16));
                r = _mm512_mask_blend_ps(_mm512_cmp_ps_mask(low, r, _CMP_GE_OQ), r, low);
                r = _mm512_mask_blend_ps(_mm512_cmp_ps_mask(high, r, _CMP_LT_OQ), r, high);
                _mm512_mask_storeu_ps(o + c + v * 16, masks[v], r);
            }
        }
    }
}

__attribute__((target("avx512f,avx512bw,avx512vl")))
static void row_s8_avx512(int32_t *acc, const int8_t *image, int32_t zero_point, const tfl_depthwise_geometry *g,
                          ptrdiff_t origin_y, const int8_t *w) {
    const ptrdiff_t c_count = g->channels;
    const __m512i zp = _mm512_set1_epi32(zero_point);
    ptrdiff_t ky0 = 0, ky1 = g->filter_h;
    while (ky0 < ky1 && origin_y + ky0 * g->dilation_h < 0) ++ky0;
    while (ky1 > ky0 && origin_y + (ky1 - 1) * g->dilation_h >= g->in_h) --ky1;
    for (ptrdiff_t ox = 0; ox < g->out_w; ++ox) {
        ptrdiff_t origin_x, kx0, kx1;
        valid_x(g, ox, &origin_x, &kx0, &kx1);
        int32_t *o = acc + ox * c_count;
        for (ptrdiff_t c = 0; c < c_count; c += 64) {
            const ptrdiff_t left = c_count - c;
            const int vectors = left >= 64 ? 4 : (int)((left + 15) / 16);
            __mmask16 masks[4];
            for (int v = 0; v < 4; ++v) {
                const ptrdiff_t l = left - v * 16;
                masks[v] = l >= 16 ? (__mmask16)0xFFFF : (l <= 0 ? 0 : (__mmask16)((1u << l) - 1));
            }
            __m512i a[4] = {_mm512_setzero_si512(), _mm512_setzero_si512(), _mm512_setzero_si512(), _mm512_setzero_si512()};
            for (ptrdiff_t ky = ky0; ky < ky1; ++ky) {
                const ptrdiff_t iy = origin_y + ky * g->dilation_h;
                for (ptrdiff_t kx = kx0; kx < kx1; ++kx) {
                    const int8_t *xp = image + (iy * g->in_w + origin_x + kx * g->dilation_w) * c_count + c;
                    const int8_t *wp = w + (ky * g->filter_w + kx) * c_count + c;
                    for (int v = 0; v < vectors; ++v) {
                        const __m512i x = _mm512_sub_epi32(_mm512_cvtepi8_epi32(_mm_maskz_loadu_epi8(masks[v], xp + v * 16)), zp);
                        const __m512i wv = _mm512_cvtepi8_epi32(_mm_maskz_loadu_epi8(masks[v], wp + v * 16));
                        a[v] = _mm512_add_epi32(a[v], _mm512_mullo_epi32(x, wv));
                    }
                }
            }
            for (int v = 0; v < vectors; ++v) _mm512_mask_storeu_epi32(o + c + v * 16, masks[v], a[v]);
        }
    }
}
#endif

void tfl_depthwise_row_f32(float *out, const float *image, const tfl_depthwise_geometry *g, ptrdiff_t origin_y,
                           const float *w, const float *bias, float lo, float hi) {
#if defined(__x86_64__) || defined(__i386__)
    if (tfl_kernels_level() >= 3) {
        row_f32_avx512(out, image, g, origin_y, w, bias, lo, hi);
        return;
    }
#endif
    row_f32_portable(out, image, g, origin_y, w, bias, lo, hi);
}

void tfl_depthwise_row_s8(int32_t *acc, const int8_t *image, int32_t zero_point, const tfl_depthwise_geometry *g,
                          ptrdiff_t origin_y, const int8_t *w) {
#if defined(__x86_64__) || defined(__i386__)
    if (tfl_kernels_level() >= 3) {
        row_s8_avx512(acc, image, zero_point, g, origin_y, w);
        return;
    }
#endif
    row_s8_portable(acc, image, zero_point, g, origin_y, w);
}
