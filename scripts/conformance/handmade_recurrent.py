"""Handmade conformance cases for the recurrent operators the converter does not emit.

Part of the catalogue scripts/make_conformance.py writes (one-operator models built with the
flatbuffers object API by handmade_shape_quant_compare's machinery, the state tensors marked
as variables):

  * UNIDIRECTIONAL_SEQUENCE_LSTM, full int8, in the shapes Keras never makes (CIFG, projection,
    both; layer normalization and peepholes, alone and with CIFG or a projection, and a gate
    whose integer variance falls to LiteRT's guard), with the intermediate tensors the
    converter would record (with layer norm the first four are the gates' scales);
    float32 and hybrid with layer normalization and peepholes (tf_keras fuses neither);
  * BIDIRECTIONAL_SEQUENCE_LSTM: tf_keras `Bidirectional(LSTM)` converts to two
    UNIDIRECTIONAL_SEQUENCE_LSTMs around REVERSE_V2 and CONCATENATION, so the fused operator is
    built here: float32 time-major with merged outputs, batch-major with separate outputs and
    projections, and hybrid (int8 weights, asymmetrically quantized inputs).
  * UNIDIRECTIONAL_SEQUENCE_RNN: the TF 2.19 converter turns tf_keras `SimpleRNN` into a WHILE
    loop; float32 (batch- and time-major, tanh and relu) and hybrid (symmetric and asymmetric
    input quantization).
  * SVDF (keyword spotting): float32 (rank 1 and 2), hybrid (int8 feature and time weights) and
    full integer (int8 input and feature weights, int16 time weights and state; LiteRT requires
    RELU there, so there is no case with another activation).

Each model runs once from zeroed states (int8 states at their zero point), so every case
exercises the recurrence over its time steps (SVDF: one step; its state shifts in place).

Regenerate:  make fixtures, or .venv/bin/python scripts/make_conformance.py --only PATTERN
"""
from __future__ import annotations


import numpy as np

from conformance import handmade_shape_quant_compare as H

GENERATOR = "scripts/conformance/handmade_recurrent.py"


class Variable(H.T):
    """A state tensor: a variable of the model, not one of its inputs."""


def _build(op, inputs, outputs, options, intermediates=()):
    """H.build_model, with the Variable tensors marked `is_variable` and taken out of the
    subgraph's inputs, and `intermediates` (H.T with scales) added as the operator's
    intermediate tensors."""
    import flatbuffers
    from tensorflow.lite.python import schema_py_generated as S
    buf = H.build_model(op, inputs, outputs, options)
    model = S.ModelT.InitFromPackedBuf(buf, 0)
    sg = model.subgraphs[0]
    present = [t for t in inputs if t is not None]  # build_model numbers the tensors of present inputs
    variables = {i for i, t in enumerate(present) if isinstance(t, Variable)}
    for i in variables:
        sg.tensors[i].isVariable = True
    sg.inputs = np.array([i for i in sg.inputs if i not in variables], dtype=np.int32)
    extra = []
    for k, t in enumerate(intermediates):
        tensor = S.TensorT()
        tensor.name = f"intermediate{k}"
        tensor.shape = np.array([], dtype=np.int32)
        tensor.type = H.TYPES[t.dtype]
        model.buffers.append(S.BufferT())
        tensor.buffer = len(model.buffers) - 1
        q = S.QuantizationParametersT()
        q.scale = np.array([t.scale], dtype=np.float32)
        q.zeroPoint = np.array([t.zp], dtype=np.int64)
        tensor.quantization = q
        sg.tensors.append(tensor)
        extra.append(len(sg.tensors) - 1)
    if extra:
        sg.operators[0].intermediates = np.array(extra, dtype=np.int32)
    b = flatbuffers.Builder(0)
    b.Finish(model.Pack(b), file_identifier=b"TFL3")
    return bytes(b.Output())


