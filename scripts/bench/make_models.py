#!/usr/bin/env python3
"""Builds the interpreter benchmark models with the real TFLite converter (weights random:
speed does not depend on training). Writes bench-out/models/<name>.tflite (not committed).

MobileNetV2 224 in float32, float16 weights, dynamic range and full int8; EfficientNet-B0 in
float32 and int8; and the DigitClassifier sample's small CNN (copied from samples/).
"""
import os
import pathlib
import shutil
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import numpy as np
import tensorflow as tf

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "bench-out" / "models"


def convert(model, mode, shape):
    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    rng = np.random.default_rng(0)

    def representative():
        for _ in range(8):
            yield [rng.uniform(-1, 1, size=(1, *shape)).astype(np.float32)]

    if mode == "float16":
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
        converter.target_spec.supported_types = [tf.float16]
    elif mode == "dynamic":
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
    elif mode == "int8":
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
        converter.representative_dataset = representative
        converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
        converter.inference_input_type = tf.int8
        converter.inference_output_type = tf.int8
    return converter.convert()


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    wanted = set(sys.argv[1:])
    tf.keras.utils.set_random_seed(0)
    specs = [
        ("mobilenet_v2", lambda: tf.keras.applications.MobileNetV2(weights=None, input_shape=(224, 224, 3)),
         ["float32", "float16", "dynamic", "int8"]),
        ("efficientnet_b0", lambda: tf.keras.applications.EfficientNetB0(weights=None, input_shape=(224, 224, 3)),
         ["float32", "int8"]),
    ]
    for name, factory, modes in specs:
        model = None
        for mode in modes:
            path = OUT / f"{name}_{mode}.tflite"
            if wanted and path.stem not in wanted:
                continue
            if path.exists():
                continue
            model = model or factory()
            path.write_bytes(convert(model, mode, (224, 224, 3)))
            print(f"{path.name}: {path.stat().st_size / 1e6:.1f} MB")
    for variant in ["float32", "int8"]:
        source = ROOT / "samples" / "DigitClassifier" / "Models" / f"{variant}.tflite"
        if source.exists():
            shutil.copy(source, OUT / f"small_cnn_{variant}.tflite")


if __name__ == "__main__":
    main()
