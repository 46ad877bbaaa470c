#!/usr/bin/env python3
"""Trains the ImageClassifier sample: a MobileNet-style int8 classifier of colour digit images.

Real images that ship inside a PyPI package, no download: scikit-learn's handwritten digits.
Each 8×8 digit is scaled to 32×32 (bilinear) and rendered in colour: a random ink colour on a
random background of different brightness, with a little noise, so the network must look at
shapes, not colours. The network is MobileNet-style: a strided 3×3 convolution, then
depthwise-separable blocks (3×3 depthwise + 1×1 pointwise, batch norm folded, ReLU6), global
average pooling and a dense softmax. It is converted by the real TFLite converter to full int8
with uint8 input and output, using a representative set from the training split. Writes:

  Models/color_digits_int8.tflite   no metadata (`tflmeta populate --preset image-classifier` adds it)
  Data/images/<n>_<label>.png       32 held-out images as RGB PNGs (what the Swift app decodes)
  Data/labels.txt                   0..9
  Data/litert.json                  LiteRT's (builtin kernels) top class and score for each PNG

Run from the repository root: `$(scripts/venv.sh) samples/ImageClassifier/scripts/train.py`.
"""
import json
import os
import pathlib
import random
import sys
import struct
import zlib

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import numpy as np
import tensorflow as tf
from scipy.ndimage import zoom
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[3] / "scripts"))
import sample_training  # noqa: E402

HERE = pathlib.Path(__file__).resolve().parent.parent
REPO = HERE.parent.parent
SEED = 3
SIDE = 32

sample_training.deterministic(SEED)


def render(digits, rng):
    """uint8 [N, 32, 32, 3] colour renderings of 8×8 digits (values 0..16)."""
    shapes = np.clip(np.stack([zoom(d / 16.0, SIDE / 8, order=1) for d in digits]), 0, 1)[..., None]
    ink = rng.uniform(0, 255, (len(digits), 1, 1, 3))
    paper = rng.uniform(0, 255, (len(digits), 1, 1, 3))
    # Keep ink and paper apart in brightness so the digit stays visible.
    close = np.abs(ink.mean(-1) - paper.mean(-1)) < 80
    paper[close[..., 0, 0]] = 255 - ink[close[..., 0, 0]]
    images = paper * (1 - shapes) + ink * shapes + rng.normal(0, 6, (len(digits), SIDE, SIDE, 3))
    return np.clip(np.round(images), 0, 255).astype(np.uint8)


def separable(x, filters, stride):
    x = tf.keras.layers.DepthwiseConv2D(3, strides=stride, padding="same", use_bias=False)(x)
    x = tf.keras.layers.BatchNormalization()(x)
    x = tf.keras.layers.ReLU(6.0)(x)
    x = tf.keras.layers.Conv2D(filters, 1, use_bias=False)(x)
    x = tf.keras.layers.BatchNormalization()(x)
    return tf.keras.layers.ReLU(6.0)(x)


def build(batch=None):
    image = tf.keras.Input(shape=(SIDE, SIDE, 3), batch_size=batch, name="image")
    x = tf.keras.layers.Conv2D(16, 3, strides=2, padding="same", use_bias=False)(image)  # 16×16
    x = tf.keras.layers.BatchNormalization()(x)
    x = tf.keras.layers.ReLU(6.0)(x)
    x = separable(x, 32, 1)
    x = separable(x, 64, 2)   # 8×8
    x = separable(x, 64, 1)
    x = separable(x, 128, 2)  # 4×4
    x = tf.keras.layers.GlobalAveragePooling2D()(x)
    probability = tf.keras.layers.Dense(10, activation="softmax", name="probability")(x)
    return tf.keras.Model(image, probability)


def png(pixels):
    """An 8-bit RGB PNG (no filter), written by hand so the script needs no imaging library."""
    height, width, _ = pixels.shape
    raw = b"".join(b"\x00" + pixels[y].tobytes() for y in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def main():
    rng = np.random.default_rng(SEED)
    digits = load_digits()
    x_train, x_test, y_train, y_test = train_test_split(digits.images, digits.target, test_size=0.25,
                                                        random_state=SEED, stratify=digits.target)
    # Six colourings of every training digit.
    train_images = np.concatenate([render(x_train, rng) for _ in range(6)])
    train_labels = np.concatenate([y_train] * 6)
    test_images = render(x_test, rng)

    model = build()
    model.compile(optimizer=tf.keras.optimizers.Adam(2e-3), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(train_images.astype(np.float32) / 255.0, train_labels, epochs=30, batch_size=64, verbose=0, shuffle=True)
    print("Keras test accuracy: %.4f" % model.evaluate(test_images.astype(np.float32) / 255.0, y_test, verbose=0)[1])

    inference = build(batch=1)
    inference.set_weights(model.get_weights())
    converter = tf.lite.TFLiteConverter.from_keras_model(inference)
    converter.optimizations = [tf.lite.Optimize.DEFAULT]
    converter.representative_dataset = lambda: ([img[None].astype(np.float32) / 255.0] for img in train_images[:300])
    converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    converter.inference_input_type = tf.uint8
    converter.inference_output_type = tf.uint8
    raw = HERE / "Models" / "color_digits_int8.tflite"
    raw.parent.mkdir(exist_ok=True)
    raw.write_bytes(converter.convert())

    data = HERE / "Data"
    (data / "images").mkdir(parents=True, exist_ok=True)
    for old in (data / "images").glob("*.png"):
        old.unlink()
    (data / "labels.txt").write_text("".join("%d\n" % d for d in range(10)))
    names = []
    for n in range(32):
        name = "%02d_%d.png" % (n, y_test[n])
        (data / "images" / name).write_bytes(png(test_images[n]))
        names.append(name)

    populated = HERE / "Sources" / "ImageClassifier" / "ColorDigits.tflite"
    sample_training.populate(raw, populated, "image-classifier", "Colour digits (MobileNet-style, int8)",
                             "Recognizes handwritten digits 0-9 drawn in any colour, 32x32 RGB.",
                             "--color-space", "rgb", "--mean", "0", "--std", "255", "--labels", data / "labels.txt")

    from ai_edge_litert.interpreter import Interpreter, OpResolverType
    interpreter = Interpreter(model_path=str(populated), num_threads=1,
                              experimental_op_resolver_type=OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES)
    interpreter.allocate_tensors()
    inp, out = interpreter.get_input_details()[0], interpreter.get_output_details()[0]
    scale, zero = out["quantization"]
    results = {}
    correct = 0
    for n, name in enumerate(names):
        interpreter.set_tensor(inp["index"], test_images[n][None])
        interpreter.invoke()
        scores = interpreter.get_tensor(out["index"])[0]
        top = int(np.argmax(scores))
        results[name] = {"label": top, "score": float((int(scores[top]) - zero) * scale)}
        correct += top == y_test[n]
    all_predictions = []
    for image in test_images:
        interpreter.set_tensor(inp["index"], image[None])
        interpreter.invoke()
        all_predictions.append(int(np.argmax(interpreter.get_tensor(out["index"])[0])))
    accuracy = float(np.mean(np.array(all_predictions) == y_test))
    (data / "litert.json").write_text(json.dumps({"test_accuracy": accuracy, "images": results}, indent=1) + "\n")
    print("LiteRT int8 accuracy on %d held-out images: %.4f; %d of 32 PNGs right" % (len(y_test), accuracy, correct))


if __name__ == "__main__":
    main()
