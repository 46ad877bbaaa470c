// Kernel microbenchmark: the C kernels alone on MobileNetV2's and EfficientNet-B0's layer
// shapes, style transfer's few-channel 9 × 9 convolution, int16 residual ADDs and the sparse face detector's 1 × 1 convolutions, best of many runs each (in-process, so the machine's minute-to-minute drift shows
// less than in whole-model runs). Built and run by scripts/bench/kernels.sh; to compare two
// versions, run it in both checkouts.
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "CTFLiteKernels.h"

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec * 1e-6;
}

// A uniform value in [0, 1].
static float unit(void) { return (float)((double)rand() / RAND_MAX); }

static void *buffer(size_t bytes) {
    void *p = malloc(bytes ? bytes : 1);
    if (!p) {
        fprintf(stderr, "out of memory\n");
        exit(1);
    }
    return p;
}

// 1×1 convolutions as int8 GEMM + requantization (36-pixel blocks, as the interpreter runs
// them) and as float GEMM with bias and ReLU6.
static void gemms(int trials) {
    static const int shapes[][3] = {{12544, 16, 96}, {12544, 27, 32}, {12544, 32, 16}, {3136, 24, 144}, {3136, 144, 24},
                                    {784, 192, 32},  {784, 384, 64},  {196, 576, 96},  {49, 320, 1280}};
    const int format = tfl_gemm_s8_format();
    printf("%-24s %12s %10s %12s %10s\n", "pixels×depth→channels", "int8 ms", "GMAC/s", "float32 ms", "GMAC/s");
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; ++s) {
        const int pixels = shapes[s][0], depth = shapes[s][1], n = shapes[s][2], padded = (n + 15) / 16 * 16;
        int8_t *x = buffer((size_t)pixels * depth), *w = buffer((size_t)n * depth);
        float *xf = buffer(sizeof(float) * (size_t)pixels * depth), *wf = buffer(sizeof(float) * (size_t)n * depth);
        srand((unsigned)s);
        for (long i = 0; i < (long)pixels * depth; ++i) x[i] = (int8_t)rand(), xf[i] = unit() - 0.5f;
        for (long i = 0; i < (long)n * depth; ++i) w[i] = (int8_t)rand(), wf[i] = unit() - 0.5f;
        uint8_t *packed = buffer((size_t)tfl_gemm_s8_packed_size(depth, n, format));
        tfl_gemm_s8_pack(w, n, depth, packed, NULL, format, 0);
        float *packed_f = buffer(sizeof(float) * (size_t)tfl_gemm_f32_packed_count(depth, n));
        tfl_gemm_f32_pack(wf, n, depth, packed_f);
        int32_t *m = buffer(4 * (size_t)n), *sh = buffer(4 * (size_t)n), *bias = buffer(4 * (size_t)n);
        float *bias_f = buffer(sizeof(float) * (size_t)n);
        for (int c = 0; c < n; ++c) m[c] = (1 << 30) + rand() % (1 << 30), sh[c] = -8 - rand() % 3, bias[c] = rand() % 1000, bias_f[c] = 0.1f;
        int32_t *acc = buffer(4 * (size_t)36 * padded);
        uint8_t *out = buffer((size_t)pixels * n);
        float *out_f = buffer(sizeof(float) * (size_t)pixels * n);
        double best8 = 1e30, bestf = 1e30;
        for (int t = 0; t < trials; ++t) {
            double t0 = now_ms();
            for (int p = 0; p < pixels; p += 36) {
                const int count = pixels - p < 36 ? pixels - p : 36;
                tfl_gemm_s8(acc, padded, x + (long)p * depth, depth, count, packed, depth, n, format, 0);
                tfl_requantize_8bit_rows(acc, padded, count, bias, m, sh, -128, -128, 127, out + (long)p * n, n, n, TFL_ROUNDING_GEMMLOWP);
            }
            double d = now_ms() - t0;
            if (d < best8) best8 = d;
            t0 = now_ms();
            for (int p = 0; p < pixels; p += 36) {
                const int count = pixels - p < 36 ? pixels - p : 36;
                tfl_gemm_f32(out_f + (long)p * n, n, xf + (long)p * depth, depth, count, packed_f, depth, n, bias_f, 0, 6);
            }
            d = now_ms() - t0;
            if (d < bestf) bestf = d;
        }
        const double macs = (double)pixels * depth * n;
        char name[64];
        snprintf(name, sizeof name, "%d×%d→%d", pixels, depth, n);
        printf("%-24s %12.4f %10.1f %12.4f %10.1f\n", name, best8, macs / best8 / 1e6, bestf, macs / bestf / 1e6);
        free(x), free(w), free(xf), free(wf), free(packed), free(packed_f), free(m), free(sh), free(bias), free(bias_f);
        free(acc), free(out), free(out_f);
    }
}

