// Depthwise convolution (depth multiplier 1) one output row at a time: for each output pixel
// and block of channels, the accumulators stay in registers over the valid filter taps (in
// (ky, kx) order; taps in the padding are skipped, as LiteRT does). The float variant fuses
// bias and clamp; the int8 variant produces exact int32 sums of (x - zero point) × w for the
// caller's requantization (or hybrid scaling). Filters are read in place: `[ky][kx][channel]`. Runtime CPU dispatch, portable fallback.
// The int8 variant also takes a weight zero point (uint8 models, their inputs and weights less
// 128): the pairs layout holds w − zero point as int16, the interiors take 9 · zero point off
// their weight sums, and the VNNI kernels (bytes) run only when it is 0.
#include <math.h>
#include <string.h>

#include "depthwise_row.h"
#include "dispatch.h"

// The pairs layout, then the VNNI one: per block of 32 channels, for each group of four taps the
// four interleave4 vectors of their weights (128 bytes), then the block's 32 weight sums (int32).
static ptrdiff_t pairs_count(ptrdiff_t taps, ptrdiff_t channels) { return ((channels + 31) / 32) * ((taps + 1) / 2) * 64; }
static ptrdiff_t quads_block_bytes(ptrdiff_t taps) { return ((taps + 3) / 4) * 128 + 128; }
// Nine taps (3 × 3 filters) add a third layout after the VNNI one: per block of 32 channels, for
// each filter column kx the interleave4 vectors of taps (0, kx), (1, kx), (2, kx) and a zero tap.
static ptrdiff_t columns_block_bytes(ptrdiff_t taps) { return taps == 9 ? 3 * 128 : 0; }

static void row_f32_portable(float *out, const float *image, const tfl_depthwise_geometry *g, ptrdiff_t origin_y,
                             const float *w, const float *bias, float lo, float hi) {
    const ptrdiff_t c_count = g->channels;
    for (ptrdiff_t ox = 0; ox < g->out_w; ++ox) {
        ptrdiff_t origin_x, kx0, kx1;
        tfl_dw_valid_x(g, ox, &origin_x, &kx0, &kx1);
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
                            ptrdiff_t origin_y, const int8_t *w, int32_t weight_zero) {
    const ptrdiff_t c_count = g->channels;
    for (ptrdiff_t ox = 0; ox < g->out_w; ++ox) {
        ptrdiff_t origin_x, kx0, kx1;
        tfl_dw_valid_x(g, ox, &origin_x, &kx0, &kx1);
        for (ptrdiff_t c = 0; c < c_count; ++c) {
            uint32_t a = 0;
            for (ptrdiff_t ky = 0; ky < g->filter_h; ++ky) {
                const ptrdiff_t iy = origin_y + ky * g->dilation_h;
                if (iy < 0 || iy >= g->in_h) continue;
                for (ptrdiff_t kx = kx0; kx < kx1; ++kx) {
                    const ptrdiff_t ix = origin_x + kx * g->dilation_w;
                    const int32_t x = (int32_t)image[(iy * g->in_w + ix) * c_count + c] - zero_point;
                    a += (uint32_t)(x * ((int32_t)w[(ky * g->filter_w + kx) * c_count + c] - weight_zero));
                }
            }
            acc[ox * c_count + c] = (int32_t)a;
        }
    }
}

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

// One pixel's block of `v` vectors (16 channels each) over the valid taps; `v` is a constant
// after inlining, so the accumulators stay in registers.
__attribute__((target("avx512f"), always_inline))
static inline void pixel_f32_avx512(float *o, const float *image, const tfl_depthwise_geometry *g, ptrdiff_t c,
                                    ptrdiff_t origin_y, ptrdiff_t ky0, ptrdiff_t ky1, ptrdiff_t origin_x, ptrdiff_t kx0,
                                    ptrdiff_t kx1, const float *w, const float *bias, __m512 low, __m512 high,
                                    const __mmask16 *masks, const int v) {
    const ptrdiff_t c_count = g->channels;
    __m512 a[4];
    for (int i = 0; i < v; ++i) a[i] = _mm512_setzero_ps();
    for (ptrdiff_t ky = ky0; ky < ky1; ++ky) {
        const ptrdiff_t iy = origin_y + ky * g->dilation_h;
        for (ptrdiff_t kx = kx0; kx < kx1; ++kx) {
            const float *xp = image + (iy * g->in_w + origin_x + kx * g->dilation_w) * c_count + c;
            const float *wp = w + (ky * g->filter_w + kx) * c_count + c;
            for (int i = 0; i < v; ++i)
                a[i] = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(masks[i], xp + i * 16), _mm512_maskz_loadu_ps(masks[i], wp + i * 16), a[i]);
        }
    }
    for (int i = 0; i < v; ++i) {
        __m512 r = a[i];
        if (bias) r = _mm512_add_ps(r, _mm512_maskz_loadu_ps(masks[i], bias + c + i * 16));
        r = _mm512_min_ps(high, _mm512_max_ps(low, r));  // the clamp, see depthwise_row.h
        _mm512_mask_storeu_ps(o + c + i * 16, masks[i], r);
    }
}

