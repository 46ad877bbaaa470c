// The maximum of 8-bit values over a pooling window, channels innermost, clamped to the fused
// activation's range. Runtime CPU dispatch, portable fallback.
#include "CTFLiteKernels.h"

static void max_window_portable(uint8_t *out, const uint8_t *in, ptrdiff_t row_stride, ptrdiff_t height, ptrdiff_t width,
                                ptrdiff_t depth, int is_signed, int32_t low, int32_t high) {
    for (ptrdiff_t c = 0; c < depth; ++c) {
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
#endif

void tfl_max_window_8bit(uint8_t *out, const uint8_t *in, ptrdiff_t row_stride, ptrdiff_t height, ptrdiff_t width,
                         ptrdiff_t depth, int is_signed, int32_t low, int32_t high) {
#if defined(__x86_64__) || defined(__i386__)
    if (tfl_kernels_level() >= 3) {
        max_window_avx512(out, in, row_stride, height, width, depth, is_signed, low, high);
        return;
    }
#endif
    max_window_portable(out, in, row_stride, height, width, depth, is_signed, low, high);
}
