#!/usr/bin/env python3
"""Full-integer quantization of MobileNetV2 with calibration: tflquant against litert-quantizer.

    .venv/bin/python scripts/bench_quant_int8.py [--samples 100] [--size 224] [--tflquant .build/release/tflquant]

Makes a MobileNetV2 (random weights, the converter's float model) and N random calibration
samples in a temporary folder, then times, as whole processes (wall clock, peak RSS):
  * tflquant --mode int8 --calibration X.npy (calibration on our interpreter, planning, writing);
  * litert-quantizer's static int8 recipe (static_wi8_ai8: calibrate + quantize + export), one
    Python process including its imports.
Then makes the TF converter's int8 model from the same samples, and LiteRT loads all three:
prints the output SQNR of each against the float model on held-out inputs, and their sizes.
Random weights make a MobileNetV2 whose deep activations are tiny (~1e-9): the converter widens
such ranges to 1e-6 (and so does tflquant), so compare SQNR with the converter's. Prints figures; asserts nothing (docs/BENCHMARKS.md).
"""
import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np  # noqa: E402

LQ = """
import sys, numpy as np
from litert_quantizer import quantizer, recipe
from litert_quantizer.utils import tfl_interpreter_utils
model, calib, out = sys.argv[1], sys.argv[2], sys.argv[3]
x = np.load(calib)
qt = quantizer.Quantizer(model)
qt.load_quantization_recipe(recipe.static_wi8_ai8())
sig = tfl_interpreter_utils.DEFAULT_SIGNATURE_KEY
name = sys.argv[4]
data = {sig: [{name: x[k:k + 1]} for k in range(x.shape[0])]}
result = qt.quantize(qt.calibrate(data))
result.export_model(out, overwrite=True)
"""


def timed(command):
    """Runs `command`; returns the result, wall seconds and the process's peak RSS in MB (a
    fresh Python process runs it, so the children's peak is this command's alone)."""
    wrapper = ("import resource, subprocess, sys, time; s = time.perf_counter(); "
               "r = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
               "print(time.perf_counter() - s, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode); "
               "sys.stderr.write(r.stderr)")
    done = subprocess.run([sys.executable, "-c", wrapper] + command, capture_output=True, text=True)
    seconds, peak, code = done.stdout.split()[-3:]
    done.returncode = int(code)
    return done, float(seconds), int(peak) / 1024


def run(path, inputs):
    from ai_edge_litert.interpreter import Interpreter
    it = Interpreter(model_path=path)
    it.allocate_tensors()
    d, o = it.get_input_details()[0], it.get_output_details()[0]
    outs = []
    for x in inputs:
        v = x[None]
        if d["dtype"] != np.float32:
            s, z = d["quantization"]
            v = np.clip(np.round(v / s) + z, -128, 127).astype(d["dtype"])
        it.set_tensor(d["index"], v)
        it.invoke()
        r = it.get_tensor(o["index"]).astype(np.float64)
        if o["dtype"] != np.float32:
            s, z = o["quantization"]
            r = (r - z) * s
        outs.append(r)
    return np.concatenate(outs)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=int, default=100)
    parser.add_argument("--size", type=int, default=224)
    parser.add_argument("--tflquant", default=".build/release/tflquant")
    args = parser.parse_args()
    import tensorflow as tf
    work = tempfile.mkdtemp(prefix="bench-quant-")
    tf.keras.utils.set_random_seed(3)
    net = tf.keras.applications.MobileNetV2(input_shape=(args.size, args.size, 3), weights=None, classes=1000,
                                            classifier_activation=None)  # logits: SQNR means something
    conv = tf.lite.TFLiteConverter.from_keras_model(net)
    model = os.path.join(work, "float.tflite")
    with open(model, "wb") as f:
        f.write(conv.convert())
    rng = np.random.default_rng(0)
    calib = os.path.join(work, "calib.npy")
    np.save(calib, rng.uniform(-1, 1, (args.samples, args.size, args.size, 3)).astype(np.float32))
    held_out = rng.uniform(-1, 1, (20, args.size, args.size, 3)).astype(np.float32)
    from ai_edge_litert.interpreter import Interpreter
    input_name = Interpreter(model_path=model).get_signature_runner().get_input_details()
    input_name = next(iter(input_name))

    ours = os.path.join(work, "tflquant_int8.tflite")
    done, seconds, peak = timed([args.tflquant, model, "--mode", "int8", "--calibration", calib, "-o", ours])
    print(f"tflquant int8: {seconds:.2f} s wall, peak RSS {peak:.0f} MB, {os.path.getsize(ours) if done.returncode == 0 else 0} bytes"
          + ("" if done.returncode == 0 else f" FAILED: {done.stderr.strip()}"))
    theirs = os.path.join(work, "lq_int8.tflite")
    done, seconds, peak = timed([sys.executable, "-c", LQ, model, calib, theirs, input_name])
    print(f"litert-quantizer static_wi8_ai8: {seconds:.2f} s wall (imports included), peak RSS {peak:.0f} MB, "
          + (f"{os.path.getsize(theirs)} bytes" if done.returncode == 0 else f"FAILED: {done.stderr.strip()[-300:]}"))
    # The TF converter's own int8 model from the same Keras model and samples (its time includes
    # tracing the Keras model, so it is printed but not comparable).
    converter = tf.lite.TFLiteConverter.from_keras_model(net)
    converter.optimizations = [tf.lite.Optimize.DEFAULT]
    samples = np.load(calib)
    converter.representative_dataset = lambda: ([samples[k:k + 1]] for k in range(samples.shape[0]))
    converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    start = time.perf_counter()
    converted = os.path.join(work, "converter_int8.tflite")
    with open(converted, "wb") as f:
        f.write(converter.convert())
    print(f"TF converter int8 (in process, tracing included): {time.perf_counter() - start:.2f} s, {os.path.getsize(converted)} bytes")
    reference = run(model, held_out)
    for name, path in (("tflquant", ours), ("litert-quantizer", theirs), ("TF converter", converted)):
        if not os.path.exists(path):
            continue
        try:
            q = run(path, held_out)
            sqnr = 10 * np.log10((reference ** 2).sum() / max(((reference - q) ** 2).sum(), 1e-30))
            print(f"{name}: LiteRT runs it, output SQNR {sqnr:.2f} dB on 20 held-out inputs")
        except Exception as error:  # LiteRT refusing the model is a finding
            print(f"{name}: LiteRT refuses it: {str(error).splitlines()[0]}")


if __name__ == "__main__":
    main()