// k × k filters (k = 3 or 5, a constant after inlining) on a row whose k input rows are all
// inside the image, for the output pixels [ox0, ox1) whose taps are all inside too: each
// 16-channel block keeps its k² weight vectors in registers and runs four pixels at a time.
// With `stride` 1 or 2 (and no dilation along x) each input column of the four pixels' window is
// loaded once and used for every pixel and tap that reads it (for 3 × 3, 6 or 9 loads per filter
// row instead of 12; the one-load-per-tap form spilled its 36 addresses); `stride` 0: any
// stride and dilation. Same order of operations as
// pixel_f32_avx512 (each output sums its taps in (ky, kx) order), so the results are identical.
__attribute__((target("avx512f"), always_inline))
static inline void interior_block_f32_avx512(float *out, const float *image, const tfl_depthwise_geometry *g,
                                             ptrdiff_t origin_y, ptrdiff_t ox0, ptrdiff_t ox1, const float *w,
                                             const float *bias, __m512 low, __m512 high, ptrdiff_t c, __mmask16 mask,
                                             const int k, const int stride) {
    const ptrdiff_t c_count = g->channels;
    const ptrdiff_t row = g->dilation_h * g->in_w * c_count, col = g->dilation_w * c_count, step = g->stride_w * c_count;
    __m512 wv[25];
    for (int t = 0; t < k * k; ++t) wv[t] = _mm512_maskz_loadu_ps(mask, w + t * c_count + c);
    const __m512 bv = bias ? _mm512_maskz_loadu_ps(mask, bias + c) : _mm512_setzero_ps();
    const float *x = image + (origin_y * g->in_w + ox0 * g->stride_w - g->pad_w) * c_count + c;
    float *o = out + ox0 * c_count + c;
    ptrdiff_t ox = ox0;
    for (; ox + 4 <= ox1; ox += 4, x += 4 * step, o += 4 * c_count) {
        __m512 a[4];
        for (int j = 0; j < 4; ++j) a[j] = _mm512_setzero_ps();
        if (stride) {
            for (int ky = 0; ky < k; ++ky) {
                const float *xr = x + ky * row;
                for (int m = 0; m < 3 * stride + k; ++m) {
                    const __m512 v = _mm512_maskz_loadu_ps(mask, xr + m * c_count);
                    for (int j = 0; j < 4; ++j) {
                        const int kx = m - stride * j;
                        if (kx >= 0 && kx < k) a[j] = _mm512_fmadd_ps(v, wv[ky * k + kx], a[j]);
                    }
                }
            }
        } else {
            for (int ky = 0; ky < k; ++ky)
                for (int kx = 0; kx < k; ++kx)
                    for (int j = 0; j < 4; ++j)
                        a[j] = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(mask, x + j * step + ky * row + kx * col), wv[ky * k + kx], a[j]);
        }
        for (int j = 0; j < 4; ++j) {
            __m512 r = a[j];
            if (bias) r = _mm512_add_ps(r, bv);
            _mm512_mask_storeu_ps(o + j * c_count, mask, _mm512_min_ps(high, _mm512_max_ps(low, r)));  // the clamp, see depthwise_row.h
        }
    }
    for (; ox < ox1; ++ox, x += step, o += c_count) {
        __m512 a = _mm512_setzero_ps();
        for (int ky = 0; ky < k; ++ky)
            for (int kx = 0; kx < k; ++kx) a = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(mask, x + ky * row + kx * col), wv[ky * k + kx], a);
        if (bias) a = _mm512_add_ps(a, bv);
        _mm512_mask_storeu_ps(o, mask, _mm512_min_ps(high, _mm512_max_ps(low, a)));  // the clamp, see depthwise_row.h
    }
}

__attribute__((target("avx512f")))
static void interior_f32_avx512(float *out, const float *image, const tfl_depthwise_geometry *g, ptrdiff_t origin_y,
                                ptrdiff_t ox0, ptrdiff_t ox1, const float *w, const float *bias, __m512 low, __m512 high) {
    const ptrdiff_t c_count = g->channels;
    const int stride = g->dilation_w == 1 && (g->stride_w == 1 || g->stride_w == 2) ? (int)g->stride_w : 0;
    const int five = g->filter_w == 5;
    for (ptrdiff_t c = 0; c < c_count; c += 16) {
        const ptrdiff_t left = c_count - c;
        const __mmask16 mask = left >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << left) - 1);
#define F32_INTERIOR(K, STRIDE) interior_block_f32_avx512(out, image, g, origin_y, ox0, ox1, w, bias, low, high, c, mask, K, STRIDE)
        if (five) {
            if (stride == 1) F32_INTERIOR(5, 1);
            else if (stride == 2) F32_INTERIOR(5, 2);
            else F32_INTERIOR(5, 0);
        } else {
            if (stride == 1) F32_INTERIOR(3, 1);
            else if (stride == 2) F32_INTERIOR(3, 2);
            else F32_INTERIOR(3, 0);
        }
#undef F32_INTERIOR
    }
}

__attribute__((target("avx512f")))
static void row_f32_avx512(float *out, const float *image, const tfl_depthwise_geometry *g, ptrdiff_t origin_y,
                           const float *w, const float *bias, float lo, float hi) {
    const ptrdiff_t c_count = g->channels;
    const __m512 low = _mm512_set1_ps(lo), high = _mm512_set1_ps(hi);
    ptrdiff_t ky0 = 0, ky1 = g->filter_h;
    while (ky0 < ky1 && origin_y + ky0 * g->dilation_h < 0) ++ky0;
    while (ky1 > ky0 && origin_y + (ky1 - 1) * g->dilation_h >= g->in_h) --ky1;
    ptrdiff_t first, last;
    tfl_dw_interior(g, origin_y, g->filter_w == 5 ? 5 : 3, &first, &last);
    if (last > first) interior_f32_avx512(out, image, g, origin_y, first, last, w, bias, low, high);
    for (ptrdiff_t ox = 0; ox < g->out_w; ++ox) {
        if (ox == first && last > first) ox = last;
        if (ox >= g->out_w) break;
        ptrdiff_t origin_x, kx0, kx1;
        tfl_dw_valid_x(g, ox, &origin_x, &kx0, &kx1);
        float *o = out + ox * c_count;
        for (ptrdiff_t c = 0; c < c_count; c += 64) {
            const ptrdiff_t left = c_count - c;
            const int vectors = left >= 64 ? 4 : (int)((left + 15) / 16);
            __mmask16 masks[4];
            for (int v = 0; v < 4; ++v) {
                const ptrdiff_t l = left - v * 16;
                masks[v] = l >= 16 ? (__mmask16)0xFFFF : (l <= 0 ? 0 : (__mmask16)((1u << l) - 1));
            }
            switch (vectors) {
            case 4: pixel_f32_avx512(o, image, g, c, origin_y, ky0, ky1, origin_x, kx0, kx1, w, bias, low, high, masks, 4); break;
            case 3: pixel_f32_avx512(o, image, g, c, origin_y, ky0, ky1, origin_x, kx0, kx1, w, bias, low, high, masks, 3); break;
            case 2: pixel_f32_avx512(o, image, g, c, origin_y, ky0, ky1, origin_x, kx0, kx1, w, bias, low, high, masks, 2); break;
            default: pixel_f32_avx512(o, image, g, c, origin_y, ky0, ky1, origin_x, kx0, kx1, w, bias, low, high, masks, 1); break;
            }
        }
    }
}

