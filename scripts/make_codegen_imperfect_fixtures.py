#!/usr/bin/env python3
"""Small models whose metadata does not fit them, as MediaPipe's real models (tflcodegen, issue #25).

    $(scripts/venv.sh) scripts/make_codegen_imperfect_fixtures.py

Writes into Tests/Fixtures/codegen/models/ (a few KB each, converted by the real TFLite converter,
metadata written by tflite-support's metadata writer):
  HandLandmarkLike.tflite   outputs output_landmarks [1, 63] and output_handedness [1, 1]; the
                            metadata puts a 2-label handedness.txt on the 63-entry tensor, as
                            mediapipe 0.10.14's hand_landmark_full.tflite does ("handedness.txt has
                            2 labels but the tensor's class axis has 63 entries").
  PalmDetectionLike.tflite  outputs output_boxes [1, 8, 18] and output_scores [1, 8, 1]; the
                            metadata calls the scores a classification output with a 1-label file,
                            as palm_detection_full.tflite does on [1, 2016, 1].
  NamedTensors.tflite       HandLandmarkLike without metadata: the wrapper names its outputs from
                            the graph's tensor names (outputLandmarks, outputHandedness).
The graph's tensor names are set with TensorFlow's schema object API (the converter names outputs
Identity, Identity_1). Deterministic: fixed seeds and zip timestamps.
"""
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import flatbuffers  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from tensorflow.lite.python import schema_py_generated as tfl_fb  # noqa: E402

from make_fixtures import convert, lines, populate, weights, write_text_files  # noqa: E402
from tensorflow_lite_support.metadata import metadata_schema_py_generated as _metadata_fb  # noqa: E402
from tensorflow_lite_support.metadata.python.metadata_writers import metadata_info, metadata_writer  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "Tests" / "Fixtures" / "codegen" / "models"


class TwoHeads(tf.Module):
  """image [1, 16, 16, 3] → mean-pooled features → two dense heads of the given shapes."""

  def __init__(self, seed, first, second):
    rng = np.random.default_rng(seed)
    self.first, self.second = first, second
    self.w1 = weights(rng, 3, int(np.prod(first)))
    self.w2 = weights(rng, 3, int(np.prod(second)))

  @tf.function(input_signature=[tf.TensorSpec([1, 16, 16, 3], tf.float32, name="input_image")])
  def __call__(self, image):
    pooled = tf.reduce_mean(image, axis=[1, 2])
    a = tf.reshape(tf.matmul(pooled, self.w1), [1] + list(self.first))
    b = tf.reshape(tf.sigmoid(tf.matmul(pooled, self.w2)), [1] + list(self.second))
    return a, b


def output_shapes(buf):
  model = tfl_fb.ModelT.InitFromObj(tfl_fb.Model.GetRootAsModel(buf, 0))
  graph = model.subgraphs[0]
  return [tuple(int(d) for d in graph.tensors[i].shape) for i in graph.outputs]


def rename_tensors(buf, inputs, outputs_by_shape):
  """The model with its subgraph's input and output tensors renamed (schema object API); the
  converter orders outputs as it likes, so outputs are named by their shape."""
  model = tfl_fb.ModelT.InitFromObj(tfl_fb.Model.GetRootAsModel(buf, 0))
  graph = model.subgraphs[0]
  for index, name in zip(graph.inputs, inputs):
    graph.tensors[index].name = name
  for index in graph.outputs:
    graph.tensors[index].name = outputs_by_shape[tuple(int(d) for d in graph.tensors[index].shape)]
  # Signature keys keep pointing at the same tensor indices.
  builder = flatbuffers.Builder(1024)
  builder.Finish(model.Pack(builder), file_identifier=b"TFL3")
  return bytearray(builder.Output())


def image_input():
  return metadata_info.InputImageTensorMd(
      name="image", description="An RGB image.", norm_mean=[0.0], norm_std=[255.0],
      color_space_type=_metadata_fb.ColorSpaceType.RGB, tensor_type=tfl_fb.TensorType.FLOAT32)


def write(name, data):
  OUT.mkdir(parents=True, exist_ok=True)
  (OUT / name).write_bytes(data)
  print(f"{OUT / name}: {len(data)} bytes")


def with_metadata(buf, name, description, outputs_by_shape, label_file):
  """`buf` with tflite-support's metadata: an RGB image input, the outputs described by shape
  (the converter orders outputs as it likes), `label_file` packed."""
  writer = metadata_writer.MetadataWriter.create_from_metadata_info(
      buf,
      general_md=metadata_info.GeneralMd(name=name, version="1", description=description),
      input_md=[image_input()],
      output_md=[outputs_by_shape[shape] for shape in output_shapes(buf)],
      associated_files=[label_file])
  return populate(writer)


def classification(name, label_file):
  return metadata_info.ClassificationTensorMd(name=name, label_files=[metadata_info.LabelFileMd(label_file)],
                                              tensor_type=tfl_fb.TensorType.FLOAT32)


def main():
  tf.random.set_seed(0)
  with tempfile.TemporaryDirectory() as tmp:
    paths = write_text_files(tmp, {"handedness.txt": lines("Left", "Right"), "palm.txt": lines("Palm")})
    hand = TwoHeads(seed=25, first=(63,), second=(1,))
    buf = rename_tensors(convert(hand, hand.__call__), ["input_image"], {(1, 63): "output_landmarks", (1, 1): "output_handedness"})
    write("NamedTensors.tflite", bytes(buf))
    write("HandLandmarkLike.tflite", with_metadata(
        buf, "HandLandmarkLike", "Metadata that does not fit: a 2-label file on 63 landmark coordinates.",
        {(1, 63): classification("handedness", paths["handedness.txt"]), (1, 1): metadata_info.TensorMd(name="landmarks")},
        paths["handedness.txt"]))

    palm = TwoHeads(seed=26, first=(8, 18), second=(8, 1))
    buf = rename_tensors(convert(palm, palm.__call__), ["input_image"], {(1, 8, 18): "output_boxes", (1, 8, 1): "output_scores"})
    write("PalmDetectionLike.tflite", with_metadata(
        buf, "PalmDetectionLike", "Metadata that does not fit: 8 anchor scores described as one classification.",
        {(1, 8, 18): metadata_info.TensorMd(name="boxes"), (1, 8, 1): classification("scores", paths["palm.txt"])},
        paths["palm.txt"]))


if __name__ == "__main__":
  main()
