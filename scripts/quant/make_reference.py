#!/usr/bin/env python3
"""Builds the quantization reference networks and the TFLite converter's quantized models of them.

Six networks with seeded random weights (the measures compare quantizers against each other on
the same float model, so trained weights are not needed), at small input sizes:

  mobilenet_v2       keras.applications.MobileNetV2, 224x224x3 in [-1, 1], 1000 logits
  efficientnet_lite0 EfficientNet-B0's block table without squeeze-excite and with ReLU6 (what
                     "Lite" means), built from Keras layers, 224x224x3 in [-1, 1], 1000 logits
  inception_v3       keras.applications.InceptionV3 at its smallest input, 75x75x3 in [-1, 1]
  bert_encoder       BERT-style encoder: 2 layers, hidden 128, 2 heads, FFN 512, seq 128, vocab
                     30522; int32 word ids / segment ids / mask; token, segment and position
                     embeddings are GATHERs; outputs the sequence output and 2 logits
  speech_conv1d      1 s of 16 kHz audio [1, 16000, 1] in [-1, 1] -> Conv1D stack -> 12 logits
  yolo_tiny          YOLO-style detector, 160x160x3 in [0, 1], LeakyReLU, UpSampling2D,
                     Concatenate, two heads (5x5 and 10x10, 3 anchors x (5 + 20 classes))

Batch-norm statistics are set from one batch of the calibration-like data (momentum 0, one
training-mode pass), so activations keep a realistic scale through the depth of the network
instead of vanishing as they do with untouched random weights. Classifier heads give logits
(no softmax) so that SQNR measures the network, not a saturated softmax.

For each network, in bench-out/quant/<model>/ (gitignored):
  float32.tflite
  converter/{float16,dynamic,int8,int16x8}.tflite   the TF 2.19 converter's models; int8 is full
                     integer with uint8 I/O on float inputs; refusals are recorded
  calibration/input_<i>.npy  100 samples per model input, in the model's input order, samples on
                     axis 0 in place of the batch axis: [100, d1, ...] for an input [1, d1, ...]
                     (the layout `tflquant --calibration` reads)
  heldout/input_<i>.npy      20 held-out samples, same layout, another seed
  manifest.json      inputs (name, shape, dtype, range), outputs, per mode: file, size, converter
                     wall time of convert() (seconds, in process), or the refusal message

usage: make_reference.py [--models NAME...] [--out bench-out/quant] [--samples 100] [--heldout 20]
"""
import argparse
import json
import os
import pathlib
import sys
import time
import traceback

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import numpy as np
import tensorflow as tf
import keras
from keras import layers

REPO = pathlib.Path(__file__).resolve().parents[2]
SEED = 20261205
MODES = ["float16", "dynamic", "int8", "int16x8"]


# ----------------------------------------------------------------------------- data

