#!/usr/bin/env python3
"""Generate the TFLite conformance suite: Tests/Fixtures/conformance/<case>/.

The catalogue (every case, named <op>_<variant>_<dtype>) has four parts:

  * scripts/conformance/cases.py: ONE small model per op x dtype x parameter combination, built
    with the real TensorFlow converter (machinery below). LiteRT runs it three times on seeded
    random inputs:
      BUILTIN_REF                        -> the stored output_N.npy (the ground truth)
      BUILTIN_WITHOUT_DEFAULT_DELEGATES  -> "optimized_max_diff" in case.json when it differs
      AUTO (default, XNNPACK delegate)   -> "xnnpack_max_diff" in case.json when it differs
  * scripts/conformance/handmade_*.py: one-operator models built with the flatbuffers object API,
    for combinations the converter does not emit (conv/linear/pool; shape, comparison and
    quantization; reductions, image ops, detection post-processing, large tensors);
  * scripts/conformance/handmade_recurrent.py: BIDIRECTIONAL_SEQUENCE_LSTM,
    UNIDIRECTIONAL_SEQUENCE_RNN and SVDF (the converter emits none of them from Keras), and the
    UNIDIRECTIONAL_SEQUENCE_LSTM shapes it does not emit (int8 CIFG, projection, layer norm,
    peepholes; float32 and hybrid layer norm and peepholes);
  * scripts/conformance/control_flow.py: WHILE, IF, CALL_ONCE and resource variables from
    tf.while_loop, tf.cond, tf.Variable and Keras recurrent layers (converter-built);
  * scripts/conformance/mediapipe.py: MediaPipe's custom operators, against LiteRT running an
    equivalent model of builtin operators (one-operator models and a real MediaPipe model);
  * scripts/conformance/tasks.py: whole models of the repository (task_<model>).

Run:  .venv/bin/python scripts/make_conformance.py [--only PATTERN] [--list] [--out DIR]
      (`make fixtures` runs it)

PATTERN is an fnmatch pattern (or plain substring) matched against case names.  A run with
--only regenerates just the matching cases and keeps the others; a full run also removes case
directories that are no longer generated.  INDEX.md is rebuilt from every case.json on disk and
skipped.json (which records combinations the converter / LiteRT cannot produce).
"""
from __future__ import annotations

import argparse
import contextlib
import fnmatch
import json
import os
import re
import shutil
import sys
import time
import zlib
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import numpy as np  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(REPO, "Tests", "Fixtures", "conformance")
sys.path.insert(0, os.path.join(REPO, "scripts"))

FLOAT_RTOL = 1e-5
REP_SAMPLES = 64


# ----------------------------------------------------------------------------------------------
# Case description
# ----------------------------------------------------------------------------------------------
@dataclass
class Inp:
    """One model input.

    kind 'data': its dtype follows the case's data dtype (float32 graph for float/quantized modes,
    int32 for the int32 mode); values uniform in [lo, hi] (ints: integers in [lo, hi]).
    kind 'fixed': always `dtype` ('int32', 'int64', 'bool', 'float32', ...).
    `nonzero`: redraw values whose magnitude is below `nonzero` (divisors).
    `dyn`: the signature has unknown dims (None) so the op is not constant-folded; the model is
    run after resize_tensor_input to `shape`.
    """
    shape: tuple
    lo: float = -1.0
    hi: float = 1.0
    kind: str = "data"
    dtype: str = "float32"
    nonzero: float = 0.0
    dyn: bool = False
    sig: Optional[tuple] = None  # explicit signature shape (None = unknown dim); implies resize
    ilo: int = -20      # integer range used when the data dtype is int32
    ihi: int = 20


