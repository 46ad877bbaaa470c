"""MediaPipe's custom operators other than Convolution2DTransposeBias: numpy references written
from MediaPipe's published semantics (mediapipe/util/tflite/operations/*.cc, version 2 of the
transform operators, as MediaPipe's CPU resolver registers them), one-operator models built with
the flatbuffers object API, and a whole-model reference for face_landmark_with_attention.

LiteRT cannot run these operators, so each case's expected outputs come from the numpy reference
(`expected_from` says so). The references follow MediaPipe's arithmetic: float32 where its
kernels compute in float, double where C++ promotes (the bilinear weights, the align-corners
shift), sums in its order.

  * MaxPoolingWithArgmax2D (custom options: TfLitePoolParams as raw int32s: padding 1 SAME /
    2 VALID, stride w, stride h, filter w, filter h, activation): the window's first strictly
    greatest value (clamped by the activation) and its position in the window,
    row * filter_w + column + 0.1, as float. The generator also checks the values against LiteRT's
    MAX_POOL_2D (BUILTIN_REF) on the same input.
  * MaxUnpooling2D (same options): output input * filter (not stride) in size, zeros, each value
    written at its window origin (position * stride - padding) plus the truncated position's row
    and column; padding from LiteRT's ComputePadding(stride, out, filter, in); out-of-range
    positions skipped, later writes win.
  * Landmarks2TransformMatrix v2 (FlexBuffer: subset_idxs, left/right_rotation_idx,
    target_rotation_radians, output_height/width, scale_x/y): the crop matrix.
  * TransformLandmarks v2 (no options): (x, y) through the matrix's first two rows, z copied.
  * TransformTensorBilinear v2 (FlexBuffer: output_height, output_width): bilinear sampling with
    the align-corners correction; outside [0, W-1] x [0, H-1] gives 0.

face_landmark_with_attention (2.5 MB, not committed): `python scripts/conformance/mediapipe_ops.py
face-attention OUT_DIR` writes a random input and the reference outputs, computed by running the
model's builtin operators in LiteRT (BUILTIN_REF) segment by segment and its custom operators with
the references here.
"""
import os
import struct
import sys
import zlib

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import flatbuffers  # noqa: E402
import numpy as np  # noqa: E402
from flatbuffers import flexbuffers  # noqa: E402

GENERATOR = "scripts/conformance/mediapipe_ops.py"
F32 = np.float32


# ----------------------------------------------------------------------------------------------
# numpy references
# ----------------------------------------------------------------------------------------------
def pool_options(raw):
    padding, stride_w, stride_h, filter_w, filter_h, activation = struct.unpack("<6i", bytes(raw[:24]))
    return dict(padding=padding, stride_w=stride_w, stride_h=stride_h, filter_w=filter_w, filter_h=filter_h,
                activation=activation)


