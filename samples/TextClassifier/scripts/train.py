#!/usr/bin/env python3
"""Trains the TextClassifier sample: which library does this docstring come from?

Real text that ships inside PyPI packages, no download: the docstrings of NumPy, scikit-learn,
Pygments and the HTTP libraries requests + urllib3, as installed in the venv. Each example is the
first paragraph of one function's, class's or method's docstring; its label is the library it was
read from, so every label is checkable. Duplicated texts are dropped before the split.

The model is the shape tflite-support's NLClassifier expects: int32 token ids [1, 64] from a
regex tokenizer (split at `[^\\w']+`, ASCII-lowercased, `<START>` first, `<UNKNOWN>`, `<PAD>`),
an embedding, average pooling and a softmax over the four libraries, converted by the real TFLite
converter. Writes:

  Models/docstring_classifier.tflite   no metadata (`tflmeta populate --preset nl-classifier`)
  Data/vocab.txt, Data/labels.txt      the tokenizer's vocabulary ("word id") and the labels
  Data/test_texts.json                 held-out [{"text", "label"}]
  Data/litert.json                     LiteRT's predicted label index for each held-out text

Run from the repository root: `$(scripts/venv.sh) samples/TextClassifier/scripts/train.py`.
"""
import collections
import importlib
import inspect
import json
import os
import pathlib
import pkgutil
import random
import sys
import re
import warnings

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import numpy as np
import tensorflow as tf

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[3] / "scripts"))
import sample_training  # noqa: E402

HERE = pathlib.Path(__file__).resolve().parent.parent
REPO = HERE.parent.parent
SEED = 5
LENGTH = 64
VOCAB_SIZE = 4000
DELIMITER = r"[^\w\']+"
LIBRARIES = [("numpy", ["numpy"]), ("scikit-learn", ["sklearn"]), ("pygments", ["pygments"]),
             ("requests/urllib3", ["requests", "urllib3"])]

sample_training.deterministic(SEED)


def modules(root):
    """`root` and its submodules, tests and private modules left out."""
    found = [importlib.import_module(root)]
    package = found[0]
    for info in pkgutil.walk_packages(getattr(package, "__path__", []), root + "."):
        if any(part.startswith("_") or part in ("tests", "testing", "conftest", "setup") for part in info.name.split(".")[1:]):
            continue
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                found.append(importlib.import_module(info.name))
        except Exception:
            continue
    return found


def first_paragraph(doc):
    paragraph = inspect.cleandoc(doc).split("\n\n")[0]
    return " ".join(paragraph.split())[:400]


def docstrings(roots):
    """First paragraphs of the docstrings of what `roots` define (not what they import)."""
    texts = set()
    for root in roots:
        for module in modules(root):
            for name, value in vars(module).items():
                if name.startswith("_") or not (inspect.isclass(value) or callable(value)):
                    continue
                if not getattr(value, "__module__", "") or not str(value.__module__).startswith(root):
                    continue
                members = [value]
                if inspect.isclass(value):
                    members += [m for n, m in vars(value).items() if not n.startswith("_") and callable(m)]
                for member in members:
                    doc = getattr(member, "__doc__", None)
                    if isinstance(doc, str) and len(doc.split()) >= 4:
                        texts.add(first_paragraph(doc))
    return texts


def tokenize(text):
    lowered = "".join(c.lower() if c.isascii() else c for c in text)
    return [t for t in re.split(DELIMITER, lowered) if t]


def ids(tokens, vocab):
    row = [vocab["<START>"]] + [vocab.get(t, vocab["<UNKNOWN>"]) for t in tokens][:LENGTH - 1]
    return row + [vocab["<PAD>"]] * (LENGTH - len(row))


