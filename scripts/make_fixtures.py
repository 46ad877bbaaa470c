#!/usr/bin/env python3
"""Builds the TFLite metadata fixtures in Tests/Fixtures/metadata/.

Run with the project venv (see scripts/venv.sh):

    .venv/bin/python scripts/make_fixtures.py [--out DIR] [--only NAME ...]

Every fixture is a SMALL model produced by the real TensorFlow Lite converter
(weights are random with fixed seeds, never trained) and populated with
tflite-support 0.4.4's own metadata writers. For each fixture directory
`<out>/<name>/` the script writes:

  model.tflite  the populated model (flatbuffer + appended zip of files)
  metadata.json MetadataDisplayer.with_model_file(model).get_metadata_json(),
                written byte-for-byte as returned (absent without metadata)
  files/        every packed associated file, named as the displayer lists
                them, bytes from get_associated_file_buffer(name)
  files.txt     get_packed_associated_file_list(), one name per line, in the
                displayer's order (empty when nothing is packed)
  info.json     small facts for the Swift tests: min_parser_version, input and
                output tensors as LiteRT reports them, subgraph count, operator
                codes and the model description

The output is deterministic: fixed seeds, fixed representative data and a
fixed timestamp for the zip entries that the populator appends.

Note: tflite-support is imported as `tensorflow_lite_support.metadata...`;
the `tflite_support.*` package path clashes with TensorFlow's pybind types.
"""

import argparse
import contextlib
import json
import os
import shutil
import sys
import tempfile
import time
import types
import zipfile
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from flatbuffers import flexbuffers  # noqa: E402
import flatbuffers  # noqa: E402
from tensorflow.lite.python import schema_py_generated as tfl_fb  # noqa: E402
from ai_edge_litert.interpreter import Interpreter  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import detection_postprocess  # noqa: E402
from detection_postprocess import grid_anchors  # noqa: E402
from tensorflow_lite_support.metadata import metadata_schema_py_generated as _metadata_fb  # noqa: E402
from tensorflow_lite_support.metadata.python import metadata as _metadata  # noqa: E402
from tensorflow_lite_support.metadata.python.metadata_writers import (  # noqa: E402
    audio_classifier, bert_nl_classifier, image_classifier, image_segmenter,
    metadata_info, nl_classifier, object_detector, writer_utils)

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "Tests" / "Fixtures" / "metadata"

# Timestamp stored in the zip entries of packed associated files
# (2024-01-01 00:00:00). zipfile would otherwise use the current local time.
FIXED_ZIP_EPOCH = 1704067200

tf.config.threading.set_intra_op_parallelism_threads(1)
tf.config.threading.set_inter_op_parallelism_threads(1)


# ----------------------------------------------------------------------------
# Generic helpers
# ----------------------------------------------------------------------------

@contextlib.contextmanager
def fixed_zip_time():
  """Makes zipfile stamp new entries with FIXED_ZIP_EPOCH (determinism)."""
  original = zipfile.time
  zipfile.time = types.SimpleNamespace(
      time=lambda: float(FIXED_ZIP_EPOCH),
      localtime=lambda secs=None: time.gmtime(
          FIXED_ZIP_EPOCH if secs is None else secs),
      gmtime=time.gmtime)
  try:
    yield
  finally:
    zipfile.time = original


def weights(rng, *shape, scale=0.2):
  return tf.Variable((rng.standard_normal(shape) * scale).astype(np.float32))


def convert(module, fn, representative=None, io_type=None):
  """Converts a tf.function of a tf.Module with the real TFLite converter."""
  converter = tf.lite.TFLiteConverter.from_concrete_functions(
      [fn.get_concrete_function()], module)
  if representative is not None:
    converter.optimizations = [tf.lite.Optimize.DEFAULT]
    converter.representative_dataset = representative
    converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    converter.inference_input_type = io_type
    converter.inference_output_type = io_type
  return bytearray(converter.convert())


def populate(writer):
  """MetadataWriter.populate() with deterministic zip timestamps."""
  with fixed_zip_time():
    return bytes(writer.populate())


def write_text_files(tmp, files):
  """Writes {basename: text} into tmp and returns {basename: path}."""
  paths = {}
  for name, content in files.items():
    path = Path(tmp) / name
    data = content if isinstance(content, bytes) else content.encode("utf-8")
    path.write_bytes(data)
    paths[name] = str(path)
  return paths


