// Micro-kernels for the convolution family: a block of output channels stays in registers
// while the reduction dimension streams through. Runtime CPU dispatch, portable fallback.
#include "CTFLiteKernels.h"

// MARK: portable

static void gemv_f32_portable(float *acc, const float *w, const float *x, ptrdiff_t depth, ptrdiff_t n, ptrdiff_t stride) {
    for (ptrdiff_t k = 0; k < depth; ++k) {
        const float xv = x[k];
        const float *row = w + k * stride;
        for (ptrdiff_t j = 0; j < n; ++j) acc[j] += xv * row[j];
    }
}

static void gemv_i32_portable(int32_t *acc, const int16_t *w, const int32_t *x, ptrdiff_t depth, ptrdiff_t n, ptrdiff_t stride) {
    for (ptrdiff_t k = 0; k < depth; ++k) {
        const int32_t xv = x[k];
        if (xv == 0) continue;
        const int16_t *row = w + k * stride;
        for (ptrdiff_t j = 0; j < n; ++j) acc[j] = (int32_t)((uint32_t)acc[j] + (uint32_t)(xv * (int32_t)row[j]));
    }
}

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

// MARK: AVX2 + FMA

__attribute__((target("avx2,fma")))
static void gemv_f32_avx2(float *acc, const float *w, const float *x, ptrdiff_t depth, ptrdiff_t n, ptrdiff_t stride) {
    ptrdiff_t j = 0;
    for (; j + 32 <= n; j += 32) {
        __m256 a0 = _mm256_loadu_ps(acc + j), a1 = _mm256_loadu_ps(acc + j + 8);
        __m256 a2 = _mm256_loadu_ps(acc + j + 16), a3 = _mm256_loadu_ps(acc + j + 24);
        for (ptrdiff_t k = 0; k < depth; ++k) {
            const float *row = w + k * stride + j;
            const __m256 xv = _mm256_set1_ps(x[k]);
            a0 = _mm256_fmadd_ps(xv, _mm256_loadu_ps(row), a0);
            a1 = _mm256_fmadd_ps(xv, _mm256_loadu_ps(row + 8), a1);
            a2 = _mm256_fmadd_ps(xv, _mm256_loadu_ps(row + 16), a2);
            a3 = _mm256_fmadd_ps(xv, _mm256_loadu_ps(row + 24), a3);
        }
        _mm256_storeu_ps(acc + j, a0); _mm256_storeu_ps(acc + j + 8, a1);
        _mm256_storeu_ps(acc + j + 16, a2); _mm256_storeu_ps(acc + j + 24, a3);
    }
    for (; j + 8 <= n; j += 8) {
        __m256 a = _mm256_loadu_ps(acc + j);
        for (ptrdiff_t k = 0; k < depth; ++k) a = _mm256_fmadd_ps(_mm256_set1_ps(x[k]), _mm256_loadu_ps(w + k * stride + j), a);
        _mm256_storeu_ps(acc + j, a);
    }
    if (j < n) gemv_f32_portable(acc + j, w + j, x, depth, n - j, stride);
}