def main():
    per_library = {label: docstrings(roots) for label, roots in LIBRARIES}
    seen = collections.Counter(t for texts in per_library.values() for t in texts)
    examples = []
    for index, (label, _) in enumerate(LIBRARIES):
        texts = sorted(t for t in per_library[label] if seen[t] == 1)  # a text in two libraries has no one label
        random.shuffle(texts)
        texts = texts[:1500]
        print("%-18s %5d docstrings" % (label, len(texts)))
        examples += [(t, index) for t in texts]
    random.shuffle(examples)
    test_count = len(examples) // 5
    test, train = examples[:test_count], examples[test_count:]

    counts = collections.Counter(t for text, _ in train for t in tokenize(text))
    words = [w for w, c in counts.most_common(VOCAB_SIZE - 3) if c >= 2]
    vocab = {"<PAD>": 0, "<START>": 1, "<UNKNOWN>": 2}
    for word in words:
        vocab[word] = len(vocab)

    x_train = np.array([ids(tokenize(t), vocab) for t, _ in train], dtype=np.int32)
    y_train = np.array([label for _, label in train], dtype=np.int32)
    x_test = np.array([ids(tokenize(t), vocab) for t, _ in test], dtype=np.int32)
    y_test = np.array([label for _, label in test], dtype=np.int32)

    def build(batch=None):
        tokens = tf.keras.Input(shape=(LENGTH,), batch_size=batch, dtype=tf.int32, name="input_text")
        x = tf.keras.layers.Embedding(len(vocab), 16)(tokens)
        x = tf.keras.layers.GlobalAveragePooling1D()(x)
        x = tf.keras.layers.Dense(16, activation="relu")(x)
        probabilities = tf.keras.layers.Dense(len(LIBRARIES), activation="softmax", name="probability")(x)
        return tf.keras.Model(tokens, probabilities)

    model = build()
    model.compile(optimizer=tf.keras.optimizers.Adam(5e-3), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x_train, y_train, epochs=25, batch_size=32, verbose=0, shuffle=True)
    print("Keras test accuracy: %.4f" % model.evaluate(x_test, y_test, verbose=0)[1])

    inference = build(batch=1)
    inference.set_weights(model.get_weights())
    raw = HERE / "Models" / "docstring_classifier.tflite"
    raw.parent.mkdir(exist_ok=True)
    raw.write_bytes(tf.lite.TFLiteConverter.from_keras_model(inference).convert())

    data = HERE / "Data"
    data.mkdir(exist_ok=True)
    (data / "vocab.txt").write_text("".join("%s %d\n" % (w, i) for w, i in vocab.items()))
    (data / "labels.txt").write_text("".join(label + "\n" for label, _ in LIBRARIES))
    (data / "test_texts.json").write_text(json.dumps([{"text": t, "label": l} for t, l in test], indent=1) + "\n")

    populated = HERE / "Sources" / "TextClassifier" / "DocstringClassifier.tflite"
    sample_training.populate(raw, populated, "nl-classifier", "Docstring classifier",
                             "Tells which library a docstring comes from: NumPy, scikit-learn, Pygments or requests/urllib3.",
                             "--vocab", data / "vocab.txt", "--labels", data / "labels.txt")

    from ai_edge_litert.interpreter import Interpreter, OpResolverType
    interpreter = Interpreter(model_path=str(populated), num_threads=1,
                              experimental_op_resolver_type=OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES)
    interpreter.allocate_tensors()
    inp, out = interpreter.get_input_details()[0], interpreter.get_output_details()[0]
    predictions = []
    for row in x_test:
        interpreter.set_tensor(inp["index"], row[None])
        interpreter.invoke()
        predictions.append(int(np.argmax(interpreter.get_tensor(out["index"])[0])))
    accuracy = float(np.mean(np.array(predictions) == y_test))
    (data / "litert.json").write_text(json.dumps({"accuracy": accuracy, "predictions": predictions}) + "\n")
    print("%d training, %d test texts; vocabulary %d; LiteRT test accuracy %.4f" % (len(train), len(test), len(vocab), accuracy))


if __name__ == "__main__":
    main()
