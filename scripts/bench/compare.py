#!/usr/bin/env python3
"""Interpreter benchmark: tflrun vs LiteRT (XNNPACK and builtin kernels), same run, alternating.

usage: compare.py [--runs N] [--rounds N] [--dir DIR] [--no-builtin] [--one-thread] [--json OUT]
                  [MODEL_STEM ...]
Needs bench-out/models (scripts/bench/make_models.py; --dir bench-out/extra for the models of
make_models.py --extra, --dir bench-out/heldout for issue #27's set, scripts/bench/heldout.py) and a
release build of tflrun. Prints a Markdown table: medians at 1 and 2 threads against XNNPACK at the
same thread count (in brackets the ratio of the minima, which a shared host moves less), the
2-thread speed-ups, multiply-adds (macs.py) and the share of one core's peak multiply-add rate
reached at 1 thread (PEAKS, from scripts/bench_peak.sh), LiteRT's builtin kernels, peak RSS; then
the geometric means of the ratios, of medians and of minima.
"""
import argparse
import json
import math
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


PEAKS = {  # G multiply-adds/s of one core, scripts/bench_peak.sh on the development machine (AMD EPYC Zen 5;
    # the Zen 4 host before it: 59.1, 236.4 and 118.2)
    "float32": 137.1,  # vfmadd231ps zmm
    "int8": 544.9,     # vpdpbusd zmm (full int8 and dynamic range run 8-bit dot products)
    "int16x8": 273.6,  # vpdpwssd zmm
}


def peak_kind(stem):
    for kind in ("int16x8", "int8", "uint8", "dynamic"):
        if kind in stem:
            return "int16x8" if kind == "int16x8" else "int8"
    return "float32"


def multiply_adds(model):
    # A child process: loading the model here would raise this process's resident set, which
    # every later child inherits as its starting ru_maxrss.
    result = run_json([PYTHON, str(ROOT / "scripts" / "bench" / "macs.py"), str(model), "--json"])
    return result.get(str(model), float("nan"))


def geomean(values):
    values = [v for v in values if v == v and v > 0]
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else float("nan")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--dir", type=pathlib.Path, default=MODELS)
    parser.add_argument("--no-builtin", action="store_true", help="skip LiteRT's builtin kernels")
    parser.add_argument("--one-thread", action="store_true", help="skip the 2-thread runs")
    parser.add_argument("--json", type=pathlib.Path, help="also write the medians here")
    parser.add_argument("stems", nargs="*")
    args = parser.parse_args()
    models = sorted(args.dir.glob("*.tflite"))
    if args.stems:
        models = [m for m in models if m.stem in args.stems]
    contenders = [("ours", lambda m: ours(m, 1, args.runs)), ("xnnpack", lambda m: litert(m, 1, args.runs, False))]
    if not args.no_builtin:
        contenders.append(("builtin", lambda m: litert(m, 1, args.runs, True)))
    if not args.one_thread:
        contenders += [("ours2", lambda m: ours(m, 2, args.runs)), ("xnnpack2", lambda m: litert(m, 2, args.runs, False))]
    rows = []
    for model in models:
        samples = {key: [] for key, _ in contenders}
        minima = {key: [] for key, _ in contenders}
        peaks = {}
        errors = {}
        for _ in range(args.rounds):  # alternate so drift hits every contender alike
            for key, fn in contenders:
                result = fn(model)
                if "median_ms" in result:
                    samples[key].append(result["median_ms"])
                    minima[key].append(result.get("min_ms", result["median_ms"]))
                    peaks[key] = max(peaks.get(key, 0), rss(result))
                else:
                    errors[key] = result.get("error")
        med = {k: (statistics.median(v) if v else float("nan")) for k, v in samples.items()}
        low = {k: (min(v) if v else float("nan")) for k, v in minima.items()}
        for key in ("builtin", "ours2", "xnnpack2"):
            med.setdefault(key, float("nan"))
            low.setdefault(key, float("nan"))
        macs = multiply_adds(model)
        rows.append((model.stem, med, peaks, errors, macs, low))
        print(f"{model.stem}: {json.dumps({k: round(v, 3) for k, v in med.items()})} {errors or ''}", file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps([{"model": s, "median_ms": m, "min_ms": lo, "peak_rss_mb": p, "errors": e,
                                          "macs": c} for s, m, p, e, c, lo in rows], indent=1) + "\n")

    def ms(value):  # three significant figures for the small models
        return f"{value:.2f}" if value >= 1 else f"{value:.3f}"

    def share(stem, macs, milliseconds):
        if not macs == macs or not milliseconds == milliseconds or macs < 1e6:
            return "—"
        return f"{macs / (milliseconds / 1000) / 1e9 / PEAKS[peak_kind(stem)] * 100:.0f} % {peak_kind(stem)}"

    print("| model | tflrun 1T ms | LiteRT+XNNPACK 1T ms | vs XNNPACK 1T (minima) | tflrun 2T ms | XNNPACK 2T ms "
          "| vs XNNPACK 2T (minima) | 2T speed-up: tflrun / XNNPACK | multiply-adds | share of one core's peak (1T) "
          "| LiteRT builtin 1T ms | peak RSS MB: tflrun / XNNPACK |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for stem, med, peaks, errors, macs, low in rows:
        o, x, b, o2, x2 = med["ours"], med["xnnpack"], med["builtin"], med["ours2"], med["xnnpack2"]
        print(f"| {stem} | {ms(o)} | {ms(x)} | {o / x:.2f}× ({low['ours'] / low['xnnpack']:.2f}×) | {ms(o2)} | {ms(x2)} "
              f"| {o2 / x2:.2f}× ({low['ours2'] / low['xnnpack2']:.2f}×) | "
              f"{o / o2:.2f}× / {x / x2:.2f}× | {macs / 1e6:.0f} M | {share(stem, macs, o)} | {ms(b)} | "
              f"{peaks.get('ours', float('nan')):.0f} / {peaks.get('xnnpack', float('nan')):.0f} |")
        if errors:
            print(f"|  ↳ errors: {errors} |")
    for name, table in (("medians", 1), ("minima", 5)):
        one = [row[table]["ours"] / row[table]["xnnpack"] for row in rows]
        two = [row[table]["ours2"] / row[table]["xnnpack2"] for row in rows]
        finite = [r for r in one if r == r]
        print(f"\ngeometric mean of the {name} over {len(finite)} models: 1 thread {geomean(one):.3f}× XNNPACK "
              f"(worst {max(finite, default=float('nan')):.2f}×), 2 threads {geomean(two):.3f}× XNNPACK at 2 threads")


if __name__ == "__main__":
    main()