@dataclass
class Case:
    name: str
    op: str
    dtype: str          # label stored in case.json
    mode: str           # conversion mode: float32 int32 int8 uint8 int16 hybrid float16 none
    params: dict
    fn: Callable        # fn(k, *inputs) -> tensor or tuple of tensors
    inputs: list
    check: Any = "default"   # 'default' | None | callable(info) -> Optional[str] (reason to skip)
    in_type: Optional[str] = None   # override inference_input_type (quantized modes)
    out_type: Optional[str] = None  # override inference_output_type (quantized modes)
    per_channel: bool = True
    expect_ops: tuple = ()          # further ops that must be present
    # (resolver, reason): take the ground truth from another resolver than BUILTIN_REF, for
    # kernels whose reference implementation is known to be wrong in this LiteRT version
    ground_truth: Optional[tuple] = None
    # substring of the unsupported-operator error TFLiteRuntime gives by design (data-dependent
    # output shapes): the Swift suite expects allocateTensors() to refuse the model with it
    expected_unsupported: Optional[str] = None
    # relative tolerance of float outputs (default FLOAT_RTOL); 0 asks for LiteRT's exact floats
    # (the Swift suite still allows 1e-7 absolute, below an ulp of outputs above 1)
    float_rtol: Optional[float] = None

    @property
    def seed(self) -> int:
        return zlib.crc32(self.name.encode())


class K:
    """Context handed to case functions: seeded rng + the graph's data dtype."""

    def __init__(self, case: Case):
        import tensorflow as tf
        self.tf = tf
        self.r = np.random.default_rng(case.seed + 1)
        self.mode = case.mode
        self.dt = tf.int32 if case.mode == "int32" else tf.float32
        self.np_dt = np.int32 if case.mode == "int32" else np.float32

    def const(self, shape, lo=-1.0, hi=1.0, dtype=None):
        tf = self.tf
        dt = dtype or self.dt
        if dt in (tf.int32, tf.int64):
            v = self.r.integers(int(lo), int(hi) + 1, size=shape)
        else:
            v = self.r.uniform(lo, hi, size=shape)
        return tf.constant(v, dtype=dt)

    def w(self, shape, std=None):
        """Float weights (always float32, for conv / dense kernels)."""
        fan_in = int(np.prod(shape[:-1])) if len(shape) > 1 else 1
        std = std or 1.0 / np.sqrt(max(fan_in, 1))
        return self.tf.constant(self.r.normal(0, std, size=shape).astype(np.float32))


# ----------------------------------------------------------------------------------------------
# flatbuffer inspection
# ----------------------------------------------------------------------------------------------
def _enum_names(cls):
    return {v: k for k, v in cls.__dict__.items() if not k.startswith("_") and isinstance(v, int)}


class ModelInfo:
    def __init__(self, buf: bytes):
        from tensorflow.lite.python import schema_py_generated as S
        self.S = S
        self.m = S.ModelT.InitFromPackedBuf(buf, 0)
        op_names = _enum_names(S.BuiltinOperator)
        self.tt_names = _enum_names(S.TensorType)
        self.sg = self.m.subgraphs[0]
        self.ops = []
        for op in self.sg.operators:
            oc = self.m.operatorCodes[op.opcodeIndex]
            code = max(oc.builtinCode, oc.deprecatedBuiltinCode)
            name = op_names.get(code, str(code))
            if name == "CUSTOM":
                cc = oc.customCode
                name = "CUSTOM:" + (cc.decode() if isinstance(cc, bytes) else str(cc))
            self.ops.append(name)

    def ops_named(self, name):
        return [op for n, op in zip(self.ops, self.sg.operators) if n == name]

    def ttype(self, idx):
        if idx < 0:
            return None
        return self.tt_names[self.sg.tensors[idx].type]

    def is_const(self, idx):
        t = self.sg.tensors[idx]
        b = self.m.buffers[t.buffer] if t.buffer < len(self.m.buffers) else None
        return b is not None and ((b.data is not None and len(b.data) > 0) or (b.offset or 0) > 0)

    def io_types(self, op):
        ins = [(self.ttype(i), self.is_const(i)) for i in op.inputs if i >= 0]
        outs = [self.ttype(i) for i in op.outputs]
        return ins, outs

    def options(self, op):
        o = op.builtinOptions
        if o is None:
            return {}
        S = self.S
        enums = {
            "padding": _enum_names(S.Padding),
            "fusedActivationFunction": _enum_names(S.ActivationFunctionType),
            "mode": _enum_names(S.MirrorPadMode),
            "outputType": self.tt_names, "outType": self.tt_names, "inDataType": self.tt_names,
            "outDataType": self.tt_names, "idxOutType": self.tt_names,
        }
        d = {}
        for k, v in vars(o).items():
            if isinstance(v, np.ndarray):
                v = v.tolist()
            if isinstance(v, (bytes, bytearray)):
                v = v.decode(errors="replace")
            if k in enums and isinstance(v, int):
                v = enums[k].get(v, v)
            if isinstance(v, (int, float, str, bool, list)) or v is None:
                d[k] = v
        return d


