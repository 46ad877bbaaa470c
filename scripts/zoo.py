#!/usr/bin/env python3
"""The held-out model zoo: the seed architectures × every converter mode, run by `tflrun run` and LiteRT.

Builds small random-weight versions of the architectures the seed documents name (MobileNet
v1/v2, Inception-v3, ResNet-v2-101, an EfficientNet-Lite-style network, BERT/ALBERT/MobileBERT-
style encoders, DeepSpeech-style LSTM/BiLSTM/GRU speech models, Wav2letter, a YOLOv3-style
detector, a style-transfer network, a DeepLabV3-style segmenter) with tf_keras (Keras 2, whose
LSTM converts to the fused UNIDIRECTIONAL_SEQUENCE_LSTM), converts each with the TF 2.19
converter in every mode (float32, float16, dynamic range, int8 and int16x8 with a
representative dataset), runs each model on one seeded random input with LiteRT's builtin
kernels and its reference kernels and with our `tflrun run`, and writes the table to
docs/ZOO.md: per model × mode, whether our outputs match (floats: max |diff| ≤ 1e-4 × (1 +
max |reference|); quantized outputs: bit-exact), the largest difference against each LiteRT
resolver, or why it fails; where a model differs, the first operator that differs (every
intermediate tensor exposed as an output and compared, as --bisect prints).

Resumable: converted models (or why the converter refused) and measured rows are cached in
--work (default zoo-out/, git-ignored); a run skips rows already measured (--rerun measures them
again, reusing the models). The converter runs under `nice`. Not part of `make test`. Run:
    .venv/bin/python scripts/zoo.py [--tflrun .build/release/tflrun] [--only PATTERN] [--modes float32,int8]
                                    [--rerun]
    .venv/bin/python scripts/zoo.py --bisect zoo-out/models/style_transfer_int8.tflite
"""
from __future__ import annotations

import argparse
import fnmatch
import json
import os
import subprocess
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODES = ["float32", "float16", "dynamic", "int8", "int16x8"]


# ----------------------------------------------------------------------------------------------
# Architectures (tf_keras; random weights, small inputs)
def _layers():
    import tf_keras
    return tf_keras, tf_keras.layers


def mobilenet_v1():
    k, _ = _layers()
    return k.applications.MobileNet(input_shape=(96, 96, 3), alpha=0.25, weights=None, classes=10)


def mobilenet_v2():
    k, _ = _layers()
    return k.applications.MobileNetV2(input_shape=(96, 96, 3), alpha=0.35, weights=None, classes=10)


def inception_v3():
    k, _ = _layers()
    return k.applications.InceptionV3(input_shape=(75, 75, 3), weights=None, classes=10)


def resnet_v2_101():
    """ResNet-v2-101 (pre-activation bottlenecks, 3 + 4 + 23 + 3 blocks, as Keras' ResNet101V2
    builds it) at an eighth of the width: the full one is 170 MB of float weights."""
    k, L = _layers()

    def block(x, filters, stride=1, conv_shortcut=False):
        preact = L.ReLU()(L.BatchNormalization(epsilon=1.001e-5)(x))
        if conv_shortcut:
            shortcut = L.Conv2D(4 * filters, 1, strides=stride)(preact)
        else:
            shortcut = L.MaxPooling2D(1, strides=stride)(x) if stride > 1 else x
        h = L.ReLU()(L.BatchNormalization(epsilon=1.001e-5)(L.Conv2D(filters, 1, use_bias=False)(preact)))
        h = L.Conv2D(filters, 3, strides=stride, use_bias=False)(L.ZeroPadding2D(1)(h))
        h = L.ReLU()(L.BatchNormalization(epsilon=1.001e-5)(h))
        return L.Add()([shortcut, L.Conv2D(4 * filters, 1)(h)])

    x = inp = L.Input((64, 64, 3), batch_size=1)
    x = L.Conv2D(8, 7, strides=2)(L.ZeroPadding2D(3)(x))
    x = L.MaxPooling2D(3, strides=2)(L.ZeroPadding2D(1)(x))
    for filters, blocks, stride in [(8, 3, 2), (16, 4, 2), (32, 23, 2), (64, 3, 1)]:
        x = block(x, filters, conv_shortcut=True)
        for _ in range(blocks - 2):
            x = block(x, filters)
        x = block(x, filters, stride=stride)
    x = L.ReLU()(L.BatchNormalization(epsilon=1.001e-5)(x))
    return k.Model(inp, L.Dense(10, activation="softmax")(L.GlobalAveragePooling2D()(x)))


