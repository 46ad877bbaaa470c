// The C kernels on AArch64 against plain loops, with every feature set the CPU has (portable,
// neon, neon + neon_dot; tfl_cpu_use): built for arm64 and run under qemu-user by
// scripts/check_neon.sh, since the Swift test suite runs on the x86-64 machines only.
// Exits non-zero on the first mismatch; prints what it checked.
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "CTFLiteKernels.h"

static uint64_t state = 0x9E3779B97F4A7C15ULL;
static uint32_t next_random(void) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return (uint32_t)(state >> 16);
}
static int8_t random_s8(void) { return (int8_t)next_random(); }
static float random_float(void) { return (float)((int32_t)(next_random() % 2001) - 1000) / 500.0f; }

static int failures = 0;
#define CHECK(cond, ...)                                  \
    do {                                                  \
        if (!(cond)) {                                    \
            fprintf(stderr, "MISMATCH: " __VA_ARGS__);   \
            fprintf(stderr, "\n");                        \
            ++failures;                                   \
        }                                                 \
    } while (0)

static void check_gemm_s8(const char *variant) {
    static const int shapes[][3] = {{1, 1, 1}, {3, 17, 5}, {27, 32, 9}, {64, 70, 4}, {130, 15, 7}, {7, 64, 3}, {200, 33, 6}, {1101, 40, 5}};
    static const int32_t zeros[] = {0, -128, 127, 0, 5, -1, 0, -77};
    for (int s = 0; s < 8; ++s) {
        const int depth = shapes[s][0], n = shapes[s][1], pixels = shapes[s][2], x_stride = depth + 5;
        const int32_t weight_zero = zeros[s];
        const int format = tfl_gemm_s8_format();
        int8_t *w = malloc((size_t)n * depth), *x = malloc((size_t)pixels * x_stride);
        for (int i = 0; i < n * depth; ++i) w[i] = random_s8();
        for (int i = 0; i < pixels * x_stride; ++i) x[i] = random_s8();
        w[0] = -128, x[0] = -128;
        uint8_t *packed = malloc((size_t)tfl_gemm_s8_packed_size(depth, n, format));
        int32_t *sums = malloc(sizeof(int32_t) * (size_t)n);
        tfl_gemm_s8_pack(w, n, depth, packed, sums, format, weight_zero);
        const int acc_stride = (n + 15) / 16 * 16 + 3;
        int32_t *acc = malloc(sizeof(int32_t) * (size_t)pixels * acc_stride);
        memset(acc, 0xAB, sizeof(int32_t) * (size_t)pixels * acc_stride);
        tfl_gemm_s8(acc, acc_stride, x, x_stride, pixels, packed, depth, n, format, weight_zero);
        int bad = 0;
        for (int j = 0; j < n; ++j) {
            int32_t column = 0;
            for (int k = 0; k < depth; ++k) column += w[j * depth + k] - weight_zero;
            if (column != sums[j]) ++bad;
            for (int p = 0; p < pixels; ++p) {
                int32_t sum = 0;
                for (int k = 0; k < depth; ++k) sum += x[p * x_stride + k] * (w[j * depth + k] - weight_zero);
                if (acc[p * acc_stride + j] != sum) ++bad;
            }
        }
        CHECK(bad == 0, "tfl_gemm_s8 [%s] depth %d n %d pixels %d zero %d: %d wrong", variant, depth, n, pixels, weight_zero, bad);
        free(w), free(x), free(packed), free(sums), free(acc);
    }
}

// LiteRT's MultiplyByQuantizedMultiplier, written out (gemmlowp's definitions).
static int32_t reference_requantize(int32_t acc, int32_t m, int32_t shift) {
    const int left = shift > 0 ? shift : 0, right = shift > 0 ? 0 : -shift;
    const int32_t a = (int32_t)((uint32_t)acc << left);
    int32_t high;
    if (a == INT32_MIN && m == INT32_MIN) high = INT32_MAX;
    else {
        const int64_t product = (int64_t)a * m;
        const int64_t nudge = product >= 0 ? (1LL << 30) : (1 - (1LL << 30));
        high = (int32_t)((product + nudge) / (1LL << 31));
    }
    if (right == 0) return high;
    const int32_t mask = (int32_t)((1LL << right) - 1), remainder = high & mask;
    const int32_t threshold = (mask >> 1) + (high < 0 ? 1 : 0);
    return (high >> right) + (remainder > threshold ? 1 : 0);
}

// TFL_ROUNDING_HALF_UP: (x·m + 2^30) >> 31, then a right shift by r adding 2^(r−1) first.
static int32_t reference_requantize_half_up(int32_t acc, int32_t m, int32_t shift) {
    const int left = shift > 0 ? shift : 0, right = shift > 0 ? 0 : -shift;
    const int32_t a = (int32_t)((uint32_t)acc << left);
    const int64_t high = ((int64_t)a * m + (1LL << 30)) >> 31;
    return (int32_t)(right > 0 ? (high + (1LL << (right - 1))) >> right : high);
}

static void check_requantize(const char *variant) {
    enum { n = 45, rows = 7, stride = 50 };
    for (int trial = 0; trial < 200; ++trial) {
        int32_t acc[rows * stride], bias[n], multiplier[n], shift[n];
        uint8_t out[rows * stride];
        for (int i = 0; i < rows * stride; ++i) {
            const uint32_t r = next_random();
            acc[i] = trial % 4 == 0 ? (int32_t)(r << 16 | next_random()) : (int32_t)(r % 200001) - 100000;
        }
        acc[0] = INT32_MIN, acc[1] = INT32_MAX;
        for (int c = 0; c < n; ++c) {
            bias[c] = (int32_t)(next_random() % 2001) - 1000;
            multiplier[c] = (int32_t)((1u << 30) + next_random() % (1u << 30));
            shift[c] = (int32_t)(next_random() % 62) - 31;
            if (trial % 3) shift[c] = -(int32_t)(next_random() % 12);  // the usual right shifts
        }
        multiplier[0] = INT32_MIN;
        const int is_signed = trial % 2;
        const int32_t zero_point = is_signed ? (int32_t)(next_random() % 256) - 128 : (int32_t)(next_random() % 256);
        const int32_t qmin = is_signed ? -128 : 0, qmax = is_signed ? 127 : 255;
        int bad = 0;
        for (int rounding = 0; rounding < 2; ++rounding) {
            tfl_requantize_8bit_rows(acc, stride, rows, trial % 5 ? bias : 0, multiplier, shift, zero_point, qmin, qmax, out, stride,
                                     n, rounding ? TFL_ROUNDING_HALF_UP : TFL_ROUNDING_GEMMLOWP);
            for (int r = 0; r < rows; ++r)
                for (int c = 0; c < n; ++c) {
                    const int32_t sum = (int32_t)((uint32_t)acc[r * stride + c] + (uint32_t)(trial % 5 ? bias[c] : 0));
                    const int32_t q = rounding ? reference_requantize_half_up(sum, multiplier[c], shift[c])
                                               : reference_requantize(sum, multiplier[c], shift[c]);
                    int32_t v = (int32_t)((uint32_t)q + (uint32_t)zero_point);
                    v = v < qmin ? qmin : (v > qmax ? qmax : v);
                    if (out[r * stride + c] != (uint8_t)v) ++bad;
                }
        }
        tfl_requantize_8bit_uniform(acc, multiplier[3], shift[3], zero_point, qmin, qmax, out, n);
        for (int c = 0; c < n; ++c) {
            int32_t v = (int32_t)((uint32_t)reference_requantize(acc[c], multiplier[3], shift[3]) + (uint32_t)zero_point);
            v = v < qmin ? qmin : (v > qmax ? qmax : v);
            if (out[c] != (uint8_t)v) ++bad;
        }
        CHECK(bad == 0, "requantization [%s] trial %d: %d wrong", variant, trial, bad);
    }
}

static float clampf(float v, float lo, float hi) {
    v = lo >= v ? lo : v;
    return hi < v ? hi : v;
}

static void check_gemm_f32(const char *variant) {
    static const int shapes[][3] = {{1, 1, 1}, {3, 17, 5}, {27, 32, 9}, {64, 70, 40}, {130, 15, 7}, {7, 64, 13}, {200, 33, 6}};
    for (int s = 0; s < 7; ++s) {
        const int depth = shapes[s][0], n = shapes[s][1], pixels = shapes[s][2], x_stride = depth + 3, out_stride = n + 2;
        float *w = malloc(sizeof(float) * (size_t)n * depth), *x = malloc(sizeof(float) * (size_t)pixels * x_stride);
        float *bias = malloc(sizeof(float) * (size_t)n);
        for (int i = 0; i < n * depth; ++i) w[i] = random_float();
        for (int i = 0; i < pixels * x_stride; ++i) x[i] = random_float();
        for (int i = 0; i < n; ++i) bias[i] = random_float();
        float *packed = malloc(sizeof(float) * (size_t)tfl_gemm_f32_packed_count(depth, n));
        tfl_gemm_f32_pack(w, n, depth, packed);
        float *out = malloc(sizeof(float) * (size_t)pixels * out_stride);
        const float lo = s % 2 ? 0.0f : -INFINITY, hi = s % 3 ? 6.0f : INFINITY;
        for (int i = 0; i < pixels * out_stride; ++i) out[i] = -12345.0f;
        tfl_gemm_f32(out, out_stride, x, x_stride, pixels, packed, depth, n, s % 4 ? bias : 0, lo, hi);
        int bad = 0;
        for (int p = 0; p < pixels; ++p) {
            for (int j = 0; j < n; ++j) {
                float sum = 0;
                for (int k = 0; k < depth; ++k) sum = fmaf(x[p * x_stride + k], w[j * depth + k], sum);
                if (s % 4) sum += bias[j];
                if (memcmp(&out[p * out_stride + j], &(float){clampf(sum, lo, hi)}, sizeof(float)) != 0) ++bad;
            }
            for (int j = n; j < out_stride; ++j) if (out[p * out_stride + j] != -12345.0f) ++bad;  // nothing past n
        }
        CHECK(bad == 0, "tfl_gemm_f32 [%s] depth %d n %d pixels %d: %d wrong", variant, depth, n, pixels, bad);
        free(w), free(x), free(bias), free(packed), free(out);
    }
}

