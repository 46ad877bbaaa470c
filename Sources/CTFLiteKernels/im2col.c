// im2col: the input patch of each output pixel of a convolution, laid out as one GEMM row
// (`[ky][kx][depth]`), out-of-bounds taps filled with the pixel's batch's padding value.
#include <string.h>

#include "CTFLiteKernels.h"

static inline void copy_bytes(uint8_t *to, const uint8_t *from, size_t n) {
    if (n <= 32) {
        for (size_t i = 0; i < n; ++i) to[i] = from[i];
    } else {
        memcpy(to, from, n);
    }
}

static inline void fill(uint8_t *to, const uint8_t *value, size_t element, size_t count) {
    if (element == 1) {
        memset(to, value[0], count);
    } else if (element == 4) {
        uint32_t v;
        memcpy(&v, value, 4);
        for (size_t i = 0; i < count; ++i) memcpy(to + i * 4, &v, 4);  // constant size: a plain store
    } else {
        for (size_t i = 0; i < count; ++i)
            for (size_t b = 0; b < element; ++b) to[i * element + b] = value[b];
    }
}

void tfl_im2col(void *target, const void *source, size_t element, const tfl_im2col_geometry *g, ptrdiff_t first,
                ptrdiff_t count, const void *pads) {
    uint8_t *out = target;
    const uint8_t *input = source, *pad_values = pads;
    const size_t depth_bytes = (size_t)g->depth * element;
    const size_t row_bytes = (size_t)g->filter_w * depth_bytes;
    const ptrdiff_t image = g->in_h * g->in_w;
    ptrdiff_t ox = first % g->out_w;
    ptrdiff_t oy = first / g->out_w % g->out_h;
    ptrdiff_t batch = first / g->out_w / g->out_h;
    for (ptrdiff_t p = 0; p < count; ++p) {
        const uint8_t *pad = pad_values + batch * element;
        const uint8_t *base = input + (size_t)(batch * image) * depth_bytes;
        const ptrdiff_t origin_y = oy * g->stride_h - g->pad_h, origin_x = ox * g->stride_w - g->pad_w;
        for (ptrdiff_t ky = 0; ky < g->filter_h; ++ky) {
            const ptrdiff_t iy = origin_y + ky * g->dilation_h;
            if (iy < 0 || iy >= g->in_h) {
                fill(out, pad, element, (size_t)(g->filter_w * g->depth));
                out += row_bytes;
                continue;
            }
            if (g->dilation_w == 1) {
                ptrdiff_t kx0 = origin_x < 0 ? -origin_x : 0;
                if (kx0 > g->filter_w) kx0 = g->filter_w;
                ptrdiff_t kx1 = g->in_w - origin_x;
                if (kx1 > g->filter_w) kx1 = g->filter_w;
                if (kx1 < kx0) kx1 = kx0;
                if (kx0 > 0) fill(out, pad, element, (size_t)(kx0 * g->depth));
                if (kx1 > kx0)
                    copy_bytes(out + kx0 * depth_bytes, base + (size_t)(iy * g->in_w + origin_x + kx0) * depth_bytes,
                               (size_t)(kx1 - kx0) * depth_bytes);
                if (kx1 < g->filter_w) fill(out + kx1 * depth_bytes, pad, element, (size_t)((g->filter_w - kx1) * g->depth));
            } else {
                for (ptrdiff_t kx = 0; kx < g->filter_w; ++kx) {
                    const ptrdiff_t ix = origin_x + kx * g->dilation_w;
                    if (ix < 0 || ix >= g->in_w) fill(out + kx * depth_bytes, pad, element, (size_t)g->depth);
                    else copy_bytes(out + kx * depth_bytes, base + (size_t)(iy * g->in_w + ix) * depth_bytes, depth_bytes);
                }
            }
            out += row_bytes;
        }
        if (++ox == g->out_w) {
            ox = 0;
            if (++oy == g->out_h) {
                oy = 0;
                ++batch;
            }
        }
    }
}