def lines(*items):
  return "".join(item + "\n" for item in items)


def output_names_by_signature(model_buf, signature="serving_default"):
  """Maps signature output names to subgraph tensor indices."""
  model = tfl_fb.ModelT.InitFromPackedBuf(model_buf, 0)
  for sig in model.signatureDefs or []:
    if sig.signatureKey.decode() == signature:
      return {t.name.decode(): t.tensorIndex for t in sig.outputs}
  raise ValueError("signature %s not found" % signature)


def tensor_names(model_buf, which):
  model = tfl_fb.Model.GetRootAs(model_buf, 0)
  sg = model.Subgraphs(0)
  idx = sg.InputsAsNumpy() if which == "inputs" else sg.OutputsAsNumpy()
  return [sg.Tensors(int(i)).Name().decode() for i in idx]


# ----------------------------------------------------------------------------
# Models (tiny, random weights)
# ----------------------------------------------------------------------------

class TinyCnnClassifier(tf.Module):
  """1x32x32x3 image -> 2 strided convs -> mean pool -> dense -> softmax."""

  def __init__(self, seed, num_classes=5, normalize_inside=False):
    super().__init__()
    rng = np.random.default_rng(seed)
    self.normalize_inside = normalize_inside
    self.c1 = weights(rng, 3, 3, 3, 8)
    self.b1 = weights(rng, 8, scale=0.05)
    self.c2 = weights(rng, 3, 3, 8, 16)
    self.b2 = weights(rng, 16, scale=0.05)
    self.d = weights(rng, 16, num_classes)
    self.db = weights(rng, num_classes, scale=0.05)

  @tf.function(input_signature=[tf.TensorSpec([1, 32, 32, 3], tf.float32,
                                              name="image")])
  def __call__(self, image):
    x = image
    if self.normalize_inside:
      # Raw pixels [0, 255] -> [-1, 1], so a uint8 input needs no metadata
      # normalization (mean 0, std 1).
      x = (x - 127.5) / 127.5
    x = tf.nn.relu(tf.nn.conv2d(x, self.c1, 2, "SAME") + self.b1)
    x = tf.nn.relu(tf.nn.conv2d(x, self.c2, 2, "SAME") + self.b2)
    x = tf.reduce_mean(x, axis=[1, 2])
    return {"probabilities": tf.nn.softmax(tf.matmul(x, self.d) + self.db)}


class TinySsdHead(tf.Module):
  """1x32x32x3 image -> 8x8 grid, one anchor per cell: raw box encodings
  [1, 64, 4] and class predictions [1, 64, num_classes + 1]."""

  def __init__(self, seed, num_classes):
    super().__init__()
    rng = np.random.default_rng(seed)
    self.c1 = weights(rng, 3, 3, 3, 8)
    self.b1 = weights(rng, 8, scale=0.05)
    self.box = weights(rng, 1, 1, 8, 4)
    self.cls = weights(rng, 1, 1, 8, num_classes + 1)
    self.num_classes = num_classes

  @tf.function(input_signature=[tf.TensorSpec([1, 32, 32, 3], tf.float32,
                                              name="image")])
  def __call__(self, image):
    x = tf.nn.relu(tf.nn.conv2d(image, self.c1, 4, "SAME") + self.b1)
    boxes = tf.reshape(tf.nn.conv2d(x, self.box, 1, "SAME"), [1, 64, 4])
    scores = tf.reshape(
        tf.sigmoid(tf.nn.conv2d(x, self.cls, 1, "SAME")),
        [1, 64, self.num_classes + 1])
    return {"box_encodings": boxes, "class_predictions": scores}


class TinySegmenter(tf.Module):
  """1x32x32x3 image -> 1x32x32xC per-pixel softmax."""

  def __init__(self, seed, num_classes):
    super().__init__()
    rng = np.random.default_rng(seed)
    self.c1 = weights(rng, 3, 3, 3, 8)
    self.b1 = weights(rng, 8, scale=0.05)
    self.c2 = weights(rng, 1, 1, 8, num_classes)

  @tf.function(input_signature=[tf.TensorSpec([1, 32, 32, 3], tf.float32,
                                              name="image")])
  def __call__(self, image):
    x = tf.nn.relu(tf.nn.conv2d(image, self.c1, 1, "SAME") + self.b1)
    return {"segmentation_masks": tf.nn.softmax(
        tf.nn.conv2d(x, self.c2, 1, "SAME"), axis=-1)}