static void check_depthwise(const char *variant) {
    static const int shapes[][5] = {{1, 3, 1, 1, 1}, {32, 3, 1, 1, 1}, {17, 3, 2, 1, 1}, {24, 3, 2, 1, 0},
                                    {33, 5, 1, 1, 2}, {70, 3, 1, 2, 2}, {32, 1, 1, 1, 0}, {64, 5, 2, 1, 2}};
    static const int32_t weight_zeros[] = {0, -128, 127, -9};
    static const int32_t zero_points[] = {-128, 5, 127};
    for (int s = 0; s < 8; ++s) {
        const int channels = shapes[s][0], filter = shapes[s][1], stride = shapes[s][2], dilation = shapes[s][3], pad = shapes[s][4];
        const int in_h = 7, in_w = 15, out_w = (in_w + 2 * pad - ((filter - 1) * dilation + 1)) / stride + 1;
        const int taps = filter * filter;
        int8_t *x = malloc((size_t)in_h * in_w * channels), *w = malloc((size_t)taps * channels);
        float *xf = malloc(sizeof(float) * (size_t)in_h * in_w * channels), *wf = malloc(sizeof(float) * (size_t)taps * channels);
        float *bias = malloc(sizeof(float) * (size_t)channels);
        for (int i = 0; i < in_h * in_w * channels; ++i) x[i] = random_s8(), xf[i] = random_float();
        for (int i = 0; i < taps * channels; ++i) w[i] = random_s8(), wf[i] = random_float();
        for (int i = 0; i < channels; ++i) bias[i] = random_float();
        const tfl_depthwise_geometry g = {in_h, in_w, channels, filter, filter, stride, dilation, dilation, pad, out_w};
        int16_t *packed = malloc(sizeof(int16_t) * (size_t)tfl_depthwise_s8_packed_count(taps, channels));
        int8_t *pad_row = malloc((size_t)channels);
        const int8_t **sources = malloc(sizeof(int8_t *) * (size_t)(taps + 1));
        int32_t *acc = malloc(sizeof(int32_t) * (size_t)out_w * channels);
        float *out = malloc(sizeof(float) * (size_t)out_w * channels);
        int bad = 0, bad_float = 0;
        for (int z = 0; z < 4; ++z) {
            tfl_depthwise_s8_pack(w, taps, channels, packed, weight_zeros[z]);
            for (int q = 0; q < 3; ++q)
                for (int origin_y = -pad; origin_y <= in_h - 2; origin_y += in_h - 2 + pad > 0 ? (in_h - 2 + pad + 1) / 2 : 1) {
                    tfl_depthwise_row_s8_pairs(acc, x, zero_points[q], &g, origin_y, w, packed, weight_zeros[z], pad_row, sources);
                    const float lo = q == 1 ? 0.0f : -INFINITY, hi = q == 2 ? 1.5f : INFINITY;
                    tfl_depthwise_row_f32(out, xf, &g, origin_y, wf, z % 2 ? bias : 0, lo, hi);
                    for (int ox = 0; ox < out_w; ++ox)
                        for (int c = 0; c < channels; ++c) {
                            uint32_t sum = 0;
                            float fsum = 0;
                            for (int ky = 0; ky < filter; ++ky) {
                                const int iy = origin_y + ky * dilation;
                                if (iy < 0 || iy >= in_h) continue;
                                for (int kx = 0; kx < filter; ++kx) {
                                    const int ix = ox * stride - pad + kx * dilation;
                                    if (ix < 0 || ix >= in_w) continue;
                                    const int xi = (iy * in_w + ix) * channels + c, wi = (ky * filter + kx) * channels + c;
                                    sum += (uint32_t)((x[xi] - zero_points[q]) * (w[wi] - weight_zeros[z]));
                                    fsum = fmaf(xf[xi], wf[wi], fsum);
                                }
                            }
                            if (z % 2) fsum += bias[c];
                            if (acc[ox * channels + c] != (int32_t)sum) ++bad;
                            const float expected = clampf(fsum, lo, hi);
                            if (memcmp(&out[ox * channels + c], &expected, sizeof(float)) != 0) ++bad_float;
                        }
                }
        }
        CHECK(bad == 0 && bad_float == 0, "depthwise rows [%s] channels %d filter %d stride %d dilation %d: %d int8, %d float wrong",
              variant, channels, filter, stride, dilation, bad, bad_float);
        free(x), free(w), free(xf), free(wf), free(bias), free(packed), free(pad_row), free(sources), free(acc), free(out);
    }
}

// int16×8: the GEMM's int64 sums (odd depths, several 32-bit chunks, the extreme row) and the
// 64-bit requantization, against plain loops.
static void check_gemm_s16(const char *variant) {
    static const int shapes[][3] = {{1, 1, 1}, {3, 17, 5}, {27, 32, 9}, {131, 15, 7}, {509, 33, 6}, {2048, 16, 3}};
    for (int s = 0; s < 6; ++s) {
        const int depth = shapes[s][0], n = shapes[s][1], pixels = shapes[s][2], x_stride = depth + 3;
        int8_t *w = malloc((size_t)n * depth);
        int16_t *x = malloc(sizeof(int16_t) * (size_t)pixels * x_stride);
        for (int i = 0; i < n * depth; ++i) w[i] = random_s8();
        for (int i = 0; i < pixels * x_stride; ++i) x[i] = (int16_t)next_random();
        for (int k = 0; k < depth; ++k) w[k] = -128, x[k] = -32768;
        int16_t *packed = malloc(sizeof(int16_t) * (size_t)tfl_gemm_s16_packed_count(depth, n));
        tfl_gemm_s16_pack(w, n, depth, packed);
        const int acc_stride = (n + 15) / 16 * 16 + 3;
        int64_t *acc = malloc(sizeof(int64_t) * (size_t)pixels * acc_stride);
        memset(acc, 0xAB, sizeof(int64_t) * (size_t)pixels * acc_stride);
        tfl_gemm_s16(acc, acc_stride, x, x_stride, pixels, packed, depth, n);
        int bad = 0;
        for (int j = 0; j < n; ++j)
            for (int p = 0; p < pixels; ++p) {
                int64_t sum = 0;
                for (int k = 0; k < depth; ++k) sum += (int64_t)x[p * x_stride + k] * w[j * depth + k];
                if (acc[p * acc_stride + j] != sum) ++bad;
            }
        CHECK(bad == 0, "tfl_gemm_s16 [%s] depth %d n %d pixels %d: %d wrong", variant, depth, n, pixels, bad);
        free(w), free(x), free(packed), free(acc);
    }
    enum { N = 37, ROWS = 3 };
    int64_t acc[ROWS * N], bias[N];
    int32_t m[N], shift[N];
    int16_t out[ROWS * N];
    for (int c = 0; c < N; ++c) {
        m[c] = (int32_t)(0x40000000u + next_random() % 0x3FFFFFFFu);
        shift[c] = -(int32_t)(next_random() % 32) + (int32_t)(next_random() % 8);
        bias[c] = (int64_t)(int32_t)next_random() * 64;
    }
    m[1] = 0x7FFF0000, m[2] = 0x7FFEFFFF;
    for (int i = 0; i < ROWS * N; ++i) acc[i] = ((int64_t)(int32_t)next_random() << (next_random() % 16)) >> (next_random() % 24);
    tfl_requantize_s16_rows(acc, N, ROWS, bias, m, shift, -32768, 32767, out, N, N);
    int bad = 0;
    for (int r = 0; r < ROWS; ++r)
        for (int c = 0; c < N; ++c) {
            const int64_t reduced = m[c] < 0x7FFF0000 ? ((int64_t)m[c] + (1 << 15)) >> 16 : 0x7FFF;
            const int t = 15 - shift[c];
            int64_t v = (int64_t)((uint64_t)(acc[r * N + c] + bias[c]) * (uint64_t)reduced + (1ULL << (t - 1))) >> t;
            v = v < -32768 ? -32768 : (v > 32767 ? 32767 : v);
            if (out[r * N + c] != v) ++bad;
        }
    CHECK(bad == 0, "tfl_requantize_s16_rows [%s]: %d wrong", variant, bad);
    // Depthwise into 64 bits: more taps than a 32-bit block, a channel tail.
    enum { TAPS = 300, CH = 21 };
    static int32_t dx[TAPS * CH];
    static int16_t dw[TAPS * CH];
    const int32_t *xs[TAPS];
    const int16_t *ws[TAPS];
    int64_t dacc[CH], dexpected[CH];
    for (int i = 0; i < TAPS * CH; ++i) dx[i] = (int16_t)next_random(), dw[i] = random_s8();
    for (int t = 0; t < TAPS; ++t) dx[t * CH] = -32768, dw[t * CH] = -128, xs[t] = dx + t * CH, ws[t] = dw + t * CH;
    for (int c = 0; c < CH; ++c) {
        dacc[c] = dexpected[c] = c - 5;
        for (int t = 0; t < TAPS; ++t) dexpected[c] += (int64_t)dx[t * CH + c] * dw[t * CH + c];
    }
    tfl_depthwise_i64(dacc, xs, ws, TAPS, CH);
    bad = 0;
    for (int c = 0; c < CH; ++c) bad += dacc[c] != dexpected[c];
    CHECK(bad == 0, "tfl_depthwise_i64 [%s]: %d wrong", variant, bad);
}

// The few-channel convolutions over output pixels (tfl_pixel_conv_f32, _s8) against plain loops
// over the filter: fixed shapes (every channel count, rows ending mid-vector, padding, row
// strides, dilation, odd depths) and random ones.
typedef struct { int in_h, in_w, depth, fh, fw, stride_h, dil_h, dil_w, pad_h, pad_w, channels; } pixel_shape;

