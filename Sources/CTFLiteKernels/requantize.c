// Requantization of int32 accumulators to 8-bit outputs, bit-exact with LiteRT's
// MultiplyByQuantizedMultiplier per output channel, in either rounding (tfl_rounding): gemmlowp's
// SaturatingRoundingDoublingHighMul followed by RoundingDivideByPOT, or the half-up pair of
// LiteRT's optimized int8 convolution kernels. Runtime CPU dispatch, portable fallback.
#include "dispatch.h"
#include "narrow.h"

static inline int32_t srdhm(int32_t a, int32_t b) {
    if (a == b && a == INT32_MIN) return INT32_MAX;
    const int64_t product = (int64_t)a * (int64_t)b;
    const int64_t nudge = product >= 0 ? (1LL << 30) : (1 - (1LL << 30));
    return (int32_t)((product + nudge) / (1LL << 31));
}

static inline int32_t rounding_divide(int32_t x, int exponent) {
    if (exponent <= 0) return x;
    const int32_t mask = (int32_t)((1LL << exponent) - 1);
    const int32_t remainder = x & mask;
    const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
    return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

// `step` is 1 for per-element multipliers and shifts, 0 for one pair used for every element.
static void requantize_portable(const int32_t *acc, const int32_t *bias, const int32_t *multiplier, const int32_t *shift,
                                ptrdiff_t step, int32_t zero_point, int32_t qmin, int32_t qmax, uint8_t *out, ptrdiff_t n) {
    for (ptrdiff_t i = 0; i < n; ++i) {
        int32_t v = (int32_t)((uint32_t)acc[i] + (uint32_t)(bias ? bias[i] : 0));
        const int32_t s = shift[i * step];
        const int left = s > 0 ? s : 0;
        const int right = s > 0 ? 0 : -s;
        v = (int32_t)((uint32_t)v << (left & 31));
        v = rounding_divide(srdhm(v, multiplier[i * step]), right);
        v = (int32_t)((uint32_t)v + (uint32_t)zero_point);
        v = v < qmin ? qmin : (v > qmax ? qmax : v);
        out[i] = (uint8_t)v;
    }
}

// TFL_ROUNDING_HALF_UP: floor((x · m + 2^30) / 2^31), then floor((y + 2^(r−1)) / 2^r), in 64
// bits (|x · m| < 2^62; y fits in 32 bits, y + 2^(r−1) may not). Shifts beyond 62 give 0 or −1
// as the exact floor does.
static inline int32_t multiply_half_up(int32_t v, int32_t m, int32_t s) {
    const int left = s > 0 ? s : 0;
    int right = s > 0 ? 0 : -s;
    if (right > 62) right = 62;
    v = (int32_t)((uint32_t)v << (left & 31));
    const int64_t y = ((int64_t)v * (int64_t)m + (1LL << 30)) >> 31;
    return (int32_t)(right > 0 ? (y + (1LL << (right - 1))) >> right : y);
}

static void requantize_portable_half_up(const int32_t *acc, const int32_t *bias, const int32_t *multiplier,
                                        const int32_t *shift, int32_t zero_point, int32_t qmin, int32_t qmax,
                                        uint8_t *out, ptrdiff_t n) {
    for (ptrdiff_t i = 0; i < n; ++i) {
        int32_t v = (int32_t)((uint32_t)acc[i] + (uint32_t)(bias ? bias[i] : 0));
        v = (int32_t)((uint32_t)multiply_half_up(v, multiplier[i], shift[i]) + (uint32_t)zero_point);
        v = v < qmin ? qmin : (v > qmax ? qmax : v);
        out[i] = (uint8_t)v;
    }
}

// `rows` rows of the half-up requantization (the fallback of every vector path for blocks
// whose multipliers or shifts the vector code does not take).
static void requantize_rows_half_up(const int32_t *acc, ptrdiff_t acc_stride, ptrdiff_t rows, const int32_t *bias,
                                    const int32_t *multiplier, const int32_t *shift, int32_t zero_point, int32_t qmin,
                                    int32_t qmax, uint8_t *out, ptrdiff_t out_stride, ptrdiff_t n) {
    for (ptrdiff_t r = 0; r < rows; ++r)
        requantize_portable_half_up(acc + r * acc_stride, bias, multiplier, shift, zero_point, qmin, qmax, out + r * out_stride, n);
}

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

// Odd lanes reach vpmuldq through vpshufd (odd into even positions): written as a 64-bit right
// shift, LLVM turns the signed 32×32 multiply into a full 64-bit one (three vpmuludq).
//
// SaturatingRoundingDoublingHighMul's nudge-and-truncate, (p + nudge) / 2^31 with nudge 2^30 for
// p >= 0 and 1 - 2^30 below, equals floor((p + 2^30) / 2^31) in both cases (for p < 0,
// trunc(q / 2^31) = floor((q + 2^31 - 1) / 2^31)), so each 64-bit product needs one add, and the
// wanted 32 bits (bits 31..62) are moved into place by one shift: right by 31 for the even lanes
// (result in the low half), left by 1 for the odd lanes (result in the high half).
__attribute__((target("avx2")))
static inline __m256i srdhm_avx2(__m256i a, __m256i b) {
    const __m256i half = _mm256_set1_epi64x(1LL << 30);
    const __m256i even = _mm256_add_epi64(_mm256_mul_epi32(a, b), half);
    const __m256i odd = _mm256_add_epi64(_mm256_mul_epi32(_mm256_shuffle_epi32(a, 0xF5), _mm256_shuffle_epi32(b, 0xF5)), half);
    const __m256i merged = _mm256_blend_epi32(_mm256_srli_epi64(even, 31), _mm256_slli_epi64(odd, 1), 0xAA);
    const __m256i int_min = _mm256_set1_epi32(INT32_MIN);
    const __m256i saturate = _mm256_and_si256(_mm256_cmpeq_epi32(a, int_min), _mm256_cmpeq_epi32(b, int_min));
    return _mm256_blendv_epi8(merged, _mm256_set1_epi32(INT32_MAX), saturate);
}

__attribute__((target("avx2")))
static inline __m256i rounding_divide_avx2(__m256i x, __m256i exponent) {
    const __m256i one = _mm256_set1_epi32(1);
    const __m256i mask = _mm256_sub_epi32(_mm256_sllv_epi32(one, exponent), one);
    const __m256i remainder = _mm256_and_si256(x, mask);
    const __m256i threshold = _mm256_add_epi32(_mm256_srai_epi32(mask, 1), _mm256_and_si256(_mm256_cmpgt_epi32(_mm256_setzero_si256(), x), one));
    return _mm256_add_epi32(_mm256_srav_epi32(x, exponent), _mm256_and_si256(_mm256_cmpgt_epi32(remainder, threshold), one));
}

// MultiplyByQuantizedMultiplier with per-lane multiplier and shift.
__attribute__((target("avx2")))
static inline __m256i multiply_avx2(__m256i v, __m256i m, __m256i s) {
    const __m256i zero = _mm256_setzero_si256();
    const __m256i left = _mm256_max_epi32(s, zero), right = _mm256_max_epi32(_mm256_sub_epi32(zero, s), zero);
    return rounding_divide_avx2(srdhm_avx2(_mm256_sllv_epi32(v, left), m), right);
}

// Eight clamped int32 lanes (within the 8-bit range) as eight bytes, in the low 64 bits (kept in
// vector registers: moving the halves out through general registers stalls on Zen 3).
__attribute__((target("avx2"), always_inline))
static inline __m128i low_bytes_avx2(__m256i v) {
    const __m256i bytes = _mm256_shuffle_epi8(v, _mm256_setr_epi8(0, 4, 8, 12, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
                                                                 0, 4, 8, 12, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1));
    return _mm256_castsi256_si128(_mm256_permutevar8x32_epi32(bytes, _mm256_setr_epi32(0, 4, 1, 1, 1, 1, 1, 1)));
}

__attribute__((target("avx2"), always_inline))
static inline void store_bytes_avx2(uint8_t *out, __m256i v, ptrdiff_t count) {
    const __m128i bytes = low_bytes_avx2(v);
    if (count == 8) {
        _mm_storel_epi64((__m128i *)out, bytes);
    } else {
        uint8_t lanes[16];
        _mm_storeu_si128((__m128i *)lanes, bytes);
        for (ptrdiff_t i = 0; i < count; ++i) out[i] = lanes[i];
    }
}

__attribute__((target("avx2")))
static void requantize_avx2(const int32_t *acc, const int32_t *bias, const int32_t *multiplier, const int32_t *shift,
                            ptrdiff_t step, int32_t zero_point, int32_t qmin, int32_t qmax, uint8_t *out, ptrdiff_t n) {
    const __m256i zero = _mm256_setzero_si256();
    const __m256i zp = _mm256_set1_epi32(zero_point), lo = _mm256_set1_epi32(qmin), hi = _mm256_set1_epi32(qmax);
    ptrdiff_t i = 0;
    for (; i + 8 <= n; i += 8) {
        __m256i v = _mm256_loadu_si256((const __m256i *)(acc + i));
        if (bias) v = _mm256_add_epi32(v, _mm256_loadu_si256((const __m256i *)(bias + i)));
        const __m256i s = step ? _mm256_loadu_si256((const __m256i *)(shift + i)) : _mm256_set1_epi32(shift[0]);
        const __m256i m = step ? _mm256_loadu_si256((const __m256i *)(multiplier + i)) : _mm256_set1_epi32(multiplier[0]);
        v = multiply_avx2(v, m, s);
        v = _mm256_min_epi32(_mm256_max_epi32(_mm256_add_epi32(v, zp), lo), hi);
        store_bytes_avx2(out + i, v, 8);
    }
    if (i < n) requantize_portable(acc + i, bias ? bias + i : 0, multiplier + i * step, shift + i * step, step, zero_point, qmin, qmax, out + i, n - i);
}

__attribute__((target("avx512f,avx512bw")))
static inline __m512i multiply_avx512(__m512i v, __m512i m, __m512i s) {
    const __m512i zero = _mm512_setzero_si512(), one = _mm512_set1_epi32(1);
    const __m512i left = _mm512_max_epi32(s, zero), right = _mm512_max_epi32(_mm512_sub_epi32(zero, s), zero);
    v = _mm512_sllv_epi32(v, left);
    // SaturatingRoundingDoublingHighMul on even and odd lanes as 64-bit products (see srdhm_avx2).
    const __m512i half = _mm512_set1_epi64(1LL << 30);
    const __m512i even = _mm512_add_epi64(_mm512_mul_epi32(v, m), half);
    const __m512i odd = _mm512_add_epi64(_mm512_mul_epi32(_mm512_shuffle_epi32(v, (_MM_PERM_ENUM)0xF5), _mm512_shuffle_epi32(m, (_MM_PERM_ENUM)0xF5)), half);
    __m512i high = _mm512_mask_blend_epi32(0xAAAA, _mm512_srli_epi64(even, 31), _mm512_slli_epi64(odd, 1));
    const __mmask16 saturate = _mm512_cmpeq_epi32_mask(v, _mm512_set1_epi32(INT32_MIN)) & _mm512_cmpeq_epi32_mask(m, _mm512_set1_epi32(INT32_MIN));
    high = _mm512_mask_mov_epi32(high, saturate, _mm512_set1_epi32(INT32_MAX));
    // RoundingDivideByPOT by the per-lane right shift.
    const __m512i mask = _mm512_sub_epi32(_mm512_sllv_epi32(one, right), one);
    const __m512i remainder = _mm512_and_si512(high, mask);
    const __m512i threshold = _mm512_mask_add_epi32(_mm512_srai_epi32(mask, 1), _mm512_cmplt_epi32_mask(high, zero), _mm512_srai_epi32(mask, 1), one);
    v = _mm512_mask_add_epi32(_mm512_srav_epi32(high, right), _mm512_cmpgt_epi32_mask(remainder, threshold), _mm512_srav_epi32(high, right), one);
    return v;
}

__attribute__((target("avx512f,avx512bw")))
static void requantize_avx512(const int32_t *acc, const int32_t *bias, const int32_t *multiplier, const int32_t *shift,
                              ptrdiff_t step, int32_t zero_point, int32_t qmin, int32_t qmax, uint8_t *out, ptrdiff_t n) {
    const __m512i zp = _mm512_set1_epi32(zero_point), lo = _mm512_set1_epi32(qmin), hi = _mm512_set1_epi32(qmax);
    ptrdiff_t i = 0;
    for (; i + 16 <= n; i += 16) {
        __m512i v = _mm512_loadu_si512(acc + i);
        if (bias) v = _mm512_add_epi32(v, _mm512_loadu_si512(bias + i));
        const __m512i s = step ? _mm512_loadu_si512(shift + i) : _mm512_set1_epi32(shift[0]);
        const __m512i m = step ? _mm512_loadu_si512(multiplier + i) : _mm512_set1_epi32(multiplier[0]);
        v = multiply_avx512(v, m, s);
        v = _mm512_min_epi32(_mm512_max_epi32(_mm512_add_epi32(v, zp), lo), hi);
        _mm_storeu_si128((__m128i *)(out + i), tfl_narrow_epi32_epi8(v));
    }
    if (i < n) requantize_avx2(acc + i, bias ? bias + i : 0, multiplier + i * step, shift + i * step, step, zero_point, qmin, qmax, out + i, n - i);
}
#endif

#if defined(__aarch64__)
#include <arm_neon.h>

// MultiplyByQuantizedMultiplier in NEON, as gemmlowp wrote it for NEON: sqrdmulh is
// SaturatingRoundingDoublingHighMul exactly (floor((2ab + 2^31) / 2^32), INT32_MIN² saturated),
// and RoundingDivideByPOT by e > 0 is srshl by −e after adding −1 to negative values (srshl
// rounds halves up; the −1 turns that into rounding them away from zero). `right` is −e ≤ 0.
// Without the −1 (`half_up`), srshl's halves-up rounding is TFL_ROUNDING_HALF_UP's second step,
// and sqrdmulh its first (floor((2ab + 2^31) / 2^32) = floor((ab + 2^30) / 2^31)).
static inline int32x4_t multiply_neon(int32x4_t v, int32x4_t m, int32x4_t left, int32x4_t right, const int half_up) {
    v = vqrdmulhq_s32(vshlq_s32(v, left), m);
    if (half_up) return vrshlq_s32(v, right);
    const int32x4_t fixup = vshrq_n_s32(vandq_s32(v, right), 31);
    return vrshlq_s32(vqaddq_s32(v, fixup), right);
}

// Eight outputs: the sums plus bias, requantized, plus the zero point, clamped, as bytes.
static inline uint8x8_t requantize8_neon(int32x4_t a0, int32x4_t a1, const int32_t *multiplier, const int32_t *shift,
                                         ptrdiff_t step, int32x4_t zero_point, int32x4_t low, int32x4_t high, const int half_up) {
    const int32x4_t zero = vdupq_n_s32(0);
    int32x4_t m0, m1, s0, s1;
    if (step) {
        m0 = vld1q_s32(multiplier), m1 = vld1q_s32(multiplier + 4);
        s0 = vld1q_s32(shift), s1 = vld1q_s32(shift + 4);
    } else {
        m0 = m1 = vdupq_n_s32(multiplier[0]);
        s0 = s1 = vdupq_n_s32(shift[0]);
    }
    a0 = multiply_neon(a0, m0, vmaxq_s32(s0, zero), vminq_s32(s0, zero), half_up);
    a1 = multiply_neon(a1, m1, vmaxq_s32(s1, zero), vminq_s32(s1, zero), half_up);
    a0 = vminq_s32(vmaxq_s32(vaddq_s32(a0, zero_point), low), high);
    a1 = vminq_s32(vmaxq_s32(vaddq_s32(a1, zero_point), low), high);
    return vreinterpret_u8_s8(vmovn_s16(vcombine_s16(vmovn_s32(a0), vmovn_s32(a1))));
}

// Whether every shift is one QuantizeMultiplier yields (−31 … 31), which the NEON shifts take
// as the portable code does.
static int shifts_in_range(const int32_t *shift, ptrdiff_t count) {
    for (ptrdiff_t i = 0; i < count; ++i)
        if (shift[i] < -31 || shift[i] > 31) return 0;
    return 1;
}

static void requantize_neon_rounding(const int32_t *acc, const int32_t *bias, const int32_t *multiplier, const int32_t *shift,
                                     ptrdiff_t step, int32_t zero_point, int32_t qmin, int32_t qmax, uint8_t *out, ptrdiff_t n,
                                     const int half_up) {
    const int32x4_t zp = vdupq_n_s32(zero_point), low = vdupq_n_s32(qmin), high = vdupq_n_s32(qmax);
    ptrdiff_t i = 0;
    for (; i + 8 <= n; i += 8) {
        int32x4_t a0 = vld1q_s32(acc + i), a1 = vld1q_s32(acc + i + 4);
        if (bias) a0 = vaddq_s32(a0, vld1q_s32(bias + i)), a1 = vaddq_s32(a1, vld1q_s32(bias + i + 4));
        vst1_u8(out + i, requantize8_neon(a0, a1, multiplier + i * step, shift + i * step, step, zp, low, high, half_up));
    }
    if (i >= n) return;
    if (half_up) requantize_portable_half_up(acc + i, bias ? bias + i : 0, multiplier + i * step, shift + i * step, zero_point, qmin, qmax, out + i, n - i);
    else requantize_portable(acc + i, bias ? bias + i : 0, multiplier + i * step, shift + i * step, step, zero_point, qmin, qmax, out + i, n - i);
}

static void requantize_neon(const int32_t *acc, const int32_t *bias, const int32_t *multiplier, const int32_t *shift,
                            ptrdiff_t step, int32_t zero_point, int32_t qmin, int32_t qmax, uint8_t *out, ptrdiff_t n) {
    requantize_neon_rounding(acc, bias, multiplier, shift, step, zero_point, qmin, qmax, out, n, 0);
}
#endif

#if defined(__aarch64__)
// NEON where every shift is within its range, else portable.
static void requantize_neon_checked(const int32_t *acc, const int32_t *bias, const int32_t *multiplier, const int32_t *shift,
                                    ptrdiff_t step, int32_t zero_point, int32_t qmin, int32_t qmax, uint8_t *out, ptrdiff_t n) {
    if (shifts_in_range(shift, step ? n : 1)) requantize_neon(acc, bias, multiplier, shift, step, zero_point, qmin, qmax, out, n);
    else requantize_portable(acc, bias, multiplier, shift, step, zero_point, qmin, qmax, out, n);
}
#endif

void tfl_requantize_8bit(const int32_t *acc, const int32_t *bias, const int32_t *multiplier, const int32_t *shift,
                         int32_t zero_point, int32_t qmin, int32_t qmax, uint8_t *out, ptrdiff_t n, tfl_rounding rounding) {
    tfl_requantize_8bit_rows(acc, 0, 1, bias, multiplier, shift, zero_point, qmin, qmax, out, 0, n, rounding);
}

void tfl_requantize_8bit_uniform(const int32_t *acc, int32_t multiplier, int32_t shift,
                                 int32_t zero_point, int32_t qmin, int32_t qmax, uint8_t *out, ptrdiff_t n) {
    tfl_kernels_current()->requantize(acc, 0, &multiplier, &shift, 0, zero_point, qmin, qmax, out, n);
}

// MARK: rows

#if defined(__x86_64__) || defined(__i386__)
// MultiplyByQuantizedMultiplier for 16 channels with the rounding done once, in 64 bits: with
// p = x · m and a = p + 2^30, SaturatingRoundingDoublingHighMul is floor(a / 2^31) (see
// srdhm_avx2), and RoundingDivideByPOT by r > 0 of that is floor((t + 2^(r−1) − [t < 0]) / 2^r),
// t < 0 exactly when a < 0; the two floors nest into one:
//     floor((p + 2^30 + 2^(30+r) − [p < −2^30] · 2^31) / 2^(31+r)),
// and r = 0 is floor((p + 2^30) / 2^31). The output zero point z joins the same sum as
// z · 2^(31+r) (exact while 31 + r + 8 < 63, i.e. r ≤ 23; the low 32 bits then equal the 32-bit
// wrapping sum LiteRT forms). Even channels use the low halves of the 64-bit lanes, odd channels
// the high halves shifted down. Saturation (x = m = INT32_MIN) cannot happen unless a multiplier
// is INT32_MIN, which QuantizeMultiplier never yields from a positive scale; blocks holding one,
// or a shift beyond 23, take the 32-bit path (multiply_avx512).
typedef struct {
    __m512i left, m_odd, k_even, k_odd, c_even, c_odd, s_even, s_odd, r_less, t_even, t_odd;
} rounding64;

__attribute__((target("avx512f,avx512bw,avx512vl")))
static inline rounding64 rounding64_make(__m512i s, __m512i m, int32_t zero_point) {
    const __m512i zero = _mm512_setzero_si512(), low32 = _mm512_set1_epi64(0xFFFFFFFFLL);
    const __m512i right = _mm512_max_epi32(_mm512_sub_epi32(zero, s), zero);
    const __m512i r_even = _mm512_and_si512(right, low32), r_odd = _mm512_srli_epi64(right, 32);
    const __m512i half = _mm512_set1_epi64(1LL << 30), one = _mm512_set1_epi64(1), thirty = _mm512_set1_epi64(30);
    const __m512i correction = _mm512_set1_epi64(-(1LL << 31)), base = _mm512_set1_epi64(31);
    const __m512i z = _mm512_set1_epi64(zero_point);
    const __mmask8 e = _mm512_cmpgt_epi64_mask(r_even, zero), o = _mm512_cmpgt_epi64_mask(r_odd, zero);
    rounding64 q;
    q.left = _mm512_max_epi32(s, zero);
    q.m_odd = _mm512_shuffle_epi32(m, (_MM_PERM_ENUM)0xF5);
    q.s_even = _mm512_add_epi64(r_even, base);
    q.s_odd = _mm512_add_epi64(r_odd, base);
    q.k_even = _mm512_add_epi64(_mm512_mask_add_epi64(half, e, half, _mm512_sllv_epi64(one, _mm512_add_epi64(r_even, thirty))),
                                _mm512_sllv_epi64(z, q.s_even));
    q.k_odd = _mm512_add_epi64(_mm512_mask_add_epi64(half, o, half, _mm512_sllv_epi64(one, _mm512_add_epi64(r_odd, thirty))),
                               _mm512_sllv_epi64(z, q.s_odd));
    q.c_even = _mm512_maskz_mov_epi64(e, correction);
    q.c_odd = _mm512_maskz_mov_epi64(o, correction);
    q.r_less = _mm512_sub_epi32(right, _mm512_set1_epi32(1));
    q.t_even = q.t_odd = _mm512_set1_epi64(-(1LL << 30));
    return q;
}

// Folds a bias b into q (no left shifts): (x + b) · m = x · m + b · m, so b · m joins the
// constant sums k and the correction's threshold (p < −2^30 becomes x · m < −2^30 − b · m), and
// the row loop multiplies the accumulators as loaded, one add fewer per vector. Exact while
// x + b fits in 32 bits (as LiteRT's own int32 sum must: signed overflow is undefined in C++):
// then |x · m + b · m| < 2^62 and every 64-bit sum stays exact.
__attribute__((target("avx512f,avx512bw,avx512vl")))
static inline void rounding64_fold_bias(rounding64 *q, __m512i b, __m512i m) {
    const __m512i be = _mm512_mul_epi32(b, m), bo = _mm512_mul_epi32(_mm512_srli_epi64(b, 32), q->m_odd);
    q->k_even = _mm512_add_epi64(q->k_even, be);
    q->k_odd = _mm512_add_epi64(q->k_odd, bo);
    q->t_even = _mm512_sub_epi64(q->t_even, be);
    q->t_odd = _mm512_sub_epi64(q->t_odd, bo);
}

// (x · m · 2^shift + z) for 16 channels; `shifted` (left shifts present in the block) and
// `correct` are constants after inlining. The correction term only matters where a < 0, and
// there the uncorrected floor is at most 0 as well (a + 2^(30+r) < 2^(31+r)), as is the exact
// result: both land at or below z. So where the clamp's lower bound is at or above z (any
// ReLU-family activation), `correct` 0 gives the same clamped outputs. `high` (every lane's
// r ≥ 1, so 31 + r ≥ 32, and no left shifts): floor(y / 2^(31+r)) = floor(floor(y / 2^32) /
// 2^(r−1)), and floor(y / 2^32) is each 64-bit sum's high half (within 32 bits for r ≤ 23), so
// the two high halves interleave in one shuffle and one 32-bit shift finishes, in place of two
// 64-bit shifts and the interleave.
// `odd`: the odd channels in the even lanes (the block loaded one channel on), or 0 to move them
// there with a shift.
__attribute__((target("avx512f,avx512bw,avx512vl"), always_inline))
static inline __m512i multiply_rounding64_odd(__m512i v, __m512i odd, __m512i m, const rounding64 *q, const int shifted,
                                              const int correct, const int high, const int loaded_odd) {
    if (shifted) v = _mm512_sllv_epi32(v, q->left);
    const __m512i pe = _mm512_mul_epi32(v, m), po = _mm512_mul_epi32(loaded_odd ? odd : _mm512_srli_epi64(v, 32), q->m_odd);
    __m512i se = _mm512_add_epi64(pe, q->k_even), so = _mm512_add_epi64(po, q->k_odd);
    if (correct) {
        se = _mm512_mask_add_epi64(se, _mm512_cmplt_epi64_mask(pe, q->t_even), se, q->c_even);
        so = _mm512_mask_add_epi64(so, _mm512_cmplt_epi64_mask(po, q->t_odd), so, q->c_odd);
    }
    // Even elements take se's high halves (one in-lane shuffle, merged), odd ones keep so's.
    if (high && !shifted) return _mm512_srav_epi32(_mm512_mask_shuffle_epi32(so, (__mmask16)0x5555, se, (_MM_PERM_ENUM)0xF5), q->r_less);
    const __m512i re = _mm512_srav_epi64(se, q->s_even), ro = _mm512_srav_epi64(so, q->s_odd);
    // Odd results (low halves of ro) into the high halves: element 2i+1 ← ro element 2i.
    return _mm512_mask_shuffle_epi32(re, (__mmask16)0xAAAA, ro, (_MM_PERM_ENUM)0xA0);
}

__attribute__((target("avx512f,avx512bw,avx512vl"), always_inline))
static inline __m512i multiply_rounding64(__m512i v, __m512i m, const rounding64 *q, const int shifted, const int correct,
                                          const int high) {
    return multiply_rounding64_odd(v, _mm512_setzero_si512(), m, q, shifted, correct, high, 0);
}

// One block of 16 channels (`mask` for a tail) over rows [first, rows). `clamp` 0 (int8 outputs over
// the whole −128…127): narrowed with signed saturation; 1: clamped in 32 bits, then narrowed by
// truncation. `store` 1 narrows straight into memory (vpmov[s]db to m128): on Zen 5 that
// measured 0.3 cycles a vector faster than the register form and a store, on Zen 4 several times
// slower (narrow.h). Without left shifts the odd channels come from a second load one channel
// on, in place of a shift (the shift unit is the loop's bottleneck on Zen 5); that load reads
// up to one element past the block, inside the buffer for every row but the last when the rows
// are 16 or more elements apart; the last row shifts. Constants after inlining.
__attribute__((target("avx512f,avx512bw,avx512vl"), always_inline))
static inline void requantize_rows_block(const int32_t *acc, ptrdiff_t acc_stride, ptrdiff_t first, ptrdiff_t rows, __m512i b,
                                         __m512i m, const rounding64 *q, int32_t qmin, int32_t qmax, uint8_t *out,
                                         ptrdiff_t out_stride, __mmask16 mask, const int shifted, const int clamp,
                                         const int correct, const int high, const int paired, const int store,
                                         const int loaded_odd) {
    const __m512i lo = _mm512_set1_epi32(qmin), hi = _mm512_set1_epi32(qmax);
    const __mmask8 half = (__mmask8)mask;
    for (ptrdiff_t r = first; r < rows; r += paired ? 2 : 1) {
        __m512i v, odd = _mm512_setzero_si512();
        const int32_t *a = acc + r * acc_stride;
        if (paired) {  // rows r and r + 1 (r again past the last) in the two halves
            const int32_t *next = acc + (r + 1 < rows ? r + 1 : r) * acc_stride;
            v = _mm512_inserti64x4(_mm512_castsi256_si512(_mm256_maskz_loadu_epi32(half, a)), _mm256_maskz_loadu_epi32(half, next), 1);
        } else {
            v = mask == 0xFFFF ? _mm512_loadu_si512(a) : _mm512_maskz_loadu_epi32(mask, a);
        }
        if (loaded_odd) odd = _mm512_loadu_si512(a + 1);
        if (shifted) v = _mm512_add_epi32(v, b);  // else folded into q (rounding64_fold_bias)
        v = multiply_rounding64_odd(v, odd, m, q, shifted, correct, high, loaded_odd);
        uint8_t *o = out + r * out_stride;
        if (clamp) v = _mm512_min_epi32(_mm512_max_epi32(v, lo), hi);
        if (store && !paired) {
            if (clamp) _mm512_mask_cvtepi32_storeu_epi8(o, mask, v);
            else _mm512_mask_cvtsepi32_storeu_epi8(o, mask, v);
            continue;
        }
        __m128i bytes;
        if (clamp) {
            bytes = tfl_narrow_epi32_epi8(v);
        } else {
            bytes = _mm512_cvtsepi32_epi8(v);
            __asm__("" : "+x"(bytes));
        }
        if (paired) {
            _mm_mask_storeu_epi8(o, (__mmask16)half, bytes);
            if (r + 1 < rows) _mm_mask_storeu_epi8(o + out_stride, (__mmask16)half, _mm_srli_si128(bytes, 8));
        } else if (mask == 0xFFFF) {
            _mm_storeu_si128((__m128i *)o, bytes);
        } else {
            _mm_mask_storeu_epi8(o, mask, bytes);
        }
    }
}

__attribute__((target("avx512f,avx512bw,avx512vl"), always_inline))
static inline void requantize_block_avx512(const int32_t *acc, ptrdiff_t acc_stride, ptrdiff_t rows, __m512i b, __m512i m,
                                           const rounding64 *q, int32_t qmin, int32_t qmax, uint8_t *out,
                                           ptrdiff_t out_stride, __mmask16 mask, const int shifted, const int clamp,
                                           const int correct, const int high, const int paired, const int store) {
    const ptrdiff_t odd_rows = !shifted && !paired && acc_stride >= 16 ? rows - 1 : 0;
    requantize_rows_block(acc, acc_stride, 0, odd_rows, b, m, q, qmin, qmax, out, out_stride, mask, shifted, clamp, correct, high,
                          paired, store, 1);
    requantize_rows_block(acc, acc_stride, odd_rows, rows, b, m, q, qmin, qmax, out, out_stride, mask, shifted, clamp, correct,
                          high, paired, store, 0);
}

// One block's rows by the variant its flags pick (constants in each call below): `correct` as
// multiply_rounding64 takes it (always with left shifts, in gemmlowp's rounding).
__attribute__((target("avx512f,avx512bw,avx512vl"), always_inline))
static inline void requantize_ladder_avx512(const int32_t *a, ptrdiff_t acc_stride, ptrdiff_t rows, __m512i bv, __m512i mv,
                                            const rounding64 *q, int32_t qmin, int32_t qmax, uint8_t *o, ptrdiff_t out_stride,
                                            __mmask16 mask, int paired, int shifted, int high, int clamp, int correct,
                                            const int store) {
#define REQUANTIZE_BLOCK(MASK, SHIFTED, CLAMP, CORRECT, HIGH, PAIRED)                                                 \
    requantize_block_avx512(a, acc_stride, rows, bv, mv, q, qmin, qmax, o, out_stride, MASK, SHIFTED, CLAMP, CORRECT, HIGH, \
                            PAIRED, store)
#define REQUANTIZE_LADDER(MASK, PAIRED)                                      \
    if (shifted && correct) REQUANTIZE_BLOCK(MASK, 1, 1, 1, 0, PAIRED);     \
    else if (shifted) REQUANTIZE_BLOCK(MASK, 1, 1, 0, 0, PAIRED);           \
    else if (!high) REQUANTIZE_BLOCK(MASK, 0, 1, correct, 0, PAIRED);       \
    else if (clamp && !correct) REQUANTIZE_BLOCK(MASK, 0, 1, 0, 1, PAIRED); \
    else if (clamp) REQUANTIZE_BLOCK(MASK, 0, 1, 1, 1, PAIRED);             \
    else if (!correct) REQUANTIZE_BLOCK(MASK, 0, 0, 0, 1, PAIRED);          \
    else REQUANTIZE_BLOCK(MASK, 0, 0, 1, 1, PAIRED);
    if (paired) { REQUANTIZE_LADDER(mask, 1) }
    else if (mask != 0xFFFF) { REQUANTIZE_LADDER(mask, 0) }
    else { REQUANTIZE_LADDER(0xFFFF, 0) }
#undef REQUANTIZE_LADDER
#undef REQUANTIZE_BLOCK
}

// A vector's low eight lanes in both halves.
__attribute__((target("avx512f,avx512bw,avx512vl"), always_inline))
static inline __m512i duplicate_low_half(__m512i v) {
    return _mm512_inserti64x4(v, _mm512_castsi512_si256(v), 1);
}

__attribute__((target("avx512f,avx512bw,avx512vl"), always_inline))
static inline void requantize_rows_avx512_body(const int32_t *acc, ptrdiff_t acc_stride, ptrdiff_t rows, const int32_t *bias,
                                               const int32_t *multiplier, const int32_t *shift, int32_t zero_point,
                                               int32_t qmin, int32_t qmax, uint8_t *out, ptrdiff_t out_stride, ptrdiff_t n,
                                               tfl_rounding rounding, const int store) {
    const __m512i zp = _mm512_set1_epi32(zero_point), lo = _mm512_set1_epi32(qmin), hi = _mm512_set1_epi32(qmax);
    const int clamp = qmin != -128 || qmax != 127;  // else int8 outputs over the whole range, by saturation
    // Half-up rounding is the same single floor without the correction for negative products
    // (floor((floor(a / 2^31) + 2^(r−1)) / 2^r) = floor((a + 2^(30+r)) / 2^(31+r))).
    const int half_up = rounding == TFL_ROUNDING_HALF_UP;
    const int correct = !half_up && qmin < zero_point;  // see multiply_rounding64
    // Channel blocks outside, rows inside: each block's multipliers, shifts and bias load once.
    for (ptrdiff_t c = 0; c < n; c += 16) {
        const __mmask16 mask = n - c >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (n - c)) - 1);
        const __m512i m = _mm512_maskz_loadu_epi32(mask, multiplier + c);
        const __m512i s = _mm512_maskz_loadu_epi32(mask, shift + c);
        const __m512i b = bias ? _mm512_maskz_loadu_epi32(mask, bias + c) : _mm512_setzero_si512();
        if (_mm512_cmpeq_epi32_mask(m, _mm512_set1_epi32(INT32_MIN)) || _mm512_cmplt_epi32_mask(s, _mm512_set1_epi32(-23))) {
            if (half_up) {
                requantize_rows_half_up(acc + c, acc_stride, rows, bias ? bias + c : 0, multiplier + c, shift + c, zero_point,
                                        qmin, qmax, out + c, out_stride, n - c < 16 ? n - c : 16);
                continue;
            }
            for (ptrdiff_t r = 0; r < rows; ++r) {
                __m512i v = _mm512_add_epi32(_mm512_maskz_loadu_epi32(mask, acc + r * acc_stride + c), b);
                v = multiply_avx512(v, m, s);
                v = _mm512_min_epi32(_mm512_max_epi32(_mm512_add_epi32(v, zp), lo), hi);
                _mm_mask_storeu_epi8(out + r * out_stride + c, mask, tfl_narrow_epi32_epi8(v));
            }
            continue;
        }
        // A tail of at most eight channels takes two rows a vector: its lanes in both halves.
        const int paired = n - c <= 8 && rows > 1;
        const __m512i bv = paired ? duplicate_low_half(b) : b, mv = paired ? duplicate_low_half(m) : m;
        const __m512i sv = paired ? duplicate_low_half(s) : s;
        const __mmask16 lanes = paired ? (__mmask16)(mask | (mask << 8)) : mask;
        rounding64 q = rounding64_make(sv, mv, zero_point);
        const int shifted = _mm512_cmpgt_epi32_mask(sv, _mm512_setzero_si512()) != 0;
        if (!shifted) rounding64_fold_bias(&q, bv, mv);
        // Every channel shifting right by 1 or more: the high-half finish (see multiply_rounding64;
        // lanes past the channels have m = 0 and are never stored).
        const int high = !_mm512_mask_cmpgt_epi32_mask(lanes, sv, _mm512_set1_epi32(-1));
        requantize_ladder_avx512(acc + c, acc_stride, rows, bv, mv, &q, qmin, qmax, out + c, out_stride, mask, paired, shifted,
                                 high, clamp, shifted ? !half_up : correct, store);
    }
}

