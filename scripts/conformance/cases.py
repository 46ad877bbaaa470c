"""Case definitions for scripts/make_conformance.py.

`all_cases(Case, Inp)` returns the full list.  Each definition is expanded over the conversion
modes listed for it:

  float32  plain float model                    int32    plain model with int32 data tensors
  int8     full-integer, int8 I/O               uint8    full-integer (int8 kernels), uint8 I/O
  uint8_legacy  real uint8 kernels: TF1 converter, inference_type=uint8, fake-quant ranges
  int8_qat fake-quant (QAT) graph, optimizations=DEFAULT, int8 I/O
  int16    int16 activations / int8 weights     hybrid   dynamic-range (int8 weights, float I/O)
  float16  float16 weights + DEQUANTIZE         none     plain model, no dtype check (CAST, ...)

A case function receives `k` (k.r: seeded numpy Generator, k.dt: the graph's data dtype,
k.const(shape, lo, hi[, dtype]) and k.w(shape) for weights) and the model inputs.
"""
from __future__ import annotations

import numpy as np
import tensorflow as tf

F, Q, Q16, I32 = "float32", "int8", "int16", "int32"
U8, HY, F16 = "uint8", "hybrid", "float16"
U8L = "uint8_legacy"   # real uint8 kernels (TF1 converter + fake-quant), added wherever U8 is listed
fq = tf.quantization.fake_quant_with_min_max_args

ACT = {
    None: lambda y: y,
    "relu": tf.nn.relu,
    "relu6": tf.nn.relu6,
}


