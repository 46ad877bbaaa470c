"""Handmade conformance cases for the convolution, linear and pooling kernels.

Part of the catalogue scripts/make_conformance.py writes: each case is
Tests/Fixtures/conformance/<case>/ (model.tflite, input_N.npy, output_N.npy = LiteRT BUILTIN_REF
outputs, case.json).

The one-operator models are built directly with the flatbuffers object API, so combinations the
converter rarely emits are covered: hybrid kernels with per-tensor weights (LiteRT's symmetric
EvalHybrid path), equal per-channel scales, batches > 1, symmetric FULLY_CONNECTED/BATCH_MATMUL
hybrid inputs, nonzero zero points, uint8 weight zero points, dilated and multiplied depthwise
filters, integer average-pool rounding of negative sums, L2 norms of all-zero rows.

Regenerate:  make fixtures, or .venv/bin/python scripts/make_conformance.py --only PATTERN
"""
from __future__ import annotations

import json
import os
import shutil

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import flatbuffers  # noqa: E402
import numpy as np  # noqa: E402
from tensorflow.lite.python import schema_py_generated as S  # noqa: E402

from conformance.former_names import seed  # noqa: E402

GENERATOR = "scripts/conformance/handmade_conv_linear_pool.py"
TYPES = {"float32": S.TensorType.FLOAT32, "int32": S.TensorType.INT32, "uint8": S.TensorType.UINT8,
         "int64": S.TensorType.INT64, "int16": S.TensorType.INT16, "int8": S.TensorType.INT8}
ACT = {None: 0, "relu": 1, "relu_n1_to_1": 2, "relu6": 3}


class T:
    """A tensor: `data` set = constant, else a model input. `scale` may be a list (per channel)."""

    def __init__(self, dtype, shape, scale=None, zp=0, data=None, dim=0):
        self.dtype, self.shape, self.scale, self.zp, self.dim = dtype, list(shape), scale, zp, dim
        self.data = None if data is None else np.asarray(data, dtype=dtype)


def build(op, inputs, outputs, options):
    model = S.ModelT()
    model.version = 3
    model.description = "handmade conformance case"
    model.buffers = [S.BufferT()]
    sg = S.SubGraphT()
    sg.tensors = []

    def add(t: T):
        st = S.TensorT()
        st.name = f"t{len(sg.tensors)}"
        st.shape = np.array(t.shape, dtype=np.int32)
        st.type = TYPES[t.dtype]
        buf = S.BufferT()
        if t.data is not None:
            buf.data = np.frombuffer(t.data.tobytes(), dtype=np.uint8)
        model.buffers.append(buf)
        st.buffer = len(model.buffers) - 1
        if t.scale is not None:
            scales = np.atleast_1d(np.array(t.scale, dtype=np.float32))
            qp = S.QuantizationParametersT()
            qp.scale = scales
            zps = np.atleast_1d(np.array(t.zp, dtype=np.int64))
            qp.zeroPoint = zps if len(zps) == len(scales) else np.full(len(scales), zps[0], dtype=np.int64)
            qp.quantizedDimension = t.dim
            st.quantization = qp
        sg.tensors.append(st)
        return len(sg.tensors) - 1

    in_idx = [add(t) if t is not None else -1 for t in inputs]
    out_idx = [add(t) for t in outputs]
    sg.inputs = np.array([i for i, t in zip(in_idx, inputs) if t is not None and t.data is None], dtype=np.int32)
    sg.outputs = np.array(out_idx, dtype=np.int32)
    code = S.OperatorCodeT()
    c = getattr(S.BuiltinOperator, op)
    code.builtinCode = c
    code.deprecatedBuiltinCode = min(c, 127)
    code.version = 1
    model.operatorCodes = [code]
    o = S.OperatorT()
    o.opcodeIndex = 0
    o.inputs = np.array(in_idx, dtype=np.int32)
    o.outputs = np.array(out_idx, dtype=np.int32)
    kind, obj = options
    o.builtinOptionsType = getattr(S.BuiltinOptions, kind)
    o.builtinOptions = obj
    sg.operators = [o]
    model.subgraphs = [sg]
    b = flatbuffers.Builder(0)
    b.Finish(model.Pack(b), file_identifier=b"TFL3")
    return bytes(b.Output())


