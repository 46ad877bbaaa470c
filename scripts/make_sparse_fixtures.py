#!/usr/bin/env python3
"""Fixtures for FULLY_CONNECTED weights stored sparse (the converter's EXPERIMENTAL_SPARSITY).

Writes Tests/Fixtures/sparse/<name>/model.tflite, input_0.npy and output_0.npy for a Dense
layer (4 rows, 64 -> 32 units, bias) whose weights are 75 % zero in blocks:
  float_1x4   float32 weights in 1x4 blocks: FULLY_CONNECTED reads the sparse tensor itself
  int8_1x16   full int8, 1x16 blocks: the same, int8
  int8_1x4    full int8, 1x4 blocks: the converter adds a DENSIFY instead
Reference outputs are LiteRT's builtin kernels (its sparse FULLY_CONNECTED kernels; the
XNNPACK delegate refuses sparse weights).

Run with the project's venv: .venv/bin/python scripts/make_sparse_fixtures.py
"""
import pathlib

import numpy as np
import tensorflow as tf
from ai_edge_litert.interpreter import Interpreter, OpResolverType

ROOT = pathlib.Path(__file__).resolve().parents[1]
OUT = ROOT / "Tests" / "Fixtures" / "sparse"


def convert(rng, block, int8):
    inp = tf.keras.Input((64,), batch_size=4)
    dense = tf.keras.layers.Dense(32)
    model = tf.keras.Model(inp, dense(inp))
    weights = rng.uniform(-1, 1, (64, 32)).astype(np.float32)  # [input, unit]
    keep = rng.uniform(size=(64 // block, 32)) < 0.25  # blocks of `block` inputs per unit
    weights *= np.repeat(keep, block, axis=0)
    dense.set_weights([weights, rng.uniform(-1, 1, 32).astype(np.float32)])
    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    converter.optimizations = [tf.lite.Optimize.EXPERIMENTAL_SPARSITY] + ([tf.lite.Optimize.DEFAULT] if int8 else [])
    if int8:
        def representative():
            for _ in range(20):
                yield [rng.uniform(-1, 1, (4, 64)).astype(np.float32)]
        converter.representative_dataset = representative
        converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    return converter.convert()


def main():
    rng = np.random.default_rng(27)
    for name, block, int8 in [("float_1x4", 4, False), ("int8_1x16", 16, True), ("int8_1x4", 4, True)]:
        model = convert(rng, block, int8)
        interpreter = Interpreter(model_content=model, experimental_op_resolver_type=OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES)
        interpreter.allocate_tensors()
        x = rng.uniform(-1, 1, (4, 64)).astype(np.float32)
        interpreter.set_tensor(interpreter.get_input_details()[0]["index"], x)
        interpreter.invoke()
        out = OUT / name
        out.mkdir(parents=True, exist_ok=True)
        (out / "model.tflite").write_bytes(model)
        np.save(out / "input_0.npy", x)
        np.save(out / "output_0.npy", interpreter.get_tensor(interpreter.get_output_details()[0]["index"]))
        ops = [op["op_name"] for op in interpreter._get_ops_details()]
        print(name, len(model), "bytes:", " ".join(ops))


if __name__ == "__main__":
    main()