def _floats(rng, shape, scale=0.4):
    return rng.normal(0, scale, shape).astype(np.float32)


def _int8(rng, shape):
    return rng.integers(-127, 128, shape).astype(np.int8)


class RecurrentCase(H.Case):
    def __init__(self, name, op, dtype, params, inputs, outputs, options, feeds=None, intermediates=()):
        live = [t for t in inputs if t is not None and t.data is None and not isinstance(t, Variable)]
        super().__init__(name, op, dtype, params, feeds=feeds or (lambda rng: [H.rand(rng, t) for t in live]))
        self.model = lambda: _build(op, inputs, outputs, options, intermediates)
        self.inputs, self.outputs, self.options = inputs, outputs, options


def _lstm_direction(rng, inputs, cells, outputs, hybrid, projection=False):
    """One direction's 17 tensors in the schema's order (weights, peepholes, biases, projection)."""
    def weights(shape):
        return H.T("int8", shape, 0.02, 0, data=_int8(rng, shape)) if hybrid else H.T("float32", shape, data=_floats(rng, shape))
    tensors = [weights([cells, inputs]) for _ in range(4)] + [weights([cells, outputs]) for _ in range(4)] + [None] * 3
    tensors += [H.T("float32", [cells], data=_floats(rng, [cells], 0.2)) for _ in range(4)]
    tensors += [weights([outputs, cells]), H.T("float32", [outputs], data=_floats(rng, [outputs], 0.1))] if projection else [None, None]
    return tensors


