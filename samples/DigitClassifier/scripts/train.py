#!/usr/bin/env python3
"""Trains the DigitClassifier sample and converts it five ways.

Real data: the handwritten digits set that ships inside scikit-learn (1,797 8×8 images, no
download). A small CNN is trained with TensorFlow, then converted with the real TFLite converter
to float32, float16 weights, dynamic range, full int8 (uint8 I/O) and int16x8, using a
representative set from the training split. Writes, next to this script's parent folder:

  Models/<variant>.tflite     the converted models (no metadata yet; `make demo` adds it)
  Data/test_images.npy        uint8 [N, 8, 8, 1], pixels scaled to 0..255
  Data/test_labels.npy        int32 [N]
  Data/labels.txt             0..9
  Data/calibration.npy        the representative set as float32 [200, 8, 8, 1] (tflquant --calibration)
  Data/litert.json            LiteRT's accuracy and predictions for every variant

Run: `$(scripts/venv.sh) samples/DigitClassifier/scripts/train.py` from the repository root.
"""
import json
import os
import pathlib
import random
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import numpy as np
import tensorflow as tf
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import calibration_split  # noqa: E402
import litert_eval  # noqa: E402

SEED = 7
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[3] / "scripts"))
import sample_training  # noqa: E402

HERE = pathlib.Path(__file__).resolve().parent.parent
MODELS = HERE / "Models"
DATA = HERE / "Data"

sample_training.deterministic(SEED)


def load():
    digits = load_digits()
    # 0..16 → 0..255, the form a camera or a drawing app gives.
    images = np.round(digits.images * (255.0 / 16.0)).astype(np.uint8)[..., None]
    labels = digits.target.astype(np.int32)
    return train_test_split(images, labels, test_size=0.25, random_state=SEED, stratify=labels)


def build():
    inputs = tf.keras.Input(shape=(8, 8, 1), batch_size=1, name="image")
    x = tf.keras.layers.Conv2D(16, 3, padding="same", activation="relu")(inputs)
    x = tf.keras.layers.Conv2D(32, 3, padding="same", activation="relu")(x)
    x = tf.keras.layers.MaxPooling2D(2)(x)
    x = tf.keras.layers.Conv2D(32, 3, padding="same", activation="relu")(x)
    x = tf.keras.layers.GlobalAveragePooling2D()(x)
    x = tf.keras.layers.Dense(32, activation="relu")(x)
    outputs = tf.keras.layers.Dense(10, activation="softmax", name="probability")(x)
    return tf.keras.Model(inputs, outputs)


def convert(model, variant, representative):
    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    if variant == "float16":
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
        converter.target_spec.supported_types = [tf.float16]
    elif variant == "dynamic_range":
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
    elif variant == "int8":
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
        converter.representative_dataset = representative
        converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
        converter.inference_input_type = tf.uint8
        converter.inference_output_type = tf.uint8
    elif variant == "int16x8":
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
        converter.representative_dataset = representative
        converter.target_spec.supported_ops = [
            tf.lite.OpsSet.EXPERIMENTAL_TFLITE_BUILTINS_ACTIVATIONS_INT16_WEIGHTS_INT8
        ]
    return converter.convert()


def main():
    MODELS.mkdir(parents=True, exist_ok=True)
    DATA.mkdir(parents=True, exist_ok=True)
    x_train, x_test, y_train, y_test = load()
    model = build()
    model.compile(optimizer=tf.keras.optimizers.Adam(2e-3), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    # The model's input is pixels / 255 (the normalization the metadata records: mean 0, std 255).
    model.fit(x_train.astype(np.float32) / 255.0, y_train, epochs=40, batch_size=32, verbose=0, shuffle=True)
    keras_accuracy = model.evaluate(x_test.astype(np.float32) / 255.0, y_test, verbose=0)[1]
    print(f"Keras test accuracy: {keras_accuracy:.4f}")

    # Inference models take one image at a time.
    inference = build()
    inference.set_weights(model.get_weights())

    def representative():
        for image in x_train[:200]:
            yield [image[None].astype(np.float32) / 255.0]

    paths = {}
    for variant in ["float32", "float16", "dynamic_range", "int8", "int16x8"]:
        paths[variant] = MODELS / f"{variant}.tflite"
        paths[variant].write_bytes(convert(inference, variant, representative))
    results = {"keras_accuracy": float(keras_accuracy), **litert_eval.evaluate(paths, x_test, y_test)}
    for variant, entry in results["variants"].items():
        print(f"{variant:14s} {paths[variant].stat().st_size:8d} bytes  LiteRT accuracy {entry['accuracy']:.4f}"
              f" (XNNPACK {entry['xnnpack_accuracy']:.4f})")

    np.save(DATA / "test_images.npy", x_test)
    np.save(DATA / "test_labels.npy", y_test)
    np.save(DATA / "calibration.npy", calibration_split.calibration(x_train))
    (DATA / "labels.txt").write_text("".join(f"{d}\n" for d in range(10)))
    (DATA / "litert.json").write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()