MODE_TYPE = {"float32": "FLOAT32", "int32": "INT32", "int8": "INT8", "uint8": "INT8", "int16": "INT16",
             "uint8_legacy": "UINT8", "int8_qat": "INT8"}


def default_check(case: Case, info: ModelInfo) -> Optional[str]:
    ops = info.ops_named(case.op)
    if not ops:
        return f"converter did not produce {case.op} (got {info.ops})"
    for extra in case.expect_ops:
        if extra not in info.ops:
            return f"converter did not produce {extra} (got {info.ops})"
    op = ops[0]
    ins, outs = info.io_types(op)
    if case.mode in MODE_TYPE:
        want = MODE_TYPE[case.mode]
        types = [t for t, _ in ins] + outs
        if want not in types:
            return f"{case.op} is not {want} in the converted model (types {types})"
        if want != "FLOAT32" and "FLOAT32" in types:
            return f"{case.op} kept float tensors in {case.mode} mode (types {types})"
    elif case.mode == "hybrid":
        if not any(t == "FLOAT32" and not c for t, c in ins) or not any(t == "INT8" and c for t, c in ins):
            return f"{case.op} is not a hybrid (float input, int8 weights) op: inputs {ins}"
    elif case.mode == "float16":
        deq = info.ops_named("DEQUANTIZE")
        if not any(info.ttype(d.inputs[0]) == "FLOAT16" for d in deq):
            return f"no float16 DEQUANTIZE in the converted model (ops {info.ops})"
    return None


