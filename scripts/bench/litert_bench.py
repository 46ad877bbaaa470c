#!/usr/bin/env python3
"""Times one model with LiteRT (ai-edge-litert) the way `tflrun bench --json` reports it.

usage: litert_bench.py MODEL --threads N --runs N --warmup N [--builtin]
Prints JSON: {"median_ms", "min_ms", "p90_ms", "init_ms", "peak_rss_mb"}. With --builtin the
default XNNPACK delegate is off (LiteRT's builtin kernels only).
"""
import argparse
import json
import resource
import time

import numpy as np
from ai_edge_litert.interpreter import Interpreter, OpResolverType


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("model")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--builtin", action="store_true")
    args = parser.parse_args()
    start = time.perf_counter()
    kwargs = {"experimental_op_resolver_type": OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES} if args.builtin else {}
    interpreter = Interpreter(model_path=args.model, num_threads=args.threads, **kwargs)
    interpreter.allocate_tensors()
    init_ms = (time.perf_counter() - start) * 1000
    rng = np.random.default_rng(0)
    for detail in interpreter.get_input_details():
        dtype = detail["dtype"]
        if np.issubdtype(dtype, np.floating):
            value = rng.uniform(-1, 1, size=detail["shape"]).astype(dtype)
        else:
            info = np.iinfo(dtype)
            value = rng.integers(info.min, info.max, size=detail["shape"], endpoint=True).astype(dtype)
        interpreter.set_tensor(detail["index"], value)
    for _ in range(args.warmup):
        interpreter.invoke()
    times = []
    for _ in range(args.runs):
        t = time.perf_counter()
        interpreter.invoke()
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    print(json.dumps({
        "median_ms": float(np.median(times)),
        "min_ms": times[0],
        "p90_ms": times[int(0.9 * (len(times) - 1))],
        "init_ms": init_ms,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }))


if __name__ == "__main__":
    main()