// Depthwise rows (int8 sums, float with bias and ReLU6) over whole images.
static void depthwise(int trials) {
    static const int shapes[][4] = {{112, 32, 1, 3}, {112, 96, 2, 3}, {56, 144, 1, 3}, {28, 192, 1, 3}, {14, 576, 1, 3},
                                    {7, 960, 1, 3},  {56, 144, 2, 5}, {28, 240, 1, 5}, {14, 480, 1, 5}, {7, 1152, 1, 5}};
    printf("\n%-24s %12s %12s\n", "depthwise size×channels", "int8 ms", "float32 ms");
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; ++s) {
        const int h = shapes[s][0], c = shapes[s][1], stride = shapes[s][2], f = shapes[s][3];
        const int pad = stride == 1 ? f / 2 : f / 2 - 1, out_w = (h + stride - 1) / stride;
        const tfl_depthwise_geometry g = {h, h, c, f, f, stride, 1, 1, pad, out_w};
        int8_t *x = buffer((size_t)h * h * c), *w = buffer((size_t)f * f * c), *pad_row = buffer((size_t)c);
        float *xf = buffer(sizeof(float) * (size_t)h * h * c), *wf = buffer(sizeof(float) * (size_t)f * f * c);
        float *bias = buffer(sizeof(float) * (size_t)c), *out = buffer(sizeof(float) * (size_t)out_w * out_w * c);
        for (long i = 0; i < (long)h * h * c; ++i) x[i] = (int8_t)rand(), xf[i] = unit() - 0.5f;
        for (long i = 0; i < (long)f * f * c; ++i) w[i] = (int8_t)rand(), wf[i] = unit();
        for (int i = 0; i < c; ++i) bias[i] = 0.1f;
        int16_t *packed = buffer(2 * (size_t)tfl_depthwise_s8_packed_count(f * f, c));
        tfl_depthwise_s8_pack(w, f * f, c, packed, 0);
        const int8_t **sources = buffer(sizeof(void *) * (size_t)(f * f + 1));
        int32_t *acc = buffer(4 * (size_t)out_w * c);
        double best8 = 1e30, bestf = 1e30;
        for (int t = 0; t < trials; ++t) {
            double t0 = now_ms();
            for (int oy = 0; oy < out_w; ++oy) tfl_depthwise_row_s8_pairs(acc, x, -3, &g, oy * stride - pad, w, packed, 0, pad_row, sources);
            double d = now_ms() - t0;
            if (d < best8) best8 = d;
            t0 = now_ms();
            for (int oy = 0; oy < out_w; ++oy)
                tfl_depthwise_row_f32(out + (long)oy * out_w * c, xf, &g, oy * stride - pad, wf, bias, 0, 6);
            d = now_ms() - t0;
            if (d < bestf) bestf = d;
        }
        char name[64];
        snprintf(name, sizeof name, "%d×%d %d×%d/%d", h, c, f, f, stride);
        printf("%-24s %12.4f %12.4f\n", name, best8, bestf);
        free(x), free(w), free(pad_row), free(xf), free(wf), free(bias), free(out), free(packed), free(sources), free(acc);
    }
}

// LOGISTIC and swish over an expanded EfficientNet-B0 tensor (112 × 112 × 96).
static void elementwise(int trials) {
    const long n = 112L * 112 * 96;
    float *x = buffer(sizeof(float) * (size_t)n), *y = buffer(sizeof(float) * (size_t)n);
    for (long i = 0; i < n; ++i) x[i] = (unit() - 0.5f) * 20;
    double best_l = 1e30, best_s = 1e30;
    for (int t = 0; t < trials; ++t) {
        double t0 = now_ms();
        tfl_logistic_f32(x, y, n);
        double d = now_ms() - t0;
        if (d < best_l) best_l = d;
        t0 = now_ms();
        tfl_swish_f32(x, y, n, -INFINITY, INFINITY);
        d = now_ms() - t0;
        if (d < best_s) best_s = d;
    }
    printf("\nlogistic over %ld floats: %.4f ms; swish: %.4f ms\n", n, best_l, best_s);
    free(x), free(y);
}

