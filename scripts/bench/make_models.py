#!/usr/bin/env python3
"""Builds the interpreter benchmark models with the real TFLite converter (weights random:
speed does not depend on training). Writes bench-out/models/<name>.tflite (not committed).

MobileNetV2 224 in float32, float16 weights, dynamic range and full int8; EfficientNet-B0 in
float32 and int8; and the DigitClassifier sample's small CNN (copied from samples/).

With --extra, also architectures the issue does not name, standing in for the held-out models
(written to bench-out/extra/): MobileNetV3 Small and Large (hard-swish, squeeze-and-excitation
through hard sigmoid), ResNet50 (large 3×3 and 7×7 convolutions, residual ADDs), DenseNet121
(CONCATENATION, AVERAGE_POOL_2D), InceptionV3 (1×7 / 7×1 filters, 299×299), MobileNetV1,
EfficientNetV2-B0 (fused MBConv, input normalization), ResNet50V2 (pre-activation batch norms as
per-channel MUL/ADD), NASNetMobile, Xception and ConvNeXt-Tiny (grouped 7×7 convolutions, layer
norms, GELU, REDUCE_PROD), float32 and int8, a DeepLabV3-style segmentation head (21 classes
upsampled bilinearly 32 → 128) in int8, a Johnson-style style-transfer network at 256 × 256 (9 × 9
convolutions 3 → 16 and 16 → 3, residual blocks, instance-like norms; `scripts/zoo.py`'s, built
with tf_keras) in float32, dynamic range and int8,
plus MobileNetV3 Large in float16 and dynamic range, a uint8-edged MobileNetV2, and a MobileNetV1
with real uint8 kernels throughout (the TF1 converter's legacy quantization from fake-quant
ranges, as the widely used quantized MobileNets of TensorFlow's hosted models were made).
"""
import os
import pathlib
import shutil
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import numpy as np
import tensorflow as tf

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "bench-out" / "models"
EXTRA = ROOT / "bench-out" / "extra"


def convert(model, mode, shape):
    converter = tf.lite.TFLiteConverter.from_keras_model(model)
    rng = np.random.default_rng(0)

    def representative():
        for _ in range(8):
            yield [rng.uniform(-1, 1, size=(1, *shape)).astype(np.float32)]

    if mode == "float16":
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
        converter.target_spec.supported_types = [tf.float16]
    elif mode == "dynamic":
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
    elif mode in ("int8", "uint8"):
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
        converter.representative_dataset = representative
        converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
        converter.inference_input_type = tf.int8 if mode == "int8" else tf.uint8
        converter.inference_output_type = converter.inference_input_type
    elif mode == "int16x8":  # int16 activations, int8 weights; float input and output
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
        converter.representative_dataset = representative
        converter.target_spec.supported_ops = [tf.lite.OpsSet.EXPERIMENTAL_TFLITE_BUILTINS_ACTIVATIONS_INT16_WEIGHTS_INT8]
    return converter.convert()


def segmentation_head():
    """DeepLabV3's output end: 21 class scores at 32 × 32 upsampled bilinearly to 128 × 128."""
    image = tf.keras.Input((128, 128, 3))
    x = tf.keras.layers.Conv2D(32, 3, strides=2, padding="same", activation="relu")(image)
    x = tf.keras.layers.Conv2D(64, 3, strides=2, padding="same", activation="relu")(x)
    x = tf.keras.layers.Conv2D(21, 1)(x)
    return tf.keras.Model(image, tf.keras.layers.UpSampling2D(4, interpolation="bilinear")(x))


def extra_specs():
    apps = tf.keras.applications
    return [
        ("segmentation_head", segmentation_head, ["int8"], (128, 128, 3)),
        ("mobilenet_v3_small", lambda: apps.MobileNetV3Small(weights=None, input_shape=(224, 224, 3)),
         ["float32", "int8"], (224, 224, 3)),
        ("mobilenet_v3_large", lambda: apps.MobileNetV3Large(weights=None, input_shape=(224, 224, 3)),
         ["float32", "float16", "dynamic", "int8", "int16x8"], (224, 224, 3)),
        ("mobilenet_v2", lambda: apps.MobileNetV2(weights=None, input_shape=(224, 224, 3)),
         ["uint8"], (224, 224, 3)),
        ("resnet50", lambda: apps.ResNet50(weights=None, input_shape=(224, 224, 3)),
         ["float32", "int8"], (224, 224, 3)),
        ("densenet121", lambda: apps.DenseNet121(weights=None, input_shape=(224, 224, 3)),
         ["float32", "int8"], (224, 224, 3)),
        ("inception_v3", lambda: apps.InceptionV3(weights=None, input_shape=(299, 299, 3)),
         ["float32", "int8", "int16x8"], (299, 299, 3)),
        ("mobilenet_v1", lambda: apps.MobileNet(weights=None, input_shape=(224, 224, 3)),
         ["float32", "int8"], (224, 224, 3)),
        ("efficientnet_v2_b0", lambda: apps.EfficientNetV2B0(weights=None, input_shape=(224, 224, 3)),
         ["float32", "int8"], (224, 224, 3)),
        ("resnet50_v2", lambda: apps.ResNet50V2(weights=None, input_shape=(224, 224, 3)),
         ["float32", "int8"], (224, 224, 3)),
        ("nasnet_mobile", lambda: apps.NASNetMobile(weights=None, input_shape=(224, 224, 3)),
         ["float32", "int8"], (224, 224, 3)),
        ("xception", lambda: apps.Xception(weights=None, input_shape=(299, 299, 3)),
         ["float32", "int8"], (299, 299, 3)),
        ("convnext_tiny", lambda: apps.ConvNeXtTiny(weights=None, input_shape=(224, 224, 3)),
         ["float32", "int8"], (224, 224, 3)),
    ]