__attribute__((target("avx512f,avx512bw,avx512vl")))
static void requantize_rows_avx512(const int32_t *acc, ptrdiff_t acc_stride, ptrdiff_t rows, const int32_t *bias,
                                   const int32_t *multiplier, const int32_t *shift, int32_t zero_point, int32_t qmin,
                                   int32_t qmax, uint8_t *out, ptrdiff_t out_stride, ptrdiff_t n, tfl_rounding rounding) {
    requantize_rows_avx512_body(acc, acc_stride, rows, bias, multiplier, shift, zero_point, qmin, qmax, out, out_stride, n,
                                rounding, 0);
}

// requantize_rows_avx512 narrowing straight into memory (see requantize_rows_block).
__attribute__((target("avx512f,avx512bw,avx512vl")))
static void requantize_rows_avx512_store(const int32_t *acc, ptrdiff_t acc_stride, ptrdiff_t rows, const int32_t *bias,
                                         const int32_t *multiplier, const int32_t *shift, int32_t zero_point, int32_t qmin,
                                         int32_t qmax, uint8_t *out, ptrdiff_t out_stride, ptrdiff_t n, tfl_rounding rounding) {
    requantize_rows_avx512_body(acc, acc_stride, rows, bias, multiplier, shift, zero_point, qmin, qmax, out, out_stride, n,
                                rounding, 1);
}

