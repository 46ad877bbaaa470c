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
max |reference|); integers: bit-exact), the largest difference against each LiteRT resolver,
or why it fails. Models live under --work (not committed).

Not part of `make test` (several minutes). Run:
    .venv/bin/python scripts/zoo.py [--tflrun .build/release/tflrun] [--only PATTERN] [--modes float32,int8]
                                    [--json rows.json [--resume]]
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
    k, _ = _layers()
    return k.applications.ResNet101V2(input_shape=(64, 64, 3), weights=None, classes=10)


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
    "efficientnet_lite": efficientnet_lite, "bert": bert, "albert": albert,
    "mobilebert": mobilebert, "deepspeech_lstm": deepspeech_lstm, "deepspeech_bilstm": deepspeech_bilstm,
    "deepspeech_gru": deepspeech_gru, "wav2letter": wav2letter, "yolo_v3": yolo_v3, "style_transfer": style_transfer,
    "deeplab_v3": deeplab_v3, "resnet_v2_101": resnet_v2_101,
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
            rng = np.random.default_rng(1)
            for _ in range(8):
                yield [_sample(t, rng) for t in model.inputs]
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


def diff(a, b):
    return max((float(np.max(np.abs(x.astype(np.float64) - y.astype(np.float64)))) if x.size else 0.0) for x, y in zip(a, b))


def ours(tflrun, path, feeds, work):
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


def ops_of(buf):
    from ai_edge_litert import schema_py_generated as S
    names = {v: k for k, v in S.BuiltinOperator.__dict__.items() if not k.startswith("_")}
    m = S.ModelT.InitFromPackedBuf(buf, 0)
    found = set()
    for sg in m.subgraphs:
        for op in sg.operators:
            c = m.operatorCodes[op.opcodeIndex]
            found.add(names.get(max(c.builtinCode, c.deprecatedBuiltinCode), "?"))
    return sorted(found)


def evaluate(name, mode, path, tflrun, work):
    with open(path, "rb") as f:
        buf = f.read()
    row = {"model": name, "mode": mode, "bytes": len(buf), "ops": ops_of(buf)}
    feeds = feeds_for(path, 7)
    try:
        builtin = litert(path, feeds, "BUILTIN_WITHOUT_DEFAULT_DELEGATES", work)
    except Exception as e:
        row["status"] = "LiteRT fails: " + str(e).strip().splitlines()[0][:160]
        return row
    try:
        reference = litert(path, feeds, "BUILTIN_REF", work)
    except Exception as e:  # some reference kernels abort (exit -6) where the builtin ones run
        reference = None
        row["reference"] = "LiteRT's reference kernels fail: " + str(e).strip().splitlines()[0][:100]
    got, why, seconds = ours(tflrun, path, feeds, work)
    row["seconds"] = round(seconds, 2)
    if got is None:
        row["status"] = "fails: " + why[:200]
        return row
    if len(got) != len(builtin) or any(g.shape != b.shape for g, b in zip(got, builtin)):
        row["status"] = "fails: output shapes %s, LiteRT %s" % ([g.shape for g in got], [b.shape for b in builtin])
        return row
    row["diff_builtin"] = diff(got, builtin)
    if reference is not None:
        row["diff_reference"] = diff(got, reference)
        row["builtin_vs_reference"] = diff(builtin, reference)
    is_float = all(np.issubdtype(b.dtype, np.floating) for b in builtin)
    scale = max(float(np.max(np.abs(b))) if b.size else 0.0 for b in builtin)
    tolerance = 1e-4 * (1 + scale) if is_float else 0.0
    if row["diff_builtin"] <= tolerance:
        row["status"] = "matches"
    elif reference is not None and row["diff_reference"] <= tolerance:
        row["status"] = "matches reference kernels"
    else:
        row["status"] = "differs"
    if "reference" in row:
        row["status"] += " (" + row["reference"] + ")"
    return row


