"""Handmade conformance cases for the common operators the converter cannot emit from TensorFlow.

Part of the catalogue scripts/make_conformance.py writes (one-operator models built with the
flatbuffers object API by handmade_shape_quant_compare's machinery):

  * DYNAMIC_UPDATE_SLICE: TensorFlow reaches it only through XlaDynamicUpdateSlice, whose
    conversion aborts in this TensorFlow build (a protobuf descriptor clash); start indices
    inside the operand, and past its end (clamped), int32 and int64, for every element type
    LiteRT's kernel takes.

Regenerate:  make fixtures, or .venv/bin/python scripts/make_conformance.py --only PATTERN
"""
from __future__ import annotations


import numpy as np

from conformance import handmade_shape_quant_compare as H

GENERATOR = "scripts/conformance/handmade_common_ops.py"


def dynamic_update_slice_cases():
    c = []
    for dtype, scale in [("float32", None), ("int32", None), ("int8", 0.05), ("int16", 0.001), ("int64", None), ("bool", None)]:
        for variant, index_type, start in [("inside", "int32", [1, 2, 0]), ("clamped", "int64", [3, -2, 9])]:
            lo, hi = (None, None) if dtype in ("bool", "float32") else (-50, 50)
            operand = H.T(dtype, [4, 5, 3], scale, 0, lo=lo, hi=hi)
            update = H.T(dtype, [2, 3, 3], scale, 0, lo=lo, hi=hi)
            indices = H.T(index_type, [3])
            c.append(H.Case(f"dynamic_update_slice_{variant}_{index_type}_{dtype}", "DYNAMIC_UPDATE_SLICE", dtype,
                            {"operand": [4, 5, 3], "update": [2, 3, 3], "start": start, "indices": index_type},
                            [operand, update, indices], [H.T(dtype, [4, 5, 3], scale, 0)],
                            feeds=lambda rng, operand=operand, update=update, start=start, index_type=index_type: [
                                H.rand(rng, operand), H.rand(rng, update), np.array(start, dtype=index_type)]))
    return c


def all_cases():
    return dynamic_update_slice_cases()


def write_case(case, root: str):
    """Writes the case's folder under `root` (naming this module as its generator); returns
    None, or why LiteRT refused the case."""
    return H.write_case(case, root, generator=GENERATOR)