// AVX2 rows: the same single 64-bit floor as rounding64 (z left out, added after in 32 bits),
// with AVX2's missing arithmetic 64-bit shift replaced by an offset: the sums lie in
// (−2^62, 2^63 + 2^54) once 2^62 is added (|x · m| < 2^62), so as unsigned values they shift
// logically, and floor((u + 2^62) / 2^s) − 2^(62−s) is the signed floor; only the low 32 bits
// are kept, so the subtraction is a 32-bit one. Blocks with a negative multiplier or a shift
// beyond −23 take the 32-bit path (multiply_avx2).
typedef struct {
    __m256i left, m_odd, k_even, k_odd, c_even, c_odd, s_even, s_odd, d;
} rounding64_avx2;

__attribute__((target("avx2"), always_inline))
static inline rounding64_avx2 rounding64_avx2_make(__m256i s, __m256i m) {
    const __m256i zero = _mm256_setzero_si256(), low32 = _mm256_set1_epi64x(0xFFFFFFFFLL);
    const __m256i right = _mm256_max_epi32(_mm256_sub_epi32(zero, s), zero);
    const __m256i r_even = _mm256_and_si256(right, low32), r_odd = _mm256_srli_epi64(right, 32);
    const __m256i base = _mm256_set1_epi64x((1LL << 62) + (1LL << 30)), one = _mm256_set1_epi64x(1);
    const __m256i thirty = _mm256_set1_epi64x(30), thirty_one = _mm256_set1_epi64x(31);
    const __m256i correction = _mm256_set1_epi64x(-(1LL << 31));
    const __m256i e = _mm256_cmpgt_epi64(r_even, zero), o = _mm256_cmpgt_epi64(r_odd, zero);
    rounding64_avx2 q;
    q.left = _mm256_max_epi32(s, zero);
    q.m_odd = _mm256_shuffle_epi32(m, 0xF5);
    q.s_even = _mm256_add_epi64(r_even, thirty_one);
    q.s_odd = _mm256_add_epi64(r_odd, thirty_one);
    q.k_even = _mm256_add_epi64(base, _mm256_and_si256(e, _mm256_sllv_epi64(one, _mm256_add_epi64(r_even, thirty))));
    q.k_odd = _mm256_add_epi64(base, _mm256_and_si256(o, _mm256_sllv_epi64(one, _mm256_add_epi64(r_odd, thirty))));
    q.c_even = _mm256_and_si256(e, correction);
    q.c_odd = _mm256_and_si256(o, correction);
    // 2^(62 − s) = 2^(31 − r) per 32-bit lane (2^31 wraps to INT32_MIN, as it should).
    q.d = _mm256_sllv_epi32(_mm256_set1_epi32(1), _mm256_sub_epi32(_mm256_set1_epi32(31), right));
    return q;
}

