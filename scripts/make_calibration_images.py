#!/usr/bin/env python3
"""Builds the `tflquant --calibration-images` fixture in Tests/Fixtures/quantizer/:

  calibration_images/   six small PNG and JPEG files cut from scikit-learn's sample photos
                        (sklearn/datasets/images/china.jpg and flower.jpg, CC BY 2.0, see that
                        folder's README.txt: china.jpg by danielbuechele, flower.jpg by vultilion
                        on Flickr), in several sizes, grey and colour, one with EXIF orientation 6
  calibration_images.npy  the same images preprocessed by Pillow and NumPy as the metadata of
                        Tests/Fixtures/metadata/image_classifier_float says (RGB, 32 x 32,
                        (x - 127.5) / 127.5), float32 (6, 32, 32, 3), in file-name order

The NumPy preprocessing is written out independently of the Swift code: EXIF transpose,
grey replicated to RGB, bilinear resize with half-pixel centres (TensorFlow's
resize_bilinear(half_pixel_centers=True)) in float32, then the normalization. `tflquant` on
the folder and on the .npy should write the same bytes.

    .venv/bin/python scripts/make_calibration_images.py
"""

import os

import numpy as np
import sklearn
from PIL import Image, ImageOps

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
OUT = os.path.join(ROOT, "Tests", "Fixtures", "quantizer")
IMAGES = os.path.join(os.path.dirname(sklearn.__file__), "datasets", "images")
SIZE = 32
MEAN, STD = np.float32(127.5), np.float32(127.5)


def resize_half_pixel(values, to_w, to_h):
    """values: float32 (h, w, c). Bilinear, half-pixel centres, edge-clamped, float32 throughout."""
    h, w, _ = values.shape
    if (w, h) == (to_w, to_h):
        return values
    x_scale = np.float32(w) / np.float32(to_w)
    y_scale = np.float32(h) / np.float32(to_h)
    out = np.zeros((to_h, to_w, values.shape[2]), dtype=np.float32)
    for y in range(to_h):
        sy = max(np.float32(0), (np.float32(y) + np.float32(0.5)) * y_scale - np.float32(0.5))
        y0 = min(int(sy), h - 1)
        y1 = min(y0 + 1, h - 1)
        fy = np.float32(sy - np.float32(y0))
        for x in range(to_w):
            sx = max(np.float32(0), (np.float32(x) + np.float32(0.5)) * x_scale - np.float32(0.5))
            x0 = min(int(sx), w - 1)
            x1 = min(x0 + 1, w - 1)
            fx = np.float32(sx - np.float32(x0))
            a, b, d, e = values[y0, x0], values[y0, x1], values[y1, x0], values[y1, x1]
            top = a + (b - a) * fx
            bottom = d + (e - d) * fx
            out[y, x] = top + (bottom - top) * fy
    return out


def preprocess(path):
    image = Image.open(path)
    image = ImageOps.exif_transpose(image)
    pixels = np.asarray(image)
    if pixels.ndim == 2:
        pixels = np.stack([pixels] * 3, axis=-1)
    values = pixels[..., :3].astype(np.float32)
    resized = resize_half_pixel(values, SIZE, SIZE)
    return ((resized - MEAN) / STD).astype(np.float32)


def main():
    folder = os.path.join(OUT, "calibration_images")
    os.makedirs(folder, exist_ok=True)
    for name in os.listdir(folder):
        os.remove(os.path.join(folder, name))
    china = Image.open(os.path.join(IMAGES, "china.jpg")).convert("RGB")
    flower = Image.open(os.path.join(IMAGES, "flower.jpg")).convert("RGB")
    china.resize((64, 43), Image.LANCZOS).save(os.path.join(folder, "a_china.jpg"), quality=90)
    flower.resize((48, 32), Image.LANCZOS).save(os.path.join(folder, "b_flower.png"))
    china.crop((200, 100, 360, 260)).resize((32, 32), Image.LANCZOS).save(os.path.join(folder, "c_china_crop.png"))
    flower.resize((40, 27), Image.LANCZOS).convert("L").save(os.path.join(folder, "d_flower_grey.png"))
    flower.crop((100, 0, 400, 300)).resize((50, 50), Image.LANCZOS).save(
        os.path.join(folder, "e_flower_progressive.jpg"), quality=85, progressive=True)
    exif = Image.Exif()
    exif[0x0112] = 6
    china.resize((36, 24), Image.LANCZOS).save(os.path.join(folder, "f_china_exif6.jpeg"), quality=90, exif=exif.tobytes())

    names = sorted(os.listdir(folder))
    samples = np.stack([preprocess(os.path.join(folder, n)) for n in names])
    np.save(os.path.join(OUT, "calibration_images.npy"), samples)
    total = sum(os.path.getsize(os.path.join(folder, n)) for n in names)
    print(f"{len(names)} images ({total} bytes), calibration_images.npy {samples.shape}")


if __name__ == "__main__":
    main()
