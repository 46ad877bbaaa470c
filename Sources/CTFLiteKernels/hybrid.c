// Hybrid (float activations, int8 weights) helpers: the range scan that precedes the per-batch
// input quantization, and the step back from exact int32 sums to clamped float outputs. Both
// keep the scalar definitions' semantics exactly (NaN handling, rounding order: no fused
// multiply-add). The float store may apply a fused activation (tfl_activation_f32's LEAKY_RELU
// or clamp, by the same lane-wise operations) while the values are in registers. Runtime CPU
// dispatch, portable fallback.
#include "clamp.h"
#include "dispatch.h"

#pragma clang fp contract(off)

static void minmax_portable(const float *x, ptrdiff_t n, float *low, float *high) {
    float lo = *low, hi = *high;
    for (ptrdiff_t i = 0; i < n; ++i) {
        const float v = x[i];
        lo = v < lo ? v : lo;
        hi = v > hi ? v : hi;
    }
    *low = lo;
    *high = hi;
}

// Folds per-lane minima and maxima into *low and *high in lane order (as the scalar loop would
// meet them).
static inline void fold_lanes(const float *lanes_lo, const float *lanes_hi, int count, float *low, float *high) {
    float l = *low, h = *high;
    for (int j = 0; j < count; ++j) {
        l = lanes_lo[j] < l ? lanes_lo[j] : l;
        h = lanes_hi[j] > h ? lanes_hi[j] : h;
    }
    *low = l;
    *high = h;
}

static inline float dequantize_one(int32_t acc, const int32_t *column_sums, int32_t offset, const float *channel_scales,
                                   float scale, int scales_first, const float *bias, float lo, float hi, ptrdiff_t c) {
    int32_t v = acc;
    if (column_sums) v = (int32_t)((uint32_t)v - (uint32_t)offset * (uint32_t)column_sums[c]);
    float f = (float)v;
    if (channel_scales && scales_first) {
        f = f * (channel_scales[c] * scale);
    } else {
        if (channel_scales) f = f * channel_scales[c];
        f = f * scale;
    }
    if (bias) f = f + bias[c];
    f = lo >= f ? lo : f;
    return hi < f ? hi : f;
}

// The fused activation on one value, as activation_f32.c's portable loop computes it.
static inline float activate_one(float f, int activation, float alpha, float act_lo, float act_hi) {
    if (activation == TFL_HYBRID_LEAKY) return f > 0.0f ? f : f * alpha;
    if (activation == TFL_HYBRID_CLAMP) {
        f = f >= act_lo ? f : act_lo;
        return act_hi < f ? act_hi : f;
    }
    return f;
}

static void dequantize_portable(const int32_t *acc, const int32_t *column_sums, int32_t offset, const float *channel_scales,
                                float scale, int scales_first, const float *bias, float lo, float hi, float *out, ptrdiff_t n,
                                int activation, float alpha, float act_lo, float act_hi) {
    for (ptrdiff_t c = 0; c < n; ++c)
        out[c] = activate_one(dequantize_one(acc[c], column_sums, offset, channel_scales, scale, scales_first, bias, lo, hi, c),
                              activation, alpha, act_lo, act_hi);
}

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

__attribute__((target("avx512f")))
static void minmax_avx512(const float *x, ptrdiff_t n, float *low, float *high) {
    // Per lane `v < lo ? v : lo` is vminps(v, lo) (NaN in v keeps lo; a NaN lo stays NaN), so
    // lanes reduce exactly as the scalar loop does; the lanes are then folded in order.
    __m512 lo = _mm512_set1_ps(*low), hi = _mm512_set1_ps(*high);
    ptrdiff_t i = 0;
    for (; i + 16 <= n; i += 16) {
        const __m512 v = _mm512_loadu_ps(x + i);
        lo = _mm512_min_ps(v, lo);
        hi = _mm512_max_ps(v, hi);
    }
    float lanes_lo[16], lanes_hi[16];
    _mm512_storeu_ps(lanes_lo, lo);
    _mm512_storeu_ps(lanes_hi, hi);
    fold_lanes(lanes_lo, lanes_hi, 16, low, high);
    minmax_portable(x + i, n - i, low, high);
}

