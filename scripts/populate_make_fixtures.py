#!/usr/bin/env python3
"""Builds the small models the `populate` tests use, in scripts/populate_fixtures/.

Run with the project venv (see scripts/venv.sh):

    .venv/bin/python scripts/populate_make_fixtures.py

  plain/<name>.tflite       every fixture of Tests/Fixtures/metadata/ without its metadata:
                            the TFLITE_METADATA entry and its buffer removed, the zip of packed
                            files dropped, repacked with TensorFlow's own schema object API.
                            Presets applied to these must give the fixture's metadata.json.
  offset_buffers.tflite     plain_float with its weights after the FlatBuffer at `Buffer.offset`
                            positions (the layout of models over 2 GB).
  large_custom_options.tflite
                            the object detector with its TFLite_Detection_PostProcess options
                            stored after the FlatBuffer (`large_custom_options_offset`).
  two_signatures.tflite     two subgraphs, two signatures (`classify`, `embed`).
  external_buffers.tflite   a model whose root has the fields LiteRT's schema added after v3
                            (external_buffer_groups 8, external_buffers 9); populate keeps them.
  no_subgraphs.tflite       a FlatBuffer-valid model without subgraphs (populate refuses it).
  unknown_root_field.tflite a valid model whose root table has a field (id 10) no schema knows;
                            populate must refuse it rather than lose it.

Every model is loaded and run with LiteRT; variants must give the same outputs as the model they
derive from. The output is deterministic.
"""

import os
import sys
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import flatbuffers  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from ai_edge_litert.interpreter import Interpreter  # noqa: E402
from tensorflow.lite.python import schema_py_generated as tfl_fb  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))
import make_fixtures as mf  # noqa: E402

FIXTURES = REPO / "Tests" / "Fixtures" / "metadata"
OUT = REPO / "scripts" / "populate_fixtures"

tf.config.threading.set_intra_op_parallelism_threads(1)
tf.config.threading.set_inter_op_parallelism_threads(1)


def pack(model, end_hook=None):
  builder = flatbuffers.Builder(0)
  if end_hook is None:
    root = model.Pack(builder)
  else:
    original = tfl_fb.ModelEnd
    tfl_fb.ModelEnd = lambda b: end_hook(b, original)
    try:
      root = model.Pack(builder)
    finally:
      tfl_fb.ModelEnd = original
  builder.Finish(root, file_identifier=b"TFL3")
  return bytes(builder.Output())


def strip_metadata(buf):
  """The model without TFLITE_METADATA (entry and buffer) and without packed files."""
  model = tfl_fb.ModelT.InitFromPackedBuf(buf, 0)
  used = {t.buffer for sg in model.subgraphs for t in sg.tensors}
  kept, dropped = [], []
  for entry in model.metadata or []:
    (dropped if entry.name.decode() == "TFLITE_METADATA" else kept).append(entry)
  model.metadata = kept or None
  for entry in dropped:
    index = entry.buffer
    if index == len(model.buffers) - 1 and index not in used and all(
        e.buffer != index for e in kept):
      model.buffers.pop()
    else:
      model.buffers[index] = tfl_fb.BufferT()
  return pack(model)


def run(path, seed=0):
  """Outputs of every signature (or the plain graph) on deterministic inputs."""
  interp = Interpreter(model_path=str(path))
  results = {}
  signatures = interp.get_signature_list()
  rng = np.random.default_rng(seed)

  def value(detail):
    dtype = np.dtype(detail["dtype"])
    shape = detail["shape"]
    if dtype == np.float32:
      return rng.uniform(-1, 1, size=shape).astype(np.float32)
    if dtype == np.uint8:
      return rng.integers(0, 256, size=shape).astype(np.uint8)
    return rng.integers(0, 2, size=shape).astype(dtype)

  if signatures:
    for key in sorted(signatures):
      runner = interp.get_signature_runner(key)
      inputs = {name: value(d) for name, d in sorted(runner.get_input_details().items())}
      for name, out in sorted(runner(**inputs).items()):
        results[(key, name)] = out
  else:
    interp.allocate_tensors()
    for d in interp.get_input_details():
      interp.set_tensor(d["index"], value(d))
    interp.invoke()
    for d in interp.get_output_details():
      results[d["name"]] = interp.get_tensor(d["index"])
  return results


def same_outputs(a, b):
  ra, rb = run(a), run(b)
  return ra.keys() == rb.keys() and all(np.array_equal(ra[k], rb[k]) for k in ra)


def offset_buffers(plain):
  """The model with every buffer's bytes after the FlatBuffer at Buffer.offset/size, as the
  converter writes models over 2 GB (`_experimental_use_buffer_offset`, whose own output is not
  deterministic, so the layout is rebuilt here): 64-byte aligned, in buffer order."""
  model = tfl_fb.ModelT.InitFromPackedBuf(plain, 0)
  moved = []
  for index, b in enumerate(model.buffers):
    if b.data is not None and len(b.data) and model.metadata and any(
        m.buffer == index for m in model.metadata):
      continue  # metadata entries (min_runtime_version) stay inline, as the converter does
    if b.data is not None and len(b.data):
      moved.append((b, bytes(np.asarray(b.data, dtype=np.uint8))))
      b.data = None
      b.offset, b.size = 0xFFFFFFFF, len(moved[-1][1])
  head = pack(model)
  position = (len(head) + 63) // 64 * 64
  tail = bytearray()
  for b, data in moved:
    b.offset = position + len(tail)
    tail += data + bytes((-len(data)) % 64)
  fb = pack(model)
  assert len(fb) == len(head)
  return fb + bytes(position - len(fb)) + bytes(tail)