def integer_lstm_cases():
    """Full-integer UNIDIRECTIONAL_SEQUENCE_LSTM shapes the converter does not make from Keras:
    CIFG (no input gate) and a projection with its bias, int8 states with nonzero zero points,
    cell scale 2^-11 (tanh of the cell state with 4 integer bits), clips; then layer
    normalization (int16 coefficients, the gate biases added after it at the coefficients'
    scale / 1024, the intermediates 0-3 giving each gate's scale before it) and peepholes (int16
    cell-to-gate weights), alone and with CIFG and a projection. LiteRT's peephole walks the
    output width per batch row, not the cell count, so with a projection (4 outputs, 8 cells)
    only the first 4 × batch gate values get a peephole term, read from the flat cell state:
    the case keeps that too."""
    c = []
    variants = [("cifg", True, False, False, False), ("projection", False, True, False, False),
                ("cifg_projection", True, True, False, False),
                ("layer_norm", False, False, False, True), ("peephole", False, False, True, False),
                ("layer_norm_peephole_cifg", True, False, True, True), ("layer_norm_projection", False, True, False, True),
                ("peephole_projection", False, True, True, False), ("layer_norm_variance_guard", False, False, False, True),
                ("layer_norm_peephole_cifg_projection_time_major", True, True, True, True)]
    for variant, cifg, projection, peephole, layer_norm in variants:
        rng = np.random.default_rng(len(variant) + 50)
        plain = not (peephole or layer_norm)
        time, batch, features, cells = (4, 2, 5, 6) if plain else (5, 2, 5, 8)
        if variant == "layer_norm_projection":
            cells = 6  # not a power of two: LiteRT's integer variance truncates 2^20 / cells
        outputs = (3 if plain else 4) if projection else cells
        x_scale, h_scale, h_zp = 0.02, 0.008, 4
        gate_scales = [0.0005, 0.0006, 0.0004, 0.0007] if layer_norm else [2.0 ** -12] * 4
        norm_scale = 0.0001
        if variant == "layer_norm_variance_guard":
            # The forget gate's sums land on -1, 0, 1: their integer variance truncates to 0 and
            # LiteRT takes max(1, 10000 × coefficient scale) = 4 instead.
            gate_scales[1], norm_scale = 4.0, 0.0004

        def weights(shape, scale=0.01):
            return H.T("int8", shape, scale, 0, data=_int8(rng, shape))

        def bias(count, scale):
            return H.T("int32", [count], scale, 0, data=rng.integers(-4000, 4000, [count]).astype(np.int32))
        gates = [None if cifg and k == 0 else weights([cells, features]) for k in range(4)]
        recurrent = [None if cifg and k == 0 else weights([cells, outputs], 0.012) for k in range(4)]
        biases = [None if cifg and k == 0 else bias(cells, x_scale * 0.01) for k in range(4)]
        time_major = variant.endswith("time_major")  # all batch rows per step: the peephole walk spans them
        tensors = [H.T("int8", [time, batch, features] if time_major else [batch, time, features], x_scale, -2)] + gates + recurrent
        peepholes = [None] * 3
        if peephole:
            peepholes = [None if cifg and k == 0 else H.T("int16", [cells], 0.0002, 0,
                                                          data=rng.integers(-3000, 3000, [cells]).astype(np.int16))
                         for k in range(3)]
        norms = [None] * 4
        if layer_norm:
            norms = [None if cifg and k == 0 else H.T("int16", [cells], norm_scale, 0,
                                                      data=rng.integers(6000, 14000, [cells]).astype(np.int16))
                     for k in range(4)]
            biases = [None if cifg and k == 0 else H.T("int32", [cells], norm_scale / 1024, 0,
                                                       data=rng.integers(-1_500_000, 1_500_000, [cells]).astype(np.int32))
                      for k in range(4)]
        tensors += peepholes + biases
        projection_scale = 0.02 if plain else 0.005
        tensors += [weights([outputs, cells], projection_scale), bias(outputs, projection_scale * h_scale)] if projection else [None, None]
        tensors += [Variable("int8", [batch, outputs], h_scale, h_zp), Variable("int16", [batch, cells], 2.0 ** -11, 0)]
        tensors += norms
        intermediates = [H.T("int16", [], s, 0) for s in gate_scales] + [H.T("int8", [], 0.007, -3)]
        options = H.opts("UnidirectionalSequenceLSTMOptions", fusedActivationFunction=4, cellClip=6.0, projClip=0.9 if projection else 0.0,
                         timeMajor=time_major, asymmetricQuantizeInputs=False)
        c.append(RecurrentCase(f"unidirectional_sequence_lstm_{variant}_int8", "UNIDIRECTIONAL_SEQUENCE_LSTM", "int8",
                               {"cifg": cifg, "projection": projection, "cell_scale": "2^-11"} if plain else
                               {"cifg": cifg, "projection": projection, "peephole": peephole, "layer_norm": layer_norm,
                                "time": time, "cells": cells, "time_major": time_major, "cell_scale": "2^-11"}, tensors,
                               [H.T("int8", [time, batch, outputs] if time_major else [batch, time, outputs], h_scale, h_zp)], options,
                               intermediates=intermediates))
    return c


def float_lstm_variant_cases():
    """UNIDIRECTIONAL_SEQUENCE_LSTM float32 and hybrid with peepholes and layer normalization
    (tf_keras never fuses either): float32 with both, float32 CIFG + projection with both,
    hybrid (int8 peepholes, float32 layer-norm coefficients) with asymmetric inputs."""
    c = []
    for variant, hybrid, cifg, projection in [("layer_norm_peephole", False, False, False),
                                              ("layer_norm_peephole_cifg_projection", False, True, True),
                                              ("layer_norm_peephole", True, False, False)]:
        rng = np.random.default_rng(len(variant) + 90 + hybrid)
        time, batch, features, cells = 5, 2, 4, 6
        outputs = 4 if projection else cells
        tensors = [H.T("float32", [batch, time, features])]
        direction = _lstm_direction(rng, features, cells, outputs, hybrid, projection=projection)

        def vector(scale):
            if hybrid:
                return H.T("int8", [cells], 0.01, 0, data=_int8(rng, [cells]))
            return H.T("float32", [cells], data=_floats(rng, [cells], scale))
        direction[8:11] = [None if cifg and k == 0 else vector(0.3) for k in range(3)]
        if cifg:
            direction[0] = direction[4] = direction[11] = None
        tensors += direction
        tensors += [Variable("float32", [batch, outputs]), Variable("float32", [batch, cells])]
        tensors += [None if cifg and k == 0 else H.T("float32", [cells], data=1 + _floats(rng, [cells], 0.2)) for k in range(4)]
        options = H.opts("UnidirectionalSequenceLSTMOptions", fusedActivationFunction=4, cellClip=0.0, projClip=0.0,
                         timeMajor=False, asymmetricQuantizeInputs=hybrid)
        dtype = "hybrid" if hybrid else "float32"
        c.append(RecurrentCase(f"unidirectional_sequence_lstm_{variant}_{dtype}", "UNIDIRECTIONAL_SEQUENCE_LSTM", dtype,
                               {"cifg": cifg, "projection": projection, "peephole": True, "layer_norm": True, "time": time},
                               tensors, [H.T("float32", [batch, time, outputs])], options))
    return c


