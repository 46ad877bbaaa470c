#!/bin/sh
# The C kernels alone on real layer shapes (scripts/bench/kernels.c), built from this checkout
# with the toolchain's clang; prints milliseconds and GMAC/s per shape.
# usage: scripts/bench/kernels.sh [TRIALS [SECTION]]   (SECTION: gemm, depthwise, elementwise, few, add16, sparse, sparse_s8, sparse_gemv)
# TFL_KERNELS=avx2 (or avx512) runs that level's kernels only.
set -e
root=$(cd "$(dirname "$0")/../.." && pwd)
kernels="$root/Sources/CTFLiteKernels"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
${CC:-clang} -O2 -I"$kernels/include" -I"$kernels" "$root/scripts/bench/kernels.c" "$kernels"/*.c -o "$out/kernels" -lm -lpthread
"$out/kernels" "$@"
