#!/usr/bin/env python3
"""Puts the sample's real photos into Data/photos, from the scikit-image 0.26.0 wheel on PyPI
(downloaded once with `pip download --no-deps` into bench-out/photo-classifier/, not installed).

    $(scripts/venv.sh) samples/PhotoClassifier/scripts/photos.py

chelsea.png is copied as it is (a PNG from a camera); coffee.png becomes coffee.jpg (Pillow,
JPEG quality 90) so that the sample reads both formats; rocket.jpg is copied as it is.
Their licences are in Data/photos/README.md.
"""
import io
import sys
from pathlib import Path

from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fetch_model import wheel  # noqa: E402

PHOTOS = Path(__file__).resolve().parent.parent / "Data" / "photos"


def main():
    with wheel("scikit-image==0.26.0", "scikit_image-0.26.0") as archive:
        (PHOTOS / "chelsea.png").write_bytes(archive.read("skimage/data/chelsea.png"))
        (PHOTOS / "rocket.jpg").write_bytes(archive.read("skimage/data/rocket.jpg"))
        coffee = Image.open(io.BytesIO(archive.read("skimage/data/coffee.png"))).convert("RGB")
        coffee.save(PHOTOS / "coffee.jpg", quality=90)
    for path in sorted(PHOTOS.iterdir()):
        print(f"{path.name}: {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
