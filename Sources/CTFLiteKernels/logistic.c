// Float LOGISTIC with LiteRT's reference cut-offs: 1 above 16.619047, exp(x) below -9,
// 1 / (1 + exp(-x)) between. The vector paths evaluate exp with a range reduction to
// [-ln2/2, ln2/2] and a degree-6 polynomial (about 1 ulp); blocks holding a lane whose exp
// would leave the normal range (x < -87, or NaN) take the scalar path. Runtime CPU dispatch.
#include <math.h>

#include "clamp.h"
#include "dispatch.h"

static const float upper_cut = 16.619047164916992f;
static const float lower_cut = -9.0f;

static inline float logistic_scalar(float x) {
    if (x > upper_cut) return 1.0f;
    if (x < lower_cut) return expf(x);
    return 1.0f / (1.0f + expf(-x));
}

static void logistic_portable(const float *x, float *y, ptrdiff_t n) {
    for (ptrdiff_t i = 0; i < n; ++i) y[i] = logistic_scalar(x[i]);
}

// y[j] = clamp(x[j] · s[j], lo, hi) (clamp as tfl_gemm_f32): swish from logistic values s.
static inline void swish_finish(const float *x, const float *s, float *y, ptrdiff_t n, float lo, float hi) {
    for (ptrdiff_t j = 0; j < n; ++j) {
        y[j] = tfl_clampf(x[j] * s[j], lo, hi);
    }
}

// exp(r + n ln2) = 2^n · p(r): ln2 split in a part exact in float and a correction.
#define LN2_HI 0.693359375f
#define LN2_LO -2.12194440e-4f
#define LOG2E 1.44269504088896341f
#define P0 1.9875691500e-4f
#define P1 1.3981999507e-3f
#define P2 8.3334519073e-3f
#define P3 4.1665795894e-2f
#define P4 1.6666665459e-1f
#define P5 5.0000001201e-1f

// Up to 64 values by the scalar function: logistic, or with `swish` the clamped x · logistic(x).
static inline void scalar_block(const float *x, float *y, ptrdiff_t count, int swish, float lo, float hi) {
    if (swish) {
        float s[64];
        logistic_portable(x, s, count);
        swish_finish(x, s, y, count, lo, hi);
    } else {
        logistic_portable(x, y, count);
    }
}

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

