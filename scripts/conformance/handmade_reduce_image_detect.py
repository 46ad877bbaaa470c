"""Handmade conformance cases for reductions, image ops, detection post-processing and large
(multi-threaded) elementwise and FULLY_CONNECTED tensors.

Part of the catalogue scripts/make_conformance.py writes: each case is
Tests/Fixtures/conformance/<case>/ (model.tflite, input_N.npy, output_N.npy = LiteRT BUILTIN_REF
outputs, case.json).

Unlike the converter-built cases (cases.py), the models are built directly with the flatbuffers object API
(one operator, chosen tensor types and quantization), so dtype combinations the converter never
emits (uint8 kernels, differing input/output scales, int16 zero points, ties for ARG_MAX, ...)
and the TFLite_Detection_PostProcess custom operator can be covered.

Regenerate:  make fixtures, or .venv/bin/python scripts/make_conformance.py --only PATTERN
"""
from __future__ import annotations

import json
import os
import shutil

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import flatbuffers  # noqa: E402
import numpy as np  # noqa: E402

from flatbuffers import flexbuffers  # noqa: E402
from tensorflow.lite.python import schema_py_generated as S  # noqa: E402

from conformance.former_names import seed  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GENERATOR = "scripts/conformance/handmade_reduce_image_detect.py"

TYPES = {"float32": S.TensorType.FLOAT32, "int32": S.TensorType.INT32, "uint8": S.TensorType.UINT8,
         "int64": S.TensorType.INT64, "int16": S.TensorType.INT16, "int8": S.TensorType.INT8}


# ----------------------------------------------------------------------------------------------
# model building
# ----------------------------------------------------------------------------------------------
class T:
    """A tensor of the one-operator model. `data` set = constant, else a model input."""

    def __init__(self, dtype, shape, scale=None, zp=0, data=None, name=None):
        self.dtype, self.shape, self.scale, self.zp = dtype, list(shape), scale, zp
        self.data = None if data is None else np.asarray(data, dtype=dtype)
        self.name = name


def build_model(op, inputs, outputs, options=None, custom_code=None, custom_options=None):
    model = S.ModelT()
    model.version = 3
    model.description = "handmade conformance case"
    model.buffers = [S.BufferT()]
    sg = S.SubGraphT()
    sg.tensors = []

    def add(t: T, i):
        st = S.TensorT()
        st.name = t.name or f"t{i}"
        st.shape = np.array(t.shape, dtype=np.int32)
        st.type = TYPES[t.dtype]
        buf = S.BufferT()
        if t.data is not None:
            buf.data = np.frombuffer(t.data.astype(t.dtype).tobytes(), dtype=np.uint8)
        model.buffers.append(buf)
        st.buffer = len(model.buffers) - 1
        if t.scale is not None:
            q = S.QuantizationParametersT()
            q.scale = np.array([t.scale], dtype=np.float32)
            q.zeroPoint = np.array([t.zp], dtype=np.int64)
            st.quantization = q
        sg.tensors.append(st)
        return len(sg.tensors) - 1

    in_idx = [add(t, i) if t is not None else -1 for i, t in enumerate(inputs)]
    out_idx = [add(t, len(inputs) + i) for i, t in enumerate(outputs)]
    sg.inputs = np.array([i for i, t in zip(in_idx, inputs) if t is not None and t.data is None], dtype=np.int32)
    sg.outputs = np.array(out_idx, dtype=np.int32)
    code = S.OperatorCodeT()
    if custom_code:
        code.builtinCode = S.BuiltinOperator.CUSTOM
        code.deprecatedBuiltinCode = S.BuiltinOperator.CUSTOM
        code.customCode = custom_code
    else:
        c = getattr(S.BuiltinOperator, op)
        code.builtinCode = c
        code.deprecatedBuiltinCode = min(c, 127)
    code.version = 1
    model.operatorCodes = [code]
    o = S.OperatorT()
    o.opcodeIndex = 0
    o.inputs = np.array(in_idx, dtype=np.int32)
    o.outputs = np.array(out_idx, dtype=np.int32)
    if options is not None:
        kind, obj = options
        o.builtinOptionsType = getattr(S.BuiltinOptions, kind)
        o.builtinOptions = obj
    if custom_options is not None:
        o.customOptions = np.frombuffer(custom_options, dtype=np.uint8)
        o.customOptionsFormat = S.CustomOptionsFormat.FLEXBUFFERS
    sg.operators = [o]
    model.subgraphs = [sg]
    b = flatbuffers.Builder(0)
    b.Finish(model.Pack(b), file_identifier=b"TFL3")
    return bytes(b.Output())


