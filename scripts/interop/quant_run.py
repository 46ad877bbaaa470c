#!/usr/bin/env python3
"""Runs a model with the real LiteRT (its builtin kernels, without delegates) on calibration samples and writes its outputs.

    .venv/bin/python scripts/interop/quant_run.py MODEL OUTDIR COUNT INPUT.npy [INPUT.npy ...]

For samples 0..COUNT-1 (rows of each INPUT.npy, one file per model input in input order) writes
OUTDIR/output_<sample>_<output>.npy, the raw output tensors (integer outputs stay integer).
Float samples fed to an integer input are quantized with the input's parameters (round half to
even then clamp, as NumPy rounds). Exit 1 with the reason when LiteRT refuses the model.
"""

import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
from ai_edge_litert.interpreter import Interpreter, OpResolverType  # noqa: E402


def main():
  model, outdir, count, inputs = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
  samples = [np.load(p) for p in inputs]
  try:
    # LiteRT's builtin kernels, which the interpreter follows bit for bit (its reference kernels
    # round int8 FULLY_CONNECTED and convolutions differently, the XNNPACK delegate differently again).
    it = Interpreter(model_path=model, num_threads=1, experimental_op_resolver_type=OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES)
    it.allocate_tensors()
  except Exception as error:  # LiteRT refusing the model is the finding
    print(f"refused {model}: {error}")
    sys.exit(1)
  for k in range(count):
    for detail, values in zip(it.get_input_details(), samples):
      # Samples along axis 0, or the input's own shape as the one sample.
      value = values if tuple(values.shape) == tuple(detail["shape"]) else values[k:k + 1]
      if detail["dtype"] != value.dtype:
        scale, zero = detail["quantization"]
        info = np.iinfo(detail["dtype"])
        value = np.clip(np.round(value / scale) + zero, info.min, info.max).astype(detail["dtype"])
      it.set_tensor(detail["index"], value)
    it.invoke()
    for position, detail in enumerate(it.get_output_details()):
      np.save(os.path.join(outdir, f"output_{k}_{position}.npy"), it.get_tensor(detail["index"]))
  print(f"ok {model}")


if __name__ == "__main__":
  main()