// Style transfer's last layer, a 9 × 9 convolution 16 → 3 over a 256 × 256 image with SAME
// padding: as the packed GEMM runs it (im2col in 36-pixel blocks; float, and int8 + sums as
// hybrid/int8 do) and over output pixels (the image staged once, then row by row).
static void few_channels(int trials) {
    const int size = 256, depth = 16, f = 9, n = 3, pad = 4, taps = f * f * depth;
    const tfl_im2col_geometry ig = {size, size, depth, f, f, 1, 1, 1, 1, pad, pad, size, size};
    tfl_pixel_conv_geometry g = {size, size, depth, f, f, 1, 1, 1, pad, pad, size, size, 0, 0};
    tfl_pixel_conv_layout(&g);
    float *xf = buffer(sizeof(float) * (size_t)size * size * depth), *wf = buffer(sizeof(float) * (size_t)n * taps);
    int8_t *x = buffer((size_t)size * size * depth), *w = buffer((size_t)n * taps);
    for (long i = 0; i < (long)size * size * depth; ++i) xf[i] = unit() - 0.5f, x[i] = (int8_t)rand();
    for (long i = 0; i < (long)n * taps; ++i) wf[i] = unit() - 0.5f, w[i] = (int8_t)rand();
    const float bias[3] = {0.1f, 0.2f, 0.3f}, zero = 0;
    const int8_t pad8 = -3;
    const int format = tfl_gemm_s8_format();
    float *packed_f = buffer(sizeof(float) * (size_t)tfl_gemm_f32_packed_count(taps, n));
    tfl_gemm_f32_pack(wf, n, taps, packed_f);
    uint8_t *packed8 = buffer((size_t)tfl_gemm_s8_packed_size(taps, n, format));
    tfl_gemm_s8_pack(w, n, taps, packed8, NULL, format, 0);
    float *pixel_f = buffer(sizeof(float) * (size_t)n * taps);
    tfl_pixel_conv_pack_f32(wf, n, taps, pixel_f);
    int32_t *pixel8 = buffer(4 * (size_t)tfl_pixel_conv_packed_count_s8(&g, n));
    tfl_pixel_conv_pack_s8(w, n, &g, 0, pixel8);
    float *patches_f = buffer(sizeof(float) * 36 * (size_t)taps), *out_f = buffer(sizeof(float) * (size_t)size * size * n);
    int8_t *patches8 = buffer(36 * (size_t)taps);
    int32_t *acc = buffer(4 * 36 * 16 + 4 * (size_t)size * n);
    float *staged_f = buffer(sizeof(float) * (size_t)tfl_pixel_conv_staged_count(&g));
    int16_t *staged8 = buffer(2 * (size_t)tfl_pixel_conv_staged_count_s8(&g));
    double best[4] = {1e30, 1e30, 1e30, 1e30};
    for (int t = 0; t < trials; ++t) {
        double t0 = now_ms(), d;
        for (int p = 0; p < size * size; p += 36) {
            const int count = size * size - p < 36 ? size * size - p : 36;
            tfl_im2col(patches_f, xf, sizeof(float), &ig, p, count, &zero);
            tfl_gemm_f32(out_f + (long)p * n, n, patches_f, taps, count, packed_f, taps, n, bias, 0, 255);
        }
        if ((d = now_ms() - t0) < best[0]) best[0] = d;
        t0 = now_ms();
        tfl_pixel_conv_stage_f32(staged_f, xf, &g, 0, g.rows);
        for (int y = 0; y < size; ++y) tfl_pixel_conv_f32(out_f + (long)y * size * n, staged_f, &g, y, pixel_f, n, bias, 0, 255);
        if ((d = now_ms() - t0) < best[1]) best[1] = d;
        t0 = now_ms();
        for (int p = 0; p < size * size; p += 36) {
            const int count = size * size - p < 36 ? size * size - p : 36;
            tfl_im2col(patches8, x, 1, &ig, p, count, &pad8);
            tfl_gemm_s8(acc, 16, patches8, taps, count, packed8, taps, n, format, 0);
        }
        if ((d = now_ms() - t0) < best[2]) best[2] = d;
        t0 = now_ms();
        tfl_pixel_conv_stage_s8(staged8, x, &g, pad8, 0, g.rows);
        for (int y = 0; y < size; ++y) tfl_pixel_conv_s8(acc, staged8, &g, y, pixel8, n);
        if ((d = now_ms() - t0) < best[3]) best[3] = d;
    }
    const double macs = (double)size * size * taps * n;
    printf("\n9×9 conv 256×256×16 → 3 %12s %10s %12s %10s\n", "float32 ms", "GMAC/s", "8-bit ms", "GMAC/s");
    printf("%-24s %12.4f %10.1f %12.4f %10.1f\n", "packed GEMM + im2col", best[0], macs / best[0] / 1e6, best[2], macs / best[2] / 1e6);
    printf("%-24s %12.4f %10.1f %12.4f %10.1f\n", "over output pixels", best[1], macs / best[1] / 1e6, best[3], macs / best[3] / 1e6);
    free(xf), free(wf), free(x), free(w), free(packed_f), free(packed8), free(pixel_f), free(pixel8), free(patches_f), free(out_f);
    free(patches8), free(acc), free(staged_f), free(staged8);
}

