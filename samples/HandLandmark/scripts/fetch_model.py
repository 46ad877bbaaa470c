#!/usr/bin/env python3
"""Puts MediaPipe's hand_landmark_lite.tflite into Sources/HandModels and writes LiteRT's outputs.

    $(scripts/venv.sh) samples/HandLandmark/scripts/fetch_model.py

The model comes from the mediapipe 0.10.14 wheel on PyPI, downloaded once into bench-out/mediapipe
by scripts/conformance/mediapipe.py (2 MB: too big to commit). Data/reference.json holds LiteRT's
four outputs for the sample's test pattern (the same formula as Sources/HandLandmark/main.swift).
"""
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
SAMPLE = Path(__file__).resolve().parent.parent
REPO = SAMPLE.parent.parent
sys.path.insert(0, str(REPO / "scripts" / "conformance"))

import numpy as np  # noqa: E402
from ai_edge_litert.interpreter import Interpreter  # noqa: E402
from mediapipe import wheel_file  # noqa: E402  (scripts/conformance/mediapipe.py)

MODEL = "mediapipe/modules/hand_landmark/hand_landmark_lite.tflite"


def pattern():
    """224 × 224 RGB, 0…255: a diagonal gradient per channel (as main.swift makes it)."""
    y, x, c = np.meshgrid(np.arange(224), np.arange(224), np.arange(3), indexing="ij")
    return ((x * (c + 1) + y * (3 - c)) % 256).astype(np.float32).reshape(1, 224, 224, 3)


def main():
    data = wheel_file(MODEL)
    target = SAMPLE / "Sources" / "HandModels" / "hand_landmark_lite.tflite"
    target.write_bytes(data)
    print(f"{target}: {len(data)} bytes")
    interpreter = Interpreter(model_content=data)
    interpreter.allocate_tensors()
    # The metadata's normalization (mean 0, std 255), applied by hand: the generic wrapper takes floats.
    interpreter.set_tensor(interpreter.get_input_details()[0]["index"], pattern() / 255.0)
    interpreter.invoke()
    outputs = [interpreter.get_tensor(d["index"]).reshape(-1).tolist() for d in interpreter.get_output_details()]
    reference = SAMPLE / "Data" / "reference.json"
    reference.write_text(json.dumps({"model": MODEL, "outputs": outputs}) + "\n")
    print(f"{reference}: LiteRT's {len(outputs)} outputs")


if __name__ == "__main__":
    main()
