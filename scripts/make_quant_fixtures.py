#!/usr/bin/env python3
"""Fixtures for tflquant's full-integer modes: tiny networks converted by the TF 2.19 converter to
float32, int8 (representative dataset) and int16x8, with the calibration samples fed to the
converter (one .npy per input, samples along axis 0) and, as a check of what the converter's
calibrator computes, the plain min/max of every float activation over the same samples (LiteRT
float interpreter with all tensors preserved).

Writes Tests/Fixtures/quantizer/<net>/{float.tflite,int8.tflite,int16x8.tflite,calib_<i>.npy,
ranges.json}. Run with the venv's python (scripts/venv.sh).
"""
import contextlib
import json
import os
import re
import sys

import numpy as np

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
OUT = os.path.join(ROOT, "Tests", "Fixtures", "quantizer")
SAMPLES = 24


@contextlib.contextmanager
def quiet():
    """Silence TensorFlow's C++ logging on stderr while converting."""
    fd = sys.stderr.fileno()
    saved = os.dup(fd)
    with open(os.devnull, "w") as null:
        os.dup2(null.fileno(), fd)
        try:
            yield
        finally:
            os.dup2(saved, fd)
            os.close(saved)


def networks(tf, rng):
    """name -> (input specs [(shape, lo, hi)], function of the inputs)."""
    def w(*shape, s=0.5):
        return tf.constant(rng.normal(0, s, shape).astype(np.float32))

    # A small image classifier: conv, depthwise (one dead channel), pooling, reshape, dense,
    # softmax.
    c1, b1 = w(3, 3, 3, 4), w(4, s=0.1)
    dw = rng.normal(0, 0.5, (3, 3, 4, 1)).astype(np.float32)
    dw[..., 2, 0] = 0.0  # a channel of zeros: its weight scale is degenerate
    dw, db = tf.constant(dw), w(4, s=0.1)
    f1, fb1 = w(16, 6), w(6, s=0.1)

    def convnet(x):
        y = tf.nn.relu(tf.nn.conv2d(x, c1, 1, "SAME") + b1)
        y = tf.nn.relu6(tf.nn.depthwise_conv2d(y, dw, [1, 1, 1, 1], "SAME") + db)
        y = tf.nn.max_pool2d(y, 2, 2, "VALID")
        y = tf.nn.avg_pool2d(y, 2, 2, "VALID")
        y = tf.reshape(y, [1, 16])
        return tf.nn.softmax(tf.matmul(y, f1) + fb1)

    # Two inputs: dense layers with tanh and logistic, concatenation, add, mul, transpose.
    a1, ab1 = w(6, 8), w(8, s=0.1)
    a2, ab2 = w(4, 8), w(8, s=0.1)
    a3, ab3 = w(16, 5), w(5, s=0.1)

    def mixnet(a, b):
        ta = tf.tanh(tf.matmul(a, a1) + ab1)
        sb = tf.sigmoid(tf.matmul(b, a2) + ab2)
        y = tf.concat([ta + sb, ta * sb], axis=1)
        y = tf.matmul(y, a3) + ab3
        return tf.reshape(tf.transpose(tf.reshape(y, [1, 5, 1])), [1, 5])

    # Operators that share scales: pooling of an input whose range excludes 0, a concatenation
    # whose first operand has the narrower range, a model input read by a concatenation, padding
    # and slicing.
    s1, sb1 = w(16, 8), w(8, s=0.1)

    def samescale(x):
        p = tf.nn.avg_pool2d(x, 2, 2, "VALID")
        m = tf.nn.max_pool2d(x, 2, 2, "VALID")
        y = tf.reshape(tf.concat([p * 0.1, m + 1.0], axis=3), [1, 16])
        y = tf.nn.relu(tf.matmul(y, s1) + sb1)
        z = tf.concat([tf.reshape(x, [1, 32]), y], axis=1)
        z = tf.pad(z, [[0, 0], [1, 2]])
        return tf.strided_slice(z, [0, 2], [1, 30], [1, 2])

    return {
        "convnet": ([((1, 8, 8, 3), -0.5, 2.0)], convnet),
        "mixnet": ([((1, 6), -1.5, 1.0), ((1, 4), 0.0, 3.0)], mixnet),
        "samescale": ([((1, 4, 4, 2), 1.0, 5.0)], samescale),
    }


def convert(tf, fn, specs, mode, samples):
    sig = [tf.TensorSpec(shape, tf.float32, name=f"x{i}") for i, (shape, _, _) in enumerate(specs)]
    mod = tf.Module()
    mod.f = tf.function(fn, input_signature=sig)
    conv = tf.lite.TFLiteConverter.from_concrete_functions([mod.f.get_concrete_function()], mod)
    if mode != "float":
        conv.optimizations = [tf.lite.Optimize.DEFAULT]
        dataset = [{f"x{i}": s[i][k:k + 1] for i in range(len(specs))} for s in [samples] for k in range(SAMPLES)]
        conv.representative_dataset = lambda: iter(dataset)
        if mode == "int16x8":
            conv.target_spec.supported_ops = [tf.lite.OpsSet.EXPERIMENTAL_TFLITE_BUILTINS_ACTIVATIONS_INT16_WEIGHTS_INT8]
        else:
            conv.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    with quiet():
        return conv.convert()


def input_order(model):
    """The argument number (x<i>) of each model input, in the model's input order."""
    from ai_edge_litert.interpreter import Interpreter
    it = Interpreter(model_content=model)
    return [int(re.search(r"x(\d+)", d["name"]).group(1)) for d in it.get_input_details()]


def float_ranges(model, samples, count):
    """Plain min/max over all samples of every float tensor the float model computes
    (`samples` in the model's input order)."""
    from ai_edge_litert.interpreter import Interpreter
    it = Interpreter(model_content=model, experimental_preserve_all_tensors=True)
    it.allocate_tensors()
    ranges = {}
    for k in range(count):
        for i, d in enumerate(it.get_input_details()):
            it.set_tensor(d["index"], samples[i][k:k + 1])
        it.invoke()
        for d in it.get_tensor_details():
            if d["dtype"] != np.float32:
                continue
            try:
                v = it.get_tensor(d["index"])
            except ValueError:
                continue
            if v.size == 0:
                continue
            lo, hi = float(v.min()), float(v.max())
            old = ranges.get(d["name"])
            ranges[d["name"]] = [min(lo, old[0]), max(hi, old[1])] if old else [lo, hi]
    return ranges


def main():
    import tensorflow as tf
    rng = np.random.default_rng(23)
    for name, (specs, fn) in networks(tf, rng).items():
        folder = os.path.join(OUT, name)
        os.makedirs(folder, exist_ok=True)
        samples = []
        for i, (shape, lo, hi) in enumerate(specs):
            s = rng.uniform(lo, hi, (SAMPLES,) + tuple(shape[1:])).astype(np.float32)
            samples.append(s)
        for mode in ("float", "int8", "int16x8"):
            model = convert(tf, fn, specs, mode, samples)
            with open(os.path.join(folder, f"{mode}.tflite"), "wb") as f:
                f.write(model)
            if mode == "float":
                # The calibration files follow the model's input order.
                ordered = [samples[i] for i in input_order(model)]
                for position, s in enumerate(ordered):
                    np.save(os.path.join(folder, f"calib_{position}.npy"), s)
                ranges = float_ranges(model, ordered, SAMPLES)
                with open(os.path.join(folder, "ranges.json"), "w") as f:
                    json.dump(ranges, f, indent=1, sort_keys=True)
        print(name, "written to", folder)


if __name__ == "__main__":
    main()