__attribute__((target("avx2")))
static void gemv_i32_avx2(int32_t *acc, const int16_t *w, const int32_t *x, ptrdiff_t depth, ptrdiff_t n, ptrdiff_t stride) {
    ptrdiff_t j = 0;
    for (; j + 32 <= n; j += 32) {
        __m256i a0 = _mm256_loadu_si256((const __m256i *)(acc + j)), a1 = _mm256_loadu_si256((const __m256i *)(acc + j + 8));
        __m256i a2 = _mm256_loadu_si256((const __m256i *)(acc + j + 16)), a3 = _mm256_loadu_si256((const __m256i *)(acc + j + 24));
        for (ptrdiff_t k = 0; k < depth; ++k) {
            const int16_t *row = w + k * stride + j;
            const __m256i xv = _mm256_set1_epi32(x[k]);
            const __m256i w01 = _mm256_loadu_si256((const __m256i *)row);
            const __m256i w23 = _mm256_loadu_si256((const __m256i *)(row + 16));
            a0 = _mm256_add_epi32(a0, _mm256_mullo_epi32(xv, _mm256_cvtepi16_epi32(_mm256_castsi256_si128(w01))));
            a1 = _mm256_add_epi32(a1, _mm256_mullo_epi32(xv, _mm256_cvtepi16_epi32(_mm256_extracti128_si256(w01, 1))));
            a2 = _mm256_add_epi32(a2, _mm256_mullo_epi32(xv, _mm256_cvtepi16_epi32(_mm256_castsi256_si128(w23))));
            a3 = _mm256_add_epi32(a3, _mm256_mullo_epi32(xv, _mm256_cvtepi16_epi32(_mm256_extracti128_si256(w23, 1))));
        }
        _mm256_storeu_si256((__m256i *)(acc + j), a0); _mm256_storeu_si256((__m256i *)(acc + j + 8), a1);
        _mm256_storeu_si256((__m256i *)(acc + j + 16), a2); _mm256_storeu_si256((__m256i *)(acc + j + 24), a3);
    }
    for (; j + 8 <= n; j += 8) {
        __m256i a = _mm256_loadu_si256((const __m256i *)(acc + j));
        for (ptrdiff_t k = 0; k < depth; ++k) {
            const __m128i wv = _mm_loadu_si128((const __m128i *)(w + k * stride + j));
            a = _mm256_add_epi32(a, _mm256_mullo_epi32(_mm256_set1_epi32(x[k]), _mm256_cvtepi16_epi32(wv)));
        }
        _mm256_storeu_si256((__m256i *)(acc + j), a);
    }
    if (j < n) gemv_i32_portable(acc + j, w + j, x, depth, n - j, stride);
}

// MARK: AVX-512

__attribute__((target("avx512f,avx512bw")))
static void gemv_f32_avx512(float *acc, const float *w, const float *x, ptrdiff_t depth, ptrdiff_t n, ptrdiff_t stride) {
    ptrdiff_t j = 0;
    for (; j + 64 <= n; j += 64) {
        __m512 a0 = _mm512_loadu_ps(acc + j), a1 = _mm512_loadu_ps(acc + j + 16);
        __m512 a2 = _mm512_loadu_ps(acc + j + 32), a3 = _mm512_loadu_ps(acc + j + 48);
        for (ptrdiff_t k = 0; k < depth; ++k) {
            const float *row = w + k * stride + j;
            const __m512 xv = _mm512_set1_ps(x[k]);
            a0 = _mm512_fmadd_ps(xv, _mm512_loadu_ps(row), a0);
            a1 = _mm512_fmadd_ps(xv, _mm512_loadu_ps(row + 16), a1);
            a2 = _mm512_fmadd_ps(xv, _mm512_loadu_ps(row + 32), a2);
            a3 = _mm512_fmadd_ps(xv, _mm512_loadu_ps(row + 48), a3);
        }
        _mm512_storeu_ps(acc + j, a0); _mm512_storeu_ps(acc + j + 16, a1);
        _mm512_storeu_ps(acc + j + 32, a2); _mm512_storeu_ps(acc + j + 48, a3);
    }
    for (; j + 16 <= n; j += 16) {
        __m512 a = _mm512_loadu_ps(acc + j);
        for (ptrdiff_t k = 0; k < depth; ++k) a = _mm512_fmadd_ps(_mm512_set1_ps(x[k]), _mm512_loadu_ps(w + k * stride + j), a);
        _mm512_storeu_ps(acc + j, a);
    }
    if (j < n) gemv_f32_avx2(acc + j, w + j, x, depth, n - j, stride);
}