// int8 with the taps taken two at a time: the two taps' inputs (minus the zero point, as int16)
// are interleaved (vpunpck{l,h}wd, within 128-bit lanes) and multiplied by pre-interleaved weight
// pairs with vpmaddwd, each 32-bit lane summing both taps exactly. Taps outside the image read
// a row of zero-point bytes (contributing 0), so every pixel runs the same pairs; the lane
// interleaving permutes channels, restored once per block with vpermt2d.
// The 3×3 interior (as interior_3x3_f32_avx512) of the paired int8 kernel: per 32-channel block
// the ten weight-pair vectors stay in registers and four pixels run at a time, reading the
// input straight from the image (no tap table). The zero point is not taken off each input:
// Σ (x − zp)·w = Σ x·w − zp·Σ w, the second term once per block.
__attribute__((target("avx512f,avx512bw,avx512vl")))
static void interior_3x3_s8_avx512(int32_t *acc, const int8_t *image, int32_t zero_point, const tfl_depthwise_geometry *g,
                                   ptrdiff_t origin_y, ptrdiff_t ox0, ptrdiff_t ox1, const int8_t *w, const int16_t *packed,
                                   int32_t weight_zero, __m512i first, __m512i second) {
    const ptrdiff_t c_count = g->channels, blocks = (c_count + 31) / 32;
    const ptrdiff_t row = g->dilation_h * g->in_w * c_count, col = g->dilation_w * c_count, step = g->stride_w * c_count;
    const __m512i zp = _mm512_set1_epi32(zero_point);
    for (ptrdiff_t b = 0; b < blocks; ++b) {
        const ptrdiff_t c = b * 32, left = c_count - c;
        const __mmask32 mask = left >= 32 ? (__mmask32)0xFFFFFFFFu : (__mmask32)((1u << left) - 1);
        const __mmask16 m0 = left >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << left) - 1);
        const __mmask16 m1 = left >= 32 ? (__mmask16)0xFFFF : (left <= 16 ? 0 : (__mmask16)((1u << (left - 16)) - 1));
        __m512i wv[5][2];
        for (int p = 0; p < 5; ++p) {
            wv[p][0] = _mm512_loadu_si512(packed + (b * 5 + p) * 64);
            wv[p][1] = _mm512_loadu_si512(packed + (b * 5 + p) * 64 + 32);
        }
        __m512i s0 = _mm512_set1_epi32(-9 * weight_zero), s1 = s0;  // Σ (w − weight zero)
        for (int t = 0; t < 9; ++t) {
            s0 = _mm512_add_epi32(s0, _mm512_cvtepi8_epi32(_mm_maskz_loadu_epi8(m0, w + t * c_count + c)));
            s1 = _mm512_add_epi32(s1, _mm512_cvtepi8_epi32(_mm_maskz_loadu_epi8(m1, w + t * c_count + c + 16)));
        }
        const __m512i corr0 = _mm512_mullo_epi32(s0, zp), corr1 = _mm512_mullo_epi32(s1, zp);
        const int8_t *x = image + (origin_y * g->in_w + ox0 * g->stride_w - g->pad_w) * c_count + c;
        int32_t *o = acc + ox0 * c_count + c;
        ptrdiff_t ox = ox0;
#define S8_INTERIOR_PIXELS(N)                                                                                        \
        for (; ox + (N) <= ox1; ox += (N), x += (N) * step, o += (N) * c_count) {                                    \
            __m512i lo[N], hi[N];                                                                                     \
            for (int j = 0; j < (N); ++j) lo[j] = hi[j] = _mm512_setzero_si512();                                    \
            for (int p = 0; p < 5; ++p) {                                                                             \
                const int t0 = 2 * p, t1 = 2 * p + 1;                                                                 \
                for (int j = 0; j < (N); ++j) {                                                                       \
                    const int8_t *xj = x + j * step;                                                                  \
                    const __m512i x0 = _mm512_cvtepi8_epi16(_mm256_maskz_loadu_epi8(mask, xj + (t0 / 3) * row + (t0 % 3) * col)); \
                    const __m512i x1 = t1 < 9 ? _mm512_cvtepi8_epi16(_mm256_maskz_loadu_epi8(mask, xj + (t1 / 3) * row + (t1 % 3) * col)) \
                                              : _mm512_setzero_si512();                                               \
                    lo[j] = _mm512_add_epi32(lo[j], _mm512_madd_epi16(_mm512_unpacklo_epi16(x0, x1), wv[p][0]));      \
                    hi[j] = _mm512_add_epi32(hi[j], _mm512_madd_epi16(_mm512_unpackhi_epi16(x0, x1), wv[p][1]));      \
                }                                                                                                     \
            }                                                                                                         \
            for (int j = 0; j < (N); ++j) {                                                                           \
                _mm512_mask_storeu_epi32(o + j * c_count, m0, _mm512_sub_epi32(_mm512_permutex2var_epi32(lo[j], first, hi[j]), corr0)); \
                if (m1) _mm512_mask_storeu_epi32(o + j * c_count + 16, m1,                                           \
                                                 _mm512_sub_epi32(_mm512_permutex2var_epi32(lo[j], second, hi[j]), corr1)); \
            }                                                                                                         \
        }
        S8_INTERIOR_PIXELS(4)
        S8_INTERIOR_PIXELS(1)
#undef S8_INTERIOR_PIXELS
    }
}

// Four byte rows interleaved so each 32-bit lane holds one channel's four bytes (a, b, c, d),
// the operand layout of vpdpbusd: q[0] channels 0-3 and 16-19, q[1] 4-7 and 20-23, q[2] 8-11
// and 24-27, q[3] 12-15 and 28-31 (the unpacks work within 128-bit lanes).
__attribute__((target("avx512f,avx512bw,avx512vl"), always_inline))
static inline void interleave4(__m256i a, __m256i b, __m256i c, __m256i d, __m256i *q) {
    const __m256i ab_lo = _mm256_unpacklo_epi8(a, b), ab_hi = _mm256_unpackhi_epi8(a, b);
    const __m256i cd_lo = _mm256_unpacklo_epi8(c, d), cd_hi = _mm256_unpackhi_epi8(c, d);
    q[0] = _mm256_unpacklo_epi16(ab_lo, cd_lo);
    q[1] = _mm256_unpackhi_epi16(ab_lo, cd_lo);
    q[2] = _mm256_unpacklo_epi16(ab_hi, cd_hi);
    q[3] = _mm256_unpackhi_epi16(ab_hi, cd_hi);
}

