// float32 RESIZE_BILINEAR one output row at a time, LiteRT's reference arithmetic in its order
// of operations (each product and sum rounded on its own: no fused multiply-adds), vectors
// across the channels. Runtime CPU dispatch, portable fallback.
#include "dispatch.h"

#pragma STDC FP_CONTRACT OFF

// One output value: ((t0·wy0·wx0 + b0·fy·wx0) + t1·wy0·fx) + b1·fy·fx, each product taken left
// to right, every step rounded (separate statements, contraction off).
static inline float blend(float t0, float b0, float t1, float b1, float wy0, float fy, float wx0, float fx) {
    float v = t0 * wy0;
    v = v * wx0;
    float b = b0 * fy;
    b = b * wx0;
    v = v + b;
    float c = t1 * wy0;
    c = c * fx;
    v = v + c;
    float d = b1 * fy;
    d = d * fx;
    return v + d;
}

static void resize_row_f32_portable(float *out, const float *top, const float *bottom, const int32_t *x0, const int32_t *x1,
                                    const float *fx, float fy, ptrdiff_t out_w, ptrdiff_t depth) {
    const float wy0 = 1.0f - fy;
    for (ptrdiff_t x = 0; x < out_w; ++x, out += depth) {
        const float f = fx[x], wx0 = 1.0f - f;
        const float *t0 = top + x0[x], *b0 = bottom + x0[x], *t1 = top + x1[x], *b1 = bottom + x1[x];
        for (ptrdiff_t c = 0; c < depth; ++c) out[c] = blend(t0[c], b0[c], t1[c], b1[c], wy0, fy, wx0, f);
    }
}

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

// Products and sums as separate intrinsics (never fused): the same roundings as blend().
__attribute__((target("avx512f")))
static void resize_row_f32_avx512(float *out, const float *top, const float *bottom, const int32_t *x0, const int32_t *x1,
                                  const float *fx, float fy, ptrdiff_t out_w, ptrdiff_t depth) {
    const __m512 wy0 = _mm512_set1_ps(1.0f - fy), wy1 = _mm512_set1_ps(fy);
    const __mmask16 tail = (__mmask16)((1u << (depth % 16)) - 1);
    for (ptrdiff_t x = 0; x < out_w; ++x, out += depth) {
        const __m512 wx1 = _mm512_set1_ps(fx[x]), wx0 = _mm512_set1_ps(1.0f - fx[x]);
        const float *t0 = top + x0[x], *b0 = bottom + x0[x], *t1 = top + x1[x], *b1 = bottom + x1[x];
        for (ptrdiff_t c = 0; c < depth; c += 16) {
            const __mmask16 m = c + 16 <= depth ? (__mmask16)0xFFFF : tail;
            __m512 v = _mm512_mul_ps(_mm512_mul_ps(_mm512_maskz_loadu_ps(m, t0 + c), wy0), wx0);
            v = _mm512_add_ps(v, _mm512_mul_ps(_mm512_mul_ps(_mm512_maskz_loadu_ps(m, b0 + c), wy1), wx0));
            v = _mm512_add_ps(v, _mm512_mul_ps(_mm512_mul_ps(_mm512_maskz_loadu_ps(m, t1 + c), wy0), wx1));
            v = _mm512_add_ps(v, _mm512_mul_ps(_mm512_mul_ps(_mm512_maskz_loadu_ps(m, b1 + c), wy1), wx1));
            _mm512_mask_storeu_ps(out + c, m, v);
        }
    }
}