static pixel_shape pixel_shape_at(int s) {
    static const pixel_shape fixed[] = {{12, 37, 16, 9, 9, 1, 1, 1, 4, 4, 3}, {5, 8, 1, 3, 3, 1, 1, 1, 1, 1, 1},
                                        {9, 70, 3, 3, 5, 2, 1, 1, 1, 2, 2},  {7, 17, 5, 3, 3, 1, 2, 2, 2, 2, 4},
                                        {6, 129, 2, 2, 3, 1, 1, 1, 0, 1, 5}, {8, 23, 7, 3, 3, 2, 1, 1, 1, 1, 6},
                                        {4, 40, 4, 1, 3, 1, 1, 1, 0, 1, 7},  {6, 16, 9, 3, 1, 1, 1, 1, 1, 0, 8},
                                        {3, 9, 2, 3, 3, 1, 1, 1, 0, 0, 3},   {2, 1, 1, 1, 1, 1, 1, 1, 0, 0, 8}};
    enum { FIXED = sizeof fixed / sizeof fixed[0] };
    if (s < FIXED) return fixed[s];
    pixel_shape r;
    r.fh = 1 + (int)(next_random() % 5), r.fw = 1 + (int)(next_random() % 5);
    r.dil_h = 1 + (int)(next_random() % 2), r.dil_w = 1 + (int)(next_random() % 2), r.stride_h = 1 + (int)(next_random() % 2);
    r.pad_h = (int)(next_random() % (unsigned)r.fh), r.pad_w = (int)(next_random() % (unsigned)r.fw);
    r.in_h = (r.fh - 1) * r.dil_h + 1 + (int)(next_random() % 5), r.in_w = (r.fw - 1) * r.dil_w + 1 + (int)(next_random() % 45);
    r.depth = 1 + (int)(next_random() % 9), r.channels = 1 + (int)(next_random() % 8);
    return r;
}

static tfl_pixel_conv_geometry pixel_geometry(pixel_shape p) {
    tfl_pixel_conv_geometry g = {0};
    g.in_h = p.in_h, g.in_w = p.in_w, g.depth = p.depth, g.filter_h = p.fh, g.filter_w = p.fw, g.stride_h = p.stride_h;
    g.dilation_h = p.dil_h, g.dilation_w = p.dil_w, g.pad_h = p.pad_h, g.pad_w = p.pad_w;
    g.out_h = (p.in_h + 2 * p.pad_h - ((p.fh - 1) * p.dil_h + 1)) / p.stride_h + 1;
    g.out_w = p.in_w + 2 * p.pad_w - ((p.fw - 1) * p.dil_w + 1) + 1;
    tfl_pixel_conv_layout(&g);
    return g;
}

static void check_pixel_conv(const char *variant) {
    for (int s = 0; s < 40; ++s) {
        const pixel_shape p = pixel_shape_at(s);
        const tfl_pixel_conv_geometry g = pixel_geometry(p);
        const int n = p.channels, taps = p.fh * p.fw * p.depth, out_w = (int)g.out_w, out_h = (int)g.out_h;
        const int pixels = p.in_h * p.in_w * p.depth;
        float *image = malloc(sizeof(float) * (size_t)pixels), *w = malloc(sizeof(float) * (size_t)n * taps);
        float *packed = malloc(sizeof(float) * (size_t)n * taps), bias[8];
        float *staged = malloc(sizeof(float) * (size_t)tfl_pixel_conv_staged_count(&g));
        float *out = malloc(sizeof(float) * (size_t)(out_w * n + 1));
        int8_t *image8 = malloc((size_t)pixels), *w8 = malloc((size_t)n * taps);
        int32_t *packed8 = malloc(sizeof(int32_t) * (size_t)tfl_pixel_conv_packed_count_s8(&g, n));
        int16_t *staged8 = malloc(sizeof(int16_t) * (size_t)tfl_pixel_conv_staged_count_s8(&g));
        int32_t *acc = malloc(sizeof(int32_t) * (size_t)(out_w * n + 1));
        for (int i = 0; i < pixels; ++i) image[i] = random_float(), image8[i] = random_s8();
        for (int i = 0; i < n * taps; ++i) w[i] = random_float(), w8[i] = random_s8();
        for (int j = 0; j < n; ++j) bias[j] = random_float();
        image8[0] = -128, w8[0] = -128;
        const int8_t pad = random_s8();
        const int32_t weight_zero = s % 4 == 3 ? (int32_t)(next_random() % 256) - 128 : 0;
        tfl_pixel_conv_pack_f32(w, n, taps, packed);
        tfl_pixel_conv_stage_f32(staged, image, &g, 0, g.rows / 2);
        tfl_pixel_conv_stage_f32(staged, image, &g, g.rows / 2, g.rows - g.rows / 2);
        tfl_pixel_conv_pack_s8(w8, n, &g, weight_zero, packed8);
        tfl_pixel_conv_stage_s8(staged8, image8, &g, pad, 0, g.rows / 2);
        tfl_pixel_conv_stage_s8(staged8, image8, &g, pad, g.rows / 2, g.rows - g.rows / 2);
        const int with_bias = s % 2;
        const float lo = with_bias ? 0.0f : -INFINITY, hi = with_bias ? 6.0f : INFINITY;
        int bad = 0, bad8 = 0, past = 0;
        for (int oy = 0; oy < out_h; ++oy) {
            for (int i = 0; i <= out_w * n; ++i) out[i] = -12345.0f, acc[i] = 0x12345678;
            tfl_pixel_conv_f32(out, staged, &g, oy, packed, n, with_bias ? bias : 0, lo, hi);
            tfl_pixel_conv_s8(acc, staged8, &g, oy, packed8, n);
            past += out[out_w * n] != -12345.0f || acc[out_w * n] != 0x12345678;
            for (int ox = 0; ox < out_w; ++ox)
                for (int j = 0; j < n; ++j) {
                    float sum = 0;
                    uint32_t sum8 = 0;
                    int k = 0;
                    for (int ky = 0; ky < p.fh; ++ky)
                        for (int kx = 0; kx < p.fw; ++kx) {
                            const int iy = oy * p.stride_h - p.pad_h + ky * p.dil_h, ix = ox - p.pad_w + kx * p.dil_w;
                            const int inside = iy >= 0 && iy < p.in_h && ix >= 0 && ix < p.in_w;
                            for (int c = 0; c < p.depth; ++c, ++k) {
                                const int at = (iy * p.in_w + ix) * p.depth + c;
                                sum = fmaf(inside ? image[at] : 0.0f, w[j * taps + k], sum);
                                sum8 += (uint32_t)((inside ? image8[at] : pad) * (w8[j * taps + k] - weight_zero));
                            }
                        }
                    if (with_bias) sum += bias[j];
                    const float expected = clampf(sum, lo, hi);
                    if (memcmp(&out[ox * n + j], &expected, sizeof(float)) != 0) ++bad;
                    if (acc[ox * n + j] != (int32_t)sum8) ++bad8;
                }
        }
        CHECK(bad == 0 && bad8 == 0 && past == 0,
              "tfl_pixel_conv [%s] %dx%dx%d filter %dx%d stride %d dilation %dx%d pad %dx%d channels %d: %d float, %d int8 wrong, %d rows past",
              variant, p.in_h, p.in_w, p.depth, p.fh, p.fw, p.stride_h, p.dil_h, p.dil_w, p.pad_h, p.pad_w, n, bad, bad8, past);
        free(image), free(w), free(packed), free(staged), free(out), free(image8), free(w8), free(packed8), free(staged8), free(acc);
    }
}

// int8 RESIZE_BILINEAR (horizontal sums of two rows, then a row) against LiteRT's four-weight
// arithmetic in 64 bits: channel counts around the vectors, weights outside 0 ... 1024 (the
// clamped edges), −128.
static void check_resize_bilinear(const char *variant) {
    enum { IN_W = 9, OUT_W = 23 };
    static const int depths[] = {1, 5, 7, 8, 9, 16, 17, 21, 33};
    int bad = 0;
    for (size_t d = 0; d < sizeof depths / sizeof depths[0]; ++d) {
        const int depth = depths[d];
        int8_t top[IN_W * 33], bottom[IN_W * 33], out[OUT_W * 33 + 1];
        int32_t x0[OUT_W], x1[OUT_W], fx[OUT_W], upper[OUT_W * 33], lower[OUT_W * 33];
        for (int i = 0; i < IN_W * depth; ++i) top[i] = random_s8(), bottom[i] = random_s8();
        top[0] = -128, bottom[depth - 1] = -128;
        for (int x = 0; x < OUT_W; ++x) {
            x0[x] = (int32_t)(next_random() % IN_W) * depth, x1[x] = (int32_t)(next_random() % IN_W) * depth;
            fx[x] = x < 3 ? (int32_t[]){0, 1024, 512}[x] : (int32_t)(next_random() % 2049) - 512;
        }
        tfl_resize_bilinear_columns_s8(upper, top, x0, x1, fx, OUT_W, depth);
        tfl_resize_bilinear_columns_s8(lower, bottom, x0, x1, fx, OUT_W, depth);
        for (int32_t fy = -512; fy <= 1536; fy += 97) {
            out[OUT_W * depth] = 99;
            tfl_resize_bilinear_rows_s8(out, upper, lower, fy, OUT_W * depth);
            bad += out[OUT_W * depth] != 99;
            for (int x = 0; x < OUT_W; ++x)
                for (int c = 0; c < depth; ++c) {
                    const int64_t wx = fx[x], wy = fy;
                    const int64_t sum = top[x0[x] + c] * (1024 - wy) * (1024 - wx) + bottom[x0[x] + c] * wy * (1024 - wx) +
                                        top[x1[x] + c] * (1024 - wy) * wx + bottom[x1[x] + c] * wy * wx;
                    const int64_t q = (sum + (sum > 0 ? 1 << 19 : -(1 << 19))) / (1 << 20);
                    bad += out[x * depth + c] != (int8_t)q;
                }
        }
    }
    CHECK(bad == 0, "tfl_resize_bilinear_columns_s8/rows_s8 [%s]: %d wrong", variant, bad);
}

