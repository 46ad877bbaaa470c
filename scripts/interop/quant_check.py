#!/usr/bin/env python3
"""Checks models written by `tflquant` with the real LiteRT.

    .venv/bin/python scripts/interop/quant_check.py MODEL INPUT OURS [MODEL INPUT OURS ...]

For each triple: LiteRT loads MODEL (builtin kernels), runs it on INPUT (the raw bytes of
input 0, of its type) and compares output 0 with OURS (the raw float32 bytes our interpreter gave on the
same input). Prints `ok MODEL max-diff` or `FAIL MODEL reason` per model; exit 1 if any fails.
Tolerance: 1e-4 of the output's largest magnitude (float16 and weight-int8 compute in float);
2e-2 for hybrid operators (dynamic), whose on-the-fly input quantization may round differently.
"""

import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
from ai_edge_litert.interpreter import Interpreter, OpResolverType  # noqa: E402


def check(model, input_path, ours_path):
    it = Interpreter(model_path=model, experimental_op_resolver_type=OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES)
    it.allocate_tensors()
    detail = it.get_input_details()[0]
    data = np.fromfile(input_path, dtype=detail["dtype"]).reshape(detail["shape"])
    it.set_tensor(detail["index"], data)
    it.invoke()
    out = it.get_tensor(it.get_output_details()[0]["index"]).astype(np.float32).ravel()
    ours = np.fromfile(ours_path, dtype=np.float32)
    if ours.shape != out.shape:
        return f"output has {out.size} values, ours {ours.size}"
    scale = float(np.max(np.abs(out))) or 1.0
    diff = float(np.max(np.abs(out - ours)))
    tolerance = (2e-2 if ".dynamic." in os.path.basename(model) else 1e-4) * scale
    if diff > tolerance:
        return f"max difference {diff:.3g} > {tolerance:.3g}"
    return None, diff


def main(args):
    if len(args) % 3 != 0 or not args:
        sys.exit(__doc__)
    failed = False
    for i in range(0, len(args), 3):
        model, input_path, ours = args[i:i + 3]
        try:
            result = check(model, input_path, ours)
        except Exception as error:  # noqa: BLE001 - reported per model
            result = f"{type(error).__name__}: {error}"
        if isinstance(result, tuple):
            print(f"ok {model} {result[1]:.3g}")
        else:
            failed = True
            print(f"FAIL {model} {result}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main(sys.argv[1:])
