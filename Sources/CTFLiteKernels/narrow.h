// Narrowing 16 int32 lanes to bytes for a store. Compilers fold `vpmovdb` followed by a store into
// `vpmovdb` with a memory operand, which AMD Zen 4 runs several times slower than the register
// form plus an ordinary store; the empty asm keeps the two apart.
#ifndef TFL_NARROW_H
#define TFL_NARROW_H

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

__attribute__((target("avx512f"), always_inline))
static inline __m128i tfl_narrow_epi32_epi8(__m512i v) {
    __m128i bytes = _mm512_cvtepi32_epi8(v);
    __asm__("" : "+x"(bytes));
    return bytes;
}
#endif

#endif