def smooth_images(rng, n, h, w, lo, hi):
    """Image-like samples: low-frequency colour fields plus edges and a little noise, in [lo, hi]."""
    out = np.empty((n, 1, h, w, 3), np.float32)
    for i in range(n):
        coarse = rng.uniform(0, 1, (1, int(rng.integers(3, 9)), int(rng.integers(3, 9)), 3)).astype(np.float32)
        img = tf.image.resize(coarse, (h, w), method="bicubic").numpy()[0]
        # a few rectangles (edges), then noise
        for _ in range(int(rng.integers(1, 5))):
            y0, x0 = rng.integers(0, h - 4), rng.integers(0, w - 4)
            y1, x1 = y0 + rng.integers(4, h // 2), x0 + rng.integers(4, w // 2)
            img[y0:y1, x0:x1] = rng.uniform(0, 1, 3)
        img += rng.normal(0, 0.03, img.shape)
        img = np.clip(img, 0, 1)
        out[i, 0] = lo + (hi - lo) * img
    return out


def audio(rng, n, length=16000):
    """1 s clips at 16 kHz: a few tones with envelopes plus noise, peak below 1."""
    t = np.arange(length, dtype=np.float32) / 16000
    out = np.empty((n, 1, length, 1), np.float32)
    for i in range(n):
        x = np.zeros(length, np.float32)
        for _ in range(int(rng.integers(1, 5))):
            f = rng.uniform(80, 4000)
            env = np.exp(-((t - rng.uniform(0, 1)) ** 2) / (2 * rng.uniform(0.02, 0.3) ** 2))
            x += rng.uniform(0.1, 0.5) * env * np.sin(2 * np.pi * f * t + rng.uniform(0, 6.3))
        x += rng.normal(0, rng.uniform(0.001, 0.05), length)
        x /= max(1.0, float(np.abs(x).max()) / 0.95)
        out[i, 0, :, 0] = x
    return out


def tokens(rng, n, seq, vocab):
    """BERT-like batches: [CLS] a [SEP] b [SEP] padding, ids within the vocabulary, mask and segments to match."""
    ids = np.zeros((n, 1, seq), np.int32)
    seg = np.zeros((n, 1, seq), np.int32)
    mask = np.zeros((n, 1, seq), np.int32)
    for i in range(n):
        length = int(rng.integers(8, seq + 1))
        a = int(rng.integers(1, length - 2))
        body = rng.integers(1000, vocab, length)
        body[0], body[a], body[length - 1] = 101, 102, 102
        ids[i, 0, :length] = body
        seg[i, 0, a + 1:length] = 1
        mask[i, 0, :length] = 1
    return {"input_word_ids": ids, "input_type_ids": seg, "input_mask": mask}


# ----------------------------------------------------------------------------- networks

def fit_batch_norm(model, batch):
    """Sets every BatchNormalization's moving statistics to one batch's (momentum 0, training pass)."""
    bns = [l for l in model._flatten_layers() if isinstance(l, layers.BatchNormalization)]
    if not bns:
        return
    saved = [l.momentum for l in bns]
    for l in bns:
        l.momentum = 0.0
    model(batch, training=True)
    for l, m in zip(bns, saved):
        l.momentum = m


def mobilenet_v2():
    inp = keras.Input((224, 224, 3), batch_size=1, name="image")
    return keras.applications.MobileNetV2(input_tensor=inp, weights=None, classes=1000,
                                          classifier_activation=None)


def efficientnet_lite0():
    # EfficientNet-B0's stages (expand, kernel, stride, channels, repeats); Lite: no SE, ReLU6,
    # stem and head not scaled. Approximation: no stochastic depth / dropout (inference only).
    stages = [(1, 3, 1, 16, 1), (6, 3, 2, 24, 2), (6, 5, 2, 40, 2), (6, 3, 2, 80, 3),
              (6, 5, 1, 112, 3), (6, 5, 2, 192, 4), (6, 3, 1, 320, 1)]
    relu6 = lambda: layers.ReLU(6.0)
    inp = keras.Input((224, 224, 3), batch_size=1, name="image")
    x = layers.Conv2D(32, 3, strides=2, padding="same", use_bias=False)(inp)
    x = relu6()(layers.BatchNormalization()(x))
    cin = 32
    for expand, k, s, cout, reps in stages:
        for r in range(reps):
            stride = s if r == 0 else 1
            y = x
            if expand != 1:
                y = layers.Conv2D(cin * expand, 1, use_bias=False)(y)
                y = relu6()(layers.BatchNormalization()(y))
            y = layers.DepthwiseConv2D(k, strides=stride, padding="same", use_bias=False)(y)
            y = relu6()(layers.BatchNormalization()(y))
            y = layers.Conv2D(cout, 1, use_bias=False)(y)
            y = layers.BatchNormalization()(y)
            if stride == 1 and cin == cout:
                y = layers.Add()([x, y])
            x, cin = y, cout
    x = layers.Conv2D(1280, 1, use_bias=False)(x)
    x = relu6()(layers.BatchNormalization()(x))
    x = layers.GlobalAveragePooling2D()(x)
    out = layers.Dense(1000, name="logits")(x)
    return keras.Model(inp, out, name="efficientnet_lite0")


def inception_v3():
    inp = keras.Input((75, 75, 3), batch_size=1, name="image")
    return keras.applications.InceptionV3(input_tensor=inp, weights=None, classes=1000,
                                          classifier_activation=None)


def speech_conv1d():
    inp = keras.Input((16000, 1), batch_size=1, name="audio")
    x = inp
    for filters, k, stride, pool in [(32, 80, 4, 4), (32, 3, 1, 4), (64, 3, 1, 4), (128, 3, 1, 4)]:
        x = layers.Conv1D(filters, k, strides=stride, padding="same", use_bias=False)(x)
        x = layers.ReLU()(layers.BatchNormalization()(x))
        x = layers.MaxPooling1D(pool)(x)
    x = layers.GlobalAveragePooling1D()(x)
    x = layers.Dense(64, activation="relu")(x)
    out = layers.Dense(12, name="logits")(x)
    return keras.Model(inp, out, name="speech_conv1d")


def yolo_tiny():
    def cbl(x, f, k=3, s=1):
        x = layers.Conv2D(f, k, strides=s, padding="same", use_bias=False)(x)
        return layers.LeakyReLU(0.1)(layers.BatchNormalization()(x))

    inp = keras.Input((160, 160, 3), batch_size=1, name="image")
    x = inp
    for f in [16, 32, 64, 128]:
        x = layers.MaxPooling2D(2)(cbl(x, f))
    route = cbl(x, 256)                                  # 10x10
    x = layers.MaxPooling2D(2)(route)                    # 5x5
    x = cbl(x, 512)
    x = cbl(x, 1024)
    x = cbl(x, 256, 1)
    h1 = cbl(x, 512)
    out1 = layers.Conv2D(75, 1, name="head_coarse")(h1)
    y = cbl(x, 128, 1)
    y = layers.UpSampling2D(2)(y)
    y = layers.Concatenate()([y, route])
    y = cbl(y, 256)
    out2 = layers.Conv2D(75, 1, name="head_fine")(y)
    return keras.Model(inp, [out1, out2], name="yolo_tiny")


class BertEncoder(tf.Module):
    """A BERT-style encoder written with TensorFlow ops (GATHER embeddings, FC, BATCH_MATMUL)."""

    def __init__(self, vocab=30522, hidden=128, heads=2, ffn=512, layers_=2, seq=128, seed=SEED):
        super().__init__()
        g = tf.random.Generator.from_seed(seed)
        init = lambda *shape: tf.Variable(g.truncated_normal(shape, stddev=0.02))
        zeros = lambda *shape: tf.Variable(tf.zeros(shape))
        ones = lambda *shape: tf.Variable(tf.ones(shape))
        self.seq, self.hidden, self.heads = seq, hidden, heads
        self.word = init(vocab, hidden)
        self.segment = init(2, hidden)
        self.position = init(seq, hidden)
        self.emb_ln = (ones(hidden), zeros(hidden))
        self.blocks = []
        for _ in range(layers_):
            self.blocks.append(dict(
                qkv=[(init(hidden, hidden), zeros(hidden)) for _ in range(3)],
                out=(init(hidden, hidden), zeros(hidden)), ln1=(ones(hidden), zeros(hidden)),
                ff1=(init(hidden, ffn), zeros(ffn)), ff2=(init(ffn, hidden), zeros(hidden)),
                ln2=(ones(hidden), zeros(hidden))))
        self.pool = (init(hidden, hidden), zeros(hidden))
        self.cls = (init(hidden, 2), zeros(2))

    @staticmethod
    def _ln(x, p):
        mean, var = tf.nn.moments(x, axes=[-1], keepdims=True)
        return (x - mean) * tf.math.rsqrt(var + 1e-12) * p[0] + p[1]

    @staticmethod
    def _dense(x, p):
        return tf.matmul(x, p[0]) + p[1]

    @tf.function(input_signature=[tf.TensorSpec([1, 128], tf.int32, name="input_word_ids"),
                                  tf.TensorSpec([1, 128], tf.int32, name="input_type_ids"),
                                  tf.TensorSpec([1, 128], tf.int32, name="input_mask")])
    def __call__(self, input_word_ids, input_type_ids, input_mask):
        h, n, d = self.hidden, self.heads, self.hidden // self.heads
        x = tf.gather(self.word, input_word_ids) + tf.gather(self.segment, input_type_ids) + self.position[None]
        x = tf.reshape(self._ln(x, self.emb_ln), [self.seq, h])
        bias = (1.0 - tf.cast(input_mask, tf.float32))[:, None, None, :] * -10000.0  # [1,1,1,seq]
        for b in self.blocks:
            q, k, v = [tf.transpose(tf.reshape(self._dense(x, p), [1, self.seq, n, d]), [0, 2, 1, 3]) for p in b["qkv"]]
            att = tf.nn.softmax(tf.matmul(q, k, transpose_b=True) * (d ** -0.5) + bias)
            ctx = tf.reshape(tf.transpose(tf.matmul(att, v), [0, 2, 1, 3]), [self.seq, h])
            x = self._ln(x + self._dense(ctx, b["out"]), b["ln1"])
            ff = self._dense(tf.nn.gelu(self._dense(x, b["ff1"]), approximate=True), b["ff2"])
            x = self._ln(x + ff, b["ln2"])
        pooled = tf.tanh(self._dense(x[:1], self.pool))
        return {"sequence_output": tf.reshape(x, [1, self.seq, h]), "logits": self._dense(pooled, self.cls)}


# name -> (builder, data(rng, n) -> {input name: array [n, 1, ...]}, description of the inputs' range)
NETWORKS = {
    "mobilenet_v2": (mobilenet_v2, lambda rng, n: {"image": smooth_images(rng, n, 224, 224, -1, 1)}, "[-1, 1]"),
    "efficientnet_lite0": (efficientnet_lite0, lambda rng, n: {"image": smooth_images(rng, n, 224, 224, -1, 1)}, "[-1, 1]"),
    "inception_v3": (inception_v3, lambda rng, n: {"image": smooth_images(rng, n, 75, 75, -1, 1)}, "[-1, 1]"),
    "bert_encoder": (BertEncoder, lambda rng, n: tokens(rng, n, 128, 30522), "token ids in [0, 30522), segments 0/1, mask 0/1"),
    "speech_conv1d": (speech_conv1d, lambda rng, n: {"audio": audio(rng, n)}, "[-1, 1]"),
    "yolo_tiny": (yolo_tiny, lambda rng, n: {"image": smooth_images(rng, n, 160, 160, 0, 1)}, "[0, 1]"),
}


# ----------------------------------------------------------------------------- conversion

def converter_for(net):
    if isinstance(net, tf.Module) and not isinstance(net, keras.Model):
        return tf.lite.TFLiteConverter.from_concrete_functions([net.__call__.get_concrete_function()], net)
    return tf.lite.TFLiteConverter.from_keras_model(net)


def convert(net, mode, representative):
    c = converter_for(net)
    if mode == "float16":
        c.optimizations = [tf.lite.Optimize.DEFAULT]
        c.target_spec.supported_types = [tf.float16]
    elif mode == "dynamic":
        c.optimizations = [tf.lite.Optimize.DEFAULT]
    elif mode == "int8":
        c.optimizations = [tf.lite.Optimize.DEFAULT]
        c.representative_dataset = representative
        c.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
        c.inference_input_type = tf.uint8
        c.inference_output_type = tf.uint8
    elif mode == "int16x8":
        c.optimizations = [tf.lite.Optimize.DEFAULT]
        c.representative_dataset = representative
        c.target_spec.supported_ops = [tf.lite.OpsSet.EXPERIMENTAL_TFLITE_BUILTINS_ACTIVATIONS_INT16_WEIGHTS_INT8]
    start = time.perf_counter()
    blob = c.convert()
    return blob, time.perf_counter() - start


def litert_io(path):
    from ai_edge_litert.interpreter import Interpreter
    it = Interpreter(model_path=str(path))
    desc = lambda d: {"name": d["name"], "shape": [int(s) for s in d["shape"]], "dtype": np.dtype(d["dtype"]).name}
    return [desc(d) for d in it.get_input_details()], [desc(d) for d in it.get_output_details()]


def match_input(tflite_name, data):
    """The data key a converted model's input name stands for (the converter prefixes and suffixes names)."""
    for key in sorted(data, key=len, reverse=True):
        if key in tflite_name:
            return key
    raise SystemExit(f"make_reference: no data for model input {tflite_name!r} (have {sorted(data)})")


def build_one(name, out_root, n_calib, n_held):
    builder, data_fn, value_range = NETWORKS[name]
    out = out_root / name
    (out / "converter").mkdir(parents=True, exist_ok=True)
    (out / "calibration").mkdir(exist_ok=True)
    (out / "heldout").mkdir(exist_ok=True)
    keras.utils.set_random_seed(SEED)
    rng = np.random.default_rng(SEED)
    calib = data_fn(rng, n_calib)
    held = data_fn(np.random.default_rng(SEED + 1), n_held)
    t0 = time.perf_counter()
    net = builder()
    if isinstance(net, keras.Model):
        fit_batch_norm(net, {k: v[:16, 0] for k, v in calib.items()}[next(iter(calib))])
    build_s = time.perf_counter() - t0

    blob, seconds = convert(net, "float32", None)
    (out / "float32.tflite").write_bytes(blob)
    inputs, outputs = litert_io(out / "float32.tflite")
    keys = [match_input(d["name"], calib) for d in inputs]
    for i, key in enumerate(keys):
        np.save(out / "calibration" / f"input_{i}.npy", calib[key][:, 0])
        np.save(out / "heldout" / f"input_{i}.npy", held[key][:, 0])
        inputs[i]["data_key"] = key
        inputs[i]["range"] = value_range

    def representative():
        for s in range(n_calib):
            yield [calib[k][s] for k in keys]

    manifest = {"model": name, "seed": SEED, "tensorflow": tf.__version__, "build_seconds": round(build_s, 3),
                "inputs": inputs, "outputs": outputs, "calibration_samples": n_calib, "heldout_samples": n_held,
                "modes": {"float32": {"file": "float32.tflite", "size": len(blob), "seconds": round(seconds, 3)}}}
    print(f"{name}: float32 {len(blob):,} bytes, convert {seconds:.2f} s", flush=True)
    for mode in MODES:
        entry = {"io": "uint8" if mode == "int8" else "float"}
        try:
            blob, seconds = convert(net, mode, representative)
            path = out / "converter" / f"{mode}.tflite"
            path.write_bytes(blob)
            entry.update(file=f"converter/{mode}.tflite", size=len(blob), seconds=round(seconds, 3))
            print(f"{name}: {mode} {len(blob):,} bytes, convert {seconds:.2f} s", flush=True)
        except Exception as error:  # the converter's refusal is a result
            message = " ".join(str(error).split())
            entry["refused"] = message[:600]
            (out / "converter" / f"{mode}.tflite").unlink(missing_ok=True)
            print(f"{name}: {mode} REFUSED by the converter: {message[:200]}", flush=True)
        manifest["modes"][mode] = entry
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--models", nargs="*", default=list(NETWORKS), choices=list(NETWORKS))
    ap.add_argument("--out", default=str(REPO / "bench-out" / "quant"))
    ap.add_argument("--samples", type=int, default=100)
    ap.add_argument("--heldout", type=int, default=20)
    args = ap.parse_args()
    for name in args.models:
        try:
            build_one(name, pathlib.Path(args.out), args.samples, args.heldout)
        except Exception:
            traceback.print_exc()
            print(f"make_reference: {name} failed", file=sys.stderr)
            sys.exit(1)


if __name__ == "__main__":
    main()