// int8 on AVX-512 VNNI, taps four at a time: per 32-channel block and pixel, the inputs (as
// unsigned bytes, x + 128: one xor) of each group of four taps are interleaved (interleave4)
// and summed by vpdpbusd against the weights packed the same way (the group past the last tap
// padded with zero weights). Σ (x + 128)·w = Σ x·w + 128·Σ w exactly (four products of at most
// 255 · 128 per lane), so (128 + zero point)·Σ w comes off once; the int32 sums wrap as the
// pair kernel's do, and equal them. Taps in the padding read zero-point bytes, which that
// correction cancels.

// The block's VNNI weights in the packed filter (see tfl_depthwise_s8_pack).
static inline const uint8_t *quads_block(const int16_t *packed, ptrdiff_t taps, ptrdiff_t channels, ptrdiff_t block) {
    return (const uint8_t *)(const void *)(packed + pairs_count(taps, channels)) + block * quads_block_bytes(taps);
}

// Four accumulators (interleave4 order) as the low 128-bit lanes' 16 sums in channel order
// (`lo`) and the high lanes' (`hi`).
__attribute__((target("avx512f,avx512bw,avx512vl"), always_inline))
static inline void quads_halves(const __m256i *a, __m512i *lo, __m512i *hi) {
    *lo = _mm512_inserti64x4(_mm512_castsi256_si512(_mm256_permute2x128_si256(a[0], a[1], 0x20)),
                             _mm256_permute2x128_si256(a[2], a[3], 0x20), 1);
    *hi = _mm512_inserti64x4(_mm512_castsi256_si512(_mm256_permute2x128_si256(a[0], a[1], 0x31)),
                             _mm256_permute2x128_si256(a[2], a[3], 0x31), 1);
}

// One pixel's sums for a block: four accumulators (interleave4 order) to 32 int32 outputs in
// channel order, less the correction.
__attribute__((target("avx512f,avx512bw,avx512vl"), always_inline))
static inline void store_quads(int32_t *o, const __m256i *a, __m512i corr0, __m512i corr1, __mmask16 m0, __mmask16 m1) {
    __m512i lo, hi;
    quads_halves(a, &lo, &hi);
    _mm512_mask_storeu_epi32(o, m0, _mm512_sub_epi32(lo, corr0));
    if (m1) _mm512_mask_storeu_epi32(o + 16, m1, _mm512_sub_epi32(hi, corr1));
}

// Four taps' bytes (as x + 128) from `from[k] + c` summed into a[0..3] against the group's weights.
__attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni"), always_inline))
static inline void group_quads(__m256i *a, const int8_t *const *from, ptrdiff_t c, __mmask32 mask, const uint8_t *wq) {
    const __m256i flip = _mm256_set1_epi8((char)0x80);
    __m256i u[4], q[4];
    for (int k = 0; k < 4; ++k) u[k] = _mm256_xor_si256(_mm256_maskz_loadu_epi8(mask, from[k] + c), flip);
    interleave4(u[0], u[1], u[2], u[3], q);
    for (int i = 0; i < 4; ++i) a[i] = _mm256_dpbusd_epi32(a[i], q[i], _mm256_loadu_si256((const __m256i *)(const void *)(wq + 32 * i)));
}

// The block's correction (128 + zero point)·Σ w, channels in order.
__attribute__((target("avx512f,avx512bw,avx512vl"), always_inline))
static inline void quads_correction(const uint8_t *block, ptrdiff_t groups, int32_t zero_point, __m512i *corr0, __m512i *corr1) {
    const __m512i offset = _mm512_set1_epi32(128 + zero_point);
    *corr0 = _mm512_mullo_epi32(_mm512_loadu_si512(block + groups * 128), offset);
    *corr1 = _mm512_mullo_epi32(_mm512_loadu_si512(block + groups * 128 + 64), offset);
}

// The 3×3 interior (as interior_3x3_s8_avx512): inputs straight from the image, one pixel at a
// time (with two or more, the accumulators and the twelve weight vectors spill).
__attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni")))
static void interior_3x3_s8_vnni(int32_t *acc, const int8_t *image, int32_t zero_point, const tfl_depthwise_geometry *g,
                                 ptrdiff_t origin_y, ptrdiff_t ox0, ptrdiff_t ox1, const int16_t *packed) {
    const ptrdiff_t c_count = g->channels;
    const ptrdiff_t row = g->dilation_h * g->in_w * c_count, col = g->dilation_w * c_count, step = g->stride_w * c_count;
    for (ptrdiff_t c = 0; c < c_count; c += 32) {
        const ptrdiff_t left = c_count - c;
        const __mmask32 mask = left >= 32 ? (__mmask32)0xFFFFFFFFu : (__mmask32)((1u << left) - 1);
        const __mmask16 m0 = left >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << left) - 1);
        const __mmask16 m1 = left >= 32 ? (__mmask16)0xFFFF : (left <= 16 ? 0 : (__mmask16)((1u << (left - 16)) - 1));
        const uint8_t *block = quads_block(packed, 9, c_count, c / 32);
        __m512i corr0, corr1;
        quads_correction(block, 3, zero_point, &corr0, &corr1);
        __m256i wq[3][4];
        for (int q = 0; q < 3; ++q)
            for (int i = 0; i < 4; ++i) wq[q][i] = _mm256_loadu_si256((const __m256i *)(const void *)(block + q * 128 + i * 32));
        const __m256i flip = _mm256_set1_epi8((char)0x80), zero = _mm256_setzero_si256();
        const int8_t *x = image + (origin_y * g->in_w + ox0 * g->stride_w - g->pad_w) * c_count + c;
        int32_t *o = acc + ox0 * c_count + c;
        for (ptrdiff_t ox = ox0; ox < ox1; ++ox, x += step, o += c_count) {
            __m256i a[4];
            for (int i = 0; i < 4; ++i) a[i] = _mm256_setzero_si256();
            for (int q = 0; q < 3; ++q) {
                __m256i u[4], v[4];
                for (int k = 0; k < 4; ++k) {
                    const int t = q * 4 + k;
                    u[k] = t < 9 ? _mm256_xor_si256(_mm256_maskz_loadu_epi8(mask, x + (t / 3) * row + (t % 3) * col), flip) : zero;
                }
                interleave4(u[0], u[1], u[2], u[3], v);
                for (int i = 0; i < 4; ++i) a[i] = _mm256_dpbusd_epi32(a[i], v[i], wq[q][i]);
            }
            store_quads(o, a, corr0, corr1, m0, m1);
        }
    }
}

