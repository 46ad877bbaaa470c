#!/usr/bin/env python3
"""Block-sparse FULLY_CONNECTED models, whole: tflrun (sparse products, and --dense-weights)
against LiteRT's builtin kernels (its own sparse FULLY_CONNECTED kernels) and LiteRT with XNNPACK
(whose delegate leaves sparse weights to the builtin kernels).

Builds, with the real converter (EXPERIMENTAL_SPARSITY), an MLP of three Dense layers
1024 -> 2048 -> 2048 -> 1000 (ReLU between) whose weights keep some of their blocks (1 x 16 for
int8 weights, 1 x 4 for float32, the converter's block shapes): full int8 at 1 and 16 rows and
dynamic range at 1 row with 20 % or 40 % kept, float32 at 1 row with 8 % or 20 % kept, into
bench-out/sparse_fc/ (not committed); then times each at one thread, alternating, medians of
--rounds rounds of --runs runs, and prints a Markdown table.

usage: $(scripts/venv.sh) scripts/bench/sparse_fc.py [--runs N] [--rounds N]
(needs the release tflrun: swift build -c release --product tflrun)
"""
import argparse
import json
import os
import pathlib
import statistics
import subprocess
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import numpy as np
import tensorflow as tf

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "bench-out" / "sparse_fc"
TFLRUN = ROOT / ".build" / "release" / "tflrun"
LAYERS = [1024, 2048, 2048, 1000]


def build(path, rows, keep, quantization, seed):
    block = 4 if quantization == "float" else 16
    rng = np.random.default_rng(seed)
    inp = tf.keras.Input((LAYERS[0],), batch_size=rows)
    x, dense = inp, []
    for i, units in enumerate(LAYERS[1:]):
        layer = tf.keras.layers.Dense(units, activation="relu" if i < len(LAYERS) - 2 else None)
        x = layer(x)
        dense.append(layer)
    model = tf.keras.Model(inp, x)
    for layer, (depth, units) in zip(dense, zip(LAYERS, LAYERS[1:])):
        weights = rng.uniform(-1, 1, (depth, units)).astype(np.float32) / np.sqrt(depth * keep)
        blocks = rng.uniform(size=(depth // block, units)) < keep
        weights *= np.repeat(blocks, block, axis=0)
        layer.set_weights([weights, rng.uniform(-0.1, 0.1, units).astype(np.float32)])
    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    converter.optimizations = [tf.lite.Optimize.EXPERIMENTAL_SPARSITY]
    if quantization != "float":
        converter.optimizations.append(tf.lite.Optimize.DEFAULT)
    if quantization == "int8":
        def representative():
            for _ in range(20):
                yield [rng.uniform(-1, 1, (rows, LAYERS[0])).astype(np.float32)]
        converter.representative_dataset = representative
        converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    path.write_bytes(converter.convert())


def median_ms(command):
    """The run's median, or None when it fails (LiteRT 2.3 with XNNPACK crashes on the
    dynamic-range sparse model)."""
    result = subprocess.run(command, capture_output=True, text=True)
    return json.loads(result.stdout)["median_ms"] if result.returncode == 0 else None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if not TFLRUN.exists():
        sys.exit(f"{TFLRUN} is missing: swift build -c release --product tflrun")
    OUT.mkdir(parents=True, exist_ok=True)
    models = []
    for quantization, rows, kept in [("int8", 1, [0.2, 0.4]), ("int8", 16, [0.2, 0.4]), ("dynamic", 1, [0.2, 0.4]),
                                     ("float", 1, [0.08, 0.2])]:
        for keep in kept:
            path = OUT / f"mlp_{quantization}_{rows}row_{int(keep * 100)}pct.tflite"
            if not path.exists():
                build(path, rows, keep, quantization, seed=rows * 10 + int(keep * 100))
            models.append(path)
    python = sys.executable
    litert = [python, str(ROOT / "scripts" / "bench" / "litert_bench.py")]
    common = ["--threads", "1", "--runs", str(args.runs), "--warmup", "5"]
    ways = {
        "sparse": lambda m: [str(TFLRUN), "bench", str(m), *common, "--json"],
        "dense": lambda m: [str(TFLRUN), "bench", str(m), *common, "--json", "--dense-weights"],
        "builtin": lambda m: [*litert, str(m), *common, "--builtin"],
        "xnnpack": lambda m: [*litert, str(m), *common],
    }
    print("| model | ours sparse ms | ours dense ms | sparse / dense | LiteRT builtin ms | LiteRT+XNNPACK ms | ours / best LiteRT |")
    print("|---|---|---|---|---|---|---|")
    for model in models:
        medians = {way: [] for way in ways}
        for _ in range(args.rounds):
            for way, command in ways.items():
                medians[way].append(median_ms(command(model)))
        m = {way: None if None in values else statistics.median(values) for way, values in medians.items()}
        best = min(v for v in (m["builtin"], m["xnnpack"]) if v is not None)

        def ms(way):
            return "crashed" if m[way] is None else f"{m[way]:.3f}"
        print(f"| {model.stem} | {ms('sparse')} | {ms('dense')} | {m['sparse'] / m['dense']:.2f}× | "
              f"{ms('builtin')} | {ms('xnnpack')} | {m['sparse'] / best:.2f}× |", flush=True)


if __name__ == "__main__":
    main()