// exp by Estrin's scheme (see exp_avx2), 2^k by vscalefps.
__attribute__((target("avx512f"), always_inline))
static inline __m512 exp_avx512(__m512 x) {
    const __m512 k = _mm512_roundscale_ps(_mm512_mul_ps(x, _mm512_set1_ps(LOG2E)), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m512 r = _mm512_fnmadd_ps(k, _mm512_set1_ps(LN2_HI), x);
    r = _mm512_fnmadd_ps(k, _mm512_set1_ps(LN2_LO), r);
    const __m512 r2 = _mm512_mul_ps(r, r);
    const __m512 a = _mm512_fmadd_ps(_mm512_set1_ps(P0), r, _mm512_set1_ps(P1));
    const __m512 b = _mm512_fmadd_ps(_mm512_set1_ps(P2), r, _mm512_set1_ps(P3));
    const __m512 c = _mm512_fmadd_ps(_mm512_set1_ps(P4), r, _mm512_set1_ps(P5));
    __m512 p = _mm512_fmadd_ps(_mm512_fmadd_ps(a, r2, b), r2, c);
    p = _mm512_fmadd_ps(p, r2, _mm512_add_ps(r, _mm512_set1_ps(1.0f)));
    return _mm512_scalef_ps(p, k);
}

// One vector whose lanes are all at or above -87 and not NaN.
__attribute__((target("avx512f"), always_inline))
static inline __m512 logistic16_avx512(__m512 v) {
    const __m512 one = _mm512_set1_ps(1.0f);
    const __mmask16 low = _mm512_cmp_ps_mask(v, _mm512_set1_ps(lower_cut), _CMP_LT_OQ);
    const __mmask16 high = _mm512_cmp_ps_mask(v, _mm512_set1_ps(upper_cut), _CMP_GT_OQ);
    // exp(x) on the low lanes, exp(-x) elsewhere (clamped so the high lanes stay finite).
    const __m512 arg = _mm512_mask_blend_ps(low, _mm512_max_ps(_mm512_sub_ps(_mm512_setzero_ps(), v), _mm512_set1_ps(-upper_cut)), v);
    const __m512 e = exp_avx512(arg);
    __m512 r = _mm512_div_ps(one, _mm512_add_ps(one, e));
    r = _mm512_mask_blend_ps(low, r, e);
    return _mm512_mask_blend_ps(high, r, one);
}

// logistic_rows_avx2 with 16-lane vectors: four at a time, checked together.
__attribute__((target("avx512f"), always_inline))
static inline void logistic_rows_avx512(const float *x, float *y, ptrdiff_t n, const int swish, float lo, float hi) {
    const __m512 floor_ = _mm512_set1_ps(-87.0f), low = _mm512_set1_ps(lo), high = _mm512_set1_ps(hi);
    ptrdiff_t i = 0;
    while (i < n) {
        const ptrdiff_t count = n - i >= 64 ? 64 : (n - i >= 16 ? 16 : n - i);
        __m512 v[4];
        const int vectors = count == 64 ? 4 : (count == 16 ? 1 : 0);
        __mmask16 bad = 0;
        for (int j = 0; j < vectors; ++j) {
            v[j] = _mm512_loadu_ps(x + i + 16 * j);
            bad |= _mm512_cmp_ps_mask(v[j], floor_, _CMP_NGE_UQ);
        }
        if (vectors == 0 || bad) {
            scalar_block(x + i, y + i, count, swish, lo, hi);
        } else {
            for (int j = 0; j < vectors; ++j) {
                __m512 r = logistic16_avx512(v[j]);
                if (swish) {
                    r = _mm512_mul_ps(v[j], r);
                    // The clamp `lo >= r ? lo : r`, then `hi < r ? hi : r` (r may be −0 here).
                    r = _mm512_mask_blend_ps(_mm512_cmp_ps_mask(low, r, _CMP_GE_OQ), r, low);
                    r = _mm512_min_ps(high, r);
                }
                _mm512_storeu_ps(y + i + 16 * j, r);
            }
        }
        i += count;
    }
}

__attribute__((target("avx512f")))
static void logistic_avx512(const float *x, float *y, ptrdiff_t n) { logistic_rows_avx512(x, y, n, 0, 0, 0); }

__attribute__((target("avx512f")))
static void swish_avx512(const float *x, float *y, ptrdiff_t n, float lo, float hi) { logistic_rows_avx512(x, y, n, 1, lo, hi); }

__attribute__((target("avx2,fma")))
static inline __m256 exp_avx2(__m256 x) {
    const __m256 k = _mm256_round_ps(_mm256_mul_ps(x, _mm256_set1_ps(LOG2E)), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m256 r = _mm256_fnmadd_ps(k, _mm256_set1_ps(LN2_HI), x);
    r = _mm256_fnmadd_ps(k, _mm256_set1_ps(LN2_LO), r);
    // The polynomial by Estrin's scheme: a shorter chain of dependent operations than Horner's,
    // which is what bounds this loop.
    const __m256 r2 = _mm256_mul_ps(r, r);
    const __m256 a = _mm256_fmadd_ps(_mm256_set1_ps(P0), r, _mm256_set1_ps(P1));
    const __m256 b = _mm256_fmadd_ps(_mm256_set1_ps(P2), r, _mm256_set1_ps(P3));
    const __m256 c = _mm256_fmadd_ps(_mm256_set1_ps(P4), r, _mm256_set1_ps(P5));
    __m256 p = _mm256_fmadd_ps(_mm256_fmadd_ps(a, r2, b), r2, c);
    p = _mm256_fmadd_ps(p, r2, _mm256_add_ps(r, _mm256_set1_ps(1.0f)));
    // 2^k as float bits: (k + 127) << 23; k stays within [-126, 127] for the arguments used here.
    const __m256i bits = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(k), _mm256_set1_epi32(127)), 23);
    return _mm256_mul_ps(p, _mm256_castsi256_ps(bits));
}

