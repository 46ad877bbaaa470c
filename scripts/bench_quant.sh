#!/usr/bin/env bash
# tflquant's wall time and peak memory per mode on MobileNetV2, beside litert-quantizer's whole
# process and its quantize() call for the same recipe (see docs/BENCHMARKS.md, "Quantization").
#
# usage: scripts/bench_quant.sh [--tflquant PATH] [--model NAME] [--runs N] [--modes "float16 dynamic ..."]
#
# Needs the reference models (scripts/quant/make_reference.py --models mobilenet_v2), hyperfine
# (apt-get install hyperfine) and GNU time (/usr/bin/time). Wall times: hyperfine, 1 warm-up run,
# N runs (default 5; litert-quantizer 3), warm page cache. Peak RSS: /usr/bin/time's maximum
# resident set of one run. int8/int16x8 include calibration on the model's 100 samples (ours with
# --calibration, litert-quantizer's profiler-based calibrate()), so "quantize()" there reads
# "calibrate() + quantize()". Target (issues 22 and 23): ours faster than litert-quantizer's whole
# process, peak RSS under 2x the output size + 32 MB.
set -euo pipefail
cd "$(dirname "$0")/.."
TFLQUANT=.build/release/tflquant
MODEL=mobilenet_v2
RUNS=5
MODES="float16 dynamic weight-int8 int8 int16x8"
while [ $# -gt 0 ]; do
  case "$1" in
    --tflquant) TFLQUANT=$2; shift 2 ;;
    --model) MODEL=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --modes) MODES=$2; shift 2 ;;
    *) echo "bench_quant.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
PY=$(scripts/venv.sh)
DIR=bench-out/quant/$MODEL
[ -f "$DIR/manifest.json" ] || { echo "bench_quant.sh: no $DIR (run \$(scripts/venv.sh) scripts/quant/make_reference.py --models $MODEL)" >&2; exit 1; }
command -v hyperfine >/dev/null || { echo "bench_quant.sh: needs hyperfine (apt-get install hyperfine)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "bench_quant.sh: needs GNU time (apt-get install time)" >&2; exit 1; }
OUT=bench-out/quant/bench
mkdir -p "$OUT"
CALIB=$(ls "$DIR"/calibration/input_*.npy | sort -V | sed 's/^/--calibration /' | tr '\n' ' ')

mean() { "$PY" -c "import json,sys; r=json.load(open(sys.argv[1]))['results'][0]; print(f\"{r['mean']:.3f} ± {r['stddev'] or 0:.3f}\")" "$1"; }
mb() { awk -v k="$1" 'BEGIN { printf "%.0f MB", k / 1024 }'; }

echo "Quantizing $MODEL ($(stat -c %s "$DIR/float32.tflite") bytes float32) on $(nproc) cores, load average $(cut -d' ' -f1 /proc/loadavg)"
echo "tflquant: $TFLQUANT ($(git -C "$(dirname "$TFLQUANT")" log -1 --format=%h 2>/dev/null || echo '?'))"
echo
echo "| mode | tflquant wall s | tflquant peak RSS | output | RSS target | litert-quantizer whole process s | its quantize() s | its peak RSS |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
for mode in $MODES; do
  extra=""
  case $mode in int8) extra="$CALIB --io uint8" ;; int16x8) extra="$CALIB" ;; esac
  ours="$TFLQUANT $DIR/float32.tflite --mode $mode -o $OUT/$mode.tflite $extra"
  rm -f "$OUT/$mode.tflite"
  if [ -x "$TFLQUANT" ] && /usr/bin/time -f %M -o "$OUT/$mode.rss" $ours >"$OUT/$mode.log" 2>&1 && [ -f "$OUT/$mode.tflite" ]; then
    hyperfine -N --style none --warmup 1 --runs "$RUNS" --export-json "$OUT/$mode.ours.json" "$ours" >/dev/null 2>&1
    size=$(stat -c %s "$OUT/$mode.tflite")
    ours_wall=$(mean "$OUT/$mode.ours.json")
    ours_rss=$(mb "$(tail -1 "$OUT/$mode.rss")")
    out_mb=$(awk -v b="$size" 'BEGIN { printf "%.1f MB", b / 1e6 }')
    target=$(awk -v b="$size" 'BEGIN { printf "%.0f MB", (2 * b + 32 * 1048576) / 1048576 }')
  else
    ours_wall="not yet"; ours_rss="–"; out_mb="–"; target="–"
  fi
  lq="$PY scripts/quant/lq_quantize.py --one $DIR $mode"
  if /usr/bin/time -f %M -o "$OUT/$mode.lq.rss" $lq >"$OUT/$mode.lq.log" 2>/dev/null; then
    hyperfine -N --style none --runs 3 --export-json "$OUT/$mode.lq.json" "$lq" >/dev/null 2>&1
    lq_wall=$(mean "$OUT/$mode.lq.json")
    lq_call=$("$PY" -c "import json,sys; p=json.loads(open(sys.argv[1]).read().split('LQ_RESULT ')[1]); print(f\"{p.get('calibrate', 0) + p['quantize']:.3f}\")" "$OUT/$mode.lq.log")
    lq_rss=$(mb "$(tail -1 "$OUT/$mode.lq.rss")")
  else
    lq_wall="refused"; lq_call="–"; lq_rss="–"
  fi
  echo "| $mode | $ours_wall | $ours_rss | $out_mb | $target | $lq_wall | $lq_call | $lq_rss |"
done
