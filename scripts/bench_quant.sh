#!/usr/bin/env bash
# Benchmarks `tflquant` on a float model in each weight mode (docs/BENCHMARKS.md): best wall
# time of RUNS runs and peak RSS, beside the output size. Targets (issue #22): MobileNetV2 in
# each mode faster than litert-quantizer's whole process for the same recipe, peak RSS under
# 2x the output size + 32 MB. Warm page cache.
#
#   scripts/bench_quant.sh [MODEL] [RUNS]
#
# MODEL defaults to the reference MobileNetV2 of scripts/quant/make_reference.py
# (bench-out/quant/mobilenet_v2/float32.tflite).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
model="${1:-bench-out/quant/mobilenet_v2/float32.tflite}"
runs="${2:-5}"
[ -f "$model" ] || { echo "bench_quant: no $model (make it with scripts/quant/make_reference.py)" >&2; exit 1; }
tool="${TFLQUANT:-}"
if [ -z "$tool" ]; then
  swift build -c release --product tflquant >/dev/null
  tool="$root/.build/release/tflquant"
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cat "$model" >/dev/null  # warm the page cache
printf '%-12s %10s %10s %10s %12s\n' mode "best s" "peak MB" "out MB" "bound MB"
for mode in float16 dynamic weight-int8; do
  best=""
  peak=0
  for _ in $(seq "$runs"); do
    start=$(date +%s%N)
    /usr/bin/time -f '%M' -o "$work/time" "$tool" "$model" --mode "$mode" -o "$work/out.tflite" >/dev/null
    end=$(date +%s%N)
    seconds=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.4f", (b - a) / 1e9 }')
    read -r kb < "$work/time"
    if [ -z "$best" ] || awk "BEGIN { exit !($seconds < $best) }"; then best="$seconds"; fi
    [ "$kb" -gt "$peak" ] && peak="$kb"
  done
  out=$(stat -c %s "$work/out.tflite")
  awk -v m="$mode" -v b="$best" -v p="$peak" -v o="$out" \
    'BEGIN { printf "%-12s %10.3f %10.1f %10.1f %12.1f\n", m, b, p / 1024, o / 1048576, 2 * o / 1048576 + 32 }'
done
