#!/usr/bin/env bash
# Build the libFuzzer targets in FuzzTesting/ and run each for SECONDS (default 600), one at a
# time and under `nice -n 19` (the machine is shared). Seeds come from the test fixtures; the
# growing corpora and any crash artifacts go to fuzz-out/ (not committed).
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]     e.g. scripts/fuzz.sh 300 FuzzZip FuzzNumPy
#
# A crash leaves fuzz-out/artifacts/<Target>-crash-<sha1>; minimize it with
#   SWIFT_BACKTRACE=enable=no .build-fuzz/release/<Target> -minimize_crash=1 -runs=10000 ARTIFACT
# (without SWIFT_BACKTRACE=enable=no the Swift runtime's backtracer can stall each crashing run)
# and commit it under Tests/Fixtures/fuzz-regressions/<target>/ (see docs/FUZZING.md).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SECONDS_EACH="${1:-600}"
shift || true
TARGETS=("$@")
if [ ${#TARGETS[@]} -eq 0 ]; then
  TARGETS=(FuzzModel FuzzMetadataFlatBuffer FuzzMetadataJSON FuzzZip FuzzNumPy FuzzInterpreter FuzzCodegen FuzzVerifier FuzzQuantize FuzzImageDecoding)
fi
SCRATCH="${FUZZ_SCRATCH:-$ROOT/.build-fuzz}"
OUT="${FUZZ_OUT:-$ROOT/fuzz-out}"
# release (-O keeps Swift's bounds and overflow traps; ~20x the executions of debug) or debug.
CONFIG="${FUZZ_CONFIG:-release}"

echo "== building the fuzz targets ($CONFIG, -sanitize=fuzzer,address; C kernels with -fsanitize=address) into $SCRATCH"
# The targets exercise `package` declarations of the libraries (readers, verifier, codegen
# internals): one package name for every module of the build (the last -package-name wins)
# lets FuzzTesting, a package of its own, see them.
build() {
  (cd "$ROOT/FuzzTesting" && nice -n 19 swift build -c "$CONFIG" --scratch-path "$SCRATCH" \
     -Xswiftc -sanitize=fuzzer,address -Xcc -fsanitize=address -Xswiftc -package-name -Xswiftc tfliteswift)
}
# SwiftPM's incremental state can miss a C file added to the parent package (an undefined
# symbol at link time): start the scratch directory afresh once before giving up.
build || { echo "== incremental build failed; rebuilding from scratch"; rm -rf "$SCRATCH"; build; }
BIN="$SCRATCH/$CONFIG"

echo "== seeding corpora from the test fixtures into $OUT/seeds"
python3 - "$ROOT" "$OUT/seeds" <<'PY'
import glob, os, struct, sys
root, out = sys.argv[1], sys.argv[2]
def put(target, name, data):
    d = os.path.join(out, target); os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f: f.write(data)
fx = os.path.join(root, "Tests/Fixtures")
models = sorted(glob.glob(f"{fx}/metadata/*/model.tflite"))
conformance = sorted(glob.glob(f"{fx}/conformance/*/model.tflite"))
for p in models:
    case = p.split("/")[-2]
    data = open(p, "rb").read()
    put("FuzzModel", case, data)
    put("FuzzInterpreter", case, data)
    # The metadata FlatBuffer: a [ubyte] vector whose bytes carry the M001 identifier at 4.
    i = data.find(b"M001")
    if i >= 4:
        n = struct.unpack_from("<I", data, i - 8)[0]
        if 0 < n <= len(data) - (i - 4):
            put("FuzzMetadataFlatBuffer", case, data[i - 4:i - 4 + n])
            put("FuzzVerifier", case + "_metadata", data[i - 4:i - 4 + n])
    # The zip: from a little before the first local header to the end.
    z = data.find(b"PK\x03\x04")
    if z >= 0:
        put("FuzzZip", case, data[max(0, z - 8):])
    js = os.path.join(os.path.dirname(p), "metadata.json")
    if os.path.exists(js):
        put("FuzzMetadataJSON", case, open(js, "rb").read())
# The code generator: the codegen fixture models (every wrapper kind) and the metadata models.
for p in sorted(glob.glob(f"{fx}/codegen/models/*.tflite")) + models:
    put("FuzzCodegen", os.path.basename(os.path.dirname(p)) + "_" + os.path.basename(p), open(p, "rb").read())
# The image decoders: the PNG and JPEG fixtures, hostile ones included.
for p in sorted(glob.glob(f"{fx}/images/*.png") + glob.glob(f"{fx}/images/*.jpg")):
    put("FuzzImageDecoding", os.path.basename(p), open(p, "rb").read())
# The quantizer: its float fixtures and the metadata models.
for p in sorted(glob.glob(f"{fx}/quant/*.float.tflite")) + models:
    put("FuzzQuantize", os.path.basename(os.path.dirname(p)) + "_" + os.path.basename(p), open(p, "rb").read())
# Conformance models: one per op kind and type keeps the seed set small and varied.
seen = set()
for p in conformance:
    case = p.split("/")[-2]
    if os.path.getsize(p) > 64 * 1024: continue
    put("FuzzInterpreter", case, open(p, "rb").read())
    key = case.split("_")[0] + "_" + case.split("_")[-1]
    if key not in seen:
        seen.add(key); put("FuzzModel", case, open(p, "rb").read())
        # The verifier: small models, every table kind of the schema somewhere among them.
        if os.path.getsize(p) <= 16 * 1024: put("FuzzVerifier", case, open(p, "rb").read())
    for n in sorted(glob.glob(os.path.join(os.path.dirname(p), "*.npy")))[:1]:
        put("FuzzNumPy", case + "_" + os.path.basename(n), open(n, "rb").read())
for p in sorted(glob.glob(f"{root}/Tests/Fixtures/fuzz-regressions/*/*")):
    target = {"model": "FuzzModel", "metadata-flatbuffer": "FuzzMetadataFlatBuffer", "metadata-json": "FuzzMetadataJSON",
              "zip": "FuzzZip", "npy": "FuzzNumPy", "interpreter": "FuzzInterpreter", "codegen": "FuzzCodegen",
              "verifier": "FuzzVerifier", "quantize": "FuzzQuantize"}.get(p.split("/")[-2])
    if target: put(target, "regression-" + os.path.basename(p), open(p, "rb").read())
PY

mkdir -p "$OUT/artifacts"
for target in "${TARGETS[@]}"; do
  corpus="$OUT/corpus/$target"
  mkdir -p "$corpus"
  echo "== $target for ${SECONDS_EACH}s (corpus $corpus)"
  # Leak checking is off: Swift's runtime caches look like leaks to LeakSanitizer.
  ASAN_OPTIONS="detect_leaks=0:allocator_may_return_null=1" nice -n 19 "$BIN/$target" \
    -max_total_time="$SECONDS_EACH" -timeout=20 -rss_limit_mb=2048 -max_len=131072 \
    -print_final_stats=1 -artifact_prefix="$OUT/artifacts/$target-" \
    "$corpus" "$OUT/seeds/$target" 2>&1 | tee "$OUT/$target.log" | grep -E "^#[0-9]+ +(INITED|DONE)|stat::|ERROR|SUMMARY|Test unit written" || true
done
ls -l "$OUT/artifacts"