class TinyPersonSegmenter(tf.Module):
  """1x32x32x3 image -> 1x16x16x1 sigmoid confidence (one channel, as MediaPipe's selfie
  segmentation): a mask smaller than the input, so mapping it back is exercised."""

  def __init__(self, seed):
    super().__init__()
    rng = np.random.default_rng(seed)
    self.c1 = weights(rng, 3, 3, 3, 4)
    self.c2 = weights(rng, 1, 1, 4, 1)

  @tf.function(input_signature=[tf.TensorSpec([1, 32, 32, 3], tf.float32,
                                              name="image")])
  def __call__(self, image):
    x = tf.nn.relu(tf.nn.conv2d(image, self.c1, 2, "SAME"))
    return {"segmentation_masks": tf.sigmoid(tf.nn.conv2d(x, self.c2, 1, "SAME"))}


class TinyTextClassifier(tf.Module):
  """int32 token ids [1, 16] -> embedding -> mean pool -> dense -> softmax."""

  def __init__(self, seed, vocab_size, num_classes):
    super().__init__()
    rng = np.random.default_rng(seed)
    self.emb = weights(rng, vocab_size, 8)
    self.d = weights(rng, 8, num_classes)

  @tf.function(input_signature=[tf.TensorSpec([1, 16], tf.int32,
                                              name="input_text")])
  def __call__(self, input_text):
    x = tf.reduce_mean(tf.gather(self.emb, input_text), axis=1)
    return {"probability": tf.nn.softmax(tf.matmul(x, self.d))}


class TinyBertLike(tf.Module):
  """ids/mask/segment_ids int32 [1, 16] -> masked mean of embeddings -> dense
  -> softmax [1, 2]. Not a transformer; only the I/O contract matters."""

  def __init__(self, seed, vocab_size, num_classes=2):
    super().__init__()
    rng = np.random.default_rng(seed)
    self.emb = weights(rng, vocab_size, 8)
    self.seg = weights(rng, 2, 8)
    self.d = weights(rng, 8, num_classes)

  @tf.function(input_signature=[
      tf.TensorSpec([1, 16], tf.int32, name="ids"),
      tf.TensorSpec([1, 16], tf.int32, name="mask"),
      tf.TensorSpec([1, 16], tf.int32, name="segment_ids"),
  ])
  def __call__(self, ids, mask, segment_ids):
    x = tf.gather(self.emb, ids) + tf.gather(self.seg, segment_ids)
    m = tf.expand_dims(tf.cast(mask, tf.float32), -1)
    x = tf.reduce_sum(x * m, axis=1) / (tf.reduce_sum(m, axis=1) + 1.0)
    return {"probability": tf.nn.softmax(tf.matmul(x, self.d))}


class TinyAudioClassifier(tf.Module):
  """float waveform [1, 1600] -> dense -> softmax [1, 3] (optionally a second
  head [1, 2])."""

  def __init__(self, seed, heads=(3,)):
    super().__init__()
    rng = np.random.default_rng(seed)
    self.proj = weights(rng, 1600, 4, scale=0.02)
    self.heads = [weights(rng, 4, n) for n in heads]

  @tf.function(input_signature=[tf.TensorSpec([1, 1600], tf.float32,
                                              name="audio")])
  def __call__(self, audio):
    x = tf.nn.relu(tf.matmul(audio, self.proj))
    out = {}
    for i, w in enumerate(self.heads):
      out["head%d" % i if len(self.heads) > 1 else "scores"] = tf.nn.softmax(
          tf.matmul(x, w))
    return out


# ----------------------------------------------------------------------------
# TFLite_Detection_PostProcess surgery (scripts/detection_postprocess.py)
# ----------------------------------------------------------------------------

DETECTION_MAX = 10


def ssd_anchors():
  """8x8 grid of [ycenter, xcenter, h, w] anchors (one per cell)."""
  return grid_anchors(8, 0.25)


def append_detection_postprocess(model_buf, num_classes):
  return detection_postprocess.append(model_buf, ssd_anchors(), num_classes,
                                      max_detections=DETECTION_MAX)


# ----------------------------------------------------------------------------
# Associated file contents
# ----------------------------------------------------------------------------

