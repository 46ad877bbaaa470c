#!/usr/bin/env python3
"""Builds the image decoding fixtures in Tests/Fixtures/images/ (TFLiteImageIO's tests).

Run with the project venv (see scripts/venv.sh; needs pillow and pypng):

    .venv/bin/python scripts/make_image_fixtures.py [--out DIR]

Small PNG and JPEG files written by Pillow and pypng from fixed pseudo-random pictures, each
with its reference pixels as decoded by Pillow and NumPy (`<name>.npy`, uint8, height × width ×
channels, in the stored orientation), and `cases.json` listing what the Swift tests expect:

  decoded   file, reference, channels, orientation (EXIF, 1 when none), tolerance (the largest
            difference allowed per sample: 0 for PNG; JPEG decoders may round the IDCT
            differently), upright (the reference after Pillow's exif_transpose, for EXIF cases);
            for hand-made PNG eXIf chunks also pillow (what Pillow did with the file) and note
  hostile   file and the error kind expected (corrupt, tooLarge, unknownFormat)

PNG references are the arrays written (16-bit samples keep their high byte, palettes
expanded, grey alpha dropped); JPEG references are Pillow's decode (CMYK converted as
(255 - C)(255 - K) / 255, rounded).
"""

import argparse
import io
import json
import os
import struct
import zlib

import numpy as np
import png  # pypng: 16-bit, low bit depth and interlaced PNGs, which Pillow does not write
from PIL import Image, ImageOps

WIDTH, HEIGHT = 37, 23