// Any filter, the pixels outside the interior: the tap sources as the pair kernel finds them
// (padding taps read the zero-point row), the taps past the last reading that row too.
__attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni")))
static void pixel_s8_vnni(int32_t *o, const int8_t *const *sources, const int8_t *pad_row, ptrdiff_t taps, ptrdiff_t c_count,
                          int32_t zero_point, const int16_t *packed) {
    const ptrdiff_t groups = (taps + 3) / 4;
    for (ptrdiff_t c = 0; c < c_count; c += 32) {
        const ptrdiff_t left = c_count - c;
        const __mmask32 mask = left >= 32 ? (__mmask32)0xFFFFFFFFu : (__mmask32)((1u << left) - 1);
        const __mmask16 m0 = left >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << left) - 1);
        const __mmask16 m1 = left >= 32 ? (__mmask16)0xFFFF : (left <= 16 ? 0 : (__mmask16)((1u << (left - 16)) - 1));
        const uint8_t *block = quads_block(packed, taps, c_count, c / 32);
        __m512i corr0, corr1;
        quads_correction(block, groups, zero_point, &corr0, &corr1);
        __m256i a[4];
        for (int i = 0; i < 4; ++i) a[i] = _mm256_setzero_si256();
        for (ptrdiff_t q = 0; q < groups; ++q) {
            const int8_t *from[4];
            for (int k = 0; k < 4; ++k) from[k] = 4 * q + k < taps ? sources[4 * q + k] : pad_row;
            group_quads(a, from, c, mask, block + q * 128);
        }
        store_quads(o + c, a, corr0, corr1, m0, m1);
    }
}

// The block's column-layout weights (see tfl_depthwise_s8_pack; nine taps only).
static inline const uint8_t *columns_block(const int16_t *packed, ptrdiff_t channels, ptrdiff_t block) {
    return quads_block(packed, 9, channels, (channels + 31) / 32) + block * columns_block_bytes(9);
}

// The three input rows a 3×3 output row at `origin_y` reads, for the column kernels: column ix
// of row k starts at base[k] + ix · step[k] (channel c included). A row outside the image reads
// pad_row's zero-point bytes at every column (step 0), and so does a column outside it (`pad`),
// which the correction cancels as it does the pixel kernel's padding taps: the column kernels
// take whole output rows, borders included.
typedef struct {
    const int8_t *base[3];
    ptrdiff_t step[3];
    const int8_t *pad;
    ptrdiff_t in_w;
} column_rows;

static inline column_rows column_rows_make(const tfl_depthwise_geometry *g, const int8_t *image, const int8_t *pad_row,
                                           ptrdiff_t origin_y, ptrdiff_t c) {
    column_rows r;
    for (int k = 0; k < 3; ++k) {
        const ptrdiff_t iy = origin_y + k * g->dilation_h;
        const int inside = iy >= 0 && iy < g->in_h;
        r.base[k] = inside ? image + iy * g->in_w * g->channels + c : pad_row + c;
        r.step[k] = inside ? g->channels : 0;
    }
    r.pad = pad_row + c;
    r.in_w = g->in_w;
    return r;
}

// Where column ix of row k starts (the zero-point bytes outside the image).
static inline const int8_t *column_at(const column_rows *r, int k, ptrdiff_t ix) {
    return ix >= 0 && ix < r->in_w ? r->base[k] + ix * r->step[k] : r->pad;
}

// Input column ix's three rows as unsigned bytes, interleaved with a zero fourth tap: the
// operand of the column layout's vpdpbusd.
__attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni"), always_inline))
static inline void column_quads(const column_rows *r, ptrdiff_t ix, __mmask32 mask, __m256i *v) {
    const __m256i flip = _mm256_set1_epi8((char)0x80);
    __m256i u[3];
    for (int k = 0; k < 3; ++k) u[k] = _mm256_xor_si256(_mm256_maskz_loadu_epi8(mask, column_at(r, k, ix)), flip);
    interleave4(u[0], u[1], u[2], _mm256_setzero_si256(), v);
}

// The sums of three columns' operands (v0, v1, v2) against the filter columns' weights: four
// accumulators in interleave4 order.
__attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni"), always_inline))
static inline void columns_dot(const __m256i *v0, const __m256i *v1, const __m256i *v2, const __m256i wc[3][4], __m256i *a) {
    for (int i = 0; i < 4; ++i) {
        a[i] = _mm256_dpbusd_epi32(_mm256_setzero_si256(), v0[i], wc[0][i]);
        a[i] = _mm256_dpbusd_epi32(a[i], v1[i], wc[1][i]);
        a[i] = _mm256_dpbusd_epi32(a[i], v2[i], wc[2][i]);
    }
}

// column_quads for a block of at most 16 channels and two columns: column ix in the low 128-bit
// lanes, column jx in the high ones.
__attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni"), always_inline))
static inline void column_pair_quads(const column_rows *r, ptrdiff_t ix, ptrdiff_t jx, __mmask16 mask, __m256i *v) {
    const __m256i flip = _mm256_set1_epi8((char)0x80);
    __m256i u[3];
    for (int k = 0; k < 3; ++k) {
        const __m128i low = _mm_maskz_loadu_epi8(mask, column_at(r, k, ix));
        const __m128i high = _mm_maskz_loadu_epi8(mask, column_at(r, k, jx));
        u[k] = _mm256_xor_si256(_mm256_inserti128_si256(_mm256_castsi128_si256(low), high, 1), flip);
    }
    interleave4(u[0], u[1], u[2], _mm256_setzero_si256(), v);
}