__attribute__((target("avx2"), always_inline))
static inline __m256i multiply_rounding64_avx2(__m256i v, __m256i m, const rounding64_avx2 *q, const int shifted, const int correct) {
    const __m256i below = _mm256_set1_epi64x(-(1LL << 30));
    if (shifted) v = _mm256_sllv_epi32(v, q->left);
    const __m256i pe = _mm256_mul_epi32(v, m), po = _mm256_mul_epi32(_mm256_shuffle_epi32(v, 0xF5), q->m_odd);
    __m256i se = _mm256_add_epi64(pe, q->k_even), so = _mm256_add_epi64(po, q->k_odd);
    if (correct) {  // see multiply_rounding64
        se = _mm256_add_epi64(se, _mm256_and_si256(_mm256_cmpgt_epi64(below, pe), q->c_even));
        so = _mm256_add_epi64(so, _mm256_and_si256(_mm256_cmpgt_epi64(below, po), q->c_odd));
    }
    const __m256i re = _mm256_srlv_epi64(se, q->s_even), ro = _mm256_srlv_epi64(so, q->s_odd);
    return _mm256_sub_epi32(_mm256_blend_epi32(re, _mm256_slli_epi64(ro, 32), 0xAA), q->d);
}

// One block of 8 channels (`left` < 8 for a tail, `full` 0) over `rows` rows.
__attribute__((target("avx2"), always_inline))
static inline void requantize_block_avx2(const int32_t *acc, ptrdiff_t acc_stride, ptrdiff_t rows, __m256i b, __m256i m,
                                         const rounding64_avx2 *q, __m256i zp, __m256i lo, __m256i hi, uint8_t *out,
                                         ptrdiff_t out_stride, __m256i mask, ptrdiff_t left, const int full, const int shifted,
                                         const int correct) {
    for (ptrdiff_t r = 0; r < rows; ++r) {
        const int32_t *a = acc + r * acc_stride;
        __m256i v = full ? _mm256_loadu_si256((const __m256i *)a) : _mm256_maskload_epi32(a, mask);
        v = multiply_rounding64_avx2(_mm256_add_epi32(v, b), m, q, shifted, correct);
        v = _mm256_min_epi32(_mm256_max_epi32(_mm256_add_epi32(v, zp), lo), hi);
        store_bytes_avx2(out + r * out_stride, v, full ? 8 : left);
    }
}

__attribute__((target("avx2")))
static void requantize_rows_avx2(const int32_t *acc, ptrdiff_t acc_stride, ptrdiff_t rows, const int32_t *bias,
                                 const int32_t *multiplier, const int32_t *shift, int32_t zero_point, int32_t qmin,
                                 int32_t qmax, uint8_t *out, ptrdiff_t out_stride, ptrdiff_t n, tfl_rounding rounding) {
    const __m256i zp = _mm256_set1_epi32(zero_point), lo = _mm256_set1_epi32(qmin), hi = _mm256_set1_epi32(qmax);
    const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    const int half_up = rounding == TFL_ROUNDING_HALF_UP;  // no correction (see requantize_rows_avx512)
    const int correct = !half_up && qmin < zero_point;  // see multiply_rounding64
    for (ptrdiff_t c = 0; c < n; c += 8) {
        const ptrdiff_t left = n - c < 8 ? n - c : 8;
        const __m256i mask = _mm256_cmpgt_epi32(_mm256_set1_epi32((int)left), lanes);
        const __m256i m = _mm256_maskload_epi32(multiplier + c, mask);
        const __m256i s = _mm256_maskload_epi32(shift + c, mask);
        const __m256i b = bias ? _mm256_maskload_epi32(bias + c, mask) : _mm256_setzero_si256();
        const int32_t *a = acc + c;
        uint8_t *o = out + c;
        if (_mm256_movemask_ps(_mm256_castsi256_ps(_mm256_or_si256(m, _mm256_cmpgt_epi32(_mm256_set1_epi32(-23), s))))) {
            if (half_up) {
                requantize_rows_half_up(a, acc_stride, rows, bias ? bias + c : 0, multiplier + c, shift + c, zero_point, qmin,
                                        qmax, o, out_stride, left);
                continue;
            }
            for (ptrdiff_t r = 0; r < rows; ++r) {
                __m256i v = _mm256_add_epi32(_mm256_maskload_epi32(a + r * acc_stride, mask), b);
                v = _mm256_min_epi32(_mm256_max_epi32(_mm256_add_epi32(multiply_avx2(v, m, s), zp), lo), hi);
                store_bytes_avx2(o + r * out_stride, v, left);
            }
            continue;
        }
        const rounding64_avx2 q = rounding64_avx2_make(s, m);
        const int shifted = _mm256_movemask_ps(_mm256_castsi256_ps(_mm256_cmpgt_epi32(s, _mm256_setzero_si256()))) != 0;
        if (left < 8) requantize_block_avx2(a, acc_stride, rows, b, m, &q, zp, lo, hi, o, out_stride, mask, left, 0, shifted, !half_up);
        else if (shifted) requantize_block_avx2(a, acc_stride, rows, b, m, &q, zp, lo, hi, o, out_stride, mask, 8, 1, 1, !half_up);
        else if (correct) requantize_block_avx2(a, acc_stride, rows, b, m, &q, zp, lo, hi, o, out_stride, mask, 8, 1, 0, 1);
        else requantize_block_avx2(a, acc_stride, rows, b, m, &q, zp, lo, hi, o, out_stride, mask, 8, 1, 0, 0);
    }
}
#endif

