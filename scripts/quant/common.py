"""What the quantization measuring scripts share: the reference layout, child processes with their
own wall time and peak RSS, LiteRT runs in a child process, SQNR.

Layout of one reference model (made by make_reference.py), bench-out/quant/<model>/:
  manifest.json, float32.tflite, calibration/input_<i>.npy, heldout/input_<i>.npy,
  converter/<mode>.tflite, litert_quantizer/<mode>.tflite, tflquant/<mode>.tflite
"""
import json
import os
import pathlib
import subprocess
import sys
import time

import numpy as np

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parents[1]
DEFAULT_ROOT = REPO / "bench-out" / "quant"
MODELS = ["mobilenet_v2", "efficientnet_lite0", "inception_v3", "bert_encoder", "speech_conv1d", "yolo_tiny"]
MODES = ["float16", "dynamic", "weight-int8", "int8", "int16x8"]
# litert-quantizer's recipe for each of our modes (float16: weight-only with its FLOAT_CASTING algorithm).
LQ_RECIPES = {"float16": "weight_only_wfp16_afp32", "dynamic": "dynamic_wi8_afp32",
              "weight-int8": "weight_only_wi8_afp32", "int8": "static_wi8_ai8", "int16x8": "static_wi8_ai16"}
# The converter makes no weight-only model.
CONVERTER_MODES = ["float16", "dynamic", "int8", "int16x8"]


def manifest(model_dir):
    return json.loads((pathlib.Path(model_dir) / "manifest.json").read_text())


def data_files(model_dir, split):
    """The .npy files of `split` ("calibration" or "heldout"), in the model's input order."""
    m = manifest(model_dir)
    return [pathlib.Path(model_dir) / split / f"input_{i}.npy" for i in range(len(m["inputs"]))]


def run_measured(argv, timeout=3600):
    """Runs argv in a fresh process reaped with wait4, so the peak RSS is this child's own:
    (returncode, wall seconds, peak RSS bytes, stdout text, stderr text)."""
    import tempfile
    with tempfile.TemporaryFile() as so, tempfile.TemporaryFile() as se:
        start = time.perf_counter()
        p = subprocess.Popen(argv, stdout=so, stderr=se)
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(p.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                p.kill()
                pid, status, usage = os.wait4(p.pid, 0)
                break
            time.sleep(0.002)
        wall = time.perf_counter() - start
        p.returncode = os.waitstatus_to_exitcode(status)
        so.seek(0)
        se.seek(0)
        return (p.returncode, wall, usage.ru_maxrss * 1024,
                so.read().decode(errors="replace"), se.read().decode(errors="replace"))


def litert_outputs(model, inputs, out_npz, samples=None, save_inputs=None, save_count=3, reference_kernels=False):
    """Runs `model` in LiteRT (builtin kernels) on the held-out .npy files in a child process (a
    crash in LiteRT is a result, not the end of the run). Returns (outputs, error): outputs is a list
    of float arrays [N, ...] in output order (quantized outputs dequantized), or None with the error."""
    argv = [sys.executable, str(HERE / "litert_run.py"), str(model), "--out", str(out_npz)]
    argv += ["--inputs", *[str(p) for p in inputs]]
    if samples:
        argv += ["--samples", str(samples)]
    if save_inputs:
        argv += ["--save-inputs", str(save_inputs), "--save-count", str(save_count)]
    if reference_kernels:
        argv.append("--reference-kernels")
    code, _, _, out, err = run_measured(argv)
    if code != 0:
        lines = [l for l in (err or out).strip().splitlines() if l.strip()]
        return None, (lines[-1] if lines else f"exit {code}")[:300]
    with np.load(out_npz) as z:
        n = len([f for f in z.files if f.startswith("output_")])
        return [z[f"output_{i}"] for i in range(n)], None


def litert_raw_outputs(out_npz):
    """The raw (not dequantized) outputs litert_outputs saved."""
    with np.load(out_npz) as z:
        n = len([f for f in z.files if f.startswith("raw_")])
        return [z[f"raw_{i}"] for i in range(n)]


def sqnr_db(reference, test):
    """10 log10(sum ref^2 / sum (ref - test)^2) over all values; inf when equal."""
    ref = np.asarray(reference, np.float64).ravel()
    err = ref - np.asarray(test, np.float64).ravel()
    noise = float(np.sum(err * err))
    signal = float(np.sum(ref * ref))
    if noise == 0:
        return float("inf")
    if signal == 0:
        return float("-inf")
    return 10 * np.log10(signal / noise)


def model_sqnr(reference_outputs, outputs):
    """Mean over the model's outputs of each output's SQNR (dB), outputs matched by position."""
    if len(reference_outputs) != len(outputs):
        return None
    values = []
    for ref, out in zip(reference_outputs, outputs):
        if ref.size != out.size:
            return None
        values.append(sqnr_db(ref, out))
    return float(np.mean(values))
