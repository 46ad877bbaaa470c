#!/usr/bin/env python3
"""LiteRT's accuracy and predictions for the populated sample models (the same files the Swift
app runs). usage: litert_eval.py MODEL_DIR DATA_DIR [KEY=PATH ...] > litert.json

KEY=PATH adds any other model under KEY (the demo adds tflquant's as tflquant_<variant>).

LiteRT runs with its builtin kernels (`BUILTIN_WITHOUT_DEFAULT_DELEGATES`), the kernels whose
numbers our interpreter matches. The default XNNPACK delegate rounds some integer operations
differently, so its accuracy is reported beside them (`xnnpack_accuracy`) for information.
"""
import json
import pathlib
import sys

import numpy as np
from ai_edge_litert.interpreter import Interpreter, OpResolverType

VARIANTS = {"float32": "DigitFloat32", "float16": "DigitFloat16", "dynamic_range": "DigitDynamicRange",
            "int8": "DigitInt8", "int16x8": "DigitInt16x8"}


def predictions(path, images, xnnpack=False):
    """LiteRT's predicted class for each uint8 image (pixels / 255, quantized as the input wants)."""
    resolver = OpResolverType.AUTO if xnnpack else OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES
    interpreter = Interpreter(model_path=str(path), num_threads=1, experimental_op_resolver_type=resolver)
    interpreter.allocate_tensors()
    inp, out = interpreter.get_input_details()[0], interpreter.get_output_details()[0]
    result = []
    for image in images:
        x = image.astype(np.float32) / 255.0
        if inp["dtype"] != np.float32:
            scale, zero = inp["quantization"]
            info = np.iinfo(inp["dtype"])
            x = np.clip(np.round(x / scale + zero), info.min, info.max)
        interpreter.set_tensor(inp["index"], x.astype(inp["dtype"])[None])
        interpreter.invoke()
        result.append(int(np.argmax(interpreter.get_tensor(out["index"])[0])))
    return result


def evaluate(paths, images, labels):
    """{"variants": {key: {accuracy, xnnpack_accuracy, predictions}}} for {key: model path}."""
    results = {"variants": {}}
    for key, path in paths.items():
        builtin = predictions(path, images)
        xnnpack = predictions(path, images, xnnpack=True)
        results["variants"][key] = {"accuracy": float(np.mean(np.array(builtin) == labels)),
                                    "xnnpack_accuracy": float(np.mean(np.array(xnnpack) == labels)),
                                    "predictions": builtin}
    return results


def main():
    models, data = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    paths = {key: models / f"{stem}.tflite" for key, stem in VARIANTS.items()}
    for extra in sys.argv[3:]:
        key, _, path = extra.partition("=")
        paths[key] = pathlib.Path(path)
    print(json.dumps(evaluate(paths, np.load(data / "test_images.npy"), np.load(data / "test_labels.npy"))))


if __name__ == "__main__":
    main()