def large_custom_options(plain_detector):
  model = tfl_fb.ModelT.InitFromPackedBuf(plain_detector, 0)
  ops = [op for sg in model.subgraphs for op in sg.operators
         if op.customOptions is not None and len(op.customOptions)]
  assert len(ops) == 1, "expected the detection post-processing op"
  op = ops[0]
  options = bytes(np.asarray(op.customOptions, dtype=np.uint8))
  op.customOptions = None
  op.largeCustomOptionsSize = len(options)
  op.largeCustomOptionsOffset = 0xFFFFFFFF  # placeholder of the final width
  position = (len(pack(model)) + 15) // 16 * 16
  op.largeCustomOptionsOffset = position
  fb = pack(model)
  assert (len(fb) + 15) // 16 * 16 == position
  return fb + bytes(position - len(fb)) + options


class TwoSignatures(tf.Module):

  def __init__(self):
    super().__init__()
    rng = np.random.default_rng(31)
    self.w = tf.Variable(rng.standard_normal((8, 4)).astype(np.float32))
    self.v = tf.Variable(rng.standard_normal((8, 3)).astype(np.float32))

  @tf.function(input_signature=[tf.TensorSpec([1, 8], tf.float32, name="x")])
  def classify(self, x):
    return {"scores": tf.nn.softmax(tf.matmul(x, self.w))}

  @tf.function(input_signature=[tf.TensorSpec([1, 8], tf.float32, name="x")])
  def embed(self, x):
    return {"embedding": tf.tanh(tf.matmul(x, self.v))}


def two_signatures():
  m = TwoSignatures()
  converter = tf.lite.TFLiteConverter.from_concrete_functions(
      [m.classify.get_concrete_function(), m.embed.get_concrete_function()], m)
  return bytes(converter.convert())


def external_buffers(plain):
  """Adds LiteRT's external_buffer_groups/external_buffers (not used by any tensor)."""
  from ai_edge_litert import schema_py_generated as litert_fb
  model = litert_fb.ModelT.InitFromPackedBuf(plain, 0)
  group = litert_fb.ExternalBufferGroupT()
  group.name = "weights.bin"
  external = litert_fb.ExternalBufferT()
  external.id = 1
  external.group = 0
  external.offset = 4096
  external.length = 64
  model.externalBufferGroups = [group]
  model.externalBuffers = [external]
  builder = flatbuffers.Builder(0)
  builder.Finish(model.Pack(builder), file_identifier=b"TFL3")
  return bytes(builder.Output())


def unknown_root_field(plain):
  model = tfl_fb.ModelT.InitFromPackedBuf(plain, 0)

  def end(builder, original):
    # Field id 10: a uint32 no schema knows (v3 has 8 fields, LiteRT's 10).
    builder.PrependUint32Slot(10, 0xC0FFEE, 0)
    return original(builder)

  original_start = tfl_fb.ModelStart
  tfl_fb.ModelStart = lambda b: b.StartObject(11)
  try:
    return pack(model, end)
  finally:
    tfl_fb.ModelStart = original_start


def no_subgraphs():
  model = tfl_fb.ModelT()
  model.version = 3
  model.description = "no subgraphs"
  model.buffers = [tfl_fb.BufferT()]
  return pack(model)


def main():
  (OUT / "plain").mkdir(parents=True, exist_ok=True)
  rows = []
  for fixture in sorted(p for p in FIXTURES.iterdir() if (p / "model.tflite").exists()):
    original = (fixture / "model.tflite").read_bytes()
    plain = strip_metadata(original)
    path = OUT / "plain" / (fixture.name + ".tflite")
    path.write_bytes(plain)
    assert same_outputs(fixture / "model.tflite", path), fixture.name
    rows.append((path, len(plain)))

  path = OUT / "offset_buffers.tflite"
  path.write_bytes(offset_buffers((OUT / "plain" / "plain_float.tflite").read_bytes()))
  assert same_outputs(OUT / "plain" / "plain_float.tflite", path)
  rows.append((path, path.stat().st_size))

  plain_detector = (OUT / "plain" / "object_detector.tflite").read_bytes()
  path = OUT / "large_custom_options.tflite"
  path.write_bytes(large_custom_options(plain_detector))
  assert same_outputs(OUT / "plain" / "object_detector.tflite", path)
  rows.append((path, path.stat().st_size))

  path = OUT / "two_signatures.tflite"
  path.write_bytes(two_signatures())
  assert sorted(Interpreter(model_path=str(path)).get_signature_list()) == ["classify", "embed"]
  run(path)
  rows.append((path, path.stat().st_size))

  path = OUT / "external_buffers.tflite"
  path.write_bytes(external_buffers((OUT / "plain" / "plain_float.tflite").read_bytes()))
  assert same_outputs(OUT / "plain" / "plain_float.tflite", path)
  rows.append((path, path.stat().st_size))

  path = OUT / "unknown_root_field.tflite"
  path.write_bytes(unknown_root_field((OUT / "plain" / "plain_float.tflite").read_bytes()))
  assert same_outputs(OUT / "plain" / "plain_float.tflite", path)
  rows.append((path, path.stat().st_size))

  path = OUT / "no_subgraphs.tflite"
  path.write_bytes(no_subgraphs())
  rows.append((path, path.stat().st_size))

  for path, size in rows:
    print("%8d  %s" % (size, path.relative_to(REPO)))


if __name__ == "__main__":
  main()