// One vector whose lanes are all at or above -87 and not NaN.
__attribute__((target("avx2,fma"), always_inline))
static inline __m256 logistic8_avx2(__m256 v) {
    const __m256 one = _mm256_set1_ps(1.0f), upper = _mm256_set1_ps(upper_cut), lower = _mm256_set1_ps(lower_cut);
    const __m256 low = _mm256_cmp_ps(v, lower, _CMP_LT_OQ);
    const __m256 high = _mm256_cmp_ps(v, upper, _CMP_GT_OQ);
    const __m256 arg = _mm256_blendv_ps(_mm256_max_ps(_mm256_sub_ps(_mm256_setzero_ps(), v), _mm256_set1_ps(-upper_cut)), v, low);
    const __m256 e = exp_avx2(arg);
    __m256 r = _mm256_div_ps(one, _mm256_add_ps(one, e));
    r = _mm256_blendv_ps(r, e, low);
    return _mm256_blendv_ps(r, one, high);
}

// y = logistic(x), or with `swish` clamp(x · logistic(x), lo, hi) (clamp as tfl_gemm_f32). Four
// vectors at a time, checked together (a lane below -87 or NaN sends the 32 values to the
// scalar function): the four independent evaluations interleave, where one at a time each
// one's long chain of dependent operations left the vector units mostly waiting.
__attribute__((target("avx2,fma"), always_inline))
static inline void logistic_rows_avx2(const float *x, float *y, ptrdiff_t n, const int swish, float lo, float hi) {
    const __m256 floor_ = _mm256_set1_ps(-87.0f), low = _mm256_set1_ps(lo), high = _mm256_set1_ps(hi);
    ptrdiff_t i = 0;
    while (i < n) {
        const ptrdiff_t count = n - i >= 32 ? 32 : (n - i >= 8 ? 8 : n - i);
        __m256 v[4];
        int vectors = count == 32 ? 4 : (count == 8 ? 1 : 0);
        __m256 bad = _mm256_setzero_ps();
        for (int j = 0; j < vectors; ++j) {
            v[j] = _mm256_loadu_ps(x + i + 8 * j);
            bad = _mm256_or_ps(bad, _mm256_cmp_ps(v[j], floor_, _CMP_NGE_UQ));
        }
        if (vectors == 0 || _mm256_movemask_ps(bad)) {
            scalar_block(x + i, y + i, count, swish, lo, hi);
        } else {
            for (int j = 0; j < vectors; ++j) {
                __m256 r = logistic8_avx2(v[j]);
                if (swish) {
                    r = _mm256_mul_ps(v[j], r);
                    r = tfl_clamp_ps256(r, low, high);
                }
                _mm256_storeu_ps(y + i + 8 * j, r);
            }
        }
        i += count;
    }
}

__attribute__((target("avx2,fma")))
static void logistic_avx2(const float *x, float *y, ptrdiff_t n) { logistic_rows_avx2(x, y, n, 0, 0, 0); }

__attribute__((target("avx2,fma")))
static void swish_avx2(const float *x, float *y, ptrdiff_t n, float lo, float hi) { logistic_rows_avx2(x, y, n, 1, lo, hi); }
#endif

#if defined(__aarch64__)
#include <arm_neon.h>

// exp_avx2's operations in NEON (frintn, fmls, fmla: the same roundings, so the same results).
static inline float32x4_t exp_neon(float32x4_t x) {
    const float32x4_t k = vrndnq_f32(vmulq_f32(x, vdupq_n_f32(LOG2E)));
    float32x4_t r = vfmsq_f32(x, k, vdupq_n_f32(LN2_HI));
    r = vfmsq_f32(r, k, vdupq_n_f32(LN2_LO));
    const float32x4_t r2 = vmulq_f32(r, r);
    const float32x4_t a = vfmaq_f32(vdupq_n_f32(P1), vdupq_n_f32(P0), r);
    const float32x4_t b = vfmaq_f32(vdupq_n_f32(P3), vdupq_n_f32(P2), r);
    const float32x4_t c = vfmaq_f32(vdupq_n_f32(P5), vdupq_n_f32(P4), r);
    float32x4_t p = vfmaq_f32(c, vfmaq_f32(b, a, r2), r2);
    p = vfmaq_f32(vaddq_f32(r, vdupq_n_f32(1.0f)), p, r2);
    const int32x4_t bits = vshlq_n_s32(vaddq_s32(vcvtq_s32_f32(k), vdupq_n_s32(127)), 23);
    return vmulq_f32(p, vreinterpretq_f32_s32(bits));
}