// int16 ADD of two 56 × 56 × 144 tensors (an int16x8 MobileNetV2 residual), LiteRT's parameters.
static void int16_add(int trials) {
    const long n = 56L * 56 * 144;
    int16_t *a = buffer(2 * (size_t)n), *b = buffer(2 * (size_t)n), *out = buffer(2 * (size_t)n);
    for (long i = 0; i < n; ++i) a[i] = (int16_t)rand(), b[i] = (int16_t)rand();
    const tfl_add_params p = {0, 0, 15, 1518500250, -1, 1073741824, 0, 1374389535, -17, 0, -32768, 32767};
    double best = 1e30;
    for (int t = 0; t < trials; ++t) {
        const double t0 = now_ms();
        tfl_add_16bit(a, b, 0, 1, &p, out, n);
        const double d = now_ms() - t0;
        if (d < best) best = d;
    }
    printf("int16 ADD of %ld elements: %.4f ms\n", n, best);
    free(a), free(b), free(out);
}

// 1×1 convolutions of the sparse face detector (face_detection_full_range_sparse: 70 % of each
// filter zero, no block structure) as the dense GEMM runs them (36-pixel blocks) and as sparse
// matrix products (tfl_sparse_f32), with bias and ReLU; then one shape over densities from 10 %
// to 100 % nonzero, for the threshold. Prints whether the two agree bit for bit.
static void sparse(int trials) {
    static const int shapes[][3] = {{9216, 32, 8}, {9216, 8, 32}, {2304, 64, 16}, {2304, 16, 64}, {2304, 64, 48}, {576, 128, 32},
                                    {576, 32, 128}, {144, 192, 48}, {144, 48, 192}, {36, 384, 96}, {36, 96, 384}, {2304, 48, 24}};
    printf("\n%-24s %8s %12s %10s %12s %10s %6s\n", "sparse pixels×depth→n", "nonzero", "dense ms", "GMAC/s", "sparse ms", "GMAC/s", "same");
    const int count = (int)(sizeof shapes / sizeof shapes[0]);
    for (int s = 0; s < count + 9; ++s) {
        const int *shape = shapes[s < count ? s : 4];
        const double density = s < count ? 0.3 : 0.1 * (s - count + 1) + (s - count == 8 ? 0.1 : 0);
        const int pixels = shape[0], depth = shape[1], n = shape[2];
        float *x = buffer(sizeof(float) * (size_t)pixels * depth), *w = buffer(sizeof(float) * (size_t)n * depth);
        srand((unsigned)s);
        for (long i = 0; i < (long)pixels * depth; ++i) x[i] = unit() - 0.5f;
        for (long i = 0; i < (long)n * depth; ++i) w[i] = unit() < density ? unit() - 0.5f : 0;
        float *packed = buffer(sizeof(float) * (size_t)tfl_gemm_f32_packed_count(depth, n));
        tfl_gemm_f32_pack(w, n, depth, packed);
        const ptrdiff_t nonzero = tfl_sparse_f32_count(w, n, depth);
        int32_t *starts = buffer(4 * (size_t)(n + 1)), *index = buffer(4 * (size_t)nonzero);
        float *values = buffer(sizeof(float) * (size_t)nonzero), *scratch = calloc((size_t)tfl_sparse_f32_scratch_count(depth, n), sizeof(float));
        tfl_sparse_f32_encode(w, n, depth, starts, index, values);
        float *bias = buffer(sizeof(float) * (size_t)n), *dense = buffer(sizeof(float) * (size_t)pixels * n);
        float *out = buffer(sizeof(float) * (size_t)pixels * n);
        for (int c = 0; c < n; ++c) bias[c] = 0.1f;
        double best[2] = {1e30, 1e30};
        for (int t = 0; t < trials; ++t) {
            double t0 = now_ms(), d;
            for (int p = 0; p < pixels; p += 36) {
                const int block = pixels - p < 36 ? pixels - p : 36;
                tfl_gemm_f32(dense + (long)p * n, n, x + (long)p * depth, depth, block, packed, depth, n, bias, 0, INFINITY);
            }
            if ((d = now_ms() - t0) < best[0]) best[0] = d;
            t0 = now_ms();
            tfl_sparse_f32(out, n, x, depth, pixels, starts, index, values, depth, n, bias, 0, INFINITY, scratch);
            if ((d = now_ms() - t0) < best[1]) best[1] = d;
        }
        const double macs = (double)pixels * depth * n;
        char name[64];
        snprintf(name, sizeof name, "%d×%d→%d", pixels, depth, n);
        printf("%-24s %7.0f%% %12.4f %10.1f %12.4f %10.1f %6s\n", name, 100.0 * nonzero / ((double)n * depth), best[0], macs / best[0] / 1e6,
               best[1], macs / best[1] / 1e6, memcmp(dense, out, sizeof(float) * (size_t)pixels * n) ? "NO" : "yes");
        free(x), free(w), free(packed), free(starts), free(index), free(values), free(scratch), free(bias), free(dense), free(out);
    }
}

