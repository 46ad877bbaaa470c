// The maximum of 8-bit values over a pooling window, channels innermost, clamped to the fused
// activation's range. Runtime CPU dispatch, portable fallback.
#include "dispatch.h"

// Channels [first, depth) of the window (pixels `depth` bytes apart).
static void max_window_portable(uint8_t *out, const uint8_t *in, ptrdiff_t row_stride, ptrdiff_t height, ptrdiff_t width,
                                ptrdiff_t depth, ptrdiff_t first, int is_signed, int32_t low, int32_t high) {
    for (ptrdiff_t c = first; c < depth; ++c) {
        int32_t m = low;
        for (ptrdiff_t y = 0; y < height; ++y)
            for (ptrdiff_t x = 0; x < width; ++x) {
                const uint8_t byte = in[y * row_stride + x * depth + c];
                const int32_t v = is_signed ? (int32_t)(int8_t)byte : (int32_t)byte;
                if (v > m) m = v;
            }
        out[c] = (uint8_t)(m < high ? m : high);
    }
}

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

__attribute__((target("avx512f,avx512bw")))
static void max_window_avx512(uint8_t *out, const uint8_t *in, ptrdiff_t row_stride, ptrdiff_t height, ptrdiff_t width,
                              ptrdiff_t depth, int is_signed, int32_t low, int32_t high) {
    const __m512i lo = _mm512_set1_epi8((char)low), hi = _mm512_set1_epi8((char)high);
    for (ptrdiff_t c = 0; c < depth; c += 64) {
        const __mmask64 mask = depth - c >= 64 ? ~(__mmask64)0 : (__mmask64)(~0ULL >> (64 - (depth - c)));
        __m512i m = lo;
        for (ptrdiff_t y = 0; y < height; ++y)
            for (ptrdiff_t x = 0; x < width; ++x) {
                const __m512i v = _mm512_maskz_loadu_epi8(mask, in + y * row_stride + x * depth + c);
                m = is_signed ? _mm512_max_epi8(m, v) : _mm512_max_epu8(m, v);
            }
        m = is_signed ? _mm512_min_epi8(m, hi) : _mm512_min_epu8(m, hi);
        _mm512_mask_storeu_epi8(out + c, mask, m);
    }
}

// AVX2: whole blocks of 32 channels in vectors, the last partial block in the portable loop
// (no byte-masked loads in AVX2).
__attribute__((target("avx2")))
static void max_window_avx2(uint8_t *out, const uint8_t *in, ptrdiff_t row_stride, ptrdiff_t height, ptrdiff_t width,
                            ptrdiff_t depth, int is_signed, int32_t low, int32_t high) {
    const __m256i lo = _mm256_set1_epi8((char)low), hi = _mm256_set1_epi8((char)high);
    ptrdiff_t c = 0;
    for (; c + 32 <= depth; c += 32) {
        __m256i m = lo;
        for (ptrdiff_t y = 0; y < height; ++y)
            for (ptrdiff_t x = 0; x < width; ++x) {
                const __m256i v = _mm256_loadu_si256((const __m256i *)(in + y * row_stride + x * depth + c));
                m = is_signed ? _mm256_max_epi8(m, v) : _mm256_max_epu8(m, v);
            }
        m = is_signed ? _mm256_min_epi8(m, hi) : _mm256_min_epu8(m, hi);
        _mm256_storeu_si256((__m256i *)(out + c), m);
    }
    max_window_portable(out, in, row_stride, height, width, depth, c, is_signed, low, high);
}
#endif

#if defined(__aarch64__)
#include <arm_neon.h>

// NEON: blocks of 16 channels (smax or umax from `low`, then smin or umin with `high`), the last
// few channels in the portable loop.
static void max_window_neon(uint8_t *out, const uint8_t *in, ptrdiff_t row_stride, ptrdiff_t height, ptrdiff_t width,
                            ptrdiff_t depth, int is_signed, int32_t low, int32_t high) {
    const uint8x16_t lo = vdupq_n_u8((uint8_t)low), hi = vdupq_n_u8((uint8_t)high);
    ptrdiff_t c = 0;
    for (; c + 16 <= depth; c += 16) {
        uint8x16_t m = lo;
        for (ptrdiff_t y = 0; y < height; ++y)
            for (ptrdiff_t x = 0; x < width; ++x) {
                const uint8x16_t v = vld1q_u8(in + y * row_stride + x * depth + c);
                m = is_signed ? vreinterpretq_u8_s8(vmaxq_s8(vreinterpretq_s8_u8(m), vreinterpretq_s8_u8(v))) : vmaxq_u8(m, v);
            }
        m = is_signed ? vreinterpretq_u8_s8(vminq_s8(vreinterpretq_s8_u8(m), vreinterpretq_s8_u8(hi))) : vminq_u8(m, hi);
        vst1q_u8(out + c, m);
    }
    max_window_portable(out, in, row_stride, height, width, depth, c, is_signed, low, high);
}
#endif

static void max_window_all_portable(uint8_t *out, const uint8_t *in, ptrdiff_t row_stride, ptrdiff_t height,
                                    ptrdiff_t width, ptrdiff_t depth, int is_signed, int32_t low, int32_t high) {
    max_window_portable(out, in, row_stride, height, width, depth, 0, is_signed, low, high);
}

void tfl_select_max_window(tfl_kernels *k, const tfl_cpu_features *f) {
    k->max_window_8bit = max_window_all_portable;
#if defined(__x86_64__) || defined(__i386__)
    if (f->avx512) {
        k->max_window_8bit = max_window_avx512;
    } else if (f->avx2_fma) {
        k->max_window_8bit = max_window_avx2;
    }
#elif defined(__aarch64__)
    if (f->neon) k->max_window_8bit = max_window_neon;
#else
    (void)f;
#endif
}

void tfl_max_window_8bit(uint8_t *out, const uint8_t *in, ptrdiff_t row_stride, ptrdiff_t height, ptrdiff_t width,
                         ptrdiff_t depth, int is_signed, int32_t low, int32_t high) {
    tfl_kernels_current()->max_window_8bit(out, in, row_stride, height, width, depth, is_signed, low, high);
}