// float32 RESIZE_BILINEAR rows against LiteRT's reference order of operations, every product and
// sum rounded on its own (separate statements: nothing to fuse): channel counts around the
// vectors, weights 0 and 1, nothing written past the row.
static void check_resize_bilinear_f32(const char *variant) {
    enum { IN_W = 9, OUT_W = 23 };
    static const int depths[] = {1, 3, 4, 5, 8, 9, 16, 17, 21, 33};
    int bad = 0;
    for (size_t d = 0; d < sizeof depths / sizeof depths[0]; ++d) {
        const int depth = depths[d];
        float top[IN_W * 33], bottom[IN_W * 33], out[OUT_W * 33 + 1], fx[OUT_W];
        int32_t x0[OUT_W], x1[OUT_W];
        for (int i = 0; i < IN_W * depth; ++i) top[i] = random_float() * 10.0f, bottom[i] = random_float() * 10.0f;
        for (int x = 0; x < OUT_W; ++x) {
            x0[x] = (int32_t)(next_random() % IN_W) * depth, x1[x] = (int32_t)(next_random() % IN_W) * depth;
            fx[x] = x < 2 ? (float)x : (float)(next_random() % 1000) / 999.0f;
        }
        for (int step = 0; step <= 10; ++step) {
            const float fy = (float)step / 10.0f, wy0 = 1.0f - fy;
            out[OUT_W * depth] = 99.0f;
            tfl_resize_bilinear_row_f32(out, top, bottom, x0, x1, fx, fy, OUT_W, depth);
            bad += out[OUT_W * depth] != 99.0f;
            for (int x = 0; x < OUT_W; ++x)
                for (int c = 0; c < depth; ++c) {
                    const float wx0 = 1.0f - fx[x];
                    float v = top[x0[x] + c] * wy0;
                    v = v * wx0;
                    float b = bottom[x0[x] + c] * fy;
                    b = b * wx0;
                    v = v + b;
                    float t = top[x1[x] + c] * wy0;
                    t = t * fx[x];
                    v = v + t;
                    float e = bottom[x1[x] + c] * fy;
                    e = e * fx[x];
                    v = v + e;
                    bad += memcmp(&out[x * depth + c], &v, sizeof(float)) != 0;
                }
        }
    }
    CHECK(bad == 0, "tfl_resize_bilinear_row_f32 [%s]: %d wrong", variant, bad);
}

// Per-tensor QUANTIZE and DEQUANTIZE against their formulas: ties, out-of-range values,
// infinities, NaN, zero points inside and outside the type, lengths that leave vector tails.
static void check_quantize_linear(const char *variant) {
    enum { N = 1037 + 17 };
    static float values[N];
    static const float specials[17] = {0.5f, -0.5f, 1.5f, -1.5f, 2.5f, 126.5f, 127.5f, -128.5f, 1e9f, -1e9f,
                                       INFINITY, -INFINITY, NAN, 0.0f, -0.0f, 32767.5f, -32768.5f};
    for (int i = 0; i < N - 17; ++i) values[i] = random_float() * 150.0f;
    for (int i = 0; i < 17; ++i) values[(i * 61) % (N - 17)] = specials[i], values[N - 17 + i] = specials[i];
    static const float scales[] = {1.0f, 0.5f, 0.013f, 2.0f, 1.0f};
    static const int32_t zero_points[] = {0, -3, 17, 200, -40000};
    static const int32_t lows[] = {-128, 0, -32768}, highs[] = {127, 255, 32767};
    int bad = 0;
    for (int z = 0; z < 5; ++z)
        for (int type = 0; type < 3; ++type)
            for (int n = N; n >= N - 9; n -= 3) {
                static uint8_t bytes[2 * N + 2];
                memset(bytes, 0xA5, sizeof bytes);
                const float reciprocal = 1.0f / scales[z];
                tfl_quantize_linear(values, n, reciprocal, zero_points[z], type, bytes);
                const int size = type == TFL_QUANT_INT16 ? 2 : 1;
                bad += bytes[n * size] != 0xA5;
                for (int i = 0; i < n; ++i) {
                    const float scaled = nearbyintf(values[i] * reciprocal) + (float)zero_points[z];
                    const int32_t nan_value = zero_points[z] < lows[type] ? lows[type] : zero_points[z] > highs[type] ? highs[type] : zero_points[z];
                    const int32_t expected = scaled != scaled ? nan_value
                                           : (int32_t)(scaled < (float)lows[type] ? (float)lows[type] : scaled > (float)highs[type] ? (float)highs[type] : scaled);
                    const int32_t got = type == TFL_QUANT_INT8 ? (int8_t)bytes[i] : type == TFL_QUANT_UINT8 ? bytes[i]
                                      : (int16_t)(uint16_t)(bytes[2 * i] | bytes[2 * i + 1] << 8);
                    bad += got != expected;
                }
            }
    CHECK(bad == 0, "tfl_quantize_linear [%s]: %d wrong", variant, bad);
    bad = 0;
    static int8_t s8[1031];
    static uint8_t u8[1031];
    static int16_t s16[1031];
    static float out[1032];
    for (int i = 0; i < 1031; ++i) s8[i] = (int8_t)i, u8[i] = (uint8_t)i, s16[i] = (int16_t)(i * 64007);
    // Scales that are float32 values (the float32 path, a subnormal one) and ones that are not.
    static const double dscales[] = {0.0123, 1e-5, 3.5, 1.0 / 3.0, (double)0.0123f, (double)1e-40f, (double)(1.0f / 3.0f)};
    static const int32_t dzeros[] = {-5, 100, 0, -32768, -5, 3, -32768};
    for (int z = 0; z < 7; ++z)
        for (int type = 0; type < 3; ++type)
            for (int n = 1031; n >= 1020; n -= 5) {
                const void *in = type == TFL_QUANT_INT8 ? (const void *)s8 : type == TFL_QUANT_UINT8 ? (const void *)u8 : (const void *)s16;
                out[n] = -7.0f;
                tfl_dequantize_linear(in, type, n, dscales[z], dzeros[z], out);
                bad += out[n] != -7.0f;
                for (int i = 0; i < n; ++i) {
                    const int32_t q = type == TFL_QUANT_INT8 ? s8[i] : type == TFL_QUANT_UINT8 ? u8[i] : s16[i];
                    const float expected = (float)(dscales[z] * (double)(q - dzeros[z]));
                    bad += memcmp(&out[i], &expected, sizeof(float)) != 0;
                }
            }
    CHECK(bad == 0, "tfl_dequantize_linear [%s]: %d wrong", variant, bad);
}

// LiteRT's one-rounding rescaling of the optimized same-shape int16 ADD.
static int32_t reference_multiply_once(int32_t v, int32_t m, int32_t s) {
    int t = 31 - s;
    t = t < 1 ? 1 : (t > 62 ? 62 : t);
    return (int32_t)(((int64_t)v * m + (1LL << (t - 1))) >> t);
}

static int32_t reference_add(int32_t x, int32_t y, int negate_b, int once, const tfl_add_params *p) {
    const int32_t a = (int32_t)((uint32_t)(x + p->offset_a) << p->left_shift);
    const int32_t b = (int32_t)((uint32_t)(y + p->offset_b) << p->left_shift);
    const int32_t sa = once ? reference_multiply_once(a, p->multiplier_a, p->shift_a) : reference_requantize(a, p->multiplier_a, p->shift_a);
    const int32_t sb = once ? reference_multiply_once(b, p->multiplier_b, p->shift_b) : reference_requantize(b, p->multiplier_b, p->shift_b);
    const int32_t sum = (int32_t)(negate_b ? (uint32_t)sa - (uint32_t)sb : (uint32_t)sa + (uint32_t)sb);
    const int32_t v = (int32_t)((uint32_t)reference_requantize(sum, p->multiplier_out, p->shift_out) + (uint32_t)p->zero_point_out);
    return v < p->minimum ? p->minimum : (v > p->maximum ? p->maximum : v);
}

static int32_t random_multiplier(void) { return (int32_t)((1u << 30) + next_random() % (1u << 30)); }

