"""MediaPipe custom-operator conformance cases.

Part of the catalogue scripts/make_conformance.py writes: Tests/Fixtures/conformance/<case>/
(model.tflite with MediaPipe's custom operator, input_N.npy, output_N.npy, case.json). LiteRT
alone cannot run MediaPipe's custom operators, so each case's expected outputs come from LiteRT
(BUILTIN_REF) running an equivalent model in which every custom operator is rewritten into
builtin ones, and `expected_from` says so:
  * Convolution2DTransposeBias (custom options: TfLiteTransposeConvParams as raw bytes: padding
    1 = SAME / 2 = VALID, stride width, stride height) -> TRANSPOSE_CONV with the output shape
    MediaPipe computes (SAME: input x stride; VALID: (input - 1) x stride + filter) and the bias;
  * mediapipe_transpose_conv_bias_*: one-operator models built with the flatbuffers object API;
  * mediapipe_selfie_segmentation_landscape: MediaPipe's real model, from the mediapipe 0.10.14
    wheel on PyPI (downloaded once into bench-out/, not committed elsewhere).
Regenerate:  .venv/bin/python scripts/make_conformance.py --only 'mediapipe_*'
"""
import json
import os
import shutil
import struct
import subprocess
import sys
import zipfile
import zlib

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import flatbuffers  # noqa: E402
import numpy as np  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GENERATOR = "scripts/conformance/mediapipe.py"
WHEEL = "mediapipe==0.10.14"


class MediaPipeCase:
    def __init__(self, name, build, feeds, params):
        self.name, self.op, self.dtype, self.params = name, "CUSTOM:Convolution2DTransposeBias", "float32", params
        self.build, self.feeds = build, feeds


def _pack(model):
    builder = flatbuffers.Builder(1024)
    builder.Finish(model.Pack(builder), file_identifier=b"TFL3")
    return bytes(builder.Output())


def _transpose_conv_bias(padding, stride, in_shape, out_depth, kernel):
    """A one-operator model: Convolution2DTransposeBias(input, weights, bias)."""
    from tensorflow.lite.python import schema_py_generated as S
    rng = np.random.default_rng(zlib.crc32(f"{padding}{stride}{in_shape}{kernel}".encode()))
    weights = rng.normal(0, 0.4, (out_depth, kernel, kernel, in_shape[3])).astype(np.float32)
    bias = rng.uniform(-0.5, 0.5, out_depth).astype(np.float32)
    model = S.ModelT()
    model.version = 3
    code = S.OperatorCodeT()
    code.builtinCode = code.deprecatedBuiltinCode = S.BuiltinOperator.CUSTOM
    code.customCode = "Convolution2DTransposeBias"
    model.operatorCodes = [code]
    model.buffers = [S.BufferT()]

    def tensor(shape, name, data=None):
        t = S.TensorT()
        t.shape = np.array(shape, dtype=np.int32)
        t.type = S.TensorType.FLOAT32
        t.name = name
        if data is None:
            t.buffer = 0
        else:
            b = S.BufferT()
            b.data = np.frombuffer(data.tobytes(), dtype=np.uint8)
            model.buffers.append(b)
            t.buffer = len(model.buffers) - 1
        return t
    size = (lambda n, k: n * stride) if padding == 1 else (lambda n, k: (n - 1) * stride + k)
    out_shape = [in_shape[0], size(in_shape[1], kernel), size(in_shape[2], kernel), out_depth]
    sg = S.SubGraphT()
    sg.tensors = [tensor(in_shape, "input"), tensor(weights.shape, "weights", weights), tensor([out_depth], "bias", bias),
                  tensor(out_shape, "output")]
    op = S.OperatorT()
    op.opcodeIndex = 0
    op.inputs = np.array([0, 1, 2], dtype=np.int32)
    op.outputs = np.array([3], dtype=np.int32)
    op.customOptions = np.frombuffer(struct.pack("<iii", padding, stride, stride), dtype=np.uint8)
    sg.operators = [op]
    sg.inputs = np.array([0], dtype=np.int32)
    sg.outputs = np.array([3], dtype=np.int32)
    model.subgraphs = [sg]
    return _pack(model)


def wheel_member(path):
    """A file of the mediapipe 0.10.14 wheel (downloaded once from PyPI into bench-out/mediapipe)."""
    cache = os.path.join(REPO, "bench-out", "mediapipe")
    os.makedirs(cache, exist_ok=True)
    wheels = [f for f in os.listdir(cache) if f.startswith("mediapipe-0.10.14") and f.endswith(".whl")]
    if not wheels:
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", WHEEL, "-d", cache], check=True)
        wheels = [f for f in os.listdir(cache) if f.startswith("mediapipe-0.10.14") and f.endswith(".whl")]
    with zipfile.ZipFile(os.path.join(cache, wheels[0])) as wheel:
        return wheel.read(path)


def _selfie_segmentation():
    return wheel_member("mediapipe/modules/selfie_segmentation/selfie_segmentation_landscape.tflite")


