#!/usr/bin/env python3
"""Writes a large but valid TFLite model for the populate benchmark.

    .venv/bin/python scripts/populate_make_big_model.py OUT.tflite [--mb 500] [--offset]

The model is one FULLY_CONNECTED layer, input [1, K] float32 -> output [1, N], whose weight
buffer ([N, K] float32, random, fixed seed) is about --mb megabytes. It is written with
TensorFlow's own schema object API, so it has the usual layout (weights inline in the
FlatBuffer) or, with --offset, the layout of models over 2 GB (weights after the FlatBuffer at
Buffer.offset). It carries a min_runtime_version metadata entry and a serving_default signature.
LiteRT loads and runs it before the script returns.
"""

import argparse
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import flatbuffers  # noqa: E402
import numpy as np  # noqa: E402
from ai_edge_litert.interpreter import Interpreter  # noqa: E402
from tensorflow.lite.python import schema_py_generated as fb  # noqa: E402


def build(megabytes, offset):
  k = 4096
  n = max(1, int(megabytes * 1e6) // (4 * k))
  rng = np.random.default_rng(0)
  weights = (rng.standard_normal((n, k), dtype=np.float32) * 0.01).tobytes()
  bias = np.zeros(n, dtype=np.float32).tobytes()

  model = fb.ModelT()
  model.version = 3
  model.description = "populate benchmark: one %d x %d FULLY_CONNECTED" % (n, k)
  code = fb.OperatorCodeT()
  code.builtinCode = fb.BuiltinOperator.FULLY_CONNECTED
  code.deprecatedBuiltinCode = fb.BuiltinOperator.FULLY_CONNECTED
  code.version = 1
  model.operatorCodes = [code]

  def buffer(data=None):
    b = fb.BufferT()
    if data is not None and not offset:
      b.data = np.frombuffer(data, dtype=np.uint8)
    return b

  runtime = fb.BufferT()
  runtime.data = np.frombuffer(b"1.5.0\0\0\0\0\0\0\0\0\0\0\0", dtype=np.uint8)
  model.buffers = [fb.BufferT(), buffer(), buffer(weights), buffer(bias), buffer(), runtime]

  def tensor(name, shape, index):
    t = fb.TensorT()
    t.name = name
    t.shape = np.array(shape, dtype=np.int32)
    t.type = fb.TensorType.FLOAT32
    t.buffer = index
    return t

  sg = fb.SubGraphT()
  sg.tensors = [tensor("input", [1, k], 1), tensor("weights", [n, k], 2),
                tensor("bias", [n], 3), tensor("output", [1, n], 4)]
  sg.inputs = np.array([0], dtype=np.int32)
  sg.outputs = np.array([3], dtype=np.int32)
  op = fb.OperatorT()
  op.opcodeIndex = 0
  op.inputs = np.array([0, 1, 2], dtype=np.int32)
  op.outputs = np.array([3], dtype=np.int32)
  op.builtinOptionsType = fb.BuiltinOptions.FullyConnectedOptions
  op.builtinOptions = fb.FullyConnectedOptionsT()
  sg.operators = [op]
  sg.name = "main"
  model.subgraphs = [sg]

  meta = fb.MetadataT()
  meta.name = "min_runtime_version"
  meta.buffer = 5
  model.metadata = [meta]
  sig = fb.SignatureDefT()
  sig.signatureKey = "serving_default"
  sig.subgraphIndex = 0
  for field, name, index in [("inputs", "input", 0), ("outputs", "output", 3)]:
    m = fb.TensorMapT()
    m.name = name
    m.tensorIndex = index
    setattr(sig, field, [m])
  model.signatureDefs = [sig]

  def pack():
    builder = flatbuffers.Builder(1024)
    builder.Finish(model.Pack(builder), file_identifier=b"TFL3")
    return bytes(builder.Output())

  if not offset:
    return [pack()]
  # Weights and bias after the FlatBuffer, 64-byte aligned; placeholders keep the layout.
  model.buffers[2].offset, model.buffers[2].size = 0xFFFFFFFF, len(weights)
  model.buffers[3].offset, model.buffers[3].size = 0xFFFFFFFF, len(bias)
  head = pack()
  start = (len(head) + 63) // 64 * 64
  model.buffers[2].offset = start
  model.buffers[3].offset = (start + len(weights) + 63) // 64 * 64
  head = pack()
  assert (len(head) + 63) // 64 * 64 == start
  gap = bytes(model.buffers[3].offset - start - len(weights))
  return [head, bytes(start - len(head)), weights, gap, bias]


def main():
  parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
  parser.add_argument("out")
  parser.add_argument("--mb", type=float, default=500)
  parser.add_argument("--offset", action="store_true")
  args = parser.parse_args()
  with open(args.out, "wb") as f:
    for part in build(args.mb, args.offset):
      f.write(part)
  interp = Interpreter(model_path=args.out)
  interp.allocate_tensors()
  d = interp.get_input_details()[0]
  interp.set_tensor(d["index"], np.ones(d["shape"], dtype=np.float32))
  interp.invoke()
  out = interp.get_tensor(interp.get_output_details()[0]["index"])
  print("%s: %d bytes, output %s, sum %.6f" % (args.out, os.path.getsize(args.out), out.shape, float(out.sum())))


if __name__ == "__main__":
  sys.exit(main())