def run_ref(buf, feeds):
    from ai_edge_litert.interpreter import Interpreter, OpResolverType
    it = Interpreter(model_content=buf, num_threads=1, experimental_op_resolver_type=OpResolverType.BUILTIN_REF)
    it.allocate_tensors()
    for d, x in zip(it.get_input_details(), feeds):
        it.set_tensor(d["index"], x)
    it.invoke()
    return [np.array(it.get_tensor(d["index"])) for d in it.get_output_details()]


def rand(rng, dtype, shape, lo=None, hi=None):
    if dtype == "float32":
        return rng.uniform(-1 if lo is None else lo, 1 if hi is None else hi, size=shape).astype(np.float32)
    info = np.iinfo(dtype)
    return rng.integers(info.min if lo is None else lo, (info.max if hi is None else hi) + 1, size=shape).astype(dtype)


class Case:
    def __init__(self, name, op, dtype, params, inputs, outputs, options, feeds=None):
        self.name, self.op, self.dtype, self.params = name, op, dtype, params
        self.inputs, self.outputs, self.options, self.feeds = inputs, outputs, options, feeds


def conv_options(kind, padding="SAME", stride=(1, 1), dilation=(1, 1), act=None, multiplier=1):
    if kind == "Conv2DOptions":
        o = S.Conv2DOptionsT()
    elif kind == "DepthwiseConv2DOptions":
        o = S.DepthwiseConv2DOptionsT()
        o.depthMultiplier = multiplier
    else:
        o = S.TransposeConvOptionsT()
    o.padding = S.Padding.SAME if padding == "SAME" else S.Padding.VALID
    o.strideH, o.strideW = stride
    if kind != "TransposeConvOptions":
        o.dilationHFactor, o.dilationWFactor = dilation
    o.fusedActivationFunction = ACT[act]
    return (kind, o)


def out_size(n, k, s, d, padding):
    eff = (k - 1) * d + 1
    return (n + s - 1) // s if padding == "SAME" else (n + s - eff) // s


def weights_int8(rng, shape, channels, axis, per_channel=True, equal=False):
    w = rng.integers(-127, 128, size=shape).astype(np.int8)
    if per_channel:
        scales = [0.004] * channels if equal else list(rng.uniform(0.002, 0.01, size=channels).astype(np.float32))
        return w, scales
    return w, 0.005