def _pool_axis(padding, size, filt, stride):
    out = (size + stride - 1) // stride if padding == 1 else (size - filt + stride) // stride
    return out, max(0, ((out - 1) * stride + filt - size) // 2)


def max_pool_argmax(x, o):
    b, h, w, c = x.shape
    oh, ph = _pool_axis(o["padding"], h, o["filter_h"], o["stride_h"])
    ow, pw = _pool_axis(o["padding"], w, o["filter_w"], o["stride_w"])
    low, high = {1: (0, np.inf), 2: (-1, 1), 3: (0, 6)}.get(o["activation"], (-np.inf, np.inf))
    values = np.zeros((b, oh, ow, c), F32)
    positions = np.zeros((b, oh, ow, c), F32)
    for n in range(b):
        for oy in range(oh):
            for ox in range(ow):
                y0, x0 = oy * o["stride_h"] - ph, ox * o["stride_w"] - pw
                for ch in range(c):
                    best, at = F32(np.finfo(F32).min), 0
                    for fy in range(max(0, -y0), min(o["filter_h"], h - y0)):
                        for fx in range(max(0, -x0), min(o["filter_w"], w - x0)):
                            v = x[n, y0 + fy, x0 + fx, ch]
                            if v > best:
                                best, at = v, fy * o["filter_w"] + fx
                    values[n, oy, ox, ch] = min(max(best, low), high)
                    positions[n, oy, ox, ch] = F32(at) + F32(0.1)
    return values, positions


def max_unpool(x, positions, o):
    b, h, w, c = x.shape
    oh, ow = h * o["filter_h"], w * o["filter_w"]
    ph = max(0, ((h - 1) * o["stride_h"] + o["filter_h"] - oh) // 2) if h > 0 else 0
    pw = max(0, ((w - 1) * o["stride_w"] + o["filter_w"] - ow) // 2) if w > 0 else 0
    y = np.zeros((b, oh, ow, c), F32)
    for n in range(b):
        for iy in range(h):
            for ix in range(w):
                for ch in range(c):
                    raw = float(positions[n, iy, ix, ch])
                    if not np.isfinite(raw) or not -2147483649 < raw < 2147483648:
                        continue
                    p = int(raw)  # truncates toward zero, as the C++ conversion
                    col = int(np.fmod(p, o["filter_w"]))  # C's remainder keeps the sign
                    row = int(p / o["filter_w"]) if p >= 0 else -((-p) // o["filter_w"])
                    ox = ix * o["stride_w"] - pw + col
                    oy = iy * o["stride_h"] - ph + row
                    if 0 <= ox < ow and 0 <= oy < oh:
                        y[n, oy, ox, ch] = x[n, iy, ix, ch]
    return y


def _mat3_apply(m, v):
    """MediaPipe's Mat3 * float3: each row summed in float32 from 0, left to right."""
    out = []
    for r in range(3):
        s = F32(0)
        for k in range(3):
            s = F32(s + F32(m[r][k] * v[k]))
        out.append(s)
    return out


def _mat4_mul(a, b):
    out = [[F32(0)] * 4 for _ in range(4)]
    for r in range(4):
        for c in range(4):
            s = F32(0)
            for k in range(4):
                s = F32(s + F32(a[r][k] * b[k][c]))
            out[r][c] = s
    return out


def landmarks_to_transform_matrix(landmarks, options):
    flat = landmarks.reshape(-1).astype(F32)
    point = lambda i: (flat[3 * i], flat[3 * i + 1])  # noqa: E731
    subset = [int(v) for v in options["subset_idxs"]]
    pairs = [(subset[i], subset[min(i + 1, len(subset) - 1)]) for i in range(0, len(subset), 2)]
    (lx, ly), (rx, ry) = point(options["left_rotation_idx"]), point(options["right_rotation_idx"])
    rotation = F32(F32(options["target_rotation_radians"]) - np.arctan2(F32(ry - ly), F32(rx - lx)))
    c, s = np.cos(rotation), np.sin(rotation)
    rot = [[c, -s, F32(0)], [s, c, F32(0)], [F32(0), F32(0), F32(1)]]
    pts = []
    for a, b in pairs:
        for i in (a, b):
            x, y = point(i)
            pts.append(_mat3_apply(rot, [x, y, F32(1)]))
    hi, lo = list(pts[0]), list(pts[0])
    for p in pts[1:]:
        hi[0], hi[1] = (p[0] if hi[0] < p[0] else hi[0]), (p[1] if hi[1] < p[1] else hi[1])
        lo[0], lo[1] = (p[0] if lo[0] > p[0] else lo[0]), (p[1] if lo[1] > p[1] else lo[1])
    width, height = F32(hi[0] - lo[0]), F32(hi[1] - lo[1])
    center = [F32(F32(lo[0] + hi[0]) / F32(2)), F32(F32(lo[1] + hi[1]) / F32(2)), F32(1)]
    ci, si = np.cos(F32(-rotation)), np.sin(F32(-rotation))
    center = _mat3_apply([[ci, -si, F32(0)], [si, ci, F32(0)], [F32(0), F32(0), F32(1)]], center)
    z, one = F32(0), F32(1)
    t = [[one, z, z, center[0]], [z, one, z, center[1]], [z, z, one, z], [z, z, z, one]]
    back = F32(-rotation)
    cb, sb = np.cos(back), np.sin(back)
    t = _mat4_mul(t, [[cb, -sb, z, z], [sb, cb, z, z], [z, z, one, z], [z, z, z, one]])
    ow, oh = int(options["output_width"]), int(options["output_height"])
    sx = F32(F32(F32(options["scale_x"]) * width) / F32(ow))
    sy = F32(F32(F32(options["scale_y"]) * height) / F32(oh))
    t = _mat4_mul(t, [[sx, z, z, z], [z, sy, z, z], [z, z, one, z], [z, z, z, one]])
    shx, shy = F32(-1.0 * (ow / 2.0)), F32(-1.0 * (oh / 2.0))
    t = _mat4_mul(t, [[one, z, z, shx], [z, one, z, shy], [z, z, one, z], [z, z, z, one]])
    return np.array(t, F32).reshape(1, 4, 4)


def _row_dot(m, x, y):
    """m[0]*x + m[1]*y + m[2]*0 + m[3]*1 in float32, left to right."""
    return (((m[0] * x).astype(F32) + (m[1] * y).astype(F32)).astype(F32) + F32(m[2] * F32(0))).astype(F32) + F32(m[3])


def transform_landmarks(landmarks, matrix):
    m = matrix.reshape(-1).astype(F32)
    out = landmarks.astype(F32).copy()
    x, y = landmarks[..., 0].astype(F32), landmarks[..., 1].astype(F32)
    out[..., 0] = _row_dot(m[0:4], x, y)
    out[..., 1] = _row_dot(m[4:8], x, y)
    return out


def transform_tensor_bilinear(x, matrix, out_h, out_w):
    m = matrix.reshape(-1).astype(F32).copy()
    m[3] = F32(float(m[3]) + (float(m[0]) * 0.5 + float(m[1]) * 0.5 - 0.5))
    m[7] = F32(float(m[7]) + (float(m[4]) * 0.5 + float(m[5]) * 0.5 - 0.5))
    _, h, w, c = x.shape
    fy, fx = np.meshgrid(np.arange(out_h, dtype=F32), np.arange(out_w, dtype=F32), indexing="ij")
    sx, sy = _row_dot(m[0:4], fx, fy), _row_dot(m[4:8], fx, fy)
    inside = (sx >= 0) & (sx <= w - 1) & (sy >= 0) & (sy <= h - 1)
    left, top = np.floor(np.where(inside, sx, 0)), np.floor(np.where(inside, sy, 0))
    col, row = left.astype(np.int64), top.astype(np.int64)
    right, lower = (np.where(inside, sx, 0) - left).astype(F32), (np.where(inside, sy, 0) - top).astype(F32)
    padded = np.zeros((h + 1, w + 1, c), F32)
    padded[:h, :w] = x[0]
    q11, q21 = padded[row, col].astype(np.float64), padded[row, col + 1]
    q12, q22 = padded[row + 1, col].astype(np.float64), padded[row + 1, col + 1]
    r, lo = right[..., None], lower[..., None]
    upper = ((1.0 - r.astype(np.float64)) * q11 + (r * q21).astype(F32).astype(np.float64)).astype(F32)
    bottom = ((1.0 - r.astype(np.float64)) * q12 + (r * q22).astype(F32).astype(np.float64)).astype(F32)
    result = ((lo * bottom).astype(F32).astype(np.float64) + (1.0 - lo.astype(np.float64)) * upper).astype(F32)
    return np.where(inside[..., None], result, F32(0))[None].astype(F32)


def flex_options(value):
    """A FlexBuffer map: ints, floats and lists of ints (typed vectors)."""
    b = flexbuffers.Builder()
    with b.Map():
        for key in sorted(value):
            v = value[key]
            if isinstance(v, list):
                b.Key(key)
                b.TypedVectorFromElements(v)
            elif isinstance(v, float):
                b.Float(key, v)
            else:
                b.Int(key, v)
    return bytes(b.Finish())


def flex_decode(raw):
    return flexbuffers.Loads(bytes(raw))


def evaluate_custom(code, inputs, raw_options):
    """The reference outputs of one custom operator."""
    if code == "MaxPoolingWithArgmax2D":
        return list(max_pool_argmax(inputs[0], pool_options(raw_options)))
    if code == "MaxUnpooling2D":
        return [max_unpool(inputs[0], inputs[1], pool_options(raw_options))]
    if code == "Landmarks2TransformMatrix":
        return [landmarks_to_transform_matrix(inputs[0], flex_decode(raw_options))]
    if code == "TransformLandmarks":
        return [transform_landmarks(inputs[0], inputs[1])]
    if code == "TransformTensorBilinear":
        o = flex_decode(raw_options)
        return [transform_tensor_bilinear(inputs[0], inputs[1], int(o["output_height"]), int(o["output_width"]))]
    raise ValueError(f"no reference for {code}")


# ----------------------------------------------------------------------------------------------
# models
# ----------------------------------------------------------------------------------------------
def _pack(model):
    builder = flatbuffers.Builder(1024)
    builder.Finish(model.Pack(builder), file_identifier=b"TFL3")
    return bytes(builder.Output())


def custom_model(tensors, ops, inputs, outputs):
    """tensors: [(name, shape, constant or None)]; ops: [(code, version, inputs, outputs, options)]."""
    from tensorflow.lite.python import schema_py_generated as S
    model = S.ModelT()
    model.version = 3
    model.buffers = [S.BufferT()]
    codes = []
    for code, version, *_ in ops:
        if (code, version) not in codes:
            codes.append((code, version))
    model.operatorCodes = []
    for code, version in codes:
        oc = S.OperatorCodeT()
        oc.builtinCode = oc.deprecatedBuiltinCode = S.BuiltinOperator.CUSTOM
        oc.customCode = code
        oc.version = version
        model.operatorCodes.append(oc)
    sg = S.SubGraphT()
    sg.tensors = []
    for name, shape, data in tensors:
        t = S.TensorT()
        t.shape = np.array(shape, dtype=np.int32)
        t.type = S.TensorType.FLOAT32
        t.name = name
        t.buffer = 0
        if data is not None:
            b = S.BufferT()
            b.data = np.frombuffer(np.asarray(data, F32).tobytes(), dtype=np.uint8)
            model.buffers.append(b)
            t.buffer = len(model.buffers) - 1
        sg.tensors.append(t)
    sg.operators = []
    for code, version, op_in, op_out, options in ops:
        op = S.OperatorT()
        op.opcodeIndex = codes.index((code, version))
        op.inputs = np.array(op_in, dtype=np.int32)
        op.outputs = np.array(op_out, dtype=np.int32)
        if options:
            op.customOptions = np.frombuffer(options, dtype=np.uint8)
        sg.operators.append(op)
    sg.inputs = np.array(inputs, dtype=np.int32)
    sg.outputs = np.array(outputs, dtype=np.int32)
    model.subgraphs = [sg]
    return _pack(model)


def reference_outputs(buf, feeds):
    """Runs a model of custom operators only through the references."""
    from tensorflow.lite.python import schema_py_generated as S
    model = S.ModelT.InitFromPackedBuf(buf, 0)
    sg = model.subgraphs[0]
    values = {int(i): v for i, v in zip(sg.inputs, feeds)}
    for index, t in enumerate(sg.tensors):
        data = model.buffers[t.buffer].data
        if data is not None and len(data):
            values[index] = np.frombuffer(bytes(data), F32).reshape(t.shape)
    for op in sg.operators:
        oc = model.operatorCodes[op.opcodeIndex]
        code = oc.customCode.decode() if isinstance(oc.customCode, bytes) else oc.customCode
        raw = bytes(op.customOptions) if op.customOptions is not None else b""
        for index, value in zip(op.outputs, evaluate_custom(code, [values[int(i)] for i in op.inputs], raw)):
            values[int(index)] = value
    return [values[int(i)] for i in sg.outputs]


def _pool_raw(padding, stride, filt, activation=0):
    # TfLitePoolParams: the six fields, then the computed padding (four int32s, unused).
    return struct.pack("<10i", padding, stride, stride, filt, filt, activation, 0, 0, 0, 0)


def _face_options(op_index):
    """The custom options of one of face_landmark_with_attention's operators, from the wheel."""
    from tensorflow.lite.python import schema_py_generated as S
    from conformance.mediapipe import wheel_file
    buf = wheel_file("mediapipe/modules/face_landmark/face_landmark_with_attention.tflite")
    op = S.ModelT.InitFromPackedBuf(buf, 0).subgraphs[0].operators[op_index]
    return bytes(op.customOptions)


class OpCase:
    def __init__(self, name, op, params, build, feeds, extra_check=None):
        self.name, self.op, self.dtype, self.params = name, "CUSTOM:" + op, "float32", params
        self.build, self.feeds, self.extra_check = build, feeds, extra_check


def _uniform(shape, lo=-1.0, hi=1.0):
    return lambda rng: rng.uniform(lo, hi, shape).astype(F32)


def _pool_case(name, padding, stride, filt, activation, shape):
    raw = _pool_raw(padding, stride, filt, activation)
    oh, _ = _pool_axis(padding, shape[1], filt, stride)
    ow, _ = _pool_axis(padding, shape[2], filt, stride)
    out = [shape[0], oh, ow, shape[3]]
    build = lambda: custom_model([("input", shape, None), ("values", out, None), ("positions", out, None)],  # noqa: E731
                                 [("MaxPoolingWithArgmax2D", 1, [0], [1, 2], raw)], [0], [1, 2])
    return OpCase(name, "MaxPoolingWithArgmax2D",
                  {"padding": {1: "SAME", 2: "VALID"}[padding], "stride": stride, "filter": filt,
                   "activation": activation, "in": shape},
                  build, lambda rng: [_uniform(shape, -8, 8)(rng)], extra_check=_check_against_max_pool(padding, stride, filt, activation))


def _check_against_max_pool(padding, stride, filt, activation):
    """The pooled values equal LiteRT's MAX_POOL_2D (BUILTIN_REF) on the same input."""
    def check(feeds, outputs):
        import tensorflow as tf
        from ai_edge_litert.interpreter import Interpreter, OpResolverType
        x = feeds[0]

        @tf.function(input_signature=[tf.TensorSpec(x.shape, tf.float32)])
        def pool(v):
            y = tf.nn.max_pool2d(v, filt, stride, {1: "SAME", 2: "VALID"}[padding])
            return {0: y, 1: tf.nn.relu(y), 2: tf.clip_by_value(y, -1, 1), 3: tf.nn.relu6(y)}.get(activation, y)
        converter = tf.lite.TFLiteConverter.from_concrete_functions([pool.get_concrete_function()], pool)
        interpreter = Interpreter(model_content=converter.convert(), experimental_op_resolver_type=OpResolverType.BUILTIN_REF)
        interpreter.allocate_tensors()
        interpreter.set_tensor(interpreter.get_input_details()[0]["index"], x)
        interpreter.invoke()
        expected = interpreter.get_tensor(interpreter.get_output_details()[0]["index"])
        if not np.array_equal(expected, outputs[0]):
            return "the pooled values differ from LiteRT's MAX_POOL_2D"
        return None
    return check


def all_cases():
    cases = [
        _pool_case("mediapipe_max_pooling_with_argmax_same_s2", 1, 2, 2, 0, [1, 6, 7, 3]),
        _pool_case("mediapipe_max_pooling_with_argmax_valid_s2_f3_relu6", 2, 2, 3, 3, [2, 7, 8, 4]),
        _pool_case("mediapipe_max_pooling_with_argmax_same_s1_f3", 1, 1, 3, 0, [1, 5, 5, 2]),
    ]
    # Pooling then unpooling, as MediaPipe's segmentation models pair them.
    raw = _pool_raw(1, 2, 2)
    cases.append(OpCase(
        "mediapipe_max_unpooling_after_argmax_s2", "MaxUnpooling2D", {"pool": "SAME s2 f2", "in": [1, 6, 8, 3]},
        lambda: custom_model([("input", [1, 6, 8, 3], None), ("values", [1, 3, 4, 3], None), ("positions", [1, 3, 4, 3], None),
                              ("unpooled", [1, 6, 8, 3], None)],
                             [("MaxPoolingWithArgmax2D", 1, [0], [1, 2], raw), ("MaxUnpooling2D", 1, [1, 2], [3], raw)],
                             [0], [3, 2]),
        lambda rng: [_uniform([1, 6, 8, 3], -4, 4)(rng)]))
    # Positions of every kind: in range, past the window (landing elsewhere or outside), negative.
    raw3 = _pool_raw(2, 2, 3)
    cases.append(OpCase(
        "mediapipe_max_unpooling_positions_s2_f3", "MaxUnpooling2D", {"stride": 2, "filter": 3, "in": [1, 4, 5, 2]},
        lambda: custom_model([("values", [1, 4, 5, 2], None), ("positions", [1, 4, 5, 2], None), ("output", [1, 12, 15, 2], None)],
                             [("MaxUnpooling2D", 1, [0, 1], [2], raw3)], [0, 1], [2]),
        lambda rng: [_uniform([1, 4, 5, 2], -3, 3)(rng), rng.uniform(-4, 14, [1, 4, 5, 2]).astype(F32)]))
    # Landmarks2TransformMatrix: the face model's lips options, and options of our own.
    for name, op_index in [("lips", 192), ("left_eye", 193)]:
        cases.append(OpCase(
            f"mediapipe_landmarks_to_transform_matrix_face_{name}", "Landmarks2TransformMatrix",
            {"options": f"face_landmark_with_attention operator {op_index}"},
            lambda op_index=op_index: custom_model([("landmarks", [1, 468, 3], None), ("matrix", [1, 4, 4], None)],
                                                   [("Landmarks2TransformMatrix", 2, [0], [1], _face_options(op_index))], [0], [1]),
            _face_like_landmarks))
    own = {"subset_idxs": [0, 3, 5, 1, 7], "left_rotation_idx": 2, "right_rotation_idx": 6,
           "target_rotation_radians": 0.25, "output_height": 12, "output_width": 20, "scale_x": 1.5, "scale_y": 2.0}
    cases.append(OpCase(
        "mediapipe_landmarks_to_transform_matrix_odd_subset", "Landmarks2TransformMatrix", own,
        lambda: custom_model([("landmarks", [1, 8, 3], None), ("matrix", [1, 4, 4], None)],
                             [("Landmarks2TransformMatrix", 2, [0], [1], flex_options(own))], [0], [1]),
        lambda rng: [_uniform([1, 8, 3], 0, 100)(rng)]))
    for dims, n in [(2, 80), (3, 7)]:
        cases.append(OpCase(
            f"mediapipe_transform_landmarks_{dims}d", "TransformLandmarks", {"landmarks": [1, n, dims]},
            lambda dims=dims, n=n: custom_model([("landmarks", [1, n, dims], None), ("matrix", [1, 4, 4], None), ("output", [1, n, dims], None)],
                                                [("TransformLandmarks", 2, [0, 1], [2], b"")], [0, 1], [2]),
            lambda rng, dims=dims, n=n: [rng.uniform(0, 16, [1, n, dims]).astype(F32), _crop_matrix(rng)]))
    for name, shape, out in [("face_crop", [1, 48, 48, 8], (16, 16)), ("wide", [1, 10, 14, 3], (9, 13))]:
        options = flex_options({"output_height": out[0], "output_width": out[1]})
        cases.append(OpCase(
            f"mediapipe_transform_tensor_bilinear_{name}", "TransformTensorBilinear", {"input": shape, "output": list(out)},
            lambda shape=shape, out=out, options=options: custom_model(
                [("input", shape, None), ("matrix", [1, 4, 4], None), ("output", [1, out[0], out[1], shape[3]], None)],
                [("TransformTensorBilinear", 2, [0, 1], [2], options)], [0, 1], [2]),
            lambda rng, shape=shape: [_uniform(shape)(rng), _crop_matrix(rng, shape[1])]))
    return cases


def _face_like_landmarks(rng):
    """468 landmarks around an ellipse in a 192-pixel crop, z small: a face-sized layout."""
    angle = rng.uniform(0, 2 * np.pi, 468)
    radius = rng.uniform(0.2, 1.0, 468)
    x = 96 + 60 * radius * np.cos(angle) + rng.normal(0, 2, 468)
    y = 96 + 75 * radius * np.sin(angle) + rng.normal(0, 2, 468)
    z = rng.normal(0, 5, 468)
    return [np.stack([x, y, z], -1).reshape(1, 468, 3).astype(F32)]


def _crop_matrix(rng, size=16):
    """A rotation, scale and shift mapping a 16-pixel crop mostly inside a `size` image."""
    a, s = rng.uniform(-0.6, 0.6), rng.uniform(0.5, 2.5)
    m = np.eye(4, dtype=np.float64)
    m[0, :2] = [s * np.cos(a), -s * np.sin(a)]
    m[1, :2] = [s * np.sin(a), s * np.cos(a)]
    m[0, 3], m[1, 3] = rng.uniform(-2, size * 0.6), rng.uniform(-2, size * 0.6)
    return m.astype(F32).reshape(1, 4, 4)


def write_case(case, root):
    """Writes the case's folder under `root`; returns None, or why it could not be made."""
    try:
        buf = case.build()
    except Exception as e:  # the wheel may be missing offline
        return "build: " + str(e).strip().splitlines()[0][:200]
    rng = np.random.default_rng(zlib.crc32(case.name.encode()))
    feeds = case.feeds(rng)
    outputs = reference_outputs(buf, feeds)
    if case.extra_check:
        why = case.extra_check(feeds, outputs)
        if why:
            return why
    from conformance.mediapipe import save_case
    save_case(os.path.join(root, case.name), buf, feeds, outputs, {
        "op": case.op, "dtype": case.dtype, "params": case.params,
        "tolerance": {"kind": "relative", "value": 1e-5}, "mode": "handmade", "generator": GENERATOR,
        "expected_from": "numpy reference of MediaPipe's published semantics (scripts/conformance/mediapipe_ops.py)"
                         + ("; values also equal LiteRT's MAX_POOL_2D" if case.extra_check else ""),
    })
    return None


# ----------------------------------------------------------------------------------------------
# whole models: builtin segments in LiteRT, custom operators by the references
# ----------------------------------------------------------------------------------------------
def staged_reference(buf, feeds):
    """The model's outputs with each run of builtin operators executed by LiteRT (BUILTIN_REF, as a
    sub-model whose inputs and outputs are the tensors crossing its boundary) and each custom
    operator by `evaluate_custom`."""
    from ai_edge_litert.interpreter import Interpreter, OpResolverType
    from tensorflow.lite.python import schema_py_generated as S
    model = S.ModelT.InitFromPackedBuf(buf, 0)
    sg = model.subgraphs[0]
    code = lambda op: model.operatorCodes[op.opcodeIndex]  # noqa: E731
    is_custom = lambda op: max(code(op).builtinCode, code(op).deprecatedBuiltinCode) == S.BuiltinOperator.CUSTOM  # noqa: E731
    constant = {i for i, t in enumerate(sg.tensors) if model.buffers[t.buffer].data is not None and len(model.buffers[t.buffer].data)}
    values = {int(i): v for i, v in zip(sg.inputs, feeds)}
    ops = list(sg.operators)
    consumers_after = lambda k: {int(i) for op in ops[k:] for i in op.inputs if i >= 0} | {int(i) for i in sg.outputs}  # noqa: E731
    k = 0
    while k < len(ops):
        if is_custom(ops[k]):
            op = ops[k]
            name = code(op).customCode.decode() if isinstance(code(op).customCode, bytes) else code(op).customCode
            raw = bytes(op.customOptions) if op.customOptions is not None else b""
            for index, value in zip(op.outputs, evaluate_custom(name, [values[int(i)] for i in op.inputs], raw)):
                values[int(index)] = value
            k += 1
            continue
        end = k
        while end < len(ops) and not is_custom(ops[end]):
            end += 1
        segment = ops[k:end]
        produced = {int(i) for op in segment for i in op.outputs}
        needed = []
        for op in segment:
            for i in op.inputs:
                if i >= 0 and int(i) not in produced and int(i) not in constant and int(i) not in needed:
                    needed.append(int(i))
        later = consumers_after(end)
        wanted = [i for i in sorted(produced) if i in later]
        part = S.ModelT.InitFromPackedBuf(buf, 0)
        psg = part.subgraphs[0]
        psg.operators = psg.operators[k:end]
        psg.inputs = np.array(needed, dtype=np.int32)
        psg.outputs = np.array(wanted, dtype=np.int32)
        part.signatureDefs = []
        interpreter = Interpreter(model_content=_pack(part), experimental_op_resolver_type=OpResolverType.BUILTIN_REF)
        interpreter.allocate_tensors()
        for detail, index in zip(interpreter.get_input_details(), needed):
            interpreter.set_tensor(detail["index"], values[index].reshape(detail["shape"]))
        interpreter.invoke()
        for detail, index in zip(interpreter.get_output_details(), wanted):
            values[index] = np.array(interpreter.get_tensor(detail["index"]))
        k = end
    return [values[int(i)] for i in sg.outputs]


def face_attention(out_dir):
    from conformance.mediapipe import wheel_file
    buf = wheel_file("mediapipe/modules/face_landmark/face_landmark_with_attention.tflite")
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "face_landmark_with_attention.tflite"), "wb") as f:
        f.write(buf)
    rng = np.random.default_rng(24)
    x = rng.uniform(0, 1, [1, 192, 192, 3]).astype(F32)
    np.save(os.path.join(out_dir, "input_0.npy"), x, allow_pickle=False)
    for i, y in enumerate(staged_reference(buf, [x])):
        np.save(os.path.join(out_dir, f"expected_{i}.npy"), y, allow_pickle=False)
    print(f"wrote {out_dir}/face_landmark_with_attention.tflite, input_0.npy and expected_*.npy")


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    if len(sys.argv) == 3 and sys.argv[1] == "face-attention":
        face_attention(sys.argv[2])
    else:
        sys.exit("usage: mediapipe_ops.py face-attention OUT_DIR")
