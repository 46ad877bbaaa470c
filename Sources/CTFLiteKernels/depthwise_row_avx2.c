// AVX2 variants of the depthwise row kernels (see depthwise_row.c for what they compute). Same
// order of operations as the portable and AVX-512 variants, so the float results agree bit for
// bit and the int8 sums are exact. Channel blocks of 8 floats or 16 int8 values; the last,
// partial block of a row goes through masked (float) or copied (int8) loads, never reading
// past the row.
#include <string.h>

#include "depthwise_row.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

// MARK: float

// All-ones in the lanes below `left` (clamped to 0…8).
__attribute__((target("avx2"), always_inline))
static inline __m256i lanes_below(ptrdiff_t left) {
    const int n = left <= 0 ? 0 : (left >= 8 ? 8 : (int)left);
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

// `lo >= v ? lo : v`, then `hi < v ? hi : v` (NaN passes through; see depthwise_row.h).
__attribute__((target("avx2,fma"), always_inline))
static inline __m256 clamp8(__m256 v, __m256 low, __m256 high) {
    return _mm256_min_ps(high, _mm256_max_ps(low, v));
}

__attribute__((target("avx2,fma"), always_inline))
static inline __m256 load8(const float *p, __m256i mask, const int full) {
    return full ? _mm256_loadu_ps(p) : _mm256_maskload_ps(p, mask);
}

__attribute__((target("avx2,fma"), always_inline))
static inline void store8(float *p, __m256 v, __m256i mask, const int full) {
    if (full) _mm256_storeu_ps(p, v);
    else _mm256_maskstore_ps(p, mask, v);
}

// One pixel's block of `v` vectors (8 channels each) over the valid taps; `v` and `full` are
// constants after inlining, so the accumulators stay in registers.
__attribute__((target("avx2,fma"), always_inline))
static inline void pixel_f32(float *o, const float *image, const tfl_depthwise_geometry *g, ptrdiff_t c, ptrdiff_t origin_y,
                             ptrdiff_t ky0, ptrdiff_t ky1, ptrdiff_t origin_x, ptrdiff_t kx0, ptrdiff_t kx1, const float *w,
                             const float *bias, __m256 low, __m256 high, const __m256i *masks, const int v, const int full) {
    const ptrdiff_t c_count = g->channels;
    __m256 a[4];
    for (int i = 0; i < v; ++i) a[i] = _mm256_setzero_ps();
    for (ptrdiff_t ky = ky0; ky < ky1; ++ky) {
        const ptrdiff_t iy = origin_y + ky * g->dilation_h;
        for (ptrdiff_t kx = kx0; kx < kx1; ++kx) {
            const float *xp = image + (iy * g->in_w + origin_x + kx * g->dilation_w) * c_count + c;
            const float *wp = w + (ky * g->filter_w + kx) * c_count + c;
            for (int i = 0; i < v; ++i)
                a[i] = _mm256_fmadd_ps(load8(xp + i * 8, masks[i], full), load8(wp + i * 8, masks[i], full), a[i]);
        }
    }
    for (int i = 0; i < v; ++i) {
        __m256 r = a[i];
        if (bias) r = _mm256_add_ps(r, load8(bias + c + i * 8, masks[i], full));
        store8(o + c + i * 8, clamp8(r, low, high), masks[i], full);
    }
}

// The 3×3 interior [ox0, ox1) of a row (every tap inside the image): per 8-channel block the nine
// weight vectors stay in registers and four pixels run at a time. With `stride` 1 or 2 (and no
// dilation along x) each input column of the four pixels' window is loaded once and used for
// every pixel and tap that reads it (6 or 9 loads per filter row instead of 12); each output
// still sums its taps in (ky, kx) order, so the results are the same. `stride` 0: any stride and
// dilation, one load per tap.
__attribute__((target("avx2,fma"), always_inline))
static inline void interior_block_f32(float *out, const float *image, const tfl_depthwise_geometry *g, ptrdiff_t origin_y,
                                      ptrdiff_t ox0, ptrdiff_t ox1, const float *w, const float *bias, __m256 low, __m256 high,
                                      ptrdiff_t c, const int full, const int stride) {
    const ptrdiff_t c_count = g->channels;
    const ptrdiff_t row = g->dilation_h * g->in_w * c_count, col = g->dilation_w * c_count, step = g->stride_w * c_count;
    const __m256i mask = lanes_below(c_count - c);
    __m256 wv[9];
    for (int t = 0; t < 9; ++t) wv[t] = load8(w + t * c_count + c, mask, full);
    const float *x = image + (origin_y * g->in_w + ox0 * g->stride_w - g->pad_w) * c_count + c;
    float *o = out + ox0 * c_count + c;
    ptrdiff_t ox = ox0;
    for (; ox + 4 <= ox1; ox += 4, x += 4 * step, o += 4 * c_count) {
        __m256 a[4];
        for (int j = 0; j < 4; ++j) a[j] = _mm256_setzero_ps();
        if (stride) {
            for (int ky = 0; ky < 3; ++ky) {
                const float *xr = x + ky * row;
                for (int m = 0; m < 3 * stride + 3; ++m) {
                    const __m256 v = load8(xr + m * c_count, mask, full);
                    for (int j = 0; j < 4; ++j) {
                        const int kx = m - stride * j;
                        if (kx >= 0 && kx < 3) a[j] = _mm256_fmadd_ps(v, wv[ky * 3 + kx], a[j]);
                    }
                }
            }
        } else {
            for (int ky = 0; ky < 3; ++ky)
                for (int kx = 0; kx < 3; ++kx)
                    for (int j = 0; j < 4; ++j)
                        a[j] = _mm256_fmadd_ps(load8(x + j * step + ky * row + kx * col, mask, full), wv[ky * 3 + kx], a[j]);
        }
        for (int j = 0; j < 4; ++j) {
            __m256 r = a[j];
            if (bias) r = _mm256_add_ps(r, load8(bias + c, mask, full));
            store8(o + j * c_count, clamp8(r, low, high), mask, full);
        }
    }
    for (; ox < ox1; ++ox, x += step, o += c_count) {
        __m256 a = _mm256_setzero_ps();
        for (int ky = 0; ky < 3; ++ky)
            for (int kx = 0; kx < 3; ++kx) a = _mm256_fmadd_ps(load8(x + ky * row + kx * col, mask, full), wv[ky * 3 + kx], a);
        if (bias) a = _mm256_add_ps(a, load8(bias + c, mask, full));
        store8(o, clamp8(a, low, high), mask, full);
    }
}

__attribute__((target("avx2,fma")))
void tfl_dw_row_f32_avx2(float *out, const float *image, const tfl_depthwise_geometry *g, ptrdiff_t origin_y, const float *w,
                         const float *bias, float lo, float hi) {
    const ptrdiff_t c_count = g->channels;
    const __m256 low = _mm256_set1_ps(lo), high = _mm256_set1_ps(hi);
    ptrdiff_t ky0 = 0, ky1 = g->filter_h;
    while (ky0 < ky1 && origin_y + ky0 * g->dilation_h < 0) ++ky0;
    while (ky1 > ky0 && origin_y + (ky1 - 1) * g->dilation_h >= g->in_h) --ky1;
    ptrdiff_t first, last;
    tfl_dw_interior_3x3(g, origin_y, &first, &last);
    if (last > first) {
        const int stride = g->dilation_w == 1 && (g->stride_w == 1 || g->stride_w == 2) ? (int)g->stride_w : 0;
        ptrdiff_t c = 0;
#define F32_INTERIOR(FULL, STRIDE) interior_block_f32(out, image, g, origin_y, first, last, w, bias, low, high, c, FULL, STRIDE)
        for (; c + 8 <= c_count; c += 8) {
            if (stride == 1) F32_INTERIOR(1, 1);
            else if (stride == 2) F32_INTERIOR(1, 2);
            else F32_INTERIOR(1, 0);
        }
        if (c < c_count) F32_INTERIOR(0, 0);
#undef F32_INTERIOR
    }
    for (ptrdiff_t ox = 0; ox < g->out_w; ++ox) {
        if (ox == first && last > first) ox = last;
        if (ox >= g->out_w) break;
        ptrdiff_t origin_x, kx0, kx1;
        tfl_dw_valid_x(g, ox, &origin_x, &kx0, &kx1);
        float *o = out + ox * c_count;
        for (ptrdiff_t c = 0; c < c_count; c += 32) {
            const ptrdiff_t left = c_count - c;
            __m256i masks[4];
            for (int v = 0; v < 4; ++v) masks[v] = lanes_below(left - v * 8);
            if (left >= 32) {
                pixel_f32(o, image, g, c, origin_y, ky0, ky1, origin_x, kx0, kx1, w, bias, low, high, masks, 4, 1);
                continue;
            }
            switch ((left + 7) / 8) {
            case 3: pixel_f32(o, image, g, c, origin_y, ky0, ky1, origin_x, kx0, kx1, w, bias, low, high, masks, 3, 0); break;
            case 2: pixel_f32(o, image, g, c, origin_y, ky0, ky1, origin_x, kx0, kx1, w, bias, low, high, masks, 2, 0); break;
            default: pixel_f32(o, image, g, c, origin_y, ky0, ky1, origin_x, kx0, kx1, w, bias, low, high, masks, 1, 0); break;
            }
        }
    }
}

// MARK: int8, taps in pairs

// 16 int8 values at p as int16; with `full` 0 only the first `left` are read (the rest are 0).
__attribute__((target("avx2"), always_inline))
static inline __m256i load16_epi16(const int8_t *p, ptrdiff_t left, const int full) {
    if (full) return _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)p));
    int8_t copy[16] = {0};
    for (ptrdiff_t i = 0; i < left && i < 16; ++i) copy[i] = p[i];
    return _mm256_cvtepi8_epi16(_mm_loadu_si128((const __m128i *)copy));
}

