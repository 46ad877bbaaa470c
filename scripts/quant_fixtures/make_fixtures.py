"""Makes the tflquant test fixtures with the real TensorFlow converter.

For each small network: the float model, the converter's float16 model and its dynamic-range
model (Optimize.DEFAULT), plus one input and the float model's output (LiteRT) as reference.
Written to Tests/Fixtures/quant/. Random weights, fixed seeds. Run: .venv/bin/python scripts/quant_fixtures/make_fixtures.py
"""
import os
import sys

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tensorflow as tf  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "Tests", "Fixtures", "quant")


def convnet():
    tf.keras.utils.set_random_seed(1)
    inputs = tf.keras.Input((16, 16, 3), batch_size=1, name="image")
    x = tf.keras.layers.Conv2D(32, 3, padding="same", activation="relu", name="conv_a")(inputs)
    x = tf.keras.layers.DepthwiseConv2D(3, padding="same", activation="relu6", name="dw")(x)
    x = tf.keras.layers.Conv2D(8, 1, name="conv_small")(x)  # 32*8 = 256 weights: stays float
    x = tf.keras.layers.Conv2D(48, 3, strides=2, padding="same", name="conv_b")(x)
    x = tf.keras.layers.GlobalAveragePooling2D()(x)
    x = tf.keras.layers.Dense(40, activation="relu", name="dense_a")(x)
    x = tf.keras.layers.Dense(10, name="logits")(x)
    outputs = tf.keras.layers.Softmax(name="probs")(x)
    return tf.keras.Model(inputs, outputs)


def mlp():
    tf.keras.utils.set_random_seed(2)
    inputs = tf.keras.Input((64,), batch_size=1, name="features")
    x = tf.keras.layers.Dense(64, activation="tanh", name="dense_a")(inputs)
    x = tf.keras.layers.Dense(32, name="dense_b")(x)
    x = tf.keras.layers.Dense(4, name="dense_c")(x)  # 128 weights: stays float
    return tf.keras.Model(inputs, x)


def convert(model, mode):
    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    if mode != "float":
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
    if mode == "float16":
        converter.target_spec.supported_types = [tf.float16]
    return converter.convert()


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, build in [("convnet", convnet), ("mlp", mlp)]:
        model = build()
        for mode in ["float", "float16", "dynamic"]:
            data = convert(model, mode)
            with open(os.path.join(OUT, f"{name}.{mode}.tflite"), "wb") as f:
                f.write(data)
            print(name, mode, len(data), file=sys.stderr)


if __name__ == "__main__":
    main()
