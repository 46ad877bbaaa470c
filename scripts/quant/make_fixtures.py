#!/usr/bin/env python3
"""Small quantization fixtures for tflquant's tests: two tiny networks, the TF 2.19 converter's
float16 / dynamic / int8 (uint8 I/O) / int16x8 models of them, litert-quantizer 0.11.0's
weight-only int8, dynamic and static int8 models (the references the converter has no mode
for, and a second opinion), the calibration and held-out samples, and LiteRT's outputs.

  tiny_cnn   image [1, 12, 12, 3] in [0, 1] -> CONV_2D, DEPTHWISE_CONV_2D, AVERAGE_POOL_2D,
             CONCATENATION, FULLY_CONNECTED; outputs logits [1, 5] and SOFTMAX probabilities
  embedding  token ids int32 [1, 16] in [0, 256) -> GATHER (256 x 16 embedding), MEAN,
             FULLY_CONNECTED x 2 -> logits [1, 4]

Writes Tests/Fixtures/quantizer/reference/<net>/ (see the README.md there):
  float32.tflite, converter_<mode>.tflite, lq_<recipe>.tflite
  calibration_<i>.npy   24 samples per input (model input order), [N, d1, ...]: samples on axis 0
                        in place of the batch axis, what `tflquant --calibration` reads
  heldout_<i>.npy       4 held-out samples, same layout
  expected/<model>.output_<j>.npy  LiteRT 2.3's outputs (builtin kernels) on the held-out
                        samples, [4, ...] in the output's own type (quantized values as they are)
  manifest.json         inputs, outputs, per model: size, output SQNR (dB) against float32 on the
                        held-out samples, or the refusal
Seeded; rerun: `$(scripts/venv.sh) scripts/quant/make_fixtures.py`.
"""
import json
import os
import pathlib
import shutil
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import numpy as np
import tensorflow as tf
import keras
from keras import layers

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import common  # noqa: E402
import make_reference  # noqa: E402

OUT = common.REPO / "Tests" / "Fixtures" / "quantizer" / "reference"
SEED = 31
CALIBRATION, HELDOUT = 24, 4


def tiny_cnn():
    inp = keras.Input((12, 12, 3), batch_size=1, name="image")
    a = layers.Conv2D(8, 3, padding="same", activation="relu", name="conv_a")(inp)
    b = layers.DepthwiseConv2D(3, padding="same", activation="relu6", name="dw")(a)
    c = layers.Concatenate(name="concat")([a, b])
    c = layers.AveragePooling2D(2, name="pool")(c)
    c = layers.Conv2D(12, 3, strides=2, padding="same", activation="relu", name="conv_b")(c)
    c = layers.Flatten()(c)
    logits = layers.Dense(5, name="logits")(c)
    probs = layers.Softmax(name="probs")(logits)
    return keras.Model(inp, [logits, probs], name="tiny_cnn")


def embedding():
    inp = keras.Input((16,), batch_size=1, dtype="int32", name="ids")
    x = layers.Embedding(256, 16, name="embed")(inp)
    x = layers.GlobalAveragePooling1D()(x)
    x = layers.Dense(64, activation="relu", name="dense_a")(x)
    out = layers.Dense(4, name="logits")(x)
    return keras.Model(inp, out, name="embedding")


NETS = {
    "tiny_cnn": (tiny_cnn, lambda rng, n: {"image": rng.uniform(0, 1, (n, 1, 12, 12, 3)).astype(np.float32)}),
    "embedding": (embedding, lambda rng, n: {"ids": rng.integers(0, 256, (n, 1, 16)).astype(np.int32)}),
}


def lq(float_path, recipe_name, calibration_arrays, names, out_path):
    from litert_quantizer import quantizer, recipe, calibrator
    from ai_edge_litert.interpreter import Interpreter
    qt = quantizer.Quantizer(str(float_path))
    qt.load_quantization_recipe(getattr(recipe, recipe_name)())
    calibration = None
    if qt.need_calibration:
        (key, sig), = Interpreter(model_path=str(float_path)).get_signature_list().items()
        samples = [{n: calibration_arrays[names.index(n)][s:s + 1] for n in sig["inputs"]}
                   for s in range(len(calibration_arrays[0]))]
        calibration = qt.calibrate({key: samples}, mode=calibrator.CalibrationMode.CALIBRATION_PROFILER_BASED)
    qt.quantize(calibration, enable_progress_report=False).export_model(str(out_path), overwrite=True)


def build(name):
    builder, data = NETS[name]
    out = OUT / name
    shutil.rmtree(out, ignore_errors=True)
    (out / "expected").mkdir(parents=True)
    keras.utils.set_random_seed(SEED)
    net = builder()
    calib = data(np.random.default_rng(SEED), CALIBRATION)
    held = data(np.random.default_rng(SEED + 1), HELDOUT)
    blob, _ = make_reference.convert(net, "float32", None)
    (out / "float32.tflite").write_bytes(blob)
    inputs, outputs = make_reference.litert_io(out / "float32.tflite")
    keys = [make_reference.match_input(d["name"], calib) for d in inputs]
    for i, key in enumerate(keys):
        np.save(out / f"calibration_{i}.npy", calib[key][:, 0])
        np.save(out / f"heldout_{i}.npy", held[key][:, 0])
        inputs[i]["data_key"] = key
    heldout = [out / f"heldout_{i}.npy" for i in range(len(keys))]

    def representative():
        for s in range(CALIBRATION):
            yield [calib[k][s] for k in keys]

    models = {"float32": {}}
    for mode in make_reference.MODES:
        entry = models[f"converter_{mode}"] = {"io": "uint8" if mode == "int8" else "float"}
        try:
            blob, _ = make_reference.convert(net, mode, representative)
            (out / f"converter_{mode}.tflite").write_bytes(blob)
        except Exception as error:
            entry["refused"] = " ".join(str(error).split())[:300]
    for recipe_name in ["weight_only_wi8_afp32", "dynamic_wi8_afp32", "static_wi8_ai8"]:
        entry = models[f"lq_{recipe_name}"] = {}
        try:
            lq(out / "float32.tflite", recipe_name, [calib[k][:, 0] for k in keys], keys, out / f"lq_{recipe_name}.tflite")
        except Exception as error:
            entry["refused"] = " ".join(str(error).split())[:300]
    reference = None
    for model, entry in models.items():
        path = out / f"{model}.tflite"
        if "refused" in entry:
            continue
        entry["size"] = path.stat().st_size
        values, error = common.litert_outputs(path, heldout, out / "expected" / "run.npz")
        if error:
            entry["litert_error"] = error
            continue
        for j, raw in enumerate(common.litert_raw_outputs(out / "expected" / "run.npz")):
            np.save(out / "expected" / f"{model}.output_{j}.npy", raw)
        if reference is None:
            reference = values
        entry["sqnr_db"] = round(common.model_sqnr(reference, values), 2) if model != "float32" else None
    (out / "expected" / "run.npz").unlink(missing_ok=True)
    manifest = {"model": name, "seed": SEED, "inputs": inputs, "outputs": outputs,
                "calibration_samples": CALIBRATION, "heldout_samples": HELDOUT, "models": models}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    for model, entry in models.items():
        print(f"{name} {model}: " + (f"refused: {entry['refused'][:100]}" if "refused" in entry else
                                      f"{entry['size']:,} bytes, SQNR {entry.get('sqnr_db')}"))


def main():
    for name in NETS:
        build(name)


if __name__ == "__main__":
    main()
