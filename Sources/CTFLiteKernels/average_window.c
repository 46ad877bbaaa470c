// The average of 8-bit values over a pooling window, channels innermost, rounded as LiteRT's
// integer AVERAGE_POOL_2D does ((sum ± count/2) / count, truncated) and clamped to the fused
// activation's range. The division is done in double precision: for int32 operands a quotient
// that is not an integer lies at least 1/|sum| (relatively) from one, far above double's 2^-53,
// so truncating the correctly rounded quotient gives the integer quotient exactly, and it
// vectorizes where an integer division per channel does not. Runtime CPU dispatch, portable
// fallback.
#include "dispatch.h"
#include "narrow.h"

// Channels [first, depth) of the window (pixels `depth` bytes apart).
static void average_window_portable(uint8_t *out, const uint8_t *in, ptrdiff_t row_stride, ptrdiff_t height,
                                    ptrdiff_t width, ptrdiff_t depth, ptrdiff_t first, int is_signed, int32_t low,
                                    int32_t high) {
    const int64_t count = (int64_t)height * width, half = count / 2;
    for (ptrdiff_t c = first; c < depth; ++c) {
        int64_t sum = 0;
        for (ptrdiff_t y = 0; y < height; ++y)
            for (ptrdiff_t x = 0; x < width; ++x) {
                const uint8_t byte = in[y * row_stride + x * depth + c];
                sum += is_signed ? (int64_t)(int8_t)byte : (int64_t)byte;
            }
        const int64_t q = (sum > 0 ? sum + half : sum - half) / count;
        out[c] = (uint8_t)(q < low ? low : (q > high ? high : q));
    }
}

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

// Sums of sixteen channels → rounded quotients, clamped, as bytes.
__attribute__((target("avx512f,avx512bw,avx512vl,avx512dq"), always_inline))
static inline __m128i finish16_avx512(__m512i sum, __m512i half, __m512d divisor, __m512i lo, __m512i hi) {
    const __mmask16 positive = _mm512_cmpgt_epi32_mask(sum, _mm512_setzero_si512());
    const __m512i rounded = _mm512_mask_add_epi32(_mm512_sub_epi32(sum, half), positive, sum, half);
    const __m256i q0 = _mm512_cvttpd_epi32(_mm512_div_pd(_mm512_cvtepi32_pd(_mm512_castsi512_si256(rounded)), divisor));
    const __m256i q1 = _mm512_cvttpd_epi32(_mm512_div_pd(_mm512_cvtepi32_pd(_mm512_extracti64x4_epi64(rounded, 1)), divisor));
    const __m512i q = _mm512_inserti64x4(_mm512_castsi256_si512(q0), q1, 1);
    return tfl_narrow_epi32_epi8(_mm512_min_epi32(_mm512_max_epi32(q, lo), hi));  // never folded into the store
}

__attribute__((target("avx512f,avx512bw,avx512vl,avx512dq")))
static void average_window_avx512(uint8_t *out, const uint8_t *in, ptrdiff_t row_stride, ptrdiff_t height, ptrdiff_t width,
                                  ptrdiff_t depth, int is_signed, int32_t low, int32_t high) {
    const int32_t count = (int32_t)(height * width);
    const __m512i half = _mm512_set1_epi32(count / 2), lo = _mm512_set1_epi32(low), hi = _mm512_set1_epi32(high);
    const __m512d divisor = _mm512_set1_pd((double)count);
    for (ptrdiff_t c = 0; c < depth; c += 16) {
        const __mmask16 mask = depth - c >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (depth - c)) - 1);
        __m512i sum = _mm512_setzero_si512();
        for (ptrdiff_t y = 0; y < height; ++y)
            for (ptrdiff_t x = 0; x < width; ++x) {
                const __m128i bytes = _mm_maskz_loadu_epi8(mask, in + y * row_stride + x * depth + c);
                sum = _mm512_add_epi32(sum, is_signed ? _mm512_cvtepi8_epi32(bytes) : _mm512_cvtepu8_epi32(bytes));
            }
        _mm_mask_storeu_epi8(out + c, mask, finish16_avx512(sum, half, divisor, lo, hi));
    }
}

// AVX2: whole blocks of 8 channels, the rest in the portable loop.
__attribute__((target("avx2")))
static void average_window_avx2(uint8_t *out, const uint8_t *in, ptrdiff_t row_stride, ptrdiff_t height, ptrdiff_t width,
                                ptrdiff_t depth, int is_signed, int32_t low, int32_t high) {
    const int32_t count = (int32_t)(height * width);
    const __m256i half = _mm256_set1_epi32(count / 2), lo = _mm256_set1_epi32(low), hi = _mm256_set1_epi32(high);
    const __m256d divisor = _mm256_set1_pd((double)count);
    ptrdiff_t c = 0;
    for (; c + 8 <= depth; c += 8) {
        __m256i sum = _mm256_setzero_si256();
        for (ptrdiff_t y = 0; y < height; ++y)
            for (ptrdiff_t x = 0; x < width; ++x) {
                const __m128i bytes = _mm_loadl_epi64((const __m128i *)(in + y * row_stride + x * depth + c));
                sum = _mm256_add_epi32(sum, is_signed ? _mm256_cvtepi8_epi32(bytes) : _mm256_cvtepu8_epi32(bytes));
            }
        const __m256i positive = _mm256_cmpgt_epi32(sum, _mm256_setzero_si256());
        const __m256i rounded = _mm256_blendv_epi8(_mm256_sub_epi32(sum, half), _mm256_add_epi32(sum, half), positive);
        const __m128i q0 = _mm256_cvttpd_epi32(_mm256_div_pd(_mm256_cvtepi32_pd(_mm256_castsi256_si128(rounded)), divisor));
        const __m128i q1 = _mm256_cvttpd_epi32(_mm256_div_pd(_mm256_cvtepi32_pd(_mm256_extracti128_si256(rounded, 1)), divisor));
        __m256i q = _mm256_inserti128_si256(_mm256_castsi128_si256(q0), q1, 1);
        q = _mm256_min_epi32(_mm256_max_epi32(q, lo), hi);
        // Eight int32 lanes within the 8-bit range → eight bytes.
        const __m128i words = _mm_packs_epi32(_mm256_castsi256_si128(q), _mm256_extracti128_si256(q, 1));
        const __m128i bytes = is_signed ? _mm_packs_epi16(words, words) : _mm_packus_epi16(words, words);
        _mm_storel_epi64((__m128i *)(out + c), bytes);
    }
    average_window_portable(out, in, row_stride, height, width, depth, c, is_signed, low, high);
}

