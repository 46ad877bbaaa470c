#!/usr/bin/env python3
"""Writes a large TFLite model WITH metadata for the tflcodegen benchmark.

    .venv/bin/python scripts/codegen_make_big_model.py SOURCE.tflite OUT.tflite [--mb 500]

Takes a model with metadata and packed files (e.g. Tests/Fixtures/codegen/models/
ImageClassifierFloat.tflite), adds an unused buffer of --mb megabytes of random bytes through
TensorFlow's schema object API (so the metadata buffer index and every other field are kept),
and re-appends the original packed-files zip. The result has the same metadata and files as the
source, and is --mb megabytes bigger.
"""

import argparse
import os
import struct

import flatbuffers
import numpy as np
from tensorflow.lite.python import schema_py_generated as fb


def zip_start(data):
  """Start of the zip appended after the FlatBuffer (from the end-of-central-directory record)."""
  eocd = data.rfind(b"PK\x05\x06")
  size, offset = struct.unpack("<II", data[eocd + 12:eocd + 20])
  directory = eocd - size
  shift = directory - offset
  # The smallest local header offset is the archive's start.
  cursor, start = directory, directory
  count = struct.unpack("<H", data[eocd + 10:eocd + 12])[0]
  for _ in range(count):
    name_len, extra_len, comment_len = struct.unpack("<HHH", data[cursor + 28:cursor + 34])
    local = struct.unpack("<I", data[cursor + 42:cursor + 46])[0] + shift
    start = min(start, local)
    cursor += 46 + name_len + extra_len + comment_len
  return start, shift


def rebase(archive, delta):
  """Adds `delta` to the file-relative offsets of a zip that moves by `delta` bytes."""
  archive = bytearray(archive)
  eocd = archive.rfind(b"PK\x05\x06")
  count = struct.unpack("<H", archive[eocd + 10:eocd + 12])[0]
  size, offset = struct.unpack("<II", archive[eocd + 12:eocd + 20])
  struct.pack_into("<I", archive, eocd + 16, offset + delta)
  cursor = eocd - size
  for _ in range(count):
    name_len, extra_len, comment_len = struct.unpack("<HHH", archive[cursor + 28:cursor + 34])
    local = struct.unpack("<I", archive[cursor + 42:cursor + 46])[0]
    struct.pack_into("<I", archive, cursor + 42, local + delta)
    cursor += 46 + name_len + extra_len + comment_len
  return bytes(archive)


def main():
  parser = argparse.ArgumentParser()
  parser.add_argument("source")
  parser.add_argument("output")
  parser.add_argument("--mb", type=int, default=500)
  args = parser.parse_args()
  data = open(args.source, "rb").read()
  start, shift = zip_start(data)
  archive = data[start:]
  model = fb.ModelT.InitFromPackedBuf(bytearray(data[:start]), 0)
  big = fb.BufferT()
  big.data = np.random.default_rng(0).integers(0, 256, size=args.mb * 1_000_000, dtype=np.uint8)
  model.buffers.append(big)
  builder = flatbuffers.Builder(args.mb * 1_000_000 + 1_000_000)
  builder.Finish(model.Pack(builder), file_identifier=b"TFL3")
  flat = bytes(builder.Output())
  if shift == 0:
    archive = rebase(archive, len(flat) - start)
  with open(args.output, "wb") as out:
    out.write(flat)
    out.write(archive)
  print(f"{args.output}: {os.path.getsize(args.output) / 1e6:.1f} MB")


if __name__ == "__main__":
  main()