// ADD (int16 in both roundings, 8-bit) and 8-bit MUL against LiteRT's arithmetic: every int16
// value, every 8-bit pair's neighbourhood, shifts left and right (and beyond what the vector code
// takes, which falls back), clamps narrower than the type, lengths that leave tails.
static void check_add_mul(const char *variant) {
    enum { N16 = 65536 + 13, N8 = 1000 + 7 };
    static int16_t a16[N16], b16[N16], out16[N16 + 1];
    for (int i = 0; i < N16; ++i) a16[i] = (int16_t)(i - 32768), b16[i] = (int16_t)next_random();
    for (int round = 0; round < 12; ++round) {
        tfl_add_params p = {0};
        p.left_shift = 15;
        p.multiplier_a = random_multiplier(), p.multiplier_b = round % 5 ? 1 << 30 : random_multiplier();
        p.multiplier_out = round == 7 ? INT32_MAX : random_multiplier();
        p.shift_a = -(int32_t)(next_random() % 6), p.shift_b = round % 4 == 2 ? 1 : -(int32_t)(next_random() % 4);
        p.shift_out = -10 - (int32_t)(next_random() % 10);
        if (round == 9) p.shift_a = -40;  // beyond the vector code: the portable loop
        if (round == 10) p.offset_a = 7, p.offset_b = -3, p.zero_point_out = 11;
        p.minimum = round % 3 == 0 ? 0 : -32768, p.maximum = round % 3 == 1 ? 20000 : 32767;
        const int once = round % 2 == 0 && round != 9, negate = round % 4 == 3;
        const int n = N16 - round % 4;
        out16[n] = 1234;
        tfl_add_16bit(a16, b16, negate, once, &p, out16, n);
        int bad = out16[n] != 1234;
        for (int i = 0; i < n; ++i) bad += out16[i] != (int16_t)reference_add(a16[i], b16[i], negate, once, &p);
        CHECK(bad == 0, "tfl_add_16bit [%s] round %d: %d wrong", variant, round, bad);
    }
    static uint8_t a8[N8], b8[N8], out8[N8 + 1];
    for (int i = 0; i < N8; ++i) a8[i] = (uint8_t)i, b8[i] = (uint8_t)next_random();
    for (int round = 0; round < 16; ++round) {
        const int is_signed = round % 2;
        tfl_add_params p = {0};
        p.left_shift = 20;
        p.offset_a = (int32_t)(next_random() % 256) - (is_signed ? 128 : 0) , p.offset_b = -(int32_t)(next_random() % 256) + (is_signed ? 128 : 0);
        p.multiplier_a = random_multiplier(), p.multiplier_b = random_multiplier(), p.multiplier_out = random_multiplier();
        p.shift_a = -(int32_t)(next_random() % 3), p.shift_b = -(int32_t)(next_random() % 3), p.shift_out = -18 - (int32_t)(next_random() % 4);
        if (round == 13) p.shift_out = -33;  // the portable loop
        p.zero_point_out = (int32_t)(next_random() % 256) - (is_signed ? 128 : 0);
        p.minimum = is_signed ? -128 : 0, p.maximum = is_signed ? 127 : 255;
        if (round % 4 == 2) p.minimum += 20, p.maximum -= 30;
        const int negate = round % 3 == 1, n = N8 - round % 8;
        out8[n] = 77;
        tfl_add_8bit(a8, b8, is_signed, negate, &p, out8, n);
        int bad = out8[n] != 77;
        for (int i = 0; i < n; ++i) {
            const int32_t x = is_signed ? (int8_t)a8[i] : a8[i], y = is_signed ? (int8_t)b8[i] : b8[i];
            bad += out8[i] != (uint8_t)reference_add(x, y, negate, 0, &p);
        }
        CHECK(bad == 0, "tfl_add_8bit [%s] round %d: %d wrong", variant, round, bad);
        tfl_mul_params m = {p.offset_a, p.offset_b, random_multiplier(), -6 - (int32_t)(next_random() % 6), p.zero_point_out, p.minimum, p.maximum};
        if (round == 5) m.shift = 2;
        if (round == 11) m.shift = -35;  // the portable loop
        const ptrdiff_t a_step = round % 4 == 1 ? 0 : 1, b_step = round % 4 == 3 ? 0 : 1;
        out8[n] = 77;
        tfl_mul_8bit(a8, a_step, b8, b_step, is_signed, &m, out8, n);
        bad = out8[n] != 77;
        for (int i = 0; i < n; ++i) {
            const int32_t x = is_signed ? (int8_t)a8[i * a_step] : a8[i * a_step], y = is_signed ? (int8_t)b8[i * b_step] : b8[i * b_step];
            const int32_t product = (int32_t)((uint32_t)(x + m.offset_a) * (uint32_t)(y + m.offset_b));
            int32_t v = (int32_t)((uint32_t)reference_requantize(product, m.multiplier, m.shift) + (uint32_t)m.zero_point);
            v = v < m.minimum ? m.minimum : (v > m.maximum ? m.maximum : v);
            bad += out8[i] != (uint8_t)v;
        }
        CHECK(bad == 0, "tfl_mul_8bit [%s] round %d: %d wrong", variant, round, bad);
    }
}

// 8-bit MAX and AVERAGE pooling windows against plain loops: depths around the vectors, int8
// and uint8 with their extremes, clamps narrower than the type, windows of one pixel and larger.
static void check_windows(const char *variant) {
    static const int depths[] = {1, 7, 8, 15, 16, 17, 33, 64, 70};
    static const int sizes[][2] = {{1, 1}, {2, 2}, {3, 3}, {7, 5}, {1, 13}};
    static uint8_t in[9 * 20 * 70], out[71];
    int bad = 0;
    for (size_t d = 0; d < sizeof depths / sizeof depths[0]; ++d)
        for (int w = 0; w < 5; ++w)
            for (int is_signed = 0; is_signed < 2; ++is_signed)
                for (int clamp = 0; clamp < 2; ++clamp) {
                    const int depth = depths[d], height = sizes[w][0], width = sizes[w][1], row_stride = (width + 2) * depth;
                    for (int i = 0; i < height * row_stride; ++i) in[i] = (uint8_t)next_random();
                    in[0] = is_signed ? 0x80 : 0, in[depth - 1] = is_signed ? 0x7F : 0xFF;
                    if (w == 4) memset(in, is_signed ? 0x80 : 0xFF, (size_t)row_stride);  // the extreme everywhere
                    const int32_t low = (is_signed ? -128 : 0) + (clamp ? 30 : 0), high = (is_signed ? 127 : 255) - (clamp ? 40 : 0);
                    for (int kind = 0; kind < 2; ++kind) {
                        out[depth] = 0x5A;
                        if (kind) tfl_average_window_8bit(out, in, row_stride, height, width, depth, is_signed, low, high);
                        else tfl_max_window_8bit(out, in, row_stride, height, width, depth, is_signed, low, high);
                        bad += out[depth] != 0x5A;
                        for (int c = 0; c < depth; ++c) {
                            int64_t sum = 0;
                            int32_t m = low;
                            for (int y = 0; y < height; ++y)
                                for (int x = 0; x < width; ++x) {
                                    const uint8_t byte = in[y * row_stride + x * depth + c];
                                    const int32_t v = is_signed ? (int8_t)byte : byte;
                                    sum += v;
                                    if (v > m) m = v;
                                }
                            const int64_t count = height * width, half = count / 2;
                            int64_t q = kind ? (sum > 0 ? sum + half : sum - half) / count : (m < high ? m : high);
                            if (kind) q = q < low ? low : (q > high ? high : q);
                            bad += out[c] != (uint8_t)q;
                        }
                    }
                }
    CHECK(bad == 0, "tfl_max_window_8bit / tfl_average_window_8bit [%s]: %d wrong", variant, bad);
}

