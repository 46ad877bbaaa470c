"""Whole-model conformance cases, one per task kind, from real models in the repository.

Part of the catalogue scripts/make_conformance.py writes: Tests/Fixtures/conformance/task_<name>/
(model.tflite, input_N.npy, output_N.npy = LiteRT BUILTIN_REF outputs, case.json) for:
  * the metadata fixtures (tflite-support's writers): image classifier (float, int8, calibrated),
    object detector, image segmenter, NL classifier (embeddings), BERT classifier, audio
    classifiers;
  * the samples' trained models: the digit detector and the docstring classifier.
Inputs are seeded: images and audio uniform in the input's range, token ids small non-negative
integers (valid indices), masks ones.
Regenerate:  make fixtures, or .venv/bin/python scripts/make_conformance.py --only 'task_*'
"""
import json
import os
import shutil
import zlib

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np  # noqa: E402
from ai_edge_litert.interpreter import Interpreter, OpResolverType  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

MODELS = {
    "image_classifier_float": "Tests/Fixtures/metadata/image_classifier_float/model.tflite",
    "image_classifier_int8": "Tests/Fixtures/metadata/image_classifier_int8/model.tflite",
    "image_classifier_calibrated": "Tests/Fixtures/metadata/image_classifier_calibrated/model.tflite",
    "object_detector": "Tests/Fixtures/metadata/object_detector/model.tflite",
    "image_segmenter": "Tests/Fixtures/metadata/image_segmenter/model.tflite",
    "nl_classifier": "Tests/Fixtures/metadata/nl_classifier/model.tflite",
    "bert_nl_classifier": "Tests/Fixtures/metadata/bert_nl_classifier/model.tflite",
    "audio_classifier": "Tests/Fixtures/metadata/audio_classifier/model.tflite",
    "audio_classifier_multihead": "Tests/Fixtures/metadata/audio_classifier_multihead/model.tflite",
    "sample_digit_detector": "samples/ObjectDetector/Sources/ObjectDetector/DigitDetector.tflite",
    "sample_docstring_classifier": "samples/TextClassifier/Sources/TextClassifier/DocstringClassifier.tflite",
    "sample_color_digits_mobilenet_int8": "samples/ImageClassifier/Sources/ImageClassifier/ColorDigits.tflite",
    "sample_digit_classifier_int8": "samples/DigitClassifier/Sources/DigitClassifier/DigitInt8.tflite",
    "sample_digit_classifier_int16x8": "samples/DigitClassifier/Sources/DigitClassifier/DigitInt16x8.tflite",
}


def feed(detail, rng):
    shape = [max(1, int(s)) for s in detail["shape"]]
    dtype = detail["dtype"]
    name = detail["name"].lower()
    if dtype == np.float32:
        return rng.uniform(0 if "image" in name else -1, 1, shape).astype(np.float32)
    if "mask" in name:
        return np.ones(shape, dtype=dtype)
    if np.issubdtype(dtype, np.integer) and dtype in (np.int32, np.int64):
        return rng.integers(0, 2 if "segment" in name else 8, shape).astype(dtype)
    info = np.iinfo(dtype)
    return rng.integers(info.min, info.max + 1, shape).astype(dtype)


def operators(interpreter):
    names = sorted({op["op_name"] for op in interpreter._get_ops_details()})
    return ["CUSTOM:" + n if n.startswith("TFLite_") else n for n in names]


class TaskCase:
    """A committed model run as is."""

    def __init__(self, model, relative):
        self.name, self.model, self.relative = "task_" + model, model, relative
        self.op, self.dtype, self.params = "model:" + model, "mixed", {"model": relative}


def all_cases():
    return [TaskCase(model, relative) for model, relative in MODELS.items()]


def write_case(case: TaskCase, root: str):
    """Writes the case's folder under `root`; returns None (LiteRT runs every committed model)."""
    name, relative = case.model, case.relative
    path = os.path.join(REPO, relative)
    rng = np.random.default_rng(zlib.crc32(name.encode()))
    interpreter = Interpreter(model_path=path, num_threads=1,
                              experimental_op_resolver_type=OpResolverType.BUILTIN_REF)
    interpreter.allocate_tensors()
    inputs = [feed(d, rng) for d in interpreter.get_input_details()]
    for detail, value in zip(interpreter.get_input_details(), inputs):
        interpreter.set_tensor(detail["index"], value)
    interpreter.invoke()
    outputs = [np.array(interpreter.get_tensor(d["index"])) for d in interpreter.get_output_details()]
    directory = os.path.join(root, case.name)
    shutil.rmtree(directory, ignore_errors=True)
    os.makedirs(directory)
    shutil.copyfile(path, os.path.join(directory, "model.tflite"))
    for i, x in enumerate(inputs):
        np.save(os.path.join(directory, "input_%d.npy" % i), x, allow_pickle=False)
    for i, y in enumerate(outputs):
        np.save(os.path.join(directory, "output_%d.npy" % i), y, allow_pickle=False)
    is_float = any(np.issubdtype(o.dtype, np.floating) for o in outputs)
    quantized = any(d["dtype"] in (np.int8, np.uint8, np.int16) for d in interpreter.get_tensor_details())
    info = {
        "op": "model:" + name, "dtype": "mixed" if quantized else "float32",
        "params": {"model": relative}, "ops": operators(interpreter),
        "tolerance": {"kind": "relative", "value": 1e-5} if is_float else {"kind": "exact", "value": 0},
        "mode": "whole-model", "generator": "scripts/conformance/tasks.py", "expected_from": "BUILTIN_REF",
    }
    with open(os.path.join(directory, "case.json"), "w") as f:
        json.dump(info, f, indent=1)
        f.write("\n")
    return None
