#!/usr/bin/env python3
"""LiteRT's top class and score for the real photos in Data/photos (Data/litert_photos.json).

Each JPEG is decoded by Pillow, centre-cropped to a square (the largest centred square, as
`TensorImage.crop = .center` does for a square input), resized bilinear with half-pixel centres
in float32 (scripts/make_calibration_images.py's NumPy resize), normalized as the model's
metadata says ((x - 0) / 255) and quantized to the uint8 input (round half away from zero),
then run by LiteRT with its builtin kernels. The Swift sample checks its own results against
this file.

Run from the repository root: `$(scripts/venv.sh) samples/ImageClassifier/scripts/photos_litert.py`.
"""
import json
import pathlib
import sys

import numpy as np
from PIL import Image

HERE = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(HERE.parent.parent / "scripts"))
from make_calibration_images import resize_half_pixel  # noqa: E402


def main():
    from ai_edge_litert.interpreter import Interpreter, OpResolverType
    model = HERE / "Sources" / "ImageClassifier" / "ColorDigits.tflite"
    interpreter = Interpreter(model_path=str(model), num_threads=1,
                              experimental_op_resolver_type=OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES)
    interpreter.allocate_tensors()
    inp, out = interpreter.get_input_details()[0], interpreter.get_output_details()[0]
    in_scale, in_zero = inp["quantization"]
    out_scale, out_zero = out["quantization"]
    results = {}
    for path in sorted((HERE / "Data" / "photos").glob("*.jpg")):
        pixels = np.asarray(Image.open(path).convert("RGB")).astype(np.float32)
        h, w, _ = pixels.shape
        side = min(w, h)
        x, y = (w - side) // 2, (h - side) // 2
        values = resize_half_pixel(pixels[y:y + side, x:x + side], 32, 32)
        normalized = (values - np.float32(0)) / np.float32(255)
        q = normalized / np.float32(in_scale)
        q = np.sign(q) * np.floor(np.abs(q) + np.float32(0.5)) + in_zero
        interpreter.set_tensor(inp["index"], np.clip(q, 0, 255).astype(np.uint8)[None])
        interpreter.invoke()
        scores = interpreter.get_tensor(out["index"])[0]
        top = int(np.argmax(scores))
        results[path.name] = {"label": top, "score": float((int(scores[top]) - out_zero) * out_scale)}
    (HERE / "Data" / "litert_photos.json").write_text(json.dumps({"photos": results}, indent=1) + "\n")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