// The columns kernel for a block of at most 16 channels (a 16-channel layer, or the last 16 of
// 48): two output pixels share each vector, pixel ox in the low 128-bit lanes and ox + 1 in the
// high ones (the block's weights in both), so no lane runs on padding channels. At stride 1 the
// pair's third column pair is the next pair's first. An odd last pixel runs in both halves.
__attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni"), always_inline))
static inline void interior_3x3_column_pairs(int32_t *acc, const column_rows *r, const tfl_depthwise_geometry *g, ptrdiff_t ox0,
                                             ptrdiff_t ox1, ptrdiff_t c, const uint8_t *block, __m512i corr,
                                             const ptrdiff_t stride) {
    const ptrdiff_t c_count = g->channels, left = c_count - c;
    const __mmask16 mask = left >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << left) - 1);
    __m256i wc[3][4];
    for (int kx = 0; kx < 3; ++kx)
        for (int i = 0; i < 4; ++i)
            wc[kx][i] = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(const void *)(block + kx * 128 + i * 32)));
    int32_t *o = acc + ox0 * c_count + c;
    ptrdiff_t ox = ox0, ix = ox0 * stride - g->pad_w;  // pixel ox's first column
    __m256i v0[4], v1[4], v2[4], a[4];
    if (stride == 1 && ox + 2 <= ox1) column_pair_quads(r, ix, ix + 1, mask, v0);
    for (; ox + 2 <= ox1; ox += 2, ix += 2 * stride, o += 2 * c_count) {
        if (stride != 1) column_pair_quads(r, ix, ix + stride, mask, v0);
        column_pair_quads(r, ix + 1, ix + 1 + stride, mask, v1);
        column_pair_quads(r, ix + 2, ix + 2 + stride, mask, v2);
        columns_dot(v0, v1, v2, wc, a);
        __m512i lo, hi;
        quads_halves(a, &lo, &hi);
        _mm512_mask_storeu_epi32(o, mask, _mm512_sub_epi32(lo, corr));
        _mm512_mask_storeu_epi32(o + c_count, mask, _mm512_sub_epi32(hi, corr));
        if (stride == 1)
            for (int i = 0; i < 4; ++i) v0[i] = v2[i];
    }
    if (ox < ox1) {
        column_pair_quads(r, ix, ix, mask, v0);
        column_pair_quads(r, ix + 1, ix + 1, mask, v1);
        column_pair_quads(r, ix + 2, ix + 2, mask, v2);
        columns_dot(v0, v1, v2, wc, a);
        store_quads(o, a, corr, corr, mask, 0);
    }
}

// 3×3 rows with taps grouped by filter column (stride 1 or 2, no column dilation): an input
// column's interleaved bytes serve every output pixel that reads it, so each pixel loads and
// interleaves one new column (two at stride 2) where the tap-order groups take three. The sums
// equal interior_3x3_s8_vnni's and pixel_s8_vnni's (the same products, the zero taps adding
// nothing, the padding's zero-point bytes cancelled by the correction: column_rows).
__attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni"), always_inline))
static inline void interior_3x3_columns_vnni(int32_t *acc, const int8_t *image, int32_t zero_point, const tfl_depthwise_geometry *g,
                                             ptrdiff_t origin_y, ptrdiff_t ox0, ptrdiff_t ox1, const int16_t *packed,
                                             const int8_t *pad_row, const ptrdiff_t stride) {
    const ptrdiff_t c_count = g->channels;
    for (ptrdiff_t c = 0; c < c_count; c += 32) {
        const ptrdiff_t left = c_count - c;
        const __mmask32 mask = left >= 32 ? (__mmask32)0xFFFFFFFFu : (__mmask32)((1u << left) - 1);
        const __mmask16 m0 = left >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << left) - 1);
        const __mmask16 m1 = left >= 32 ? (__mmask16)0xFFFF : (left <= 16 ? 0 : (__mmask16)((1u << (left - 16)) - 1));
        __m512i corr0, corr1;
        quads_correction(quads_block(packed, 9, c_count, c / 32), 3, zero_point, &corr0, &corr1);
        const uint8_t *block = columns_block(packed, c_count, c / 32);
        const column_rows r = column_rows_make(g, image, pad_row, origin_y, c);
        if (left <= 16) {
            interior_3x3_column_pairs(acc, &r, g, ox0, ox1, c, block, corr0, stride);
            continue;
        }
        __m256i wc[3][4];
        for (int kx = 0; kx < 3; ++kx)
            for (int i = 0; i < 4; ++i) wc[kx][i] = _mm256_loadu_si256((const __m256i *)(const void *)(block + kx * 128 + i * 32));
        int32_t *o = acc + ox0 * c_count + c;
        ptrdiff_t ix = ox0 * stride - g->pad_w;  // pixel ox's first column
        __m256i v0[4], v1[4], v2[4], a[4];
        column_quads(&r, ix, mask, v0);
        if (stride == 1) column_quads(&r, ix + 1, mask, v1);
        for (ptrdiff_t ox = ox0; ox < ox1; ++ox, o += c_count) {
            if (stride != 1) column_quads(&r, ix + 1, mask, v1);
            column_quads(&r, ix + 2, mask, v2);
            columns_dot(v0, v1, v2, wc, a);
            store_quads(o, a, corr0, corr1, m0, m1);
            for (int i = 0; i < 4; ++i) {
                if (stride == 1) {
                    v0[i] = v1[i];
                    v1[i] = v2[i];
                } else {
                    v0[i] = v2[i];
                }
            }
            ix += stride;
        }
    }
}

// interior_3x3_columns_vnni for stride 1 and 2 (constants after inlining).
__attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni")))
static void interior_3x3_columns_dispatch(int32_t *acc, const int8_t *image, int32_t zero_point, const tfl_depthwise_geometry *g,
                                          ptrdiff_t origin_y, ptrdiff_t ox0, ptrdiff_t ox1, const int16_t *packed,
                                          const int8_t *pad_row) {
    if (g->stride_w == 1) interior_3x3_columns_vnni(acc, image, zero_point, g, origin_y, ox0, ox1, packed, pad_row, 1);
    else interior_3x3_columns_vnni(acc, image, zero_point, g, origin_y, ox0, ox1, packed, pad_row, 2);
}

