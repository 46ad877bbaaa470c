"""Makes the tflquant test fixtures with the real TensorFlow converter.

For each small network (a conv net, an MLP, an embedding net): the float model, the converter's
float16 model and its dynamic-range model (Optimize.DEFAULT), written to Tests/Fixtures/quant/. Random weights, fixed seeds. Run: .venv/bin/python scripts/quant_fixtures/make_fixtures.py [NETWORK...]
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


def embed():
    tf.keras.utils.set_random_seed(3)
    inputs = tf.keras.Input((16,), batch_size=1, dtype=tf.int32, name="ids")
    x = tf.keras.layers.Embedding(300, 16, name="table")(inputs)  # 4800 values: GATHER of int8
    x = tf.keras.layers.GlobalAveragePooling1D()(x)
    x = tf.keras.layers.Dense(8, name="head")(x)
    return tf.keras.Model(inputs, x)


NETWORKS = {"convnet": convnet, "mlp": mlp, "embed": embed}


def convert(model, mode):
    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    if mode != "float":
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
    if mode == "float16":
        converter.target_spec.supported_types = [tf.float16]
    return converter.convert()


def main():
    os.makedirs(OUT, exist_ok=True)
    for name in sys.argv[1:] or list(NETWORKS):
        model = NETWORKS[name]()
        for mode in ["float", "float16", "dynamic"]:
            data = convert(model, mode)
            with open(os.path.join(OUT, f"{name}.{mode}.tflite"), "wb") as f:
                f.write(data)
            print(name, mode, len(data), file=sys.stderr)


if __name__ == "__main__":
    main()