def run_ref(buf, feeds, resolver="BUILTIN_REF"):
    from ai_edge_litert.interpreter import Interpreter, OpResolverType
    it = Interpreter(model_content=buf, num_threads=1,
                     experimental_op_resolver_type=getattr(OpResolverType, resolver))
    it.allocate_tensors()
    for d, x in zip(it.get_input_details(), feeds):
        it.set_tensor(d["index"], x)
    it.invoke()
    return [np.array(it.get_tensor(d["index"])) for d in it.get_output_details()]


def rand(rng, t: T, lo=None, hi=None):
    if t.dtype == "float32":
        return rng.uniform(-1 if lo is None else lo, 1 if hi is None else hi, size=t.shape).astype(np.float32)
    info = np.iinfo(t.dtype)
    lo = info.min if lo is None else lo
    hi = info.max if hi is None else hi
    return rng.integers(lo, hi + 1, size=t.shape).astype(t.dtype)


# ----------------------------------------------------------------------------------------------
# cases
# ----------------------------------------------------------------------------------------------
class Case:
    def __init__(self, name, op, dtype, params, inputs, outputs, options=None, custom_code=None,
                 custom_options=None, feeds=None):
        self.name, self.op, self.dtype, self.params = name, op, dtype, params
        self.inputs, self.outputs, self.options = inputs, outputs, options
        self.custom_code, self.custom_options = custom_code, custom_options
        self.feeds = feeds  # callable(rng) -> list of arrays, or None for uniform random


QP = {  # (scale, zero point) pairs per dtype: input, output (different scales)
    "int8": ((0.02, -5), (0.013, 3)),
    "uint8": ((0.021, 120), (0.017, 131)),
    "int16": ((0.0007, 0), (0.0005, 0)),
}


def q(dtype, which):
    if dtype in QP:
        s, z = QP[dtype][which]
        return dict(scale=s, zp=z)
    return {}


def reduction_cases():
    cases = []
    variants = [
        ("hw_keep", (2, 3, 4, 5), [1, 2], True),
        ("wh_keep", (1, 4, 3, 6), [2, 1], True),
        ("a1_keep", (2, 3, 4, 5), [1], True),
        ("neg_dup_nokeep", (2, 3, 4, 5), [-1, 1, 3], False),
        ("all_nokeep", (2, 3, 4, 5), [0, 1, 2, 3], False),
        ("a0_nokeep_3d", (4, 3, 5), [0], False),
        ("last_keep_2d", (6, 7), [-1], True),
    ]
    for op in ("MEAN", "SUM", "REDUCE_MAX", "REDUCE_MIN"):
        for dtype in ("float32", "int8", "uint8", "int16", "int32", "int64"):
            for v, shape, axes, keep in variants:
                if dtype == "int64" and v not in ("a1_keep", "neg_dup_nokeep", "all_nokeep"):
                    continue
                out_shape = [1 if (i in [a % len(shape) for a in axes]) else d for i, d in enumerate(shape)]
                if not keep:
                    out_shape = [d for i, d in enumerate(shape) if i not in [a % len(shape) for a in axes]]
                scales = ["same"] if op in ("REDUCE_MAX", "REDUCE_MIN") or dtype in ("float32", "int32", "int64") \
                    else ["same", "rescale"]
                for sc in scales:
                    iq = q(dtype, 0)
                    oq = iq if sc == "same" else q(dtype, 1)
                    if op == "SUM" and sc == "rescale" and dtype != "int16":
                        # sums need a wider output range
                        oq = dict(scale=iq["scale"] * 6, zp=oq["zp"])
                    # (the converter catalogue has a1_keep and all_nokeep cases of its own)
                    variant = v + ("_handmade" if v in ("a1_keep", "all_nokeep") else "")
                    name = f"{op.lower()}_{variant}" + ("" if sc == "same" or not iq else "_rescale") + f"_{dtype}"
                    inp = T(dtype, shape, **iq)
                    ax = T("int32", [len(axes)], data=np.array(axes, dtype=np.int32))
                    out = T(dtype, out_shape, **oq)
                    opts = S.ReducerOptionsT()
                    opts.keepDims = keep
                    cases.append(Case(name, op, dtype, {"axis": axes, "keep_dims": keep, "in": list(shape),
                                                        "scales": sc},
                                      [inp, ax], [out], ("ReducerOptions", opts)))
    return cases


