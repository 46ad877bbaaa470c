// Per-tensor QUANTIZE (float32 → int8, uint8, int16) and DEQUANTIZE (the reverse), element for
// element the arithmetic of the Swift kernels they stand in for: quantize as
// round-half-even(x · reciprocal) + zero point in float32 (no fused multiply-add), clamped to the
// type, NaN → the zero point; dequantize as float(scale · double(q − zero point)) in double.
// When the scale is a float32 value (every model's is), that double product is exact (24 by 17
// significant bits), so rounding it once to float is what IEEE float multiplication of the
// same two values gives: the vector variants then multiply in float32, twice the lanes.
// Runtime CPU dispatch, portable fallback.
#include <math.h>
#include <string.h>

#include "dispatch.h"
#include "narrow.h"

static inline int32_t type_min(int type) { return type == TFL_QUANT_INT8 ? -128 : type == TFL_QUANT_UINT8 ? 0 : -32768; }
static inline int32_t type_max(int type) { return type == TFL_QUANT_INT8 ? 127 : type == TFL_QUANT_UINT8 ? 255 : 32767; }

static inline void store_one(void *out, ptrdiff_t i, int type, int32_t v) {
    if (type == TFL_QUANT_INT16) ((int16_t *)out)[i] = (int16_t)v;
    else ((uint8_t *)out)[i] = (uint8_t)v;
}

static inline int32_t load_one(const void *in, ptrdiff_t i, int type) {
    if (type == TFL_QUANT_INT8) return ((const int8_t *)in)[i];
    if (type == TFL_QUANT_UINT8) return ((const uint8_t *)in)[i];
    return ((const int16_t *)in)[i];
}

static void quantize_portable(const float *x, ptrdiff_t n, float reciprocal, int32_t zero_point, int type, void *out,
                              ptrdiff_t first) {
    const float low = (float)type_min(type), high = (float)type_max(type), offset = (float)zero_point;
    const int32_t nan_value = zero_point < type_min(type) ? type_min(type) : zero_point > type_max(type) ? type_max(type) : zero_point;
    for (ptrdiff_t i = first; i < n; ++i) {
        const float scaled = nearbyintf(x[i] * reciprocal) + offset;
        store_one(out, i, type, scaled != scaled ? nan_value : (int32_t)(scaled < low ? low : scaled > high ? high : scaled));
    }
}

// Whether scale is a float32 value: then float(scale · double(d)) = (float)scale · (float)d for
// every 8- or 16-bit q less a zero point below 2^16 (|d| < 2^17, exact in float; the double
// product exact), and float32 multiplication is the vector variants' fast path.
static inline int scale_is_float(double scale) { return (double)(float)scale == scale; }

static void dequantize_portable(const void *in, int type, ptrdiff_t n, double scale, int32_t zero_point, float *out,
                                ptrdiff_t first) {
    for (ptrdiff_t i = first; i < n; ++i) out[i] = (float)(scale * (double)(load_one(in, i, type) - zero_point));
}

static void quantize_portable_entry(const float *x, ptrdiff_t n, float reciprocal, int32_t zero_point, int type, void *out) {
    quantize_portable(x, n, reciprocal, zero_point, type, out, 0);
}

static void dequantize_portable_entry(const void *in, int type, ptrdiff_t n, double scale, int32_t zero_point, float *out) {
    dequantize_portable(in, type, n, scale, zero_point, out, 0);
}

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

