// MAX_POOL_2D and AVERAGE_POOL_2D of float32 over one window, channels innermost, clamped to the
// fused activation's range. Each channel takes the window's pixels in (y, x) order with the
// interpreter's own comparisons, so every variant gives the bits of the portable loop:
// max: m starts at -FLT_MAX and becomes p where p >= m (a NaN pixel is skipped);
// average: s starts at 0, adds every pixel with one rounding each, then s / count;
// clamp: v = low >= v ? low : v, then v = high < v ? high : v.
// Runtime CPU dispatch, portable fallback.
#include <float.h>

#include "clamp.h"
#include "dispatch.h"

static inline float clamp_window(float v, float low, float high) {
    v = low >= v ? low : v;
    return high < v ? high : v;
}

// Channels [first, depth) of the window (pixels `depth` floats apart).
static void window_f32_portable_from(float *out, const float *in, ptrdiff_t row_stride, ptrdiff_t height,
                                     ptrdiff_t width, ptrdiff_t depth, ptrdiff_t first, int is_max, float low,
                                     float high) {
    const float count = (float)(height * width);
    for (ptrdiff_t c = first; c < depth; ++c) {
        float m = is_max ? -FLT_MAX : 0.0f;
        for (ptrdiff_t y = 0; y < height; ++y)
            for (ptrdiff_t x = 0; x < width; ++x) {
                const float p = in[y * row_stride + x * depth + c];
                if (is_max) m = p >= m ? p : m;
                else m += p;
            }
        out[c] = clamp_window(is_max ? m : m / count, low, high);
    }
}

static void window_f32_portable(float *out, const float *in, ptrdiff_t row_stride, ptrdiff_t height, ptrdiff_t width,
                                ptrdiff_t depth, int is_max, float low, float high) {
    window_f32_portable_from(out, in, row_stride, height, width, depth, 0, is_max, low, high);
}

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

// Blocks of 16 channels with masked tails; ordered >= and < compares, as the portable loop.
__attribute__((target("avx512f")))
static void window_f32_avx512(float *out, const float *in, ptrdiff_t row_stride, ptrdiff_t height, ptrdiff_t width,
                              ptrdiff_t depth, int is_max, float low, float high) {
    const __m512 lo = _mm512_set1_ps(low), hi = _mm512_set1_ps(high), count = _mm512_set1_ps((float)(height * width));
    for (ptrdiff_t c = 0; c < depth; c += 16) {
        const ptrdiff_t left = depth - c;
        const __mmask16 mask = left >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << left) - 1);
        __m512 m = is_max ? _mm512_set1_ps(-FLT_MAX) : _mm512_setzero_ps();
        for (ptrdiff_t y = 0; y < height; ++y)
            for (ptrdiff_t x = 0; x < width; ++x) {
                const __m512 p = _mm512_maskz_loadu_ps(mask, in + y * row_stride + x * depth + c);
                if (is_max) m = _mm512_mask_blend_ps(_mm512_cmp_ps_mask(p, m, _CMP_GE_OQ), m, p);
                else m = _mm512_add_ps(m, p);
            }
        if (!is_max) m = _mm512_div_ps(m, count);
        m = tfl_clamp_ps512(m, lo, hi);
        _mm512_mask_storeu_ps(out + c, mask, m);
    }
}

// Blocks of 8 channels; the last few in the portable loop.
__attribute__((target("avx2")))
static void window_f32_avx2(float *out, const float *in, ptrdiff_t row_stride, ptrdiff_t height, ptrdiff_t width,
                            ptrdiff_t depth, int is_max, float low, float high) {
    const __m256 lo = _mm256_set1_ps(low), hi = _mm256_set1_ps(high), count = _mm256_set1_ps((float)(height * width));
    ptrdiff_t c = 0;
    for (; c + 8 <= depth; c += 8) {
        __m256 m = is_max ? _mm256_set1_ps(-FLT_MAX) : _mm256_setzero_ps();
        for (ptrdiff_t y = 0; y < height; ++y)
            for (ptrdiff_t x = 0; x < width; ++x) {
                const __m256 p = _mm256_loadu_ps(in + y * row_stride + x * depth + c);
                if (is_max) m = _mm256_blendv_ps(m, p, _mm256_cmp_ps(p, m, _CMP_GE_OQ));
                else m = _mm256_add_ps(m, p);
            }
        if (!is_max) m = _mm256_div_ps(m, count);
        m = tfl_clamp_ps256(m, lo, hi);
        _mm256_storeu_ps(out + c, m);
    }
    window_f32_portable_from(out, in, row_stride, height, width, depth, c, is_max, low, high);
}
#endif

#if defined(__aarch64__)
#include <arm_neon.h>

// NEON: blocks of 4 channels (vcgeq / vcltq select, as the portable loop), the rest portable.
static void window_f32_neon(float *out, const float *in, ptrdiff_t row_stride, ptrdiff_t height, ptrdiff_t width,
                            ptrdiff_t depth, int is_max, float low, float high) {
    const float32x4_t lo = vdupq_n_f32(low), hi = vdupq_n_f32(high), count = vdupq_n_f32((float)(height * width));
    ptrdiff_t c = 0;
    for (; c + 4 <= depth; c += 4) {
        float32x4_t m = vdupq_n_f32(is_max ? -FLT_MAX : 0.0f);
        for (ptrdiff_t y = 0; y < height; ++y)
            for (ptrdiff_t x = 0; x < width; ++x) {
                const float32x4_t p = vld1q_f32(in + y * row_stride + x * depth + c);
                if (is_max) m = vbslq_f32(vcgeq_f32(p, m), p, m);
                else m = vaddq_f32(m, p);
            }
        if (!is_max) m = vdivq_f32(m, count);
        m = vbslq_f32(vcgeq_f32(lo, m), lo, m);
        m = vbslq_f32(vcltq_f32(hi, m), hi, m);
        vst1q_f32(out + c, m);
    }
    window_f32_portable_from(out, in, row_stride, height, width, depth, c, is_max, low, high);
}
#endif

void tfl_select_window_f32(tfl_kernels *k, const tfl_cpu_features *f) {
    k->window_f32 = window_f32_portable;
#if defined(__x86_64__) || defined(__i386__)
    if (f->avx512) {
        k->window_f32 = window_f32_avx512;
    } else if (f->avx2_fma) {
        k->window_f32 = window_f32_avx2;
    }
#elif defined(__aarch64__)
    if (f->neon) k->window_f32 = window_f32_neon;
#else
    (void)f;
#endif
}

void tfl_window_f32(float *out, const float *in, ptrdiff_t row_stride, ptrdiff_t height, ptrdiff_t width,
                    ptrdiff_t depth, int is_max, float low, float high) {
    tfl_kernels_current()->window_f32(out, in, row_stride, height, width, depth, is_max, low, high);
}