def bidirectional_cases():
    c = []
    for variant, time_major, merge, hybrid, fw_outputs in [("merged_time_major", True, True, False, 6),
                                                           ("split_batch_major_projection", False, False, False, 4),
                                                           ("hybrid_merged", True, True, True, 6)]:
        rng = np.random.default_rng(len(variant))
        time, batch, features, cells = 5, 2, 4, 6
        shape = [time, batch, features] if time_major else [batch, time, features]
        tensors = [H.T("float32", shape)]
        tensors += _lstm_direction(rng, features, cells, fw_outputs, hybrid, projection=fw_outputs != cells)
        # LiteRT checks both directions against one output width, so both project alike.
        tensors += _lstm_direction(rng, features, cells, fw_outputs, hybrid, projection=fw_outputs != cells)
        tensors += [Variable("float32", [batch, fw_outputs]), Variable("float32", [batch, cells]),
                    Variable("float32", [batch, fw_outputs]), Variable("float32", [batch, cells])]
        tensors += [None] * 9  # no auxiliary input
        out_shape = (lambda width: [time, batch, width] if time_major else [batch, time, width])
        outputs = [H.T("float32", out_shape(2 * fw_outputs))] if merge else \
            [H.T("float32", out_shape(fw_outputs)), H.T("float32", out_shape(fw_outputs))]
        options = H.opts("BidirectionalSequenceLSTMOptions", fusedActivationFunction=4, cellClip=0.0, projClip=0.0,
                         mergeOutputs=merge, timeMajor=time_major, asymmetricQuantizeInputs=hybrid)
        c.append(RecurrentCase(f"bidirectional_sequence_lstm_{variant}_{'hybrid' if hybrid else 'float32'}",
                               "BIDIRECTIONAL_SEQUENCE_LSTM", "hybrid" if hybrid else "float32",
                               {"time": time, "batch": batch, "cells": cells, "outputs": fw_outputs, "time_major": time_major,
                                "merge_outputs": merge}, tensors, outputs, options))
    return c


def rnn_cases():
    c = []
    for variant, time_major, activation, hybrid, asymmetric in [("batch_major_tanh", False, 4, False, False),
                                                                ("time_major_relu", True, 1, False, False),
                                                                ("symmetric", False, 4, True, False),
                                                                ("asymmetric", True, 4, True, True)]:
        rng = np.random.default_rng(len(variant) + 7)
        time, batch, features, units = 6, 2, 5, 7
        shape = [time, batch, features] if time_major else [batch, time, features]

        def weights(s):
            return H.T("int8", s, 0.015, 0, data=_int8(rng, s)) if hybrid else H.T("float32", s, data=_floats(rng, s))
        tensors = [H.T("float32", shape), weights([units, features]), weights([units, units]),
                   H.T("float32", [units], data=_floats(rng, [units], 0.2)), Variable("float32", [batch, units])]
        out = [H.T("float32", [time, batch, units] if time_major else [batch, time, units])]
        options = H.opts("SequenceRNNOptions", timeMajor=time_major, fusedActivationFunction=activation,
                         asymmetricQuantizeInputs=asymmetric)
        dtype = "hybrid" if hybrid else "float32"
        c.append(RecurrentCase(f"unidirectional_sequence_rnn_{variant}_{dtype}", "UNIDIRECTIONAL_SEQUENCE_RNN", dtype,
                               {"time_major": time_major, "activation": {4: "tanh", 1: "relu"}[activation],
                                "asymmetric_inputs": asymmetric}, tensors, out, options))
    return c