def all_cases(Case, Inp):
    cases = []

    def add(op, variant, modes, fn, inputs, params=None, **kw):
        if U8 in modes:
            modes = list(modes) + [U8L]
        for mode in modes:
            label = mode
            name = f"{op.lower()}_{variant}_{label}" if variant else f"{op.lower()}_{label}"
            ins = inputs(mode) if callable(inputs) else inputs
            cases.append(Case(name=name, op=op, dtype=label, mode=mode, params=dict(params or {}),
                              fn=fn, inputs=ins, **kw))

    # ------------------------------------------------------------------ elementwise binary
    def raw_div(a, b):
        return tf.raw_ops.Div(x=a, y=b) if a.dtype == tf.int32 else a / b

    BIN = {
        "ADD": lambda a, b: a + b,
        "SUB": lambda a, b: a - b,
        "MUL": lambda a, b: a * b,
        "DIV": raw_div,
        "SQUARED_DIFFERENCE": tf.math.squared_difference,
        "MAXIMUM": tf.maximum,
        "MINIMUM": tf.minimum,
    }
    SHAPES = {
        "same": ((2, 3, 4), (2, 3, 4)),
        "scalar": ((2, 3, 4), ()),
        "row": ((2, 3, 4), (4,)),
        "col": ((2, 3, 4), (3, 1)),
        "bcast4d": ((1, 3, 1, 4), (2, 1, 5, 1)),
        "bcast5d": ((2, 1, 3, 1, 2), (1, 2, 1, 2, 1)),
    }
    for op, f in BIN.items():
        for shp, (sa, sb) in SHAPES.items():
            if shp == "bcast5d" and op not in ("ADD", "MUL"):
                continue
            modes = [F, Q]
            if shp in ("same", "scalar", "bcast4d"):
                modes += [Q16, I32]
            if shp == "same":
                modes += [U8]

            def inputs(mode, sa=sa, sb=sb, op=op):
                if op == "DIV":
                    return [Inp(sa, -2, 2), Inp(sb, 0.5, 2.5, ilo=1, ihi=9)]
                return [Inp(sa, -1, 1), Inp(sb, -3, 2, ilo=-9, ihi=9)]

            add(op, shp, modes, lambda k, a, b, f=f: f(a, b), inputs,
                {"shape_a": list(sa), "shape_b": list(sb)})
        # One input repeating along the other (a per-channel scale or bias, a normalization's
        # mean) over many runs of the contiguous kernels and several threads, either input first.
        if op in ("ADD", "SUB", "MUL"):
            for v, sa, sb in [("channel_wide", (1, 9, 16, 24), (1, 1, 1, 24)),
                              ("channel_first_wide", (24,), (1, 9, 16, 24)),
                              ("row_wide", (2, 3, 700), (3, 700))]:
                add(op, v, [F, Q, U8], lambda k, a, b, f=f: f(a, b),
                    lambda mode, sa=sa, sb=sb: [Inp(sa, -1, 1), Inp(sb, -3, 2)],
                    {"shape_a": list(sa), "shape_b": list(sb)})
        # constant operand
        add(op, "const_row", [F, Q], lambda k, a, f=f, op=op: f(a, k.const([4], 0.5, 2.0) if op == "DIV"
                                                                   else k.const([4], -2, 2)),
            [Inp((2, 3, 4), -1, 1)], {"shape_a": [2, 3, 4], "const_b": [4]})
        if op == "DIV":
            # signed divisors (float only: int8 divisors crossing zero are ill-conditioned)
            add(op, "signed_divisor", [F, I32], lambda k, a, b: raw_div(a, b),
                [Inp((2, 3, 4), -2, 2), Inp((2, 3, 4), -2, 2, nonzero=0.25, ilo=-9, ihi=9)],
                {"shape_a": [2, 3, 4], "shape_b": [2, 3, 4]})
        if op in ("ADD", "SUB", "MUL", "DIV"):
            for act in ("relu", "relu6"):
                add(op, f"same_{act}", [F, Q],
                    lambda k, a, b, f=f, act=act: ACT[act](f(a, b)),
                    [Inp((2, 3, 4), -4, 4), Inp((2, 3, 4), 0.5, 3)],
                    {"shape_a": [2, 3, 4], "shape_b": [2, 3, 4], "activation": act})

    # ------------------------------------------------------------------ CONV_2D
    def conv(kh, kw, cin, cout, stride, pad, dil=1, act=None, bias=True):
        def fn(k, x):
            w = k.w([kh, kw, cin, cout])
            y = tf.nn.conv2d(x, w, stride, pad, dilations=dil)
            if bias:
                y = y + k.const([cout], -0.5, 0.5, tf.float32)
            return ACT[act](y)
        return fn

    CONV = [
        # variant, kh, kw, stride, pad, dil, act, bias
        ("k3_s1_same", 3, 3, 1, "SAME", 1, None, True),
        ("k3_s1_valid", 3, 3, 1, "VALID", 1, None, True),
        ("k3_s2_same", 3, 3, 2, "SAME", 1, None, True),
        ("k3_s2_valid", 3, 3, 2, "VALID", 1, None, True),
        ("k1_s1_valid", 1, 1, 1, "VALID", 1, None, True),
        ("k1_s2_same", 1, 1, 2, "SAME", 1, None, True),
        ("k3_d2_same", 3, 3, 1, "SAME", 2, None, True),
        ("k3_d2_valid", 3, 3, 1, "VALID", 2, None, True),
        ("k3_s1_same_relu", 3, 3, 1, "SAME", 1, "relu", True),
        ("k3_s2_same_relu6", 3, 3, 2, "SAME", 1, "relu6", True),
        ("k3_s1_valid_nobias", 3, 3, 1, "VALID", 1, None, False),
        ("k2x3_s12_same", 2, 3, (1, 2), "SAME", 1, None, True),
    ]
    for v, kh, kw, s, pad, dil, act, bias in CONV:
        modes = [F, Q, Q16] + ([U8, F16] if v == "k3_s1_same" else [])
        add("CONV_2D", v, modes, conv(kh, kw, 3, 8, s, pad, dil, act, bias),
            [Inp((1, 7, 7, 3), -1, 1)],
            {"kernel": [kh, kw], "stride": s if isinstance(s, int) else list(s), "padding": pad,
             "dilation": dil, "activation": act, "bias": bias, "in": [1, 7, 7, 3], "out_channels": 8})
    add("CONV_2D", "k3_s1_same_pertensor", [Q], conv(3, 3, 3, 8, 1, "SAME"),
        [Inp((1, 7, 7, 3), -1, 1)],
        {"kernel": [3, 3], "stride": 1, "padding": "SAME", "per_channel": False}, per_channel=False)
    add("CONV_2D", "k3_s1_same_batch2", [F, Q], conv(3, 3, 3, 4, 1, "SAME"),
        [Inp((2, 5, 5, 3), -1, 1)], {"kernel": [3, 3], "stride": 1, "padding": "SAME", "in": [2, 5, 5, 3]})
    # hybrid needs >= 1024 weights to be quantized by the converter
    for v, s, pad, act in [("k3_s1_same", 1, "SAME", None), ("k3_s2_valid_relu", 2, "VALID", "relu")]:
        add("CONV_2D", v + "_big", [HY], conv(3, 3, 8, 16, s, pad, 1, act),
            [Inp((1, 6, 6, 8), -1, 1)],
            {"kernel": [3, 3], "stride": s, "padding": pad, "activation": act, "in": [1, 6, 6, 8],
             "out_channels": 16})
    add("CONV_2D", "k3_s1_same_big_pertensor", [HY], conv(3, 3, 8, 16, 1, "SAME"),
        [Inp((1, 6, 6, 8), -1, 1)], {"kernel": [3, 3], "stride": 1, "padding": "SAME", "per_channel": False},
        per_channel=False)

    # Hybrid input quantization on ties (issue 24: the zoo's style-transfer and YOLOv3 dynamic-
    # range models, whose 3×3 stride-2 SAME 16 → 32 convolutions met a product v × (1/scale) that
    # float32 rounds to a half). LiteRT rounds the product half away from zero and adds the zero
    # point after; rounding after the add goes the other way on every tie below the zero point.
    # The input runs through a grid of halves clipped to a 255-wide range, so the input scale is
    # exactly 1 and every odd half is a tie: [0, 255] (zero point −128, a ReLU'd activation as in
    # style transfer) and [−100, 155] (zero point −28, mixed signs as after YOLO's LeakyReLU).
    def on_half_grid(lo, hi, then):
        def fn(k, x):
            return then(k, tf.clip_by_value(tf.round(x * 2) * 0.5, lo, hi))
        return fn

    for v, lo, hi in [("k3_s2_same_ties_nonnegative", 0.0, 255.0), ("k3_s2_same_ties_mixed", -100.0, 155.0)]:
        add("CONV_2D", v, [HY], on_half_grid(lo, hi, conv(3, 3, 16, 32, 2, "SAME")),
            [Inp((1, 8, 8, 16), lo - 20, hi + 20)],
            {"kernel": [3, 3], "stride": 2, "padding": "SAME", "in": [1, 8, 8, 16], "out_channels": 32,
             "input": f"halves in [{lo:g}, {hi:g}]"})

    # Real uint8 kernels at MobileNet-like widths: the pointwise (no im2col) and patch paths of
    # the 8-bit GEMM over several 16-channel blocks and a partial one.
    for v, kh, s, pad, act, cin, cout, shape in [("k1_s1_valid_wide_relu6", 1, 1, "VALID", "relu6", 40, 52, (1, 6, 6, 40)),
                                                 ("k3_s2_same_wide_relu6", 3, 2, "SAME", "relu6", 16, 36, (1, 9, 9, 16)),
                                                 ("k3_s1_same_wide", 3, 1, "SAME", None, 8, 20, (1, 6, 7, 8))]:
        add("CONV_2D", v, [U8L], conv(kh, kh, cin, cout, s, pad, 1, act), [Inp(shape, -1, 1)],
            {"kernel": [kh, kh], "stride": s, "padding": pad, "activation": act, "in": list(shape),
             "out_channels": cout})

    # Grouped CONV_2D (Keras `groups`: the filter's depth divides the input's): one input channel
    # per group and output channel (ConvNeXt's depthwise 7×7) and wider groups.
    def grouped_conv(kh, cin, cout, groups, stride, pad, act=None):
        def fn(k, x):
            w = k.w([kh, kh, cin // groups, cout])
            y = tf.nn.conv2d(x, w, stride, pad) + k.const([cout], -0.5, 0.5, tf.float32)
            return ACT[act](y)
        return fn

    for v, kh, cin, cout, groups, s, pad, act in [("k7_groups_dw_same", 7, 24, 24, 24, 1, "SAME", None),
                                                  ("k3_groups_dw_s2_relu", 3, 20, 20, 20, 2, "SAME", "relu"),
                                                  ("k3_groups4_same", 3, 8, 12, 4, 1, "SAME", None),
                                                  ("k1_groups2_valid", 1, 8, 6, 2, 1, "VALID", None)]:
        add("CONV_2D", v, [F, Q], grouped_conv(kh, cin, cout, groups, s, pad, act), [Inp((1, 9, 9, cin), -1, 1)],
            {"kernel": [kh, kh], "stride": s, "padding": pad, "groups": groups, "activation": act,
             "in": [1, 9, 9, cin], "out_channels": cout})

    # ------------------------------------------------------------------ DEPTHWISE_CONV_2D
    def dw(kh, cin, mult, stride, pad, dil=1, act=None):
        def fn(k, x):
            w = k.w([kh, kh, cin, mult], std=0.4)
            y = tf.nn.depthwise_conv2d(x, w, [1, stride, stride, 1], pad, dilations=[dil, dil])
            y = y + k.const([cin * mult], -0.5, 0.5, tf.float32)
            return ACT[act](y)
        return fn

    DW = [
        ("m1_s1_same", 3, 1, 1, "SAME", 1, None),
        ("m1_s1_valid", 3, 1, 1, "VALID", 1, None),
        ("m1_s2_same", 3, 1, 2, "SAME", 1, None),
        ("m1_s2_valid", 3, 1, 2, "VALID", 1, None),
        ("m2_s1_same", 3, 2, 1, "SAME", 1, None),
        ("m2_s2_valid", 3, 2, 2, "VALID", 1, None),
        ("m1_d2_same", 3, 1, 1, "SAME", 2, None),
        ("m2_d2_valid", 3, 2, 1, "VALID", 2, None),
        ("m1_s1_same_relu6", 3, 1, 1, "SAME", 1, "relu6"),
        ("k5_m1_s1_same_relu", 5, 1, 1, "SAME", 1, "relu"),
    ]
    for v, kh, m, s, pad, dil, act in DW:
        modes = [F, Q, Q16] + ([U8, F16] if v == "m1_s1_same" else [])
        add("DEPTHWISE_CONV_2D", v, modes, dw(kh, 4, m, s, pad, dil, act), [Inp((1, 7, 7, 4), -1, 1)],
            {"kernel": [kh, kh], "depth_multiplier": m, "stride": s, "padding": pad, "dilation": dil,
             "activation": act, "in": [1, 7, 7, 4]})
    # Real uint8 kernels over 32-channel blocks, a partial block, the 3×3 interiors (four pixels
    # at a time) and 5×5 filters.
    for v, kh, s, act, shape in [("m1_s1_same_wide", 3, 1, None, (1, 8, 12, 72)),
                                 ("m1_s2_same_wide_relu6", 3, 2, "relu6", (1, 9, 11, 40)),
                                 ("k5_m1_s1_same_wide_relu", 5, 1, "relu", (1, 7, 9, 36))]:
        add("DEPTHWISE_CONV_2D", v, [U8L], dw(kh, shape[3], 1, s, "SAME", 1, act), [Inp(shape, -1, 1)],
            {"kernel": [kh, kh], "depth_multiplier": 1, "stride": s, "padding": "SAME", "activation": act,
             "in": list(shape)})
    add("DEPTHWISE_CONV_2D", "k5_m1_s1_same_big", [HY], dw(5, 48, 1, 1, "SAME"), [Inp((1, 5, 5, 48), -1, 1)],
        {"kernel": [5, 5], "depth_multiplier": 1, "stride": 1, "padding": "SAME", "in": [1, 5, 5, 48]})
    add("DEPTHWISE_CONV_2D", "k3_m2_s2_same_big", [HY], dw(3, 32, 4, 2, "SAME"), [Inp((1, 6, 6, 32), -1, 1)],
        {"kernel": [3, 3], "depth_multiplier": 4, "stride": 2, "padding": "SAME", "in": [1, 6, 6, 32]})
    # The tie rounding of the hybrid input quantization (see the CONV_2D ties cases above).
    add("DEPTHWISE_CONV_2D", "k3_m4_s2_same_ties", [HY], on_half_grid(-100.0, 155.0, dw(3, 32, 4, 2, "SAME")),
        [Inp((1, 6, 6, 32), -120, 175)],
        {"kernel": [3, 3], "depth_multiplier": 4, "stride": 2, "padding": "SAME", "in": [1, 6, 6, 32],
         "input": "halves in [-100, 155]"})

    # ------------------------------------------------------------------ TRANSPOSE_CONV
    def tconv(kh, cin, cout, stride, pad, out_hw, bias=False, act=None):
        def fn(k, x):
            w = k.w([kh, kh, cout, cin])
            y = tf.nn.conv2d_transpose(x, w, [1, out_hw, out_hw, cout], stride, pad)
            if bias:
                y = y + k.const([cout], -0.5, 0.5, tf.float32)
            return ACT[act](y)
        return fn

    TC = [
        ("k3_s1_same", 3, 1, "SAME", 4, False, None),
        ("k3_s2_same", 3, 2, "SAME", 8, False, None),
        ("k3_s2_valid", 3, 2, "VALID", 9, False, None),
        ("k2_s2_valid", 2, 2, "VALID", 8, False, None),
        ("k3_s2_same_bias", 3, 2, "SAME", 8, True, None),
        ("k3_s2_same_bias_relu", 3, 2, "SAME", 8, True, "relu"),
    ]
    for v, kh, s, pad, ohw, bias, act in TC:
        modes = [F, Q, Q16] + ([U8, F16] if v == "k3_s2_same" else [])
        add("TRANSPOSE_CONV", v, modes, tconv(kh, 3, 5, s, pad, ohw, bias, act), [Inp((1, 4, 4, 3), -1, 1)],
            {"kernel": [kh, kh], "stride": s, "padding": pad, "bias": bias, "activation": act,
             "in": [1, 4, 4, 3], "out": [1, ohw, ohw, 5]})
    add("TRANSPOSE_CONV", "k3_s2_same_big", [HY], tconv(3, 16, 8, 2, "SAME", 8), [Inp((1, 4, 4, 16), -1, 1)],
        {"kernel": [3, 3], "stride": 2, "padding": "SAME", "in": [1, 4, 4, 16], "out": [1, 8, 8, 8]})
    # 20 output channels: LiteRT's optimized int8 kernel requantizes blocks of 8 channels with its
    # vector path (halves up) and the 4 left with gemmlowp's rounding.
    add("TRANSPOSE_CONV", "k3_s2_same_out20", [Q, U8, Q16], tconv(3, 16, 20, 2, "SAME", 24, True), [Inp((1, 12, 12, 16), -1, 1)],
        {"kernel": [3, 3], "stride": 2, "padding": "SAME", "bias": True, "in": [1, 12, 12, 16], "out": [1, 24, 24, 20]})

    # ------------------------------------------------------------------ FULLY_CONNECTED
    def fc(cin, cout, bias=True, act=None):
        def fn(k, x):
            w = k.w([cin, cout])
            y = tf.matmul(x, w) if len(x.shape) == 2 else tf.einsum("bsi,io->bso", x, w)
            if bias:
                y = y + k.const([cout], -0.5, 0.5, tf.float32)
            return ACT[act](y)
        return fn

    FC = [
        ("bias", (2, 16), True, None),
        ("nobias", (2, 16), False, None),
        ("bias_relu", (2, 16), True, "relu"),
        ("bias_relu6", (3, 16), True, "relu6"),
        ("batch1", (1, 16), True, None),
        ("keep_num_dims", (2, 3, 16), True, None),
    ]
    for v, shape, bias, act in FC:
        modes = [F, Q, Q16] + ([U8, F16] if v == "bias" else [])
        add("FULLY_CONNECTED", v, modes, fc(16, 8, bias, act), [Inp(shape, -1, 1)],
            {"in": list(shape), "units": 8, "bias": bias, "activation": act})
    add("FULLY_CONNECTED", "wide_relu", [U8L], fc(72, 40, True, "relu"), [Inp((3, 72), -1, 1)],
        {"in": [3, 72], "units": 40, "bias": True, "activation": "relu"})
    add("FULLY_CONNECTED", "bias_pertensor", [Q], fc(16, 8), [Inp((2, 16), -1, 1)],
        {"in": [2, 16], "units": 8, "bias": True, "per_channel": False}, per_channel=False)
    for v, shape, bias in [("bias_big", (2, 32), True), ("nobias_big", (3, 32), False),
                           ("keep_num_dims_big", (2, 2, 32), True)]:
        add("FULLY_CONNECTED", v, [HY], fc(32, 32, bias), [Inp(shape, -1, 1)],
            {"in": list(shape), "units": 32, "bias": bias})
    # The tie rounding of the hybrid input quantization, per row (see the CONV_2D ties cases):
    # rows of halves clipped to [0, 255] (each row meets both ends, so its scale is 1).
    add("FULLY_CONNECTED", "ties", [HY], on_half_grid(0.0, 255.0, fc(32, 32)), [Inp((4, 32), -100, 355)],
        {"in": [4, 32], "units": 32, "bias": True, "input": "halves in [0, 255]"})

    # ALBERT's factorized embedding: an int8 table (GATHER, then DEQUANTIZE) into a per-channel
    # hybrid Dense on the 3-D rows (keep_num_dims, asymmetric inputs). The rows are multiples of
    # the table's scale, so LiteRT's exact input scale (the range's width taken in float32) and
    # its scaling order (the sum times input scale × channel scale) decide the last bits, and a
    # row quantized one step apart moves its outputs by ~1e-3 relative. Values ~±50 keep the
    # outputs far above the 1e-7 absolute floor, so the floats are compared exactly.
    def embedded_dense(vocab, dim, units):
        def fn(k, ids):
            table = k.const([vocab, dim], -50.0, 50.0, tf.float32)
            x = tf.gather(table, ids)
            return tf.einsum("bsi,io->bso", x, k.w([dim, units])) + k.const([units], -0.5, 0.5, tf.float32)
        return fn
    add("FULLY_CONNECTED", "embedding_keep_num_dims", [HY], embedded_dense(64, 16, 64),
        [Inp((1, 16), 0, 63, kind="fixed", dtype="int32")],
        {"in": [1, 16], "table": [64, 16], "units": 64, "input": "int8 embedding rows (GATHER, DEQUANTIZE)"},
        expect_ops=("GATHER", "DEQUANTIZE"), float_rtol=0.0)

    # ------------------------------------------------------------------ BATCH_MATMUL
    BMM = [
        ("plain", (2, 3, 4), (2, 4, 5), False, False),
        ("adj_x", (2, 4, 3), (2, 4, 5), True, False),
        ("adj_y", (2, 3, 4), (2, 5, 4), False, True),
        ("adj_xy", (2, 4, 3), (2, 5, 4), True, True),
        ("bcast", (2, 1, 3, 4), (3, 4, 5), False, False),
    ]
    for v, sa, sb, ax, ay in BMM:
        add("BATCH_MATMUL", v, [F, Q, Q16] + ([I32] if v == "plain" else []),
            lambda k, a, b, ax=ax, ay=ay: tf.linalg.matmul(a, b, adjoint_a=ax, adjoint_b=ay),
            [Inp(sa, -1, 1, ilo=-5, ihi=5), Inp(sb, -2, 2, ilo=-5, ihi=5)],
            {"shape_a": list(sa), "shape_b": list(sb), "adj_x": ax, "adj_y": ay})
    add("BATCH_MATMUL", "const_rhs_big", [HY, F16],
        lambda k, a: tf.linalg.matmul(a, k.w([2, 32, 32])), [Inp((2, 3, 32), -1, 1)],
        {"shape_a": [2, 3, 32], "const_b": [2, 32, 32]})

    # ------------------------------------------------------------------ pooling
    def pool(kind, ksize, stride, pad, act=None):
        f = tf.nn.avg_pool2d if kind == "avg" else tf.nn.max_pool2d
        return lambda k, x: ACT[act](f(x, ksize, stride, pad))

    POOL = [
        ("k2_s2_valid", 2, 2, "VALID", None),
        ("k3_s1_same", 3, 1, "SAME", None),
        ("k3_s2_same", 3, 2, "SAME", None),
        ("k3_s2_valid", 3, 2, "VALID", None),
        ("k2_s1_valid", 2, 1, "VALID", None),
        ("k3_s2_same_relu", 3, 2, "SAME", "relu"),
    ]
    for op, kind in (("AVERAGE_POOL_2D", "avg"), ("MAX_POOL_2D", "max")):
        for v, ks, s, pad, act in POOL:
            modes = [F, Q, Q16] + ([U8] if v == "k2_s2_valid" else [])
            add(op, v, modes, pool(kind, ks, s, pad, act), [Inp((1, 6, 7, 3), -1, 1)],
                {"kernel": ks, "stride": s, "padding": pad, "activation": act, "in": [1, 6, 7, 3]})

    add("L2_NORMALIZATION", "last_axis", [F, Q, Q16, U8], lambda k, x: tf.math.l2_normalize(x, axis=-1),
        [Inp((2, 3, 8), -1, 1)], {"axis": -1, "in": [2, 3, 8]})
    add("L2_NORMALIZATION", "4d", [F, Q], lambda k, x: tf.math.l2_normalize(x, axis=-1),
        [Inp((1, 2, 3, 6), -2, 2)], {"axis": -1, "in": [1, 2, 3, 6]})

    # ------------------------------------------------------------------ reductions
    RED = {"MEAN": tf.reduce_mean, "SUM": tf.reduce_sum, "REDUCE_MAX": tf.reduce_max,
           "REDUCE_MIN": tf.reduce_min}
    AXES = [
        ("a1_keep", [1], True),
        ("a12_keep", [1, 2], True),
        ("a12_nokeep", [1, 2], False),
        ("alast_nokeep", [-1], False),
        ("a0_keep", [0], True),
        ("all_nokeep", [0, 1, 2, 3], False),
    ]
    # REDUCE_PROD: float values near 1 (no overflow), small integers (wrapping is C++'s too); in
    # converted models it computes sizes from SHAPE for RESHAPE.
    for v, axes, keep in [("a1_keep", [1], True), ("a12_nokeep", [1, 2], False), ("all_nokeep", [0, 1, 2, 3], False)]:
        add("REDUCE_PROD", v, [F, I32], lambda k, x, axes=axes, keep=keep: tf.reduce_prod(x, axis=axes, keepdims=keep),
            [Inp((2, 3, 4, 5), 0.7, 1.4, ilo=-3, ihi=3)], {"axis": axes, "keepdims": keep, "in": [2, 3, 4, 5]})
    for op, f in RED.items():
        for v, axes, keep in AXES:
            modes = [F, Q]
            if v in ("a1_keep", "a12_nokeep", "alast_nokeep"):
                modes += [Q16, I32]
            if v == "a12_keep":
                modes += [U8]
            add(op, v, modes, lambda k, x, f=f, axes=axes, keep=keep: f(x, axis=axes, keepdims=keep),
                [Inp((2, 3, 4, 5), -1, 1)], {"axis": axes, "keepdims": keep, "in": [2, 3, 4, 5]})
    # LiteRT's optimized int8 CONV_2D and FULLY_CONNECTED (ruy) and its 3×3 DEPTHWISE_CONV_2D
    # kernel round halves up at both requantization steps; its reference kernels round as
    # gemmlowp (FULLY_CONNECTED: once). The two differ on ~0.1-0.3 % of outputs at these sizes
    # (the small cases above rarely show it). The interpreter follows the optimized kernels, so
    # these cases take them as ground truth. The depth-12 depthwise case takes LiteRT's general
    # depthwise kernel (input depth not a multiple of 8): the interpreter follows the reference
    # kernel there (gemmlowp); LiteRT's optimized general kernel differs from both by one step on
    # a few outputs (its sums are not reproduced exactly), hence the one-step tolerance.
    for v, shape in [("rounding_rows", (64, 128)), ("rounding_keep_num_dims", (1, 64, 128))]:
        add("FULLY_CONNECTED", v, [Q], fc(128, 96), [Inp(shape, -1, 1)],
            {"in": list(shape), "units": 96, "bias": True})
    add("FULLY_CONNECTED", "rounding_rows_pertensor", [Q], fc(128, 96), [Inp((64, 128), -1, 1)],
        {"in": [64, 128], "units": 96, "bias": True, "per_channel": False}, per_channel=False)
    add("CONV_2D", "rounding_k3_s1_same", [Q], conv(3, 3, 16, 32, 1, "SAME"), [Inp((1, 16, 16, 16), -1, 1)],
        {"kernel": [3, 3], "stride": 1, "padding": "SAME", "in": [1, 16, 16, 16], "out_channels": 32})
    add("CONV_2D", "rounding_k1", [Q], conv(1, 1, 64, 96, 1, "VALID"), [Inp((1, 12, 12, 64), -1, 1)],
        {"kernel": [1, 1], "stride": 1, "padding": "VALID", "in": [1, 12, 12, 64], "out_channels": 96})
    for v, cin, s, shape in [("rounding_m1_s1_same", 32, 1, (1, 16, 16, 32)), ("rounding_m1_s2_same", 32, 2, (1, 17, 17, 32)),
                             ("rounding_m1_s1_same_depth12", 12, 1, (1, 16, 16, 12))]:
        add("DEPTHWISE_CONV_2D", v, [Q], dw(3, cin, 1, s, "SAME"), [Inp(shape, -1, 1)],
            {"kernel": [3, 3], "depth_multiplier": 1, "stride": s, "padding": "SAME", "in": list(shape)})
    for c in cases:
        if c.name.startswith(("fully_connected_rounding_", "conv_2d_rounding_", "depthwise_conv_2d_rounding_")) \
                and "depth12" not in c.name:
            c.ground_truth = ("BUILTIN_WITHOUT_DEFAULT_DELEGATES",
                              "LiteRT's optimized int8 convolution kernels round halves up, its reference kernels as gemmlowp")

    # int8/uint8 MEAN over H and W of a 4-D input with keep_dims: LiteRT's builtin resolver runs
    # its optimized spatial-mean kernel (its own multiplier and bias; 16-channel blocks round
    # halves up), a step off its reference kernel; the interpreter follows the optimized one.
    # Depth 40: two 16-channel blocks and 8 channels on the scalar path.
    add("MEAN", "hw_keep_depth40", [Q, U8], lambda k, x: tf.reduce_mean(x, axis=[1, 2], keepdims=True),
        [Inp((2, 6, 5, 40), -1, 1)], {"axis": [1, 2], "keepdims": True, "in": [2, 6, 5, 40]})
    for c in cases:
        if c.op == "MEAN" and c.mode in (Q, U8, U8L) and c.params.get("keepdims") and c.params.get("axis") == [1, 2] \
                and len(c.params.get("in", [])) == 4:
            c.ground_truth = ("BUILTIN_WITHOUT_DEFAULT_DELEGATES",
                              "LiteRT's builtin int8/uint8 spatial MEAN is its optimized kernel, a step off its reference")

    for c in cases:
        if c.name.startswith("transpose_conv_k3_s2_same_out20_") and c.mode in (Q, U8, U8L):
            c.ground_truth = ("BUILTIN_WITHOUT_DEFAULT_DELEGATES",
                              "LiteRT's optimized 8-bit TRANSPOSE_CONV rounds halves up in blocks of 8 channels")

    # LiteRT 2.3's reference SUM kernel for int8/int16 (QuantizedMeanOrSum with compute_sum) is
    # far off (tens of steps, checked against a float computation); its optimized kernel is exact.
    for c in cases:
        if c.op == "SUM" and c.mode in (Q, U8, Q16):
            c.ground_truth = ("BUILTIN_WITHOUT_DEFAULT_DELEGATES",
                              "LiteRT's reference int8/int16 SUM is wrong (optimized matches float math)")

    for op, f in (("ARG_MAX", tf.math.argmax), ("ARG_MIN", tf.math.argmin)):
        for axis in (0, 1, 2):
            add(op, f"axis{axis}", [F, Q, Q16, I32] + ([U8] if axis == 2 else []),
                lambda k, x, f=f, axis=axis: f(x, axis=axis, output_type=tf.int32),
                [Inp((3, 4, 5), -1, 1)], {"axis": axis, "output_type": "int32", "in": [3, 4, 5]})
        add(op, "axis_last_int64", [F, Q], lambda k, x, f=f: f(x, axis=-1, output_type=tf.int64),
            [Inp((3, 4, 5), -1, 1)], {"axis": -1, "output_type": "int64", "in": [3, 4, 5]})

    # ------------------------------------------------------------------ activations / unary
    def hard_swish(x):
        return x * tf.nn.relu6(x + 3.0) * (1.0 / 6.0)

    def prelu(shape_alpha):
        def fn(k, x):
            alpha = k.const(shape_alpha, 0.05, 0.5, tf.float32)
            # the Keras PReLU formulation, which the converter fuses into PRELU
            return tf.nn.relu(x) + (-alpha) * tf.nn.relu(-x)
        return fn

    UN = [
        # op, variant, fn, lo, hi, modes, params, shape
        ("SOFTMAX", "beta1", lambda k, x: tf.nn.softmax(x), -4, 4, [F, Q, Q16, U8], {"beta": 1.0}, (2, 3, 8)),
        ("SOFTMAX", "scaled_input", lambda k, x: tf.nn.softmax(x * 0.5), -4, 4, [F, Q, Q16],
         {"beta": 1.0, "input_scale": 0.5}, (2, 3, 8)),
        ("SOFTMAX", "2d", lambda k, x: tf.nn.softmax(x), -8, 8, [F, Q, Q16], {"beta": 1.0}, (4, 10)),
        ("LOG_SOFTMAX", "", lambda k, x: tf.nn.log_softmax(x), -4, 4, [F, Q, Q16, U8], {}, (2, 3, 8)),
        ("LOGISTIC", "", lambda k, x: tf.sigmoid(x), -6, 6, [F, Q, Q16, U8], {}, (2, 3, 8)),
        ("TANH", "", lambda k, x: tf.tanh(x), -4, 4, [F, Q, Q16, U8], {}, (2, 3, 8)),
        ("RELU", "", lambda k, x: tf.nn.relu(x), -2, 2, [F, Q, Q16, U8], {}, (2, 3, 8)),
        ("RELU6", "", lambda k, x: tf.nn.relu6(x), -3, 8, [F, Q, Q16, U8], {}, (2, 3, 8)),
        ("RELU_N1_TO_1", "", lambda k, x: tf.minimum(tf.maximum(x, -1.0), 1.0), -2, 2, [F, Q, Q16], {},
         (2, 3, 8)),
        ("LEAKY_RELU", "alpha0_2", lambda k, x: tf.nn.leaky_relu(x, alpha=0.2), -2, 2, [F, Q, Q16, U8],
         {"alpha": 0.2}, (2, 3, 8)),
        ("LEAKY_RELU", "alpha0_01", lambda k, x: tf.nn.leaky_relu(x, alpha=0.01), -2, 2, [F, Q],
         {"alpha": 0.01}, (2, 3, 8)),
        ("PRELU", "per_channel", prelu([1, 1, 3]), -2, 2, [F, Q, Q16, U8], {"alpha_shape": [1, 1, 3]},
         (1, 4, 4, 3)),
        ("PRELU", "full_alpha", prelu([4, 4, 3]), -2, 2, [F, Q], {"alpha_shape": [4, 4, 3]}, (1, 4, 4, 3)),
        ("HARD_SWISH", "", lambda k, x: hard_swish(x), -5, 5, [F, Q, Q16, U8], {}, (2, 3, 8)),
        # swish as EfficientNet has it: LOGISTIC then MUL of the input by its own logistic
        ("MUL", "swish", lambda k, x: x * tf.sigmoid(x), -6, 6, [F, Q, U8], {}, (2, 5, 40)),
        ("ELU", "", lambda k, x: tf.nn.elu(x), -3, 3, [F, Q, Q16], {}, (2, 3, 8)),
        ("GELU", "", lambda k, x: tf.nn.gelu(x, approximate=False), -4, 4, [F, Q, U8], {"approximate": False}, (2, 3, 16)),
        ("GELU", "approximate", lambda k, x: tf.nn.gelu(x, approximate=True), -4, 4, [F, Q, U8], {"approximate": True},
         (2, 3, 16)),
        ("EXP", "", lambda k, x: tf.exp(x), -3, 2, [F, Q, Q16], {}, (2, 3, 8)),
        ("LOG", "", lambda k, x: tf.math.log(x), 0.05, 5, [F, Q, Q16], {}, (2, 3, 8)),
        ("SQRT", "", lambda k, x: tf.sqrt(x), 0, 4, [F, Q, Q16], {}, (2, 3, 8)),
        ("RSQRT", "", lambda k, x: tf.math.rsqrt(x), 0.1, 4, [F, Q, Q16], {}, (2, 3, 8)),
        ("ABS", "", lambda k, x: tf.abs(x), -2, 2, [F, Q, Q16, I32], {}, (2, 3, 8)),
        ("NEG", "", lambda k, x: tf.negative(x), -2, 2, [F, Q, Q16, I32], {}, (2, 3, 8)),
    ]
    for op, v, f, lo, hi, modes, params, shape in UN:
        add(op, v, modes, f, [Inp(shape, lo, hi)], dict(params, range=[lo, hi], **{"in": list(shape)}))

    def beta_check(case, info):
        ops = info.ops_named("SOFTMAX")
        if not ops or abs(info.options(ops[0]).get("beta", 1.0) - 0.5) > 1e-6:
            return f"converter does not fold the input scale into SOFTMAX beta (ops {info.ops}, beta stays 1)"
        return None

    add("SOFTMAX", "beta0_5", [F], lambda k, x: tf.nn.softmax(x / 2.0), [Inp((2, 3, 8), -4, 4)],
        {"beta": 0.5}, check=beta_check)

    # ------------------------------------------------------------------ shape / data movement
    DM = [F, Q, Q16, I32]
    x234 = [Inp((2, 3, 4), -2, 2)]
    add("RESHAPE", "3d_to_2d", DM + [U8], lambda k, x: tf.reshape(x, [6, 4]), x234, {"in": [2, 3, 4], "out": [6, 4]})
    add("RESHAPE", "infer_dim", [F, Q], lambda k, x: tf.reshape(x, [4, -1, 2]), x234,
        {"in": [2, 3, 4], "shape": [4, -1, 2]})
    # with fully static shapes the converter turns SQUEEZE / EXPAND_DIMS into RESHAPE, so these
    # use unknown dims (run after resizing the input)
    add("SQUEEZE", "axis1", DM, lambda k, x: tf.squeeze(x, axis=[1]),
        [Inp((2, 1, 3, 1), -2, 2, sig=(None, 1, None, 1))], {"in": [2, 1, 3, 1], "axis": [1]})
    add("SQUEEZE", "axis13", [F, Q], lambda k, x: tf.squeeze(x, axis=[1, 3]),
        [Inp((2, 1, 3, 1), -2, 2, sig=(None, 1, None, 1))], {"in": [2, 1, 3, 1], "axis": [1, 3]})
    add("SQUEEZE", "static_to_reshape", [F], lambda k, x: tf.squeeze(x), [Inp((2, 1, 3, 1), -2, 2)],
        {"in": [2, 1, 3, 1], "axis": []})
    for ax in (0, -1):
        add("EXPAND_DIMS", f"axis{ax}".replace("-", "m"), DM if ax == 0 else [F, Q],
            lambda k, x, ax=ax: tf.expand_dims(x, ax), [Inp((2, 3, 4), -2, 2, dyn=True)],
            {"in": [2, 3, 4], "axis": ax})
    add("SHAPE", "int32", [F, Q, I32], lambda k, x: tf.shape(x, out_type=tf.int32),
        [Inp((2, 3, 4), -2, 2, dyn=True)], {"in": [2, 3, 4], "out_type": "int32"}, check=None)
    add("SHAPE", "int64", [F], lambda k, x: tf.shape(x, out_type=tf.int64),
        [Inp((2, 3, 4), -2, 2, dyn=True)], {"in": [2, 3, 4], "out_type": "int64"}, check=None)

    add("CONCATENATION", "axis1_2in", DM + [U8], lambda k, a, b: tf.concat([a, b], axis=1),
        [Inp((2, 3, 4), -1, 1), Inp((2, 2, 4), -4, 4)], {"shapes": [[2, 3, 4], [2, 2, 4]], "axis": 1})
    add("CONCATENATION", "axis_last_3in", DM, lambda k, a, b, c: tf.concat([a, b, c], axis=-1),
        [Inp((2, 3, 2), -1, 1), Inp((2, 3, 3), -3, 5), Inp((2, 3, 1), 0, 2)],
        {"shapes": [[2, 3, 2], [2, 3, 3], [2, 3, 1]], "axis": -1})
    add("CONCATENATION", "axis0_same_range", [F, Q], lambda k, a, b: tf.concat([a, b], axis=0),
        [Inp((2, 3, 4), -1, 1), Inp((1, 3, 4), -1, 1)], {"shapes": [[2, 3, 4], [1, 3, 4]], "axis": 0})

    add("PACK", "axis0", DM, lambda k, a, b, c: tf.stack([a, b, c], axis=0),
        [Inp((3, 4), -1, 1), Inp((3, 4), -2, 2), Inp((3, 4), -1, 3)], {"n": 3, "in": [3, 4], "axis": 0})
    add("PACK", "axis_last", [F, Q], lambda k, a, b: tf.stack([a, b], axis=-1),
        [Inp((3, 4), -1, 1), Inp((3, 4), -1, 1)], {"n": 2, "in": [3, 4], "axis": -1})
    add("UNPACK", "axis1", DM, lambda k, x: tuple(tf.unstack(x, axis=1)), x234, {"in": [2, 3, 4], "axis": 1})
    add("UNPACK", "axis0", [F, Q], lambda k, x: tuple(tf.unstack(x, axis=0)), x234, {"in": [2, 3, 4], "axis": 0})
    add("SPLIT", "2_last", DM, lambda k, x: tuple(tf.split(x, 2, axis=-1)), x234,
        {"in": [2, 3, 4], "num_splits": 2, "axis": -1})
    add("SPLIT", "3_axis1", [F, Q], lambda k, x: tuple(tf.split(x, 3, axis=1)), x234,
        {"in": [2, 3, 4], "num_splits": 3, "axis": 1})
    add("SPLIT_V", "1_3_last", DM, lambda k, x: tuple(tf.split(x, [1, 3], axis=-1)), x234,
        {"in": [2, 3, 4], "sizes": [1, 3], "axis": -1})
    add("SPLIT_V", "neg1_axis1", [F, Q], lambda k, x: tuple(tf.split(x, [2, -1], axis=1)), x234,
        {"in": [2, 3, 4], "sizes": [2, -1], "axis": 1})
    add("SLICE", "basic", DM, lambda k, x: tf.slice(x, [0, 1, 1], [2, 2, -1]), x234,
        {"in": [2, 3, 4], "begin": [0, 1, 1], "size": [2, 2, -1]})
    add("SLICE", "4d", [F, Q], lambda k, x: tf.slice(x, [0, 1, 0, 2], [1, 2, 3, 2]), [Inp((2, 3, 4, 5), -1, 1)],
        {"in": [2, 3, 4, 5], "begin": [0, 1, 0, 2], "size": [1, 2, 3, 2]})

    x456 = [Inp((4, 5, 6), -2, 2)]
    SS = [
        ("basic", lambda x: x[1:3, ::2, 1:5], "x[1:3, ::2, 1:5]", DM),
        ("masks", lambda x: x[:, 1:, :-1], "x[:, 1:, :-1]", DM),
        ("neg_stride", lambda x: x[::-1, 3:0:-1, ::-2], "x[::-1, 3:0:-1, ::-2]", [F, Q, I32]),
        ("shrink", lambda x: x[1, :, 2], "x[1, :, 2]", [F, Q, I32]),
        ("ellipsis", lambda x: x[..., 1:3], "x[..., 1:3]", [F, Q]),
        ("new_axis", lambda x: x[:, tf.newaxis, 1:3], "x[:, tf.newaxis, 1:3]", [F, Q]),
        ("neg_index", lambda x: x[-3:-1, -1:, :], "x[-3:-1, -1:, :]", [F, Q]),
    ]
    for v, f, expr, modes in SS:
        add("STRIDED_SLICE", v, modes, lambda k, x, f=f: f(x), x456, {"in": [4, 5, 6], "expr": expr})

    add("PAD", "3d", DM + [U8], lambda k, x: tf.pad(x, [[0, 0], [1, 2], [2, 1]]), x234,
        {"in": [2, 3, 4], "paddings": [[0, 0], [1, 2], [2, 1]]})
    add("PAD", "4d", [F, Q], lambda k, x: tf.pad(x, [[0, 0], [1, 1], [2, 0], [0, 1]]), [Inp((1, 3, 3, 2), -1, 1)],
        {"in": [1, 3, 3, 2], "paddings": [[0, 0], [1, 1], [2, 0], [0, 1]]})
    add("PADV2", "3d", DM,
        lambda k, x: tf.pad(x, [[0, 0], [1, 2], [2, 1]], constant_values=(3 if x.dtype == tf.int32 else 0.5)),
        x234, {"in": [2, 3, 4], "paddings": [[0, 0], [1, 2], [2, 1]], "constant_values": 0.5})
    for mode_name in ("REFLECT", "SYMMETRIC"):
        add("MIRROR_PAD", mode_name.lower(), DM,
            lambda k, x, mn=mode_name: tf.pad(x, [[1, 1], [2, 1], [0, 2]], mode=mn), x234,
            {"in": [2, 3, 4], "paddings": [[1, 1], [2, 1], [0, 2]], "mode": mode_name})
    add("TRANSPOSE", "2d", [F, Q], lambda k, x: tf.transpose(x), [Inp((3, 5), -1, 1)], {"in": [3, 5], "perm": [1, 0]})
    add("TRANSPOSE", "3d", DM + [U8], lambda k, x: tf.transpose(x, [2, 0, 1]), x234,
        {"in": [2, 3, 4], "perm": [2, 0, 1]})
    add("TRANSPOSE", "4d", [F, Q], lambda k, x: tf.transpose(x, [0, 3, 1, 2]), [Inp((1, 2, 3, 4), -1, 1)],
        {"in": [1, 2, 3, 4], "perm": [0, 3, 1, 2]})
    add("TRANSPOSE", "5d", [F, Q], lambda k, x: tf.transpose(x, [4, 1, 0, 3, 2]), [Inp((2, 1, 3, 2, 2), -1, 1)],
        {"in": [2, 1, 3, 2, 2], "perm": [4, 1, 0, 3, 2]})
    add("TILE", "3d", DM, lambda k, x: tf.tile(x, [2, 1, 3]), [Inp((2, 3, 2), -1, 1)],
        {"in": [2, 3, 2], "multiples": [2, 1, 3]})
    add("TILE", "2d", [F, Q], lambda k, x: tf.tile(x, [3, 2]), [Inp((2, 3), -1, 1)], {"in": [2, 3], "multiples": [3, 2]})

    add("GATHER", "axis0", DM, lambda k, p, i: tf.gather(p, i, axis=0),
        [Inp((5, 4), -2, 2), Inp((3,), 0, 4, kind="fixed", dtype="int32")],
        {"params": [5, 4], "indices": [3], "axis": 0})
    add("GATHER", "axis1", [F, Q, I32], lambda k, p, i: tf.gather(p, i, axis=1),
        [Inp((2, 5, 3), -2, 2), Inp((2, 2), 0, 4, kind="fixed", dtype="int32")],
        {"params": [2, 5, 3], "indices": [2, 2], "axis": 1})
    add("GATHER", "const_params", [F, Q], lambda k, i: tf.gather(k.const([6, 4], -1, 1), i, axis=0),
        [Inp((4,), 0, 5, kind="fixed", dtype="int32")], {"params": "const [6, 4]", "indices": [4], "axis": 0})
    add("GATHER_ND", "basic", DM, lambda k, p, i: tf.gather_nd(p, i),
        [Inp((4, 5, 3), -2, 2), Inp((3, 2), 0, 3, kind="fixed", dtype="int32")],
        {"params": [4, 5, 3], "indices": [3, 2]})
    add("GATHER_ND", "full_index", [F, Q], lambda k, p, i: tf.gather_nd(p, i),
        [Inp((4, 5), -2, 2), Inp((2, 3, 2), 0, 3, kind="fixed", dtype="int32")],
        {"params": [4, 5], "indices": [2, 3, 2]})
    add("EMBEDDING_LOOKUP", "const_table", [F, Q],
        lambda k, i: tf.nn.embedding_lookup(k.const([8, 4], -1, 1), i),
        [Inp((3,), 0, 7, kind="fixed", dtype="int32")], {"table": [8, 4], "ids": [3]})

    CASTS = [("float32", "int32", -10, 10), ("int32", "float32", -100, 100), ("bool", "float32", 0, 1),
             ("float32", "bool", -2, 2), ("int32", "int64", -100, 100), ("int64", "int32", -100, 100),
             ("float32", "uint8", 0, 255), ("uint8", "float32", 0, 255), ("int8", "float32", -128, 127),
             ("float32", "int8", -100, 100), ("int32", "bool", -2, 2), ("int64", "float32", -100, 100),
             ("float32", "int16", -1000, 1000), ("int16", "int32", -30000, 30000)]
    for src, dst, lo, hi in CASTS:
        cases.append(Case(name=f"cast_{src}_to_{dst}", op="CAST", dtype=src, mode="none",
                          params={"from": src, "to": dst},
                          fn=lambda k, x, dst=dst: tf.cast(x, tf.as_dtype(dst)),
                          inputs=[Inp((2, 3, 4), lo, hi, kind="fixed", dtype=src)]))

    add("FILL", "const_dims", DM, lambda k, v: tf.fill([2, 3], v), [Inp((), -2, 2)], {"dims": [2, 3]})
    add("FILL", "dims_input", [F], lambda k, d, v: tf.fill(d, v),
        [Inp((2,), 1, 4, kind="fixed", dtype="int32"), Inp((), -2, 2)], {"dims": "input"})
    add("ZEROS_LIKE", "", [F, Q, I32], lambda k, x: tf.zeros_like(x), [Inp((2, 3, 4), -2, 2, dyn=True)],
        {"in": [2, 3, 4]})
    add("SELECT", "same", DM, lambda k, c, a, b: tf.where(c, a, b),
        [Inp((2, 3, 4), kind="fixed", dtype="bool"), Inp((2, 3, 4), -1, 1), Inp((2, 3, 4), -2, 2)],
        {"cond": [2, 3, 4], "a": [2, 3, 4], "b": [2, 3, 4]})
    add("SELECT_V2", "bcast", [F, Q, I32], lambda k, c, a, b: tf.where(c, a, b),
        [Inp((3, 1), kind="fixed", dtype="bool"), Inp((2, 3, 4), -1, 1), Inp((), -2, 2)],
        {"cond": [3, 1], "a": [2, 3, 4], "b": []})

    # ------------------------------------------------------------------ resize / space
    RB = [
        ("up", (8, 10), False, False),
        ("up_align_corners", (8, 10), True, False),
        ("up_half_pixel", (8, 10), False, True),
        ("down_half_pixel", (3, 3), False, True),
        ("down_align_corners", (3, 3), True, False),
        ("up_nonint", (7, 6), False, True),
    ]
    for op, raw in (("RESIZE_BILINEAR", tf.compat.v1.image.resize_bilinear),
                    ("RESIZE_NEAREST_NEIGHBOR", tf.compat.v1.image.resize_nearest_neighbor)):
        for v, size, ac, hp in RB:
            modes = [F, Q, Q16] + ([U8] if v == "up_half_pixel" else [])
            add(op, v, modes, lambda k, x, raw=raw, size=size, ac=ac, hp=hp:
                raw(x, size, align_corners=ac, half_pixel_centers=hp),
                [Inp((1, 4, 5, 3), -1, 1)], {"in": [1, 4, 5, 3], "size": list(size), "align_corners": ac,
                                             "half_pixel_centers": hp})
    add("DEPTH_TO_SPACE", "b2", DM + [U8], lambda k, x: tf.nn.depth_to_space(x, 2), [Inp((1, 2, 3, 8), -1, 1)],
        {"in": [1, 2, 3, 8], "block_size": 2})
    add("SPACE_TO_DEPTH", "b2", DM + [U8], lambda k, x: tf.nn.space_to_depth(x, 2), [Inp((1, 4, 6, 2), -1, 1)],
        {"in": [1, 4, 6, 2], "block_size": 2})

    # ------------------------------------------------------------------ QUANTIZE / DEQUANTIZE
    def q_check(in_t, out_t, op="QUANTIZE"):
        def chk(case, info):
            for o in info.ops_named(op):
                if info.ttype(o.inputs[0]) == in_t and info.ttype(o.outputs[0]) == out_t:
                    return None
            return f"no {op} {in_t}->{out_t} in the converted model (ops {info.ops})"
        return chk

    resh = lambda k, x: tf.reshape(x, [4, 6])  # noqa: E731
    QC = [
        ("float32_to_int8", Q, "float32", None, ("FLOAT32", "INT8")),
        ("float32_to_int16", Q16, "float32", None, ("FLOAT32", "INT16")),
        ("uint8_to_int8", U8, None, "int8", ("UINT8", "INT8")),
        ("int8_to_uint8", Q, None, "uint8", ("INT8", "UINT8")),
    ]
    for v, mode, it, ot, (a, b) in QC:
        cases.append(Case(name=f"quantize_{v}", op="QUANTIZE", dtype=v, mode=mode,
                          params={"from": a.lower(), "to": b.lower()}, fn=resh, inputs=[Inp((2, 3, 4), -2, 3)],
                          check=q_check(a, b), in_type=it, out_type=ot))
    # int8 -> int8 requantize: the converter inserts it where one tensor feeds consumers that need
    # a different scale (here: concatenation with a wide-range input / an output with fixed range).
    cases.append(Case(name="quantize_int8_to_int8_concat", op="QUANTIZE", dtype="int8->int8", mode=Q,
                      params={"from": "int8", "to": "int8", "via": "concat of differently scaled inputs"},
                      fn=lambda k, a, b: tf.concat([a, b], axis=-1),
                      inputs=[Inp((2, 3, 4), -1, 1), Inp((2, 3, 4), -8, 8)], check=q_check("INT8", "INT8")))
    cases.append(Case(name="quantize_int8_to_int8_qat", op="QUANTIZE", dtype="int8->int8", mode="int8_qat",
                      params={"from": "int8", "to": "int8", "via": "fake-quant [-1,1] -> max_pool -> fake-quant [-3,3]"},
                      fn=lambda k, x: fq(tf.nn.max_pool2d(tf.reshape(fq(x, min=-1, max=1), [1, 2, 3, 4]), 1, 1,
                                                          "VALID"), min=-3, max=3),
                      inputs=[Inp((2, 3, 4), -1, 1)], check=q_check("INT8", "INT8")))
    cases.append(Case(name="quantize_float32_to_uint8", op="QUANTIZE", dtype="float32->uint8", mode=U8L,
                      params={"from": "float32", "to": "uint8", "via": "uint8 -> DEQUANTIZE -> SIN (float only) -> QUANTIZE"},
                      fn=lambda k, x: tf.sin(x), inputs=[Inp((2, 3, 4), -2, 1)], check=q_check("FLOAT32", "UINT8")))
    cases.append(Case(name="quantize_uint8_to_uint8", op="QUANTIZE", dtype="uint8->uint8", mode=U8L,
                      params={"from": "uint8", "to": "uint8", "via": "SOFTMAX (fixed 1/256 output) requantized"},
                      fn=lambda k, x: tf.nn.softmax(x), inputs=[Inp((2, 3, 8), -4, 4)],
                      check=q_check("UINT8", "UINT8")))
    cases.append(Case(name="quantize_int16_to_int16_concat", op="QUANTIZE", dtype="int16->int16", mode=Q16,
                      params={"from": "int16", "to": "int16", "via": "concat of differently scaled inputs"},
                      fn=lambda k, a, b: tf.concat([a, b], axis=-1),
                      inputs=[Inp((2, 3, 4), -1, 1), Inp((2, 3, 4), -8, 8)], check=q_check("INT16", "INT16")))
    DQ = [
        ("int8", Q, None, "float32", "INT8"),
        ("int16", Q16, None, "float32", "INT16"),
    ]
    for v, mode, it, ot, a in DQ:
        cases.append(Case(name=f"dequantize_{v}", op="DEQUANTIZE", dtype=v, mode=mode,
                          params={"from": a.lower(), "to": "float32"}, fn=resh, inputs=[Inp((2, 3, 4), -2, 3)],
                          check=q_check(a, "FLOAT32", "DEQUANTIZE"), in_type=it, out_type=ot))
    cases.append(Case(name="dequantize_uint8", op="DEQUANTIZE", dtype="uint8", mode=U8L,
                      params={"from": "uint8", "to": "float32", "via": "uint8 -> DEQUANTIZE -> SIN (float only) -> QUANTIZE"},
                      fn=lambda k, x: tf.sin(x), inputs=[Inp((2, 3, 4), -2, 1)],
                      check=q_check("UINT8", "FLOAT32", "DEQUANTIZE")))
    cases.append(Case(name="dequantize_float16", op="DEQUANTIZE", dtype="float16", mode=F16,
                      params={"from": "float16", "to": "float32", "via": "float16 constant added to input"},
                      fn=lambda k, x: x + k.const([2, 3, 4], -2, 2, tf.float32), inputs=[Inp((2, 3, 4), -2, 3)],
                      check=q_check("FLOAT16", "FLOAT32", "DEQUANTIZE")))

    # ------------------------------------------------------------------ whole model: small CNN
    def cnn(k, x):
        y = tf.nn.conv2d(x, k.w([3, 3, 3, 8]), 2, "SAME") + k.const([8], -0.2, 0.2, tf.float32)
        y = tf.nn.relu(y)
        y = tf.nn.depthwise_conv2d(y, k.w([3, 3, 8, 1], std=0.4), [1, 1, 1, 1], "SAME") + \
            k.const([8], -0.2, 0.2, tf.float32)
        y = tf.nn.relu6(y)
        y = tf.nn.conv2d(y, k.w([1, 1, 8, 16]), 1, "VALID") + k.const([16], -0.2, 0.2, tf.float32)
        y = tf.nn.relu(y)
        y = tf.nn.max_pool2d(y, 2, 2, "VALID")
        y = tf.reshape(y, [1, 4 * 4 * 16])
        y = tf.matmul(y, k.w([256, 10])) + k.const([10], -0.2, 0.2, tf.float32)
        return tf.nn.softmax(y)

    def cnn_check(case, info):
        for op in ("CONV_2D", "DEPTHWISE_CONV_2D", "MAX_POOL_2D", "FULLY_CONNECTED", "SOFTMAX"):
            if op not in info.ops:
                return f"whole-model CNN lacks {op} (ops {info.ops})"
        return None

    for mode in (F, F16, HY, U8, Q, Q16, U8L):
        cases.append(Case(name=f"model_cnn_{mode}", op="MODEL_CNN", dtype=mode, mode=mode,
                          params={"in": [1, 16, 16, 3], "layers": "conv3x3s2-relu, dw3x3-relu6, conv1x1-relu, "
                                  "maxpool2, dense10, softmax"},
                          fn=cnn, inputs=[Inp((1, 16, 16, 3), 0, 1)], check=cnn_check))

    # ------------------------------------------------------------------ common operators (issue 24)
    common_operator_cases(add, cases, Case, Inp)
    return cases


def common_operator_cases(add, cases, Case, Inp):
    """SIGN, REVERSE_V2, FLOOR_DIV, FLOOR_MOD, POW, CUMSUM, BROADCAST_TO, ONE_HOT,
    SPACE_TO_BATCH_ND, BATCH_TO_SPACE_ND, SEGMENT_SUM, DYNAMIC_UPDATE_SLICE,
    LOCAL_RESPONSE_NORMALIZATION, TOPK_V2, RANGE, SCATTER_ND, ... in every mode the converter
    makes them (modes it refuses land in skipped.json)."""
    def present(case, info):
        return None if info.ops_named(case.op) else f"converter did not produce {case.op} (got {info.ops})"

    add("SIGN", "", [F, I32, Q, Q16], lambda k, x: tf.math.sign(x),
        [Inp((2, 3, 4), -2, 2, ilo=-3, ihi=3)], {"shape": [2, 3, 4]})
    for v, axes in [("axis1", [1]), ("axes01", [0, 1]), ("last", [-1])]:
        add("REVERSE_V2", v, [F, I32, Q, Q16], lambda k, x, axes=axes: tf.reverse(x, axes),
            [Inp((2, 3, 4), -2, 2)], {"shape": [2, 3, 4], "axes": axes})
    for op, f in [("FLOOR_DIV", tf.math.floordiv), ("FLOOR_MOD", tf.math.floormod)]:
        for v, sa, sb in [("same", (2, 3, 4), (2, 3, 4)), ("row", (2, 3, 4), (4,))]:
            add(op, v, [F, I32, Q, Q16], lambda k, a, b, f=f: f(a, b),
                [Inp(sa, -5, 5, ilo=-20, ihi=20), Inp(sb, -3, 3, nonzero=0.5, ilo=-6, ihi=6)],
                {"shape_a": list(sa), "shape_b": list(sb)})
    add("POW", "same", [F, Q, Q16], lambda k, a, b: tf.pow(a, b),
        [Inp((2, 3, 4), 0.2, 3), Inp((2, 3, 4), -2, 2)], {"shape_a": [2, 3, 4], "shape_b": [2, 3, 4]})
    add("POW", "same", [I32], lambda k, a, b: tf.pow(a, b),
        [Inp((2, 3, 4), ilo=-4, ihi=4), Inp((2, 3, 4), ilo=0, ihi=5)], {"shape_a": [2, 3, 4], "shape_b": [2, 3, 4]})
    add("POW", "const_row", [F], lambda k, a: tf.pow(a, tf.constant([0.5, -1.5, 3.0, 2.2])),
        [Inp((2, 3, 4), 0.1, 3)], {"shape_a": [2, 3, 4], "exponent": [0.5, -1.5, 3.0, 2.2]})
    add("POW", "const_row", [I32], lambda k, a: tf.pow(a, tf.constant([0, 1, 3, 5])),
        [Inp((2, 3, 4), ilo=-9, ihi=9)], {"shape_a": [2, 3, 4], "exponent": [0, 1, 3, 5]})
    for v, ex, rev, axis in [("axis1", False, False, 1), ("exclusive", True, False, 2),
                             ("reverse", False, True, 0), ("exclusive_reverse", True, True, -1)]:
        modes = [F, I32, Q, Q16] if v == "axis1" else [F, I32]
        add("CUMSUM", v, modes, lambda k, x, ex=ex, rev=rev, axis=axis: tf.math.cumsum(x, axis, exclusive=ex, reverse=rev),
            [Inp((2, 3, 4), -2, 2)], {"shape": [2, 3, 4], "axis": axis, "exclusive": ex, "reverse": rev})
    # numbers broadcast by MUL with ones (FILL over SHAPE when dynamic): BROADCAST_TO stays for bool
    for v, si, so in [("col", (3, 1), (2, 3, 4)), ("rank4", (1, 3, 1, 2), (2, 3, 4, 2))]:
        add("BROADCAST_TO", f"{v}_bool", ["none"], lambda k, x, so=so: tf.broadcast_to(x, so),
            [Inp(si, kind="fixed", dtype="bool")], {"shape_in": list(si), "shape_out": list(so)}, check=present)
    for v, axis, dt, on, off in [("last", -1, tf.float32, 1.0, 0.0), ("axis0", 0, tf.float32, 2.5, -1.0),
                                 ("int32", 1, tf.int32, 7, -2)]:
        add("ONE_HOT", v, ["none"], lambda k, i, axis=axis, dt=dt, on=on, off=off:
            tf.one_hot(i, 5, on_value=tf.constant(on, dt), off_value=tf.constant(off, dt), axis=axis, dtype=dt),
            [Inp((2, 3), -1, 5, kind="fixed", dtype="int32")], {"depth": 5, "axis": axis, "on": on, "off": off},
            check=present)
    add("SPACE_TO_BATCH_ND", "pad", [F, I32, Q, Q16],
        lambda k, x: tf.space_to_batch_nd(x, [2, 3], [[1, 1], [0, 3]]),
        [Inp((2, 4, 6, 3), -2, 2)], {"shape": [2, 4, 6, 3], "block": [2, 3], "paddings": [[1, 1], [0, 3]]})
    add("SPACE_TO_BATCH_ND", "rank3", [F], lambda k, x: tf.space_to_batch_nd(x, [2], [[1, 1]]),
        [Inp((2, 6, 3), -2, 2)], {"shape": [2, 6, 3], "block": [2], "paddings": [[1, 1]]})
    add("BATCH_TO_SPACE_ND", "crop", [F, I32, Q, Q16],
        lambda k, x: tf.batch_to_space(x, [2, 3], [[1, 0], [0, 2]]),
        [Inp((12, 2, 3, 3), -2, 2)], {"shape": [12, 2, 3, 3], "block": [2, 3], "crops": [[1, 0], [0, 2]]})
    add("BATCH_TO_SPACE_ND", "rank3", [F], lambda k, x: tf.batch_to_space(x, [2], [[0, 1]]),
        [Inp((4, 3, 2), -2, 2)], {"shape": [4, 3, 2], "block": [2], "crops": [[0, 1]]})
    add("SEGMENT_SUM", "", [F, I32, Q, Q16],
        lambda k, x: tf.math.segment_sum(x, tf.constant([0, 0, 1, 2, 2], tf.int32)),
        [Inp((5, 3), -2, 2)], {"shape": [5, 3], "segment_ids": [0, 0, 1, 2, 2]})
    add("LOCAL_RESPONSE_NORMALIZATION", "", [F, Q, Q16],
        lambda k, x: tf.nn.local_response_normalization(x, depth_radius=2, bias=1.5, alpha=0.3, beta=0.6),
        [Inp((1, 2, 3, 7), -2, 2)], {"shape": [1, 2, 3, 7], "radius": 2, "bias": 1.5, "alpha": 0.3, "beta": 0.6})
    add("TOPK_V2", "k3", [F, I32, Q, Q16], lambda k, x: tf.math.top_k(x, 3),
        [Inp((2, 3, 8), -2, 2, ilo=-4, ihi=4)], {"shape": [2, 3, 8], "k": 3})
    add("TOPK_V2", "argsort", [F, I32], lambda k, x: tf.argsort(x, direction="DESCENDING", stable=True),
        [Inp((3, 6), -2, 2, ilo=-3, ihi=3)], {"shape": [3, 6], "via": "tf.argsort"})
    add("RANGE", "shape", [I32], lambda k, x: tf.range(tf.shape(x)[0], 2 * tf.shape(x)[1] + 1, 2) + x[0, 0],
        [Inp((3, 5), dyn=True, ilo=-4, ihi=4)], {"shape": [3, 5], "via": "tf.range(n, 2m+1, 2) on SHAPE"},
        check=present)
    add("RANGE", "float", [F], lambda k, x: tf.range(tf.cast(tf.shape(x)[1], tf.float32), 0.0, -1.5) * x[0, 0],
        [Inp((2, 7), 1, 2, dyn=True)], {"shape": [2, 7], "via": "tf.range(float(m), 0, -1.5) on SHAPE"},
        check=present)
    add("SCATTER_ND", "", [F, I32, Q, Q16],
        lambda k, u: tf.scatter_nd(tf.constant([[1], [3], [1]], tf.int32), u, tf.constant([5, 4], tf.int32)),
        [Inp((3, 4), -2, 2)], {"indices": [[1], [3], [1]], "shape": [5, 4]})
    # NMS with a constant max_output_size and padded outputs (their shapes are static)
    def nms(version, sigma):
        def fn(k, boxes, scores):
            args = dict(boxes=boxes, scores=scores, max_output_size=tf.constant(7), iou_threshold=tf.constant(0.3),
                        score_threshold=tf.constant(0.15), pad_to_max_output_size=True)
            if version == 5:
                return tf.raw_ops.NonMaxSuppressionV5(soft_nms_sigma=tf.constant(sigma), **args)
            return tf.raw_ops.NonMaxSuppressionV4(**args)
        return fn

    for v, version, sigma in [("", 4, 0.0), ("hard", 5, 0.0), ("soft", 5, 0.4)]:
        add(f"NON_MAX_SUPPRESSION_V{version}", v, [F], nms(version, sigma),
            [Inp((24, 4), 0, 1), Inp((24,), 0, 1)],
            {"boxes": [24, 4], "max_output_size": 7, "iou_threshold": 0.3, "score_threshold": 0.15,
             "soft_nms_sigma": sigma})
    # without pad_to_max_output_size the converter still emits outputs of max_output_size
    # (LiteRT zero-fills past the valid count): no dynamic shape, checked here
    add("NON_MAX_SUPPRESSION_V4", "unpadded", [F], lambda k, b, s: tf.image.non_max_suppression(b, s, 12, 0.3, 0.6),
        [Inp((24, 4), 0, 1), Inp((24,), 0, 1)],
        {"boxes": [24, 4], "max_output_size": 12, "iou_threshold": 0.3, "score_threshold": 0.6, "padded": False},
        check=present)
    add("NON_MAX_SUPPRESSION_V5", "unpadded", [F],
        lambda k, b, s: tf.image.non_max_suppression_with_scores(b, s, 12, 0.3, 0.6, soft_nms_sigma=0.4),
        [Inp((24, 4), 0, 1), Inp((24,), 0, 1)],
        {"boxes": [24, 4], "max_output_size": 12, "iou_threshold": 0.3, "score_threshold": 0.6, "soft_nms_sigma": 0.4,
         "padded": False}, check=present)
    # data-dependent output shapes: run when the input is known at prepare (folded SHAPE
    # arithmetic of a resized input), refused as a dynamic output shape otherwise
    add("WHERE", "folded", [I32], lambda k, x: tf.where(tf.shape(x) > 2),
        [Inp((3, 5, 1, 4), dyn=True)], {"shape": [3, 5, 1, 4], "via": "tf.where(tf.shape(x) > 2)"}, check=present)
    add("WHERE", "dynamic", [F], lambda k, x: tf.where(x > 0),
        [Inp((2, 3, 4), -1, 1)], {"shape": [2, 3, 4]}, check=present)
    add("UNIQUE", "folded", [I32], lambda k, x: tf.unique(tf.shape(x)),
        [Inp((3, 5, 3, 1, 5), dyn=True)], {"shape": [3, 5, 3, 1, 5], "via": "tf.unique(tf.shape(x))"}, check=present)
    add("UNIQUE", "dynamic", [F, I32], lambda k, x: tf.unique(x),
        [Inp((12,), -2, 2, ilo=-3, ihi=3)], {"shape": [12]}, check=present)
    # Computed data-dependent shapes: the interpreter prepares these operators (and every
    # operator reading their outputs) at invoke, and the outputs take the run's shapes.
    def dynamic(op, variant, fn, inputs, params, int64=None, modes=(F, I32), **kw):
        add(op, variant, list(modes), fn, inputs, params, check=present, **kw)
        if int64 is not None:   # the same graph over int64 values
            cases.append(Case(name=f"{op.lower()}_{variant}_int64", op=op, dtype="int64", mode="none",
                              params=dict(params), fn=fn, inputs=int64, check=present, **kw))

    dynamic("WHERE", "gather_nd", lambda k, x: tf.gather_nd(x, tf.where(x > 0)),
            [Inp((3, 4, 5), -1, 1, ilo=-4, ihi=4)], {"shape": [3, 4, 5], "via": "tf.gather_nd(x, tf.where(x > 0))"},
            int64=[Inp((3, 4, 5), -4, 4, kind="fixed", dtype="int64")], modes=(F, I32, Q, Q16), expect_ops=("GATHER_ND",))
    dynamic("WHERE", "gather_reshape", lambda k, x: tf.gather(x * 2, tf.reshape(tf.where(x < 0), [-1])),
            [Inp((17,), -1, 1, ilo=-4, ihi=4)], {"shape": [17], "via": "tf.gather(x * 2, tf.reshape(tf.where(x < 0), [-1]))"},
            int64=[Inp((17,), -4, 4, kind="fixed", dtype="int64")], expect_ops=("GATHER",))
    dynamic("UNIQUE", "computed", lambda k, x: tf.unique(x * x + 1),
            [Inp((16,), -3, 3, ilo=-4, ihi=4)], {"shape": [16], "via": "tf.unique(x * x + 1)"},
            int64=[Inp((16,), -4, 4, kind="fixed", dtype="int64")])
    dynamic("UNIQUE", "computed_idx64", lambda k, x: tf.unique(x * 3, out_idx=tf.int64),
            [Inp((12,), -2, 2, ilo=-3, ihi=3)], {"shape": [12], "via": "tf.unique(x * 3, out_idx=tf.int64)"})
    dynamic("RANGE", "computed_limit", lambda k, x: tf.range(tf.reduce_max(x) - tf.reduce_min(x)) * 2 + 1,
            [Inp((6,), 0, 7, ilo=0, ihi=12)], {"shape": [6], "via": "tf.range(max(x) - min(x)) * 2 + 1"})
    dynamic("RANGE", "computed_bounds", lambda k, x: tf.range(tf.reduce_min(x), tf.reduce_max(x) * 3, tf.reduce_max(x) - tf.reduce_min(x) + 1),
            [Inp((5,), 1, 9, ilo=1, ihi=9)], {"shape": [5], "via": "tf.range(min(x), 3 max(x), max(x) - min(x) + 1)"},
            int64=[Inp((5,), 1, 9, kind="fixed", dtype="int64")])
    add("RESIZE_BILINEAR", "computed_size", [F], lambda k, x, n: tf.image.resize(x, n * 2),
        [Inp((1, 4, 4, 2), -1, 1), Inp((2,), 1, 3, kind="fixed", dtype="int32")],
        {"shape": [1, 4, 4, 2], "via": "tf.image.resize(x, n * 2)"}, check=present)
    add("SUM", "computed_axis", [F, I32], lambda k, x, a: tf.reduce_sum(x, axis=a + 0),
        [Inp((2, 3, 4), -1, 1, ilo=-4, ihi=4), Inp((), 1, 1, kind="fixed", dtype="int32")],
        {"shape": [2, 3, 4], "via": "tf.reduce_sum(x, axis=a)"}, check=present)
    dynamic("SLICE", "computed_size", lambda k, x: tf.slice(x, [1], [tf.reduce_sum(tf.cast(x > 0, tf.int32))]) - 1,
            [Inp((14,), -1, 1, ilo=-4, ihi=4)], {"shape": [14], "via": "tf.slice(x, [1], [count(x > 0)])"}, modes=(F, I32, Q))
    # RFFT2D's complex64 output leaves the model through REAL and IMAG, or COMPLEX_ABS
    for v, shape, fft in [("same", (2, 4, 8), (4, 8)), ("pad_crop", (3, 6, 5), (8, 4))]:
        add("RFFT2D", v, [F], lambda k, x, fft=fft: (lambda y: (tf.math.real(y), tf.math.imag(y)))(tf.signal.rfft2d(x, fft)),
            [Inp(shape, -2, 2)], {"shape": list(shape), "fft_length": list(fft), "outputs": "real, imag"},
            check=present)
    add("RFFT2D", "abs", [F], lambda k, x: tf.abs(tf.signal.rfft2d(x, (4, 4))),
        [Inp((2, 4, 4), -2, 2)], {"shape": [2, 4, 4], "fft_length": [4, 4], "outputs": "complex_abs"}, check=present)