__attribute__((target("avx2")))
static void resize_row_f32_avx2(float *out, const float *top, const float *bottom, const int32_t *x0, const int32_t *x1,
                                const float *fx, float fy, ptrdiff_t out_w, ptrdiff_t depth) {
    const __m256 wy0 = _mm256_set1_ps(1.0f - fy), wy1 = _mm256_set1_ps(fy);
    const float wy0s = 1.0f - fy;
    for (ptrdiff_t x = 0; x < out_w; ++x, out += depth) {
        const float f = fx[x], wx0s = 1.0f - f;
        const __m256 wx1 = _mm256_set1_ps(f), wx0 = _mm256_set1_ps(wx0s);
        const float *t0 = top + x0[x], *b0 = bottom + x0[x], *t1 = top + x1[x], *b1 = bottom + x1[x];
        ptrdiff_t c = 0;
        for (; c + 8 <= depth; c += 8) {
            __m256 v = _mm256_mul_ps(_mm256_mul_ps(_mm256_loadu_ps(t0 + c), wy0), wx0);
            v = _mm256_add_ps(v, _mm256_mul_ps(_mm256_mul_ps(_mm256_loadu_ps(b0 + c), wy1), wx0));
            v = _mm256_add_ps(v, _mm256_mul_ps(_mm256_mul_ps(_mm256_loadu_ps(t1 + c), wy0), wx1));
            v = _mm256_add_ps(v, _mm256_mul_ps(_mm256_mul_ps(_mm256_loadu_ps(b1 + c), wy1), wx1));
            _mm256_storeu_ps(out + c, v);
        }
        for (; c < depth; ++c) out[c] = blend(t0[c], b0[c], t1[c], b1[c], wy0s, fy, wx0s, f);
    }
}
#endif

#if defined(__aarch64__)
#include <arm_neon.h>

// NEON: 4 channels per vector, fmul and fadd as separate instructions (vmulq/vaddq are never
// fused), so the same roundings as blend().
static void resize_row_f32_neon(float *out, const float *top, const float *bottom, const int32_t *x0, const int32_t *x1,
                                const float *fx, float fy, ptrdiff_t out_w, ptrdiff_t depth) {
    const float32x4_t wy0 = vdupq_n_f32(1.0f - fy), wy1 = vdupq_n_f32(fy);
    const float wy0s = 1.0f - fy;
    for (ptrdiff_t x = 0; x < out_w; ++x, out += depth) {
        const float f = fx[x], wx0s = 1.0f - f;
        const float32x4_t wx1 = vdupq_n_f32(f), wx0 = vdupq_n_f32(wx0s);
        const float *t0 = top + x0[x], *b0 = bottom + x0[x], *t1 = top + x1[x], *b1 = bottom + x1[x];
        ptrdiff_t c = 0;
        for (; c + 4 <= depth; c += 4) {
            float32x4_t v = vmulq_f32(vmulq_f32(vld1q_f32(t0 + c), wy0), wx0);
            v = vaddq_f32(v, vmulq_f32(vmulq_f32(vld1q_f32(b0 + c), wy1), wx0));
            v = vaddq_f32(v, vmulq_f32(vmulq_f32(vld1q_f32(t1 + c), wy0), wx1));
            v = vaddq_f32(v, vmulq_f32(vmulq_f32(vld1q_f32(b1 + c), wy1), wx1));
            vst1q_f32(out + c, v);
        }
        for (; c < depth; ++c) out[c] = blend(t0[c], b0[c], t1[c], b1[c], wy0s, fy, wx0s, f);
    }
}
#endif

void tfl_select_resize_bilinear_f32(tfl_kernels *k, const tfl_cpu_features *f) {
    k->resize_bilinear_row_f32 = resize_row_f32_portable;
#if defined(__x86_64__) || defined(__i386__)
    if (f->avx2_fma) k->resize_bilinear_row_f32 = resize_row_f32_avx2;
    if (f->avx512) k->resize_bilinear_row_f32 = resize_row_f32_avx512;
#elif defined(__aarch64__)
    if (f->neon) k->resize_bilinear_row_f32 = resize_row_f32_neon;
#else
    (void)f;
#endif
}

void tfl_resize_bilinear_row_f32(float *out, const float *top, const float *bottom, const int32_t *x0, const int32_t *x1,
                                 const float *fx, float fy, ptrdiff_t out_w, ptrdiff_t depth) {
    tfl_kernels_current()->resize_bilinear_row_f32(out, top, bottom, x0, x1, fx, fy, out_w, depth);
}