def builtin_equivalent(buf):
    """The model with every Convolution2DTransposeBias rewritten into TRANSPOSE_CONV."""
    from tensorflow.lite.python import schema_py_generated as S
    model = S.ModelT.InitFromPackedBuf(buf, 0)
    code = S.OperatorCodeT()
    code.builtinCode = code.deprecatedBuiltinCode = S.BuiltinOperator.TRANSPOSE_CONV
    code.version = 3
    model.operatorCodes.append(code)
    index = len(model.operatorCodes) - 1
    for sg in model.subgraphs:
        for op in sg.operators:
            oc = model.operatorCodes[op.opcodeIndex]
            if oc.builtinCode != S.BuiltinOperator.CUSTOM or oc.customCode not in (b"Convolution2DTransposeBias", "Convolution2DTransposeBias"):
                continue
            padding, stride_w, stride_h = struct.unpack("<iii", bytes(op.customOptions[:12]))
            source, weights, bias = [int(i) for i in op.inputs]
            shape = np.array(sg.tensors[op.outputs[0]].shape, dtype=np.int32)
            b = S.BufferT()
            b.data = np.frombuffer(shape.tobytes(), dtype=np.uint8)
            model.buffers.append(b)
            t = S.TensorT()
            t.shape = np.array([4], dtype=np.int32)
            t.type = S.TensorType.INT32
            t.buffer = len(model.buffers) - 1
            t.name = "output_shape"
            sg.tensors.append(t)
            op.opcodeIndex = index
            op.inputs = np.array([len(sg.tensors) - 1, weights, source, bias], dtype=np.int32)
            options = S.TransposeConvOptionsT()
            options.padding = S.Padding.SAME if padding == 1 else S.Padding.VALID
            options.strideW, options.strideH = stride_w, stride_h
            op.builtinOptionsType = S.BuiltinOptions.TransposeConvOptions
            op.builtinOptions = options
            op.customOptions = None
    return _pack(model)


def all_cases():
    floats = lambda shape, lo=-1, hi=1: (lambda rng: [rng.uniform(lo, hi, shape).astype(np.float32)])  # noqa: E731
    return [
        MediaPipeCase("mediapipe_transpose_conv_bias_same_s2", lambda: _transpose_conv_bias(1, 2, [1, 5, 6, 8], 4, 3),
                      floats([1, 5, 6, 8]), {"padding": "SAME", "stride": 2, "kernel": 3, "in": [1, 5, 6, 8], "out_depth": 4}),
        MediaPipeCase("mediapipe_transpose_conv_bias_valid_s2", lambda: _transpose_conv_bias(2, 2, [1, 4, 5, 6], 3, 4),
                      floats([1, 4, 5, 6]), {"padding": "VALID", "stride": 2, "kernel": 4, "in": [1, 4, 5, 6], "out_depth": 3}),
        MediaPipeCase("mediapipe_transpose_conv_bias_same_s1", lambda: _transpose_conv_bias(1, 1, [1, 6, 6, 5], 7, 3),
                      floats([1, 6, 6, 5]), {"padding": "SAME", "stride": 1, "kernel": 3, "in": [1, 6, 6, 5], "out_depth": 7}),
        MediaPipeCase("mediapipe_selfie_segmentation_landscape", _selfie_segmentation, floats([1, 144, 256, 3], 0, 1),
                      {"model": f"selfie_segmentation_landscape.tflite from {WHEEL}"}),
    ]


def write_case(case, root):
    """Writes the case's folder under `root`; returns None, or why it could not be made."""
    from ai_edge_litert.interpreter import Interpreter, OpResolverType
    try:
        buf = case.build()
    except Exception as e:
        return "build: " + str(e).strip().splitlines()[0][:200]
    rng = np.random.default_rng(zlib.crc32(case.name.encode()))
    feeds = case.feeds(rng)
    interpreter = Interpreter(model_content=builtin_equivalent(buf), num_threads=1,
                              experimental_op_resolver_type=OpResolverType.BUILTIN_REF)
    interpreter.allocate_tensors()
    for detail, value in zip(interpreter.get_input_details(), feeds):
        interpreter.set_tensor(detail["index"], value)
    interpreter.invoke()
    outputs = [np.array(interpreter.get_tensor(d["index"])) for d in interpreter.get_output_details()]
    directory = os.path.join(root, case.name)
    shutil.rmtree(directory, ignore_errors=True)
    os.makedirs(directory)
    with open(os.path.join(directory, "model.tflite"), "wb") as f:
        f.write(buf)
    for i, x in enumerate(feeds):
        np.save(os.path.join(directory, f"input_{i}.npy"), x, allow_pickle=False)
    for i, y in enumerate(outputs):
        np.save(os.path.join(directory, f"output_{i}.npy"), y, allow_pickle=False)
    info = {
        "op": case.op, "dtype": case.dtype, "params": case.params,
        "tolerance": {"kind": "relative", "value": 1e-5}, "mode": "handmade" if "selfie" not in case.name else "whole-model",
        "generator": GENERATOR,
        "expected_from": "BUILTIN_REF on the model with Convolution2DTransposeBias rewritten into TRANSPOSE_CONV",
    }
    with open(os.path.join(directory, "case.json"), "w") as f:
        json.dump(info, f, indent=1)
        f.write("\n")
    return None
