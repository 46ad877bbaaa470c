// Per-tensor QUANTIZE (float32 → int8, uint8, int16) and DEQUANTIZE (the reverse), element for
// element the arithmetic of the Swift kernels they stand in for: quantize as
// round-half-even(x · reciprocal) + zero point in float32 (no fused multiply-add), clamped to the
// type, NaN → the zero point; dequantize as float(scale · double(q − zero point)) in double.
// Runtime CPU dispatch, portable fallback.
#include <math.h>
#include <string.h>

#include "dispatch.h"

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
        else _mm_storeu_si128((__m128i *)((uint8_t *)out + i), _mm512_cvtepi32_epi8(q));
    }
    quantize_portable(x, n, reciprocal, zero_point, type, out, i);
}

__attribute__((target("avx512f,avx512bw,avx512vl"))) static void dequantize_avx512(const void *in, int type, ptrdiff_t n,
                                                                                  double scale, int32_t zero_point, float *out) {
    const __m512d s = _mm512_set1_pd(scale);
    const __m512i z = _mm512_set1_epi32(zero_point);
    ptrdiff_t i = 0;
    for (; i + 16 <= n; i += 16) {
        __m512i q;
        if (type == TFL_QUANT_INT8) q = _mm512_cvtepi8_epi32(_mm_loadu_si128((const __m128i *)((const int8_t *)in + i)));
        else if (type == TFL_QUANT_UINT8) q = _mm512_cvtepu8_epi32(_mm_loadu_si128((const __m128i *)((const uint8_t *)in + i)));
        else q = _mm512_cvtepi16_epi32(_mm256_loadu_si256((const __m256i *)((const int16_t *)in + i)));
        q = _mm512_sub_epi32(q, z);
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
    for (; i + 8 <= n; i += 8) {
        __m256i q;
        if (type == TFL_QUANT_INT8) q = _mm256_cvtepi8_epi32(_mm_loadl_epi64((const __m128i *)((const int8_t *)in + i)));
        else if (type == TFL_QUANT_UINT8) q = _mm256_cvtepu8_epi32(_mm_loadl_epi64((const __m128i *)((const uint8_t *)in + i)));
        else q = _mm256_cvtepi16_epi32(_mm_loadu_si128((const __m128i *)((const int16_t *)in + i)));
        q = _mm256_sub_epi32(q, z);
        const __m128 lo = _mm256_cvtpd_ps(_mm256_mul_pd(s, _mm256_cvtepi32_pd(_mm256_castsi256_si128(q))));
        const __m128 hi = _mm256_cvtpd_ps(_mm256_mul_pd(s, _mm256_cvtepi32_pd(_mm256_extracti128_si256(q, 1))));
        _mm_storeu_ps(out + i, lo);
        _mm_storeu_ps(out + i + 4, hi);
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