def reduction_scale_cases():
    """Quantized MEAN/SUM with extreme scale ratios and large reduction counts."""
    cases = []
    combos = [
        # (variant, shape, axes, keep, input (scale, zp), output (scale, zp))
        ("big_ratio", (1, 4, 4, 3), [1, 2], True, (0.05, 3), (0.002, -7)),
        ("tiny_ratio", (2, 5, 6), [2], False, (0.001, -20), (0.4, 10)),
        ("count1024", (1, 32, 32, 4), [1, 2], True, (0.03, -10), (0.01, 5)),
        ("count4096_all", (4, 32, 32), [0, 1, 2], False, (0.02, 7), (0.02, 7)),
        ("size1_axis", (3, 1, 5), [1], False, (0.02, 1), (0.05, -2)),
        # a spatial mean with two 16-channel blocks and 8 channels past them, negative axes
        ("spatial_depth40", (2, 6, 5, 40), [-3, -2], True, (0.02, -5), (0.013, 3)),
    ]
    for op in ("MEAN", "SUM"):
        for dtype in ("int8", "uint8", "int16"):
            for v, shape, axes, keep, iq, oq in combos:
                if dtype == "uint8":
                    iq, oq = (iq[0], iq[1] + 128), (oq[0], oq[1] + 128)
                if dtype == "int16":
                    iq, oq = (iq[0] / 256, 0), (oq[0] / 256, 0)
                if op == "SUM":
                    oq = (oq[0] * 40, oq[1])
                rank = len(shape)
                out_shape = [1 if i in [a % rank for a in axes] else d for i, d in enumerate(shape)] if keep else \
                    [d for i, d in enumerate(shape) if i not in [a % rank for a in axes]]
                opts = S.ReducerOptionsT()
                opts.keepDims = keep
                cases.append(Case(f"{op.lower()}_{v}_{dtype}", op, dtype,
                                  {"axis": axes, "keep_dims": keep, "in": list(shape), "input_q": list(iq),
                                   "output_q": list(oq)},
                                  [T(dtype, shape, scale=iq[0], zp=iq[1]),
                                   T("int32", [len(axes)], data=np.array(axes, dtype=np.int32))],
                                  [T(dtype, out_shape, scale=oq[0], zp=oq[1])], ("ReducerOptions", opts)))
    return cases


def arg_cases():
    cases = []
    for op in ("ARG_MAX", "ARG_MIN"):
        for dtype in ("float32", "int8", "uint8", "int32", "int16"):
            for axis, shape in ((0, (4, 3, 5)), (1, (4, 3, 5)), (-1, (4, 3, 5)), (3, (1, 2, 3, 7))):
                for ot in ("int32", "int64"):
                    if ot == "int64" and axis != -1:
                        continue
                    iq = q(dtype, 0)
                    inp = T(dtype, shape, **iq)
                    ax = T("int32", [1], data=np.array([axis], dtype=np.int32))
                    out_shape = [d for i, d in enumerate(shape) if i != axis % len(shape)]
                    out = T(ot, out_shape)
                    if op == "ARG_MAX":
                        opts = S.ArgMaxOptionsT()
                        kind = "ArgMaxOptions"
                    else:
                        opts = S.ArgMinOptionsT()
                        kind = "ArgMinOptions"
                    opts.outputType = TYPES[ot]

                    def feeds(rng, dtype=dtype, shape=shape):
                        # few distinct values: many ties (first index must win)
                        v = rng.integers(-3, 4, size=shape)
                        if dtype == "float32":
                            return [(v * 0.25).astype(np.float32)]
                        if dtype == "uint8":
                            return [(v + 100).astype(np.uint8)]
                        return [v.astype(dtype)]
                    a = f"axis{axis}".replace("-", "m")
                    cases.append(Case(f"{op.lower()}_{a}_{ot}_{dtype}", op, dtype,
                                      {"axis": axis, "output_type": ot, "in": list(shape)},
                                      [inp, ax], [out], (kind, opts), feeds=feeds))
    return cases