def efficientnet_lite():
    """EfficientNet-Lite: MBConv blocks with ReLU6 and no squeeze-excitation."""
    k, L = _layers()
    x = inp = L.Input((64, 64, 3), batch_size=1)
    x = L.ReLU(6.0)(L.BatchNormalization()(L.Conv2D(16, 3, 2, padding="same", use_bias=False)(x)))
    for filters, stride, expand, kernel in [(16, 1, 1, 3), (24, 2, 6, 3), (24, 1, 6, 3), (40, 2, 6, 5), (80, 2, 6, 3), (112, 1, 6, 5)]:
        shortcut = x
        h = x
        if expand != 1:
            h = L.ReLU(6.0)(L.BatchNormalization()(L.Conv2D(x.shape[-1] * expand, 1, use_bias=False)(h)))
        h = L.ReLU(6.0)(L.BatchNormalization()(L.DepthwiseConv2D(kernel, stride, padding="same", use_bias=False)(h)))
        h = L.BatchNormalization()(L.Conv2D(filters, 1, use_bias=False)(h))
        x = L.Add()([shortcut, h]) if stride == 1 and shortcut.shape[-1] == filters else h
    x = L.ReLU(6.0)(L.BatchNormalization()(L.Conv2D(320, 1, use_bias=False)(x)))
    x = L.Dense(10, activation="softmax")(L.GlobalAveragePooling2D()(x))
    return k.Model(inp, x)


def _encoder(vocab, hidden, layers, heads, ffn, seq, embedding=None, shared=False, bottleneck=None):
    """A BERT-style encoder: token + position + segment embeddings, layer norm, self-attention
    (explicit matmuls and softmax), GELU feed-forward. ALBERT: factorized embedding, one shared
    layer. MobileBERT: bottleneck projections around each layer."""
    import tensorflow as tf
    k, L = _layers()
    ids = L.Input((seq,), batch_size=1, dtype="int32", name="input_ids")
    segments = L.Input((seq,), batch_size=1, dtype="int32", name="segment_ids")
    mask = L.Input((seq,), batch_size=1, dtype="float32", name="input_mask")
    x = L.Embedding(vocab, embedding or hidden)(ids)
    if embedding:
        x = L.Dense(hidden)(x)
    positions = L.Embedding(seq, hidden)(tf.range(seq)[tf.newaxis, :])
    x = L.LayerNormalization(epsilon=1e-12)(x + positions + L.Embedding(2, hidden)(segments))
    attention_bias = (1.0 - mask[:, tf.newaxis, tf.newaxis, :]) * -10000.0

    def make_layer():
        inner = bottleneck or hidden
        return dict(
            down=L.Dense(inner) if bottleneck else None, q=L.Dense(inner), k=L.Dense(inner), v=L.Dense(inner), o=L.Dense(inner),
            n1=L.LayerNormalization(epsilon=1e-12), f1=L.Dense(ffn, activation="gelu"), f2=L.Dense(inner),
            n2=L.LayerNormalization(epsilon=1e-12), up=L.Dense(hidden) if bottleneck else None)

    shared_layer = make_layer() if shared else None
    for _ in range(layers):
        p = shared_layer or make_layer()
        h = p["down"](x) if p["down"] else x
        width = h.shape[-1]
        size = width // heads

        def split(t):
            return tf.transpose(tf.reshape(t, [1, seq, heads, size]), [0, 2, 1, 3])
        q, kk, v = split(p["q"](h)), split(p["k"](h)), split(p["v"](h))
        scores = tf.matmul(q, kk, transpose_b=True) / float(np.sqrt(size)) + attention_bias
        context = tf.reshape(tf.transpose(tf.matmul(tf.nn.softmax(scores), v), [0, 2, 1, 3]), [1, seq, width])
        h = p["n1"](h + p["o"](context))
        h = p["n2"](h + p["f2"](p["f1"](h)))
        x = p["up"](h) + x if p["up"] else h
    pooled = L.Dense(hidden, activation="tanh")(x[:, 0])
    return k.Model([ids, segments, mask], L.Dense(2)(pooled))


def bert():
    return _encoder(vocab=500, hidden=64, layers=2, heads=4, ffn=128, seq=16)


def albert():
    return _encoder(vocab=500, hidden=64, layers=3, heads=4, ffn=128, seq=16, embedding=16, shared=True)


def mobilebert():
    return _encoder(vocab=500, hidden=64, layers=2, heads=4, ffn=64, seq=16, bottleneck=32)


def _speech(recurrent):
    """DeepSpeech-style: framewise dense layers with clipped ReLU, a recurrent layer, characters."""
    k, L = _layers()
    x = inp = L.Input((16, 26), batch_size=1)
    x = L.Dense(64, activation=lambda t: k.activations.relu(t, max_value=20.0))(x)
    x = L.Dense(64, activation=lambda t: k.activations.relu(t, max_value=20.0))(x)
    x = recurrent(L)(x)
    x = L.Dense(29)(x)
    return k.Model(inp, L.Softmax()(x))


def deepspeech_lstm():
    return _speech(lambda L: L.LSTM(48, return_sequences=True))


def deepspeech_bilstm():
    return _speech(lambda L: L.Bidirectional(L.LSTM(32, return_sequences=True)))


def deepspeech_gru():
    return _speech(lambda L: L.GRU(48, return_sequences=True))


def wav2letter():
    k, L = _layers()
    x = inp = L.Input((64, 40), batch_size=1)
    x = L.Conv1D(64, 11, strides=2, padding="same", activation="relu")(x)
    for _ in range(4):
        x = L.Conv1D(64, 7, padding="same", activation="relu")(x)
    x = L.Conv1D(128, 15, padding="same", activation="relu")(x)
    x = L.Conv1D(128, 1, activation="relu")(x)
    return k.Model(inp, L.Conv1D(29, 1)(x))