static void requantize_rows_portable(const int32_t *acc, ptrdiff_t acc_stride, ptrdiff_t rows, const int32_t *bias,
                                     const int32_t *multiplier, const int32_t *shift, int32_t zero_point, int32_t qmin,
                                     int32_t qmax, uint8_t *out, ptrdiff_t out_stride, ptrdiff_t n, tfl_rounding rounding) {
    if (rounding == TFL_ROUNDING_HALF_UP) {
        requantize_rows_half_up(acc, acc_stride, rows, bias, multiplier, shift, zero_point, qmin, qmax, out, out_stride, n);
        return;
    }
    for (ptrdiff_t r = 0; r < rows; ++r)
        requantize_portable(acc + r * acc_stride, bias, multiplier, shift, 1, zero_point, qmin, qmax, out + r * out_stride, n);
}

#if defined(__aarch64__)
static void requantize_rows_neon(const int32_t *acc, ptrdiff_t acc_stride, ptrdiff_t rows, const int32_t *bias,
                                 const int32_t *multiplier, const int32_t *shift, int32_t zero_point, int32_t qmin,
                                 int32_t qmax, uint8_t *out, ptrdiff_t out_stride, ptrdiff_t n, tfl_rounding rounding) {
    if (!shifts_in_range(shift, n)) {
        requantize_rows_portable(acc, acc_stride, rows, bias, multiplier, shift, zero_point, qmin, qmax, out, out_stride, n,
                                 rounding);
        return;
    }
    const int half_up = rounding == TFL_ROUNDING_HALF_UP;
    for (ptrdiff_t r = 0; r < rows; ++r)
        requantize_neon_rounding(acc + r * acc_stride, bias, multiplier, shift, 1, zero_point, qmin, qmax, out + r * out_stride,
                                 n, half_up);
}
#endif

void tfl_requantize_8bit_rows(const int32_t *acc, ptrdiff_t acc_stride, ptrdiff_t rows, const int32_t *bias,
                              const int32_t *multiplier, const int32_t *shift, int32_t zero_point, int32_t qmin,
                              int32_t qmax, uint8_t *out, ptrdiff_t out_stride, ptrdiff_t n, tfl_rounding rounding) {
    tfl_kernels_current()->requantize_rows(acc, acc_stride, rows, bias, multiplier, shift, zero_point, qmin, qmax, out,
                                           out_stride, n, rounding);
}

// MARK: 8-bit ADD and SUB

static inline int32_t multiply_scalar(int32_t v, int32_t m, int32_t s) {
    const int left = s > 0 ? s : 0;
    const int right = s > 0 ? 0 : -s;
    return rounding_divide(srdhm((int32_t)((uint32_t)v << (left & 31)), m), right);
}

static void add_portable(const uint8_t *a, const uint8_t *b, int is_signed, int negate_b, const tfl_add_params *p,
                         uint8_t *out, ptrdiff_t n) {
    for (ptrdiff_t i = 0; i < n; ++i) {
        const int32_t x = is_signed ? (int32_t)(int8_t)a[i] : (int32_t)a[i];
        const int32_t y = is_signed ? (int32_t)(int8_t)b[i] : (int32_t)b[i];
        const int32_t sa = multiply_scalar((int32_t)((uint32_t)(x + p->offset_a) << p->left_shift), p->multiplier_a, p->shift_a);
        const int32_t sb = multiply_scalar((int32_t)((uint32_t)(y + p->offset_b) << p->left_shift), p->multiplier_b, p->shift_b);
        const int32_t sum = negate_b ? (int32_t)((uint32_t)sa - (uint32_t)sb) : (int32_t)((uint32_t)sa + (uint32_t)sb);
        int32_t v = (int32_t)((uint32_t)multiply_scalar(sum, p->multiplier_out, p->shift_out) + (uint32_t)p->zero_point_out);
        v = v < p->minimum ? p->minimum : (v > p->maximum ? p->maximum : v);
        out[i] = (uint8_t)v;
    }
}

#if defined(__x86_64__) || defined(__i386__)
// One input's rescaling, (x + offset) << left then MultiplyByQuantizedMultiplier, by `mode`
// (a constant after inlining): 0 the rows' single 64-bit floor (rounding64, any shift), 1 the
// same with the high-half finish (shift right by 1 or more), 2 a halving: the input with the
// larger scale gets exactly 1/2 (multiplier 2^30, shift 0), and with left ≥ 1 the shifted value
// is even, so SaturatingRoundingDoublingHighMul's floor((v · 2^30 + 2^30) / 2^31) is v / 2.
__attribute__((target("avx512f,avx512bw,avx512vl"), always_inline))
static inline __m512i add_input_avx512(__m512i x, __m512i offset, __m128i left, __m128i left_half, __m512i m,
                                       const rounding64 *q, const int mode) {
    x = _mm512_add_epi32(x, offset);
    if (mode == 2) return _mm512_sll_epi32(x, left_half);
    x = _mm512_sll_epi32(x, left);
    return mode == 1 ? multiply_rounding64(x, m, q, 0, 1, 1) : multiply_rounding64(x, m, q, 1, 1, 0);
}

// An input's mode for add_input_avx512.
static inline int add_input_mode(int32_t multiplier, int32_t shift, int32_t left_shift) {
    if (multiplier == (1 << 30) && shift == 0 && left_shift >= 1) return 2;
    return shift < 0 ? 1 : 0;
}

// `exact64` 1: the inputs rescaled as `mode_a` and `mode_b` say (add_input_avx512), the sum by
// the rows' single 64-bit floor with the output zero point folded in (`out_mode` 0 any shift,
// 1 the high-half finish with the correction, 2 without it: see multiply_rounding64); 0: the
// 32-bit path throughout. Constants after inlining.
__attribute__((target("avx512f,avx512bw,avx512vl"), always_inline))
static inline void add_block_avx512(const uint8_t *a, const uint8_t *b, int is_signed, int negate_b, const tfl_add_params *p,
                                    uint8_t *out, ptrdiff_t n, const int exact64, const int mode_a, const int mode_b,
                                    const int out_mode) {
    const __m512i offset_a = _mm512_set1_epi32(p->offset_a), offset_b = _mm512_set1_epi32(p->offset_b);
    const __m128i left = _mm_cvtsi32_si128(p->left_shift), left_half = _mm_cvtsi32_si128(p->left_shift - 1);
    const __m512i ma = _mm512_set1_epi32(p->multiplier_a), sa = _mm512_set1_epi32(p->shift_a);
    const __m512i mb = _mm512_set1_epi32(p->multiplier_b), sb = _mm512_set1_epi32(p->shift_b);
    const __m512i mo = _mm512_set1_epi32(p->multiplier_out), so = _mm512_set1_epi32(p->shift_out);
    const __m512i zp = _mm512_set1_epi32(p->zero_point_out);
    const __m512i lo = _mm512_set1_epi32(p->minimum), hi = _mm512_set1_epi32(p->maximum);
    const rounding64 qa = rounding64_make(sa, ma, 0), qb = rounding64_make(sb, mb, 0);
    const rounding64 qo = rounding64_make(so, mo, p->zero_point_out);
    ptrdiff_t i = 0;
    for (; i + 16 <= n; i += 16) {
        const __m128i ra = _mm_loadu_si128((const __m128i *)(a + i)), rb = _mm_loadu_si128((const __m128i *)(b + i));
        __m512i x = is_signed ? _mm512_cvtepi8_epi32(ra) : _mm512_cvtepu8_epi32(ra);
        __m512i y = is_signed ? _mm512_cvtepi8_epi32(rb) : _mm512_cvtepu8_epi32(rb);
        __m512i v;
        if (exact64) {
            x = add_input_avx512(x, offset_a, left, left_half, ma, &qa, mode_a);
            y = add_input_avx512(y, offset_b, left, left_half, mb, &qb, mode_b);
            const __m512i sum = negate_b ? _mm512_sub_epi32(x, y) : _mm512_add_epi32(x, y);
            v = out_mode ? multiply_rounding64(sum, mo, &qo, 0, out_mode == 1, 1) : multiply_rounding64(sum, mo, &qo, 1, 1, 0);
        } else {
            x = multiply_avx512(_mm512_sll_epi32(_mm512_add_epi32(x, offset_a), left), ma, sa);
            y = multiply_avx512(_mm512_sll_epi32(_mm512_add_epi32(y, offset_b), left), mb, sb);
            v = _mm512_add_epi32(multiply_avx512(negate_b ? _mm512_sub_epi32(x, y) : _mm512_add_epi32(x, y), mo, so), zp);
        }
        v = _mm512_min_epi32(_mm512_max_epi32(v, lo), hi);
        _mm_storeu_si128((__m128i *)(out + i), tfl_narrow_epi32_epi8(v));
    }
    if (i < n) add_portable(a + i, b + i, is_signed, negate_b, p, out + i, n - i);
}

__attribute__((target("avx512f,avx512bw,avx512vl")))
static void add_avx512(const uint8_t *a, const uint8_t *b, int is_signed, int negate_b, const tfl_add_params *p,
                       uint8_t *out, ptrdiff_t n) {
    const int exact64 = p->multiplier_a != INT32_MIN && p->multiplier_b != INT32_MIN && p->multiplier_out != INT32_MIN &&
                        p->shift_a >= -23 && p->shift_b >= -23 && p->shift_out >= -23;
    const int mode_a = add_input_mode(p->multiplier_a, p->shift_a, p->left_shift);
    const int mode_b = add_input_mode(p->multiplier_b, p->shift_b, p->left_shift);
    const int out_mode = p->shift_out >= 0 ? 0 : (p->minimum < p->zero_point_out ? 1 : 2);
#define ADD_BLOCK(A, B, OUT) add_block_avx512(a, b, is_signed, negate_b, p, out, n, 1, A, B, OUT)
#define ADD_OUT(A, B) (out_mode == 1 ? ADD_BLOCK(A, B, 1) : ADD_BLOCK(A, B, 2))
    // The usual parameters (the output shifting right, neither input needing the general path)
    // get their own loops; anything else the general 64-bit one or the 32-bit path.
    if (!exact64) add_block_avx512(a, b, is_signed, negate_b, p, out, n, 0, 0, 0, 0);
    else if (out_mode == 0 || mode_a == 0 || mode_b == 0) ADD_BLOCK(0, 0, 0);
    else if (mode_a == 1 && mode_b == 2) ADD_OUT(1, 2);
    else if (mode_a == 2 && mode_b == 1) ADD_OUT(2, 1);
    else if (mode_a == 1) ADD_OUT(1, 1);
    else ADD_OUT(2, 2);
#undef ADD_OUT
#undef ADD_BLOCK
}