__attribute__((target("avx512f,avx512bw,avx512vl"))) static void quantize_avx512(const float *x, ptrdiff_t n, float reciprocal,
                                                                                int32_t zero_point, int type, void *out) {
    const __m512 r = _mm512_set1_ps(reciprocal), offset = _mm512_set1_ps((float)zero_point);
    const __m512 low = _mm512_set1_ps((float)type_min(type)), high = _mm512_set1_ps((float)type_max(type));
    const int32_t nan_value = zero_point < type_min(type) ? type_min(type) : zero_point > type_max(type) ? type_max(type) : zero_point;
    const __m512i nan_vector = _mm512_set1_epi32(nan_value);
    ptrdiff_t i = 0;
    for (; i + 16 <= n; i += 16) {
        __m512 v = _mm512_roundscale_ps(_mm512_mul_ps(_mm512_loadu_ps(x + i), r), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
        v = _mm512_add_ps(v, offset);
        const __mmask16 nan = _mm512_cmp_ps_mask(v, v, _CMP_UNORD_Q);
        const __m512i q = _mm512_mask_blend_epi32(nan, _mm512_cvtps_epi32(_mm512_min_ps(_mm512_max_ps(v, low), high)), nan_vector);
        if (type == TFL_QUANT_INT16) _mm256_storeu_si256((__m256i *)((int16_t *)out + i), _mm512_cvtepi32_epi16(q));
        else _mm_storeu_si128((__m128i *)((uint8_t *)out + i), tfl_narrow_epi32_epi8(q));
    }
    quantize_portable(x, n, reciprocal, zero_point, type, out, i);
}

// 16 (AVX-512) or 8 (AVX2) int8, uint8 or int16 values from `in` at element i, widened to int32.
__attribute__((target("avx512f,avx512bw,avx512vl"))) static inline __m512i load16_avx512(const void *in, int type, ptrdiff_t i) {
    if (type == TFL_QUANT_INT8) return _mm512_cvtepi8_epi32(_mm_loadu_si128((const __m128i *)((const int8_t *)in + i)));
    if (type == TFL_QUANT_UINT8) return _mm512_cvtepu8_epi32(_mm_loadu_si128((const __m128i *)((const uint8_t *)in + i)));
    return _mm512_cvtepi16_epi32(_mm256_loadu_si256((const __m256i *)((const int16_t *)in + i)));
}

__attribute__((target("avx2"))) static inline __m256i load8_avx2(const void *in, int type, ptrdiff_t i) {
    if (type == TFL_QUANT_INT8) return _mm256_cvtepi8_epi32(_mm_loadl_epi64((const __m128i *)((const int8_t *)in + i)));
    if (type == TFL_QUANT_UINT8) return _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)((const uint8_t *)in + i)));
    return _mm256_cvtepi16_epi32(_mm_loadu_si128((const __m128i *)((const int16_t *)in + i)));
}

__attribute__((target("avx512f,avx512bw,avx512vl"))) static void dequantize_avx512(const void *in, int type, ptrdiff_t n,
                                                                                  double scale, int32_t zero_point, float *out) {
    const __m512d s = _mm512_set1_pd(scale);
    const __m512i z = _mm512_set1_epi32(zero_point);
    ptrdiff_t i = 0;
    if (scale_is_float(scale)) {
        const __m512 f = _mm512_set1_ps((float)scale);
        for (; i + 16 <= n; i += 16) {
            _mm512_storeu_ps(out + i, _mm512_mul_ps(f, _mm512_cvtepi32_ps(_mm512_sub_epi32(load16_avx512(in, type, i), z))));
        }
    }
    for (; i + 16 <= n; i += 16) {
        const __m512i q = _mm512_sub_epi32(load16_avx512(in, type, i), z);
        const __m256 lo = _mm512_cvtpd_ps(_mm512_mul_pd(s, _mm512_cvtepi32_pd(_mm512_castsi512_si256(q))));
        const __m256 hi = _mm512_cvtpd_ps(_mm512_mul_pd(s, _mm512_cvtepi32_pd(_mm512_extracti64x4_epi64(q, 1))));
        _mm256_storeu_ps(out + i, lo);
        _mm256_storeu_ps(out + i + 8, hi);
    }
    dequantize_portable(in, type, n, scale, zero_point, out, i);
}

