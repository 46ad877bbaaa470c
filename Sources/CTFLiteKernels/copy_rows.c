// Rows assembled from runs: the inner loop of PAD, SLICE, TILE and the other index-map copies
// once their row pattern is fixed (IndexMapCopy). Plain C: each run is one memcpy, the library's
// own vector code, with no per-row bookkeeping left in Swift.
#include <string.h>

#include "CTFLiteKernels.h"

void tfl_copy_rows(uint8_t *dst, const uint8_t *src, const int64_t *bases, ptrdiff_t rows, const int64_t *runs,
                   ptrdiff_t run_count, ptrdiff_t row_bytes, const uint8_t *fill_row) {
    for (ptrdiff_t r = 0; r < rows; ++r, dst += row_bytes) {
        const int64_t base = bases[r];
        if (base < 0) {
            memcpy(dst, fill_row, (size_t)row_bytes);
            continue;
        }
        ptrdiff_t at = 0;
        for (ptrdiff_t k = 0; k < run_count; ++k) {
            const int64_t count = runs[2 * k], source = runs[2 * k + 1];
            memcpy(dst + at, source < 0 ? fill_row + at : src + base + source, (size_t)count);
            at += (ptrdiff_t)count;
        }
    }
}