def write_table(rows, path):
    lines = [
        "# The model zoo",
        "",
        "Held-out models of the seed architectures, random weights and small inputs, each converted by the",
        "TF 2.19 converter in every mode it accepts, run on one seeded random input by `tflrun run` and by",
        "LiteRT 2.3 (builtin kernels, and reference kernels). Made by `scripts/zoo.py` (not part of",
        "`make test`; several minutes). *matches*: floats within 1e-4 × (1 + max |output|) of LiteRT's",
        "builtin kernels, integers bit-exact; *matches reference kernels*: equal to LiteRT's reference",
        "kernels where its builtin (optimized) kernels round differently. Differences are max |ours − LiteRT|",
        "over all outputs, in output units (quantized steps for integer outputs).",
        "",
        "| model | mode | result | vs builtin | vs reference | builtin vs reference | tflrun s |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        f = lambda k: "" if k not in r else ("%.3g" % r[k])  # noqa: E731
        lines.append(f"| {r['model']} | {r['mode']} | {r['status']} | {f('diff_builtin')} | {f('diff_reference')} | "
                     f"{f('builtin_vs_reference')} | {r.get('seconds', '')} |")
    counts = {}
    for r in rows:
        key = r["status"].split(":")[0].split(" (")[0]
        counts[key] = counts.get(key, 0) + 1
    lines += ["", "Totals: " + ", ".join(f"{v} {k}" for k, v in sorted(counts.items())) + "."]
    done = {(r["model"], r["mode"]) for r in rows}
    missing = [f"{name} ({', '.join(m for m in MODES if (name, m) not in done)})" for name in ARCHITECTURES
               if any((name, m) not in done for m in MODES)]
    if missing:
        lines += ["", "Not measured in this run (`scripts/zoo.py --json rows.json --resume` continues it): " + "; ".join(missing) + "."]
    lines.append("")
    with open(path, "w") as f:
        f.write("\n".join(lines))


def build_child(plan, work):
    """Builds each architecture of `plan` ("name:mode,mode;name:…") and converts it in each
    mode, printing one JSON line per mode (the model's path, or why the converter refused) as
    soon as it is done: one TensorFlow import for the whole zoo."""
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
                print(json.dumps({"model": name, "mode": mode,
                                  "status": "converter refuses: " + str(e).strip().splitlines()[0][:160]}), flush=True)
                continue
            path = os.path.join(work, f"{name}_{mode}.tflite")
            with open(path, "wb") as f:
                f.write(buf)
            print(json.dumps({"model": name, "mode": mode, "path": path}), flush=True)
        tf_keras.backend.clear_session()


def converted(todo, work):
    """Yields (name, mode, path or None, status) for each (name, mode) of `todo` as the
    converter child makes them (so LiteRT and tflrun run while it converts the next); a child
    that crashes fails the conversion it was doing and a new one takes the rest."""
    left = list(todo)
    while left:
        plan = ";".join(f"{name}:{','.join(m for n, m in left if n == name)}"
                        for name in dict.fromkeys(n for n, _ in left))
        child = subprocess.Popen([sys.executable, __file__, "--build", plan, work], stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True)
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
            yield key[0], key[1], event.get("path"), event.get("status")
        stderr = child.stderr.read()
        if child.wait() != 0:
            lines = [line for line in stderr.strip().splitlines() if not line.startswith(("W0000", "E0000", "I0000"))]
            failed = started or (left[0] if left else None)
            if failed is None:
                return
            left.remove(failed)
            yield failed[0], failed[1], None, "converter crashes (exit %d): %s" % (child.returncode, (lines or [""])[-1][:140])


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--litert":
        litert_child(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:])
        return
    if len(sys.argv) > 1 and sys.argv[1] == "--build":
        build_child(sys.argv[2], sys.argv[3])
        return
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tflrun", default=os.path.join(ROOT, ".build/release/tflrun"))
    ap.add_argument("--work", default="/tmp/tflite-zoo")
    ap.add_argument("--only", help="fnmatch pattern of architecture names")
    ap.add_argument("--modes", default=",".join(MODES))
    ap.add_argument("--table", default=os.path.join(ROOT, "docs/ZOO.md"))
    ap.add_argument("--json", default=None, help="also write the rows as JSON here (rows of other models are kept)")
    ap.add_argument("--resume", action="store_true", help="skip model × mode rows the --json file already has")
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)
    rows = []
    previous = {}
    if args.json and os.path.exists(args.json):
        previous = {(r["model"], r["mode"]): r for r in json.load(open(args.json))}
    order = {n: i for i, n in enumerate(ARCHITECTURES)}

    def save():
        # Written after every row, so an interrupted run keeps what it measured.
        done = {(r["model"], r["mode"]) for r in rows}
        table = rows + [r for key, r in previous.items() if key not in done]
        table.sort(key=lambda r: (order.get(r["model"], 99), MODES.index(r["mode"]) if r["mode"] in MODES else 9))
        write_table(table, args.table)
        if args.json:
            with open(args.json, "w") as f:
                json.dump(table, f, indent=1)

    todo = [(name, mode) for name in ARCHITECTURES if not args.only or fnmatch.fnmatch(name, args.only)
            for mode in args.modes.split(",") if not (args.resume and (name, mode) in previous)]
    t0 = time.time()
    for name, mode, path, status in converted(todo, args.work):
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
