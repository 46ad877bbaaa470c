#!/usr/bin/env python3
"""Writes Data/calibration.npy: the training images the converter calibrated its int8 and int16x8
models with (the first 200 of train.py's training split), as the model's float input.

float32 [200, 8, 8, 1] in [0, 1] (pixels / 255): samples on axis 0 in place of the model input's
batch axis (input [1, 8, 8, 1]), the layout `tflquant --calibration` reads. The split is train.py's
(scikit-learn's digits, train_test_split with the same seed and stratification), recomputed here
without retraining; the script checks that its test half equals the committed Data/test_images.npy.

Run: `$(scripts/venv.sh) samples/DigitClassifier/scripts/calibration_split.py` from the repository
root (train.py writes the same file when it retrains).
"""
import pathlib
import sys

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

SEED = 7  # train.py's
COUNT = 200  # train.py's representative set: x_train[:200]
DATA = pathlib.Path(__file__).resolve().parent.parent / "Data"


def split():
    digits = load_digits()
    images = np.round(digits.images * (255.0 / 16.0)).astype(np.uint8)[..., None]
    labels = digits.target.astype(np.int32)
    return train_test_split(images, labels, test_size=0.25, random_state=SEED, stratify=labels)


def calibration(x_train):
    return x_train[:COUNT].astype(np.float32) / 255.0


def main():
    x_train, x_test, _, y_test = split()
    committed = DATA / "test_images.npy"
    if committed.exists() and not np.array_equal(np.load(committed), x_test):
        sys.exit(f"calibration_split: the recomputed split differs from {committed}; retrain with train.py")
    np.save(DATA / "calibration.npy", calibration(x_train))
    print(f"wrote {DATA / 'calibration.npy'}: {COUNT} training images, float32 [{COUNT}, 8, 8, 1]")


if __name__ == "__main__":
    main()