// AVX2: the halving input (mode 2 of add_input_mode) as a shift, the other rescalings by the
// single 64-bit floor of rounding64_avx2 where it applies (`exact64`: multipliers not negative,
// shifts not beyond −23), else the 32-bit path. Constants after inlining.
__attribute__((target("avx2"), always_inline))
static inline __m256i add_input_avx2(__m256i x, __m256i offset, __m128i left, __m128i left_half, __m256i m, __m256i s,
                                     const rounding64_avx2 *q, const int exact64, const int half) {
    x = _mm256_add_epi32(x, offset);
    if (half) return _mm256_sll_epi32(x, left_half);
    x = _mm256_sll_epi32(x, left);
    return exact64 ? multiply_rounding64_avx2(x, m, q, 1, 1) : multiply_avx2(x, m, s);
}

__attribute__((target("avx2"), always_inline))
static inline void add_block_avx2(const uint8_t *a, const uint8_t *b, int is_signed, int negate_b, const tfl_add_params *p,
                                  uint8_t *out, ptrdiff_t n, const int exact64, const int half_a, const int half_b) {
    const __m256i offset_a = _mm256_set1_epi32(p->offset_a), offset_b = _mm256_set1_epi32(p->offset_b);
    const __m128i left = _mm_cvtsi32_si128(p->left_shift), left_half = _mm_cvtsi32_si128(p->left_shift - 1);
    const __m256i ma = _mm256_set1_epi32(p->multiplier_a), sa = _mm256_set1_epi32(p->shift_a);
    const __m256i mb = _mm256_set1_epi32(p->multiplier_b), sb = _mm256_set1_epi32(p->shift_b);
    const __m256i mo = _mm256_set1_epi32(p->multiplier_out), so = _mm256_set1_epi32(p->shift_out);
    const __m256i zp = _mm256_set1_epi32(p->zero_point_out);
    const __m256i lo = _mm256_set1_epi32(p->minimum), hi = _mm256_set1_epi32(p->maximum);
    const rounding64_avx2 qa = rounding64_avx2_make(sa, ma), qb = rounding64_avx2_make(sb, mb), qo = rounding64_avx2_make(so, mo);
    ptrdiff_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const __m128i ra = _mm_loadl_epi64((const __m128i *)(a + i)), rb = _mm_loadl_epi64((const __m128i *)(b + i));
        __m256i x = is_signed ? _mm256_cvtepi8_epi32(ra) : _mm256_cvtepu8_epi32(ra);
        __m256i y = is_signed ? _mm256_cvtepi8_epi32(rb) : _mm256_cvtepu8_epi32(rb);
        x = add_input_avx2(x, offset_a, left, left_half, ma, sa, &qa, exact64, half_a);
        y = add_input_avx2(y, offset_b, left, left_half, mb, sb, &qb, exact64, half_b);
        const __m256i sum = negate_b ? _mm256_sub_epi32(x, y) : _mm256_add_epi32(x, y);
        __m256i v = exact64 ? multiply_rounding64_avx2(sum, mo, &qo, 1, 1) : multiply_avx2(sum, mo, so);
        v = _mm256_min_epi32(_mm256_max_epi32(_mm256_add_epi32(v, zp), lo), hi);
        store_bytes_avx2(out + i, v, 8);
    }
    if (i < n) add_portable(a + i, b + i, is_signed, negate_b, p, out + i, n - i);
}

__attribute__((target("avx2")))
static void add_avx2(const uint8_t *a, const uint8_t *b, int is_signed, int negate_b, const tfl_add_params *p,
                     uint8_t *out, ptrdiff_t n) {
    const int exact64 = p->multiplier_a >= 0 && p->multiplier_b >= 0 && p->multiplier_out >= 0 && p->shift_a >= -23 &&
                        p->shift_b >= -23 && p->shift_out >= -23;
    const int half_a = add_input_mode(p->multiplier_a, p->shift_a, p->left_shift) == 2;
    const int half_b = add_input_mode(p->multiplier_b, p->shift_b, p->left_shift) == 2;
    if (!exact64) add_block_avx2(a, b, is_signed, negate_b, p, out, n, 0, half_a, half_b);
    else if (half_a && !half_b) add_block_avx2(a, b, is_signed, negate_b, p, out, n, 1, 1, 0);
    else if (half_b && !half_a) add_block_avx2(a, b, is_signed, negate_b, p, out, n, 1, 0, 1);
    else if (half_a) add_block_avx2(a, b, is_signed, negate_b, p, out, n, 1, 1, 1);
    else add_block_avx2(a, b, is_signed, negate_b, p, out, n, 1, 0, 0);
}
#endif

void tfl_add_8bit(const uint8_t *a, const uint8_t *b, int is_signed, int negate_b, const tfl_add_params *params,
                  uint8_t *out, ptrdiff_t n) {
    tfl_kernels_current()->add_8bit(a, b, is_signed, negate_b, params, out, n);
}

// MARK: int16 ADD and SUB

// LiteRT's optimized int16 ADD of same-shape inputs rescales each input with one rounding,
// floor((v · m + 2^(t−1)) / 2^t) with t = 31 − shift clamped to 1 ... 62 (FixedPoint's
// multiplyRoundingOnce); everything else rescales gemmlowp's way (multiply_scalar).
static inline int32_t multiply_once(int32_t v, int32_t m, int32_t s) {
    int t = 31 - s;
    t = t < 1 ? 1 : (t > 62 ? 62 : t);
    return (int32_t)(((int64_t)v * (int64_t)m + (1LL << (t - 1))) >> t);
}

static inline int32_t add_16bit_one(int32_t x, int32_t y, int negate_b, int rounds_once, const tfl_add_params *p) {
    const int32_t shifted_a = (int32_t)((uint32_t)(x + p->offset_a) << p->left_shift);
    const int32_t shifted_b = (int32_t)((uint32_t)(y + p->offset_b) << p->left_shift);
    const int32_t sa = rounds_once ? multiply_once(shifted_a, p->multiplier_a, p->shift_a) : multiply_scalar(shifted_a, p->multiplier_a, p->shift_a);
    const int32_t sb = rounds_once ? multiply_once(shifted_b, p->multiplier_b, p->shift_b) : multiply_scalar(shifted_b, p->multiplier_b, p->shift_b);
    const int32_t sum = negate_b ? (int32_t)((uint32_t)sa - (uint32_t)sb) : (int32_t)((uint32_t)sa + (uint32_t)sb);
    const int32_t v = (int32_t)((uint32_t)multiply_scalar(sum, p->multiplier_out, p->shift_out) + (uint32_t)p->zero_point_out);
    return v < p->minimum ? p->minimum : (v > p->maximum ? p->maximum : v);
}

static void add_16bit_portable(const int16_t *a, const int16_t *b, int negate_b, int rounds_once, const tfl_add_params *p,
                               int16_t *out, ptrdiff_t n) {
    for (ptrdiff_t i = 0; i < n; ++i) out[i] = (int16_t)add_16bit_one(a[i], b[i], negate_b, rounds_once, p);
}

#if defined(__x86_64__) || defined(__i386__)
// multiply_once on 16 lanes: 64-bit products of the even and odd lanes, the rounding added and
// an arithmetic shift by t, the low halves merged.
__attribute__((target("avx512f,avx512bw"), always_inline))
static inline __m512i multiply_once_avx512(__m512i v, __m512i m, __m512i round, __m128i t) {
    const __m512i even = _mm512_sra_epi64(_mm512_add_epi64(_mm512_mul_epi32(v, m), round), t);
    const __m512i odd = _mm512_sra_epi64(_mm512_add_epi64(_mm512_mul_epi32(_mm512_srli_epi64(v, 32), _mm512_srli_epi64(m, 32)), round), t);
    return _mm512_mask_blend_epi32(0xAAAA, even, _mm512_slli_epi64(odd, 32));
}

__attribute__((target("avx512f,avx512bw"), always_inline))
static inline void add_16bit_block_avx512(const int16_t *a, const int16_t *b, int negate_b, const tfl_add_params *p, int16_t *out,
                                          ptrdiff_t n, const int rounds_once) {
    const __m512i offset_a = _mm512_set1_epi32(p->offset_a), offset_b = _mm512_set1_epi32(p->offset_b);
    const __m128i left = _mm_cvtsi32_si128(p->left_shift);
    const __m512i ma = _mm512_set1_epi32(p->multiplier_a), sa = _mm512_set1_epi32(p->shift_a);
    const __m512i mb = _mm512_set1_epi32(p->multiplier_b), sb = _mm512_set1_epi32(p->shift_b);
    const __m512i mo = _mm512_set1_epi32(p->multiplier_out), so = _mm512_set1_epi32(p->shift_out);
    const __m512i zp = _mm512_set1_epi32(p->zero_point_out);
    const __m512i lo = _mm512_set1_epi32(p->minimum), hi = _mm512_set1_epi32(p->maximum);
    int ta = 31 - p->shift_a, tb = 31 - p->shift_b;
    ta = ta < 1 ? 1 : (ta > 62 ? 62 : ta);
    tb = tb < 1 ? 1 : (tb > 62 ? 62 : tb);
    const __m512i round_a = _mm512_set1_epi64(1LL << (ta - 1)), round_b = _mm512_set1_epi64(1LL << (tb - 1));
    const __m128i shift_a = _mm_cvtsi32_si128(ta), shift_b = _mm_cvtsi32_si128(tb);
    ptrdiff_t i = 0;
    for (; i + 16 <= n; i += 16) {
        __m512i x = _mm512_cvtepi16_epi32(_mm256_loadu_si256((const __m256i *)(a + i)));
        __m512i y = _mm512_cvtepi16_epi32(_mm256_loadu_si256((const __m256i *)(b + i)));
        x = _mm512_sll_epi32(_mm512_add_epi32(x, offset_a), left);
        y = _mm512_sll_epi32(_mm512_add_epi32(y, offset_b), left);
        if (rounds_once) {
            x = multiply_once_avx512(x, ma, round_a, shift_a);
            y = multiply_once_avx512(y, mb, round_b, shift_b);
        } else {
            x = multiply_avx512(x, ma, sa);
            y = multiply_avx512(y, mb, sb);
        }
        __m512i v = _mm512_add_epi32(multiply_avx512(negate_b ? _mm512_sub_epi32(x, y) : _mm512_add_epi32(x, y), mo, so), zp);
        v = _mm512_min_epi32(_mm512_max_epi32(v, lo), hi);
        _mm256_storeu_si256((__m256i *)(out + i), _mm512_cvtepi32_epi16(v));
    }
    if (i < n) add_16bit_portable(a + i, b + i, negate_b, rounds_once, p, out + i, n - i);
}

__attribute__((target("avx512f,avx512bw")))
static void add_16bit_avx512(const int16_t *a, const int16_t *b, int negate_b, int rounds_once, const tfl_add_params *p,
                             int16_t *out, ptrdiff_t n) {
    if (rounds_once) add_16bit_block_avx512(a, b, negate_b, p, out, n, 1);
    else add_16bit_block_avx512(a, b, negate_b, p, out, n, 0);
}

// AVX2 has no 64-bit arithmetic shift: the products (|v · m| < 2^62) are offset by 2^62 so that
// they shift logically, and 2^(62 − t) taken off after (in 32 bits: only the low half is kept).
__attribute__((target("avx2"), always_inline))
static inline __m256i multiply_once_avx2(__m256i v, __m256i m, __m256i bias, __m128i t, __m256i d) {
    const __m256i even = _mm256_srl_epi64(_mm256_add_epi64(_mm256_mul_epi32(v, m), bias), t);
    const __m256i odd = _mm256_srl_epi64(_mm256_add_epi64(_mm256_mul_epi32(_mm256_srli_epi64(v, 32), _mm256_srli_epi64(m, 32)), bias), t);
    return _mm256_sub_epi32(_mm256_blend_epi32(even, _mm256_slli_epi64(odd, 32), 0xAA), d);
}