// The hybrid helpers, the hybrid input quantization, the byte lookup and the column sums against
// their scalar definitions (NaN, signed zeros, ties, saturation, tails).
static void check_hybrid_and_bytes(const char *variant) {
    enum { N = 301 };
    static float x[N], scales[N], bias[N], out[N + 1];
    static int32_t acc[N], sums[N];
    for (int i = 0; i < N; ++i) {
        x[i] = random_float() * 100.0f, scales[i] = random_float(), bias[i] = random_float() * 10.0f;
        acc[i] = (int32_t)(next_random() << 8), sums[i] = (int32_t)(next_random() % 200001) - 100000;
    }
    x[7] = NAN, x[100] = -0.0f, x[101] = 0.0f, x[N - 1] = NAN;
    acc[3] = INT32_MIN, acc[4] = INT32_MAX, scales[5] = NAN, scales[6] = INFINITY;
    static float sparse_nan[N];  // NaN every fifth element: in every lane, after lanes' extremes
    for (int i = 0; i < N; ++i) sparse_nan[i] = i % 5 == 2 ? NAN : x[i];
    int bad = 0;
    for (int n = N; n >= N - 6; --n)
        for (int start = 0; start < 6; ++start) {
            const float *values = start < 3 ? x : sparse_nan;
            const float starts[3] = {INFINITY, 0.0f, NAN};
            float lo = starts[start % 3], hi = -starts[start % 3], elo = lo, ehi = hi;
            tfl_minmax_f32(values, n, &lo, &hi);
            for (int i = 0; i < n; ++i) elo = values[i] < elo ? values[i] : elo, ehi = values[i] > ehi ? values[i] : ehi;
            // Equal as numbers (the lanes may meet −0 and +0 in another order), NaN where NaN.
            bad += !(lo == elo || (lo != lo && elo != elo)) || !(hi == ehi || (hi != hi && ehi != ehi));
        }
    CHECK(bad == 0, "tfl_minmax_f32 [%s]: %d wrong", variant, bad);
    bad = 0;
    for (int form = 0; form < 16; ++form) {  // bit 3: the scales multiplied together first
        const int n = N - form;
        const int scales_first = form >> 3;
        const int32_t offset = form % 3 ? (int32_t)(next_random() % 256) - 128 : 0;
        const float scale = 0.00137f, lo = form % 2 ? 0.0f : -INFINITY, hi = form % 4 == 1 ? 6.0f : INFINITY;
        const int32_t *cs = form & 1 ? sums : 0;
        const float *ch = form & 2 ? scales : 0, *b = form & 4 ? bias : 0;
        out[n] = -3.0f;
        tfl_dequantize_hybrid(acc, cs, offset, ch, scale, scales_first, b, lo, hi, out, n);
        bad += out[n] != -3.0f;
        for (int c = 0; c < n; ++c) {
            int32_t v = acc[c];
            if (cs) v = (int32_t)((uint32_t)v - (uint32_t)offset * (uint32_t)cs[c]);
            float f = (float)v;
            if (ch && scales_first) {
                f = f * (ch[c] * scale);
            } else {
                if (ch) f = f * ch[c];
                f = f * scale;
            }
            if (b) f = f + b[c];
            const float expected = clampf(f, lo, hi);
            bad += memcmp(&out[c], &expected, sizeof(float)) != 0;
        }
    }
    CHECK(bad == 0, "tfl_dequantize_hybrid [%s]: %d wrong", variant, bad);
    bad = 0;
    {  // The rows form: three rows of 37 channels, strided, against the one-row calls.
        static float rows_out[3 * 40], row_out[40];
        for (int i = 0; i < 3 * 40; ++i) rows_out[i] = -3.0f;
        tfl_dequantize_hybrid_rows(acc, 41, 3, sums, -37, scales, 0.00137f, 0, bias, -INFINITY, INFINITY, rows_out, 40, 37);
        for (int r = 0; r < 3; ++r) {
            tfl_dequantize_hybrid(acc + r * 41, sums, -37, scales, 0.00137f, 0, bias, -INFINITY, INFINITY, row_out, 37);
            bad += memcmp(rows_out + r * 40, row_out, 37 * sizeof(float)) != 0;
            for (int c = 37; c < 40; ++c) bad += rows_out[r * 40 + c] != -3.0f;
        }
    }
    CHECK(bad == 0, "tfl_dequantize_hybrid_rows [%s]: %d wrong", variant, bad);
    bad = 0;
    {  // With a fused activation: the rows form, then tfl_activation_f32 on each row (NaN, ±inf
       // and −0 through the bias).
        static float fused[3 * 40], unfused[3 * 40], special_bias[37];
        static const float specials[5] = {NAN, INFINITY, -INFINITY, -0.0f, 0.0f};
        for (int c = 0; c < 37; ++c) special_bias[c] = c % 7 < 5 ? specials[c % 7] : bias[c];
        for (int kind = 0; kind < 4; ++kind) {
            const int leaky = kind == 0;
            const float alpha = 0.1f, lo = kind == 3 ? -1.0f : 0.0f, hi = kind == 1 ? INFINITY : (kind == 2 ? 6.0f : 1.0f);
            for (int i = 0; i < 3 * 40; ++i) fused[i] = unfused[i] = -3.0f;
            tfl_dequantize_hybrid_rows_activated(acc, 41, 3, sums, -37, scales, 0.00137f, 0, special_bias, -INFINITY, INFINITY,
                                                 fused, 40, 37, leaky ? TFL_HYBRID_LEAKY : TFL_HYBRID_CLAMP, alpha, lo, hi);
            tfl_dequantize_hybrid_rows(acc, 41, 3, sums, -37, scales, 0.00137f, 0, special_bias, -INFINITY, INFINITY, unfused, 40,
                                       37);
            for (int r = 0; r < 3; ++r) tfl_activation_f32(unfused + r * 40, 37, leaky, alpha, lo, hi);
            bad += memcmp(fused, unfused, sizeof fused) != 0;
        }
    }
    CHECK(bad == 0, "tfl_dequantize_hybrid_rows_activated [%s]: %d wrong", variant, bad);
    bad = 0;
    static int8_t q[N + 1];
    static const float specials[] = {0.5f, -0.5f, 1.5f, -2.5f, 104.4999993f, 3.5f, 1e9f, -1e9f, INFINITY, -INFINITY, NAN, -0.0f,
                                     0.49999997f, -0.49999997f};
    for (int i = 0; i < 14; ++i) x[20 + i] = specials[i];
    x[N - 1] = 0.49999997f;  // in the scalar tail of every n below but N - 8
    static const float inverses[] = {1.0f, 0.37f, 41.0f}, offsets[] = {0.0f, -128.0f, 17.0f};
    for (int k = 0; k < 3; ++k)
        for (int n = N; n >= N - 8; n -= 4) {
            q[n] = 99;
            tfl_quantize_asymmetric_8bit(x, n, inverses[k], offsets[k], q);
            bad += q[n] != 99;
            for (int i = 0; i < n; ++i) {
                // LiteRT's vector loop (the first n & ~7 values): trunc(p ± 0.5) in float32; its
                // scalar tail: round half away from zero.
                const float product = x[i] * inverses[k];
                const float rounded = i < (n & ~7) ? truncf(product + (product < 0.0f ? -0.5f : 0.5f)) : roundf(product);
                const float r = rounded + offsets[k];
                bad += q[i] != (isnan(r) ? 0 : (int8_t)(r < -128.0f ? -128.0f : (r > 127.0f ? 127.0f : r)));
            }
        }
    CHECK(bad == 0, "tfl_quantize_asymmetric_8bit [%s]: %d wrong", variant, bad);
    bad = 0;
    static uint8_t table[256], bytes[N + 1], looked[N + 1];
    for (int i = 0; i < 256; ++i) table[i] = (uint8_t)next_random();
    for (int i = 0; i < N; ++i) bytes[i] = (uint8_t)(i < 256 ? i : next_random());
    for (int n = N; n >= N - 17; n -= 17) {
        looked[n] = 0x3C;
        tfl_lookup_8bit(bytes, table, looked, n);
        bad += looked[n] != 0x3C;
        for (int i = 0; i < n; ++i) bad += looked[i] != table[bytes[i]];
    }
    memcpy(looked, bytes, N);
    tfl_lookup_8bit(looked, table, looked, N);  // in place
    for (int i = 0; i < N; ++i) bad += looked[i] != table[bytes[i]];
    CHECK(bad == 0, "tfl_lookup_8bit [%s]: %d wrong", variant, bad);
    bad = 0;
    static const int shapes[][2] = {{1, 1}, {3, 16}, {256, 17}, {257, 33}, {600, 48}, {513, 5}};
    static uint8_t rows[600 * 48];
    static int32_t totals[49], expected[48];
    for (int s = 0; s < 6; ++s)
        for (int is_signed = 0; is_signed < 2; ++is_signed) {
            const int r = shapes[s][0], n = shapes[s][1];
            for (int i = 0; i < r * n; ++i) rows[i] = s == 3 ? (is_signed ? 0x80 : 0xFF) : (uint8_t)next_random();  // s 3: the extreme
            for (int c = 0; c < n; ++c) totals[c] = expected[c] = c == 0 ? INT32_MAX - 5 : (int32_t)next_random();
            totals[n] = 42;
            tfl_column_sums_8bit(rows, is_signed, r, n, totals);
            bad += totals[n] != 42;
            for (int i = 0; i < r; ++i)
                for (int c = 0; c < n; ++c)
                    expected[c] = (int32_t)((uint32_t)expected[c] + (uint32_t)(is_signed ? (int8_t)rows[i * n + c] : rows[i * n + c]));
            for (int c = 0; c < n; ++c) bad += totals[c] != expected[c];
        }
    CHECK(bad == 0, "tfl_column_sums_8bit [%s]: %d wrong", variant, bad);
    bad = 0;
    // Float columns: widths around the 16- and 4-column blocks, totals added to what is there,
    // each column's rows in order (the bits of the plain loop; adds never contract).
    static const int float_shapes[][2] = {{1, 1}, {3, 3}, {7, 4}, {200, 17}, {64, 64}, {33, 35}};
    static float frows[200 * 64], ftotals[65], fexpected[64];
    for (int s = 0; s < 6; ++s) {
        const int r = float_shapes[s][0], n = float_shapes[s][1];
        for (int i = 0; i < r * n; ++i) frows[i] = random_float() * (i % 7 == 0 ? 1e6f : 1.0f);
        for (int c = 0; c < n; ++c) ftotals[c] = fexpected[c] = random_float();
        ftotals[n] = 42;
        tfl_column_sums_f32(frows, r, n, ftotals);
        bad += ftotals[n] != 42;
        for (int i = 0; i < r; ++i)
            for (int c = 0; c < n; ++c) fexpected[c] += frows[i * n + c];
        for (int c = 0; c < n; ++c) bad += memcmp(&ftotals[c], &fexpected[c], sizeof(float)) != 0;
    }
    CHECK(bad == 0, "tfl_column_sums_f32 [%s]: %d wrong", variant, bad);
    bad = 0;
    // Float pooling windows: depths around the 4-channel blocks, NaN / signed zeros / infinities
    // among the pixels, clamps that bite; the interpreter's compares, bit for bit.
    static const int windows[][3] = {{1, 1, 1}, {2, 2, 3}, {2, 2, 16}, {3, 3, 17}, {1, 3, 6}};
    static float pixels[3 * 4 * 17], pooled[18];
    const float odd_pixels[5] = {NAN, -0.0f, 0.0f, INFINITY, -INFINITY};
    for (int w = 0; w < 5; ++w)
        for (int is_max = 0; is_max < 2; ++is_max)
            for (int clamp = 0; clamp < 2; ++clamp) {
                const int h = windows[w][0], wd = windows[w][1], d = windows[w][2], stride = (wd + 1) * d;
                const float low = clamp ? -1.0f : -FLT_MAX, high = clamp ? 1.0f : FLT_MAX;
                for (int i = 0; i < h * stride; ++i) pixels[i] = random_float() * 3;
                for (int k = 0; k < 5 && k * 7 < h * stride; ++k) pixels[k * 7] = odd_pixels[k];
                pooled[d] = 42;
                tfl_window_f32(pooled, pixels, stride, h, wd, d, is_max, low, high);
                bad += pooled[d] != 42;
                for (int c = 0; c < d; ++c) {
                    float m = is_max ? -FLT_MAX : 0.0f;
                    for (int y = 0; y < h; ++y)
                        for (int x = 0; x < wd; ++x) {
                            const float p = pixels[y * stride + x * d + c];
                            if (is_max) m = p >= m ? p : m;
                            else m += p;
                        }
                    if (!is_max) m /= (float)(h * wd);
                    m = low >= m ? low : m;
                    m = high < m ? high : m;
                    bad += memcmp(&pooled[c], &m, sizeof(float)) != 0;
                }
            }
    CHECK(bad == 0, "tfl_window_f32 [%s]: %d wrong", variant, bad);
}

// The convolution family's micro-kernels (tfl_gemv_*, tfl_gemv4_*, tfl_depthwise_f32/_i32)
// against plain loops: channel counts around the vectors, strides past the row, wrapping int32
// sums. Float: the vector variants are one fused multiply-add per step in order (as clang
// compiles the portable `acc += x · w` on AArch64); the portable loop built here by GCC with
// -ffp-contract=off rounds the product first, so for it either form is accepted.
static int float_matches(float got, float fused, float unfused, int portable) {
    return memcmp(&got, &fused, sizeof(float)) == 0 || (portable && memcmp(&got, &unfused, sizeof(float)) == 0);
}