// int8 FULLY_CONNECTED weights zero in 1 × 16 blocks (the converter's EXPERIMENTAL_SPARSITY
// layout) as the dense 8-bit GEMM runs them (36-pixel blocks) and as the block-sparse product
// (tfl_sparse_s8): classifier and MLP shapes at 1 to 64 rows and 10 % to 100 % of the blocks
// nonzero, for the thresholds. Prints whether the two agree exactly.
static void sparse_s8(int trials) {
    static const int shapes[][2] = {{512, 512}, {1024, 1001}, {1280, 1001}, {2048, 1001}, {768, 3072}};
    static const int rows[] = {1, 2, 4, 16, 64};
    static const double densities[] = {0.1, 0.2, 0.3, 0.4, 0.5, 0.7, 1.0};
    const int format = tfl_gemm_s8_format();
    printf("\n%-22s %5s %8s %12s %10s %12s %10s %8s %6s\n", "int8 rows×depth→n", "", "nonzero", "dense ms", "GMAC/s", "sparse ms",
           "GMAC/s", "ratio", "same");
    for (int s = 0; s < (int)(sizeof shapes / sizeof shapes[0]); ++s)
        for (int r = 0; r < (int)(sizeof rows / sizeof rows[0]); ++r)
            for (int d = 0; d < (int)(sizeof densities / sizeof densities[0]); ++d) {
                const int depth = shapes[s][0], n = shapes[s][1], pixels = rows[r];
                const double density = densities[d];
                // All densities on the first shape; elsewhere 20 % and 40 % (rows 1 and 16 only).
                if (s > 0 && ((d != 1 && d != 3) || (r != 0 && r != 3))) continue;
                int8_t *x = buffer((size_t)pixels * depth), *w = buffer((size_t)n * depth);
                srand((unsigned)(s * 100 + r * 10 + d));
                for (long i = 0; i < (long)pixels * depth; ++i) x[i] = (int8_t)rand();
                for (int j = 0; j < n; ++j)
                    for (int b = 0; b < depth; b += 16) {
                        const int keep = unit() < density;
                        for (int k = b; k < b + 16 && k < depth; ++k) w[(long)j * depth + k] = keep ? (int8_t)(rand() % 255 - 127) : 0;
                    }
                uint8_t *packed = buffer((size_t)tfl_gemm_s8_packed_size(depth, n, format));
                tfl_gemm_s8_pack(w, n, depth, packed, NULL, format, 0);
                const ptrdiff_t blocks = tfl_sparse_s8_count(w, n, depth);
                int32_t *starts = buffer(4 * (size_t)(n + 1)), *index = buffer(4 * (size_t)blocks), *sums = buffer(4 * (size_t)n);
                int8_t *values = buffer(16 * (size_t)blocks);
                int32_t *scratch = buffer(4 * (size_t)tfl_sparse_s8_scratch_count(depth));
                tfl_sparse_s8_encode(w, n, depth, starts, index, values, sums);
                const ptrdiff_t stride = (n + 15) / 16 * 16;
                int32_t *dense = buffer(4 * (size_t)(pixels * stride)), *out = buffer(4 * (size_t)(pixels * stride));
                memset(dense, 0, 4 * (size_t)(pixels * stride)), memset(out, 0, 4 * (size_t)(pixels * stride));
                double best[2] = {1e30, 1e30};
                for (int t = 0; t < trials; ++t) {
                    double t0 = now_ms(), e;
                    for (int p = 0; p < pixels; p += 36) {
                        const int block = pixels - p < 36 ? pixels - p : 36;
                        tfl_gemm_s8(dense + p * stride, stride, x + (long)p * depth, depth, block, packed, depth, n, format, 0);
                    }
                    if ((e = now_ms() - t0) < best[0]) best[0] = e;
                    t0 = now_ms();
                    tfl_sparse_s8(out, stride, x, depth, pixels, starts, index, values, sums, depth, n, scratch);
                    if ((e = now_ms() - t0) < best[1]) best[1] = e;
                }
                int same = 1;
                for (int p = 0; p < pixels; ++p) same &= !memcmp(dense + p * stride, out + p * stride, 4 * (size_t)n);
                const double macs = (double)pixels * depth * n;
                char name[64];
                snprintf(name, sizeof name, "%d×%d→%d", pixels, depth, n);
                printf("%-22s %5s %7.0f%% %12.4f %10.1f %12.4f %10.1f %8.2f %6s\n", name, "", 100.0 * blocks * 16 / ((double)n * depth),
                       best[0], macs / best[0] / 1e6, best[1], macs / best[1] / 1e6, best[1] / best[0], same ? "yes" : "NO");
                free(x), free(w), free(packed), free(starts), free(index), free(sums), free(values), free(scratch), free(dense), free(out);
            }
}