// One vector of 16 channels (the lanes in `m`; the others are neither read nor written).
__attribute__((target("avx512f"), always_inline))
static inline void dequantize16_avx512(const int32_t *acc, const int32_t *column_sums, __m512i off, const float *channel_scales,
                                       __m512 s, int scales_first, const float *bias, __m512 low, __m512 high, float *out,
                                       __mmask16 m, int activation, __m512 a, __m512 act_low, __m512 act_high) {
    __m512i v = _mm512_maskz_loadu_epi32(m, acc);
    if (column_sums) v = _mm512_sub_epi32(v, _mm512_mullo_epi32(off, _mm512_maskz_loadu_epi32(m, column_sums)));
    __m512 f = _mm512_cvtepi32_ps(v);
    if (channel_scales && scales_first) {
        f = _mm512_mul_ps(f, _mm512_mul_ps(_mm512_maskz_loadu_ps(m, channel_scales), s));
    } else {
        if (channel_scales) f = _mm512_mul_ps(f, _mm512_maskz_loadu_ps(m, channel_scales));
        f = _mm512_mul_ps(f, s);
    }
    if (bias) f = _mm512_add_ps(f, _mm512_maskz_loadu_ps(m, bias));
    f = tfl_clamp_ps512(f, low, high);
    if (activation == TFL_HYBRID_LEAKY) {
        f = _mm512_mask_blend_ps(_mm512_cmp_ps_mask(f, _mm512_setzero_ps(), _CMP_GT_OQ), _mm512_mul_ps(f, a), f);
    } else if (activation == TFL_HYBRID_CLAMP) {
        f = _mm512_mask_blend_ps(_mm512_cmp_ps_mask(f, act_low, _CMP_GE_OQ), act_low, f);
        f = _mm512_mask_blend_ps(_mm512_cmp_ps_mask(act_high, f, _CMP_LT_OQ), f, act_high);
    }
    _mm512_mask_storeu_ps(out, m, f);
}

// Whole vectors, then the last channels under a mask (a convolution with 3 or 24 output
// channels stays in vector code).
__attribute__((target("avx512f")))
static void dequantize_avx512(const int32_t *acc, const int32_t *column_sums, int32_t offset, const float *channel_scales,
                              float scale, int scales_first, const float *bias, float lo, float hi, float *out, ptrdiff_t n,
                              int activation, float alpha, float act_lo, float act_hi) {
    const __m512i off = _mm512_set1_epi32(offset);
    const __m512 s = _mm512_set1_ps(scale), low = _mm512_set1_ps(lo), high = _mm512_set1_ps(hi);
    const __m512 a = _mm512_set1_ps(alpha), act_low = _mm512_set1_ps(act_lo), act_high = _mm512_set1_ps(act_hi);
    ptrdiff_t c = 0;
    for (; c + 16 <= n; c += 16)
        dequantize16_avx512(acc + c, column_sums ? column_sums + c : 0, off, channel_scales ? channel_scales + c : 0, s,
                            scales_first, bias ? bias + c : 0, low, high, out + c, (__mmask16)0xffff, activation, a, act_low,
                            act_high);
    if (c < n)
        dequantize16_avx512(acc + c, column_sums ? column_sums + c : 0, off, channel_scales ? channel_scales + c : 0, s,
                            scales_first, bias ? bias + c : 0, low, high, out + c, (__mmask16)((1u << (n - c)) - 1), activation,
                            a, act_low, act_high);
}

// The AVX2 variants: the same lane-wise definitions (vminps/vmaxps keep the second operand
// on NaN, blends for the clamp).
__attribute__((target("avx2")))
static void minmax_avx2(const float *x, ptrdiff_t n, float *low, float *high) {
    __m256 lo = _mm256_set1_ps(*low), hi = _mm256_set1_ps(*high);
    ptrdiff_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m256 v = _mm256_loadu_ps(x + i);
        lo = _mm256_min_ps(v, lo);
        hi = _mm256_max_ps(v, hi);
    }
    float lanes_lo[8], lanes_hi[8];
    _mm256_storeu_ps(lanes_lo, lo);
    _mm256_storeu_ps(lanes_hi, hi);
    fold_lanes(lanes_lo, lanes_hi, 8, low, high);
    minmax_portable(x + i, n - i, low, high);
}