IMAGE_LABELS = ["daisy", "dandelion", "roses", "sunflowers", "tulips"]
IMAGE_LABELS_FR = ["marguerite", "pissenlit", "roses", "tournesols", "tulipes"]
# ScoreCalibration file: one line per class, "scale,slope,offset[,min_score]";
# an empty line means "no calibration, use default_score" for that class.
SCORE_CALIBRATION = lines(
    "0.9876328110694885,0.36622241139411926,0.5352765321731567",
    "0.9901729226112366,0.8037563562393188,0.5928071141242981,0.0",
    "",
    "0.9867339134216309,0.8046402335166931,0.5941380858421326,0.2",
    "1.0,1.0,0.0")
DETECTOR_LABELS = ["person", "bicycle", "car"]
SEGMENTER_LABELS = ["background", "sky", "grass", "road"]
TEXT_LABELS = ["Negative", "Positive"]
REGEX_VOCAB_WORDS = ["the", "a", "and", "movie", "film", "good", "bad",
                     "great", "awful", "not", "it", "was", "is", "i", "this",
                     "don't", "love"]
BERT_VOCAB = ["[PAD]"] + ["[unused%d]" % i for i in range(3)] + [
    "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "a", "movie", "good", "bad",
    "great", "was", "is", "not", "##s", "##ing", "play", ",", "."]
SP_VOCAB = [("<unk>", 0.0), ("<s>", 0.0), ("</s>", 0.0), ("\u2581the", -1.0),
            ("\u2581movie", -2.0), ("\u2581good", -2.5), ("\u2581bad", -2.5),
            ("s", -3.0), ("\u2581", -3.5)]
AUDIO_LABELS = ["silence", "speech", "music"]
AUDIO_HEAD2_LABELS = ["indoor", "outdoor"]


def sentencepiece_model_bytes():
  """A minimal serialized sentencepiece ModelProto (unigram, identity
  normalization) for the pieces in SP_VOCAB. The metadata writer packs it
  verbatim; the real sentencepiece library (0.2.x) loads it and tokenizes
  "the movies good" as [3, 4, 7, 5]."""
  import struct

  def varint(n):
    out = bytearray()
    while True:
      b = n & 0x7F
      n >>= 7
      out.append(b | (0x80 if n else 0))
      if not n:
        return bytes(out)

  def field(num, wire, payload):
    key = varint((num << 3) | wire)
    if wire == 2:
      return key + varint(len(payload)) + payload
    return key + payload

  out = bytearray()
  for i, (piece, score) in enumerate(SP_VOCAB):
    ptype = 2 if i == 0 else (3 if i < 3 else 1)  # UNKNOWN, CONTROL, NORMAL
    body = (field(1, 2, piece.encode("utf-8")) +
            field(2, 5, struct.pack("<f", score)) + field(3, 0, varint(ptype)))
    out += field(1, 2, body)
  trainer = field(3, 0, varint(1)) + field(4, 0, varint(len(SP_VOCAB)))
  out += field(2, 2, trainer)  # model_type UNIGRAM, vocab_size
  normalizer = field(1, 2, b"identity") + field(3, 0, varint(1))
  out += field(3, 2, normalizer)  # name, add_dummy_prefix
  return bytes(out)


# ----------------------------------------------------------------------------
# Fixtures: each returns the populated (or plain) model buffer.
# ----------------------------------------------------------------------------

def fx_image_classifier_float(tmp):
  m = TinyCnnClassifier(seed=1)
  buf = convert(m, m.__call__)
  paths = write_text_files(tmp, {"labels.txt": lines(*IMAGE_LABELS)})
  writer = image_classifier.MetadataWriter.create_for_inference(
      buf, input_norm_mean=[127.5], input_norm_std=[127.5],
      label_file_paths=[paths["labels.txt"]])
  return populate(writer)


def fx_image_classifier_int8(tmp):
  m = TinyCnnClassifier(seed=2, normalize_inside=True)
  rng = np.random.default_rng(22)

  def representative():
    for i in range(16):
      img = rng.integers(0, 256, size=(1, 32, 32, 3)).astype(np.float32)
      if i == 0:  # pin the calibrated input range to exactly [0, 255]
        img[0, 0, 0, 0], img[0, 0, 0, 1] = 0.0, 255.0
      yield [img]

  buf = convert(m, m.__call__, representative=representative,
                io_type=tf.uint8)
  paths = write_text_files(tmp, {"labels.txt": lines(*IMAGE_LABELS)})
  # uint8 input takes raw pixels (normalization is inside the model), so the
  # metadata normalization is the identity: mean 0, std 1.
  writer = image_classifier.MetadataWriter.create_for_inference(
      buf, input_norm_mean=[0.0], input_norm_std=[1.0],
      label_file_paths=[paths["labels.txt"]])
  return populate(writer)