// Float FULLY_CONNECTED on one row with mostly-zero weights (random, or zero in 1 × 4 blocks as
// the converter's EXPERIMENTAL_SPARSITY stores them) as the dense GEMM runs it and as the sparse
// matrix-vector product (tfl_sparse_gemv_f32) in runs of 1 and of 4, bias and ReLU; prints
// whether each agrees with the dense GEMM bit for bit.
static void sparse_gemv(int trials) {
    static const int shapes[][2] = {{512, 512}, {1024, 1001}, {1280, 1001}, {2048, 1001}, {768, 3072}, {4096, 4096}};
    static const double densities[] = {0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 1.0};
    printf("\n%-18s %6s %8s %10s %10s %8s %8s %10s %8s %8s %6s\n", "float 1×depth→n", "blocks", "nonzero", "dense ms", "runs 1 ms",
           "touched", "ratio", "runs 4 ms", "touched", "ratio", "same");
    for (int s = 0; s < (int)(sizeof shapes / sizeof shapes[0]); ++s)
        for (int blocked = 0; blocked < 2; ++blocked)
            for (int d = 0; d < (int)(sizeof densities / sizeof densities[0]); ++d) {
                const int depth = shapes[s][0], n = shapes[s][1];
                const double density = densities[d];
                if ((s > 0 || blocked) && d > 3) continue;  // every density on the first shape, random zeros
                float *x = buffer(sizeof(float) * (size_t)depth), *w = buffer(sizeof(float) * (size_t)n * depth);
                float *bias = buffer(sizeof(float) * (size_t)n), *dense = buffer(sizeof(float) * (size_t)n);
                srand((unsigned)(s * 100 + blocked * 10 + d));
                for (int k = 0; k < depth; ++k) x[k] = unit() - 0.5f;
                for (int j = 0; j < n; ++j) bias[j] = 0.01f * (float)(j % 7);
                for (long i = 0; i < (long)n * depth; i += blocked ? 4 : 1) {
                    const int keep = unit() < density;
                    for (int b = 0; b < (blocked ? 4 : 1); ++b) w[i + b] = keep ? unit() - 0.5f : 0;
                }
                float *packed = buffer(sizeof(float) * (size_t)tfl_gemm_f32_packed_count(depth, n));
                tfl_gemm_f32_pack(w, n, depth, packed);
                double best[3] = {1e30, 1e30, 1e30}, touched[2] = {0, 0};
                int same = 1;
                for (int t = 0; t < trials; ++t) {
                    const double t0 = now_ms();
                    tfl_gemm_f32(dense, n, x, depth, 1, packed, depth, n, bias, 0, INFINITY);
                    const double e = now_ms() - t0;
                    if (e < best[0]) best[0] = e;
                }
                for (int r = 0; r < 2; ++r) {
                    const int run = r ? TFL_SPARSE_GEMV_QUADS : TFL_SPARSE_GEMV_SINGLES;
                    const ptrdiff_t steps = tfl_sparse_gemv_f32_steps(w, n, depth, run);
                    touched[r] = 16.0 * run * steps / ((double)depth * n);  // lane weights multiplied, padding included
                    int32_t *starts = buffer(4 * (size_t)(n / 16 + 2)), *index = buffer(4 * 16 * (size_t)(steps + 1));
                    float *values = buffer(4 * 16 * (size_t)run * (size_t)(steps + 1)), *out = buffer(sizeof(float) * (size_t)n);
                    tfl_sparse_gemv_f32_encode(w, n, depth, run, starts, index, values);
                    for (int t = 0; t < trials; ++t) {
                        const double t0 = now_ms();
                        tfl_sparse_gemv_f32(out, x, run, starts, index, values, n, bias, 0, INFINITY);
                        const double e = now_ms() - t0;
                        if (e < best[1 + r]) best[1 + r] = e;
                    }
                    same &= !memcmp(dense, out, sizeof(float) * (size_t)n);
                    free(starts), free(index), free(values), free(out);
                }
                ptrdiff_t nonzero = 0;
                for (long i = 0; i < (long)n * depth; ++i) nonzero += w[i] != 0;
                char name[64];
                snprintf(name, sizeof name, "1×%d→%d", depth, n);
                printf("%-18s %6s %7.0f%% %10.4f %10.4f %7.0f%% %8.2f %10.4f %7.0f%% %8.2f %6s\n", name, blocked ? "1×4" : "none",
                       100.0 * nonzero / ((double)depth * n), best[0], best[1], 100 * touched[0], best[1] / best[0], best[2],
                       100 * touched[1], best[2] / best[0], same ? "yes" : "NO");
                free(x), free(w), free(bias), free(dense), free(packed);
            }
}

