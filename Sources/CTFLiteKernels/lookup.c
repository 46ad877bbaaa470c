// 8-bit table lookup, out[i] = table[in[i]]: the quantized elementwise operators precompute
// their 256 possible results. With AVX-512 VBMI, vpermi2b looks up 64 bytes among 128 table
// entries in one instruction; two of them (for the table's halves) and a blend on the top bit
// cover all 256. With AVX2, vpshufb looks up 32 bytes among 16 entries: the table's sixteen
// 16-entry rows are tried in turn on x − 16·row, saturating-added to 0x70 so that only indices
// of that row keep bit 7 clear (vpshufb writes 0 where bit 7 is set), and the results OR-ed.
// Runtime CPU dispatch, portable fallback.
#include "dispatch.h"

static void lookup_portable(const uint8_t *in, const uint8_t *table, uint8_t *out, ptrdiff_t n) {
    for (ptrdiff_t i = 0; i < n; ++i) out[i] = table[in[i]];
}

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

__attribute__((target("avx512f,avx512bw,avx512vbmi")))
static void lookup_vbmi(const uint8_t *in, const uint8_t *table, uint8_t *out, ptrdiff_t n) {
    const __m512i t0 = _mm512_loadu_si512(table), t1 = _mm512_loadu_si512(table + 64);
    const __m512i t2 = _mm512_loadu_si512(table + 128), t3 = _mm512_loadu_si512(table + 192);
    ptrdiff_t i = 0;
    for (; i + 64 <= n; i += 64) {
        const __m512i x = _mm512_loadu_si512(in + i);
        const __m512i low = _mm512_permutex2var_epi8(t0, x, t1);   // entries 0-127 (index bit 6 picks t0/t1)
        const __m512i high = _mm512_permutex2var_epi8(t2, x, t3);  // entries 128-255
        const __mmask64 top = _mm512_movepi8_mask(x);               // index bit 7
        _mm512_storeu_si512(out + i, _mm512_mask_blend_epi8(top, low, high));
    }
    if (i < n) lookup_portable(in + i, table, out + i, n - i);
}

__attribute__((target("avx2")))
static void lookup_avx2(const uint8_t *in, const uint8_t *table, uint8_t *out, ptrdiff_t n) {
    __m256i rows[16];
    for (int r = 0; r < 16; ++r) rows[r] = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(table + 16 * r)));
    const __m256i sixteen = _mm256_set1_epi8(16), bias = _mm256_set1_epi8(0x70);
    ptrdiff_t i = 0;
    for (; i + 32 <= n; i += 32) {
        __m256i x = _mm256_loadu_si256((const __m256i *)(in + i));
        __m256i result = _mm256_shuffle_epi8(rows[0], _mm256_adds_epu8(x, bias));
        for (int r = 1; r < 16; ++r) {
            x = _mm256_sub_epi8(x, sixteen);
            result = _mm256_or_si256(result, _mm256_shuffle_epi8(rows[r], _mm256_adds_epu8(x, bias)));
        }
        _mm256_storeu_si256((__m256i *)(out + i), result);
    }
    if (i < n) lookup_portable(in + i, table, out + i, n - i);
}
#endif

#if defined(__aarch64__)
#include <arm_neon.h>

// NEON: tbl looks up 16 bytes among 64 table entries (0 for an index past them); tbx with the
// index less 64, 128 and 192 fills in the entries of the other three quarters (leaving lanes
// whose index is outside that quarter as they are).
static void lookup_neon(const uint8_t *in, const uint8_t *table, uint8_t *out, ptrdiff_t n) {
    const uint8x16x4_t t0 = vld1q_u8_x4(table), t1 = vld1q_u8_x4(table + 64);
    const uint8x16x4_t t2 = vld1q_u8_x4(table + 128), t3 = vld1q_u8_x4(table + 192);
    const uint8x16_t quarter = vdupq_n_u8(64);
    ptrdiff_t i = 0;
    for (; i + 16 <= n; i += 16) {
        uint8x16_t x = vld1q_u8(in + i);
        uint8x16_t r = vqtbl4q_u8(t0, x);
        x = vsubq_u8(x, quarter);
        r = vqtbx4q_u8(r, t1, x);
        x = vsubq_u8(x, quarter);
        r = vqtbx4q_u8(r, t2, x);
        x = vsubq_u8(x, quarter);
        r = vqtbx4q_u8(r, t3, x);
        vst1q_u8(out + i, r);
    }
    if (i < n) lookup_portable(in + i, table, out + i, n - i);
}
#endif

void tfl_select_lookup(tfl_kernels *k, const tfl_cpu_features *f) {
    k->lookup_8bit = lookup_portable;
#if defined(__x86_64__) || defined(__i386__)
    if (f->avx2_fma) {
        k->lookup_8bit = lookup_avx2;
    }
    if (f->avx512_vbmi) k->lookup_8bit = lookup_vbmi;
#elif defined(__aarch64__)
    if (f->neon) k->lookup_8bit = lookup_neon;
#else
    (void)f;
#endif
}

void tfl_lookup_8bit(const uint8_t *in, const uint8_t *table, uint8_t *out, ptrdiff_t n) {
    tfl_kernels_current()->lookup_8bit(in, table, out, n);
}
