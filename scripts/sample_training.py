"""What the samples' training scripts share (samples/*/scripts/train.py).

  deterministic(seed)  seeds Python, NumPy and TensorFlow and asks TensorFlow for deterministic
                       ops, so a script rerun writes the same models and data.
  populate(raw, out, preset, name, description, *flags)
                       attaches metadata with the repository's own `tflmeta populate` (release
                       build), with the samples' common version, author and license.
"""
import pathlib
import subprocess

REPO = pathlib.Path(__file__).resolve().parent.parent


def deterministic(seed):
    import tensorflow as tf
    tf.keras.utils.set_random_seed(seed)  # Python's random, NumPy and TensorFlow
    try:
        tf.config.experimental.enable_op_determinism()
    except Exception:  # older TensorFlow
        pass


def populate(raw, out, preset, name, description, *flags):
    subprocess.run([str(REPO / ".build" / "release" / "tflmeta"), "populate", str(raw), "--preset", preset,
                    "--name", name, "--description", description, "--version", "1",
                    "--author", "TFLite Swift toolchain samples", "--license", "Apache-2.0",
                    *[str(f) for f in flags], "-o", str(out)], check=True)
