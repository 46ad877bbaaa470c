#!/usr/bin/env python3
"""Fixtures for the interpreter's and tflrun's model-level tests.

Writes Tests/Fixtures/interpreter/:
  unsupported_custom.tflite  ADD then Erfinv, a custom operator (TensorFlow's op, kept by
                             `allow_custom_ops`) no runtime has a kernel for, to check that
                             allocateTensors() names the operator and its index.
  two_signatures.tflite      two signatures ("add" and "mul") over separate subgraphs, named
                             inputs x/y and output "out", for SignatureRunner and `tflrun run
                             --signature`; plus add_x.npy, add_y.npy, add_out.npy (LiteRT
                             reference outputs).

Run with the project's venv (`make fixtures` does): .venv/bin/python scripts/make_interpreter_fixtures.py
"""
import os
import pathlib

import numpy as np
import tensorflow as tf
from ai_edge_litert.interpreter import Interpreter, OpResolverType

ROOT = pathlib.Path(__file__).resolve().parents[1]
OUT = ROOT / "Tests" / "Fixtures" / "interpreter"


def convert(concrete_functions, trackable, allow_custom_ops=False):
    converter = tf.lite.TFLiteConverter.from_concrete_functions(concrete_functions, trackable)
    converter.allow_custom_ops = allow_custom_ops
    return converter.convert()


def unsupported_model():
    class M(tf.Module):
        @tf.function(input_signature=[tf.TensorSpec([2, 3], tf.float32)])
        def __call__(self, x):
            return tf.math.erfinv(x + 1.0)

    m = M()
    return convert([m.__call__.get_concrete_function()], m, allow_custom_ops=True)


def signature_model():
    class M(tf.Module):
        @tf.function(input_signature=[tf.TensorSpec([2, 3], tf.float32, name="x"),
                                      tf.TensorSpec([2, 3], tf.float32, name="y")])
        def add(self, x, y):
            return {"out": x + y}

        @tf.function(input_signature=[tf.TensorSpec([2, 3], tf.float32, name="x"),
                                      tf.TensorSpec([2, 3], tf.float32, name="y")])
        def mul(self, x, y):
            return {"out": x * y}

    m = M()
    saved = OUT / "_saved"
    tf.saved_model.save(m, str(saved), signatures={"add": m.add.get_concrete_function(),
                                                   "mul": m.mul.get_concrete_function()})
    converter = tf.lite.TFLiteConverter.from_saved_model(str(saved), signature_keys=["add", "mul"])
    data = converter.convert()
    tf.io.gfile.rmtree(str(saved))
    return data


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "unsupported_custom.tflite").write_bytes(unsupported_model())
    model = signature_model()
    (OUT / "two_signatures.tflite").write_bytes(model)
    rng = np.random.default_rng(7)
    x = rng.uniform(-2, 2, (2, 3)).astype(np.float32)
    y = rng.uniform(-2, 2, (2, 3)).astype(np.float32)
    interpreter = Interpreter(model_path=str(OUT / "two_signatures.tflite"),
                              experimental_op_resolver_type=OpResolverType.BUILTIN_REF)
    runner = interpreter.get_signature_runner("add")
    out = runner(x=x, y=y)["out"]
    np.save(OUT / "add_x.npy", x)
    np.save(OUT / "add_y.npy", y)
    np.save(OUT / "add_out.npy", out)
    print("signatures:", interpreter.get_signature_list())


if __name__ == "__main__":
    main()