def hybrid_cases(rng):
    cases = []
    # CONV_2D hybrid: per-tensor (symmetric EvalHybrid), equal per-channel scales (also EvalHybrid),
    # per-channel (asymmetric EvalHybridPerChannel) with stride, batches and activation.
    for name, per_channel, equal, batch, stride, act, padding in [
        ("conv_2d_per_tensor_batch2_hybrid", False, False, 2, (1, 1), None, "SAME"),
        ("conv_2d_equal_scales_s2_relu_hybrid", True, True, 1, (2, 2), "relu", "SAME"),
        ("conv_2d_per_channel_batch3_s2_valid_relu6_hybrid", True, False, 3, (2, 1), "relu6", "VALID"),
    ]:
        h, w, c, oc, k = 7, 6, 5, 6, 3
        wt, sc = weights_int8(rng, (oc, k, k, c), oc, 0, per_channel, equal)
        oh, ow = out_size(h, k, stride[0], 1, padding), out_size(w, k, stride[1], 1, padding)
        cases.append(Case(name, "CONV_2D", "hybrid", {"per_channel": per_channel, "batch": batch},
                          [T("float32", (batch, h, w, c)), T("int8", wt.shape, scale=sc, data=wt),
                           T("float32", (oc,), data=rng.uniform(-1, 1, oc))],
                          [T("float32", (batch, oh, ow, oc))],
                          conv_options("Conv2DOptions", padding, stride, act=act),
                          feeds=lambda r, b=batch, h=h, w=w, c=c: [
                              (r.uniform(-2, 3, size=(b, h, w, c)) * r.uniform(0.1, 4, size=(b, 1, 1, 1))).astype(np.float32)]))
    # DEPTHWISE hybrid with multiplier 3, dilation 2, batch 2.
    h, w, c, m, k = 8, 7, 4, 3, 3
    wt, sc = weights_int8(rng, (1, k, k, c * m), c * m, 3)
    cases.append(Case("depthwise_conv_2d_m3_d2_batch2_hybrid", "DEPTHWISE_CONV_2D", "hybrid", {"multiplier": m},
                      [T("float32", (2, h, w, c)), T("int8", wt.shape, scale=sc, data=wt, dim=3),
                       T("float32", (c * m,), data=rng.uniform(-1, 1, c * m))],
                      [T("float32", (2, h, w, c * m))],
                      conv_options("DepthwiseConv2DOptions", "SAME", (1, 1), (2, 2), multiplier=m)))
    # TRANSPOSE_CONV hybrid, batch 2 with bias.
    h, w, c, oc, k = 4, 5, 6, 5, 3
    wt, sc = weights_int8(rng, (oc, k, k, c), oc, 0)
    cases.append(Case("transpose_conv_batch2_bias_hybrid", "TRANSPOSE_CONV", "hybrid", {"stride": 2},
                      [T("int32", (4,), data=np.array([2, 8, 10, oc], dtype=np.int32)), T("int8", wt.shape, scale=sc, data=wt),
                       T("float32", (2, h, w, c)), T("float32", (oc,), data=rng.uniform(-1, 1, oc))],
                      [T("float32", (2, 8, 10, oc))],
                      conv_options("TransposeConvOptions", "SAME", (2, 2))))
    # FULLY_CONNECTED hybrid: symmetric and asymmetric inputs, per-tensor and per-channel weights.
    for name, asym, per_channel, keep in [("fully_connected_symmetric_per_channel_hybrid", False, True, False),
                                          ("fully_connected_symmetric_per_tensor_hybrid", False, False, False),
                                          ("fully_connected_asymmetric_per_tensor_keep_dims_hybrid", True, False, True)]:
        units, depth = 7, 12
        wt, sc = weights_int8(rng, (units, depth), units, 0, per_channel)
        o = S.FullyConnectedOptionsT()
        o.asymmetricQuantizeInputs = asym
        o.keepNumDims = keep
        out_shape = (2, 3, units) if keep else (6, units)
        cases.append(Case(name, "FULLY_CONNECTED", "hybrid", {"asymmetric": asym, "per_channel": per_channel},
                          [T("float32", (2, 3, depth)), T("int8", wt.shape, scale=sc, data=wt),
                           T("float32", (units,), data=rng.uniform(-1, 1, units))],
                          [T("float32", out_shape)], ("FullyConnectedOptions", o),
                          feeds=lambda r, d=depth: [(r.uniform(-1, 2, size=(2, 3, d))).astype(np.float32)]))
    # BATCH_MATMUL hybrid: symmetric, adj_x, broadcast batch.
    for name, asym, adj_x in [("batch_matmul_symmetric_adj_x_hybrid", False, True), ("batch_matmul_asymmetric_hybrid", True, False)]:
        wt = rng.integers(-127, 128, size=(1, 9, 5)).astype(np.int8)
        o = S.BatchMatMulOptionsT()
        o.adjX, o.asymmetricQuantizeInputs = adj_x, asym
        lhs = (3, 9, 4) if adj_x else (3, 4, 9)
        cases.append(Case(name, "BATCH_MATMUL", "hybrid", {"asymmetric": asym, "adj_x": adj_x},
                          [T("float32", lhs), T("int8", wt.shape, scale=0.006, data=wt)],
                          [T("float32", (3, 4, 5))], ("BatchMatMulOptions", o),
                          feeds=lambda r, s=lhs: [r.uniform(-0.5, 2, size=s).astype(np.float32)]))
    return cases


