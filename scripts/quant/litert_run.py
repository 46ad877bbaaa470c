#!/usr/bin/env python3
"""Runs a .tflite model in LiteRT 2.3 (builtin kernels, no default delegate) on .npy inputs.

usage: litert_run.py MODEL --inputs IN_0.npy [IN_1.npy ...] --out OUT.npz [--samples N]
                     [--save-inputs DIR --save-count K] [--reference-kernels]

Each input file holds samples on axis 0 in place of the input's batch axis ([N, d1, ...]). Float samples are
quantized with the input's scale and zero point when the model takes int8/uint8/int16 there;
integer samples (token ids) are passed as they are. OUT.npz gets output_<i>: [N, ...] float64,
quantized outputs dequantized with their scale and zero point, and raw_<i>: the outputs as the
model gives them. --save-inputs writes the first K samples exactly as fed (sample_<s>_input_<i>.npy,
the input's shape and type) for running another interpreter on the same bytes. Exit 1 with one line
on failure. --reference-kernels runs LiteRT's reference kernels (BUILTIN_REF, the ground truth of
the conformance suite) instead of its optimized builtin ones.
"""
import argparse
import sys

import numpy as np
from ai_edge_litert.interpreter import Interpreter, OpResolverType


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("--inputs", nargs="+", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--samples", type=int)
    ap.add_argument("--save-inputs")
    ap.add_argument("--save-count", type=int, default=3)
    ap.add_argument("--reference-kernels", action="store_true")
    args = ap.parse_args()
    try:
        it = Interpreter(model_path=args.model, num_threads=1,
                         experimental_op_resolver_type=OpResolverType.BUILTIN_REF if args.reference_kernels
                         else OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES)
        it.allocate_tensors()
    except Exception as error:
        sys.exit(f"litert_run: LiteRT refuses {args.model}: {' '.join(str(error).split())[:250]}")
    ins, outs = it.get_input_details(), it.get_output_details()
    data = [np.load(p) for p in args.inputs]
    if len(data) != len(ins):
        sys.exit(f"litert_run: {args.model} has {len(ins)} inputs, {len(data)} files given")
    n = min(len(d) for d in data)
    if args.samples:
        n = min(n, args.samples)
    results = [[] for _ in outs]
    raw = [[] for _ in outs]
    try:
        for s in range(n):
            for d, a in zip(ins, data):
                x = a[s].reshape(d["shape"])
                if np.issubdtype(a.dtype, np.floating) and d["dtype"] != np.float32:
                    scale, zero = d["quantization"]
                    info = np.iinfo(d["dtype"])
                    x = np.clip(np.round(x / scale + zero), info.min, info.max)
                x = x.astype(d["dtype"])
                if args.save_inputs and s < args.save_count:
                    np.save(f"{args.save_inputs}/sample_{s}_input_{ins.index(d)}.npy", x)
                it.set_tensor(d["index"], x)
            it.invoke()
            for i, d in enumerate(outs):
                raw[i].append(it.get_tensor(d["index"]).copy())
                y = raw[i][-1].astype(np.float64)
                scale, zero = d["quantization"]
                if d["dtype"] != np.float32 and scale:
                    y = (y - zero) * scale
                results[i].append(y)
    except Exception as error:
        sys.exit(f"litert_run: LiteRT fails running {args.model}: {' '.join(str(error).split())[:250]}")
    np.savez(args.out, **{f"output_{i}": np.stack(r) for i, r in enumerate(results)},
             **{f"raw_{i}": np.stack(r) for i, r in enumerate(raw)})


if __name__ == "__main__":
    main()
