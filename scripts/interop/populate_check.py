#!/usr/bin/env python3
"""Checks a model written by `tflmeta populate` with the real tflite-support and LiteRT.

    .venv/bin/python scripts/interop/populate_check.py ORIGINAL POPULATED [ORIGINAL POPULATED ...]

For each pair:
  * tflite-support's MetadataDisplayer reads POPULATED: its JSON is what `tflmeta show --json`
    prints for POPULATED, and its packed files (names and bytes) are what `tflmeta extract` writes;
  * LiteRT loads ORIGINAL and POPULATED and reports the same inputs, outputs and signatures, and
    gives bit-identical outputs for the same seeded inputs.
Prints one line per model; exit 1 with the reasons if any check fails.
"""

import json
import os
import subprocess
import sys
import tempfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
from ai_edge_litert.interpreter import Interpreter  # noqa: E402
from tensorflow_lite_support.metadata.python import metadata as _metadata  # noqa: E402

TFLMETA = os.environ.get("TFLMETA", ".build/debug/tflmeta")


def tensor_facts(details):
  return [(d["name"], d["dtype"].__name__, list(d["shape"]), list(d["shape_signature"]),
           d["quantization"]) for d in details]


def random_input(detail, rng):
  shape = [max(1, int(s)) for s in detail["shape"]]
  dtype = detail["dtype"]
  if dtype == np.float32:
    return rng.standard_normal(shape).astype(np.float32)
  if dtype == np.bool_:
    return rng.integers(0, 2, shape).astype(np.bool_)
  if np.issubdtype(dtype, np.integer):
    # Small non-negative values: integer inputs are often indices (token ids, lookups).
    return rng.integers(0, 2, shape).astype(dtype)
  if dtype == np.bytes_ or dtype == np.object_:
    return np.array([b"populate interop check"] * int(np.prod(shape)), dtype=object).reshape(shape)
  raise ValueError("no input generator for %s" % dtype)


def run(path, seed):
  interpreter = Interpreter(model_path=path)
  interpreter.allocate_tensors()
  rng = np.random.default_rng(seed)
  for detail in interpreter.get_input_details():
    interpreter.set_tensor(detail["index"], random_input(detail, rng))
  interpreter.invoke()
  outputs = [interpreter.get_tensor(d["index"]).copy() for d in interpreter.get_output_details()]
  facts = (tensor_facts(interpreter.get_input_details()), tensor_facts(interpreter.get_output_details()),
           interpreter.get_signature_list())
  return facts, outputs


def check(original, populated):
  problems = []
  displayer = _metadata.MetadataDisplayer.with_model_file(populated)
  theirs = displayer.get_metadata_json()
  ours = subprocess.run([TFLMETA, "show", "--json", populated], check=True, capture_output=True,
                        text=True).stdout
  if theirs != ours:
    problems.append("MetadataDisplayer JSON differs from `tflmeta show --json`")
  with tempfile.TemporaryDirectory() as directory:
    subprocess.run([TFLMETA, "extract", populated, "-o", directory], check=True, capture_output=True)
    names = sorted(displayer.get_packed_associated_file_list())
    extracted = sorted(os.listdir(directory))
    if names != extracted:
      problems.append("packed files: tflite-support %s, tflmeta %s" % (names, extracted))
    for name in set(names) & set(extracted):
      with open(os.path.join(directory, name), "rb") as f:
        if f.read() != displayer.get_associated_file_buffer(name):
          problems.append("%s: bytes differ" % name)
  for seed in (0, 1):
    before, out_before = run(original, seed)
    after, out_after = run(populated, seed)
    if before != after:
      problems.append("LiteRT reports different tensors or signatures")
      break
    for index, (a, b) in enumerate(zip(out_before, out_after)):
      if a.dtype != b.dtype or a.shape != b.shape or a.tobytes() != b.tobytes():
        problems.append("output %d differs (seed %d)" % (index, seed))
  return problems, json.loads(theirs).get("name", "")


def main(argv):
  if len(argv) < 2 or len(argv) % 2:
    sys.exit(__doc__)
  failed = False
  for original, populated in zip(argv[0::2], argv[1::2]):
    problems, name = check(original, populated)
    if problems:
      failed = True
      print("FAIL %s (%s): %s" % (populated, name, "; ".join(problems)))
    else:
      print("ok   %s (%s)" % (populated, name))
  sys.exit(1 if failed else 0)


if __name__ == "__main__":
  main(sys.argv[1:])