__attribute__((target("avx2"), always_inline))
static inline void add_16bit_block_avx2(const int16_t *a, const int16_t *b, int negate_b, const tfl_add_params *p, int16_t *out,
                                        ptrdiff_t n, const int rounds_once) {
    const __m256i offset_a = _mm256_set1_epi32(p->offset_a), offset_b = _mm256_set1_epi32(p->offset_b);
    const __m128i left = _mm_cvtsi32_si128(p->left_shift);
    const __m256i ma = _mm256_set1_epi32(p->multiplier_a), sa = _mm256_set1_epi32(p->shift_a);
    const __m256i mb = _mm256_set1_epi32(p->multiplier_b), sb = _mm256_set1_epi32(p->shift_b);
    const __m256i mo = _mm256_set1_epi32(p->multiplier_out), so = _mm256_set1_epi32(p->shift_out);
    const __m256i zp = _mm256_set1_epi32(p->zero_point_out);
    const __m256i lo = _mm256_set1_epi32(p->minimum), hi = _mm256_set1_epi32(p->maximum);
    int ta = 31 - p->shift_a, tb = 31 - p->shift_b;
    ta = ta < 1 ? 1 : (ta > 62 ? 62 : ta);
    tb = tb < 1 ? 1 : (tb > 62 ? 62 : tb);
    const __m256i bias_a = _mm256_set1_epi64x((1LL << 62) + (1LL << (ta - 1))), bias_b = _mm256_set1_epi64x((1LL << 62) + (1LL << (tb - 1)));
    const __m256i d_a = _mm256_set1_epi32(62 - ta >= 32 ? 0 : (int32_t)(1u << (62 - ta)));
    const __m256i d_b = _mm256_set1_epi32(62 - tb >= 32 ? 0 : (int32_t)(1u << (62 - tb)));
    const __m128i shift_a = _mm_cvtsi32_si128(ta), shift_b = _mm_cvtsi32_si128(tb);
    ptrdiff_t i = 0;
    for (; i + 8 <= n; i += 8) {
        __m256i x = _mm256_cvtepi16_epi32(_mm_loadu_si128((const __m128i *)(a + i)));
        __m256i y = _mm256_cvtepi16_epi32(_mm_loadu_si128((const __m128i *)(b + i)));
        x = _mm256_sll_epi32(_mm256_add_epi32(x, offset_a), left);
        y = _mm256_sll_epi32(_mm256_add_epi32(y, offset_b), left);
        if (rounds_once) {
            x = multiply_once_avx2(x, ma, bias_a, shift_a, d_a);
            y = multiply_once_avx2(y, mb, bias_b, shift_b, d_b);
        } else {
            x = multiply_avx2(x, ma, sa);
            y = multiply_avx2(y, mb, sb);
        }
        __m256i v = _mm256_add_epi32(multiply_avx2(negate_b ? _mm256_sub_epi32(x, y) : _mm256_add_epi32(x, y), mo, so), zp);
        v = _mm256_min_epi32(_mm256_max_epi32(v, lo), hi);
        _mm_storeu_si128((__m128i *)(out + i), _mm_packs_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1)));
    }
    if (i < n) add_16bit_portable(a + i, b + i, negate_b, rounds_once, p, out + i, n - i);
}

__attribute__((target("avx2")))
static void add_16bit_avx2(const int16_t *a, const int16_t *b, int negate_b, int rounds_once, const tfl_add_params *p,
                           int16_t *out, ptrdiff_t n) {
    if (rounds_once) add_16bit_block_avx2(a, b, negate_b, p, out, n, 1);
    else add_16bit_block_avx2(a, b, negate_b, p, out, n, 0);
}
#endif

void tfl_add_16bit(const int16_t *a, const int16_t *b, int negate_b, int rounds_once, const tfl_add_params *params,
                   int16_t *out, ptrdiff_t n) {
    tfl_kernels_current()->add_16bit(a, b, negate_b, rounds_once, params, out, n);
}

// MARK: 8-bit MUL

static void mul_portable(const uint8_t *a, ptrdiff_t a_step, const uint8_t *b, ptrdiff_t b_step, int is_signed,
                         const tfl_mul_params *p, uint8_t *out, ptrdiff_t n) {
    for (ptrdiff_t i = 0; i < n; ++i) {
        const int32_t x = is_signed ? (int32_t)(int8_t)a[i * a_step] : (int32_t)a[i * a_step];
        const int32_t y = is_signed ? (int32_t)(int8_t)b[i * b_step] : (int32_t)b[i * b_step];
        const int32_t product = (int32_t)((uint32_t)(x + p->offset_a) * (uint32_t)(y + p->offset_b));
        int32_t v = (int32_t)((uint32_t)multiply_scalar(product, p->multiplier, p->shift) + (uint32_t)p->zero_point);
        v = v < p->minimum ? p->minimum : (v > p->maximum ? p->maximum : v);
        out[i] = (uint8_t)v;
    }
}

#if defined(__x86_64__) || defined(__i386__)
// `exact64` 1: the rows' single 64-bit floor (rounding64, the zero point folded in; `shifted`,
// `correct` and `high` as in multiply_rounding64), else the 32-bit path. Constants after inlining.
__attribute__((target("avx512f,avx512bw,avx512vl"), always_inline))
static inline void mul_block_avx512(const uint8_t *a, ptrdiff_t a_step, const uint8_t *b, ptrdiff_t b_step, int is_signed,
                                    const tfl_mul_params *p, uint8_t *out, ptrdiff_t n, const int exact64, const int shifted,
                                    const int correct, const int high) {
    const __m512i offset_a = _mm512_set1_epi32(p->offset_a), offset_b = _mm512_set1_epi32(p->offset_b);
    const __m512i m = _mm512_set1_epi32(p->multiplier), s = _mm512_set1_epi32(p->shift);
    const __m512i zp = _mm512_set1_epi32(p->zero_point);
    const __m512i lo = _mm512_set1_epi32(p->minimum), hi = _mm512_set1_epi32(p->maximum);
    const rounding64 q = rounding64_make(s, m, p->zero_point);
    // A broadcast operand (step 0) is the same vector every iteration.
    const __m512i fixed_a = _mm512_set1_epi32((is_signed ? (int32_t)(int8_t)a[0] : (int32_t)a[0]) + p->offset_a);
    const __m512i fixed_b = _mm512_set1_epi32((is_signed ? (int32_t)(int8_t)b[0] : (int32_t)b[0]) + p->offset_b);
    ptrdiff_t i = 0;
    for (; i + 16 <= n; i += 16) {
        __m512i x = fixed_a, y = fixed_b;
        if (a_step) {
            const __m128i r = _mm_loadu_si128((const __m128i *)(a + i));
            x = _mm512_add_epi32(is_signed ? _mm512_cvtepi8_epi32(r) : _mm512_cvtepu8_epi32(r), offset_a);
        }
        if (b_step) {
            const __m128i r = _mm_loadu_si128((const __m128i *)(b + i));
            y = _mm512_add_epi32(is_signed ? _mm512_cvtepi8_epi32(r) : _mm512_cvtepu8_epi32(r), offset_b);
        }
        const __m512i product = _mm512_mullo_epi32(x, y);
        __m512i v = exact64 ? multiply_rounding64(product, m, &q, shifted, correct, high)
                            : _mm512_add_epi32(multiply_avx512(product, m, s), zp);
        v = _mm512_min_epi32(_mm512_max_epi32(v, lo), hi);
        _mm_storeu_si128((__m128i *)(out + i), tfl_narrow_epi32_epi8(v));
    }
    if (i < n) mul_portable(a + i * a_step, a_step, b + i * b_step, b_step, is_signed, p, out + i, n - i);
}

__attribute__((target("avx512f,avx512bw,avx512vl")))
static void mul_avx512(const uint8_t *a, ptrdiff_t a_step, const uint8_t *b, ptrdiff_t b_step, int is_signed,
                       const tfl_mul_params *p, uint8_t *out, ptrdiff_t n) {
    const int correct = p->minimum < p->zero_point;
    if (p->multiplier == INT32_MIN || p->shift < -23) mul_block_avx512(a, a_step, b, b_step, is_signed, p, out, n, 0, 0, 1, 0);
    else if (p->shift >= 0) mul_block_avx512(a, a_step, b, b_step, is_signed, p, out, n, 1, p->shift > 0, 1, 0);
    else if (correct) mul_block_avx512(a, a_step, b, b_step, is_signed, p, out, n, 1, 0, 1, 1);
    else mul_block_avx512(a, a_step, b, b_step, is_signed, p, out, n, 1, 0, 0, 1);
}

// AVX2: the rows' single 64-bit floor for the one multiplier (or the 32-bit path when it is
// negative or the shift is beyond −23).
__attribute__((target("avx2"), always_inline))
static inline void mul_block_avx2(const uint8_t *a, ptrdiff_t a_step, const uint8_t *b, ptrdiff_t b_step, int is_signed,
                                  const tfl_mul_params *p, uint8_t *out, ptrdiff_t n, const int exact64) {
    const __m256i offset_a = _mm256_set1_epi32(p->offset_a), offset_b = _mm256_set1_epi32(p->offset_b);
    const __m256i m = _mm256_set1_epi32(p->multiplier), s = _mm256_set1_epi32(p->shift);
    const __m256i zp = _mm256_set1_epi32(p->zero_point);
    const __m256i lo = _mm256_set1_epi32(p->minimum), hi = _mm256_set1_epi32(p->maximum);
    const rounding64_avx2 q = rounding64_avx2_make(s, m);
    const int shifted = p->shift > 0;
    const __m256i fixed_a = _mm256_set1_epi32((is_signed ? (int32_t)(int8_t)a[0] : (int32_t)a[0]) + p->offset_a);
    const __m256i fixed_b = _mm256_set1_epi32((is_signed ? (int32_t)(int8_t)b[0] : (int32_t)b[0]) + p->offset_b);
    ptrdiff_t i = 0;
    for (; i + 8 <= n; i += 8) {
        __m256i x = fixed_a, y = fixed_b;
        if (a_step) {
            const __m128i r = _mm_loadl_epi64((const __m128i *)(a + i));
            x = _mm256_add_epi32(is_signed ? _mm256_cvtepi8_epi32(r) : _mm256_cvtepu8_epi32(r), offset_a);
        }
        if (b_step) {
            const __m128i r = _mm_loadl_epi64((const __m128i *)(b + i));
            y = _mm256_add_epi32(is_signed ? _mm256_cvtepi8_epi32(r) : _mm256_cvtepu8_epi32(r), offset_b);
        }
        const __m256i product = _mm256_mullo_epi32(x, y);
        __m256i v = exact64 ? (shifted ? multiply_rounding64_avx2(product, m, &q, 1, 1) : multiply_rounding64_avx2(product, m, &q, 0, 1))
                            : multiply_avx2(product, m, s);
        v = _mm256_min_epi32(_mm256_max_epi32(_mm256_add_epi32(v, zp), lo), hi);
        store_bytes_avx2(out + i, v, 8);
    }
    if (i < n) mul_portable(a + i * a_step, a_step, b + i * b_step, b_step, is_signed, p, out + i, n - i);
}

