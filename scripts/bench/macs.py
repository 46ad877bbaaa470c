#!/usr/bin/env python3
"""Multiply-adds of one inference of a .tflite model: CONV_2D (output elements × filter taps ×
filter depth), DEPTHWISE_CONV_2D (output elements × taps), FULLY_CONNECTED (output elements ×
input depth), TRANSPOSE_CONV (input elements × filter taps × output channels) and BATCH_MATMUL,
from LiteRT's view of the model (tensor shapes after allocation).

usage: macs.py MODEL.tflite [...]   prints "model  MACs" lines; with --json a JSON object.
"""
import json
import sys

import numpy as np
from ai_edge_litert.interpreter import Interpreter


def macs(path):
    interpreter = Interpreter(model_path=str(path))
    try:
        interpreter.allocate_tensors()
    except RuntimeError:
        pass  # shapes are known from the model even where a LiteRT kernel refuses to prepare
    shapes = {t["index"]: t["shape"] for t in interpreter.get_tensor_details()}
    total = 0
    for op in interpreter._get_ops_details():
        name, inputs, outputs = op["op_name"], op["inputs"], op["outputs"]
        if not len(outputs) or outputs[0] < 0:
            continue
        out = int(np.prod(shapes[outputs[0]]))
        if name == "CONV_2D":
            filt = shapes[inputs[1]]
            total += out * int(filt[1]) * int(filt[2]) * int(filt[3])
        elif name == "DEPTHWISE_CONV_2D":
            filt = shapes[inputs[1]]
            total += out * int(filt[1]) * int(filt[2])
        elif name == "FULLY_CONNECTED":
            total += out * int(shapes[inputs[1]][-1])
        elif name == "TRANSPOSE_CONV":
            filt = shapes[inputs[1]]
            total += int(np.prod(shapes[inputs[2]])) * int(filt[0]) * int(filt[1]) * int(filt[2])
        elif name == "BATCH_MATMUL":
            total += out * int(shapes[inputs[0]][-1])
    return total


def main():
    args = [a for a in sys.argv[1:] if a != "--json"]
    result = {a: macs(a) for a in args}
    if "--json" in sys.argv:
        print(json.dumps(result))
    else:
        for model, count in result.items():
            print(f"{model}  {count}")


if __name__ == "__main__":
    main()
