#!/usr/bin/env python3
"""Trains the ObjectDetector sample: a small SSD-style detector of handwritten digits.

Real data: scikit-learn's handwritten digits (no download). Scenes are composed from them: a
48×48 canvas split into a 3×3 grid, each cell holding a 16×16 digit (the 8×8 image scaled ×2)
with probability 0.5, shifted by up to ±4 pixels, so every box and label is known. Digits of
the test scenes come from a split of the digits set the model never trains on.

The network is a strided CNN whose 3×3 feature map carries one anchor per cell; it predicts SSD
box encodings (scales 10, 10, 5, 5) and class scores (background + 10 digits). It is converted
by the real TFLite converter (float32) and `TFLite_Detection_PostProcess` is appended
(scripts/detection_postprocess.py), as the TF Object Detection API exports detectors. Writes:

  Models/digit_detector.tflite  the converted model (no metadata; the sample's test and
                                `tflmeta populate --preset object-detector` add it)
  Data/test_scenes.npy          uint8 [N, 48, 48], grayscale scenes
  Data/test_boxes.json          per scene: [{"label": d, "box": [x, y, width, height]}] in pixels
  Data/labels.txt               0..9
  Data/litert.json              LiteRT's detections on the populated model (score ≥ 0.5, builtin kernels)

Run from the repository root: `$(scripts/venv.sh) samples/ObjectDetector/scripts/train.py`.
"""
import json
import os
import pathlib
import random
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import numpy as np
import tensorflow as tf
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

HERE = pathlib.Path(__file__).resolve().parent.parent
REPO = HERE.parent.parent
sys.path.insert(0, str(REPO / "scripts"))
import sample_training  # noqa: E402
import detection_postprocess  # noqa: E402

SEED = 11
CANVAS, CELLS, DIGIT, JITTER = 48, 3, 16, 4
CELL = CANVAS // CELLS
SCALES = np.array([10.0, 10.0, 5.0, 5.0], dtype=np.float32)
ANCHORS = detection_postprocess.grid_anchors(CELLS, DIGIT / CANVAS)  # [ycenter, xcenter, h, w]

sample_training.deterministic(SEED)


def digits_split():
    digits = load_digits()
    images = np.round(digits.images * (255.0 / 16.0)).astype(np.uint8)
    images = images.repeat(2, axis=1).repeat(2, axis=2)  # 8×8 → 16×16
    return train_test_split(images, digits.target, test_size=0.3, random_state=SEED, stratify=digits.target)


def compose(images, labels, count, rng):
    """Scenes, their boxes (label, x, y, w, h in pixels) and SSD training targets per anchor."""
    scenes = np.zeros((count, CANVAS, CANVAS), dtype=np.uint8)
    classes = np.zeros((count, CELLS * CELLS), dtype=np.int32)   # 0 = background
    encodings = np.zeros((count, CELLS * CELLS, 4), dtype=np.float32)
    boxes = []
    for n in range(count):
        occupied = rng.random(CELLS * CELLS) < 0.5
        if not occupied.any():
            occupied[rng.integers(CELLS * CELLS)] = True
        scene_boxes = []
        for cell in np.flatnonzero(occupied):
            row, col = divmod(int(cell), CELLS)
            k = rng.integers(len(images))
            dy, dx = rng.integers(-JITTER, JITTER + 1, size=2)
            y = row * CELL + (CELL - DIGIT) // 2 + dy
            x = col * CELL + (CELL - DIGIT) // 2 + dx
            y, x = int(np.clip(y, 0, CANVAS - DIGIT)), int(np.clip(x, 0, CANVAS - DIGIT))
            scenes[n, y:y + DIGIT, x:x + DIGIT] = np.maximum(scenes[n, y:y + DIGIT, x:x + DIGIT], images[k])
            label = int(labels[k])
            scene_boxes.append({"label": label, "box": [x, y, DIGIT, DIGIT]})
            classes[n, cell] = label + 1
            ay, ax, ah, aw = ANCHORS[cell]
            cy, cx, h, w = (y + DIGIT / 2) / CANVAS, (x + DIGIT / 2) / CANVAS, DIGIT / CANVAS, DIGIT / CANVAS
            encodings[n, cell] = [(cy - ay) / ah * SCALES[0], (cx - ax) / aw * SCALES[1],
                                  np.log(h / ah) * SCALES[2], np.log(w / aw) * SCALES[3]]
        boxes.append(scene_boxes)
    return scenes, classes, encodings, boxes


def build():
    image = tf.keras.Input(shape=(CANVAS, CANVAS, 3), batch_size=1, name="image")
    x = tf.keras.layers.Conv2D(16, 3, strides=2, padding="same", activation="relu")(image)   # 24
    x = tf.keras.layers.Conv2D(32, 3, strides=2, padding="same", activation="relu")(x)       # 12
    x = tf.keras.layers.Conv2D(64, 3, strides=2, padding="same", activation="relu")(x)       # 6
    x = tf.keras.layers.Conv2D(64, 3, strides=2, padding="same", activation="relu")(x)       # 3
    x = tf.keras.layers.Conv2D(64, 3, padding="same", activation="relu")(x)
    boxes = tf.keras.layers.Conv2D(4, 1)(x)
    scores = tf.keras.layers.Conv2D(11, 1)(x)
    boxes = tf.keras.layers.Reshape((CELLS * CELLS, 4))(boxes)
    scores = tf.keras.layers.Softmax()(tf.keras.layers.Reshape((CELLS * CELLS, 11))(scores))
    return tf.keras.Model(image, [boxes, scores])


