#!/usr/bin/env bash
# Peak multiply-add rate of one core (scripts/bench/peak.c): float32 FMA and the 8- and 16-bit
# dot products, the best of many short runs each (REPEATS runs of ITERATIONS × 12 instructions),
# in G multiply-adds per second. x86-64 with a C compiler.
# usage: scripts/bench_peak.sh [ITERATIONS [REPEATS]]   (default 200 000 and 500)
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cc=${CC:-$(command -v clang || command -v gcc)}
"$cc" -O2 -o "$out/peak" scripts/bench/peak.c
"$out/peak" "$@"
