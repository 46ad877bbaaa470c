// Float activations in place, on a convolution's output block while it is in cache (the
// runtime's ActivationFusion): LEAKY_RELU, `x > 0 ? x : x * alpha`, or the clamp
// `x >= lo ? x : lo`, then `hi < x ? hi : x` (RELU, RELU6, RELU_N1_TO_1 as the runtime's float
// kernels write them: NaN becomes lo). Lane-wise compares and blends, so every variant gives the
// portable loop's bits. The variant follows the thread's kernel level (its CPU features).
#include "dispatch.h"

#pragma clang fp contract(off)

static void activation_portable(float *y, ptrdiff_t n, int leaky, float alpha, float lo, float hi) {
    if (leaky) {
        for (ptrdiff_t i = 0; i < n; ++i) y[i] = y[i] > 0.0f ? y[i] : y[i] * alpha;
        return;
    }
    for (ptrdiff_t i = 0; i < n; ++i) {
        float v = y[i] >= lo ? y[i] : lo;
        y[i] = hi < v ? hi : v;
    }
}

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

__attribute__((target("avx512f")))
static void activation_avx512(float *y, ptrdiff_t n, int leaky, float alpha, float lo, float hi) {
    const __m512 zero = _mm512_setzero_ps(), a = _mm512_set1_ps(alpha), low = _mm512_set1_ps(lo), high = _mm512_set1_ps(hi);
    for (ptrdiff_t i = 0; i < n; i += 16) {
        const __mmask16 m = n - i >= 16 ? (__mmask16)0xffff : (__mmask16)((1u << (n - i)) - 1);
        __m512 v = _mm512_maskz_loadu_ps(m, y + i);
        if (leaky) {
            v = _mm512_mask_blend_ps(_mm512_cmp_ps_mask(v, zero, _CMP_GT_OQ), _mm512_mul_ps(v, a), v);
        } else {
            v = _mm512_mask_blend_ps(_mm512_cmp_ps_mask(v, low, _CMP_GE_OQ), low, v);
            v = _mm512_mask_blend_ps(_mm512_cmp_ps_mask(high, v, _CMP_LT_OQ), v, high);
        }
        _mm512_mask_storeu_ps(y + i, m, v);
    }
}

__attribute__((target("avx2")))
static void activation_avx2(float *y, ptrdiff_t n, int leaky, float alpha, float lo, float hi) {
    const __m256 zero = _mm256_setzero_ps(), a = _mm256_set1_ps(alpha), low = _mm256_set1_ps(lo), high = _mm256_set1_ps(hi);
    ptrdiff_t i = 0;
    for (; i + 8 <= n; i += 8) {
        __m256 v = _mm256_loadu_ps(y + i);
        if (leaky) {
            v = _mm256_blendv_ps(_mm256_mul_ps(v, a), v, _mm256_cmp_ps(v, zero, _CMP_GT_OQ));
        } else {
            v = _mm256_blendv_ps(low, v, _mm256_cmp_ps(v, low, _CMP_GE_OQ));
            v = _mm256_blendv_ps(v, high, _mm256_cmp_ps(high, v, _CMP_LT_OQ));
        }
        _mm256_storeu_ps(y + i, v);
    }
    if (i < n) activation_portable(y + i, n - i, leaky, alpha, lo, hi);
}
#elif defined(__aarch64__)
#include <arm_neon.h>

static void activation_neon(float *y, ptrdiff_t n, int leaky, float alpha, float lo, float hi) {
    const float32x4_t zero = vdupq_n_f32(0.0f), low = vdupq_n_f32(lo), high = vdupq_n_f32(hi);
    ptrdiff_t i = 0;
    for (; i + 4 <= n; i += 4) {
        float32x4_t v = vld1q_f32(y + i);
        if (leaky) {
            v = vbslq_f32(vcgtq_f32(v, zero), v, vmulq_n_f32(v, alpha));
        } else {
            v = vbslq_f32(vcgeq_f32(v, low), v, low);
            v = vbslq_f32(vcltq_f32(high, v), high, v);
        }
        vst1q_f32(y + i, v);
    }
    if (i < n) activation_portable(y + i, n - i, leaky, alpha, lo, hi);
}
#endif

void tfl_activation_f32(float *y, ptrdiff_t n, int leaky, float alpha, float lo, float hi) {
    if (n <= 0) return;
#if defined(__x86_64__) || defined(__i386__)
    const tfl_cpu_features f = tfl_kernels_current()->features;
    if (f.avx512) {
        activation_avx512(y, n, leaky, alpha, lo, hi);
        return;
    }
    if (f.avx2_fma) {
        activation_avx2(y, n, leaky, alpha, lo, hi);
        return;
    }
#elif defined(__aarch64__)
    if (tfl_kernels_current()->features.neon) {
        activation_neon(y, n, leaky, alpha, lo, hi);
        return;
    }
#endif
    activation_portable(y, n, leaky, alpha, lo, hi);
}
