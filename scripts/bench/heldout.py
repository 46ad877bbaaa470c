#!/usr/bin/env python3
"""Gathers issue #27's held-out-style benchmark set into bench-out/heldout (links and copies):

* vision classifiers, float32 / int8 / dynamic range: MobileNet v1 and v2, EfficientNet-Lite,
  Inception-v3, ResNet-v2-101 (the zoo's models, `scripts/zoo.py` builds them into zoo-out/models);
* YOLOv3-style detection, DeepLabV3-style segmentation and Johnson-style style transfer, the same
  three modes (zoo);
* MediaPipe's published detection and pose models, from the mediapipe wheel on PyPI (fetched once
  into bench-out/mediapipe): face detection short range and full range sparse (DENSIFY'd float16
  weights), palm detection lite and full, pose detection, pose, hand, face and iris landmarks.
  Models with MediaPipe custom operators (selfie segmentation, face landmarks with attention) are
  left out: LiteRT cannot run them.

usage: $(scripts/venv.sh) scripts/bench/heldout.py      then: compare.py --dir bench-out/heldout
"""
import os
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts" / "conformance"))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from mediapipe import wheel_file  # noqa: E402  (scripts/conformance/mediapipe.py)

ZOO = ROOT / "zoo-out" / "models"
OUT = ROOT / "bench-out" / "heldout"
ZOO_MODELS = ["mobilenet_v1", "mobilenet_v2", "efficientnet_lite", "inception_v3", "resnet_v2_101",
              "yolo_v3", "deeplab_v3", "style_transfer"]
ZOO_MODES = ["float32", "int8", "dynamic"]
MEDIAPIPE = [
    "face_detection/face_detection_short_range.tflite",
    "face_detection/face_detection_full_range_sparse.tflite",
    "palm_detection/palm_detection_lite.tflite",
    "palm_detection/palm_detection_full.tflite",
    "pose_detection/pose_detection.tflite",
    "pose_landmark/pose_landmark_full.tflite",
    "hand_landmark/hand_landmark_full.tflite",
    "face_landmark/face_landmark.tflite",
    "iris_landmark/iris_landmark.tflite",
]


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    missing = []
    for model in ZOO_MODELS:
        for mode in ZOO_MODES:
            source = ZOO / f"{model}_{mode}.tflite"
            target = OUT / source.name
            if not source.exists():
                missing.append(source.name)
                continue
            if target.is_symlink() or target.exists():
                target.unlink()
            target.symlink_to(source)
    for path in MEDIAPIPE:
        target = OUT / f"mp_{pathlib.Path(path).name}"
        if not target.exists():
            target.write_bytes(wheel_file(f"mediapipe/modules/{path}"))
    count = len(list(OUT.glob("*.tflite")))
    print(f"{OUT}: {count} models")
    if missing:
        print(f"missing from {ZOO} (run scripts/zoo.py): {', '.join(missing)}", file=sys.stderr)


if __name__ == "__main__":
    main()