int main(int argc, char **argv) {
    const int trials = argc > 1 ? atoi(argv[1]) : 40;
    // TFL_KERNELS=avx2 (or avx512): the kernels of that level only, as on a CPU without the rest.
    const char *level = getenv("TFL_KERNELS");
    if (level && !strcmp(level, "avx2")) tfl_cpu_use(&(tfl_cpu_features){.avx2_fma = true});
    if (level && !strcmp(level, "avx512")) tfl_cpu_use(&(tfl_cpu_features){.avx2_fma = true, .avx512 = true});
    const tfl_cpu_features f = tfl_cpu_active();
    printf("CPU features: avx2_fma %d, avx512 %d, avx512_vnni %d, avx512_vbmi %d, avx512_narrow_store %d, neon %d, neon_dot %d; "
           "best of %d runs\n\n",
           f.avx2_fma, f.avx512, f.avx512_vnni, f.avx512_vbmi, f.avx512_narrow_store, f.neon, f.neon_dot, trials);
    // An optional second argument runs one section (gemm, depthwise, elementwise, few, add16, sparse,
    // sparse_s8, sparse_gemv), e.g. for instruction counts under callgrind.
    const char *only = argc > 2 ? argv[2] : "";
    if (!*only || !strcmp(only, "gemm")) gemms(trials);
    if (!*only || !strcmp(only, "depthwise")) depthwise(trials);
    if (!*only || !strcmp(only, "elementwise")) elementwise(trials);
    if (!*only || !strcmp(only, "few")) few_channels(trials);
    if (!*only || !strcmp(only, "add16")) int16_add(trials);
    if (!*only || !strcmp(only, "sparse")) sparse(trials);
    if (!*only || !strcmp(only, "sparse_s8")) sparse_s8(trials);
    if (!*only || !strcmp(only, "sparse_gemv")) sparse_gemv(trials);
    return 0;
}
