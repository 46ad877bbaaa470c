// NEON variants of the depthwise row kernels (depthwise_row.c dispatches to them on AArch64):
// per output pixel and block of channels the sums stay in registers over the valid taps, in
// (ky, kx) order, as the portable loops take them, so the results are the same bit for bit.
// float: fmla from zero, then bias, then the clamp (fmax then fmin, see gemm_f32.c's NEON note).
// int8: (x − zero point) and (w − weight zero point) widened to int16, products accumulated
// into int32 lanes by smlal (wrapping, as the portable sums do).
#include <math.h>

#include "depthwise_row.h"

#if defined(__aarch64__)
#include <arm_neon.h>

// Channels [c, c + 4·V) of one pixel over its valid taps; V is a constant after inlining.
__attribute__((always_inline))
static inline void pixel_f32(float *o, const float *image, const tfl_depthwise_geometry *g, ptrdiff_t origin_y,
                             ptrdiff_t origin_x, ptrdiff_t kx0, ptrdiff_t kx1, const float *w, const float *bias,
                             float32x4_t low, float32x4_t high, ptrdiff_t c, const int v) {
    const ptrdiff_t c_count = g->channels;
    float32x4_t a[4];
    for (int i = 0; i < v; ++i) a[i] = vdupq_n_f32(0);
    for (ptrdiff_t ky = 0; ky < g->filter_h; ++ky) {
        const ptrdiff_t iy = origin_y + ky * g->dilation_h;
        if (iy < 0 || iy >= g->in_h) continue;
        for (ptrdiff_t kx = kx0; kx < kx1; ++kx) {
            const float *x = image + (iy * g->in_w + origin_x + kx * g->dilation_w) * c_count + c;
            const float *wt = w + (ky * g->filter_w + kx) * c_count + c;
            for (int i = 0; i < v; ++i) a[i] = vfmaq_f32(a[i], vld1q_f32(x + 4 * i), vld1q_f32(wt + 4 * i));
        }
    }
    for (int i = 0; i < v; ++i) {
        float32x4_t r = a[i];
        if (bias) r = vaddq_f32(r, vld1q_f32(bias + c + 4 * i));
        vst1q_f32(o + c + 4 * i, vminq_f32(high, vmaxq_f32(low, r)));
    }
}

void tfl_dw_row_f32_neon(float *out, const float *image, const tfl_depthwise_geometry *g, ptrdiff_t origin_y,
                         const float *w, const float *bias, float lo, float hi) {
    const ptrdiff_t c_count = g->channels;
    const float32x4_t low = vdupq_n_f32(lo), high = vdupq_n_f32(hi);
    for (ptrdiff_t ox = 0; ox < g->out_w; ++ox) {
        ptrdiff_t origin_x, kx0, kx1;
        tfl_dw_valid_x(g, ox, &origin_x, &kx0, &kx1);
        float *o = out + ox * c_count;
        ptrdiff_t c = 0;
        for (; c + 16 <= c_count; c += 16) pixel_f32(o, image, g, origin_y, origin_x, kx0, kx1, w, bias, low, high, c, 4);
        for (; c + 4 <= c_count; c += 4) pixel_f32(o, image, g, origin_y, origin_x, kx0, kx1, w, bias, low, high, c, 1);
        for (; c < c_count; ++c) {  // the last few channels, as the portable loop
            float a = 0;
            for (ptrdiff_t ky = 0; ky < g->filter_h; ++ky) {
                const ptrdiff_t iy = origin_y + ky * g->dilation_h;
                if (iy < 0 || iy >= g->in_h) continue;
                for (ptrdiff_t kx = kx0; kx < kx1; ++kx)
                    a = fmaf(image[(iy * g->in_w + origin_x + kx * g->dilation_w) * c_count + c], w[(ky * g->filter_w + kx) * c_count + c], a);
            }
            if (bias) a += bias[c];
            a = lo >= a ? lo : a;
            o[c] = hi < a ? hi : a;
        }
    }
}

// Channels [c, c + 8·V) of one pixel's int8 sums over its valid taps.
__attribute__((always_inline))
static inline void pixel_s8(int32_t *o, const int8_t *image, const tfl_depthwise_geometry *g, ptrdiff_t origin_y,
                            ptrdiff_t origin_x, ptrdiff_t kx0, ptrdiff_t kx1, const int8_t *w, int16x8_t zp, int16x8_t wz,
                            ptrdiff_t c, const int v) {
    const ptrdiff_t c_count = g->channels;
    int32x4_t a[2][2];
    for (int i = 0; i < v; ++i) a[i][0] = a[i][1] = vdupq_n_s32(0);
    for (ptrdiff_t ky = 0; ky < g->filter_h; ++ky) {
        const ptrdiff_t iy = origin_y + ky * g->dilation_h;
        if (iy < 0 || iy >= g->in_h) continue;
        for (ptrdiff_t kx = kx0; kx < kx1; ++kx) {
            const int8_t *x = image + (iy * g->in_w + origin_x + kx * g->dilation_w) * c_count + c;
            const int8_t *wt = w + (ky * g->filter_w + kx) * c_count + c;
            for (int i = 0; i < v; ++i) {
                const int16x8_t xv = vsubq_s16(vmovl_s8(vld1_s8(x + 8 * i)), zp);
                const int16x8_t wv = vsubq_s16(vmovl_s8(vld1_s8(wt + 8 * i)), wz);
                a[i][0] = vmlal_s16(a[i][0], vget_low_s16(xv), vget_low_s16(wv));
                a[i][1] = vmlal_high_s16(a[i][1], xv, wv);
            }
        }
    }
    for (int i = 0; i < v; ++i) {
        vst1q_s32(o + c + 8 * i, a[i][0]);
        vst1q_s32(o + c + 8 * i + 4, a[i][1]);
    }
}

void tfl_dw_row_s8_neon(int32_t *acc, const int8_t *image, int32_t zero_point, const tfl_depthwise_geometry *g,
                        ptrdiff_t origin_y, const int8_t *w, int32_t weight_zero) {
    const ptrdiff_t c_count = g->channels;
    const int16x8_t zp = vdupq_n_s16((int16_t)zero_point), wz = vdupq_n_s16((int16_t)weight_zero);
    for (ptrdiff_t ox = 0; ox < g->out_w; ++ox) {
        ptrdiff_t origin_x, kx0, kx1;
        tfl_dw_valid_x(g, ox, &origin_x, &kx0, &kx1);
        int32_t *o = acc + ox * c_count;
        ptrdiff_t c = 0;
        for (; c + 16 <= c_count; c += 16) pixel_s8(o, image, g, origin_y, origin_x, kx0, kx1, w, zp, wz, c, 2);
        for (; c + 8 <= c_count; c += 8) pixel_s8(o, image, g, origin_y, origin_x, kx0, kx1, w, zp, wz, c, 1);
        for (; c < c_count; ++c) {  // the last few channels, as the portable loop
            uint32_t a = 0;
            for (ptrdiff_t ky = 0; ky < g->filter_h; ++ky) {
                const ptrdiff_t iy = origin_y + ky * g->dilation_h;
                if (iy < 0 || iy >= g->in_h) continue;
                for (ptrdiff_t kx = kx0; kx < kx1; ++kx) {
                    const int32_t x = (int32_t)image[(iy * g->in_w + origin_x + kx * g->dilation_w) * c_count + c] - zero_point;
                    a += (uint32_t)(x * ((int32_t)w[(ky * g->filter_w + kx) * c_count + c] - weight_zero));
                }
            }
            o[c] = (int32_t)a;
        }
    }
}
#endif