def legacy_uint8_mobilenet_v1():
    """MobileNetV1 224 (13 depthwise-separable blocks, ReLU6) as a TF1 graph with fake-quant
    ranges on every activation, converted with inference_type=uint8: uint8 CONV_2D and
    DEPTHWISE_CONV_2D kernels with per-tensor weight zero points."""
    rng = np.random.default_rng(0)
    fq = tf.quantization.fake_quant_with_min_max_args

    def weights(shape, fan_in):
        return tf.constant(rng.normal(0, (2.0 / fan_in) ** 0.5, size=shape).astype(np.float32))

    def bias(n):
        return tf.constant(rng.normal(0, 0.1, n).astype(np.float32))

    graph = tf.Graph()
    with graph.as_default():
        image = tf.compat.v1.placeholder(tf.float32, (1, 224, 224, 3), name="image")
        x = fq(image, min=-1.0, max=1.0)

        def conv(x, cin, cout, k, stride):
            y = tf.nn.conv2d(x, weights((k, k, cin, cout), k * k * cin), stride, "SAME") + bias(cout)
            return fq(tf.nn.relu6(y), min=0.0, max=6.0)

        def depthwise(x, c, stride):
            y = tf.nn.depthwise_conv2d(x, weights((3, 3, c, 1), 9), [1, stride, stride, 1], "SAME") + bias(c)
            return fq(tf.nn.relu6(y), min=0.0, max=6.0)

        x = conv(x, 3, 32, 3, 2)
        channels = 32
        for cout, stride in [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2)] + [(512, 1)] * 5 + [(1024, 2), (1024, 1)]:
            x = conv(depthwise(x, channels, stride), channels, cout, 1, 1)
            channels = cout
        x = fq(tf.reduce_mean(x, axis=[1, 2], keepdims=True), min=0.0, max=6.0)
        logits = fq(tf.reshape(tf.nn.conv2d(x, weights((1, 1, 1024, 1001), 1024), 1, "SAME"), (1, 1001)), min=-20.0, max=20.0)
        probabilities = tf.identity(fq(tf.nn.softmax(logits), min=0.0, max=1.0), name="probabilities")
        with tf.compat.v1.Session(graph=graph) as session:
            converter = tf.compat.v1.lite.TFLiteConverter.from_session(session, [image], [probabilities])
            converter.inference_type = tf.uint8
            converter.quantized_input_stats = {"image": (127.5, 127.5)}
            return converter.convert()


def style_transfer(out, wanted):
    """scripts/zoo.py's style-transfer network at 256 × 256, converted as the zoo converts it."""
    sys.path.insert(0, str(ROOT / "scripts"))
    import zoo
    model = None
    for mode in ["float32", "dynamic", "int8"]:
        path = out / f"style_transfer_{mode}.tflite"
        if path.exists() or (wanted and path.stem not in wanted):
            continue
        model = model or zoo.style_transfer(256)
        path.write_bytes(zoo.convert(model, mode))
        print(f"{path.name}: {path.stat().st_size / 1e6:.1f} MB")


def build(specs, out, wanted):
    out.mkdir(parents=True, exist_ok=True)
    for name, factory, modes, shape in specs:
        model = None
        for mode in modes:
            path = out / f"{name}_{mode}.tflite"
            if wanted and path.stem not in wanted:
                continue
            if path.exists():
                continue
            model = model or factory()
            path.write_bytes(convert(model, mode, shape))
            print(f"{path.name}: {path.stat().st_size / 1e6:.1f} MB")


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    args = sys.argv[1:]
    extra = "--extra" in args
    wanted = {a for a in args if a != "--extra"}
    tf.keras.utils.set_random_seed(0)
    if extra:
        build(extra_specs(), EXTRA, wanted)
        style_transfer(EXTRA, wanted)
        legacy = EXTRA / "mobilenet_v1_uint8_legacy.tflite"
        if not legacy.exists() and (not wanted or legacy.stem in wanted):
            legacy.write_bytes(legacy_uint8_mobilenet_v1())
            print(f"{legacy.name}: {legacy.stat().st_size / 1e6:.1f} MB")
        return
    apps = tf.keras.applications
    build([
        ("mobilenet_v2", lambda: apps.MobileNetV2(weights=None, input_shape=(224, 224, 3)),
         ["float32", "float16", "dynamic", "int8", "int16x8"], (224, 224, 3)),
        ("efficientnet_b0", lambda: apps.EfficientNetB0(weights=None, input_shape=(224, 224, 3)),
         ["float32", "int8"], (224, 224, 3)),
    ], OUT, wanted)
    for variant in ["float32", "int8"]:
        source = ROOT / "samples" / "DigitClassifier" / "Models" / f"{variant}.tflite"
        if source.exists():
            shutil.copy(source, OUT / f"small_cnn_{variant}.tflite")


if __name__ == "__main__":
    main()