// One vector whose lanes are all at or above -87 and not NaN (logistic8_avx2).
static inline float32x4_t logistic4_neon(float32x4_t v) {
    const float32x4_t one = vdupq_n_f32(1.0f);
    const uint32x4_t low = vcltq_f32(v, vdupq_n_f32(lower_cut)), high = vcgtq_f32(v, vdupq_n_f32(upper_cut));
    const float32x4_t arg = vbslq_f32(low, v, vmaxq_f32(vnegq_f32(v), vdupq_n_f32(-upper_cut)));
    const float32x4_t e = exp_neon(arg);
    const float32x4_t r = vbslq_f32(low, e, vdivq_f32(one, vaddq_f32(one, e)));
    return vbslq_f32(high, one, r);
}

// logistic_rows_avx2 with 4-lane vectors: four at a time, checked together (a lane below -87 or
// NaN sends the 16 values to the scalar function).
__attribute__((always_inline))
static inline void logistic_rows_neon(const float *x, float *y, ptrdiff_t n, const int swish, float lo, float hi) {
    const float32x4_t floor_ = vdupq_n_f32(-87.0f), low = vdupq_n_f32(lo), high = vdupq_n_f32(hi);
    ptrdiff_t i = 0;
    while (i < n) {
        const ptrdiff_t count = n - i >= 16 ? 16 : (n - i >= 4 ? 4 : n - i);
        float32x4_t v[4];
        const int vectors = count == 16 ? 4 : (count == 4 ? 1 : 0);
        uint32x4_t good = vdupq_n_u32(~0u);
        for (int j = 0; j < vectors; ++j) {
            v[j] = vld1q_f32(x + i + 4 * j);
            good = vandq_u32(good, vcgeq_f32(v[j], floor_));
        }
        if (vectors == 0 || vminvq_u32(good) == 0) {
            scalar_block(x + i, y + i, count, swish, lo, hi);
        } else {
            for (int j = 0; j < vectors; ++j) {
                float32x4_t r = logistic4_neon(v[j]);
                if (swish) {
                    r = vmulq_f32(v[j], r);
                    r = tfl_clamp_f32x4(r, low, high);
                }
                vst1q_f32(y + i + 4 * j, r);
            }
        }
        i += count;
    }
}

static void logistic_neon(const float *x, float *y, ptrdiff_t n) { logistic_rows_neon(x, y, n, 0, 0, 0); }

static void swish_neon(const float *x, float *y, ptrdiff_t n, float lo, float hi) { logistic_rows_neon(x, y, n, 1, lo, hi); }
#endif

// x · logistic(x) (swish) with the MUL's clamp: in registers with AVX2, AVX-512 or NEON, elsewhere a
// block at a time, the logistic values into a stack block still in L1.
static void swish_portable(const float *x, float *y, ptrdiff_t n, float lo, float hi) {
    enum { BLOCK = 1024 };
    float s[BLOCK];
    for (ptrdiff_t i = 0; i < n; i += BLOCK) {
        const ptrdiff_t m = n - i < BLOCK ? n - i : BLOCK;
        logistic_portable(x + i, s, m);
        swish_finish(x + i, s, y + i, m, lo, hi);
    }
}

void tfl_select_logistic(tfl_kernels *k, const tfl_cpu_features *f) {
    k->logistic_f32 = logistic_portable;
    k->swish_f32 = swish_portable;
#if defined(__x86_64__) || defined(__i386__)
    if (f->avx512) {
        k->logistic_f32 = logistic_avx512;
        k->swish_f32 = swish_avx512;
    } else if (f->avx2_fma) {
        k->logistic_f32 = logistic_avx2;
        k->swish_f32 = swish_avx2;
    }
#elif defined(__aarch64__)
    if (f->neon) {
        k->logistic_f32 = logistic_neon;
        k->swish_f32 = swish_neon;
    }
#else
    (void)f;
#endif
}

void tfl_logistic_f32(const float *x, float *y, ptrdiff_t n) { tfl_kernels_current()->logistic_f32(x, y, n); }

void tfl_swish_f32(const float *x, float *y, ptrdiff_t n, float lo, float hi) {
    tfl_kernels_current()->swish_f32(x, y, n, lo, hi);
}