__attribute__((target("avx2")))
static void dequantize_avx2(const int32_t *acc, const int32_t *column_sums, int32_t offset, const float *channel_scales,
                            float scale, int scales_first, const float *bias, float lo, float hi, float *out, ptrdiff_t n,
                            int activation, float alpha, float act_lo, float act_hi) {
    const __m256i off = _mm256_set1_epi32(offset);
    const __m256 s = _mm256_set1_ps(scale), low = _mm256_set1_ps(lo), high = _mm256_set1_ps(hi);
    const __m256 a = _mm256_set1_ps(alpha), act_low = _mm256_set1_ps(act_lo), act_high = _mm256_set1_ps(act_hi);
    ptrdiff_t c = 0;
    for (; c + 8 <= n; c += 8) {
        __m256i v = _mm256_loadu_si256((const __m256i *)(acc + c));
        if (column_sums) v = _mm256_sub_epi32(v, _mm256_mullo_epi32(off, _mm256_loadu_si256((const __m256i *)(column_sums + c))));
        __m256 f = _mm256_cvtepi32_ps(v);
        if (channel_scales && scales_first) {
            f = _mm256_mul_ps(f, _mm256_mul_ps(_mm256_loadu_ps(channel_scales + c), s));
        } else {
            if (channel_scales) f = _mm256_mul_ps(f, _mm256_loadu_ps(channel_scales + c));
            f = _mm256_mul_ps(f, s);
        }
        if (bias) f = _mm256_add_ps(f, _mm256_loadu_ps(bias + c));
        f = tfl_clamp_ps256(f, low, high);
        if (activation == TFL_HYBRID_LEAKY) {
            f = _mm256_blendv_ps(_mm256_mul_ps(f, a), f, _mm256_cmp_ps(f, _mm256_setzero_ps(), _CMP_GT_OQ));
        } else if (activation == TFL_HYBRID_CLAMP) {
            f = _mm256_blendv_ps(act_low, f, _mm256_cmp_ps(f, act_low, _CMP_GE_OQ));
            f = _mm256_blendv_ps(f, act_high, _mm256_cmp_ps(act_high, f, _CMP_LT_OQ));
        }
        _mm256_storeu_ps(out + c, f);
    }
    if (c < n)
        dequantize_portable(acc + c, column_sums ? column_sums + c : 0, offset, channel_scales ? channel_scales + c : 0, scale,
                            scales_first, bias ? bias + c : 0, lo, hi, out + c, n - c, activation, alpha, act_lo, act_hi);
}
#endif

#if defined(__aarch64__)
#include <arm_neon.h>

// NEON: the scalar definitions lane by lane with compare-and-select (fmin/fmax would let a NaN
// through): `v < lo ? v : lo` is bsl(v < lo, v, lo), as vminps(v, lo) on x86, and the lanes are
// folded in order.
static void minmax_neon(const float *x, ptrdiff_t n, float *low, float *high) {
    float32x4_t lo = vdupq_n_f32(*low), hi = vdupq_n_f32(*high);
    ptrdiff_t i = 0;
    for (; i + 4 <= n; i += 4) {
        const float32x4_t v = vld1q_f32(x + i);
        lo = vbslq_f32(vcltq_f32(v, lo), v, lo);
        hi = vbslq_f32(vcgtq_f32(v, hi), v, hi);
    }
    float lanes_lo[4], lanes_hi[4];
    vst1q_f32(lanes_lo, lo);
    vst1q_f32(lanes_hi, hi);
    fold_lanes(lanes_lo, lanes_hi, 4, low, high);
    minmax_portable(x + i, n - i, low, high);
}

