#!/usr/bin/env python3
"""Writes Tests/Fixtures/codegen/models/BatchClassifier.tflite: an image classifier whose
input is declared with a dynamic batch dimension (shape_signature [-1, 32, 32, 3]), converted by
the real TFLite converter and given image-classifier metadata by tflite-support's writer, so
generated wrappers run `predictions(_:)` through the batch dimension (docs/CODEGEN.md).

Random weights with a fixed seed, fixed zip timestamps: the output is deterministic.
Run with the venv's python: $(scripts/venv.sh) scripts/make_codegen_batch_fixture.py
"""
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_fixtures import convert, populate, write_text_files, lines, weights  # noqa: E402
from tensorflow_lite_support.metadata.python.metadata_writers import image_classifier  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "Tests" / "Fixtures" / "codegen" / "models" / "BatchClassifier.tflite"


class BatchCnn(tf.Module):
  """[batch]x32x32x3 image -> strided conv -> depthwise conv -> mean pool -> dense -> softmax."""

  def __init__(self, seed=11, num_classes=4):
    super().__init__()
    rng = np.random.default_rng(seed)
    self.c1 = weights(rng, 3, 3, 3, 8)
    self.b1 = weights(rng, 8, scale=0.05)
    self.dw = weights(rng, 3, 3, 8, 1)
    self.d = weights(rng, 8, num_classes)
    self.db = weights(rng, num_classes, scale=0.05)

  @tf.function(input_signature=[tf.TensorSpec([None, 32, 32, 3], tf.float32, name="image")])
  def __call__(self, image):
    x = tf.nn.relu(tf.nn.conv2d(image, self.c1, 2, "SAME") + self.b1)
    x = tf.nn.relu6(tf.nn.depthwise_conv2d(x, self.dw, [1, 1, 1, 1], "SAME"))
    x = tf.reduce_mean(x, axis=[1, 2])
    return {"probabilities": tf.nn.softmax(tf.matmul(x, self.d) + self.db)}


def main():
  module = BatchCnn()
  model = convert(module, module.__call__)
  with tempfile.TemporaryDirectory() as tmp:
    files = write_text_files(tmp, {"labels.txt": lines("cat", "dog", "owl", "fox")})
    writer = image_classifier.MetadataWriter.create_for_inference(
        bytes(model), input_norm_mean=[127.5], input_norm_std=[127.5], label_file_paths=[files["labels.txt"]])
    data = populate(writer)
  OUT.write_bytes(data)
  print(f"wrote {OUT.relative_to(REPO)} ({len(data)} bytes)")


if __name__ == "__main__":
  main()