static void check_gemv_depthwise(const char *variant, int portable) {
    static const int shapes[][2] = {{1, 1}, {5, 3}, {17, 16}, {9, 33}, {64, 70}, {3, 8}, {130, 21}};
    enum { MAXD = 130, MAXN = 70, STRIDE = MAXN + 5 };
    static float wf[MAXD * STRIDE], xf[4 * MAXD], af[4 * MAXN + 1], fused[4 * MAXN], unfused[4 * MAXN];
    static int16_t wi[MAXD * STRIDE];
    static int32_t xi[4 * MAXD], ai[4 * MAXN + 1], ei[4 * MAXN];
    int bad = 0, bad_float = 0;
    for (int s = 0; s < 7; ++s) {
        const int depth = shapes[s][0], n = shapes[s][1];
        for (int i = 0; i < depth * STRIDE; ++i) wf[i] = random_float(), wi[i] = (int16_t)((int32_t)(next_random() % 511) - 255);
        for (int i = 0; i < 4 * depth; ++i) xf[i] = random_float(), xi[i] = s == 6 ? (int32_t)next_random() : (int32_t)(next_random() % 511) - 255;
        for (int four = 0; four < 2; ++four) {
            const int pixels = four ? 4 : 1;
            for (int p = 0; p < pixels; ++p)
                for (int j = 0; j < n; ++j) {
                    af[p * MAXN + j] = fused[p * MAXN + j] = unfused[p * MAXN + j] = random_float();
                    ai[p * MAXN + j] = ei[p * MAXN + j] = (int32_t)next_random();
                    for (int k = 0; k < depth; ++k) {
                        fused[p * MAXN + j] = fmaf(xf[p * depth + k], wf[k * STRIDE + j], fused[p * MAXN + j]);
                        unfused[p * MAXN + j] += xf[p * depth + k] * wf[k * STRIDE + j];
                        ei[p * MAXN + j] = (int32_t)((uint32_t)ei[p * MAXN + j] + (uint32_t)xi[p * depth + k] * (uint32_t)wi[k * STRIDE + j]);
                    }
                }
            af[(pixels - 1) * MAXN + n] = -9.0f, ai[(pixels - 1) * MAXN + n] = 9;
            if (four) {
                tfl_gemv4_f32(af, MAXN, wf, xf, depth, depth, n, STRIDE);
                tfl_gemv4_i32(ai, MAXN, wi, xi, depth, depth, n, STRIDE);
            } else {
                tfl_gemv_f32(af, wf, xf, depth, n, STRIDE);
                tfl_gemv_i32(ai, wi, xi, depth, n, STRIDE);
            }
            bad += af[(pixels - 1) * MAXN + n] != -9.0f || ai[(pixels - 1) * MAXN + n] != 9;
            for (int p = 0; p < pixels; ++p)
                for (int j = 0; j < n; ++j) {
                    bad_float += !float_matches(af[p * MAXN + j], fused[p * MAXN + j], unfused[p * MAXN + j], portable);
                    bad += ai[p * MAXN + j] != ei[p * MAXN + j];
                }
        }
        // Depthwise: `depth` taps over n channels, each tap its own rows.
        const float *xs[MAXD], *ws[MAXD];
        const int32_t *xis[MAXD];
        const int16_t *wis[MAXD];
        for (int t = 0; t < depth; ++t) xs[t] = wf + t * STRIDE, ws[t] = wf + ((t * 7) % depth) * STRIDE + 2, wis[t] = wi + t * STRIDE;
        static int32_t xrow[MAXN];
        for (int c = 0; c < n; ++c) xrow[c] = s == 6 ? (int32_t)next_random() : (int32_t)(next_random() % 511) - 255;
        for (int t = 0; t < depth; ++t) xis[t] = xrow;
        for (int c = 0; c < n; ++c) {
            af[c] = fused[c] = unfused[c] = random_float();
            ai[c] = ei[c] = (int32_t)next_random();
            for (int t = 0; t < depth; ++t) {
                fused[c] = fmaf(xs[t][c], ws[t][c], fused[c]);
                unfused[c] += xs[t][c] * ws[t][c];
                ei[c] = (int32_t)((uint32_t)ei[c] + (uint32_t)xrow[c] * (uint32_t)wis[t][c]);
            }
        }
        af[n] = -9.0f, ai[n] = 9;
        tfl_depthwise_f32(af, xs, ws, depth, n);
        tfl_depthwise_i32(ai, xis, wis, depth, n);
        bad += af[n] != -9.0f || ai[n] != 9;
        for (int c = 0; c < n; ++c) bad_float += !float_matches(af[c], fused[c], unfused[c], portable), bad += ai[c] != ei[c];
    }
    CHECK(bad == 0 && bad_float == 0, "tfl_gemv / tfl_gemv4 / tfl_depthwise f32, i32 [%s]: %d integer, %d float wrong", variant, bad, bad_float);
}

// LOGISTIC within 2e-7 (relative) of the exact value with LiteRT's cut-offs, NaN for NaN; swish
// bit for bit clamp(x · logistic(x)) with the same variant's logistic. Values across the whole
// range, the cut-offs, below -87 (the scalar path), infinities, NaN, lengths that leave tails.
static void check_logistic(const char *variant) {
    enum { N = 4400 + 16 };
    static float x[N], y[N + 1], s[N];
    int count = 0;
    for (float v = -30.0f; v <= 30.0f && count < 4400; v += 0.0137f) x[count++] = v;
    static const float specials[16] = {-9.0f, -9.000001f, -8.999999f, 16.619047f, 16.62f, 17.0f, 100.0f, -86.9f,
                                       -87.5f, -100.0f, -INFINITY, INFINITY, 0.0f, -0.0f, NAN, 1e-8f};
    for (int i = 0; i < 16; ++i) x[count++] = specials[i];
    int bad = 0;
    for (int n = count; n >= count - 21; n -= 7) {
        y[n] = 5.0f;
        tfl_logistic_f32(x, y, n);
        bad += y[n] != 5.0f;
        for (int i = 0; i < n; ++i) {
            const double v = x[i];
            const double expected = v > 16.619047164916992 ? 1.0 : (v < -9.0 ? exp(v) : 1.0 / (1.0 + exp(-v)));
            if (expected != expected) bad += y[i] == y[i];
            else bad += !(fabs(y[i] - expected) <= 2e-7 * fabs(expected) + 1.4e-45);
        }
        const float lo = n % 2 ? -INFINITY : -0.2f, hi = n % 2 ? INFINITY : 6.0f;
        tfl_logistic_f32(x, s, n);
        tfl_swish_f32(x, y, n, lo, hi);
        for (int i = 0; i < n; ++i) {
            const float expected = clampf(x[i] * s[i], lo, hi);
            bad += memcmp(&y[i], &expected, sizeof(float)) != 0 && !(y[i] != y[i] && expected != expected);
        }
    }
    CHECK(bad == 0, "tfl_logistic_f32 / tfl_swish_f32 [%s]: %d wrong", variant, bad);
}

// tfl_activation_f32 against its scalar definition, bit for bit (NaN, ±0, infinities, tails,
// nothing written past n).
static void check_activation(const char *variant) {
    enum { N = 203 };
    static const float specials[8] = {NAN, 0.0f, -0.0f, INFINITY, -INFINITY, 6.0f, -1.0f, 1e-40f};
    static float x[N], y[N + 1];
    int bad = 0;
    for (int kind = 0; kind < 4; ++kind) {
        const int leaky = kind == 0;
        const float alpha = 0.1f, lo = kind == 3 ? -1.0f : 0.0f, hi = kind == 1 ? INFINITY : (kind == 2 ? 6.0f : 1.0f);
        for (int n = N; n >= N - 12; n -= 3) {
            for (int i = 0; i < n; ++i) x[i] = i < 8 ? specials[i] : random_float() * 4.0f;
            memcpy(y, x, sizeof(float) * (size_t)n);
            y[n] = 5.0f;
            tfl_activation_f32(y, n, leaky, alpha, lo, hi);
            bad += y[n] != 5.0f;
            for (int i = 0; i < n; ++i) {
                float e;
                if (leaky) {
                    e = x[i] > 0.0f ? x[i] : x[i] * alpha;
                } else {
                    e = x[i] >= lo ? x[i] : lo;
                    e = hi < e ? hi : e;
                }
                bad += memcmp(&y[i], &e, sizeof(float)) != 0;
            }
        }
    }
    CHECK(bad == 0, "tfl_activation_f32 [%s]: %d wrong", variant, bad);
}

// tfl_binary_f32 against Swift's `min(max(a op b, lo), hi)`, bit for bit (NaN, ±0, infinities
// and the ±FLT_MAX default clamp, tails, nothing written past n, in place).
static void check_binary_f32(const char *variant) {
    enum { N = 203 };
    static const float specials[10] = {NAN, 0.0f, -0.0f, INFINITY, -INFINITY, 6.0f, -1.0f, 1e-40f, 3e38f, -0.0f};
    static float x[N], y[N], z[N + 1];
    int bad = 0;
    for (int op = TFL_BINARY_ADD; op <= TFL_BINARY_MUL; ++op)
        for (int range = 0; range < 3; ++range) {
            const float lo = range == 0 ? -FLT_MAX : 0.0f, hi = range == 0 ? FLT_MAX : (range == 1 ? INFINITY : 6.0f);
            for (int n = N; n >= N - 12; n -= 3) {
                for (int i = 0; i < n; ++i) {
                    x[i] = i < 10 ? specials[i] : random_float() * 4.0f;
                    y[i] = i < 10 ? specials[9 - i] : (i < 20 ? specials[i - 10] : random_float() * 4.0f);
                }
                z[n] = 5.0f;
                tfl_binary_f32(x, y, z, n, op, lo, hi);
                bad += z[n] != 5.0f;
                for (int i = 0; i < n; ++i) {
                    float e = op == TFL_BINARY_ADD ? x[i] + y[i] : (op == TFL_BINARY_SUB ? x[i] - y[i] : x[i] * y[i]);
                    e = lo >= e ? lo : e;
                    e = hi < e ? hi : e;
                    bad += memcmp(&z[i], &e, sizeof(float)) != 0;
                }
                tfl_binary_f32(x, y, x, n, op, lo, hi);  // in place
                bad += memcmp(x, z, sizeof(float) * (size_t)n) != 0;
            }
        }
    CHECK(bad == 0, "tfl_binary_f32 [%s]: %d wrong", variant, bad);
}