// Each step rounded on its own (fmul, fmul, fadd: never fused, see the pragma above), the scales
// in dequantize_one's order, the clamp `lo >= f ? lo : f`, `hi < f ? hi : f` by compare and select
// (NaN passes through).
static void dequantize_neon(const int32_t *acc, const int32_t *column_sums, int32_t offset, const float *channel_scales,
                            float scale, int scales_first, const float *bias, float lo, float hi, float *out, ptrdiff_t n,
                            int activation, float alpha, float act_lo, float act_hi) {
    const int32x4_t off = vdupq_n_s32(offset);
    const float32x4_t s = vdupq_n_f32(scale), low = vdupq_n_f32(lo), high = vdupq_n_f32(hi);
    const float32x4_t zero = vdupq_n_f32(0.0f), act_low = vdupq_n_f32(act_lo), act_high = vdupq_n_f32(act_hi);
    ptrdiff_t c = 0;
    for (; c + 4 <= n; c += 4) {
        int32x4_t v = vld1q_s32(acc + c);
        if (column_sums) v = vmlsq_s32(v, off, vld1q_s32(column_sums + c));
        float32x4_t f = vcvtq_f32_s32(v);
        if (channel_scales && scales_first) {
            f = vmulq_f32(f, vmulq_f32(vld1q_f32(channel_scales + c), s));
        } else {
            if (channel_scales) f = vmulq_f32(f, vld1q_f32(channel_scales + c));
            f = vmulq_f32(f, s);
        }
        if (bias) f = vaddq_f32(f, vld1q_f32(bias + c));
        f = tfl_clamp_f32x4(f, low, high);
        if (activation == TFL_HYBRID_LEAKY) {
            f = vbslq_f32(vcgtq_f32(f, zero), f, vmulq_n_f32(f, alpha));
        } else if (activation == TFL_HYBRID_CLAMP) {
            f = vbslq_f32(vcgeq_f32(f, act_low), f, act_low);
            f = vbslq_f32(vcltq_f32(act_high, f), act_high, f);
        }
        vst1q_f32(out + c, f);
    }
    if (c < n)
        dequantize_portable(acc + c, column_sums ? column_sums + c : 0, offset, channel_scales ? channel_scales + c : 0, scale, scales_first,
                            bias ? bias + c : 0, lo, hi, out + c, n - c, activation, alpha, act_lo, act_hi);
}
#endif

void tfl_select_hybrid(tfl_kernels *k, const tfl_cpu_features *f) {
    k->minmax_f32 = minmax_portable;
    k->dequantize_hybrid = dequantize_portable;
#if defined(__x86_64__) || defined(__i386__)
    if (f->avx512) {
        k->minmax_f32 = minmax_avx512;
        k->dequantize_hybrid = dequantize_avx512;
    } else if (f->avx2_fma) {
        k->minmax_f32 = minmax_avx2;
        k->dequantize_hybrid = dequantize_avx2;
    }
#elif defined(__aarch64__)
    if (f->neon) {
        k->minmax_f32 = minmax_neon;
        k->dequantize_hybrid = dequantize_neon;
    }
#else
    (void)f;
#endif
}

void tfl_minmax_f32(const float *x, ptrdiff_t n, float *low, float *high) {
    tfl_kernels_current()->minmax_f32(x, n, low, high);
}

void tfl_dequantize_hybrid(const int32_t *acc, const int32_t *column_sums, int32_t offset, const float *channel_scales,
                           float scale, int scales_first, const float *bias, float lo, float hi, float *out, ptrdiff_t n) {
    tfl_kernels_current()->dequantize_hybrid(acc, column_sums, offset, channel_scales, scale, scales_first, bias, lo, hi,
                                             out, n, TFL_HYBRID_NONE, 0.0f, 0.0f, 0.0f);
}

void tfl_dequantize_hybrid_rows(const int32_t *acc, ptrdiff_t acc_stride, ptrdiff_t rows, const int32_t *column_sums,
                                int32_t offset, const float *channel_scales, float scale, int scales_first, const float *bias,
                                float lo, float hi, float *out, ptrdiff_t out_stride, ptrdiff_t n) {
    tfl_dequantize_hybrid_rows_activated(acc, acc_stride, rows, column_sums, offset, channel_scales, scale, scales_first, bias,
                                         lo, hi, out, out_stride, n, TFL_HYBRID_NONE, 0.0f, 0.0f, 0.0f);
}

void tfl_dequantize_hybrid_rows_activated(const int32_t *acc, ptrdiff_t acc_stride, ptrdiff_t rows, const int32_t *column_sums,
                                          int32_t offset, const float *channel_scales, float scale, int scales_first,
                                          const float *bias, float lo, float hi, float *out, ptrdiff_t out_stride, ptrdiff_t n,
                                          int activation, float alpha, float act_lo, float act_hi) {
    // The variant chosen once for all the rows (each one is tfl_dequantize_hybrid's).
    void (*const row)(const int32_t *, const int32_t *, int32_t, const float *, float, int, const float *, float, float, float *,
                      ptrdiff_t, int, float, float, float) = tfl_kernels_current()->dequantize_hybrid;
    for (ptrdiff_t r = 0; r < rows; ++r)
        row(acc + r * acc_stride, column_sums, offset, channel_scales, scale, scales_first, bias, lo, hi, out + r * out_stride, n,
            activation, alpha, act_lo, act_hi);
}
