// The C kernels on AArch64 against plain loops, with every feature set the CPU has (portable,
// neon, neon + neon_dot; tfl_cpu_use): built for arm64 and run under qemu-user by
// scripts/check_neon.sh, since the Swift test suite runs on the x86-64 machines only.
// Exits non-zero on the first mismatch; prints what it checked.
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
        check_depthwise(variants[v].name);
        check_gemm_s16(variants[v].name);
        printf("%s checked\n", variants[v].name);
    }
    if (failures) {
        fprintf(stderr, "%d mismatches\n", failures);
        return 1;
    }
    printf("all kernels match\n");
    return 0;
}