def fx_image_classifier_calibrated(tmp):
  m = TinyCnnClassifier(seed=3)
  buf = convert(m, m.__call__)
  paths = write_text_files(tmp, {
      "labels.txt": lines(*IMAGE_LABELS),
      "labels_fr.txt": lines(*IMAGE_LABELS_FR),
      "score_calibration.txt": SCORE_CALIBRATION,
  })
  general = metadata_info.GeneralMd(
      name="Tiny flower classifier",
      version="v2",
      description="Calibrated image classifier fixture with English and "
      "French labels.",
      author="Fixture Authors",
      licenses="Apache License. Version 2.0 "
      "http://www.apache.org/licenses/LICENSE-2.0.")
  input_md = metadata_info.InputImageTensorMd(
      name="image",
      description="Input image to be classified.",
      norm_mean=[123.675, 116.28, 103.53],
      norm_std=[58.395, 57.12, 57.375],
      color_space_type=_metadata_fb.ColorSpaceType.RGB,
      tensor_type=_metadata_fb_tensor_type(buf, "inputs"))
  output_md = metadata_info.ClassificationTensorMd(
      name="probability",
      description="Calibrated probabilities of the labels.",
      label_files=[
          metadata_info.LabelFileMd(paths["labels.txt"], locale="en"),
          metadata_info.LabelFileMd(paths["labels_fr.txt"], locale="fr"),
      ],
      tensor_type=_metadata_fb_tensor_type(buf, "outputs"),
      score_calibration_md=metadata_info.ScoreCalibrationMd(
          _metadata_fb.ScoreTransformationType.INVERSE_LOGISTIC,
          default_score=0.2,
          file_path=paths["score_calibration.txt"]))
  writer = image_classifier.MetadataWriter.create_from_metadata_info(
      buf, general_md=general, input_md=input_md, output_md=output_md)
  return populate(writer)


def _metadata_fb_tensor_type(buf, which):
  if which == "inputs":
    return writer_utils.get_input_tensor_types(buf)[0]
  return writer_utils.get_output_tensor_types(buf)[0]


def fx_object_detector(tmp):
  m = TinySsdHead(seed=4, num_classes=len(DETECTOR_LABELS))
  buf = convert(m, m.__call__)
  buf = append_detection_postprocess(buf, num_classes=len(DETECTOR_LABELS))
  paths = write_text_files(tmp, {"labelmap.txt": lines(*DETECTOR_LABELS)})
  writer = object_detector.MetadataWriter.create_for_inference(
      buf, input_norm_mean=[127.5], input_norm_std=[127.5],
      label_file_paths=[paths["labelmap.txt"]])
  return populate(writer)


def fx_image_segmenter(tmp):
  m = TinySegmenter(seed=5, num_classes=len(SEGMENTER_LABELS))
  buf = convert(m, m.__call__)
  paths = write_text_files(tmp, {"labels.txt": lines(*SEGMENTER_LABELS)})
  writer = image_segmenter.MetadataWriter.create_for_inference(
      buf, input_norm_mean=[127.5], input_norm_std=[127.5],
      label_file_paths=[paths["labels.txt"]])
  return populate(writer)


def fx_person_segmenter(tmp):
  m = TinyPersonSegmenter(seed=13)
  buf = convert(m, m.__call__)
  paths = write_text_files(tmp, {"labels.txt": lines("person")})
  writer = image_segmenter.MetadataWriter.create_for_inference(
      buf, input_norm_mean=[127.5], input_norm_std=[127.5],
      label_file_paths=[paths["labels.txt"]])
  return populate(writer)


def fx_nl_classifier(tmp):
  vocab = ["<PAD>", "<START>", "<UNKNOWN>"] + REGEX_VOCAB_WORDS
  m = TinyTextClassifier(seed=6, vocab_size=len(vocab),
                         num_classes=len(TEXT_LABELS))
  buf = convert(m, m.__call__)
  paths = write_text_files(tmp, {
      "vocab.txt": lines(*["%s %d" % (w, i) for i, w in enumerate(vocab)]),
      "labels.txt": lines(*TEXT_LABELS),
  })
  writer = nl_classifier.MetadataWriter.create_for_inference(
      buf,
      tokenizer_md=metadata_info.RegexTokenizerMd(
          delim_regex_pattern=r"[^\w\']+",
          vocab_file_path=paths["vocab.txt"]),
      label_file_paths=[paths["labels.txt"]])
  return populate(writer)