def quantized_cases(rng):
    cases = []
    # int8 CONV_2D 1x1 (a GEMM) with a nonzero input zero point, stride 2 VALID, relu6.
    c, oc = 16, 24
    wt, sc = weights_int8(rng, (oc, 1, 1, c), oc, 0)
    bias = rng.integers(-3000, 3000, size=oc).astype(np.int32)
    cases.append(Case("conv_2d_1x1_s2_valid_relu6_input_zero_point_int8", "CONV_2D", "int8", {},
                      [T("int8", (2, 9, 9, c), scale=0.03, zp=-17), T("int8", wt.shape, scale=sc, data=wt),
                       T("int32", (oc,), scale=[0.03 * s for s in sc], data=bias)],
                      [T("int8", (2, 5, 5, oc), scale=0.05, zp=-128)],
                      conv_options("Conv2DOptions", "VALID", (2, 2), act="relu6")))
    # uint8 DEPTHWISE multiplier 2 with a weight zero point, relu, dilation.
    c, m = 3, 2
    wt = rng.integers(0, 256, size=(1, 3, 3, c * m)).astype(np.uint8)
    cases.append(Case("depthwise_conv_2d_m2_d2_relu_weight_zero_point_uint8", "DEPTHWISE_CONV_2D", "uint8", {},
                      [T("uint8", (1, 9, 8, c), scale=0.02, zp=130), T("uint8", wt.shape, scale=0.01, zp=121, data=wt),
                       T("int32", (c * m,), scale=np.float32(0.02) * np.float32(0.01), data=rng.integers(-500, 500, c * m))],
                      [T("uint8", (1, 9, 8, c * m), scale=0.03, zp=100)],
                      conv_options("DepthwiseConv2DOptions", "SAME", (1, 1), (2, 2), act="relu", multiplier=m)))
    # uint8 FULLY_CONNECTED with a weight zero point and relu, 3 rows.
    wt = rng.integers(0, 256, size=(6, 10)).astype(np.uint8)
    o = S.FullyConnectedOptionsT()
    o.fusedActivationFunction = 1
    cases.append(Case("fully_connected_relu_weight_zero_point_uint8", "FULLY_CONNECTED", "uint8", {},
                      [T("uint8", (3, 10), scale=0.02, zp=128), T("uint8", wt.shape, scale=0.01, zp=140, data=wt),
                       T("int32", (6,), scale=np.float32(0.02) * np.float32(0.01), data=rng.integers(-900, 900, 6))],
                      [T("uint8", (3, 6), scale=0.02, zp=20)], ("FullyConnectedOptions", o)))
    # int16 TRANSPOSE_CONV with int64 bias, VALID, batch 2.
    oc, c = 4, 3
    wt, sc = weights_int8(rng, (oc, 2, 3, c), oc, 0)
    cases.append(Case("transpose_conv_valid_batch2_int64_bias_int16", "TRANSPOSE_CONV", "int16", {},
                      [T("int32", (4,), data=np.array([2, 9, 11, oc], dtype=np.int32)), T("int8", wt.shape, scale=sc, data=wt),
                       T("int16", (2, 4, 5, c), scale=0.0004, zp=0),
                       T("int64", (oc,), scale=[0.0004 * s for s in sc], data=rng.integers(-40000, 40000, oc))],
                      [T("int16", (2, 9, 11, oc), scale=0.0003, zp=0)],
                      conv_options("TransposeConvOptions", "VALID", (2, 2))))
    # int8 BATCH_MATMUL rank 4 with broadcasting, adj_x and adj_y, nonzero zero points.
    o = S.BatchMatMulOptionsT()
    o.adjX, o.adjY = True, True
    cases.append(Case("batch_matmul_bcast_adj_xy_int8", "BATCH_MATMUL", "int8", {},
                      [T("int8", (2, 1, 6, 3), scale=0.02, zp=5), T("int8", (1, 3, 4, 6), scale=0.03, zp=-9)],
                      [T("int8", (2, 3, 3, 4), scale=0.05, zp=2)], ("BatchMatMulOptions", o)))
    # Integer average pooling of mostly negative values (rounding half away from zero).
    for dtype, qp in (("int8", dict(scale=0.01, zp=0)), ("int16", dict(scale=0.001, zp=0))):
        o = S.Pool2DOptionsT()
        o.padding, o.strideH, o.strideW, o.filterHeight, o.filterWidth = S.Padding.SAME, 2, 2, 3, 2
        cases.append(Case(f"average_pool_2d_negative_sums_{dtype}", "AVERAGE_POOL_2D", dtype, {},
                          [T(dtype, (2, 7, 6, 3), **qp)], [T(dtype, (2, 4, 3, 3), **qp)], ("Pool2DOptions", o),
                          feeds=lambda r, d=dtype: [rand(r, d, (2, 7, 6, 3), -100 if d == "int8" else -20000, 40 if d == "int8" else 9000)]))
    # L2 normalization with an all-zero-point row and a 4-D input.
    for dtype, iq, oq in (("int8", dict(scale=0.05, zp=-3), dict(scale=1 / 128, zp=0)),
                          ("uint8", dict(scale=0.05, zp=140), dict(scale=1 / 128, zp=128))):
        def feed(r, d=dtype, z=iq["zp"]):
            x = rand(r, d, (2, 3, 2, 9))
            x[0, 1, 0, :] = z
            x[1, 2, 1, :] = z
            x[1, 2, 1, 4] = z + 1
            return [x]
        o = S.L2NormOptionsT()
        cases.append(Case(f"l2_normalization_zero_rows_{dtype}", "L2_NORMALIZATION", dtype, {},
                          [T(dtype, (2, 3, 2, 9), **iq)], [T(dtype, (2, 3, 2, 9), **oq)], ("L2NormOptions", o), feeds=feed))
    return cases


