// Peak multiply-add rate of one core: long runs of independent vector multiply-adds (enough
// accumulators to cover the instructions' latency), timed, for each instruction the kernels use:
// float32 FMA (AVX-512 and AVX2), int8 vpdpbusd (AVX-512 VNNI: 4 products per 32-bit lane), int16
// vpdpwssd (2 per lane) and AVX2 int16 vpmaddwd + vpaddd. Prints multiply-adds per second (one
// multiply-add = 2 operations). Built and run by scripts/bench_peak.sh; x86-64 only.
#include <immintrin.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

enum { ACCUMULATORS = 12 };
static volatile int sink;

#define KERNEL(NAME, TARGET, TYPE, ZERO, OP, LANES_MACS)                                                   \
    __attribute__((target(TARGET), noinline)) static double NAME(long iterations) {                        \
        TYPE a[ACCUMULATORS];                                                                               \
        for (int i = 0; i < ACCUMULATORS; ++i) a[i] = ZERO(i);                                              \
        TYPE x = ZERO(1), y = ZERO(2);                                                                      \
        const double start = now();                                                                         \
        for (long n = 0; n < iterations; ++n) {                                                             \
            for (int i = 0; i < ACCUMULATORS; ++i) a[i] = OP(a[i], x, y);                                   \
            __asm__ volatile("" : "+v"(x), "+v"(y));                                                        \
        }                                                                                                   \
        const double seconds = now() - start;                                                               \
        TYPE total = a[0];                                                                                  \
        for (int i = 1; i < ACCUMULATORS; ++i) total = OP(total, a[i], y);                                  \
        int bytes[sizeof(TYPE) / sizeof(int)];                                                              \
        memcpy(bytes, &total, sizeof bytes);                                                                \
        sink = bytes[0];                                                                                    \
        return (double)iterations * ACCUMULATORS * (LANES_MACS) / seconds;                                  \
    }

#define Z512F(i) _mm512_set1_ps(1.0f + (float)(i) * 1e-7f)
#define Z256F(i) _mm256_set1_ps(1.0f + (float)(i) * 1e-7f)
#define Z512I(i) _mm512_set1_epi32(i)
#define Z256I(i) _mm256_set1_epi32(i)
#define FMA512(a, x, y) _mm512_fmadd_ps(x, y, a)
#define FMA256(a, x, y) _mm256_fmadd_ps(x, y, a)
#define DPBUSD(a, x, y) _mm512_dpbusd_epi32(a, x, y)
#define DPWSSD(a, x, y) _mm512_dpwssd_epi32(a, x, y)
// The product reads the accumulator (else the compiler would compute one product for all twelve).
#define MADD256(a, x, y) _mm256_add_epi32(a, _mm256_madd_epi16(a, y))

KERNEL(fma512, "avx512f", __m512, Z512F, FMA512, 16)
KERNEL(fma256, "avx2,fma", __m256, Z256F, FMA256, 8)
KERNEL(vnni8, "avx512f,avx512vnni", __m512i, Z512I, DPBUSD, 64)
KERNEL(vnni16, "avx512f,avx512vnni", __m512i, Z512I, DPWSSD, 32)
KERNEL(madd256, "avx2", __m256i, Z256I, MADD256, 16)

int main(int argc, char **argv) {
    // Short runs (about a millisecond), the best of many: on a shared machine some run gets a
    // whole time slice to itself.
    const long iterations = argc > 1 ? atol(argv[1]) : 200000;
    const int repeats = argc > 2 ? atoi(argv[2]) : 500;
    __builtin_cpu_init();
    struct { const char *name; const char *feature; double (*run)(long); } kernels[] = {
        {"float32 FMA, AVX-512 (vfmadd231ps zmm)", "avx512f", fma512},
        {"float32 FMA, AVX2 (vfmadd231ps ymm)", "avx2", fma256},
        {"int8 dot product, AVX-512 VNNI (vpdpbusd zmm)", "avx512vnni", vnni8},
        {"int16 dot product, AVX-512 VNNI (vpdpwssd zmm)", "avx512vnni", vnni16},
        {"int16 pairs, AVX2 (vpmaddwd + vpaddd ymm)", "avx2", madd256},
    };
    for (size_t k = 0; k < sizeof kernels / sizeof kernels[0]; ++k) {
        int has = 0;
        if (!strcmp(kernels[k].feature, "avx512f")) has = __builtin_cpu_supports("avx512f");
        else if (!strcmp(kernels[k].feature, "avx2")) has = __builtin_cpu_supports("avx2");
        else has = __builtin_cpu_supports("avx512vnni");
        if (!has) {
            printf("%-48s  not on this CPU\n", kernels[k].name);
            continue;
        }
        double best = 0;
        for (int r = 0; r < repeats; ++r) {
            const double rate = kernels[k].run(iterations);
            if (rate > best) best = rate;
        }
        printf("%-48s  %8.1f G multiply-adds/s\n", kernels[k].name, best / 1e9);
    }
    return 0;
}
