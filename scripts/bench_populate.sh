#!/usr/bin/env bash
# Benchmarks `tflmeta populate` and `tflmeta show --json` on a model of several hundred MB
# (docs/BENCHMARKS.md). Targets: populate ≤ 1.2× `cp` + `sync` of the same file with peak
# RSS ≤ 64 MB; `show --json` ≤ 20 ms with peak RSS ≤ 32 MB. Warm page cache throughout.
#
#   scripts/bench_populate.sh [MB] [--tflite-support]
#
# MB (default 500) sizes the model (scripts/populate_make_big_model.py, needs the venv once).
# --tflite-support also times tflite-support's MetadataPopulator on the same model and metadata.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
mb="${1:-500}"
with_support="${2:-}"
scratch="$root/.build"
work="${TMPDIR:-/tmp}/tflmeta-bench"
mkdir -p "$work"

swift build -c release --product tflmeta >/dev/null
tool="$scratch/release/tflmeta"
for layout in inline offset; do
  model="$work/big-${mb}-${layout}.tflite"
  if [ ! -f "$model" ]; then
    flag=""; [ "$layout" = offset ] && flag="--offset"
    python=$(scripts/venv.sh)
    "$python" scripts/populate_make_big_model.py "$model" --mb "$mb" $flag >/dev/null 2>&1
  fi
done
model="$work/big-${mb}-inline.tflite"
offset_model="$work/big-${mb}-offset.tflite"

# Metadata like a classifier's: names, description, license, one label file.
seq 0 9999 | sed 's/^/class_/' > "$work/labels.txt"
cat > "$work/spec.json" <<'JSON'
{
  "name": "Big benchmark model",
  "description": "One FULLY_CONNECTED layer with a large weight buffer.",
  "version": "1",
  "author": "tflmeta benchmark",
  "license": "Apache-2.0",
  "subgraph_metadata": [
    {
      "input_tensor_metadata": [{"name": "input"}],
      "output_tensor_metadata": [{"name": "output"}]
    }
  ],
  "associated_files": [{"name": "labels.txt", "description": "Class names.", "type": "DESCRIPTIONS"}]
}
JSON
"$tool" populate "$model" --metadata "$work/spec.json" --file "$work/labels.txt" -o "$work/with-metadata.tflite"
ls -l "$model" "$offset_model" "$work/with-metadata.tflite" | awk '{printf "%s bytes  %s\n", $5, $9}'
cat "$model" "$offset_model" > /dev/null  # warm the page cache

peak_rss() {  # peak RSS in MB of one run of the command
  /usr/bin/time -f "%M" "$@" 2>&1 >/dev/null | tail -1 | awk '{printf "%.1f", $1 / 1024}'
}

echo "== populate vs cp + sync"
hyperfine --warmup 2 --runs 10 -N --export-markdown "$work/populate.md" \
  -n "cp + sync" "sh -c 'cp $model $work/copy.tflite && sync $work/copy.tflite'" \
  -n "tflmeta populate" "$tool populate $model --metadata $work/spec.json --file $work/labels.txt -o $work/out.tflite" \
  -n "tflmeta populate (Buffer.offset model)" "$tool populate $offset_model --metadata $work/spec.json --file $work/labels.txt -o $work/out-offset.tflite" \
  -n "tflmeta populate -i (re-populate)" "$tool populate $work/with-metadata.tflite --name again -i"
cat "$work/populate.md"
echo "peak RSS: populate $(peak_rss "$tool" populate "$model" --metadata "$work/spec.json" --file "$work/labels.txt" -o "$work/out.tflite") MB," \
     "Buffer.offset model $(peak_rss "$tool" populate "$offset_model" --metadata "$work/spec.json" --file "$work/labels.txt" -o "$work/out-offset.tflite") MB," \
     "cp $(peak_rss cp "$model" "$work/copy.tflite") MB"

echo "== show --json"
hyperfine --warmup 5 --runs 50 -N --export-markdown "$work/show.md" \
  -n "tflmeta show --json (${mb} MB)" "$tool show --json $work/with-metadata.tflite" \
  -n "tflmeta show --json (9 KB)" "$tool show --json Tests/Fixtures/metadata/image_classifier_float/model.tflite"
cat "$work/show.md"
echo "peak RSS: show --json $(peak_rss "$tool" show --json "$work/with-metadata.tflite") MB"

if [ "$with_support" = "--tflite-support" ]; then
  echo "== tflite-support MetadataPopulator on the same model"
  python=$(scripts/venv.sh)
  # tflite-support takes a metadata FlatBuffer; ours gives the same one (`tflmeta show --json` round trip).
  "$python" - "$model" "$work/with-metadata.tflite" "$work/labels.txt" "$work/support.tflite" <<'PY'
import shutil, sys, time, resource
from tensorflow_lite_support.metadata.python import metadata as _metadata
model, populated, labels, out = sys.argv[1:]
metadata_buffer = _metadata.MetadataDisplayer.with_model_file(populated).get_metadata_buffer()
start = time.monotonic()
shutil.copyfile(model, out)
populator = _metadata.MetadataPopulator.with_model_file(out)
populator.load_metadata_buffer(metadata_buffer)
populator.load_associated_files([labels])
populator.populate()
elapsed = time.monotonic() - start
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print("tflite-support populate: %.2f s, peak RSS %.0f MB (whole Python process)" % (elapsed, rss))
PY
fi