// `cpu_vnni`: the VNNI variants may run. Not inlined into the two entries below: the VNNI
// helpers it calls stay out of line as they were (inlined into a VNNI-target copy, the 5 × 5
// rows measured 4-8 % slower).
__attribute__((target("avx512f,avx512bw,avx512vl"), noinline))
static void row_s8_pairs_avx512_body(int32_t *acc, const int8_t *image, int32_t zero_point, const tfl_depthwise_geometry *g,
                                            ptrdiff_t origin_y, const int8_t *w, const int16_t *packed, int32_t weight_zero,
                                            int8_t *pad_row, const int8_t **sources, const int cpu_vnni) {
    const ptrdiff_t c_count = g->channels, taps = g->filter_h * g->filter_w, pairs = (taps + 1) / 2;
    const ptrdiff_t blocks = (c_count + 31) / 32;
    for (ptrdiff_t c = 0; c < c_count; ++c) pad_row[c] = (int8_t)zero_point;
    sources[taps] = pad_row;  // the odd tap out, with zero weights
    const __m512i zp = _mm512_set1_epi16((int16_t)zero_point);
    const __m512i first = _mm512_setr_epi32(0, 1, 2, 3, 16, 17, 18, 19, 4, 5, 6, 7, 20, 21, 22, 23);
    const __m512i second = _mm512_setr_epi32(8, 9, 10, 11, 24, 25, 26, 27, 12, 13, 14, 15, 28, 29, 30, 31);
    const int vnni = cpu_vnni && weight_zero == 0;  // the VNNI layout holds weights as bytes
    ptrdiff_t interior, last;
    const int columns = vnni && g->filter_h == 3 && g->filter_w == 3 && (g->stride_w == 1 || g->stride_w == 2) && g->dilation_w == 1;
    if (columns) {  // the whole row
        interior = 0;
        last = g->out_w;
    } else {
        tfl_dw_interior_3x3(g, origin_y, &interior, &last);
    }
    if (last > interior) {
        if (columns)
            interior_3x3_columns_dispatch(acc, image, zero_point, g, origin_y, interior, last, packed, pad_row);
        else if (vnni) interior_3x3_s8_vnni(acc, image, zero_point, g, origin_y, interior, last, packed);
        else interior_3x3_s8_avx512(acc, image, zero_point, g, origin_y, interior, last, w, packed, weight_zero, first, second);
    }
    for (ptrdiff_t ox = 0; ox < g->out_w; ++ox) {
        if (ox == interior && last > interior) ox = last;
        if (ox >= g->out_w) break;
        tfl_dw_tap_sources(g, image, origin_y, ox, pad_row, sources);
        int32_t *o = acc + ox * c_count;
        if (vnni) {
            pixel_s8_vnni(o, sources, pad_row, taps, c_count, zero_point, packed);
            continue;
        }
        for (ptrdiff_t b = 0; b < blocks; ++b) {
            const ptrdiff_t c = b * 32, left = c_count - c;
            const __mmask32 mask = left >= 32 ? (__mmask32)0xFFFFFFFFu : (__mmask32)((1u << left) - 1);
            const int16_t *w = packed + b * pairs * 64;
            __m512i lo = _mm512_setzero_si512(), hi = _mm512_setzero_si512();
            for (ptrdiff_t p = 0; p < pairs; ++p) {
                const __m512i x0 = _mm512_sub_epi16(_mm512_cvtepi8_epi16(_mm256_maskz_loadu_epi8(mask, sources[2 * p] + c)), zp);
                const __m512i x1 = _mm512_sub_epi16(_mm512_cvtepi8_epi16(_mm256_maskz_loadu_epi8(mask, sources[2 * p + 1] + c)), zp);
                lo = _mm512_add_epi32(lo, _mm512_madd_epi16(_mm512_unpacklo_epi16(x0, x1), _mm512_loadu_si512(w + p * 64)));
                hi = _mm512_add_epi32(hi, _mm512_madd_epi16(_mm512_unpackhi_epi16(x0, x1), _mm512_loadu_si512(w + p * 64 + 32)));
            }
            const __mmask16 m0 = left >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << left) - 1);
            const __mmask16 m1 = left >= 32 ? (__mmask16)0xFFFF : (left <= 16 ? 0 : (__mmask16)((1u << (left - 16)) - 1));
            _mm512_mask_storeu_epi32(o + c, m0, _mm512_permutex2var_epi32(lo, first, hi));
            if (m1) _mm512_mask_storeu_epi32(o + c + 16, m1, _mm512_permutex2var_epi32(lo, second, hi));
        }
    }
}

__attribute__((target("avx512f,avx512bw,avx512vl")))
static void row_s8_pairs_avx512(int32_t *acc, const int8_t *image, int32_t zero_point, const tfl_depthwise_geometry *g,
                                ptrdiff_t origin_y, const int8_t *w, const int16_t *packed, int32_t weight_zero, int8_t *pad_row,
                                const int8_t **sources) {
    row_s8_pairs_avx512_body(acc, image, zero_point, g, origin_y, w, packed, weight_zero, pad_row, sources, 0);
}

__attribute__((target("avx512f,avx512bw,avx512vl")))
static void row_s8_pairs_avx512_vnni(int32_t *acc, const int8_t *image, int32_t zero_point, const tfl_depthwise_geometry *g,
                                     ptrdiff_t origin_y, const int8_t *w, const int16_t *packed, int32_t weight_zero,
                                     int8_t *pad_row, const int8_t **sources) {
    row_s8_pairs_avx512_body(acc, image, zero_point, g, origin_y, w, packed, weight_zero, pad_row, sources, 1);
}
#endif

void tfl_depthwise_row_f32(float *out, const float *image, const tfl_depthwise_geometry *g, ptrdiff_t origin_y,
                           const float *w, const float *bias, float lo, float hi) {
    tfl_kernels_current()->depthwise_row_f32(out, image, g, origin_y, w, bias, lo, hi);
}