def train(model, scenes, classes, encodings):
    inputs = np.repeat(scenes[..., None].astype(np.float32) / 255.0, 3, axis=-1)
    dataset = tf.data.Dataset.from_tensor_slices((inputs, classes, encodings)).shuffle(4096, seed=SEED).batch(64)
    epochs = 30
    steps = epochs * ((len(inputs) + 63) // 64)
    optimizer = tf.keras.optimizers.Adam(tf.keras.optimizers.schedules.CosineDecay(2e-3, steps))
    box_loss = tf.keras.losses.Huber(reduction="none")

    @tf.function
    def step(x, c, e):
        with tf.GradientTape() as tape:
            predicted_boxes, predicted_scores = model(x, training=True)
            classification = tf.reduce_mean(tf.keras.losses.sparse_categorical_crossentropy(c, predicted_scores))
            positive = tf.cast(c > 0, tf.float32)
            localization = tf.reduce_sum(box_loss(e[..., None], predicted_boxes[..., None]) * positive[..., None]) \
                / tf.maximum(tf.reduce_sum(positive), 1.0)
            loss = classification + localization
        optimizer.apply_gradients(zip(tape.gradient(loss, model.trainable_variables), model.trainable_variables))
        return classification, localization

    for epoch in range(epochs):
        for x, c, e in dataset:
            classification, localization = step(x, c, e)
        print("epoch %d: classification %.4f, localization %.4f" % (epoch, float(classification), float(localization)))


def convert(model):
    converted = tf.lite.TFLiteConverter.from_keras_model(model).convert()
    # The Keras outputs are output_0 (box encodings) and output_1 (class scores).
    return bytes(detection_postprocess.append(converted, ANCHORS, num_classes=10, max_detections=9,
                                              score_threshold=0.3, iou_threshold=0.5, scales=tuple(SCALES),
                                              box_output="output_0", class_output="output_1"))


def litert_detections(model_path, scenes, threshold=0.5):
    from ai_edge_litert.interpreter import Interpreter, OpResolverType
    # LiteRT's builtin kernels (the numbers our interpreter matches; XNNPACK off).
    interpreter = Interpreter(model_path=str(model_path), num_threads=1,
                              experimental_op_resolver_type=OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES)
    interpreter.allocate_tensors()
    image = interpreter.get_input_details()[0]["index"]
    out = [d["index"] for d in interpreter.get_output_details()]
    results = []
    for scene in scenes:
        interpreter.set_tensor(image, np.repeat(scene[None, ..., None].astype(np.float32) / 255.0, 3, axis=-1))
        interpreter.invoke()
        boxes, classes, scores, count = (interpreter.get_tensor(i) for i in out)
        found = []
        for k in range(int(count[0])):
            if scores[0, k] < threshold:
                continue
            top, left, bottom, right = (float(v) * CANVAS for v in boxes[0, k])
            found.append({"label": int(classes[0, k]), "score": float(scores[0, k]),
                          "box": [left, top, right - left, bottom - top]})
        results.append(found)
    return results


def main():
    rng = np.random.default_rng(SEED)
    train_images, test_images, train_labels, test_labels = digits_split()
    scenes, classes, encodings, _ = compose(train_images, train_labels, 12000, rng)
    test_scenes, _, _, test_boxes = compose(test_images, test_labels, 60, rng)
    model = build()
    train(model, scenes, classes, encodings)
    (HERE / "Models").mkdir(exist_ok=True)
    (HERE / "Data").mkdir(exist_ok=True)
    raw = HERE / "Models" / "digit_detector.tflite"
    raw.write_bytes(convert(model))
    np.save(HERE / "Data" / "test_scenes.npy", test_scenes)
    (HERE / "Data" / "test_boxes.json").write_text(json.dumps(test_boxes, indent=1) + "\n")
    (HERE / "Data" / "labels.txt").write_text("".join("%d\n" % d for d in range(10)))
    # LiteRT on the populated model (the one the app bundles).
    populated = HERE / "Sources" / "ObjectDetector" / "DigitDetector.tflite"
    sample_training.populate(raw, populated, "object-detector", "Digit detector",
                             "Finds handwritten digits 0-9 in 48x48 scenes.",
                             "--mean", "0", "--std", "255", "--labels", HERE / "Data" / "labels.txt")
    detections = litert_detections(populated, test_scenes)
    (HERE / "Data" / "litert.json").write_text(json.dumps(detections, indent=1) + "\n")
    truth = sum(len(b) for b in test_boxes)
    found = sum(len(d) for d in detections)
    print("test scenes: %d digits, LiteRT finds %d detections with score >= 0.5" % (truth, found))


if __name__ == "__main__":
    main()