__attribute__((target("avx512f,avx512bw")))
static void gemv_i32_avx512(int32_t *acc, const int16_t *w, const int32_t *x, ptrdiff_t depth, ptrdiff_t n, ptrdiff_t stride) {
    ptrdiff_t j = 0;
    for (; j + 64 <= n; j += 64) {
        __m512i a0 = _mm512_loadu_si512(acc + j), a1 = _mm512_loadu_si512(acc + j + 16);
        __m512i a2 = _mm512_loadu_si512(acc + j + 32), a3 = _mm512_loadu_si512(acc + j + 48);
        for (ptrdiff_t k = 0; k < depth; ++k) {
            const int16_t *row = w + k * stride + j;
            const __m512i xv = _mm512_set1_epi32(x[k]);
            a0 = _mm512_add_epi32(a0, _mm512_mullo_epi32(xv, _mm512_cvtepi16_epi32(_mm256_loadu_si256((const __m256i *)row))));
            a1 = _mm512_add_epi32(a1, _mm512_mullo_epi32(xv, _mm512_cvtepi16_epi32(_mm256_loadu_si256((const __m256i *)(row + 16)))));
            a2 = _mm512_add_epi32(a2, _mm512_mullo_epi32(xv, _mm512_cvtepi16_epi32(_mm256_loadu_si256((const __m256i *)(row + 32)))));
            a3 = _mm512_add_epi32(a3, _mm512_mullo_epi32(xv, _mm512_cvtepi16_epi32(_mm256_loadu_si256((const __m256i *)(row + 48)))));
        }
        _mm512_storeu_si512(acc + j, a0); _mm512_storeu_si512(acc + j + 16, a1);
        _mm512_storeu_si512(acc + j + 32, a2); _mm512_storeu_si512(acc + j + 48, a3);
    }
    for (; j + 16 <= n; j += 16) {
        __m512i a = _mm512_loadu_si512(acc + j);
        for (ptrdiff_t k = 0; k < depth; ++k) {
            const __m256i wv = _mm256_loadu_si256((const __m256i *)(w + k * stride + j));
            a = _mm512_add_epi32(a, _mm512_mullo_epi32(_mm512_set1_epi32(x[k]), _mm512_cvtepi16_epi32(wv)));
        }
        _mm512_storeu_si512(acc + j, a);
    }
    if (j < n) gemv_i32_avx2(acc + j, w + j, x, depth, n - j, stride);
}

static int detect_level(void) {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw")) return 3;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return 2;
    return 0;
}
#else
static int detect_level(void) { return 0; }
#endif

static int kernels_level = -1;

int tfl_kernels_level(void) {
    // Benign race: every thread computes the same value.
    int level = __atomic_load_n(&kernels_level, __ATOMIC_RELAXED);
    if (level < 0) {
        level = detect_level();
        __atomic_store_n(&kernels_level, level, __ATOMIC_RELAXED);
    }
    return level;
}

void tfl_gemv_f32(float *acc, const float *w, const float *x, ptrdiff_t depth, ptrdiff_t n, ptrdiff_t stride) {
#if defined(__x86_64__) || defined(__i386__)
    switch (tfl_kernels_level()) {
    case 3: gemv_f32_avx512(acc, w, x, depth, n, stride); return;
    case 2: gemv_f32_avx2(acc, w, x, depth, n, stride); return;
    default: break;
    }
#endif
    gemv_f32_portable(acc, w, x, depth, n, stride);
}

void tfl_gemv_i32(int32_t *acc, const int16_t *w, const int32_t *x, ptrdiff_t depth, ptrdiff_t n, ptrdiff_t stride) {
#if defined(__x86_64__) || defined(__i386__)
    switch (tfl_kernels_level()) {
    case 3: gemv_i32_avx512(acc, w, x, depth, n, stride); return;
    case 2: gemv_i32_avx2(acc, w, x, depth, n, stride); return;
    default: break;
    }
#endif
    gemv_i32_portable(acc, w, x, depth, n, stride);
}