__attribute__((target("avx2"))) static void quantize_avx2(const float *x, ptrdiff_t n, float reciprocal, int32_t zero_point,
                                                          int type, void *out) {
    const __m256 r = _mm256_set1_ps(reciprocal), offset = _mm256_set1_ps((float)zero_point);
    const __m256 low = _mm256_set1_ps((float)type_min(type)), high = _mm256_set1_ps((float)type_max(type));
    const int32_t nan_value = zero_point < type_min(type) ? type_min(type) : zero_point > type_max(type) ? type_max(type) : zero_point;
    const __m256i nan_vector = _mm256_set1_epi32(nan_value);
    ptrdiff_t i = 0;
    for (; i + 8 <= n; i += 8) {
        __m256 v = _mm256_round_ps(_mm256_mul_ps(_mm256_loadu_ps(x + i), r), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
        v = _mm256_add_ps(v, offset);
        const __m256i nan = _mm256_castps_si256(_mm256_cmp_ps(v, v, _CMP_UNORD_Q));
        const __m256i q = _mm256_blendv_epi8(_mm256_cvtps_epi32(_mm256_min_ps(_mm256_max_ps(v, low), high)), nan_vector, nan);
        // Eight in-range int32 values to bytes or int16 (the saturating packs change nothing).
        const __m128i words = _mm_packs_epi32(_mm256_castsi256_si128(q), _mm256_extracti128_si256(q, 1));
        if (type == TFL_QUANT_INT16) _mm_storeu_si128((__m128i *)((int16_t *)out + i), words);
        else if (type == TFL_QUANT_INT8) _mm_storel_epi64((__m128i *)((uint8_t *)out + i), _mm_packs_epi16(words, words));
        else _mm_storel_epi64((__m128i *)((uint8_t *)out + i), _mm_packus_epi16(words, words));
    }
    quantize_portable(x, n, reciprocal, zero_point, type, out, i);
}

__attribute__((target("avx2"))) static void dequantize_avx2(const void *in, int type, ptrdiff_t n, double scale,
                                                            int32_t zero_point, float *out) {
    const __m256d s = _mm256_set1_pd(scale);
    const __m256i z = _mm256_set1_epi32(zero_point);
    ptrdiff_t i = 0;
    if (scale_is_float(scale)) {
        const __m256 f = _mm256_set1_ps((float)scale);
        for (; i + 8 <= n; i += 8) {
            _mm256_storeu_ps(out + i, _mm256_mul_ps(f, _mm256_cvtepi32_ps(_mm256_sub_epi32(load8_avx2(in, type, i), z))));
        }
    }
    for (; i + 8 <= n; i += 8) {
        const __m256i q = _mm256_sub_epi32(load8_avx2(in, type, i), z);
        const __m128 lo = _mm256_cvtpd_ps(_mm256_mul_pd(s, _mm256_cvtepi32_pd(_mm256_castsi256_si128(q))));
        const __m128 hi = _mm256_cvtpd_ps(_mm256_mul_pd(s, _mm256_cvtepi32_pd(_mm256_extracti128_si256(q, 1))));
        _mm_storeu_ps(out + i, lo);
        _mm_storeu_ps(out + i + 4, hi);
    }
    dequantize_portable(in, type, n, scale, zero_point, out, i);
}
#endif

#if defined(__aarch64__)
#include <arm_neon.h>

// NEON: frintn is round-half-even (nearbyintf in the default rounding mode) between the multiply
// and the add, as in the portable loop; NaN lanes take the zero point clamped
// to the type. The clamped values are integers within the type, so the narrowings are exact.
static void quantize_neon(const float *x, ptrdiff_t n, float reciprocal, int32_t zero_point, int type, void *out) {
    const float32x4_t r = vdupq_n_f32(reciprocal), offset = vdupq_n_f32((float)zero_point);
    const float32x4_t low = vdupq_n_f32((float)type_min(type)), high = vdupq_n_f32((float)type_max(type));
    const int32_t nan_value = zero_point < type_min(type) ? type_min(type) : zero_point > type_max(type) ? type_max(type) : zero_point;
    const int32x4_t nan_vector = vdupq_n_s32(nan_value);
    ptrdiff_t i = 0;
    for (; i + 8 <= n; i += 8) {
        int32x4_t q[2];
        for (int h = 0; h < 2; ++h) {
            const float32x4_t v = vaddq_f32(vrndnq_f32(vmulq_f32(vld1q_f32(x + i + 4 * h), r)), offset);
            const uint32x4_t number = vceqq_f32(v, v);
            q[h] = vbslq_s32(number, vcvtq_s32_f32(vminq_f32(vmaxq_f32(v, low), high)), nan_vector);
        }
        const int16x8_t words = vcombine_s16(vmovn_s32(q[0]), vmovn_s32(q[1]));
        if (type == TFL_QUANT_INT16) vst1q_s16((int16_t *)out + i, words);
        else vst1_u8((uint8_t *)out + i, vmovn_u16(vreinterpretq_u16_s16(words)));
    }
    quantize_portable(x, n, reciprocal, zero_point, type, out, i);
}

// NEON: the difference in int32, widened to int64 and converted exactly to double, multiplied in
// double and rounded once to float (fcvtn), as the portable loop.
static inline float32x4_t dequantize4_neon(int32x4_t q, float64x2_t s) {
    const float64x2_t lo = vmulq_f64(s, vcvtq_f64_s64(vmovl_s32(vget_low_s32(q))));
    const float64x2_t hi = vmulq_f64(s, vcvtq_f64_s64(vmovl_high_s32(q)));
    return vcvt_high_f32_f64(vcvt_f32_f64(lo), hi);
}

static void dequantize_neon(const void *in, int type, ptrdiff_t n, double scale, int32_t zero_point, float *out) {
    const float64x2_t s = vdupq_n_f64(scale);
    const int32x4_t z = vdupq_n_s32(zero_point);
    const float f = (float)scale;
    const int single = scale_is_float(scale);
    ptrdiff_t i = 0;
    for (; i + 8 <= n; i += 8) {
        int16x8_t words;
        if (type == TFL_QUANT_INT8) words = vmovl_s8(vld1_s8((const int8_t *)in + i));
        else if (type == TFL_QUANT_UINT8) words = vreinterpretq_s16_u16(vmovl_u8(vld1_u8((const uint8_t *)in + i)));
        else words = vld1q_s16((const int16_t *)in + i);
        const int32x4_t lo = vsubq_s32(vmovl_s16(vget_low_s16(words)), z), hi = vsubq_s32(vmovl_high_s16(words), z);
        if (single) {
            vst1q_f32(out + i, vmulq_n_f32(vcvtq_f32_s32(lo), f));
            vst1q_f32(out + i + 4, vmulq_n_f32(vcvtq_f32_s32(hi), f));
        } else {
            vst1q_f32(out + i, dequantize4_neon(lo, s));
            vst1q_f32(out + i + 4, dequantize4_neon(hi, s));
        }
    }
    dequantize_portable(in, type, n, scale, zero_point, out, i);
}
#endif

void tfl_select_quantize_linear(tfl_kernels *k, const tfl_cpu_features *f) {
    k->quantize_linear = quantize_portable_entry;
    k->dequantize_linear = dequantize_portable_entry;
#if defined(__x86_64__) || defined(__i386__)
    if (f->avx2_fma) {
        k->quantize_linear = quantize_avx2;
        k->dequantize_linear = dequantize_avx2;
    }
    if (f->avx512) {
        k->quantize_linear = quantize_avx512;
        k->dequantize_linear = dequantize_avx512;
    }
#elif defined(__aarch64__)
    if (f->neon) {
        k->quantize_linear = quantize_neon;
        k->dequantize_linear = dequantize_neon;
    }
#else
    (void)f;
#endif
}

void tfl_quantize_linear(const float *x, ptrdiff_t n, float reciprocal, int32_t zero_point, int type, void *out) {
    tfl_kernels_current()->quantize_linear(x, n, reciprocal, zero_point, type, out);
}

void tfl_dequantize_linear(const void *in, int type, ptrdiff_t n, double scale, int32_t zero_point, float *out) {
    tfl_kernels_current()->dequantize_linear(in, type, n, scale, zero_point, out);
}