// Stores the 16 sums of a half block: `lo` holds channels 0-3 and 8-11, `hi` 4-7 and 12-15
// (the lane order of vpunpck{l,h}wd); only the first `left` with `full` 0.
__attribute__((target("avx2"), always_inline))
static inline void store16_epi32(int32_t *o, __m256i lo, __m256i hi, __m256i corr0, __m256i corr1, ptrdiff_t left,
                                 const int full) {
    const __m256i first = _mm256_sub_epi32(_mm256_permute2x128_si256(lo, hi, 0x20), corr0);
    const __m256i second = _mm256_sub_epi32(_mm256_permute2x128_si256(lo, hi, 0x31), corr1);
    if (full) {
        _mm256_storeu_si256((__m256i *)o, first);
        _mm256_storeu_si256((__m256i *)(o + 8), second);
    } else {
        _mm256_maskstore_epi32(o, lanes_below(left), first);
        if (left > 8) _mm256_maskstore_epi32(o + 8, lanes_below(left - 8), second);
    }
}

// The packed weight pairs (tfl_depthwise_s8_pack, laid out for 32-channel AVX-512 blocks) of
// pair p for half h (channels 16·h … 16·h + 15) of block b: the lo and hi vectors.
static inline const int16_t *pair_weights(const int16_t *packed, ptrdiff_t pairs, ptrdiff_t b, ptrdiff_t p, int h) {
    return packed + (b * pairs + p) * 64 + h * 16;
}