def picture(rng, channels, width=WIDTH, height=HEIGHT, depth=8):
    """A smooth gradient plus noise: JPEG-friendly but not constant."""
    top = (1 << depth) - 1
    y, x = np.mgrid[0:height, 0:width]
    base = np.stack([(x * top // max(width - 1, 1)), (y * top // max(height - 1, 1)),
                     ((x + y) * top // max(width + height - 2, 1))], axis=-1)[..., :max(channels, 1)]
    noise = rng.integers(0, max(top // 8, 1), size=base.shape)
    out = np.clip(base + noise, 0, top).astype(np.uint16 if depth == 16 else np.uint8)
    if channels == 4:
        alpha = rng.integers(0, top + 1, size=(height, width, 1)).astype(out.dtype)
        out = np.concatenate([np.concatenate([out, out[..., :1]], axis=-1)[..., :3], alpha], axis=-1)
    return out


def write_pypng(path, array, greyscale, alpha, bitdepth, interlace=False, palette=None):
    h, w = array.shape[:2]
    writer = png.Writer(width=w, height=h, greyscale=greyscale, alpha=alpha, bitdepth=bitdepth,
                        interlace=interlace, palette=palette)
    rows = array.reshape(h, -1).tolist()
    with open(path, "wb") as f:
        writer.write(f, rows)


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "Tests", "Fixtures", "images"))
    args = parser.parse_args()
    out = os.path.abspath(args.out)
    os.makedirs(out, exist_ok=True)
    for name in os.listdir(out):
        os.remove(os.path.join(out, name))
    rng = np.random.default_rng(25)
    decoded, hostile = [], []

    def add(name, reference, tolerance=0, orientation=1, upright=None):
        ref = reference if reference.ndim == 3 else reference[..., None]
        np.save(os.path.join(out, name.rsplit(".", 1)[0] + ".npy"), np.ascontiguousarray(ref.astype(np.uint8)))
        case = {"file": name, "reference": name.rsplit(".", 1)[0] + ".npy", "channels": int(ref.shape[2]),
                "tolerance": tolerance, "orientation": orientation}
        if upright is not None:
            up = upright if upright.ndim == 3 else upright[..., None]
            np.save(os.path.join(out, name.rsplit(".", 1)[0] + "_upright.npy"), np.ascontiguousarray(up.astype(np.uint8)))
            case["upright"] = name.rsplit(".", 1)[0] + "_upright.npy"
        decoded.append(case)

    # --- PNG ---
    rgb = picture(rng, 3)
    Image.fromarray(rgb, "RGB").save(os.path.join(out, "rgb8.png"))
    add("rgb8.png", rgb)

    rgba = picture(rng, 4)
    Image.fromarray(rgba, "RGBA").save(os.path.join(out, "rgba8.png"))
    add("rgba8.png", rgba)

    grey = picture(rng, 1)[..., 0]
    Image.fromarray(grey, "L").save(os.path.join(out, "gray8.png"))
    add("gray8.png", grey)

    grey_alpha = np.stack([grey, rng.integers(0, 256, size=grey.shape).astype(np.uint8)], axis=-1)
    Image.fromarray(grey_alpha, "LA").save(os.path.join(out, "gray_alpha8.png"))
    add("gray_alpha8.png", grey)

    grey16 = picture(rng, 1, depth=16)[..., 0]
    write_pypng(os.path.join(out, "gray16.png"), grey16, greyscale=True, alpha=False, bitdepth=16)
    add("gray16.png", (grey16 >> 8).astype(np.uint8))

    rgb16 = picture(rng, 3, depth=16)
    write_pypng(os.path.join(out, "rgb16.png"), rgb16, greyscale=False, alpha=False, bitdepth=16)
    add("rgb16.png", (rgb16 >> 8).astype(np.uint8))

    rgba16 = picture(rng, 4, depth=16)
    write_pypng(os.path.join(out, "rgba16_interlaced.png"), rgba16, greyscale=False, alpha=True, bitdepth=16, interlace=True)
    add("rgba16_interlaced.png", (rgba16 >> 8).astype(np.uint8))

    rgb_i = picture(rng, 3)
    write_pypng(os.path.join(out, "rgb8_interlaced.png"), rgb_i, greyscale=False, alpha=False, bitdepth=8, interlace=True)
    add("rgb8_interlaced.png", rgb_i)

    bits = (picture(rng, 1)[..., 0] > 128).astype(np.uint8)
    write_pypng(os.path.join(out, "gray1.png"), bits, greyscale=True, alpha=False, bitdepth=1)
    add("gray1.png", bits * 255)

    palette = [tuple(int(v) for v in rng.integers(0, 256, size=3)) for _ in range(16)]
    indices = rng.integers(0, 16, size=(HEIGHT, WIDTH)).astype(np.uint8)
    write_pypng(os.path.join(out, "palette4.png"), indices, greyscale=False, alpha=False, bitdepth=4, palette=palette)
    add("palette4.png", np.array(palette, dtype=np.uint8)[indices])

    palette_alpha = [p + (int(a),) for p, a in zip(palette, rng.integers(0, 256, size=16))]
    write_pypng(os.path.join(out, "palette_trns.png"), indices, greyscale=False, alpha=False, bitdepth=8, palette=palette_alpha)
    add("palette_trns.png", np.array(palette_alpha, dtype=np.uint8)[indices])

    # --- JPEG ---
    def jpeg_case(name, image, tolerance, **save):
        image.save(os.path.join(out, name), "JPEG", **save)
        decoded_image = Image.open(os.path.join(out, name))
        decoded_image.load()
        if decoded_image.mode == "CMYK":
            cmyk = np.asarray(decoded_image).astype(np.int64)
            light = (255 - cmyk[..., :3]) * (255 - cmyk[..., 3:4])
            reference = np.floor(light / 255 + 0.5).astype(np.uint8)
        else:
            reference = np.asarray(decoded_image)
        return decoded_image, reference

    photo = Image.fromarray(picture(rng, 3, width=48, height=32), "RGB")
    _, ref = jpeg_case("baseline.jpg", photo, 1, quality=90)
    add("baseline.jpg", ref, tolerance=1)
    _, ref = jpeg_case("progressive.jpg", photo, 1, quality=85, progressive=True)
    add("progressive.jpg", ref, tolerance=1)
    _, ref = jpeg_case("baseline444.jpg", photo, 1, quality=95, subsampling=0)
    add("baseline444.jpg", ref, tolerance=1)
    _, ref = jpeg_case("gray.jpg", photo.convert("L"), 1, quality=90)
    add("gray.jpg", ref, tolerance=1)
    _, ref = jpeg_case("cmyk.jpg", photo.convert("CMYK"), 1, quality=95)
    add("cmyk.jpg", ref, tolerance=1)

    for orientation in range(1, 9):
        exif = Image.Exif()
        exif[0x0112] = orientation
        name = f"exif{orientation}.jpg"
        decoded_image, ref = jpeg_case(name, photo, 1, quality=90, exif=exif.tobytes())
        upright = np.asarray(ImageOps.exif_transpose(decoded_image))
        add(name, ref, tolerance=1, orientation=orientation, upright=upright)

    # --- hostile files ---
    with open(os.path.join(out, "rgb8.png"), "rb") as f:
        good_png = f.read()
    with open(os.path.join(out, "baseline.jpg"), "rb") as f:
        good_jpeg = f.read()

    def hostile_case(name, data, kind):
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
        hostile.append({"file": name, "error": kind})

    hostile_case("truncated.png", good_png[: len(good_png) // 2], "corrupt")
    hostile_case("truncated_header.png", good_png[:20], "corrupt")
    hostile_case("truncated.jpg", good_jpeg[: len(good_jpeg) // 2], "corrupt")
    hostile_case("truncated_header.jpg", good_jpeg[:40], "corrupt")
    signature = b"\x89PNG\r\n\x1a\n"
    huge_ihdr = png_chunk(b"IHDR", struct.pack(">IIBBBBB", 200000, 200000, 8, 2, 0, 0, 0))
    tiny_idat = png_chunk(b"IDAT", zlib.compress(b"\x00" * 16))
    hostile_case("huge.png", signature + huge_ihdr + tiny_idat + png_chunk(b"IEND", b""), "tooLarge")
    wide_ihdr = png_chunk(b"IHDR", struct.pack(">IIBBBBB", 30000, 30000, 8, 2, 0, 0, 0))
    hostile_case("wide.png", signature + wide_ihdr + tiny_idat + png_chunk(b"IEND", b""), "tooLarge")
    zero_ihdr = png_chunk(b"IHDR", struct.pack(">IIBBBBB", 0, 10, 8, 2, 0, 0, 0))
    hostile_case("zero_width.png", signature + zero_ihdr + tiny_idat + png_chunk(b"IEND", b""), "corrupt")
    bad_crc = bytearray(good_png)
    bad_crc[good_png.index(b"IDAT") + 10] ^= 0xFF
    hostile_case("bad_idat.png", bytes(bad_crc), "corrupt")
    # A JPEG whose SOF0 declares 65000 × 65000 pixels.
    sof = good_jpeg.index(b"\xff\xc0")
    huge_jpeg = bytearray(good_jpeg)
    huge_jpeg[sof + 5:sof + 9] = struct.pack(">HH", 65000, 65000)
    hostile_case("huge.jpg", bytes(huge_jpeg), "tooLarge")
    garbage = rng.integers(0, 256, size=4096).astype(np.uint8).tobytes()
    hostile_case("garbage.png", garbage, "unknownFormat")
    hostile_case("garbage_after_png_signature.png", signature + garbage, "corrupt")
    hostile_case("garbage_after_jpeg_soi.jpg", b"\xff\xd8\xff" + garbage, "corrupt")
    hostile_case("empty.jpg", b"", "unknownFormat")

    # --- PNG eXIf orientation (Pillow writes the chunk before IDAT; the rest are made by hand) ---
    # Each decoded case's orientation is what Pillow's exif_transpose applies ("pillow" says what
    # Pillow did); where Pillow refuses the file or finds no orientation, the decoder ignores
    # the chunk (orientation 1), as libpng skips a broken ancillary chunk.
    stored = picture(rng, 3)
    for orientation in range(1, 9):
        exif = Image.Exif()
        exif[0x0112] = orientation
        name = f"png_exif{orientation}.png"
        Image.fromarray(stored, "RGB").save(os.path.join(out, name), exif=exif.tobytes())
        upright = np.asarray(ImageOps.exif_transpose(Image.open(os.path.join(out, name))))
        add(name, stored, orientation=orientation, upright=upright)

    with open(os.path.join(out, "png_exif1.png"), "rb") as f:
        plain = f.read()
    start = plain.index(b"eXIf") - 4
    (length,) = struct.unpack(">I", plain[start:start + 4])
    plain = plain[:start] + plain[start + 12 + length:]  # without its eXIf chunk
    idat = plain.index(b"IDAT") - 4
    iend = plain.index(b"IEND") - 4

    def tiff(little, entries, ifd_offset=8, count=None):
        """A TIFF header and IFD0 with `entries` (tag, type, count, value) SHORT values."""
        e = "<" if little else ">"
        head = (b"II" if little else b"MM") + struct.pack(e + "HI", 42, ifd_offset)
        body = struct.pack(e + "H", len(entries) if count is None else count)
        for tag, kind, n, value in entries:
            body += struct.pack(e + "HHIHH", tag, kind, n, value, 0)
        return head + body + struct.pack(e + "I", 0)

    def pillow_orientation(path):
        try:
            image = Image.open(path)
            image.load()
            return image.getexif().get(0x0112), np.asarray(ImageOps.exif_transpose(image)), "read"
        except Exception as error:  # noqa: BLE001 - what Pillow does is the record
            return None, None, f"refuses the file: {type(error).__name__}: {str(error).replace(out + os.sep, '')}"

    def exif_case(name, data, note):
        path = os.path.join(out, name)
        with open(path, "wb") as f:
            f.write(data)
        value, upright, pillow = pillow_orientation(path)
        orientation = value if pillow == "read" and value in range(1, 9) else 1
        add(name, stored, orientation=orientation, upright=upright if orientation != 1 else None)
        decoded[-1]["pillow"] = f"{pillow}; orientation {value}" if pillow == "read" else pillow
        decoded[-1]["note"] = note

    six = tiff(True, [(0x0112, 3, 1, 6)])
    exif_case("png_exif_after_idat.png", plain[:iend] + png_chunk(b"eXIf", six) + plain[iend:],
              "eXIf after the image data (orientation 6, little-endian)")
    exif_case("png_exif_big_endian.png", plain[:idat] + png_chunk(b"eXIf", tiff(False, [(0x0100, 3, 1, 37), (0x0112, 3, 1, 8)])) + plain[idat:],
              "big-endian, orientation 8 as the second entry")
    exif_case("png_exif_twice.png", plain[:idat] + png_chunk(b"eXIf", tiff(True, [(0x0112, 3, 1, 3)])) + png_chunk(b"eXIf", six) + plain[idat:],
              "two eXIf chunks (3, then 6): the last counts")
    bad_crc = bytearray(png_chunk(b"eXIf", six))
    bad_crc[-1] ^= 0xFF
    exif_case("png_exif_bad_crc.png", plain[:idat] + bytes(bad_crc) + plain[idat:], "orientation 6 in a chunk whose CRC does not match")
    exif_case("png_exif_bad_byte_order.png", plain[:idat] + png_chunk(b"eXIf", b"XX" + six[2:]) + plain[idat:],
              "byte order XX, neither II nor MM")
    exif_case("png_exif_truncated_ifd.png", plain[:idat] + png_chunk(b"eXIf", tiff(True, [(0x0112, 3, 1, 6), (0x0100, 3, 1, 37)], count=3)[:8 + 2 + 12 + 5]) + plain[idat:],
              "IFD0 of 3 entries cut inside the second; the orientation (6) is the first")
    exif_case("png_exif_huge_count.png", plain[:idat] + png_chunk(b"eXIf", tiff(True, [(0x0100, 3, 1, 37), (0x0112, 3, 1, 5)], count=0xFFFF)) + plain[idat:],
              "IFD0 claims 65535 entries, 2 present (orientation 5 the second)")
    exif_case("png_exif_huge_offset.png", plain[:idat] + png_chunk(b"eXIf", tiff(True, [(0x0112, 3, 1, 6)], ifd_offset=0xFFFFFFF0)) + plain[idat:],
              "IFD0 offset 0xFFFFFFF0, past the chunk")
    exif_case("png_exif_prefixed.png", plain[:idat] + png_chunk(b"eXIf", b"Exif\x00\x00" + six) + plain[idat:],
              "the JPEG APP1 prefix Exif\\0\\0 before the TIFF header (Pillow skips it)")
    exif_case("png_exif_short_tiff.png", plain[:idat] + png_chunk(b"eXIf", b"II*\x00") + plain[idat:],
              "a 4-byte TIFF header")
    # An eXIf chunk declaring 2 GiB - 16 bytes in a small file: truncated.
    hostile_case("png_exif_past_end.png", plain[:idat] + struct.pack(">I", 0x7FFFFFF0) + b"eXIf" + six + plain[idat:], "corrupt")

    with open(os.path.join(out, "cases.json"), "w") as f:
        json.dump({"decoded": decoded, "hostile": hostile}, f, indent=1, sort_keys=True)
        f.write("\n")
    total = sum(os.path.getsize(os.path.join(out, n)) for n in os.listdir(out))
    print(f"{len(decoded)} decoded and {len(hostile)} hostile cases in {out} ({total} bytes)")


if __name__ == "__main__":
    main()