__attribute__((target("avx2")))
static void mul_avx2(const uint8_t *a, ptrdiff_t a_step, const uint8_t *b, ptrdiff_t b_step, int is_signed,
                     const tfl_mul_params *p, uint8_t *out, ptrdiff_t n) {
    if (p->multiplier >= 0 && p->shift >= -23) mul_block_avx2(a, a_step, b, b_step, is_signed, p, out, n, 1);
    else mul_block_avx2(a, a_step, b, b_step, is_signed, p, out, n, 0);
}
#endif

void tfl_mul_8bit(const uint8_t *a, ptrdiff_t a_step, const uint8_t *b, ptrdiff_t b_step, int is_signed,
                  const tfl_mul_params *params, uint8_t *out, ptrdiff_t n) {
    tfl_kernels_current()->mul_8bit(a, a_step, b, b_step, is_signed, params, out, n);
}

// MARK: NEON ADD (8- and 16-bit) and MUL

#if defined(__aarch64__)
// The parameters of tfl_add_params as vectors: each multiplier's shift split into the left and
// right parts multiply_neon takes, and the one-rounding shift t of each input as −t for srshl.
typedef struct {
    int32x4_t offset_a, offset_b, left, ma, left_a, right_a, mb, left_b, right_b, mo, left_out, right_out, zp, lo, hi;
    int64x2_t minus_ta, minus_tb;
} add_neon_params;

static int64x2_t minus_rounding_shift(int32_t shift) {
    int t = 31 - shift;
    t = t < 1 ? 1 : (t > 62 ? 62 : t);
    return vdupq_n_s64(-t);
}

static add_neon_params add_neon_make(const tfl_add_params *p) {
    add_neon_params q;
    q.offset_a = vdupq_n_s32(p->offset_a), q.offset_b = vdupq_n_s32(p->offset_b), q.left = vdupq_n_s32(p->left_shift);
    q.ma = vdupq_n_s32(p->multiplier_a), q.mb = vdupq_n_s32(p->multiplier_b), q.mo = vdupq_n_s32(p->multiplier_out);
    q.left_a = vdupq_n_s32(p->shift_a > 0 ? p->shift_a : 0), q.right_a = vdupq_n_s32(p->shift_a > 0 ? 0 : p->shift_a);
    q.left_b = vdupq_n_s32(p->shift_b > 0 ? p->shift_b : 0), q.right_b = vdupq_n_s32(p->shift_b > 0 ? 0 : p->shift_b);
    q.left_out = vdupq_n_s32(p->shift_out > 0 ? p->shift_out : 0), q.right_out = vdupq_n_s32(p->shift_out > 0 ? 0 : p->shift_out);
    q.zp = vdupq_n_s32(p->zero_point_out), q.lo = vdupq_n_s32(p->minimum), q.hi = vdupq_n_s32(p->maximum);
    q.minus_ta = minus_rounding_shift(p->shift_a), q.minus_tb = minus_rounding_shift(p->shift_b);
    return q;
}

// Whether the NEON shifts take these parameters as the portable code does: the left shift
// within 0 ... 31 and every multiplier's shift within −31 ... 31.
static int add_params_in_range(const tfl_add_params *p) {
    const int32_t shifts[3] = {p->shift_a, p->shift_b, p->shift_out};
    return p->left_shift >= 0 && p->left_shift <= 31 && shifts_in_range(shifts, 3);
}

// multiply_once on 4 lanes: the exact 64-bit products, srshl by −t (adds 2^(t−1), then an
// arithmetic shift right by t, without overflow), the low halves kept.
static inline int32x4_t multiply_once_neon(int32x4_t v, int32_t m, int64x2_t minus_t) {
    const int64x2_t lo = vrshlq_s64(vmull_n_s32(vget_low_s32(v), m), minus_t);
    const int64x2_t hi = vrshlq_s64(vmull_high_n_s32(v, m), minus_t);
    return vcombine_s32(vmovn_s64(lo), vmovn_s64(hi));
}

// add_16bit_one (and the 8-bit ADD, which rescales gemmlowp's way) on 4 lanes, clamped.
static inline int32x4_t add_lanes_neon(int32x4_t x, int32x4_t y, const add_neon_params *q, const tfl_add_params *p,
                                       int negate_b, const int rounds_once) {
    x = vshlq_s32(vaddq_s32(x, q->offset_a), q->left);
    y = vshlq_s32(vaddq_s32(y, q->offset_b), q->left);
    if (rounds_once) {
        x = multiply_once_neon(x, p->multiplier_a, q->minus_ta);
        y = multiply_once_neon(y, p->multiplier_b, q->minus_tb);
    } else {
        x = multiply_neon(x, q->ma, q->left_a, q->right_a, 0);
        y = multiply_neon(y, q->mb, q->left_b, q->right_b, 0);
    }
    const int32x4_t sum = negate_b ? vsubq_s32(x, y) : vaddq_s32(x, y);
    const int32x4_t v = vaddq_s32(multiply_neon(sum, q->mo, q->left_out, q->right_out, 0), q->zp);
    return vminq_s32(vmaxq_s32(v, q->lo), q->hi);
}

static inline void add_16bit_block_neon(const int16_t *a, const int16_t *b, int negate_b, const tfl_add_params *p, int16_t *out,
                                        ptrdiff_t n, const int rounds_once) {
    const add_neon_params q = add_neon_make(p);
    ptrdiff_t i = 0;
    for (; i + 8 <= n; i += 8) {
        const int16x8_t x = vld1q_s16(a + i), y = vld1q_s16(b + i);
        const int32x4_t lo = add_lanes_neon(vmovl_s16(vget_low_s16(x)), vmovl_s16(vget_low_s16(y)), &q, p, negate_b, rounds_once);
        const int32x4_t hi = add_lanes_neon(vmovl_high_s16(x), vmovl_high_s16(y), &q, p, negate_b, rounds_once);
        vst1q_s16(out + i, vcombine_s16(vmovn_s32(lo), vmovn_s32(hi)));
    }
    if (i < n) add_16bit_portable(a + i, b + i, negate_b, rounds_once, p, out + i, n - i);
}

static void add_16bit_neon(const int16_t *a, const int16_t *b, int negate_b, int rounds_once, const tfl_add_params *p,
                           int16_t *out, ptrdiff_t n) {
    if (!add_params_in_range(p)) add_16bit_portable(a, b, negate_b, rounds_once, p, out, n);
    else if (rounds_once) add_16bit_block_neon(a, b, negate_b, p, out, n, 1);
    else add_16bit_block_neon(a, b, negate_b, p, out, n, 0);
}

// Eight 8-bit values (int8 bit patterns when is_signed) as int16.
static inline int16x8_t widen8_neon(const uint8_t *p, int is_signed) {
    const uint8x8_t bytes = vld1_u8(p);
    return is_signed ? vmovl_s8(vreinterpret_s8_u8(bytes)) : vreinterpretq_s16_u16(vmovl_u8(bytes));
}

// Two vectors of clamped int32 results as eight bytes (their low bytes, as the portable cast).
static inline uint8x8_t low_bytes_neon(int32x4_t lo, int32x4_t hi) {
    return vreinterpret_u8_s8(vmovn_s16(vcombine_s16(vmovn_s32(lo), vmovn_s32(hi))));
}

static void add_neon(const uint8_t *a, const uint8_t *b, int is_signed, int negate_b, const tfl_add_params *p, uint8_t *out,
                     ptrdiff_t n) {
    ptrdiff_t i = 0;
    if (add_params_in_range(p)) {
        const add_neon_params q = add_neon_make(p);
        for (; i + 8 <= n; i += 8) {
            const int16x8_t x = widen8_neon(a + i, is_signed), y = widen8_neon(b + i, is_signed);
            const int32x4_t lo = add_lanes_neon(vmovl_s16(vget_low_s16(x)), vmovl_s16(vget_low_s16(y)), &q, p, negate_b, 0);
            const int32x4_t hi = add_lanes_neon(vmovl_high_s16(x), vmovl_high_s16(y), &q, p, negate_b, 0);
            vst1_u8(out + i, low_bytes_neon(lo, hi));
        }
    }
    if (i < n) add_portable(a + i, b + i, is_signed, negate_b, p, out + i, n - i);
}

// MUL: the wrapping int32 product of the offset inputs, requantized gemmlowp's way.
static void mul_neon(const uint8_t *a, ptrdiff_t a_step, const uint8_t *b, ptrdiff_t b_step, int is_signed,
                     const tfl_mul_params *p, uint8_t *out, ptrdiff_t n) {
    ptrdiff_t i = 0;
    const int32_t shift[1] = {p->shift};
    if (shifts_in_range(shift, 1)) {
        const int32x4_t offset_a = vdupq_n_s32(p->offset_a), offset_b = vdupq_n_s32(p->offset_b), m = vdupq_n_s32(p->multiplier);
        const int32x4_t left = vdupq_n_s32(p->shift > 0 ? p->shift : 0), right = vdupq_n_s32(p->shift > 0 ? 0 : p->shift);
        const int32x4_t zp = vdupq_n_s32(p->zero_point), lo = vdupq_n_s32(p->minimum), hi = vdupq_n_s32(p->maximum);
        // A broadcast operand (step 0) is the same vector every iteration.
        const int16x8_t fixed_a = vdupq_n_s16((int16_t)(is_signed ? (int32_t)(int8_t)a[0] : (int32_t)a[0]));
        const int16x8_t fixed_b = vdupq_n_s16((int16_t)(is_signed ? (int32_t)(int8_t)b[0] : (int32_t)b[0]));
        for (; i + 8 <= n; i += 8) {
            const int16x8_t x = a_step ? widen8_neon(a + i, is_signed) : fixed_a, y = b_step ? widen8_neon(b + i, is_signed) : fixed_b;
            int32x4_t v[2];
            for (int h = 0; h < 2; ++h) {
                const int32x4_t xs = vaddq_s32(h ? vmovl_high_s16(x) : vmovl_s16(vget_low_s16(x)), offset_a);
                const int32x4_t ys = vaddq_s32(h ? vmovl_high_s16(y) : vmovl_s16(vget_low_s16(y)), offset_b);
                const int32x4_t r = vaddq_s32(multiply_neon(vmulq_s32(xs, ys), m, left, right, 0), zp);
                v[h] = vminq_s32(vmaxq_s32(r, lo), hi);
            }
            vst1_u8(out + i, low_bytes_neon(v[0], v[1]));
        }
    }
    if (i < n) mul_portable(a + i * a_step, a_step, b + i * b_step, b_step, is_signed, p, out + i, n - i);
}
#endif

void tfl_select_requantize(tfl_kernels *k, const tfl_cpu_features *f) {
    k->requantize = requantize_portable;
    k->requantize_rows = requantize_rows_portable;
    k->add_8bit = add_portable;
    k->add_16bit = add_16bit_portable;
    k->mul_8bit = mul_portable;
#if defined(__x86_64__) || defined(__i386__)
    if (f->avx512) {
        k->requantize = requantize_avx512;
        k->requantize_rows = f->avx512_narrow_store ? requantize_rows_avx512_store : requantize_rows_avx512;
        k->add_8bit = add_avx512;
        k->add_16bit = add_16bit_avx512;
        k->mul_8bit = mul_avx512;
    } else if (f->avx2_fma) {
        k->requantize = requantize_avx2;
        k->requantize_rows = requantize_rows_avx2;
        k->add_8bit = add_avx2;
        k->add_16bit = add_16bit_avx2;
        k->mul_8bit = mul_avx2;
    }
#elif defined(__aarch64__)
    if (f->neon) {
        k->requantize = requantize_neon_checked;
        k->requantize_rows = requantize_rows_neon;
        k->add_8bit = add_neon;
        k->add_16bit = add_16bit_neon;
        k->mul_8bit = mul_neon;
    }
#endif
}