def _bert_names(buf):
  names = tensor_names(buf, "inputs")

  def find(short):
    matches = [n for n in names if n == "serving_default_%s:0" % short]
    if len(matches) != 1:
      raise ValueError("input %s not found in %s" % (short, names))
    return matches[0]

  return dict(ids_name=find("ids"), mask_name=find("mask"),
              segment_name=find("segment_ids"))


def fx_bert_nl_classifier(tmp):
  m = TinyBertLike(seed=7, vocab_size=len(BERT_VOCAB))
  buf = convert(m, m.__call__)
  paths = write_text_files(tmp, {
      "vocab.txt": lines(*BERT_VOCAB),
      "labels.txt": lines(*TEXT_LABELS),
  })
  writer = bert_nl_classifier.MetadataWriter.create_for_inference(
      buf, metadata_info.BertTokenizerMd(paths["vocab.txt"]),
      [paths["labels.txt"]], **_bert_names(buf))
  return populate(writer)


def fx_bert_nl_classifier_sentencepiece(tmp):
  m = TinyBertLike(seed=8, vocab_size=len(SP_VOCAB))
  buf = convert(m, m.__call__)
  paths = write_text_files(tmp, {
      "sp.model": sentencepiece_model_bytes(),
      "sp.vocab": lines(*["%s\t%g" % (p, s) for p, s in SP_VOCAB]),
      "labels.txt": lines(*TEXT_LABELS),
  })
  writer = bert_nl_classifier.MetadataWriter.create_for_inference(
      buf,
      metadata_info.SentencePieceTokenizerMd(
          paths["sp.model"], vocab_file_path=paths["sp.vocab"]),
      [paths["labels.txt"]], **_bert_names(buf))
  return populate(writer)


def fx_audio_classifier(tmp):
  m = TinyAudioClassifier(seed=9)
  buf = convert(m, m.__call__)
  paths = write_text_files(tmp, {"labels.txt": lines(*AUDIO_LABELS)})
  writer = audio_classifier.MetadataWriter.create_for_inference(
      buf, sample_rate=16000, channels=1,
      label_file_paths=[paths["labels.txt"]])
  return populate(writer)


def fx_audio_classifier_multihead(tmp):
  m = TinyAudioClassifier(seed=10, heads=(3, 2))
  buf = convert(m, m.__call__)
  outs = output_names_by_signature(buf)
  model_out_names = tensor_names(buf, "outputs")
  fb = tfl_fb.Model.GetRootAs(buf, 0).Subgraphs(0)
  head_tensor = {k: fb.Tensors(v).Name().decode() for k, v in outs.items()}
  assert sorted(head_tensor.values()) == sorted(model_out_names)
  paths = write_text_files(tmp, {
      "labels_sound.txt": lines(*AUDIO_LABELS),
      "labels_scene.txt": lines(*AUDIO_HEAD2_LABELS),
  })
  # Pass the heads in the opposite order of the model outputs on purpose:
  # the writer orders tensor metadata by `tensor_name`.
  output_mds = [
      metadata_info.ClassificationTensorMd(
          name="scene", description="Scores of the scene labels.",
          label_files=[metadata_info.LabelFileMd(paths["labels_scene.txt"])],
          tensor_type=_metadata_fb_tensor_type(buf, "outputs"),
          tensor_name=head_tensor["head1"]),
      metadata_info.ClassificationTensorMd(
          name="sound", description="Scores of the sound labels.",
          label_files=[metadata_info.LabelFileMd(paths["labels_sound.txt"])],
          tensor_type=_metadata_fb_tensor_type(buf, "outputs"),
          tensor_name=head_tensor["head0"]),
  ]
  writer = audio_classifier.MetadataWriter.create_from_metadata_info_for_multihead(
      buf,
      general_md=metadata_info.GeneralMd(
          name="Tiny two-head audio classifier", version="1",
          description="Classifies sound type and scene from 0.1 s of audio."),
      input_md=metadata_info.InputAudioTensorMd(
          name="audio_clip", description="Input audio clip to be classified.",
          sample_rate=16000, channels=1),
      output_md_list=output_mds)
  return populate(writer)