#endif

#if defined(__aarch64__)
#include <arm_neon.h>

// NEON: blocks of 8 channels summed in int32 lanes, rounded by the sign, divided in double
// (fdiv, then fcvtzs truncating) and clamped; the last few channels in the portable loop.
static inline int32x4_t quotient4_neon(int32x4_t rounded, float64x2_t divisor) {
    const int64x2_t lo = vcvtq_s64_f64(vdivq_f64(vcvtq_f64_s64(vmovl_s32(vget_low_s32(rounded))), divisor));
    const int64x2_t hi = vcvtq_s64_f64(vdivq_f64(vcvtq_f64_s64(vmovl_high_s32(rounded)), divisor));
    return vcombine_s32(vmovn_s64(lo), vmovn_s64(hi));
}

static void average_window_neon(uint8_t *out, const uint8_t *in, ptrdiff_t row_stride, ptrdiff_t height, ptrdiff_t width,
                                ptrdiff_t depth, int is_signed, int32_t low, int32_t high) {
    const int32_t count = (int32_t)(height * width);
    const int32x4_t half = vdupq_n_s32(count / 2), lo = vdupq_n_s32(low), hi = vdupq_n_s32(high), zero = vdupq_n_s32(0);
    const float64x2_t divisor = vdupq_n_f64((double)count);
    ptrdiff_t c = 0;
    for (; c + 8 <= depth; c += 8) {
        int32x4_t sum[2] = {zero, zero};
        for (ptrdiff_t y = 0; y < height; ++y)
            for (ptrdiff_t x = 0; x < width; ++x) {
                const uint8x8_t bytes = vld1_u8(in + y * row_stride + x * depth + c);
                const int16x8_t v = is_signed ? vmovl_s8(vreinterpret_s8_u8(bytes)) : vreinterpretq_s16_u16(vmovl_u8(bytes));
                sum[0] = vaddw_s16(sum[0], vget_low_s16(v));
                sum[1] = vaddw_high_s16(sum[1], v);
            }
        int32x4_t q[2];
        for (int h = 0; h < 2; ++h) {
            const int32x4_t rounded = vbslq_s32(vcgtq_s32(sum[h], zero), vaddq_s32(sum[h], half), vsubq_s32(sum[h], half));
            q[h] = vminq_s32(vmaxq_s32(quotient4_neon(rounded, divisor), lo), hi);
        }
        // Eight int32 lanes within the 8-bit range → their low bytes.
        vst1_u8(out + c, vreinterpret_u8_s8(vmovn_s16(vcombine_s16(vmovn_s32(q[0]), vmovn_s32(q[1])))));
    }
    average_window_portable(out, in, row_stride, height, width, depth, c, is_signed, low, high);
}
#endif

static void average_window_all_portable(uint8_t *out, const uint8_t *in, ptrdiff_t row_stride, ptrdiff_t height,
                                        ptrdiff_t width, ptrdiff_t depth, int is_signed, int32_t low, int32_t high) {
    average_window_portable(out, in, row_stride, height, width, depth, 0, is_signed, low, high);
}

void tfl_select_average_window(tfl_kernels *k, const tfl_cpu_features *f) {
    k->average_window_8bit = average_window_all_portable;
#if defined(__x86_64__) || defined(__i386__)
    if (f->avx512) {
        k->average_window_8bit = average_window_avx512;
    } else if (f->avx2_fma) {
        k->average_window_8bit = average_window_avx2;
    }
#elif defined(__aarch64__)
    if (f->neon) k->average_window_8bit = average_window_neon;
#else
    (void)f;
#endif
}

void tfl_average_window_8bit(uint8_t *out, const uint8_t *in, ptrdiff_t row_stride, ptrdiff_t height, ptrdiff_t width,
                             ptrdiff_t depth, int is_signed, int32_t low, int32_t high) {
    if (height * width <= 0) return;
    // Sums of at most 2^23 bytes stay within int32 with the rounding term added (vector variants).
    if ((int64_t)height * width <= (1 << 23))
        tfl_kernels_current()->average_window_8bit(out, in, row_stride, height, width, depth, is_signed, low, high);
    else
        average_window_all_portable(out, in, row_stride, height, width, depth, is_signed, low, high);
}