# ----------------------------------------------------------------------------------------------
# conversion + running
# ----------------------------------------------------------------------------------------------
@contextlib.contextmanager
def quiet():
    """Silence C++ stdout/stderr chatter from the converter (fd level)."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    with open(os.devnull, "w") as dn:
        os.dup2(dn.fileno(), 1)
        os.dup2(dn.fileno(), 2)
        try:
            yield
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])


def tf_dtype(case: Case, inp: Inp):
    import tensorflow as tf
    if inp.kind == "data":
        return tf.int32 if case.mode == "int32" else tf.float32
    return tf.as_dtype(inp.dtype)


def draw(rng, case: Case, inp: Inp):
    """Float-domain (or integer/bool) values for one input."""
    if inp.kind == "data" and case.mode != "int32":
        v = rng.uniform(inp.lo, inp.hi, size=inp.shape)
        if inp.nonzero:
            bad = np.abs(v) < inp.nonzero
            v[bad] = np.where(v[bad] < 0, -inp.nonzero, inp.nonzero) * rng.uniform(1, 2, size=bad.sum())
        return v.astype(np.float32)
    if inp.kind == "data":
        v = rng.integers(inp.ilo, inp.ihi + 1, size=inp.shape)
        if inp.nonzero:
            v[v == 0] = 1
        return v.astype(np.int32)
    dt = inp.dtype
    if dt == "bool":
        return rng.integers(0, 2, size=inp.shape).astype(bool)
    if dt.startswith("float"):
        return rng.uniform(inp.lo, inp.hi, size=inp.shape).astype(dt)
    v = rng.integers(int(inp.lo), int(inp.hi) + 1, size=inp.shape)
    if inp.nonzero:
        v[v == 0] = 1
    return v.astype(dt)


def sig_shape(inp: Inp):
    if inp.sig is not None:
        return list(inp.sig)
    return [None] * len(inp.shape) if inp.dyn else list(inp.shape)


def convert(case: Case) -> bytes:
    import tensorflow as tf
    if case.mode == "uint8_legacy":
        return convert_legacy(case)
    sig = []
    for i, inp in enumerate(case.inputs):
        shape = sig_shape(inp)
        sig.append(tf.TensorSpec(shape, tf_dtype(case, inp), name=f"x{i}"))
    k = K(case)

    def body(*xs):
        return case.fn(k, *xs)

    mod = tf.Module()
    mod.f = tf.function(body, input_signature=sig)
    cf = mod.f.get_concrete_function()
    conv = tf.lite.TFLiteConverter.from_concrete_functions([cf], mod)
    mode = case.mode
    if mode in ("int8", "uint8", "int16", "hybrid", "float16", "int8_qat"):
        conv.optimizations = [tf.lite.Optimize.DEFAULT]
    if mode == "int8_qat":  # ranges come from fake-quant nodes in the graph
        conv.inference_input_type = conv.inference_output_type = tf.int8
    if mode in ("int8", "uint8", "int16"):
        rng = np.random.default_rng(case.seed + 2)
        # dicts keyed by signature input name: a plain list would be matched to the model's
        # input tensor order, which need not be the function's argument order.
        samples = [{f"x{i}": draw(rng, case, inp) for i, inp in enumerate(case.inputs)}
                   for _ in range(REP_SAMPLES)]
        conv.representative_dataset = lambda: iter(samples)
        if mode == "int16":
            conv.target_spec.supported_ops = [
                tf.lite.OpsSet.EXPERIMENTAL_TFLITE_BUILTINS_ACTIVATIONS_INT16_WEIGHTS_INT8]
        else:
            conv.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
        io = {"int8": tf.int8, "uint8": tf.uint8, "int16": tf.int16}[mode]
        conv.inference_input_type = tf.as_dtype(case.in_type) if case.in_type else io
        conv.inference_output_type = tf.as_dtype(case.out_type) if case.out_type else io
        if not case.per_channel:
            conv._experimental_disable_per_channel = True
    if mode == "float16":
        conv.target_spec.supported_types = [tf.float16]
    with quiet():
        return conv.convert()


def convert_legacy(case: Case) -> bytes:
    """Real uint8 kernels: TF1 converter, inference_type=uint8, fake-quant nodes on the float
    inputs (their [lo, hi] range) and on the float outputs (range observed on the float function
    over the calibration samples)."""
    import tensorflow as tf
    fq = tf.quantization.fake_quant_with_min_max_args
    rng = np.random.default_rng(case.seed + 2)
    samples = [[draw(rng, case, inp) for inp in case.inputs] for _ in range(REP_SAMPLES)]
    lo_hi = []
    for smp in samples:
        ys = case.fn(K(case), *[tf.constant(v) for v in smp])
        ys = ys if isinstance(ys, (tuple, list)) else (ys,)
        for j, y in enumerate(ys):
            y = y.numpy()
            if len(lo_hi) <= j:
                lo_hi.append([0.0, 0.0])
            if np.issubdtype(y.dtype, np.floating):
                lo_hi[j][0] = min(lo_hi[j][0], float(y.min()))
                lo_hi[j][1] = max(lo_hi[j][1], float(y.max()))
    g = tf.Graph()
    with g.as_default():
        phs, fqs, stats = [], [], {}
        for i, inp in enumerate(case.inputs):
            dt = tf_dtype(case, inp)
            ph = tf.compat.v1.placeholder(dt, sig_shape(inp), name=f"x{i}")
            phs.append(ph)
            if dt == tf.float32:
                lo, hi = min(inp.lo, 0.0), max(inp.hi, 0.0)
                fqs.append(fq(ph, min=lo, max=hi))
                scale = (hi - lo) / 255.0
                stats[f"x{i}"] = (float(np.round(-lo / scale)), 1.0 / scale)
            else:
                fqs.append(ph)
        ys = case.fn(K(case), *fqs)
        ys = ys if isinstance(ys, (tuple, list)) else (ys,)
        outs = []
        for j, y in enumerate(ys):
            if y.dtype == tf.float32:
                lo, hi = lo_hi[j]
                pad = 0.01 * (hi - lo) + 1e-6
                y = fq(y, min=lo - (pad if lo < 0 else 0), max=hi + (pad if hi > 0 else 0))
            outs.append(tf.identity(y, name=f"y{j}"))
        with tf.compat.v1.Session(graph=g) as sess:
            conv = tf.compat.v1.lite.TFLiteConverter.from_session(sess, phs, outs)
            conv.inference_type = tf.uint8
            conv.quantized_input_stats = stats
            with quiet():
                return conv.convert()


def quantize(x, detail):
    scale, zp = detail["quantization"]
    dt = detail["dtype"]
    if x.dtype == bool or not np.issubdtype(x.dtype, np.floating) or scale == 0:
        return x.astype(dt)
    info = np.iinfo(dt)
    q = np.round(x / scale) + zp
    return np.clip(q, info.min, info.max).astype(dt)


def run_litert(path, inputs, resizes, resolver):
    from ai_edge_litert.interpreter import Interpreter, OpResolverType
    it = Interpreter(model_path=path, num_threads=1,
                     experimental_op_resolver_type=getattr(OpResolverType, resolver))
    for idx, shape in resizes:
        it.resize_tensor_input(idx, list(shape), strict=False)
    it.allocate_tensors()
    for d, x in zip(it.get_input_details(), inputs):
        it.set_tensor(d["index"], x)
    it.invoke()
    return [np.array(it.get_tensor(d["index"])) for d in it.get_output_details()], it


def max_diff(a_list, b_list, rel=False):
    m = 0.0
    for a, b in zip(a_list, b_list):
        if a.shape != b.shape:
            return float("inf")
        if a.size == 0:
            continue
        d = np.abs(a.astype(np.float64) - b.astype(np.float64))
        if rel:
            d = d / np.maximum(np.abs(b.astype(np.float64)), 1.0)
        if np.isnan(d).any():
            same_nan = np.isnan(a.astype(np.float64)) == np.isnan(b.astype(np.float64))
            if not same_nan.all():
                return float("inf")
            d = np.nan_to_num(d)
        m = max(m, float(d.max()))
    return m


class Skip(Exception):
    pass


def short_error(e: BaseException) -> str:
    s = str(e)
    lines = [ln.strip() for ln in s.splitlines() if ln.strip()]
    errs = [ln for ln in lines if "error:" in ln]
    msg = errs[0] if errs else (lines[0] if lines else type(e).__name__)
    msg = re.sub(r"^.*?error: ", "", msg)
    msg = re.sub(r"loc\(.*?\): ", "", msg)
    return f"{type(e).__name__}: {msg}"[:300]


def build_case(case: Case, root: str) -> dict:
    try:
        buf = convert(case)
    except Exception as e:  # converter refused
        raise Skip("converter: " + short_error(e))
    info = ModelInfo(buf)
    chk = default_check if case.check == "default" else case.check
    if chk is not None:
        why = chk(case, info)
        if why:
            raise Skip(why)

    d = os.path.join(root, case.name)
    tmp = d + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    mpath = os.path.join(tmp, "model.tflite")
    with open(mpath, "wb") as f:
        f.write(buf)

    from ai_edge_litert.interpreter import Interpreter
    probe = Interpreter(model_path=mpath)
    in_details = probe.get_input_details()
    if len(in_details) != len(case.inputs):
        shutil.rmtree(tmp)
        raise Skip(f"model has {len(in_details)} inputs, expected {len(case.inputs)}")
    # map model inputs to our input specs by the x<i> names we gave them
    order = []
    for pos, dd in enumerate(in_details):
        m = re.search(r"x(\d+)(:\d+)?$", dd["name"])
        order.append(int(m.group(1)) if m else pos)
    if sorted(order) != list(range(len(case.inputs))):
        order = list(range(len(case.inputs)))
    rng = np.random.default_rng(case.seed)
    vals = [draw(rng, case, inp) for inp in case.inputs]
    model_inputs, resizes = [], []
    for pos, (dd, spec_i) in enumerate(zip(in_details, order)):
        x = quantize(vals[spec_i], dd)
        model_inputs.append(x)
        if case.inputs[spec_i].dyn or tuple(dd["shape"]) != tuple(x.shape):
            resizes.append((dd["index"], x.shape))
    ground_truth, ref_missing, ref_only = "BUILTIN_REF", None, None
    try:
        try:
            ref, it = run_litert(mpath, model_inputs, resizes, "BUILTIN_REF")
        except ValueError as e:
            if "Didn't find op" not in str(e):
                raise
            # the reference resolver lacks this op version: fall back to the optimized builtins
            ref_missing = short_error(e)
            ground_truth = "BUILTIN_WITHOUT_DEFAULT_DELEGATES"
            ref, it = run_litert(mpath, model_inputs, resizes, ground_truth)
        if case.ground_truth and not ref_missing:
            ref_only = ref
            ground_truth = case.ground_truth[0]
            ref, it = run_litert(mpath, model_inputs, resizes, ground_truth)
        opt, _ = run_litert(mpath, model_inputs, resizes, "BUILTIN_WITHOUT_DEFAULT_DELEGATES")
        xnn, _ = run_litert(mpath, model_inputs, resizes, "AUTO")
    except Exception as e:
        shutil.rmtree(tmp)
        raise Skip("LiteRT: " + short_error(e))

    is_float = any(np.issubdtype(o.dtype, np.floating) for o in ref)
    opt_d = max_diff(opt, ref)
    xnn_d = max_diff(xnn, ref)
    if is_float:
        tol = {"kind": "relative", "value": FLOAT_RTOL if case.float_rtol is None else case.float_rtol}
    elif opt_d == 0:
        tol = {"kind": "exact", "value": 0}
    else:  # LiteRT's own optimized builtin kernels differ from the reference kernels
        tol = {"kind": "one_step", "value": max(1, int(round(opt_d)))}

    for i, x in enumerate(model_inputs):
        np.save(os.path.join(tmp, f"input_{i}.npy"), x, allow_pickle=False)
    for i, y in enumerate(ref):
        np.save(os.path.join(tmp, f"output_{i}.npy"), y, allow_pickle=False)

    def tdesc(dd):
        q = dd["quantization_parameters"]
        e = {"name": dd["name"], "dtype": np.dtype(dd["dtype"]).name,
             "shape": [int(s) for s in dd["shape"]]}
        if len(q["scales"]):
            e["scale"] = [float(s) for s in q["scales"]]
            e["zero_point"] = [int(z) for z in q["zero_points"]]
        return e

    main_ops = info.ops_named(case.op)
    meta = {
        "generator": "make_conformance.py",
        "op": case.op,
        "dtype": case.dtype,
        "params": case.params,
        "ops": info.ops,
        "tolerance": tol,
        "mode": case.mode,
        "options": info.options(main_ops[0]) if main_ops else {},
        "inputs": [tdesc(dd) for dd in in_details],
        "outputs": [dict(tdesc(dd), shape=list(map(int, y.shape)))
                    for dd, y in zip(it.get_output_details(), ref)],
        "seed": case.seed,
        "ground_truth": ground_truth,
    }
    if ref_missing:
        meta["reference_unavailable"] = ref_missing
    if ref_only is not None:
        # (no diff recorded: e.g. the int16 reference SUM output is not even reproducible)
        meta["reference_not_used"] = case.ground_truth[1]
    if resizes:
        meta["resize_inputs"] = True
    if case.expected_unsupported:
        meta["expected_unsupported"] = case.expected_unsupported
    if opt_d:
        meta["optimized_max_diff"] = opt_d
    if xnn_d:
        meta["xnnpack_max_diff"] = xnn_d
    if is_float:
        if opt_d:
            meta["optimized_max_rel_diff"] = max_diff(opt, ref, rel=True)
        if xnn_d:
            meta["xnnpack_max_rel_diff"] = max_diff(xnn, ref, rel=True)
    with open(os.path.join(tmp, "case.json"), "w") as f:
        f.write(compact_json(meta) + "\n")
    shutil.rmtree(d, ignore_errors=True)
    os.rename(tmp, d)
    return meta


def compact_json(obj) -> str:
    """Indented JSON with lists of scalars kept on one line."""
    text = json.dumps(obj, indent=1)
    return re.sub(r"\[[^\[\]{}]*\]", lambda m: re.sub(r"\s*\n\s*", " ", m.group(0))
                  .replace("[ ", "[").replace(" ]", "]"), text)


# ----------------------------------------------------------------------------------------------
# INDEX.md
# ----------------------------------------------------------------------------------------------
def fmt_params(p):
    return ", ".join(f"{k}={json.dumps(v)}" for k, v in p.items()).replace("|", "\\|")


def fmt_tol(t):
    if t["kind"] == "exact":
        return "exact"
    if t["kind"] == "one_step":
        return f"one_step ({t['value']})"
    if t["kind"] == "relative":
        return f"relative {t['value']:g}"
    return str(t.get("kind"))


def write_index(root):
    cases = []
    for name in sorted(os.listdir(root)):
        p = os.path.join(root, name, "case.json")
        if os.path.isfile(p):
            with open(p) as f:
                cases.append((name, json.load(f)))
    skipped = load_skipped(root)
    total = 0
    for name, _ in cases:
        for fn in os.listdir(os.path.join(root, name)):
            total += os.path.getsize(os.path.join(root, name, fn))
    by_op = {}
    for name, m in cases:
        by_op.setdefault(m.get("op", "?"), []).append(name)
    L = []
    L.append("# TFLite conformance fixtures\n")
    L.append("Generated by `scripts/make_conformance.py` (do not edit by hand). Each directory holds "
             "`model.tflite` (built with the TensorFlow converter, handmade with the flatbuffers object "
             "API, or a committed model: see `generator` in case.json), `input_N.npy` in model input "
             "order, `output_N.npy` in model output order (LiteRT **reference** kernels, "
             "`OpResolverType.BUILTIN_REF`) and `case.json`.\n")
    L.append("Tolerances: `exact` = bit-exact; `one_step (n)` = integer outputs may differ from "
             "the reference by at most n quantization steps (set only where LiteRT's optimized "
             "builtin kernels differ from its reference kernels; see "
             "`optimized_max_diff` in case.json; XNNPACK differences are only recorded, as "
             "`xnnpack_max_diff`); `relative v` = float outputs within v relative error (values "
             "near zero need an absolute floor). `ground_truth` in case.json names the resolver "
             "whose outputs were stored (BUILTIN_REF unless noted below). Inputs whose case.json has "
             "`resize_inputs: true` have dynamic dims: resize the model inputs to the .npy shapes "
             "before allocating.\n")
    L.append(f"{len(cases)} cases, {len(skipped)} skipped combinations, {total / 1e6:.2f} MB of "
             f"case files. `generator` in case.json names the catalogue module that makes the case.\n")
    L.append("## Cases per op\n")
    L.append("| op | cases |")
    L.append("| --- | --- |")
    for op in sorted(by_op):
        L.append(f"| {op} | {len(by_op[op])} |")
    L.append("")
    L.append("## Cases\n")
    L.append("| case | op | dtype | params | ops | tolerance | ref vs optimized / xnnpack |")
    L.append("| --- | --- | --- | --- | --- | --- | --- |")
    for name, m in sorted(cases, key=lambda c: (c[1].get("op", "?"), c[0])):
        diffs = []
        if "reference_unavailable" in m:
            diffs.append("ground truth = optimized builtin (reference resolver lacks the op)")
        if "reference_not_used" in m:
            diffs.append(f"ground truth = optimized builtin: {m['reference_not_used']}")
        if m.get("expected_from", "BUILTIN_REF") != "BUILTIN_REF":
            diffs.append(f"ground truth = {m['expected_from']}")
        if "optimized_max_diff" in m:
            diffs.append(f"opt {m['optimized_max_diff']:.3g}")
        if "xnnpack_max_diff" in m:
            diffs.append(f"xnn {m['xnnpack_max_diff']:.3g}")
        tol = m.get("tolerance") or {"kind": "?"}
        L.append(f"| {name} | {m.get('op', '?')} | {m.get('dtype', '?')} | {fmt_params(m.get('params', {}))} | "
                 f"{' '.join(m.get('ops', []))} | {fmt_tol(tol)} | {', '.join(diffs)} |")
    L.append("")
    L.append("## Skipped combinations\n")
    L.append("Combinations that the converter or LiteRT cannot produce or run, with the reason.\n")
    L.append("| case | op | dtype | params | reason |")
    L.append("| --- | --- | --- | --- | --- |")
    for name in sorted(skipped):
        s = skipped[name]
        reason = s["reason"].replace("|", "\\|").replace("\n", " ")
        L.append(f"| {name} | {s['op']} | {s['dtype']} | {fmt_params(s['params'])} | {reason} |")
    L.append("")
    with open(os.path.join(root, "INDEX.md"), "w") as f:
        f.write("\n".join(L))


def load_skipped(root):
    p = os.path.join(root, "skipped.json")
    if os.path.isfile(p):
        with open(p) as f:
            return json.load(f)
    return {}


def save_skipped(root, skipped):
    with open(os.path.join(root, "skipped.json"), "w") as f:
        json.dump(dict(sorted(skipped.items())), f, indent=1)
        f.write("\n")


# ----------------------------------------------------------------------------------------------
# the catalogue
# ----------------------------------------------------------------------------------------------
def write_converted(case: Case, root: str) -> Optional[str]:
    """Writes a converter-built case; returns None, or why it was skipped."""
    try:
        build_case(case, root)
        return None
    except Skip as s:
        return str(s)


def catalogue() -> list:
    """Every case, as (case, write) pairs: write(case, root) makes the case's folder under root
    and returns None, or why the converter / LiteRT refused the combination. Each case has
    `name`, `op`, `dtype` and `params`."""
    from conformance import cases, control_flow, handmade_common_ops, handmade_conv_linear_pool, \
        handmade_recurrent, handmade_reduce_image_detect, handmade_shape_quant_compare, mediapipe, tasks
    entries = [(c, write_converted) for c in cases.all_cases(Case, Inp)]
    for module in (handmade_conv_linear_pool, handmade_shape_quant_compare, handmade_reduce_image_detect,
                   handmade_common_ops, handmade_recurrent, control_flow, mediapipe, tasks):
        entries += [(c, module.write_case) for c in module.all_cases()]
    return entries


# ----------------------------------------------------------------------------------------------
def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", help="fnmatch pattern or substring of case names to (re)generate")
    ap.add_argument("--list", action="store_true", help="list case names and exit")
    ap.add_argument("--out", default=OUT)
    args = ap.parse_args()

    entries = catalogue()
    names = [c.name for c, _ in entries]
    dup = {n for n in names if names.count(n) > 1}
    if dup:
        sys.exit(f"duplicate case names: {sorted(dup)}")

    def selected(n):
        if not args.only:
            return True
        return fnmatch.fnmatch(n, args.only) or args.only in n

    todo = [(c, write) for c, write in entries if selected(c.name)]
    if args.list:
        for c, _ in todo:
            print(c.name)
        return
    os.makedirs(args.out, exist_ok=True)
    skipped = load_skipped(args.out) if args.only else {}
    for n in list(skipped):
        if n not in names or selected(n):
            skipped.pop(n)
    t0 = time.time()
    made = 0
    for i, (c, write) in enumerate(todo):
        why = write(c, args.out)
        if why:
            shutil.rmtree(os.path.join(args.out, c.name), ignore_errors=True)
            skipped[c.name] = {"op": c.op, "dtype": c.dtype, "params": c.params, "reason": why}
            print(f"[{i + 1}/{len(todo)}] SKIP {c.name}: {why}", flush=True)
        else:
            made += 1
            print(f"[{i + 1}/{len(todo)}] ok   {c.name}", flush=True)
    # drop case folders the catalogue no longer makes (with --only, just those matching it)
    keep = set(names)
    for n in os.listdir(args.out):
        p = os.path.join(args.out, n)
        if not os.path.isdir(p) or (n in keep and n not in skipped) or not selected(n):
            continue
        if n.endswith(".tmp") or os.path.isfile(os.path.join(p, "case.json")):
            shutil.rmtree(p)
    save_skipped(args.out, skipped)
    write_index(args.out)
    print(f"{made} cases written, {len(todo) - made} skipped, {time.time() - t0:.0f}s")


if __name__ == "__main__":
    main()
