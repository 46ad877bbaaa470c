// Depthwise accumulation for one output pixel: acc[c] += sum over taps t of x[t][c] * w[t][c],
// with a block of channels held in registers across all taps (acc is read and written once,
// not once per tap). Runtime CPU dispatch, portable fallback.
#include "dispatch.h"

static void depthwise_f32_portable(float *acc, const float *const *x, const float *const *w, ptrdiff_t taps, ptrdiff_t n) {
    for (ptrdiff_t t = 0; t < taps; ++t)
        for (ptrdiff_t c = 0; c < n; ++c) acc[c] += x[t][c] * w[t][c];
}

static void depthwise_i32_portable(int32_t *acc, const int32_t *const *x, const int16_t *const *w, ptrdiff_t taps, ptrdiff_t n) {
    for (ptrdiff_t t = 0; t < taps; ++t)
        for (ptrdiff_t c = 0; c < n; ++c) acc[c] = (int32_t)((uint32_t)acc[c] + (uint32_t)(x[t][c] * (int32_t)w[t][c]));
}

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

__attribute__((target("avx2,fma")))
static void depthwise_f32_avx2(float *acc, const float *const *x, const float *const *w, ptrdiff_t taps, ptrdiff_t n) {
    ptrdiff_t c = 0;
    for (; c + 8 <= n; c += 8) {
        __m256 a = _mm256_loadu_ps(acc + c);
        for (ptrdiff_t t = 0; t < taps; ++t) a = _mm256_fmadd_ps(_mm256_loadu_ps(x[t] + c), _mm256_loadu_ps(w[t] + c), a);
        _mm256_storeu_ps(acc + c, a);
    }
    for (; c < n; ++c) {
        float a = acc[c];
        for (ptrdiff_t t = 0; t < taps; ++t) a += x[t][c] * w[t][c];
        acc[c] = a;
    }
}

__attribute__((target("avx2")))
static void depthwise_i32_avx2(int32_t *acc, const int32_t *const *x, const int16_t *const *w, ptrdiff_t taps, ptrdiff_t n) {
    ptrdiff_t c = 0;
    for (; c + 8 <= n; c += 8) {
        __m256i a = _mm256_loadu_si256((const __m256i *)(acc + c));
        for (ptrdiff_t t = 0; t < taps; ++t) {
            const __m256i wv = _mm256_cvtepi16_epi32(_mm_loadu_si128((const __m128i *)(w[t] + c)));
            a = _mm256_add_epi32(a, _mm256_mullo_epi32(_mm256_loadu_si256((const __m256i *)(x[t] + c)), wv));
        }
        _mm256_storeu_si256((__m256i *)(acc + c), a);
    }
    for (; c < n; ++c) {
        uint32_t a = (uint32_t)acc[c];
        for (ptrdiff_t t = 0; t < taps; ++t) a += (uint32_t)(x[t][c] * (int32_t)w[t][c]);
        acc[c] = (int32_t)a;
    }
}

__attribute__((target("avx512f,avx512bw")))
static void depthwise_f32_avx512(float *acc, const float *const *x, const float *const *w, ptrdiff_t taps, ptrdiff_t n) {
    ptrdiff_t c = 0;
    for (; c + 16 <= n; c += 16) {
        __m512 a = _mm512_loadu_ps(acc + c);
        for (ptrdiff_t t = 0; t < taps; ++t) a = _mm512_fmadd_ps(_mm512_loadu_ps(x[t] + c), _mm512_loadu_ps(w[t] + c), a);
        _mm512_storeu_ps(acc + c, a);
    }
    for (; c < n; ++c) {
        float a = acc[c];
        for (ptrdiff_t t = 0; t < taps; ++t) a += x[t][c] * w[t][c];
        acc[c] = a;
    }
}

__attribute__((target("avx512f,avx512bw")))
static void depthwise_i32_avx512(int32_t *acc, const int32_t *const *x, const int16_t *const *w, ptrdiff_t taps, ptrdiff_t n) {
    ptrdiff_t c = 0;
    for (; c + 16 <= n; c += 16) {
        __m512i a = _mm512_loadu_si512(acc + c);
        for (ptrdiff_t t = 0; t < taps; ++t) {
            const __m512i wv = _mm512_cvtepi16_epi32(_mm256_loadu_si256((const __m256i *)(w[t] + c)));
            a = _mm512_add_epi32(a, _mm512_mullo_epi32(_mm512_loadu_si512(x[t] + c), wv));
        }
        _mm512_storeu_si512(acc + c, a);
    }
    for (; c < n; ++c) {
        uint32_t a = (uint32_t)acc[c];
        for (ptrdiff_t t = 0; t < taps; ++t) a += (uint32_t)(x[t][c] * (int32_t)w[t][c]);
        acc[c] = (int32_t)a;
    }
}
#endif

void tfl_select_depthwise(tfl_kernels *k, const tfl_cpu_features *f) {
    k->depthwise_f32 = depthwise_f32_portable;
    k->depthwise_i32 = depthwise_i32_portable;
#if defined(__x86_64__) || defined(__i386__)
    if (f->avx512) {
        k->depthwise_f32 = depthwise_f32_avx512;
        k->depthwise_i32 = depthwise_i32_avx512;
    } else if (f->avx2_fma) {
        k->depthwise_f32 = depthwise_f32_avx2;
        k->depthwise_i32 = depthwise_i32_avx2;
    }
#else
    (void)f;
#endif
}

void tfl_depthwise_f32(float *acc, const float *const *x, const float *const *w, ptrdiff_t taps, ptrdiff_t n) {
    tfl_kernels_current()->depthwise_f32(acc, x, w, taps, n);
}

void tfl_depthwise_i32(int32_t *acc, const int32_t *const *x, const int16_t *const *w, ptrdiff_t taps, ptrdiff_t n) {
    tfl_kernels_current()->depthwise_i32(acc, x, w, taps, n);
}
