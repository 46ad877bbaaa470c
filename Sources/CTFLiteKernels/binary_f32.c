// Float ADD, SUB and MUL of two contiguous runs, clamped: out = min(max(a op b, lo), hi) in
// Swift's definitions, `lo >= v ? lo : v`, then `hi < v ? hi : v` (NaN passes through; max(−0, +0)
// is +0 when lo is +0). Lane-wise operations and compare-and-blend, so every variant gives the
// portable loop's bits. The variant follows the thread's kernel level (its CPU features).
#include "clamp.h"
#include "dispatch.h"

#pragma clang fp contract(off)

static inline float binary_one(float a, float b, int op) {
    return op == TFL_BINARY_ADD ? a + b : (op == TFL_BINARY_SUB ? a - b : a * b);
}

static void binary_portable(const float *a, const float *b, float *out, ptrdiff_t n, int op, float lo, float hi) {
    for (ptrdiff_t i = 0; i < n; ++i) {
        out[i] = tfl_clampf(binary_one(a[i], b[i], op), lo, hi);
    }
}

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

__attribute__((target("avx512f"), always_inline))
static inline void binary16_avx512(const float *a, const float *b, float *out, int op, __m512 low, __m512 high, __mmask16 m) {
    const __m512 x = _mm512_maskz_loadu_ps(m, a), y = _mm512_maskz_loadu_ps(m, b);
    __m512 v = op == TFL_BINARY_ADD ? _mm512_add_ps(x, y) : (op == TFL_BINARY_SUB ? _mm512_sub_ps(x, y) : _mm512_mul_ps(x, y));
    _mm512_mask_storeu_ps(out, m, tfl_clamp_ps512(v, low, high));
}

__attribute__((target("avx512f")))
static void binary_avx512(const float *a, const float *b, float *out, ptrdiff_t n, int op, float lo, float hi) {
    const __m512 low = _mm512_set1_ps(lo), high = _mm512_set1_ps(hi);
    ptrdiff_t i = 0;
    // The operation chosen outside the loop (each loop then has one arithmetic instruction).
    if (op == TFL_BINARY_ADD) {
        for (; i + 16 <= n; i += 16) binary16_avx512(a + i, b + i, out + i, TFL_BINARY_ADD, low, high, (__mmask16)0xffff);
    } else if (op == TFL_BINARY_SUB) {
        for (; i + 16 <= n; i += 16) binary16_avx512(a + i, b + i, out + i, TFL_BINARY_SUB, low, high, (__mmask16)0xffff);
    } else {
        for (; i + 16 <= n; i += 16) binary16_avx512(a + i, b + i, out + i, TFL_BINARY_MUL, low, high, (__mmask16)0xffff);
    }
    if (i < n) binary16_avx512(a + i, b + i, out + i, op, low, high, (__mmask16)((1u << (n - i)) - 1));
}

__attribute__((target("avx2"), always_inline))
static inline void binary8_avx2(const float *a, const float *b, float *out, int op, __m256 low, __m256 high) {
    const __m256 x = _mm256_loadu_ps(a), y = _mm256_loadu_ps(b);
    __m256 v = op == TFL_BINARY_ADD ? _mm256_add_ps(x, y) : (op == TFL_BINARY_SUB ? _mm256_sub_ps(x, y) : _mm256_mul_ps(x, y));
    _mm256_storeu_ps(out, tfl_clamp_ps256(v, low, high));
}

__attribute__((target("avx2")))
static void binary_avx2(const float *a, const float *b, float *out, ptrdiff_t n, int op, float lo, float hi) {
    const __m256 low = _mm256_set1_ps(lo), high = _mm256_set1_ps(hi);
    ptrdiff_t i = 0;
    if (op == TFL_BINARY_ADD) {
        for (; i + 8 <= n; i += 8) binary8_avx2(a + i, b + i, out + i, TFL_BINARY_ADD, low, high);
    } else if (op == TFL_BINARY_SUB) {
        for (; i + 8 <= n; i += 8) binary8_avx2(a + i, b + i, out + i, TFL_BINARY_SUB, low, high);
    } else {
        for (; i + 8 <= n; i += 8) binary8_avx2(a + i, b + i, out + i, TFL_BINARY_MUL, low, high);
    }
    if (i < n) binary_portable(a + i, b + i, out + i, n - i, op, lo, hi);
}
#elif defined(__aarch64__)
#include <arm_neon.h>

// Compare and select for the clamp (fmax/fmin would treat NaN otherwise).
static inline float32x4_t binary4_neon(float32x4_t x, float32x4_t y, int op, float32x4_t low, float32x4_t high) {
    float32x4_t v = op == TFL_BINARY_ADD ? vaddq_f32(x, y) : (op == TFL_BINARY_SUB ? vsubq_f32(x, y) : vmulq_f32(x, y));
    return tfl_clamp_f32x4(v, low, high);
}

static void binary_neon(const float *a, const float *b, float *out, ptrdiff_t n, int op, float lo, float hi) {
    const float32x4_t low = vdupq_n_f32(lo), high = vdupq_n_f32(hi);
    ptrdiff_t i = 0;
    for (; i + 4 <= n; i += 4) vst1q_f32(out + i, binary4_neon(vld1q_f32(a + i), vld1q_f32(b + i), op, low, high));
    if (i < n) binary_portable(a + i, b + i, out + i, n - i, op, lo, hi);
}
#endif

void tfl_binary_f32(const float *a, const float *b, float *out, ptrdiff_t n, int op, float lo, float hi) {
    if (n <= 0) return;
#if defined(__x86_64__) || defined(__i386__)
    const tfl_cpu_features f = tfl_kernels_current()->features;
    if (f.avx512) {
        binary_avx512(a, b, out, n, op, lo, hi);
        return;
    }
    if (f.avx2_fma) {
        binary_avx2(a, b, out, n, op, lo, hi);
        return;
    }
#elif defined(__aarch64__)
    if (tfl_kernels_current()->features.neon) {
        binary_neon(a, b, out, n, op, lo, hi);
        return;
    }
#endif
    binary_portable(a, b, out, n, op, lo, hi);
}
