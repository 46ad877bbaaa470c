#!/usr/bin/env python3
"""litert-quantizer 0.11.0 on the reference models: every mode's recipe, timed, checked in LiteRT.

usage: lq_quantize.py [--root bench-out/quant] [--models ...] [--modes ...]
       lq_quantize.py --one MODEL_DIR MODE     (the child: one quantization, prints one JSON line)

Each quantization runs in a fresh Python process (`python lq_quantize.py --one ...`), so the whole
process time includes importing litert_quantizer, as a user's `python -c` would. The child reports
its own phases: import, load, calibrate (static recipes, on calibration/*.npy, profiler-based
calibration), quantize() alone, export. Writes <model>/litert_quantizer/<mode>.tflite and
<model>/litert_quantizer.json (per mode: recipe, size, times, peak RSS, refusal, LiteRT load/run).

Recipes: float16 = weight-only with FLOAT_CASTING 16-bit weights (litert-quantizer has no named
float16 recipe; this is what its recipe manager documents for fp16 weights), dynamic =
dynamic_wi8_afp32, weight-int8 = weight_only_wi8_afp32, int8 = static_wi8_ai8,
int16x8 = static_wi8_ai16.
"""
import argparse
import json
import os
import pathlib
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def one(model_dir, mode):
    """The child: quantize model_dir/float32.tflite with mode's recipe; print phases as JSON."""
    t0 = time.perf_counter()
    import numpy as np
    from litert_quantizer import quantizer, recipe, calibrator, qtyping
    from litert_quantizer.algorithm_manager import AlgorithmName
    from ai_edge_litert.interpreter import Interpreter
    import common
    timing = {"import": time.perf_counter() - t0}
    model_dir = pathlib.Path(model_dir)
    out = model_dir / "litert_quantizer" / f"{mode}.tflite"
    out.parent.mkdir(exist_ok=True)
    out.unlink(missing_ok=True)
    t = time.perf_counter()
    qt = quantizer.Quantizer(str(model_dir / "float32.tflite"))
    if mode == "float16":
        qt.add_weight_only_config(regex=".*", operation_name=qtyping.TFLOperationName.ALL_SUPPORTED,
                                  num_bits=16, algorithm_key=AlgorithmName.FLOAT_CASTING)
    else:
        qt.load_quantization_recipe({"dynamic": recipe.dynamic_wi8_afp32, "weight-int8": recipe.weight_only_wi8_afp32,
                                     "int8": recipe.static_wi8_ai8, "int16x8": recipe.static_wi8_ai16}[mode]())
    timing["load"] = time.perf_counter() - t
    calibration = None
    if qt.need_calibration:
        t = time.perf_counter()
        m = common.manifest(model_dir)
        arrays = [np.load(p) for p in common.data_files(model_dir, "calibration")]
        it = Interpreter(model_path=str(model_dir / "float32.tflite"))
        (key, sig), = it.get_signature_list().items()
        names = [d["data_key"] for d in m["inputs"]]
        missing = [n for n in sig["inputs"] if n not in names]
        if missing:
            raise SystemExit(f"lq_quantize: signature inputs {missing} not in the manifest {names}")
        samples = [{n: arrays[names.index(n)][s:s + 1] for n in sig["inputs"]} for s in range(len(arrays[0]))]
        calibration = qt.calibrate({key: samples}, mode=calibrator.CalibrationMode.CALIBRATION_PROFILER_BASED)
        timing["calibrate"] = time.perf_counter() - t
    t = time.perf_counter()
    result = qt.quantize(calibration, enable_progress_report=False)
    timing["quantize"] = time.perf_counter() - t
    t = time.perf_counter()
    result.export_model(str(out), overwrite=True)
    timing["export"] = time.perf_counter() - t
    timing["total_in_process"] = time.perf_counter() - t0
    print("LQ_RESULT " + json.dumps({k: round(v, 4) for k, v in timing.items()}))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--one", nargs=2, metavar=("MODEL_DIR", "MODE"))
    ap.add_argument("--root", default=None)
    ap.add_argument("--models", nargs="*")
    ap.add_argument("--modes", nargs="*")
    args = ap.parse_args()
    if args.one:
        one(*args.one)
        return
    import common
    root = pathlib.Path(args.root) if args.root else common.DEFAULT_ROOT
    for name in args.models or common.MODELS:
        model_dir = root / name
        if not (model_dir / "manifest.json").exists():
            print(f"{name}: no reference (run make_reference.py)")
            continue
        record_path = model_dir / "litert_quantizer.json"
        record = json.loads(record_path.read_text()) if record_path.exists() else {}
        for mode in args.modes or common.MODES:
            entry = {"recipe": common.LQ_RECIPES[mode], "load_average": round(os.getloadavg()[0], 1)}
            code, wall, rss, out, err = common.run_measured([sys.executable, __file__, "--one", str(model_dir), mode])
            entry.update(whole_process_seconds=round(wall, 3), peak_rss=rss)
            line = next((l for l in out.splitlines() if l.startswith("LQ_RESULT ")), None)
            path = model_dir / "litert_quantizer" / f"{mode}.tflite"
            if code != 0 or line is None:
                lines = [l for l in err.strip().splitlines() if l.strip()]
                entry["refused"] = " ".join((lines[-1] if lines else f"exit {code}").split())[:400]
                print(f"{name} {mode}: litert-quantizer REFUSED ({wall:.2f} s): {entry['refused'][:160]}", flush=True)
            else:
                entry["phases"] = json.loads(line[len("LQ_RESULT "):])
                entry["size"] = path.stat().st_size
                outputs, error = common.litert_outputs(path, common.data_files(model_dir, "heldout"),
                                                       model_dir / "litert_quantizer" / f"{mode}.check.npz", samples=2)
                entry["litert_loads"] = error is None
                if error:
                    entry["litert_error"] = error
                print(f"{name} {mode}: {entry['size']:,} bytes, whole process {wall:.2f} s, quantize() "
                      f"{entry['phases']['quantize']:.3f} s, peak RSS {rss / 2**20:.0f} MB, LiteRT "
                      f"{'runs it' if error is None else 'REFUSES: ' + error}", flush=True)
            record[mode] = entry
            record_path.write_text(json.dumps(record, indent=1) + "\n")


if __name__ == "__main__":
    main()