// tfl_sparse_f32 against tfl_gemm_f32 on the same weights, bit for bit (weights 30 % nonzero,
// pixel counts around the 4-lane vectors and the tile, nothing written past n).
static void check_sparse_f32(const char *variant) {
    static const int shapes[][3] = {{16, 5, 1}, {17, 9, 3}, {40, 33, 63}, {8, 16, 64}, {64, 7, 65}, {24, 40, 130}};
    for (int s = 0; s < 6; ++s) {
        const int depth = shapes[s][0], n = shapes[s][1], pixels = shapes[s][2], out_stride = n + 2;
        float *w = malloc(sizeof(float) * (size_t)n * depth), *x = malloc(sizeof(float) * (size_t)pixels * depth);
        float *bias = malloc(sizeof(float) * (size_t)n);
        for (int i = 0; i < n * depth; ++i) w[i] = (rand() % 10 < 3) ? random_float() : 0;
        for (int i = 0; i < pixels * depth; ++i) x[i] = random_float();
        for (int i = 0; i < n; ++i) bias[i] = random_float();
        float *packed = malloc(sizeof(float) * (size_t)tfl_gemm_f32_packed_count(depth, n));
        tfl_gemm_f32_pack(w, n, depth, packed);
        const ptrdiff_t nonzero = tfl_sparse_f32_count(w, n, depth);
        int32_t *starts = malloc(sizeof(int32_t) * (size_t)(n + 1)), *index = malloc(sizeof(int32_t) * (size_t)(nonzero + 1));
        float *values = malloc(sizeof(float) * (size_t)(nonzero + 1));
        float *scratch = calloc((size_t)tfl_sparse_f32_scratch_count(depth, n), sizeof(float));
        tfl_sparse_f32_encode(w, n, depth, starts, index, values);
        float *dense = malloc(sizeof(float) * (size_t)pixels * out_stride), *out = malloc(sizeof(float) * (size_t)pixels * out_stride);
        for (int i = 0; i < pixels * out_stride; ++i) dense[i] = out[i] = -12345.0f;
        const float lo = s % 2 ? 0.0f : -INFINITY, hi = s % 3 ? 6.0f : INFINITY;
        tfl_gemm_f32(dense, out_stride, x, depth, pixels, packed, depth, n, s % 4 ? bias : 0, lo, hi);
        tfl_sparse_f32(out, out_stride, x, depth, pixels, starts, index, values, depth, n, s % 4 ? bias : 0, lo, hi, scratch);
        const int bad = memcmp(dense, out, sizeof(float) * (size_t)pixels * out_stride) != 0;
        CHECK(bad == 0, "tfl_sparse_f32 [%s] depth %d n %d pixels %d: differs from tfl_gemm_f32", variant, depth, n, pixels);
        free(w), free(x), free(bias), free(packed), free(starts), free(index), free(values), free(scratch), free(dense), free(out);
    }
}

// tfl_sparse_gemv_f32 in runs of 1 and 4 against tfl_gemm_f32 on one row, bit for bit (weights
// 10 % nonzero, or 20 % of 1 × 4 blocks; channel counts around the 16-lane groups and the 4-lane
// vectors, nothing written past n).
static void check_sparse_gemv_f32(const char *variant) {
    static const int shapes[][2] = {{16, 5}, {17, 16}, {40, 33}, {300, 70}, {7, 3}};
    for (int s = 0; s < 10; ++s) {
        const int depth = shapes[s % 5][0], n = shapes[s % 5][1], blocks = s >= 5;
        float *w = malloc(sizeof(float) * (size_t)n * depth), *x = malloc(sizeof(float) * (size_t)depth);
        float *bias = malloc(sizeof(float) * (size_t)n);
        for (int j = 0; j < n; ++j)
            for (int k = 0; k < depth; k += blocks ? 4 : 1) {
                const int keep = rand() % 10 < (blocks ? 2 : 1);
                for (int i = k; i < k + (blocks ? 4 : 1) && i < depth; ++i) w[j * depth + i] = keep ? random_float() : 0;
            }
        for (int i = 0; i < depth; ++i) x[i] = random_float();
        for (int i = 0; i < n; ++i) bias[i] = random_float();
        float *packed = malloc(sizeof(float) * (size_t)tfl_gemm_f32_packed_count(depth, n));
        tfl_gemm_f32_pack(w, n, depth, packed);
        float *dense = malloc(sizeof(float) * (size_t)(n + 2)), *out = malloc(sizeof(float) * (size_t)(n + 2));
        const float lo = s % 2 ? 0.0f : -INFINITY, hi = s % 3 ? 6.0f : INFINITY;
        for (int i = 0; i < n + 2; ++i) dense[i] = -12345.0f;
        tfl_gemm_f32(dense, n, x, depth, 1, packed, depth, n, s % 4 ? bias : 0, lo, hi);
        for (int run = 1; run <= 4; run += 3) {
            if (depth < run) continue;
            const ptrdiff_t steps = tfl_sparse_gemv_f32_steps(w, n, depth, run);
            int32_t *starts = malloc(sizeof(int32_t) * (size_t)(n / 16 + 2)), *index = malloc(sizeof(int32_t) * 16 * (size_t)(steps + 1));
            float *values = malloc(sizeof(float) * 16 * (size_t)run * (size_t)(steps + 1));
            tfl_sparse_gemv_f32_encode(w, n, depth, run, starts, index, values);
            for (int i = 0; i < n + 2; ++i) out[i] = -12345.0f;
            tfl_sparse_gemv_f32(out, x, run, starts, index, values, n, s % 4 ? bias : 0, lo, hi);
            const int bad = memcmp(dense, out, sizeof(float) * (size_t)(n + 2)) != 0;
            CHECK(bad == 0, "tfl_sparse_gemv_f32 [%s] runs of %d depth %d n %d: differs from tfl_gemm_f32", variant, run, depth, n);
            free(starts), free(index), free(values);
        }
        free(w), free(x), free(bias), free(packed), free(dense), free(out);
    }
}

// tfl_sparse_s8 against tfl_gemm_s8 on the same weights, exactly (blocks of 16 input channels
// 30 % nonzero, a short last block, the extreme products −128 · −128 over a whole channel,
// nothing written past n).
static void check_sparse_s8(const char *variant) {
    static const int shapes[][3] = {{16, 1, 1}, {17, 3, 1}, {40, 5, 2}, {272, 80, 1}, {100, 9, 3}, {512, 33, 1}};
    const int format = tfl_gemm_s8_format();
    for (int s = 0; s < 6; ++s) {
        const int depth = shapes[s][0], n = shapes[s][1], pixels = shapes[s][2], stride = (n + 15) / 16 * 16 + 3;
        int8_t *w = malloc((size_t)n * depth), *x = malloc((size_t)pixels * depth);
        for (int j = 0; j < n; ++j)
            for (int b = 0; b < depth; b += 16) {
                const int keep = j == n - 1 || rand() % 10 < 3;
                for (int k = b; k < b + 16 && k < depth; ++k) w[j * depth + k] = keep ? (j == n - 1 ? -128 : (int8_t)rand()) : 0;
            }
        for (int i = 0; i < pixels * depth; ++i) x[i] = i < depth ? -128 : (int8_t)rand();
        uint8_t *packed = malloc((size_t)tfl_gemm_s8_packed_size(depth, n, format));
        tfl_gemm_s8_pack(w, n, depth, packed, NULL, format, 0);
        const ptrdiff_t blocks = tfl_sparse_s8_count(w, n, depth);
        int32_t *starts = malloc(sizeof(int32_t) * (size_t)(n + 1)), *index = malloc(sizeof(int32_t) * (size_t)(blocks + 1));
        int32_t *sums = malloc(sizeof(int32_t) * (size_t)n);
        int8_t *values = malloc(16 * (size_t)(blocks + 1));
        tfl_sparse_s8_encode(w, n, depth, starts, index, values, sums);
        int32_t *dense = malloc(sizeof(int32_t) * (size_t)pixels * stride), *out = malloc(sizeof(int32_t) * (size_t)pixels * stride);
        for (int i = 0; i < pixels * stride; ++i) dense[i] = out[i] = -12345;
        tfl_gemm_s8(dense, stride, x, depth, pixels, packed, depth, n, format, 0);
        tfl_sparse_s8(out, stride, x, depth, pixels, starts, index, values, sums, depth, n, NULL);
        int bad = 0;
        for (int p = 0; p < pixels; ++p)
            for (int j = 0; j < stride; ++j) bad += out[p * stride + j] != (j < n ? dense[p * stride + j] : -12345);
        CHECK(bad == 0, "tfl_sparse_s8 [%s] depth %d n %d pixels %d: %d differ from tfl_gemm_s8", variant, depth, n, pixels, bad);
        free(w), free(x), free(packed), free(starts), free(index), free(sums), free(values), free(dense), free(out);
    }
}

int main(void) {
    const tfl_cpu_features cpu = tfl_cpu_detected();
    printf("CPU features: neon %d, neon_dot %d\n", cpu.neon, cpu.neon_dot);
    static const struct { const char *name; tfl_cpu_features features; } variants[] = {
        {"portable", {0}},
        {"neon", {.neon = true}},
        {"neon+dot", {.neon = true, .neon_dot = true}},
    };
    for (size_t v = 0; v < sizeof variants / sizeof variants[0]; ++v) {
        const tfl_cpu_features used = tfl_cpu_use(&variants[v].features);
        if (used.neon != variants[v].features.neon || used.neon_dot != variants[v].features.neon_dot) {
            printf("%s: not on this CPU\n", variants[v].name);
            continue;
        }
        check_gemm_s8(variants[v].name);
        check_requantize(variants[v].name);
        check_gemm_f32(variants[v].name);
        check_sparse_f32(variants[v].name);
        check_sparse_s8(variants[v].name);
        check_sparse_gemv_f32(variants[v].name);
        check_depthwise(variants[v].name);
        check_gemm_s16(variants[v].name);
        check_pixel_conv(variants[v].name);
        check_resize_bilinear(variants[v].name);
        check_resize_bilinear_f32(variants[v].name);
        check_quantize_linear(variants[v].name);
        check_add_mul(variants[v].name);
        check_windows(variants[v].name);
        check_hybrid_and_bytes(variants[v].name);
        check_gemv_depthwise(variants[v].name, v == 0);
        check_logistic(variants[v].name);
        check_activation(variants[v].name);
        check_binary_f32(variants[v].name);
        printf("%s checked\n", variants[v].name);
    }
    if (failures) {
        fprintf(stderr, "%d mismatches\n", failures);
        return 1;
    }
    printf("all kernels match\n");
    return 0;
}