// The 3×3 interior of one 16-channel half block, four pixels at a time straight from the image;
// Σ (x − zp)·w = Σ x·w − zp·Σ w, the second term once per half block.
__attribute__((target("avx2"), always_inline))
static inline void interior_half_s8(int32_t *acc, const int8_t *image, int32_t zero_point, const tfl_depthwise_geometry *g,
                                    ptrdiff_t origin_y, ptrdiff_t ox0, ptrdiff_t ox1, const int8_t *w, const int16_t *packed,
                                    int32_t weight_zero, ptrdiff_t c, const int full) {
    const ptrdiff_t c_count = g->channels, left = c_count - c;
    const ptrdiff_t row = g->dilation_h * g->in_w * c_count, col = g->dilation_w * c_count, step = g->stride_w * c_count;
    const ptrdiff_t b = c / 32;
    const int h = (int)((c / 16) % 2);
    __m256i s = _mm256_set1_epi16((int16_t)(-9 * weight_zero));
    for (int t = 0; t < 9; ++t) s = _mm256_add_epi16(s, load16_epi16(w + t * c_count + c, left, full));
    // Σ (w − weight zero) over nine taps fits int16 (|Σ| ≤ 9 · 255); channels in order 0-7 | 8-15.
    const __m256i zp = _mm256_set1_epi32(zero_point);
    const __m256i corr0 = _mm256_mullo_epi32(_mm256_cvtepi16_epi32(_mm256_castsi256_si128(s)), zp);
    const __m256i corr1 = _mm256_mullo_epi32(_mm256_cvtepi16_epi32(_mm256_extracti128_si256(s, 1)), zp);
    const int8_t *x = image + (origin_y * g->in_w + ox0 * g->stride_w - g->pad_w) * c_count + c;
    int32_t *o = acc + ox0 * c_count + c;
    ptrdiff_t ox = ox0;
#define S8_INTERIOR_PIXELS(N)                                                                                         \
    for (; ox + (N) <= ox1; ox += (N), x += (N) * step, o += (N) * c_count) {                                          \
        __m256i lo[N], hi[N];                                                                                          \
        for (int j = 0; j < (N); ++j) lo[j] = hi[j] = _mm256_setzero_si256();                                         \
        for (int p = 0; p < 5; ++p) {                                                                                  \
            const int t0 = 2 * p, t1 = 2 * p + 1;                                                                      \
            const int16_t *wp = pair_weights(packed, 5, b, p, h);                                                      \
            const __m256i wlo = _mm256_loadu_si256((const __m256i *)wp);                                               \
            const __m256i whi = _mm256_loadu_si256((const __m256i *)(wp + 32));                                        \
            for (int j = 0; j < (N); ++j) {                                                                            \
                const int8_t *xj = x + j * step;                                                                       \
                const __m256i x0 = load16_epi16(xj + (t0 / 3) * row + (t0 % 3) * col, left, full);                    \
                const __m256i x1 = t1 < 9 ? load16_epi16(xj + (t1 / 3) * row + (t1 % 3) * col, left, full)            \
                                          : _mm256_setzero_si256();                                                    \
                lo[j] = _mm256_add_epi32(lo[j], _mm256_madd_epi16(_mm256_unpacklo_epi16(x0, x1), wlo));               \
                hi[j] = _mm256_add_epi32(hi[j], _mm256_madd_epi16(_mm256_unpackhi_epi16(x0, x1), whi));               \
            }                                                                                                          \
        }                                                                                                              \
        for (int j = 0; j < (N); ++j) store16_epi32(o + j * c_count, lo[j], hi[j], corr0, corr1, left, full);        \
    }
    S8_INTERIOR_PIXELS(4)
    S8_INTERIOR_PIXELS(1)
#undef S8_INTERIOR_PIXELS
}

