// The C kernels on AArch64 against plain loops, at every kernel level the CPU has (0 portable,
// 1 NEON, 2 NEON with the dot product): built for arm64 and run under qemu-user by
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

static void check_gemm_s8(int level) {
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
        CHECK(bad == 0, "tfl_gemm_s8 level %d depth %d n %d pixels %d zero %d: %d wrong", level, depth, n, pixels, weight_zero, bad);
        free(w), free(x), free(packed), free(sums), free(acc);
    }
}

int main(void) {
    const int widest = tfl_kernels_limit_level(99);
    printf("widest kernel level: %d\n", widest);
    for (int level = 0; level <= widest; ++level) {
        if (tfl_kernels_limit_level(level) != level) continue;
        check_gemm_s8(level);
        printf("level %d checked\n", level);
    }
    if (failures) {
        fprintf(stderr, "%d mismatches\n", failures);
        return 1;
    }
    printf("all kernels match\n");
    return 0;
}