def fx_custom_metadata(tmp):
  """tflite-support 0.4.4's metadata_info has no CustomMetadata helper, so the
  image classifier writer's metadata is extended with the schema's object API
  (SubGraphMetadata.custom_metadata, a model-level associated file with a
  version) and populated with tflite-support's own MetadataPopulator."""
  m = TinyCnnClassifier(seed=11)
  buf = convert(m, m.__call__)
  paths = write_text_files(tmp, {
      "labels.txt": lines(*IMAGE_LABELS),
      "README.txt": "Fixture model. Not trained; outputs are meaningless.\n",
  })
  writer = image_classifier.MetadataWriter.create_for_inference(
      buf, input_norm_mean=[127.5], input_norm_std=[127.5],
      label_file_paths=[paths["labels.txt"]])
  md = _metadata_fb.ModelMetadataT.InitFromObj(
      _metadata_fb.ModelMetadata.GetRootAsModelMetadata(
          writer._metadata_buffer, 0))
  readme = _metadata_fb.AssociatedFileT()
  readme.name = "README.txt"
  readme.description = "Notes about the fixture."
  readme.type = _metadata_fb.AssociatedFileType.DESCRIPTIONS
  readme.version = "1.0"
  md.associatedFiles = [readme]
  custom_json = _metadata_fb.CustomMetadataT()
  custom_json.name = "com.example.json_options"
  custom_json.data = list(b'{"threshold":0.5,"top_k":3}')
  custom_bin = _metadata_fb.CustomMetadataT()
  custom_bin.name = "com.example.binary"
  custom_bin.data = [0, 1, 2, 127, 128, 254, 255]
  md.subgraphMetadata[0].customMetadata = [custom_json, custom_bin]
  b = flatbuffers.Builder(0)
  b.Finish(md.Pack(b), _metadata.MetadataPopulator.METADATA_FILE_IDENTIFIER)
  populator = _metadata.MetadataPopulator.with_model_buffer(buf)
  populator.load_metadata_buffer(b.Output())
  populator.load_associated_files([paths["labels.txt"], paths["README.txt"]])
  with fixed_zip_time():
    populator.populate()
  return bytes(populator.get_model_buffer())


def fx_plain_float(tmp):
  m = TinyCnnClassifier(seed=12)
  return bytes(convert(m, m.__call__))


FIXTURES = [
    ("image_classifier_float", fx_image_classifier_float),
    ("image_classifier_int8", fx_image_classifier_int8),
    ("image_classifier_calibrated", fx_image_classifier_calibrated),
    ("object_detector", fx_object_detector),
    ("image_segmenter", fx_image_segmenter),
    ("person_segmenter", fx_person_segmenter),
    ("nl_classifier", fx_nl_classifier),
    ("bert_nl_classifier", fx_bert_nl_classifier),
    ("bert_nl_classifier_sentencepiece", fx_bert_nl_classifier_sentencepiece),
    ("audio_classifier", fx_audio_classifier),
    ("audio_classifier_multihead", fx_audio_classifier_multihead),
    ("custom_metadata", fx_custom_metadata),
    ("plain_float", fx_plain_float),
]


# ----------------------------------------------------------------------------
# Writing and checking a fixture directory
# ----------------------------------------------------------------------------

_BUILTIN_NAMES = {v: k for k, v in vars(tfl_fb.BuiltinOperator).items()
                  if not k.startswith("_")}


def model_facts(model_path):
  data = Path(model_path).read_bytes()
  model = tfl_fb.Model.GetRootAs(data, 0)
  op_names, custom_codes = [], []
  for i in range(model.OperatorCodesLength()):
    oc = model.OperatorCodes(i)
    code = max(oc.BuiltinCode(), oc.DeprecatedBuiltinCode())
    op_names.append(_BUILTIN_NAMES[code])
    if oc.CustomCode() is not None:
      custom_codes.append(oc.CustomCode().decode())
  meta = _metadata.get_metadata_buffer(data)
  min_version = None
  if meta is not None:
    v = _metadata_fb.ModelMetadata.GetRootAsModelMetadata(
        meta, 0).MinParserVersion()
    min_version = v.decode() if v is not None else None

  interp = Interpreter(model_path=str(model_path))

  def describe(details):
    out = []
    for d in details:
      scale, zero_point = d["quantization"]
      entry = {"name": d["name"], "dtype": np.dtype(d["dtype"]).name,
               "shape": [int(s) for s in d["shape"]]}
      if scale != 0.0 or zero_point != 0:
        entry["quantization"] = {"scale": float(scale),
                                 "zero_point": int(zero_point)}
      out.append(entry)
    return out

  desc = model.Description()
  facts = {
      "min_parser_version": min_version,
      "inputs": describe(interp.get_input_details()),
      "outputs": describe(interp.get_output_details()),
      "subgraphs": model.SubgraphsLength(),
      "operator_codes": op_names,
  }
  if custom_codes:
    facts["custom_codes"] = custom_codes
  facts["description"] = desc.decode() if desc is not None else None
  return facts