def all_cases():
    rng = np.random.default_rng(20261123)
    return hybrid_cases(rng) + quantized_cases(rng)


def write_case(case: Case, root: str):
    """Writes the case's folder under `root`; returns None, or why LiteRT refused the case."""
    case_seed = seed(case.name)
    rng = np.random.default_rng(case_seed)
    buf = build(case.op, case.inputs, case.outputs, case.options)
    feeds = case.feeds(rng) if case.feeds else [rand(rng, t.dtype, t.shape) for t in case.inputs if t is not None and t.data is None]
    try:
        outs = run_ref(buf, feeds)
    except Exception as e:  # LiteRT refuses the combination
        return f"LiteRT: {str(e).strip().splitlines()[0][:200]}"
    d = os.path.join(root, case.name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    with open(os.path.join(d, "model.tflite"), "wb") as f:
        f.write(buf)
    for i, x in enumerate(feeds):
        np.save(os.path.join(d, f"input_{i}.npy"), x)
    for i, y in enumerate(outs):
        np.save(os.path.join(d, f"output_{i}.npy"), y)
    is_float = outs[0].dtype == np.float32
    meta = {"generator": GENERATOR, "op": case.op, "dtype": case.dtype, "params": case.params, "ops": [case.op],
            "tolerance": {"kind": "relative", "value": 1e-5} if is_float else {"kind": "exact", "value": 0},
            "seed": case_seed, "ground_truth": "BUILTIN_REF"}
    with open(os.path.join(d, "case.json"), "w") as f:
        json.dump(meta, f, indent=1)
    return None