def resize_cases():
    cases = []
    sizes = [("up", (1, 4, 5, 3), (8, 10)), ("up_nonint", (2, 4, 5, 3), (7, 6)),
             ("down", (1, 7, 9, 2), (3, 4)), ("same", (1, 3, 3, 2), (3, 3)),
             ("to1x1", (1, 5, 4, 2), (1, 1)), ("big_down", (1, 33, 47, 2), (5, 7))]
    flags = [("plain", False, False), ("align", True, False), ("half", False, True),
             ("align_half", True, True)]
    for op in ("RESIZE_BILINEAR", "RESIZE_NEAREST_NEIGHBOR"):
        for dtype in ("float32", "int8", "uint8", "int16", "int32"):
            if op == "RESIZE_BILINEAR" and dtype == "int32":
                continue
            for sv, shape, size in sizes:
                for fv, ac, hp in flags:
                    if ac and hp and op == "RESIZE_BILINEAR":
                        continue  # LiteRT rejects this combination for bilinear
                    if sv in ("to1x1", "big_down") and dtype not in ("float32", "int8", "uint8"):
                        continue
                    iq = q(dtype, 0)
                    inp = T(dtype, shape, **iq)
                    sz = T("int32", [2], data=np.array(size, dtype=np.int32))
                    out = T(dtype, [shape[0], size[0], size[1], shape[3]], **iq)
                    if op == "RESIZE_BILINEAR":
                        opts = S.ResizeBilinearOptionsT()
                        kind = "ResizeBilinearOptions"
                    else:
                        opts = S.ResizeNearestNeighborOptionsT()
                        kind = "ResizeNearestNeighborOptions"
                    opts.alignCorners = ac
                    opts.halfPixelCenters = hp
                    cases.append(Case(f"{op.lower()}_{sv}_{fv}_{dtype}", op, dtype,
                                      {"in": list(shape), "size": list(size), "align_corners": ac,
                                       "half_pixel_centers": hp}, [inp, sz], [out], (kind, opts)))
    return cases


