#!/usr/bin/env bash
# Benchmarks `tflcodegen` per process (start-up, read model + metadata, translate, render, write)
# on a small model with metadata and the same model grown to 500 MB, with hyperfine.
# Target: ≤ 100 ms per process whatever the model size.
#
#   scripts/bench_codegen.sh [MB]      (default 500; needs hyperfine and .venv with tensorflow)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
mb="${1:-500}"
scratch="$root/.build-codegen-release"
work="${TMPDIR:-/tmp}/tflcodegen-bench"
mkdir -p "$work"

swift build -c release --scratch-path "$scratch" --product tflcodegen -j 2 >/dev/null
tool="$scratch/release/tflcodegen"
small="$root/Tests/Fixtures/codegen/models/ImageClassifierFloat.tflite"
big="$work/BigClassifier${mb}.tflite"
if [ ! -f "$big" ]; then
  .venv/bin/python scripts/codegen_make_big_model.py "$small" "$big" --mb "$mb" 2>/dev/null
fi
detector="$root/Tests/Fixtures/codegen/models/ObjectDetector.tflite"
bert="$root/Tests/Fixtures/codegen/models/BertNLClassifier.tflite"
ls -l "$small" "$big" | awk '{print $5, $9}'

hyperfine --warmup 3 --runs 30 -N \
  --export-markdown "$work/codegen.md" \
  -n "classifier ($(du -h "$small" | cut -f1))" "$tool $small -o $work/out-small" \
  -n "detector" "$tool $detector -o $work/out-detector" \
  -n "BERT classifier" "$tool $bert -o $work/out-bert" \
  -n "classifier grown to ${mb} MB" "$tool $big -o $work/out-big"
cat "$work/codegen.md"