def run_in_litert(model_path):
  """Loads the model in LiteRT, runs it once on deterministic inputs and
  checks the output shapes; returns a short status string."""
  interp = Interpreter(model_path=str(model_path))
  interp.allocate_tensors()
  rng = np.random.default_rng(0)
  for d in interp.get_input_details():
    dtype = np.dtype(d["dtype"])
    if dtype == np.float32:
      value = rng.uniform(-1, 1, size=d["shape"]).astype(np.float32)
    elif dtype == np.uint8:
      value = rng.integers(0, 256, size=d["shape"]).astype(np.uint8)
    else:
      value = rng.integers(0, 2, size=d["shape"]).astype(dtype)
    interp.set_tensor(d["index"], value)
  interp.invoke()
  shapes = []
  for d in interp.get_output_details():
    out = interp.get_tensor(d["index"])
    if list(out.shape) != list(d["shape"]):
      raise AssertionError("%s: output %s has shape %s, expected %s" %
                           (model_path, d["name"], out.shape, d["shape"]))
    if not np.all(np.isfinite(out.astype(np.float64))):
      raise AssertionError("%s: non-finite output" % model_path)
    shapes.append("x".join(str(s) for s in out.shape))
  return ",".join(shapes)


def write_fixture(out_dir, name, model_bytes):
  d = out_dir / name
  if d.exists():
    shutil.rmtree(d)
  d.mkdir(parents=True)
  model_path = d / "model.tflite"
  model_path.write_bytes(model_bytes)

  file_list = []
  if _metadata.get_metadata_buffer(model_bytes) is not None:
    displayer = _metadata.MetadataDisplayer.with_model_file(str(model_path))
    with open(d / "metadata.json", "w", encoding="utf-8", newline="") as f:
      f.write(displayer.get_metadata_json())
    file_list = displayer.get_packed_associated_file_list()
    for fname in file_list:
      target = d / "files" / fname
      target.parent.mkdir(parents=True, exist_ok=True)
      target.write_bytes(displayer.get_associated_file_buffer(fname))
  (d / "files.txt").write_text("".join(f + "\n" for f in file_list),
                               encoding="utf-8")
  facts = model_facts(model_path)
  (d / "info.json").write_text(json.dumps(facts, indent=2) + "\n",
                               encoding="utf-8")
  return model_path, file_list, facts


def main(argv):
  parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
  parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
  parser.add_argument("--only", nargs="*", default=None,
                      help="fixture names to build (default: all)")
  args = parser.parse_args(argv)
  known = [n for n, _ in FIXTURES]
  if args.only:
    unknown = set(args.only) - set(known)
    if unknown:
      parser.error("unknown fixtures: %s (known: %s)" %
                   (", ".join(sorted(unknown)), ", ".join(known)))
  args.out.mkdir(parents=True, exist_ok=True)

  rows = []
  for name, build in FIXTURES:
    if args.only and name not in args.only:
      continue
    with tempfile.TemporaryDirectory() as tmp:
      model_bytes = build(tmp)
    model_path, files, facts = write_fixture(args.out, name, model_bytes)
    status = run_in_litert(model_path)
    rows.append((name, model_path.stat().st_size, facts["min_parser_version"],
                 files, status))

  print()
  print("%-34s %8s %7s  %-28s %s" % ("fixture", "bytes", "parser",
                                       "litert outputs", "packed files"))
  for name, size, version, files, status in rows:
    print("%-34s %8d %7s  %-28s %s" % (name, size, version or "-", status,
                                         ", ".join(files) or "-"))
  total = sum(p.stat().st_size for p in args.out.rglob("*") if p.is_file())
  print("\ntotal size of %s: %d bytes" % (args.out, total))
  return 0


if __name__ == "__main__":
  sys.exit(main(sys.argv[1:]))
