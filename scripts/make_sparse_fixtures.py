#!/usr/bin/env python3
"""Fixtures for FULLY_CONNECTED weights stored sparse (the converter's EXPERIMENTAL_SPARSITY).

Writes Tests/Fixtures/sparse/<name>/model.tflite, input_0.npy and output_0.npy for a Dense
layer (bias) whose weights are 75 % zero in blocks:
  float_1x4          4 rows, 64 -> 32, float32 weights in 1x4 blocks: FULLY_CONNECTED reads the
                     sparse tensor itself
  int8_1x16          the same, full int8 in 1x16 blocks
  int8_1x4           the same, full int8 in 1x4 blocks: the converter adds a DENSIFY instead
  int8_1x16_row      1 row, 272 -> 80 (a depth that is not a multiple of 16), full int8 in 1x16
                     blocks: the shape the block-sparse int8 product runs
  dynamic_1x16_row   the same with dynamic-range quantization (float input, int8 weights)
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


def convert(rng, block, quantization, rows=4, depth=64, units=32):
    inp = tf.keras.Input((depth,), batch_size=rows)
    dense = tf.keras.layers.Dense(units)
    model = tf.keras.Model(inp, dense(inp))
    weights = rng.uniform(-1, 1, (depth, units)).astype(np.float32)  # [input, unit]
    keep = rng.uniform(size=(-(-depth // block), units)) < 0.25  # blocks of `block` inputs per unit
    weights *= np.repeat(keep, block, axis=0)[:depth]
    dense.set_weights([weights, rng.uniform(-1, 1, units).astype(np.float32)])
    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    converter.optimizations = [tf.lite.Optimize.EXPERIMENTAL_SPARSITY] + ([tf.lite.Optimize.DEFAULT] if quantization else [])
    int8 = quantization == "int8"
    if int8:
        def representative():
            for _ in range(20):
                yield [rng.uniform(-1, 1, (rows, depth)).astype(np.float32)]
        converter.representative_dataset = representative
        converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    return converter.convert()


def main():
    rng = np.random.default_rng(27)
    cases = [("float_1x4", 4, None, {}), ("int8_1x16", 16, "int8", {}), ("int8_1x4", 4, "int8", {}),
             ("int8_1x16_row", 16, "int8", dict(rows=1, depth=272, units=80)),
             ("dynamic_1x16_row", 16, "dynamic", dict(rows=1, depth=272, units=80))]
    for name, block, quantization, shape in cases:
        model = convert(rng, block, quantization, **shape)
        rows, depth = shape.get("rows", 4), shape.get("depth", 64)
        interpreter = Interpreter(model_content=model, experimental_op_resolver_type=OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES)
        interpreter.allocate_tensors()
        x = rng.uniform(-1, 1, (rows, depth)).astype(np.float32)
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