def yolo_v3():
    """Darknet blocks (conv, batch norm, LeakyReLU, residuals), two heads joined by upsampling."""
    k, L = _layers()

    def conv(x, filters, size, stride=1):
        x = L.Conv2D(filters, size, stride, padding="same", use_bias=False)(x)
        return L.LeakyReLU(0.1)(L.BatchNormalization()(x))

    def residual(x, filters):
        return L.Add()([x, conv(conv(x, filters // 2, 1), filters, 3)])

    x = inp = L.Input((64, 64, 3), batch_size=1)
    x = conv(x, 16, 3)
    for filters in [32, 64, 128]:
        x = residual(conv(x, filters, 3, 2), filters)
    route = x
    x = residual(conv(x, 256, 3, 2), 256)
    head1 = L.Conv2D(3 * 8, 1)(conv(x, 256, 3))
    x = L.UpSampling2D(2)(conv(x, 64, 1))
    x = L.Concatenate()([x, route])
    head2 = L.Conv2D(3 * 8, 1)(conv(x, 128, 3))
    return k.Model(inp, [head1, head2])


def style_transfer(size=64):
    """Johnson-style: strided convs, residual blocks with instance-like normalization, upsampling
    (`size` × `size` images; scripts/bench/make_models.py builds a 256 × 256 one)."""
    import tensorflow as tf
    k, L = _layers()

    def norm(x):
        mean, variance = tf.nn.moments(x, axes=[1, 2], keepdims=True)
        return (x - mean) * tf.math.rsqrt(variance + 1e-3)

    x = inp = L.Input((size, size, 3), batch_size=1)
    x = L.ReLU()(norm(L.Conv2D(16, 9, padding="same")(x)))
    x = L.ReLU()(norm(L.Conv2D(32, 3, 2, padding="same")(x)))
    x = L.ReLU()(norm(L.Conv2D(64, 3, 2, padding="same")(x)))
    for _ in range(3):
        h = L.ReLU()(norm(L.Conv2D(64, 3, padding="same")(x)))
        x = x + norm(L.Conv2D(64, 3, padding="same")(h))
    x = L.ReLU()(norm(L.Conv2DTranspose(32, 3, 2, padding="same")(x)))
    x = L.ReLU()(norm(L.Conv2DTranspose(16, 3, 2, padding="same")(x)))
    x = L.Conv2D(3, 9, padding="same", activation="sigmoid")(x)
    return k.Model(inp, x * 255.0)


def deeplab_v3():
    """A MobileNetV2 backbone, atrous spatial pyramid pooling, bilinear upsampling."""
    import tensorflow as tf
    k, L = _layers()
    backbone = k.applications.MobileNetV2(input_shape=(96, 96, 3), alpha=0.35, weights=None, include_top=False)
    features = backbone.get_layer("block_13_expand_relu").output
    size = features.shape[1]
    branches = [L.ReLU()(L.Conv2D(32, 1)(features))]
    for rate in [2, 4]:
        branches.append(L.ReLU()(L.Conv2D(32, 3, padding="same", dilation_rate=rate)(features)))
    pooled = L.ReLU()(L.Conv2D(32, 1)(tf.reduce_mean(features, axis=[1, 2], keepdims=True)))
    branches.append(tf.image.resize(pooled, [size, size]))
    x = L.ReLU()(L.Conv2D(32, 1)(L.Concatenate()(branches)))
    x = L.Conv2D(5, 1)(x)
    return k.Model(backbone.input, tf.image.resize(x, [96, 96], method="bilinear"))


ARCHITECTURES = {
    "mobilenet_v1": mobilenet_v1, "mobilenet_v2": mobilenet_v2, "inception_v3": inception_v3,
    "resnet_v2_101": resnet_v2_101, "efficientnet_lite": efficientnet_lite, "bert": bert, "albert": albert,
    "mobilebert": mobilebert, "deepspeech_lstm": deepspeech_lstm, "deepspeech_bilstm": deepspeech_bilstm,
    "deepspeech_gru": deepspeech_gru, "wav2letter": wav2letter, "yolo_v3": yolo_v3, "style_transfer": style_transfer,
    "deeplab_v3": deeplab_v3,
}


# ----------------------------------------------------------------------------------------------
def _sample(spec, rng):
    """One random value for a Keras input spec (token ids stay in small vocabularies)."""
    shape = [d or 1 for d in spec.shape]
    dtype = np.dtype(getattr(spec.dtype, "as_numpy_dtype", spec.dtype))
    if np.issubdtype(dtype, np.integer):
        high = 2 if "segment" in spec.name else 400
        return rng.integers(0, high, shape).astype(dtype)
    if "mask" in spec.name:
        return np.ones(shape, np.float32)
    return rng.uniform(-1, 1, shape).astype(np.float32)


def convert(model, mode):
    import tensorflow as tf
    specs = [tf.TensorSpec([d or 1 for d in t.shape], t.dtype, name=t.name.split(":")[0]) for t in model.inputs]
    fn = tf.function(lambda *xs: model(list(xs) if len(xs) > 1 else xs[0]), input_signature=specs)
    converter = tf.lite.TFLiteConverter.from_concrete_functions([fn.get_concrete_function()], model)
    if mode != "float32":
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
    if mode == "float16":
        converter.target_spec.supported_types = [tf.float16]
    if mode in ("int8", "int16x8"):
        def representative():
            # Keyed by input name: the converter orders a model's inputs by name, not as Keras does.
            rng = np.random.default_rng(1)
            for _ in range(8):
                yield {s.name: _sample(t, rng) for s, t in zip(specs, model.inputs)}
        converter.representative_dataset = representative
        converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8] if mode == "int8" else \
            [tf.lite.OpsSet.EXPERIMENTAL_TFLITE_BUILTINS_ACTIVATIONS_INT16_WEIGHTS_INT8]
    return converter.convert()


def litert(path, feeds, resolver, work):
    """LiteRT's outputs in a child process (a LiteRT abort must not end the zoo)."""
    directory = os.path.join(work, "litert_" + resolver)
    os.makedirs(directory, exist_ok=True)
    for name in os.listdir(directory):
        os.remove(os.path.join(directory, name))
    inputs = []
    for i, x in enumerate(feeds):
        inputs.append(os.path.join(work, f"in_{i}.npy"))
        np.save(inputs[-1], x, allow_pickle=False)
    r = subprocess.run([sys.executable, __file__, "--litert", path, resolver, directory] + inputs,
                       capture_output=True, text=True, timeout=3600)
    if r.returncode != 0:
        lines = [line for line in r.stderr.strip().splitlines() if not line.startswith(("W0000", "E0000", "I0000"))]
        raise RuntimeError((lines or ["exit %d" % r.returncode])[-1])
    return [np.load(os.path.join(directory, f"output_{i}.npy")) for i in range(len(os.listdir(directory)))]


def litert_child(path, resolver, directory, inputs):
    from ai_edge_litert.interpreter import Interpreter, OpResolverType
    it = Interpreter(model_path=path, num_threads=1, experimental_op_resolver_type=getattr(OpResolverType, resolver))
    it.allocate_tensors()
    for d, p in zip(it.get_input_details(), inputs):
        it.set_tensor(d["index"], np.load(p))
    it.invoke()
    for i, d in enumerate(it.get_output_details()):
        np.save(os.path.join(directory, f"output_{i}.npy"), np.array(it.get_tensor(d["index"])), allow_pickle=False)


def feeds_for(path, seed):
    from ai_edge_litert.interpreter import Interpreter
    rng = np.random.default_rng(seed)
    out = []
    for d in Interpreter(model_path=path).get_input_details():
        shape, dtype = d["shape"], d["dtype"]
        name = d["name"].lower()
        if np.issubdtype(dtype, np.integer) and dtype not in (np.int8, np.int16, np.uint8):
            out.append(rng.integers(0, 2 if "segment" in name else 400, shape).astype(dtype))
        elif "mask" in name and dtype == np.float32:
            out.append(np.ones(shape, np.float32))
        elif dtype == np.float32:
            out.append(rng.uniform(-1, 1, shape).astype(np.float32))
        else:
            info = np.iinfo(dtype)
            out.append(rng.integers(info.min, info.max + 1, shape).astype(dtype))
    return out


def diff(a, b, steps=None):
    """max |a - b| over all outputs; with `steps` (one scale or None per output), in quantized
    steps of the outputs that have one."""
    worst = 0.0
    for i, (x, y) in enumerate(zip(a, b)):
        if x.size:
            d = float(np.max(np.abs(x.astype(np.float64) - y.astype(np.float64))))
            if steps is not None and steps[i]:
                d /= steps[i]
            worst = max(worst, d)
    return worst


def run_ours(tflrun, path, feeds, work):
    out = os.path.join(work, "ours")
    os.makedirs(out, exist_ok=True)
    for name in os.listdir(out):  # the previous model's outputs
        os.remove(os.path.join(out, name))
    args = [tflrun, "run", path, "--output-dir", out]
    for i, x in enumerate(feeds):
        p = os.path.join(work, f"in_{i}.npy")
        np.save(p, x, allow_pickle=False)
        args += ["--input", p]
    t0 = time.time()
    r = subprocess.run(args, capture_output=True, text=True, timeout=1800)
    seconds = time.time() - t0
    if r.returncode != 0:
        return None, (r.stderr.strip().splitlines() or ["exit %d" % r.returncode])[-1], seconds
    i = 0
    results = []
    while os.path.exists(os.path.join(out, f"output_{i}.npy")):
        results.append(np.load(os.path.join(out, f"output_{i}.npy")))
        i += 1
    return results, None, seconds


def _schema():
    from ai_edge_litert import schema_py_generated as S
    return S, {v: k for k, v in S.BuiltinOperator.__dict__.items() if not k.startswith("_")}


def _op_name(m, names, op):
    c = m.operatorCodes[op.opcodeIndex]
    code = max(c.builtinCode, c.deprecatedBuiltinCode)
    return names.get(code, "?") if code != 32 else "CUSTOM:" + (c.customCode or b"").decode(errors="replace")


def ops_of(buf):
    S, names = _schema()
    m = S.ModelT.InitFromPackedBuf(buf, 0)
    return sorted({_op_name(m, names, op) for sg in m.subgraphs for op in sg.operators})


def output_steps(buf):
    """Per output of the main subgraph: the scale of its quantized values (the output's own, or
    that of the DEQUANTIZE input it comes from), else None."""
    S, names = _schema()
    m = S.ModelT.InitFromPackedBuf(buf, 0)
    sg = m.subgraphs[0]
    producer = {t: op for op in sg.operators for t in op.outputs}

    def scale(t):
        q = sg.tensors[t].quantization
        return float(q.scale[0]) if q is not None and q.scale is not None and len(q.scale) == 1 else None
    result = []
    for t in sg.outputs:
        op = producer.get(t)
        if scale(t):
            result.append(scale(t))
        elif op is not None and _op_name(m, names, op) == "DEQUANTIZE" and scale(op.inputs[0]):
            result.append(scale(op.inputs[0]))
        else:
            result.append(None)
    return result


def expose_all(buf):
    """The model with every operator output of the main subgraph made a subgraph output, and per
    operator (execution order): (index, name, positions of its outputs among the new outputs)."""
    import flatbuffers
    S, names = _schema()
    m = S.ModelT.InitFromPackedBuf(buf, 0)
    sg = m.subgraphs[0]
    outputs = [int(t) for t in sg.outputs]
    operators = []
    for i, op in enumerate(sg.operators):
        positions = []
        for t in op.outputs:
            if t < 0:
                continue
            if t not in outputs:
                outputs.append(int(t))
            positions.append(outputs.index(t))
        operators.append((i, _op_name(m, names, op), positions))
    sg.outputs = outputs
    b = flatbuffers.Builder(len(buf) + 4096)
    b.Finish(m.Pack(b), file_identifier=b"TFL3")
    return bytes(b.Output()), operators


def bisect(path, tflrun, work, seed=7):
    """Runs the model with every intermediate tensor exposed, by us and by both LiteRT resolvers,
    and returns per operator (execution order) its max difference (integer tensors in steps):
    ours vs builtin, ours vs reference, builtin vs reference (None where a resolver failed)."""
    with open(path, "rb") as f:
        exposed, operators = expose_all(f.read())
    probe = os.path.join(work, "bisect.tflite")
    with open(probe, "wb") as f:
        f.write(exposed)
    feeds = feeds_for(path, seed)
    results = {}
    for resolver in ("BUILTIN_WITHOUT_DEFAULT_DELEGATES", "BUILTIN_REF"):
        try:
            results[resolver] = litert(probe, feeds, resolver, work)
        except Exception:
            results[resolver] = None
    got, why, _ = run_ours(tflrun, probe, feeds, work)
    if got is None:
        raise RuntimeError(why)
    builtin, reference = results["BUILTIN_WITHOUT_DEFAULT_DELEGATES"], results["BUILTIN_REF"]

    def d(a, b, positions):
        if a is None or b is None:
            return None
        return max((float(np.max(np.abs(a[p].astype(np.float64) - b[p].astype(np.float64)))) if a[p].size else 0.0)
                   for p in positions) if positions else 0.0
    return [(i, name, d(got, builtin, ps), d(got, reference, ps), d(builtin, reference, ps), got[ps[0]].dtype if ps else None)
            for i, name, ps in operators]


def first_difference(report, column):
    """The first operator whose integer outputs differ (or float outputs by more than 1e-5
    relative) in `column` (2: ours vs builtin, 3: ours vs reference), or None."""
    for entry in report:
        value = entry[column]
        if value is None:
            return None
        tolerance = 0.0 if entry[5] is not None and np.issubdtype(entry[5], np.integer) else 1e-5
        if value > tolerance:
            return entry
    return None


def evaluate(name, mode, path, tflrun, work):
    with open(path, "rb") as f:
        buf = f.read()
    row = {"model": name, "mode": mode, "bytes": len(buf), "ops": ops_of(buf), "date": time.strftime("%Y-%m-%d")}
    feeds = feeds_for(path, 7)
    try:
        builtin = litert(path, feeds, "BUILTIN_WITHOUT_DEFAULT_DELEGATES", work)
    except Exception as e:
        builtin = None
        refusal = str(e).strip().splitlines()[0][:160]
    try:
        reference = litert(path, feeds, "BUILTIN_REF", work)
    except Exception as e:  # some reference kernels abort (exit -6) where the builtin ones run
        reference = None
        row["reference_fails"] = str(e).strip().splitlines()[0][:100]
    got, why, seconds = run_ours(tflrun, path, feeds, work)
    row["seconds"] = round(seconds, 2)
    if builtin is None:
        # Nothing to compare with: say whether we run it all the same.
        row.pop("reference_fails", None)
        row["status"] = "LiteRT fails: " + refusal + ("; tflrun fails: " + why[:120] if got is None else "; tflrun runs it")
        return row
    if got is None:
        row["status"] = "fails: " + why[:200]
        return row
    if len(got) != len(builtin) or any(g.shape != b.shape for g, b in zip(got, builtin)):
        row["status"] = "fails: output shapes %s, LiteRT %s" % ([g.shape for g in got], [b.shape for b in builtin])
        return row
    steps = output_steps(buf)
    quantized = all(s is not None for s in steps)
    row["unit"] = "steps" if quantized else "abs"
    row["diff_builtin"] = diff(got, builtin, steps if quantized else None)
    if reference is not None:
        row["diff_reference"] = diff(got, reference, steps if quantized else None)
        row["builtin_vs_reference"] = diff(builtin, reference, steps if quantized else None)
    scale = max(float(np.max(np.abs(b))) if b.size else 0.0 for b in builtin)
    # Quantized outputs: bit-exact (a float output of DEQUANTIZE within a hundredth of a step:
    # LiteRT's and our dequantization may round the last float bit differently).
    tolerance = 0.01 if quantized else 1e-4 * (1 + scale)
    if row["diff_builtin"] <= tolerance:
        row["status"] = "matches"
        row["kernels"] = "builtin" + (", reference" if reference is not None and row["diff_reference"] <= tolerance else "")
    elif reference is not None and row["diff_reference"] <= tolerance:
        row["status"] = "matches reference kernels"
        row["kernels"] = "reference"
    else:
        row["status"] = "differs"
        try:
            report = bisect(path, tflrun, work)
            for column, key in ((2, "starts_builtin"), (3, "starts_reference")):
                entry = first_difference(report, column)
                if entry is not None:
                    row[key] = "op %d %s (%.3g)" % (entry[0], entry[1], entry[column])
        except Exception as e:
            row["bisect"] = "bisect fails: " + str(e)[:100]
    return row


# Why a row is what it is, where the table alone does not say (found with --bisect).
NOTES = {
    ("style_transfer", "int8"): (
        "LiteRT's builtin and reference kernels end about 20 steps apart on this network (instance "
        "normalization through MEAN, SQUARED_DIFFERENCE and RSQRT amplifies every one-step rounding "
        "difference: its reference CONV_2D, TRANSPOSE_CONV and spatial MEAN round differently from its "
        "optimized ones). We equal the builtin kernels exactly. Before this zoo run we were 20 steps from "
        "both; `--bisect` put the first difference at MEAN (LiteRT's optimized spatial mean), then at "
        "TRANSPOSE_CONV (half-up rounding in 8-channel blocks); both kernels now follow the optimized ones."),
    ("deeplab_v3", "int8"): (
        "Equal to LiteRT's builtin kernels since the spatial-MEAN fix (the ASPP image pooling is a "
        "keep-dims mean over H and W); 2 steps before. The reference kernels differ from both from the "
        "first CONV_2D on (gemmlowp rounding)."),
    ("deepspeech_gru", "float32"): (
        "tf_keras' GRU converts to a WHILE loop whose SLICE takes a size computed inside the loop: the "
        "interpreter prepares such a body at invoke, with the sizes of that run (docs/INTERNALS.md, "
        "dynamic shapes)."),
    ("yolo_v3", "dynamic"): (
        "Equal to LiteRT's reference kernels at every operator (6e-8 at most, 0 at the outputs). Its "
        "builtin kernels part from their own reference at op 6 CONV_2D (3.3e-4): the float 1×1 CONV_2D "
        "before it sums in another order (9e-8), which moves one value of the next hybrid CONV_2D's "
        "input across a quantization step; given their own inputs both resolvers' hybrid convolutions "
        "are what ours computes. LeakyReLU and the residual adds carry that to 2.2e-3 at the outputs."),
    ("style_transfer", "dynamic"): (
        "Matches both resolvers since the hybrid input quantization follows LiteRT's order (the "
        "product v × 1/scale rounded half away from zero, the zero point added after). Before, op 8 "
        "CONV_2D met a product that float32 rounds to a half, rounded it the other way (one input "
        "step, 2e-3), and instance normalization amplified that to 4.6 of 255 at the output."),
    ("albert", "dynamic"): (
        "Matches both resolvers since the hybrid FULLY_CONNECTED follows LiteRT's x86 arithmetic: the "
        "input scale of each row is (max − min) taken in float32, then divided by 255 in double (its "
        "NEON quantizer, which x86 builds run through NEON_2_SSE), and each sum is scaled by input "
        "scale × channel scale in one product. Before, op 6 (the factorized embedding's Dense on "
        "int8 embedding rows, whose values are multiples of the table's scale and so sit on rounding "
        "ties) quantized one of its 16 rows a step apart (8.7e-5) and scaled every row apart in the last "
        "bit; 0.02 at the outputs."),
    ("mobilenet_v1", "int16x8"): (
        "LiteRT 2.3 refuses the converter's int16x8 model at allocation (a bias that could overflow its "
        "int16 convolution, `no_integer_overflow_from_quantization`), so there is nothing to compare with; "
        "the column says whether `tflrun` runs it. Same for the other rows that say so."),
}


def _versions():
    from importlib import metadata
    found = {}
    for label, packages in (("TensorFlow", ("tensorflow-cpu", "tensorflow")), ("LiteRT", ("ai-edge-litert",)),
                            ("tf-keras", ("tf-keras",))):
        for package in packages:
            try:
                found[label] = metadata.version(package)
                break
            except metadata.PackageNotFoundError:
                continue
    return found


def write_table(rows, path):
    versions = _versions()
    dates = sorted({r["date"] for r in rows if "date" in r})
    lines = [
        "# The model zoo",
        "",
        "Held-out models of the architectures the seed documents name, with random weights and small",
        "inputs (reduced widths and resolutions; every operator the full architecture uses), each",
        "converted by the TensorFlow converter in every mode it accepts and run on one seeded random input",
        "by `tflrun run` and by LiteRT, with its builtin (optimized) kernels and with its reference",
        "kernels (`OpResolverType.BUILTIN_REF`). Made by `scripts/zoo.py` (not part of `make test`; it",
        "caches models and rows in `zoo-out/` and resumes where it stopped).",
        "",
        f"Measured {', '.join(dates) or '-'} with TensorFlow {versions.get('TensorFlow', '?')}, "
        f"tf-keras {versions.get('tf-keras', '?')} and LiteRT (ai-edge-litert) {versions.get('LiteRT', '?')}.",
        "",
        "*matches*: our outputs equal LiteRT's builtin kernels: quantized outputs (integer outputs, or",
        "float outputs of a DEQUANTIZE) bit-exact, float outputs within 1e-4 × (1 + max |output|);",
        "*matches reference kernels*: equal to LiteRT's reference kernels where its builtin kernels round",
        "differently. *equal to* says which LiteRT kernels we equal. Differences are max |ours − LiteRT|",
        "over all outputs, in quantized steps (*steps*) or output units (*abs*). *first difference*:",
        "the first operator whose output differs from LiteRT's reference kernels (every intermediate",
        "tensor compared, `scripts/zoo.py --bisect MODEL`). Rows whose *equal to* names only the builtin",
        "kernels and that give no reference figures: LiteRT 2.3's reference kernels abort (SIGABRT) on",
        "that model, so only the builtin kernels were compared.",
        "",
        "| model | mode | result | unit | vs builtin | vs reference | builtin vs reference | equal to | first difference | tflrun s |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        f = lambda k: "" if k not in r else ("%.3g" % r[k])  # noqa: E731
        status = r["status"] + (" (LiteRT's reference kernels fail: %s)" % r["reference_fails"] if "reference_fails" in r else "")
        if (r["model"], r["mode"]) in NOTES:
            status += " [%s]" % (list(NOTES).index((r["model"], r["mode"])) + 1)
        lines.append(f"| {r['model']} | {r['mode']} | {status} | {r.get('unit', '')} | {f('diff_builtin')} | "
                     f"{f('diff_reference')} | {f('builtin_vs_reference')} | {r.get('kernels', '')} | "
                     f"{r.get('starts_reference', r.get('bisect', ''))} | {r.get('seconds', '')} |")
    counts = {}
    for r in rows:
        key = r["status"].split(":")[0].split(" (")[0]
        counts[key] = counts.get(key, 0) + 1
    lines += ["", f"{len(rows)} rows: " + ", ".join(f"{v} {k}" for k, v in sorted(counts.items())) + "."]
    done = {(r["model"], r["mode"]) for r in rows}
    missing = [f"{name} ({', '.join(m for m in MODES if (name, m) not in done)})" for name in ARCHITECTURES
               if any((name, m) not in done for m in MODES)]
    if missing:
        lines += ["", "Not measured yet (`scripts/zoo.py` continues): " + "; ".join(missing) + "."]
    if NOTES:
        lines += ["", "Notes:", ""]
        lines += [f"{i + 1}. {model} {mode}: {text}" for i, ((model, mode), text) in enumerate(NOTES.items())]
    lines.append("")
    with open(path, "w") as f:
        f.write("\n".join(lines))


def build_child(plan, models):
    """Builds each architecture of `plan` ("name:mode,mode;name:…") and converts it in each
    mode, printing one JSON line per mode as soon as it is done (the model is in `models`, or a
    .status file there says why the converter refused): one TensorFlow import for the zoo."""
    import tf_keras
    for item in plan.split(";"):
        name, modes = item.split(":")
        tf_keras.utils.set_random_seed(zlib_seed(name))
        model = ARCHITECTURES[name]()
        for mode in modes.split(","):
            print(json.dumps({"model": name, "mode": mode, "started": True}), flush=True)
            try:
                buf = convert(model, mode)
            except Exception as e:
                _write(_cached(models, name, mode)[1], "converter refuses: " + str(e).strip().splitlines()[0][:160])
            else:
                _write(_cached(models, name, mode)[0], buf)
            print(json.dumps({"model": name, "mode": mode, "done": True}), flush=True)
        tf_keras.backend.clear_session()


def _cached(models, name, mode):
    """The paths of a conversion's model and of its status (why there is no model)."""
    base = os.path.join(models, f"{name}_{mode}")
    return base + ".tflite", base + ".status"


def _write(path, content):
    temporary = path + ".partial"
    with open(temporary, "wb" if isinstance(content, bytes) else "w") as f:
        f.write(content)
    os.replace(temporary, path)


def converted(todo, models):
    """Yields (name, mode, path or None, status) for each (name, mode) of `todo`: cached
    conversions first, then as the converter child makes them (so LiteRT and tflrun run while it
    converts the next); a child that crashes fails the conversion it was doing (recorded, as a
    refusal is) and a new one takes the rest."""
    def result(name, mode):
        path, status = _cached(models, name, mode)
        if os.path.exists(path):
            return name, mode, path, None
        with open(status) as f:
            return name, mode, None, f.read()
    left = []
    for name, mode in todo:
        if any(os.path.exists(p) for p in _cached(models, name, mode)):
            yield result(name, mode)
        else:
            left.append((name, mode))
    while left:
        runs = []  # consecutive modes of one architecture share one build
        for name, mode in left:
            if runs and runs[-1][0] == name:
                runs[-1][1].append(mode)
            else:
                runs.append((name, [mode]))
        plan = ";".join(f"{name}:{','.join(modes)}" for name, modes in runs)
        # The converter and calibration under `nice` (the machine is shared); a zoo already
        # started with `nice` passes its niceness on instead of adding more.
        child = subprocess.Popen((["nice"] if os.nice(0) == 0 else []) + [sys.executable, __file__, "--build", plan, models],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        started = None
        for line in child.stdout:
            if not line.startswith("{"):
                continue
            event = json.loads(line)
            key = (event["model"], event["mode"])
            if event.get("started"):
                started = key
                continue
            left.remove(key)
            started = None
            yield result(*key)
        stderr = child.stderr.read()
        if child.wait() != 0:
            lines = [line for line in stderr.strip().splitlines() if not line.startswith(("W0000", "E0000", "I0000"))]
            failed = started or (left[0] if left else None)
            if failed is None:
                return
            left.remove(failed)
            _write(_cached(models, *failed)[1], "converter crashes (exit %d): %s" % (child.returncode, (lines or [""])[-1][:140]))
            yield result(*failed)


def print_bisect(path, tflrun, work):
    report = bisect(path, tflrun, work)
    print(f"{'op':>4} {'name':28} {'dtype':8} {'ours-builtin':>13} {'ours-ref':>13} {'builtin-ref':>13}")
    fmt = lambda v: "fails" if v is None else "%.4g" % v  # noqa: E731
    for i, name, a, b, c, dtype in report:
        print(f"{i:4} {name[:28]:28} {str(dtype):8} {fmt(a):>13} {fmt(b):>13} {fmt(c):>13}")
    for column, label in ((2, "builtin"), (3, "reference")):
        entry = first_difference(report, column)
        print(f"first difference from LiteRT's {label} kernels: " +
              ("none" if entry is None else f"op {entry[0]} {entry[1]} ({entry[column]:.4g})"))


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--litert":
        litert_child(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:])
        return
    if len(sys.argv) > 1 and sys.argv[1] == "--build":
        build_child(sys.argv[2], sys.argv[3])
        return
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tflrun", default=os.path.join(ROOT, ".build/release/tflrun"))
    ap.add_argument("--work", default=os.path.join(ROOT, "zoo-out"),
                    help="cache of models (models/), rows (rows.json) and scratch files (git-ignored)")
    ap.add_argument("--only", help="fnmatch pattern of architecture names")
    ap.add_argument("--modes", default=",".join(MODES))
    ap.add_argument("--table", default=os.path.join(ROOT, "docs/ZOO.md"))
    ap.add_argument("--rerun", action="store_true",
                    help="evaluate the selected rows again (cached models are kept; delete one to convert it again)")
    ap.add_argument("--cached-only", action="store_true", help="only rows whose conversion is cached (no converter run)")
    ap.add_argument("--first", default="", help="comma-separated NAME or NAME:MODE rows to do before the others")
    ap.add_argument("--bisect", metavar="MODEL", help="compare every intermediate tensor of one model and print where it differs")
    args = ap.parse_args()
    os.makedirs(os.path.join(args.work, "models"), exist_ok=True)
    if args.bisect:
        print_bisect(args.bisect, args.tflrun, args.work)
        return
    rows_path = os.path.join(args.work, "rows.json")
    rows = []
    previous = {}
    if os.path.exists(rows_path):
        with open(rows_path) as f:
            previous = {(r["model"], r["mode"]): r for r in json.load(f)}
    order = {n: i for i, n in enumerate(ARCHITECTURES)}

    def save():
        # Written after every row, so an interrupted run keeps what it measured.
        done = {(r["model"], r["mode"]) for r in rows}
        table = rows + [r for key, r in previous.items() if key not in done and key[0] in ARCHITECTURES]
        table.sort(key=lambda r: (order.get(r["model"], 99), MODES.index(r["mode"]) if r["mode"] in MODES else 9))
        write_table(table, args.table)
        _write(rows_path, json.dumps(table, indent=1))

    todo = [(name, mode) for name in ARCHITECTURES if not args.only or fnmatch.fnmatch(name, args.only)
            for mode in args.modes.split(",") if args.rerun or (name, mode) not in previous]
    if args.cached_only:
        todo = [key for key in todo if any(os.path.exists(p) for p in _cached(os.path.join(args.work, "models"), *key))]
    first = [item for item in args.first.split(",") if item]
    todo.sort(key=lambda key: next((i for i, item in enumerate(first) if item in (key[0], f"{key[0]}:{key[1]}")), len(first)))
    t0 = time.time()
    for name, mode, path, status in converted(todo, os.path.join(args.work, "models")):
        row = {"model": name, "mode": mode, "status": status} if path is None else evaluate(name, mode, path, args.tflrun, args.work)
        rows.append(row)
        save()
        print(f"{name:18} {mode:8} {row['status'][:110]}  ({time.time() - t0:.0f}s)", flush=True)
        t0 = time.time()
    save()


def zlib_seed(name):
    import zlib
    return zlib.crc32(name.encode()) & 0x7FFFFFFF


if __name__ == "__main__":
    main()