def space_cases():
    def handmade(bs):  # (the converter catalogue has block-2 cases of its own)
        return "_handmade" if bs == 2 else ""

    cases = []
    for dtype in ("float32", "int8", "uint8", "int16", "int32", "int64"):
        for bs, shape in ((2, (1, 2, 3, 8)), (3, (2, 1, 2, 18))):
            iq = q(dtype, 0)
            n, h, w, c = shape
            opts = S.DepthToSpaceOptionsT()
            opts.blockSize = bs
            cases.append(Case(f"depth_to_space_b{bs}{handmade(bs)}_{dtype}", "DEPTH_TO_SPACE", dtype,
                              {"in": list(shape), "block_size": bs},
                              [T(dtype, shape, **iq)], [T(dtype, [n, h * bs, w * bs, c // (bs * bs)], **iq)],
                              ("DepthToSpaceOptions", opts)))
        for bs, shape in ((2, (1, 4, 6, 2)), (3, (2, 3, 6, 3))):
            iq = q(dtype, 0)
            n, h, w, c = shape
            opts = S.SpaceToDepthOptionsT()
            opts.blockSize = bs
            cases.append(Case(f"space_to_depth_b{bs}{handmade(bs)}_{dtype}", "SPACE_TO_DEPTH", dtype,
                              {"in": list(shape), "block_size": bs},
                              [T(dtype, shape, **iq)], [T(dtype, [n, h // bs, w // bs, c * bs * bs], **iq)],
                              ("SpaceToDepthOptions", opts)))
    return cases


# ------------------------------------------------------------------ large elementwise tensors
def big_elementwise_cases():
    """Tensors large enough (64 K elements) that the interpreter splits them over its threads."""
    cases = []
    shape = (1, 64, 64, 16)
    a, b, o = dict(scale=0.02, zp=-5), dict(scale=0.031, zp=7), dict(scale=0.045, zp=2)
    for op, kind in (("ADD", "AddOptions"), ("SUB", "SubOptions"), ("MUL", "MulOptions")):
        cases.append(Case(f"{op.lower()}_big_int8", op, "int8", {"in": list(shape)},
                          [T("int8", shape, **a), T("int8", shape, **b)], [T("int8", shape, **o)],
                          (kind, getattr(S, kind + "T")())))
    cases.append(Case("mul_big_scalar_int8", "MUL", "int8", {"in": list(shape), "scalar": True},
                      [T("int8", shape, **a), T("int8", [1], **b)], [T("int8", shape, **o)], ("MulOptions", S.MulOptionsT())))
    # One-element inputs (as a model's input rescaling has): the interpreter tables these.
    relu = S.AddOptionsT()
    relu.fusedActivationFunction = S.ActivationFunctionType.RELU
    cases.append(Case("add_big_scalar_int8", "ADD", "int8", {"in": list(shape), "scalar": True},
                      [T("int8", shape, **a), T("int8", [], **b)], [T("int8", shape, **o)], ("AddOptions", relu)))
    ua, ub, uo = dict(scale=0.02, zp=120), dict(scale=0.031, zp=135), dict(scale=0.045, zp=128)
    cases.append(Case("sub_big_scalar_first_uint8", "SUB", "uint8", {"in": list(shape), "scalar": "first"},
                      [T("uint8", [1, 1, 1, 1], **ub), T("uint8", shape, **ua)], [T("uint8", shape, **uo)],
                      ("SubOptions", S.SubOptionsT())))
    cases.append(Case("logistic_big_int8", "LOGISTIC", "int8", {"in": list(shape)},
                      [T("int8", shape, **a)], [T("int8", shape, scale=1 / 256, zp=-128)]))
    fshape = (1, 32, 32, 16)  # 16 K floats: split from 8 K (two threads' worth of 4 K)

    def few_values(rng, shape=fshape):  # sixteenths in [-4, 4): compresses, sums exact
        return [(rng.integers(-64, 64, size=shape) / 16).astype(np.float32) for _ in range(2)]

    for op, kind, act in (("ADD", "AddOptions", S.ActivationFunctionType.RELU6), ("MUL", "MulOptions", S.ActivationFunctionType.NONE)):
        opts = getattr(S, kind + "T")()
        opts.fusedActivationFunction = act
        cases.append(Case(f"{op.lower()}_big_float32", op, "float32", {"in": list(fshape)},
                          [T("float32", fshape), T("float32", fshape)], [T("float32", fshape)], (kind, opts), feeds=few_values))
    # A LayerNorm's broadcasts (per pixel along channels, and an outer product): general
    # layouts, split over the threads by output rows.
    pixel = (1, 32, 32, 1)
    cases.append(Case("squared_difference_big_rowwise_int8", "SQUARED_DIFFERENCE", "int8", {"in": [list(fshape), list(pixel)]},
                      [T("int8", fshape, **a), T("int8", pixel, **b)], [T("int8", fshape, **o)]))
    cases.append(Case("sub_big_rowwise_float32", "SUB", "float32", {"in": [list(fshape), list(pixel)]},
                      [T("float32", fshape), T("float32", pixel)], [T("float32", fshape)], ("SubOptions", S.SubOptionsT()),
                      feeds=lambda rng: [few_values(rng)[0], few_values(rng, pixel)[0]]))
    cases.append(Case("mul_big_outer_float32", "MUL", "float32", {"in": [list(pixel), [1, 1, 1, 16]]},
                      [T("float32", pixel), T("float32", (1, 1, 1, 16))], [T("float32", fshape)], ("MulOptions", S.MulOptionsT()),
                      feeds=lambda rng: [few_values(rng, pixel)[0], few_values(rng, (1, 1, 1, 16))[0]]))
    cases.append(Case("hard_swish_big_float32", "HARD_SWISH", "float32", {"in": list(fshape)},
                      [T("float32", fshape)], [T("float32", fshape)], feeds=lambda rng: few_values(rng)[:1]))
    cases.append(Case("logistic_big_float32", "LOGISTIC", "float32", {"in": [1, 32, 32, 32]},
                      [T("float32", (1, 32, 32, 32))], [T("float32", (1, 32, 32, 32))],
                      feeds=lambda rng: [rng.uniform(-20, 20, size=(1, 32, 32, 32)).astype(np.float32)]))
    return cases


# ------------------------------------------------------------------ large FULLY_CONNECTED on one row
def big_fully_connected_cases():
    """One input row against 200 × 1024 weights: enough multiply-adds that the interpreter splits
    the output channels (not the single row) over its threads."""
    cases = []
    units, depth = 160, 832  # 133 120 multiply-adds, over the threshold (2^17); 10 blocks of 16 channels
    rng = np.random.default_rng(1024)
    for dtype, act in (("int8", S.ActivationFunctionType.NONE), ("int8", S.ActivationFunctionType.RELU),
                       ("uint8", S.ActivationFunctionType.NONE), ("float32", S.ActivationFunctionType.RELU6)):
        opts = S.FullyConnectedOptionsT()
        opts.fusedActivationFunction = act
        suffix = {S.ActivationFunctionType.NONE: "", S.ActivationFunctionType.RELU: "_relu",
                  S.ActivationFunctionType.RELU6: "_relu6"}[act]
        if dtype == "float32":
            w = T("float32", (units, depth), data=rng.integers(-8, 9, size=(units, depth)) / 64)  # few values: compresses
            b = T("float32", (units,), data=rng.uniform(-1, 1, size=units))
            x, y = T("float32", (1, depth)), T("float32", (1, units))
        else:
            x_q, y_q = q(dtype, 0), dict(scale=0.35, zp=q(dtype, 1)["zp"])
            w_q = dict(scale=0.004, zp=0 if dtype == "int8" else 127)
            w_lo, w_hi = (-127, 127) if dtype == "int8" else (0, 255)
            w = T(dtype, (units, depth), data=rng.integers(w_lo, w_hi + 1, size=(units, depth)), **w_q)
            b = T("int32", (units,), scale=x_q["scale"] * w_q["scale"], zp=0, data=rng.integers(-20000, 20000, size=units))
            x, y = T(dtype, (1, depth), **x_q), T(dtype, (1, units), **y_q)
        cases.append(Case(f"fully_connected_big_batch1{suffix}_{dtype}", "FULLY_CONNECTED", dtype,
                          {"in": [1, depth], "units": units, "activation": suffix.lstrip("_") or "none"},
                          [x, w, b], [y], ("FullyConnectedOptions", opts)))
    return cases


# ------------------------------------------------------------------ detection post-processing
def detection_options(max_det, max_cls, det_per_cls, num_classes, regular, score_th, iou_th,
                      scales=(10.0, 10.0, 5.0, 5.0)):
    fbb = flexbuffers.Builder()
    with fbb.Map():
        for key, value in [("max_detections", max_det), ("max_classes_per_detection", max_cls),
                           ("detections_per_class", det_per_cls), ("num_classes", num_classes)]:
            fbb.Key(key)
            fbb.Int(value)
        fbb.Key("use_regular_nms")
        fbb.Bool(regular)
        for key, value in [("nms_score_threshold", score_th), ("nms_iou_threshold", iou_th),
                           ("y_scale", scales[0]), ("x_scale", scales[1]),
                           ("h_scale", scales[2]), ("w_scale", scales[3])]:
            fbb.Key(key)
            fbb.Float(value, byte_width=4)
    return bytes(fbb.Finish())


def grid_anchors(n_side):
    centers = (np.arange(n_side, dtype=np.float32) + 0.5) / n_side
    yy, xx = np.meshgrid(centers, centers, indexing="ij")
    hw = np.full(n_side * n_side, 2.0 / n_side, dtype=np.float32)
    return np.stack([yy.ravel(), xx.ravel(), hw, hw], axis=1).astype(np.float32)


def detection_cases():
    cases = []
    # (variant, n_side, classes, max_det, max_cls, det_per_cls, regular, score_th, iou_th[, extra])
    variants = [
        ("fast_sparse", 6, 3, 10, 1, 100, False, 0.85, 0.5, {"background": False, "enc": 6}),
        ("regular_sparse", 6, 3, 10, 1, 4, True, 0.85, 0.5, {"background": False, "enc": 6}),
        ("fast_more_classes_than_per_anchor", 5, 2, 5, 3, 100, False, 0.3, 0.5, {}),
        ("fast", 6, 3, 10, 1, 100, False, 0.3, 0.6),
        ("fast_low_iou", 6, 3, 8, 1, 100, False, 0.2, 0.3),
        ("fast_multi_class", 6, 4, 6, 2, 100, False, 0.25, 0.5),
        ("fast_high_score", 5, 2, 10, 1, 100, False, 0.7, 0.5),
        ("regular", 6, 3, 10, 1, 5, True, 0.3, 0.6),
        ("regular_low_iou", 6, 3, 12, 1, 3, True, 0.2, 0.3),
        ("regular_many", 8, 5, 20, 1, 10, True, 0.1, 0.5),
        ("regular_few", 5, 2, 4, 1, 2, True, 0.4, 0.45),
    ]
    for v, side, nc, max_det, max_cls, dpc, regular, sth, ith, *rest in variants:
        extra = rest[0] if rest else {}
        bg = 1 if extra.get("background", True) else 0
        enc = extra.get("enc", 4)
        # label -> (box encodings and anchors type, class predictions type)
        kinds = {"float32": ("float32", "float32"), "uint8": ("uint8", "uint8"), "int8": ("int8", "int8"),
                 "uint8box": ("uint8", "float32"), "uint8cls": ("float32", "uint8")}
        for dtype, (bt, ct) in kinds.items():
            if dtype != "float32" and v not in ("fast", "regular", "regular_many"):
                continue
            if dtype in ("uint8box", "uint8cls") and v == "regular_many":
                continue
            n = side * side
            anchors = grid_anchors(side)
            if bt == "float32":
                box = T("float32", [1, n, enc], name="box_encodings")
                anc = T("float32", [n, 4], data=anchors, name="anchors")
            else:
                zb = 128 if bt == "uint8" else 0
                box = T(bt, [1, n, enc], scale=0.05, zp=zb, name="box_encodings")
                za = 0 if bt == "uint8" else -128
                qa = np.clip(np.round(anchors / (1.0 / 255)) + za, np.iinfo(bt).min, np.iinfo(bt).max)
                anc = T(bt, [n, 4], scale=1.0 / 255, zp=za, data=qa.astype(bt), name="anchors")
            if ct == "float32":
                cls = T("float32", [1, n, nc + bg], name="class_predictions")
            else:
                zc = 0 if ct == "uint8" else -128
                cls = T(ct, [1, n, nc + bg], scale=1.0 / 255, zp=zc, name="class_predictions")
            outs = [T("float32", [1, max_det, 4], name="boxes"), T("float32", [1, max_det], name="classes"),
                    T("float32", [1, max_det], name="scores"), T("float32", [1], name="num")]
            opts = detection_options(max_det, max_cls, dpc, nc, regular, sth, ith)

            def feeds(rng, n=n, nc=nc, dtype=dtype, box=box, cls=cls, bg=bg, enc=enc):
                b = rng.normal(0, 0.6, size=(1, n, enc)).astype(np.float32)
                # duplicate some scores to exercise tie breaking
                c = rng.uniform(0, 1, size=(1, n, nc + bg)).astype(np.float32) ** 2
                c[0, 1::7, 1] = c[0, 0, 1]

                def qz(x, t):
                    if t.dtype == "float32":
                        return x
                    info = np.iinfo(t.dtype)
                    return np.clip(np.round(x / t.scale) + t.zp, info.min, info.max).astype(t.dtype)
                return [qz(b, box), qz(c, cls)]
            cases.append(Case(f"detection_postprocess_{v}_{dtype}", "CUSTOM:TFLite_Detection_PostProcess", dtype,
                              {"max_detections": max_det, "max_classes_per_detection": max_cls,
                               "detections_per_class": dpc, "num_classes": nc, "use_regular_nms": regular,
                               "nms_score_threshold": sth, "nms_iou_threshold": ith, "anchors": n},
                              [box, cls, anc], outs, custom_code="TFLite_Detection_PostProcess",
                              custom_options=opts, feeds=feeds))
    return cases


class FixtureCase(Case):
    """A committed model run as is (its graph uses other kernels too)."""

    def __init__(self, name, path, op, params):
        super().__init__(name, op, "float32", params, [], [])
        self.path = path


def fixture_cases():
    path = os.path.join(REPO, "Tests", "Fixtures", "metadata", "object_detector", "model.tflite")
    return [FixtureCase("detection_postprocess_object_detector_model_float32", path, "CUSTOM:TFLite_Detection_PostProcess",
                        {"model": "Tests/Fixtures/metadata/object_detector/model.tflite",
                         "note": "TinySsdHead + TFLite_Detection_PostProcess (fast NMS) from make_fixtures.py"})]


def is_spatial_mean(case):
    """A reduction over axes 1 and 2 (after resolving) of a 4-D input, keeping dimensions."""
    shape = case.params.get("in", [])
    axes = {a % len(shape) for a in case.params.get("axis", [])} if shape else set()
    return len(shape) == 4 and case.params.get("keep_dims") and axes == {1, 2}


def all_cases():
    return (reduction_cases() + reduction_scale_cases() + arg_cases() + resize_cases() + space_cases() + detection_cases()
            + fixture_cases() + big_elementwise_cases() + big_fully_connected_cases())


# ----------------------------------------------------------------------------------------------
def write_case(case: Case, root: str):
    """Writes the case's folder under `root`; returns None, or why LiteRT refused the case."""
    rng = np.random.default_rng(seed(case.name))
    if isinstance(case, FixtureCase):
        with open(case.path, "rb") as f:
            buf = f.read()
        from ai_edge_litert.interpreter import Interpreter
        details = Interpreter(model_content=buf).get_input_details()
        feeds = [rng.uniform(0, 1, size=d["shape"]).astype(d["dtype"]) for d in details]
    else:
        buf = build_model(case.op, case.inputs, case.outputs, case.options, case.custom_code, case.custom_options)
        live = [t for t in case.inputs if t is not None and t.data is None]
        feeds = case.feeds(rng) if case.feeds else [rand(rng, t) for t in live]
    try:
        ref = run_ref(buf, feeds)
    except Exception as e:  # LiteRT refuses the combination
        return f"LiteRT: {str(e).strip().splitlines()[0][:200]}"
    expected_from = "BUILTIN_REF"
    if case.op == "SUM" and case.dtype in ("int8", "int16"):
        # LiteRT 2.3's reference SUM reads int8/int16 data through a uint8 pointer (and leaves
        # the rest of an int16 output uninitialized): its output is not meaningful. The
        # optimized builtin kernel computes the quantized sum; that is the expected output.
        ref = run_ref(buf, feeds, "BUILTIN_WITHOUT_DEFAULT_DELEGATES")
        expected_from = "BUILTIN_WITHOUT_DEFAULT_DELEGATES (reference SUM is broken for int8/int16)"
    if case.op == "MEAN" and case.dtype in ("int8", "uint8") and is_spatial_mean(case):
        # LiteRT's builtin resolver runs its optimized spatial-mean kernel here (its own
        # multiplier and bias; 16-channel blocks round halves up), a step off its reference
        # kernel; the interpreter follows the optimized kernel.
        ref = run_ref(buf, feeds, "BUILTIN_WITHOUT_DEFAULT_DELEGATES")
        expected_from = "BUILTIN_WITHOUT_DEFAULT_DELEGATES (optimized int8/uint8 spatial MEAN)"
    try:
        opt = run_ref(buf, feeds, "BUILTIN_WITHOUT_DEFAULT_DELEGATES")
        opt_d = max(float(np.max(np.abs(a.astype(np.float64) - b.astype(np.float64)))) if a.size else 0.0
                    for a, b in zip(opt, ref))
    except Exception:
        opt_d = 0.0
    zeroed = False
    if case.op == "CUSTOM:TFLite_Detection_PostProcess" and not case.params.get("use_regular_nms", False):
        # LiteRT's fast NMS leaves output slots it does not fill (fewer detections than
        # max_detections, or max_classes_per_detection > num_classes) uninitialized; the
        # expected output has them as 0, which is what our kernel writes.
        per = case.params.get("max_classes_per_detection", 1)
        used = min(per, case.params.get("num_classes", per))
        count = int(ref[3].reshape(-1)[0])
        keep = np.zeros(ref[1].shape[1], dtype=bool)
        for i in range(count):
            keep[i * per:i * per + used] = True
        ref[0][0, ~keep] = 0
        ref[1][0, ~keep] = 0
        ref[2][0, ~keep] = 0
        zeroed = bool((~keep).any())
    d = os.path.join(root, case.name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    with open(os.path.join(d, "model.tflite"), "wb") as f:
        f.write(buf)
    for i, x in enumerate(feeds):
        np.save(os.path.join(d, f"input_{i}.npy"), x, allow_pickle=False)
    for i, y in enumerate(ref):
        np.save(os.path.join(d, f"output_{i}.npy"), y, allow_pickle=False)
    is_float = any(np.issubdtype(o.dtype, np.floating) for o in ref)
    meta = {
        "op": case.op, "dtype": case.dtype, "params": case.params, "ops": [case.op],
        "tolerance": {"kind": "relative", "value": 1e-5} if is_float else {"kind": "exact", "value": 0},
        "mode": "handmade", "generator": GENERATOR,
        "expected_from": expected_from,
    }
    if zeroed:
        meta["unfilled_slots_zeroed"] = True
    if opt_d and not is_float and expected_from == "BUILTIN_REF":
        meta["optimized_max_diff_info"] = opt_d  # informative only: the reference is the target
    with open(os.path.join(d, "case.json"), "w") as f:
        json.dump(meta, f, indent=1)
        f.write("\n")
    return None

