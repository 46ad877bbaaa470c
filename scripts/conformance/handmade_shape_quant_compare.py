"""Handmade conformance cases for shape/data-movement, comparison and quantization kernels.

Part of the catalogue scripts/make_conformance.py writes: each case is
Tests/Fixtures/conformance/<case>/ (model.tflite, input_N.npy, output_N.npy = LiteRT BUILTIN_REF
outputs, case.json).

Most models are one operator built with the flatbuffers object API, so combinations the
converter does not emit are covered: uint8 CONCATENATION with different input scales, GATHER
with batch_dims and int64 indices, hybrid EMBEDDING_LOOKUP, STRIDED_SLICE `offset`, CAST pairs,
requantizing QUANTIZE, per-channel DEQUANTIZE, DENSIFY of CSR and block-sparse weights. A few
come from the TF converter (a dynamic-batch RESHAPE whose shape is computed with SHAPE,
STRIDED_SLICE and PACK).

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

GENERATOR = "scripts/conformance/handmade_shape_quant_compare.py"

TYPES = {"float32": S.TensorType.FLOAT32, "int32": S.TensorType.INT32, "uint8": S.TensorType.UINT8,
         "int64": S.TensorType.INT64, "int16": S.TensorType.INT16, "int8": S.TensorType.INT8,
         "bool": S.TensorType.BOOL, "float16": S.TensorType.FLOAT16}


class T:
    """A tensor of the one-operator model. `data` set = constant, else a model input.

    `scale` may be a list (per-channel along `qdim`); `sparsity` is a SparsityParametersT and
    `data` then holds the packed values."""

    def __init__(self, dtype, shape, scale=None, zp=0, data=None, qdim=0, sparsity=None, lo=None, hi=None):
        self.dtype, self.shape, self.scale, self.zp, self.qdim = dtype, list(shape), scale, zp, qdim
        self.data = None if data is None else np.asarray(data, dtype=dtype)
        self.sparsity = sparsity
        self.lo, self.hi = lo, hi


def build_model(op, inputs, outputs, options=None):
    model = S.ModelT()
    model.version = 3
    model.description = "handmade conformance case"
    model.buffers = [S.BufferT()]
    sg = S.SubGraphT()
    sg.tensors = []

    def add(t: T, i):
        st = S.TensorT()
        st.name = f"t{i}"
        st.shape = np.array(t.shape, dtype=np.int32)
        st.type = TYPES[t.dtype]
        buf = S.BufferT()
        if t.data is not None:
            buf.data = np.frombuffer(t.data.astype(t.dtype).tobytes(), dtype=np.uint8)
        model.buffers.append(buf)
        st.buffer = len(model.buffers) - 1
        if t.scale is not None:
            qp = S.QuantizationParametersT()
            scales = t.scale if isinstance(t.scale, (list, tuple)) else [t.scale]
            zps = t.zp if isinstance(t.zp, (list, tuple)) else [t.zp] * len(scales)
            qp.scale = np.array(scales, dtype=np.float32)
            qp.zeroPoint = np.array(zps, dtype=np.int64)
            qp.quantizedDimension = t.qdim
            st.quantization = qp
        if t.sparsity is not None:
            st.sparsity = t.sparsity
        sg.tensors.append(st)
        return len(sg.tensors) - 1

    in_idx = [add(t, i) if t is not None else -1 for i, t in enumerate(inputs)]
    out_idx = [add(t, len(inputs) + i) for i, t in enumerate(outputs)]
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
    if options is not None:
        kind, obj = options
        o.builtinOptionsType = getattr(S.BuiltinOptions, kind)
        o.builtinOptions = obj
    sg.operators = [o]
    model.subgraphs = [sg]
    b = flatbuffers.Builder(0)
    b.Finish(model.Pack(b), file_identifier=b"TFL3")
    return bytes(b.Output())


def run_ref(buf, feeds, resolver="BUILTIN_REF", resize=False):
    from ai_edge_litert.interpreter import Interpreter, OpResolverType
    it = Interpreter(model_content=buf, num_threads=1,
                     experimental_op_resolver_type=getattr(OpResolverType, resolver))
    if resize:
        for d, x in zip(it.get_input_details(), feeds):
            it.resize_tensor_input(d["index"], list(x.shape))
    it.allocate_tensors()
    for d, x in zip(it.get_input_details(), feeds):
        it.set_tensor(d["index"], x)
    it.invoke()
    return [np.array(it.get_tensor(d["index"])) for d in it.get_output_details()]


def rand(rng, t: T):
    if t.dtype in ("float32", "float16"):
        lo = -1 if t.lo is None else t.lo
        hi = 1 if t.hi is None else t.hi
        return rng.uniform(lo, hi, size=t.shape).astype(t.dtype)
    if t.dtype == "bool":
        return rng.integers(0, 2, size=t.shape).astype(bool)
    info = np.iinfo(t.dtype)
    lo = info.min if t.lo is None else t.lo
    hi = info.max if t.hi is None else t.hi
    return rng.integers(lo, hi + 1, size=t.shape).astype(t.dtype)


class Case:
    def __init__(self, name, op, dtype, params, inputs=None, outputs=None, options=None, model=None, ops=None,
                 feeds=None, resize=False, expected_from="BUILTIN_REF"):
        self.name, self.op, self.dtype, self.params = name, op, dtype, params
        self.inputs, self.outputs, self.options = inputs, outputs, options
        self.model = model  # callable() -> bytes, for converter-built models
        self.ops = ops or [op]
        self.feeds = feeds  # callable(rng) -> list of arrays
        self.resize = resize
        # The resolver whose outputs are stored: the reference kernels, or LiteRT's builtin
        # (optimized) kernels where the two round differently and the interpreter follows the latter.
        self.expected_from = expected_from


# float32 -> int8/int16 QUANTIZE: LiteRT's optimized kernel multiplies by the float32 reciprocal
# of the scale and rounds halves to even; the reference kernel divides and rounds halves away
# from zero. The interpreter follows the optimized kernel (whole models then match LiteRT's
# builtin kernels bit for bit).
OPTIMIZED = "BUILTIN_WITHOUT_DEFAULT_DELEGATES"


def opts(kind, **fields):
    obj = getattr(S, kind + "T")()
    for k, v in fields.items():
        setattr(obj, k, v)
    return (kind, obj)


def i32(values):
    return np.array(values, dtype=np.int32)


# ----------------------------------------------------------------------------------------------
def shape_cases():
    c = []
    # CONCATENATION, uint8 inputs with their own scales (LiteRT requantizes).
    c.append(Case("concatenation_rescale_uint8", "CONCATENATION", "uint8", {"axis": 1},
                  [T("uint8", [2, 3, 2], 0.02, 120), T("uint8", [2, 1, 2], 0.05, 100), T("uint8", [2, 2, 2], 0.017, 131)],
                  [T("uint8", [2, 6, 2], 0.03, 128)], opts("ConcatenationOptions", axis=1)))
    c.append(Case("concatenation_axis_neg_int64", "CONCATENATION", "int64", {"axis": -1},
                  [T("int64", [2, 3]), T("int64", [2, 4])], [T("int64", [2, 7])], opts("ConcatenationOptions", axis=-1)))
    c.append(Case("pack_axis1_int64", "PACK", "int64", {"axis": 1},
                  [T("int64", [2, 3]), T("int64", [2, 3]), T("int64", [2, 3])], [T("int64", [2, 3, 3])],
                  opts("PackOptions", valuesCount=3, axis=1)))
    c.append(Case("unpack_axis_neg_uint8", "UNPACK", "uint8", {"axis": -1},
                  [T("uint8", [2, 3, 2], 0.1, 7)], [T("uint8", [2, 3], 0.1, 7), T("uint8", [2, 3], 0.1, 7)],
                  opts("UnpackOptions", num=2, axis=-1)))
    # GATHER: batch_dims, int64 indices, negative axis.
    c.append(Case("gather_batch_dims1_float32", "GATHER", "float32", {"axis": 2, "batch_dims": 1},
                  [T("float32", [2, 3, 4, 2]), T("int32", [2, 5], data=np.array([[0, 3, 1, 1, 2], [3, 3, 0, 2, 1]], np.int32))],
                  [T("float32", [2, 3, 5, 2])], opts("GatherOptions", axis=2, batchDims=1)))
    c.append(Case("gather_int64_indices_int8", "GATHER", "int8", {"axis": -1},
                  [T("int8", [3, 5], 0.1, 2), T("int64", [2, 2], lo=0, hi=4)], [T("int8", [3, 2, 2], 0.1, 2)],
                  opts("GatherOptions", axis=-1)))
    c.append(Case("gather_nd_int64_indices_float32", "GATHER_ND", "float32", {},
                  [T("float32", [3, 4, 2]), T("int64", [5, 2], data=np.array([[0, 0], [2, 3], [1, 2], [0, 3], [2, 0]], np.int64))],
                  [T("float32", [5, 2])]))
    # EMBEDDING_LOOKUP: plain and hybrid.
    ids = T("int32", [4], data=i32([2, 0, 5, 2]))
    c.append(Case("embedding_lookup_float32", "EMBEDDING_LOOKUP", "float32", {},
                  [ids, T("float32", [6, 3, 2])], [T("float32", [4, 3, 2])]))
    w8 = np.random.default_rng(3).integers(-128, 128, size=(6, 5)).astype(np.int8)
    c.append(Case("embedding_lookup_hybrid_int8", "EMBEDDING_LOOKUP", "hybrid", {"weights": "int8"},
                  [T("int32", [4]), T("int8", [6, 5], 0.037, 0, data=w8)], [T("float32", [4, 5])],
                  feeds=lambda rng: [np.array([1, 5, 0, 1], np.int32)]))
    c.append(Case("embedding_lookup_hybrid_int8_per_row", "EMBEDDING_LOOKUP", "hybrid", {"weights": "int8 per-row"},
                  [T("int32", [3]), T("int8", [6, 5], [0.01, 0.02, 0.03, 0.04, 0.05, 0.06], 0, data=w8)],
                  [T("float32", [3, 5])], feeds=lambda rng: [np.array([5, 2, 0], np.int32)]))
    # STRIDED_SLICE corner cases.
    def ss(name, dtype, shape, begin, end, strides, out_shape, **masks):
        c.append(Case(f"strided_slice_{name}_{dtype}", "STRIDED_SLICE", dtype, dict(masks, begin=begin, end=end, strides=strides),
                      [T(dtype, shape), T("int32", [len(begin)], data=i32(begin)), T("int32", [len(end)], data=i32(end)),
                       T("int32", [len(strides)], data=i32(strides))],
                      [T(dtype, out_shape)], opts("StridedSliceOptions", **masks)))
    ss("offset", "float32", [4, 6], [1, 2], [2, 3], [1, 1], [2, 3], offset=True)
    ss("ellipsis_newaxis", "int8", [2, 3, 4], [0, 1], [0, 3], [1, 1], [2, 3, 1, 2], ellipsisMask=1, newAxisMask=0)
    ss("newaxis_shrink", "float32", [3, 4], [0, 1, 0], [0, 2, 4], [1, 1, 2], [1, 2], newAxisMask=1, shrinkAxisMask=2)
    ss("neg_stride_masks", "int16", [5, 6], [-1, 4], [0, 0], [-2, -1], [3, 6], beginMask=1, endMask=3)
    ss("shrink_neg", "int64", [4, 3], [-1, 0], [0, 3], [1, 1], [3], shrinkAxisMask=1)
    ss("bool", "bool", [4, 5], [1, 0], [4, 5], [2, 2], [2, 3])
    # SLICE with int64 begin/size and -1.
    c.append(Case("slice_int64_size_neg_int8", "SLICE", "int8", {"begin": [1, 0, 2], "size": [-1, 2, -1]},
                  [T("int8", [3, 4, 5]), T("int64", [3], data=np.array([1, 0, 2], np.int64)),
                   T("int64", [3], data=np.array([-1, 2, -1], np.int64))], [T("int8", [2, 2, 3])]))
    # PAD / PADV2 / MIRROR_PAD.
    pads = T("int32", [3, 2], data=i32([[1, 0], [0, 2], [2, 1]]))
    c.append(Case("padv2_quant_value_int8", "PADV2", "int8", {"constant": "quantized"},
                  [T("int8", [2, 3, 2], 0.05, -3), pads, T("int8", [], 0.05, -3, data=np.array(17, np.int8))],
                  [T("int8", [3, 5, 5], 0.05, -3)]))
    c.append(Case("pad_int64_paddings_uint8", "PAD", "uint8", {"paddings": "int64"},
                  [T("uint8", [2, 3], 0.1, 77), T("int64", [2, 2], data=np.array([[1, 1], [2, 0]], np.int64))],
                  [T("uint8", [4, 5], 0.1, 77)]))
    c.append(Case("pad_int64", "PAD", "int64", {},
                  [T("int64", [2, 2]), T("int32", [2, 2], data=i32([[0, 1], [1, 1]]))], [T("int64", [3, 4])]))
    c.append(Case("mirror_pad_symmetric_uint8", "MIRROR_PAD", "uint8", {"mode": "SYMMETRIC"},
                  [T("uint8", [3, 4], 0.1, 5), T("int32", [2, 2], data=i32([[3, 2], [4, 0]]))], [T("uint8", [8, 8], 0.1, 5)],
                  opts("MirrorPadOptions", mode=1)))
    # TRANSPOSE 6-D, TILE int64/bool.
    c.append(Case("transpose_6d_int16", "TRANSPOSE", "int16", {"perm": [5, 0, 3, 1, 4, 2]},
                  [T("int16", [2, 1, 3, 2, 2, 3]), T("int32", [6], data=i32([5, 0, 3, 1, 4, 2]))],
                  [T("int16", [3, 2, 2, 1, 2, 3])]))
    c.append(Case("tile_bool", "TILE", "bool", {"multiples": [2, 1, 3]},
                  [T("bool", [2, 3, 1]), T("int64", [3], data=np.array([2, 1, 3], np.int64))], [T("bool", [4, 3, 3])]))
    c.append(Case("tile_int64", "TILE", "int64", {"multiples": [3, 2]},
                  [T("int64", [2, 2]), T("int32", [2], data=i32([3, 2]))], [T("int64", [6, 4])]))
    # SELECT_V2 three-way broadcast, SELECT with a rank-1 condition.
    c.append(Case("select_v2_bcast3_int16", "SELECT_V2", "int16", {},
                  [T("bool", [2, 1, 4]), T("int16", [3, 1]), T("int16", [1, 3, 4])], [T("int16", [2, 3, 4])]))
    c.append(Case("select_rank1_float32", "SELECT", "float32", {},
                  [T("bool", [3]), T("float32", [3, 2, 2]), T("float32", [3, 2, 2])], [T("float32", [3, 2, 2])]))
    # FILL / ZEROS_LIKE of other types.
    c.append(Case("fill_int64", "FILL", "int64", {},
                  [T("int32", [2], data=i32([2, 3])), T("int64", [])], [T("int64", [2, 3])]))
    c.append(Case("fill_bool", "FILL", "bool", {},
                  [T("int64", [3], data=np.array([1, 2, 2], np.int64)), T("bool", [])], [T("bool", [1, 2, 2])]))
    c.append(Case("zeros_like_int64", "ZEROS_LIKE", "int64", {}, [T("int64", [2, 3])], [T("int64", [2, 3])]))
    # SPLIT / SPLIT_V with a negative axis.
    c.append(Case("split_axis_neg_int64", "SPLIT", "int64", {"axis": -1, "num_splits": 2},
                  [T("int32", [], data=np.array(-1, np.int32)), T("int64", [2, 4])], [T("int64", [2, 2]), T("int64", [2, 2])],
                  opts("SplitOptions", numSplits=2)))
    c.append(Case("split_v_axis0_uint8", "SPLIT_V", "uint8", {"size_splits": [1, -1, 2]},
                  [T("uint8", [6, 2], 0.1, 3), T("int32", [3], data=i32([1, -1, 2])), T("int32", [], data=np.array(0, np.int32))],
                  [T("uint8", [1, 2], 0.1, 3), T("uint8", [3, 2], 0.1, 3), T("uint8", [2, 2], 0.1, 3)],
                  opts("SplitVOptions", numSplits=3)))
    # SQUEEZE all ones, RESHAPE from options.
    c.append(Case("squeeze_all_bool", "SQUEEZE", "bool", {}, [T("bool", [1, 3, 1, 2])], [T("bool", [3, 2])]))
    c.append(Case("reshape_options_int64", "RESHAPE", "int64", {"new_shape": [-1, 3]},
                  [T("int64", [2, 3, 2])], [T("int64", [4, 3])], opts("ReshapeOptions", newShape=[-1, 3])))
    return c


def cast_cases():
    c = []
    pairs = [("int8", "int32"), ("uint8", "int8"), ("int16", "float32"), ("bool", "int32"), ("int32", "uint8"),
             ("int32", "int16"), ("float32", "int64"), ("int64", "bool"), ("int8", "bool"), ("float32", "bool"),
             ("int64", "int8"), ("uint8", "int16"), ("int16", "uint8"), ("bool", "int8"), ("int32", "int8")]
    for a, b in pairs:
        lo, hi = (-300.0, 300.0) if a == "float32" else (None, None)
        if a == "float32" and b in ("int64",):
            lo, hi = -1e6, 1e6
        # (the converter catalogue has a cast_float32_to_bool of its own)
        name = f"cast_{a}_to_{b}" + ("_handmade" if (a, b) == ("float32", "bool") else "")
        c.append(Case(name, "CAST", f"{a}->{b}", {}, [T(a, [3, 7], lo=lo, hi=hi)], [T(b, [3, 7])]))
    return c


def quant_cases():
    c = []
    c.append(Case("quantize_int8_to_int8_rescale", "QUANTIZE", "int8", {},
                  [T("int8", [4, 9], 0.02, -5)], [T("int8", [4, 9], 0.013, 3)]))
    c.append(Case("quantize_int16_to_int8", "QUANTIZE", "int16->int8", {},
                  [T("int16", [4, 9], 0.0007, 0)], [T("int8", [4, 9], 0.09, -2)]))
    c.append(Case("quantize_uint8_to_uint8_rescale", "QUANTIZE", "uint8", {},
                  [T("uint8", [4, 9], 0.021, 120)], [T("uint8", [4, 9], 0.017, 131)]))
    c.append(Case("quantize_int8_to_uint8_shift", "QUANTIZE", "int8->uint8", {},
                  [T("int8", [4, 9], 0.02, -5)], [T("uint8", [4, 9], 0.02, 123)]))
    c.append(Case("quantize_float32_to_int8_ties", "QUANTIZE", "float32->int8", {"note": "x.5 ties"},
                  [T("float32", [12])], [T("int8", [12], 0.5, 1)],
                  feeds=lambda rng: [np.array([0.25, -0.25, 0.75, -0.75, 1.25, -1.25, 63.0, -70.0, 100.0, 0.0, 0.2499, 3.75],
                                              np.float32)], expected_from=OPTIMIZED))
    c.append(Case("quantize_float32_to_int16_handmade", "QUANTIZE", "float32->int16", {},
                  [T("float32", [3, 8], lo=-30, hi=30)], [T("int16", [3, 8], 0.0009, 0)], expected_from=OPTIMIZED))
    # Halves and near-halves of a scale that is not a power of two (the float32 reciprocal rounds),
    # as images quantized with the model's own scale produce (MobileNetV2 int16x8: 7 % of its input).
    def near_halves(scale, limit):
        def feeds(rng):
            k = rng.integers(-limit, limit, size=(16, 64)).astype(np.float64) + 0.5
            x = (k * np.float64(np.float32(scale))).astype(np.float32)
            x[::2] = np.nextafter(x[::2], np.float32(np.inf) * rng.choice([-1, 1], size=x[::2].shape).astype(np.float32))
            return [x]
        return feeds
    c.append(Case("quantize_float32_to_int8_near_halves", "QUANTIZE", "float32->int8", {"note": "x.5 and next floats"},
                  [T("float32", [16, 64])], [T("int8", [16, 64], 0.0123, -3)],
                  feeds=near_halves(0.0123, 120), expected_from=OPTIMIZED))
    c.append(Case("quantize_float32_to_int16_near_halves", "QUANTIZE", "float32->int16", {"note": "x.5 and next floats"},
                  [T("float32", [16, 64])], [T("int16", [16, 64], 3.0518e-05, 0)],
                  feeds=near_halves(3.0518e-05, 32000), expected_from=OPTIMIZED))
    w = np.random.default_rng(5).integers(-127, 128, size=(3, 2, 4)).astype(np.int8)
    c.append(Case("dequantize_int8_per_channel", "DEQUANTIZE", "int8 per-channel", {"axis": 0},
                  [T("int8", [3, 2, 4], [0.01, 0.2, 0.003], [0, 0, 0], data=w, qdim=0)], [T("float32", [3, 2, 4])]))
    c.append(Case("dequantize_int8_per_channel_last", "DEQUANTIZE", "int8 per-channel", {"axis": 2},
                  [T("int8", [3, 2, 4], [0.01, 0.2, 0.003, 0.07], [0, 0, 0, 0], data=w, qdim=2)], [T("float32", [3, 2, 4])]))
    c.append(Case("dequantize_uint8_input", "DEQUANTIZE", "uint8", {}, [T("uint8", [5, 3], 0.031, 117)], [T("float32", [5, 3])]))
    c.append(Case("dequantize_float16_const", "DEQUANTIZE", "float16", {},
                  [T("float16", [4, 3], data=np.random.default_rng(6).normal(size=(4, 3)).astype(np.float16))],
                  [T("float32", [4, 3])]))
    return c


def dim(fmt, dense_size=0, segments=None, indices=None):
    d = S.DimensionMetadataT()
    d.format = fmt
    d.denseSize = dense_size
    if segments is not None:
        d.arraySegmentsType = S.SparseIndexVector.Int32Vector
        v = S.Int32VectorT()
        v.values = list(segments)
        d.arraySegments = v
        d.arrayIndicesType = S.SparseIndexVector.Int32Vector
        v2 = S.Int32VectorT()
        v2.values = list(indices)
        d.arrayIndices = v2
    return d


def sparsity(order, block_map, dims):
    s = S.SparsityParametersT()
    s.traversalOrder = list(order)
    s.blockMap = list(block_map) if block_map else None
    s.dimMetadata = dims
    return s


def csr(dense):
    """CSR metadata and values of a 2-D array (rows dense, columns sparse)."""
    segments, indices, values = [0], [], []
    for row in dense:
        for j, v in enumerate(row):
            if v != 0:
                indices.append(j)
                values.append(v)
        segments.append(len(indices))
    return segments, indices, values


def block_csr(dense, bh, bw):
    """Block-sparse metadata (traversal [0, 1, 2, 3], block_map [0, 1]) and values."""
    rows, cols = dense.shape[0] // bh, dense.shape[1] // bw
    segments, indices, values = [0], [], []
    for r in range(rows):
        for cidx in range(cols):
            block = dense[r * bh:(r + 1) * bh, cidx * bw:(cidx + 1) * bw]
            if np.any(block != 0):
                indices.append(cidx)
                values.extend(block.reshape(-1).tolist())
        segments.append(len(indices))
    return segments, indices, values


def densify_cases():
    c = []
    rng = np.random.default_rng(11)
    dense = rng.normal(size=(4, 6)).astype(np.float32)
    dense[rng.uniform(size=dense.shape) < 0.6] = 0
    seg, idx, vals = csr(dense)
    sp = sparsity([0, 1], None, [dim(0, 4), dim(1, 0, seg, idx)])
    c.append(Case("densify_csr_float32", "DENSIFY", "float32", {"format": "DENSE, SPARSE_CSR"},
                  [T("float32", [4, 6], data=np.array(vals, np.float32), sparsity=sp)], [T("float32", [4, 6])]))
    dense8 = rng.integers(-127, 128, size=(4, 8)).astype(np.int8)
    mask = np.kron(rng.uniform(size=(2, 2)) < 0.5, np.ones((2, 4), bool))
    dense8[mask] = 0
    seg, idx, vals = block_csr(dense8, 2, 4)
    sp = sparsity([0, 1, 2, 3], [0, 1], [dim(0, 2), dim(1, 0, seg, idx), dim(0, 2), dim(0, 4)])
    c.append(Case("densify_block_int8", "DENSIFY", "int8", {"block": [2, 4]},
                  [T("int8", [4, 8], 0.02, 0, data=np.array(vals, np.int8), sparsity=sp)], [T("int8", [4, 8], 0.02, 0)]))
    return c


def converter_cases():
    def dynamic_reshape():
        import tensorflow as tf

        @tf.function(input_signature=[tf.TensorSpec([None, 4, 6], tf.float32)])
        def f(x):
            n = tf.shape(x)[0]
            return tf.reshape(x, tf.stack([n, -1, 3]))

        conv = tf.lite.TFLiteConverter.from_concrete_functions([f.get_concrete_function()], f)
        return conv.convert()

    return [Case("reshape_dynamic_batch_shape_float32", "RESHAPE", "float32", {"shape": "from SHAPE/STRIDED_SLICE/PACK"},
                 model=dynamic_reshape, ops=None,
                 feeds=lambda rng: [rng.uniform(-1, 1, size=(3, 4, 6)).astype(np.float32)], resize=True)]


def compare_cases():
    """Comparisons (bool output, broadcasting; quantized sides with their own scales) and logical ops."""
    c = []
    ops = ["LESS", "LESS_EQUAL", "GREATER", "GREATER_EQUAL", "EQUAL", "NOT_EQUAL"]
    for op in ops:
        name = op.lower()
        # Small integer-valued floats make ties common, so the equal cases are exercised.
        c.append(Case(f"{name}_broadcast_float32", op, "float32", {},
                      [T("float32", [2, 3, 4]), T("float32", [3, 1])], [T("bool", [2, 3, 4])],
                      feeds=lambda rng: [rng.integers(-3, 4, size=(2, 3, 4)).astype(np.float32),
                                         rng.integers(-3, 4, size=(3, 1)).astype(np.float32)]))
        c.append(Case(f"{name}_int32", op, "int32", {}, [T("int32", [5, 6], lo=-4, hi=4), T("int32", [5, 6], lo=-4, hi=4)],
                      [T("bool", [5, 6])]))
        c.append(Case(f"{name}_scalar_int64", op, "int64", {}, [T("int64", [7], lo=-3, hi=3), T("int64", [], lo=-3, hi=3)],
                      [T("bool", [7])]))
        c.append(Case(f"{name}_rescale_int8", op, "int8", {},
                      [T("int8", [4, 8], 0.05, -3), T("int8", [4, 8], 0.02, 10)], [T("bool", [4, 8])]))
        c.append(Case(f"{name}_rescale_uint8", op, "uint8", {},
                      [T("uint8", [4, 8], 0.03, 128), T("uint8", [1, 8], 0.07, 120)], [T("bool", [4, 8])]))
    for op in ["EQUAL", "NOT_EQUAL"]:
        c.append(Case(f"{op.lower()}_bool", op, "bool", {}, [T("bool", [3, 5]), T("bool", [3, 5])], [T("bool", [3, 5])]))
    c.append(Case("logical_and_broadcast_bool", "LOGICAL_AND", "bool", {}, [T("bool", [3, 5]), T("bool", [5])], [T("bool", [3, 5])]))
    c.append(Case("logical_or_broadcast_bool", "LOGICAL_OR", "bool", {}, [T("bool", [2, 1, 4]), T("bool", [3, 1])], [T("bool", [2, 3, 4])]))
    c.append(Case("logical_not_bool", "LOGICAL_NOT", "bool", {}, [T("bool", [4, 6])], [T("bool", [4, 6])]))
    return c


def all_cases():
    return shape_cases() + cast_cases() + quant_cases() + densify_cases() + converter_cases() + compare_cases()


# ----------------------------------------------------------------------------------------------
def op_names(buf):
    m = S.ModelT.InitFromObj(S.Model.GetRootAsModel(buf, 0))
    names = {v: k for k, v in vars(S.BuiltinOperator).items() if not k.startswith("_")}
    return [names.get(max(m.operatorCodes[o.opcodeIndex].builtinCode, m.operatorCodes[o.opcodeIndex].deprecatedBuiltinCode), "?")
            for o in m.subgraphs[0].operators]


def write_case(case: Case, root: str, generator: str = GENERATOR, mode: str | None = None):
    """Writes the case's folder under `root`; returns None, or why LiteRT refused the case.
    Other catalogue modules that build their models here name themselves as `generator` (and
    `mode`, "handmade" or "converter", when the default from `case.model` does not fit)."""
    rng = np.random.default_rng(seed(case.name))
    if case.model is not None:
        buf = case.model()
        feeds = case.feeds(rng)
    else:
        buf = build_model(case.op, case.inputs, case.outputs, case.options)
        live = [t for t in case.inputs if t is not None and t.data is None]
        feeds = case.feeds(rng) if case.feeds else [rand(rng, t) for t in live]
    try:
        ref = run_ref(buf, feeds, resolver=case.expected_from, resize=case.resize)
    except Exception as e:  # LiteRT refuses the combination
        return f"LiteRT: {str(e).strip().splitlines()[0][:200]}"
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
        "op": case.op, "dtype": case.dtype, "params": case.params, "ops": case.ops if case.model is None else op_names(buf),
        "tolerance": {"kind": "relative", "value": 1e-5} if is_float else {"kind": "exact", "value": 0},
        "mode": mode or ("handmade" if case.model is None else "converter"), "generator": generator,
        "expected_from": case.expected_from,
    }
    if case.resize:
        meta["resize_inputs"] = True
    with open(os.path.join(d, "case.json"), "w") as f:
        json.dump(meta, f, indent=1)
        f.write("\n")
    return None