ptrdiff_t tfl_depthwise_s8_packed_count(ptrdiff_t taps, ptrdiff_t channels) {
    return pairs_count(taps, channels) + ((channels + 31) / 32) * (quads_block_bytes(taps) + columns_block_bytes(taps)) / 2;
}

void tfl_depthwise_s8_pack(const int8_t *w, ptrdiff_t taps, ptrdiff_t channels, int16_t *packed, int32_t weight_zero) {
    const ptrdiff_t pairs = (taps + 1) / 2, blocks = (channels + 31) / 32;
    // The VNNI layout: byte k of 32-bit lane l of vector i in group q is tap 4q + k of the
    // channel interleave4 puts there (lanes 0-3 of a 128-bit half: channels 4i + l, and 16 more
    // in the upper half).
    uint8_t *quads = (uint8_t *)(void *)(packed + pairs_count(taps, channels));
    const ptrdiff_t groups = (taps + 3) / 4;
    for (ptrdiff_t b = 0; b < blocks; ++b) {
        uint8_t *block = quads + b * quads_block_bytes(taps);
        for (ptrdiff_t q = 0; q < groups; ++q)
            for (int i = 0; i < 4; ++i)
                for (int l = 0; l < 8; ++l)
                    for (int k = 0; k < 4; ++k) {
                        const ptrdiff_t c = b * 32 + (l / 4) * 16 + 4 * i + l % 4, t = 4 * q + k;
                        block[q * 128 + i * 32 + l * 4 + k] = (uint8_t)((c < channels && t < taps) ? w[t * channels + c] : 0);
                    }
        int32_t sums[32];
        for (int j = 0; j < 32; ++j) {
            const ptrdiff_t c = b * 32 + j;
            int32_t sum = 0;
            for (ptrdiff_t t = 0; c < channels && t < taps; ++t) sum += w[t * channels + c];
            sums[j] = sum;
        }
        memcpy(block + groups * 128, sums, sizeof sums);
    }
    // The column layout (nine taps): group kx holds taps 3k + kx, k = 0, 1, 2, and a zero.
    uint8_t *columns = quads + blocks * quads_block_bytes(taps);
    for (ptrdiff_t b = 0; b < blocks && columns_block_bytes(taps); ++b) {
        uint8_t *block = columns + b * columns_block_bytes(taps);
        for (int kx = 0; kx < 3; ++kx)
            for (int i = 0; i < 4; ++i)
                for (int l = 0; l < 8; ++l)
                    for (int k = 0; k < 4; ++k) {
                        const ptrdiff_t c = b * 32 + (l / 4) * 16 + 4 * i + l % 4, t = 3 * k + kx;
                        block[kx * 128 + i * 32 + l * 4 + k] = (uint8_t)((c < channels && k < 3) ? w[t * channels + c] : 0);
                    }
    }
    for (ptrdiff_t b = 0; b < blocks; ++b)
        for (ptrdiff_t p = 0; p < pairs; ++p)
            for (int half = 0; half < 2; ++half)
                for (int d = 0; d < 16; ++d) {
                    // 32-bit lane d of the lo (half 0) or hi (half 1) sums: 128-bit lane d / 4,
                    // element d % 4, i.e. channel 8 · (d / 4) + 4 · half + d % 4 of the block.
                    const ptrdiff_t c = b * 32 + 8 * (d / 4) + 4 * half + d % 4;
                    int16_t *pair = packed + (b * pairs + p) * 64 + half * 32 + d * 2;
                    for (int t = 0; t < 2; ++t) {
                        const ptrdiff_t tap = 2 * p + t;
                        pair[t] = (int16_t)((c < channels && tap < taps) ? w[tap * channels + c] - weight_zero : 0);
                    }
                }
}

static void row_s8_pairs_portable(int32_t *acc, const int8_t *image, int32_t zero_point, const tfl_depthwise_geometry *g,
                                  ptrdiff_t origin_y, const int8_t *w, const int16_t *packed, int32_t weight_zero,
                                  int8_t *pad_row, const int8_t **sources) {
    (void)packed; (void)pad_row; (void)sources;
    row_s8_portable(acc, image, zero_point, g, origin_y, w, weight_zero);
}

#if defined(__aarch64__)
static void row_s8_pairs_neon(int32_t *acc, const int8_t *image, int32_t zero_point, const tfl_depthwise_geometry *g,
                              ptrdiff_t origin_y, const int8_t *w, const int16_t *packed, int32_t weight_zero, int8_t *pad_row,
                              const int8_t **sources) {
    (void)packed; (void)pad_row; (void)sources;
    tfl_dw_row_s8_neon(acc, image, zero_point, g, origin_y, w, weight_zero);
}
#endif

void tfl_select_depthwise_row(tfl_kernels *k, const tfl_cpu_features *f) {
    k->depthwise_row_f32 = row_f32_portable;
    k->depthwise_row_s8_pairs = row_s8_pairs_portable;
#if defined(__x86_64__) || defined(__i386__)
    if (f->avx512) {
        k->depthwise_row_f32 = row_f32_avx512;
        k->depthwise_row_s8_pairs = f->avx512_vnni ? row_s8_pairs_avx512_vnni : row_s8_pairs_avx512;
    } else if (f->avx2_fma) {
        k->depthwise_row_f32 = tfl_dw_row_f32_avx2;
        k->depthwise_row_s8_pairs = tfl_dw_row_s8_pairs_avx2;
    }
#elif defined(__aarch64__)
    if (f->neon) {
        k->depthwise_row_f32 = tfl_dw_row_f32_neon;
        k->depthwise_row_s8_pairs = row_s8_pairs_neon;
    }
#endif
}

void tfl_depthwise_row_s8_pairs(int32_t *acc, const int8_t *image, int32_t zero_point, const tfl_depthwise_geometry *g,
                                ptrdiff_t origin_y, const int8_t *w, const int16_t *packed, int32_t weight_zero, int8_t *pad_row,
                                const int8_t **sources) {
    tfl_kernels_current()->depthwise_row_s8_pairs(acc, image, zero_point, g, origin_y, w, packed, weight_zero, pad_row, sources);
}