def svdf_cases():
    c = []
    batch, features, memory = 2, 6, 4
    for variant, rank, filters, activation in [("rank1_relu", 1, 8, 1), ("rank2", 2, 8, 0)]:
        rng = np.random.default_rng(rank + 20)
        units = filters // rank
        tensors = [H.T("float32", [batch, features]), H.T("float32", [filters, features], data=_floats(rng, [filters, features])),
                   H.T("float32", [filters, memory], data=_floats(rng, [filters, memory])),
                   H.T("float32", [units], data=_floats(rng, [units], 0.2)), Variable("float32", [batch, filters * memory])]
        c.append(RecurrentCase(f"svdf_{variant}_float32", "SVDF", "float32", {"rank": rank, "filters": filters, "memory": memory},
                               tensors, [H.T("float32", [batch, units])],
                               H.opts("SVDFOptions", rank=rank, fusedActivationFunction=activation)))
    for asymmetric in [False, True]:
        rng = np.random.default_rng(31 + asymmetric)
        filters, units = 8, 4
        tensors = [H.T("float32", [batch, features]), H.T("int8", [filters, features], 0.01, 0, data=_int8(rng, [filters, features])),
                   H.T("int8", [filters, memory], 0.008, 0, data=_int8(rng, [filters, memory])),
                   H.T("float32", [units], data=_floats(rng, [units], 0.2)), Variable("float32", [batch, filters * memory])]
        name = "asymmetric" if asymmetric else "symmetric"
        c.append(RecurrentCase(f"svdf_{name}_hybrid", "SVDF", "hybrid", {"rank": 2, "asymmetric_inputs": asymmetric},
                               tensors, [H.T("float32", [batch, units])],
                               H.opts("SVDFOptions", rank=2, fusedActivationFunction=1, asymmetricQuantizeInputs=asymmetric)))
    for variant, activation in [("relu", 1)]:  # LiteRT's integer SVDF refuses every other activation
        rng = np.random.default_rng(41 + activation)
        filters, units = 8, 4
        tensors = [H.T("int8", [batch, features], 0.03, 5), H.T("int8", [filters, features], 0.012, 0, data=_int8(rng, [filters, features])),
                   H.T("int16", [filters, memory], 0.0004, 0, data=rng.integers(-8000, 8000, [filters, memory]).astype(np.int16)),
                   H.T("int32", [units], 0.0001, 0, data=rng.integers(-3000, 3000, [units]).astype(np.int32)),
                   Variable("int16", [batch, filters * memory], 0.004, 0)]
        c.append(RecurrentCase(f"svdf_{variant}_int8", "SVDF", "int8", {"rank": 2, "activation": variant},
                               tensors, [H.T("int8", [batch, units], 0.02, -3)],
                               H.opts("SVDFOptions", rank=2, fusedActivationFunction=activation)))
    return c


def all_cases():
    return integer_lstm_cases() + float_lstm_variant_cases() + bidirectional_cases() + rnn_cases() + svdf_cases()


def write_case(case, root: str):
    """Writes the case's folder under `root` (naming this module as its generator); returns
    None, or why LiteRT refused the case."""
    return H.write_case(case, root, generator=GENERATOR, mode="handmade")