// One pixel's half block over every tap pair, inputs from the tap table (padding taps point at
// a row of zero-point bytes).
__attribute__((target("avx2"), always_inline))
static inline void pixel_half_s8(int32_t *o, const int8_t *const *sources, ptrdiff_t pairs, __m256i zp16, const int16_t *packed,
                                 ptrdiff_t c, ptrdiff_t left, const int full) {
    const ptrdiff_t b = c / 32;
    const int h = (int)((c / 16) % 2);
    __m256i lo = _mm256_setzero_si256(), hi = _mm256_setzero_si256();
    for (ptrdiff_t p = 0; p < pairs; ++p) {
        const int16_t *wp = pair_weights(packed, pairs, b, p, h);
        const __m256i x0 = _mm256_sub_epi16(load16_epi16(sources[2 * p] + c, left, full), zp16);
        const __m256i x1 = _mm256_sub_epi16(load16_epi16(sources[2 * p + 1] + c, left, full), zp16);
        lo = _mm256_add_epi32(lo, _mm256_madd_epi16(_mm256_unpacklo_epi16(x0, x1), _mm256_loadu_si256((const __m256i *)wp)));
        hi = _mm256_add_epi32(hi, _mm256_madd_epi16(_mm256_unpackhi_epi16(x0, x1), _mm256_loadu_si256((const __m256i *)(wp + 32))));
    }
    const __m256i zero = _mm256_setzero_si256();
    store16_epi32(o + c, lo, hi, zero, zero, left, full);
}

__attribute__((target("avx2")))
void tfl_dw_row_s8_pairs_avx2(int32_t *acc, const int8_t *image, int32_t zero_point, const tfl_depthwise_geometry *g,
                              ptrdiff_t origin_y, const int8_t *w, const int16_t *packed, int32_t weight_zero, int8_t *pad_row,
                              const int8_t **sources) {
    const ptrdiff_t c_count = g->channels, taps = g->filter_h * g->filter_w, pairs = (taps + 1) / 2;
    for (ptrdiff_t c = 0; c < c_count; ++c) pad_row[c] = (int8_t)zero_point;
    sources[taps] = pad_row;  // the odd tap out, with zero weights
    ptrdiff_t first, last;
    tfl_dw_interior_3x3(g, origin_y, &first, &last);
    if (last > first) {
        ptrdiff_t c = 0;
        for (; c + 16 <= c_count; c += 16) interior_half_s8(acc, image, zero_point, g, origin_y, first, last, w, packed, weight_zero, c, 1);
        if (c < c_count) interior_half_s8(acc, image, zero_point, g, origin_y, first, last, w, packed, weight_zero, c, 0);
    }
    const __m256i zp16 = _mm256_set1_epi16((int16_t)zero_point);
    for (ptrdiff_t ox = 0; ox < g->out_w; ++ox) {
        if (ox == first && last > first) ox = last;
        if (ox >= g->out_w) break;
        tfl_dw_tap_sources(g, image, origin_y, ox, pad_row, sources);
        int32_t *o = acc + ox * c_count;
        ptrdiff_t c = 0;
        for (; c + 16 <= c_count; c += 16) pixel_half_s8(o, sources, pairs, zp16, packed, c, 16, 1);
        if (c < c_count) pixel_half_s8(o, sources, pairs, zp16, packed, c, c_count - c, 0);
    }
}
#endif
