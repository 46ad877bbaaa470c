#!/usr/bin/env python3
"""Interpreter benchmark: tflrun vs LiteRT (XNNPACK and builtin kernels), same run, alternating.

usage: compare.py [--runs N] [--rounds N] [--dir DIR] [MODEL_STEM ...]
Needs bench-out/models (scripts/bench/make_models.py; --dir bench-out/extra for the models of
make_models.py --extra) and a release build of tflrun.
Prints a Markdown table of medians, ratios and peak RSS, and a 2-thread scaling table.
"""
import argparse
import json
import pathlib
import statistics
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
MODELS = ROOT / "bench-out" / "models"
TFLRUN = ROOT / ".build" / "release" / "tflrun"
PYTHON = sys.executable


def run_json(command):
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        return {"error": (result.stderr.strip().splitlines() or ["failed"])[-1]}
    text = result.stdout.strip()
    for candidate in (text, text.splitlines()[-1] if text else ""):
        try:
            return json.loads(candidate)
        except json.JSONDecodeError:
            continue
    return {"error": "no JSON"}


def ours(model, threads, runs):
    return run_json([str(TFLRUN), "bench", str(model), "--threads", str(threads), "--runs", str(runs), "--warmup", "3", "--json"])


def litert(model, threads, runs, builtin):
    command = [PYTHON, str(ROOT / "scripts" / "bench" / "litert_bench.py"), str(model), "--threads", str(threads),
               "--runs", str(runs), "--warmup", "3"]
    if builtin:
        command.append("--builtin")
    return run_json(command)


def rss(result):
    for key in ("peak_rss_mb", "peak_memory_mb"):
        if key in result:
            return result[key]
    for key in ("peak_rss_bytes", "peak_memory_bytes"):
        if key in result:
            return result[key] / 1e6
    return float("nan")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--dir", type=pathlib.Path, default=MODELS)
    parser.add_argument("stems", nargs="*")
    args = parser.parse_args()
    models = sorted(args.dir.glob("*.tflite"))
    if args.stems:
        models = [m for m in models if m.stem in args.stems]
    rows = []
    for model in models:
        samples = {"ours": [], "xnnpack": [], "builtin": [], "ours2": []}
        peaks = {}
        errors = {}
        for _ in range(args.rounds):  # alternate so drift hits every contender alike
            for key, fn in [("ours", lambda: ours(model, 1, args.runs)),
                            ("xnnpack", lambda: litert(model, 1, args.runs, False)),
                            ("builtin", lambda: litert(model, 1, args.runs, True)),
                            ("ours2", lambda: ours(model, 2, args.runs))]:
                result = fn()
                if "median_ms" in result:
                    samples[key].append(result["median_ms"])
                    peaks[key] = max(peaks.get(key, 0), rss(result))
                else:
                    errors[key] = result.get("error")
        med = {k: (statistics.median(v) if v else float("nan")) for k, v in samples.items()}
        rows.append((model.stem, med, peaks, errors))
        print(f"{model.stem}: {json.dumps({k: round(v, 3) for k, v in med.items()})} {errors or ''}", file=sys.stderr)
    def ms(value):  # three significant figures for the small models
        return f"{value:.2f}" if value >= 1 else f"{value:.3f}"

    print("| model | tflrun 1T ms | LiteRT+XNNPACK ms | LiteRT builtin ms | vs XNNPACK | vs builtin | tflrun 2T ms | 2T speed-up "
          "| peak RSS MB: tflrun / XNNPACK / builtin |")
    print("|---|---|---|---|---|---|---|---|---|")
    for stem, med, peaks, errors in rows:
        o, x, b, o2 = med["ours"], med["xnnpack"], med["builtin"], med["ours2"]
        print(f"| {stem} | {ms(o)} | {ms(x)} | {ms(b)} | {o / x:.2f}× | {o / b:.2f}× | {ms(o2)} | {o / o2:.2f}× | "
              f"{peaks.get('ours', float('nan')):.0f} / {peaks.get('xnnpack', float('nan')):.0f} / "
              f"{peaks.get('builtin', float('nan')):.0f} |")
        if errors:
            print(f"|  ↳ errors: {errors} |")


if __name__ == "__main__":
    main()
