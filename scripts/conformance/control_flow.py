"""Control-flow and resource-variable conformance cases, built with the real TF converter.

Part of the catalogue scripts/make_conformance.py writes: Tests/Fixtures/conformance/<case>/
(model.tflite, input_N.npy, output_N.npy = LiteRT BUILTIN_REF outputs, case.json). The models
need converter settings the per-operator catalogue does not use (resource variables, Keras
layers), so each case builds its own model:
  * while_*: tf.while_loop -> WHILE with condition and body subgraphs (a counter loop whose trip
    count is an input, a loop carrying a matrix product);
  * while_grow_*: tf.while_loop whose loop value grows (tf.concat, shape_invariants=[None]):
    float32, int32 and int64 values, rows appended autoregressively (tanh(last row W)), and a
    part whose size the body computes (tf.where of a rising threshold);
  * if_*: tf.cond -> IF with then/else subgraphs (if_shapes_*: branches of different shapes);
  * variables_*: a tf.Module with tf.Variables, converted with resource variables enabled ->
    CALL_ONCE (initialization subgraph), VAR_HANDLE, READ_VARIABLE, ASSIGN_VARIABLE; the case
    runs the model twice and stores the second run's outputs (the variables carry over);
  * keras_lstm / keras_gru / keras_rnn: Keras 3 recurrent layers, which convert to WHILE loops
    (with return_sequences the body writes each step's output into the sequence through
    SLICEs sized by the iteration counter: operators the interpreter prepares at invoke);
  * keras2_gru_*: Keras 2 (tf-keras) GRU layers, which (unlike its LSTM) also convert to WHILE
    loops: float32 and dynamic-range (int8 weights, hybrid FULLY_CONNECTED in the body). The
    converter crashes (SIGSEGV) quantizing them to full int8, so there is no such case;
  * peephole_lstm_cell_*: a peephole LSTM, the one way tf_keras 2.19 still builds one (its
    legacy `LSTMCell(use_peepholes=True)`, stepped six times in a tf.function): the converter
    emits no fused LSTM for it but plain FULLY_CONNECTED / LOGISTIC / TANH / MUL / ADD operators,
    in float32 and in int8 (a representative dataset; float input and output). tf_keras has no
    layer-normalized LSTM layer, and its LSTM layer fuses only the plain cell;
  * keras2_lstm_*: Keras 2 (tf-keras) LSTM layers, which convert to the fused
    UNIDIRECTIONAL_SEQUENCE_LSTM: float32, dynamic-range (int8 weights, hybrid evaluation
    with asymmetrically quantized inputs) at a size the converter quantizes, and full int8
    (a representative dataset; int8 input, output state and weights, int16 cell state, the
    hidden scale on the operator's intermediates). The converter refuses int16x8 for the
    fused LSTM ("Quantization to 16x8-bit not yet supported"), so there is no such case.
Regenerate:  .venv/bin/python scripts/make_conformance.py --only 'PATTERN'
"""
import json
import os
import shutil
import tempfile
import zlib

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np  # noqa: E402

GENERATOR = "scripts/conformance/control_flow.py"


class ControlFlowCase:
    def __init__(self, name, op, build, feeds, runs=1, params=None, dtype="float32"):
        self.name, self.op, self.dtype = name, op, dtype
        self.params = params or {}
        self.build, self.feeds, self.runs = build, feeds, runs


def _convert_function(fn, signature, resource_variables=False, module=None):
    import tensorflow as tf
    concrete = tf.function(fn, input_signature=signature).get_concrete_function()
    converter = tf.lite.TFLiteConverter.from_concrete_functions([concrete], module)
    converter.experimental_enable_resource_variables = resource_variables
    return converter.convert()


def _while_counter():
    import tensorflow as tf

    def fn(x, n):
        _, y = tf.while_loop(lambda i, y: i < n, lambda i, y: (i + 1, y * 0.75 + 1.0), [tf.constant(0), x])
        return y
    return _convert_function(fn, [tf.TensorSpec([2, 3], tf.float32), tf.TensorSpec([], tf.int32)])


def _while_matmul():
    import tensorflow as tf
    w = np.random.default_rng(3).normal(0, 0.4, (4, 4)).astype(np.float32)

    def fn(x):
        _, y = tf.while_loop(lambda i, y: i < 5, lambda i, y: (i + 1, tf.tanh(tf.matmul(y, w))), [tf.constant(0), x])
        return y
    return _convert_function(fn, [tf.TensorSpec([3, 4], tf.float32)])


def _while_growing(dtype):
    """A loop value that grows: every iteration appends two values computed from the last two
    (tf.concat with shape_invariants=[None]), for n iterations (an input)."""
    import tensorflow as tf
    t = tf.as_dtype(dtype)

    def fn(x, n):
        def body(i, y):
            return i + 1, tf.concat([y, y[-2:] * tf.cast(2, t) + tf.cast(i, t)], 0)
        _, y = tf.while_loop(lambda i, y: i < n, body, [tf.constant(0), x],
                             shape_invariants=[tf.TensorShape([]), tf.TensorShape([None])])
        return y
    return _convert_function(fn, [tf.TensorSpec([3], t), tf.TensorSpec([], tf.int32)])


def _while_growing_rows():
    """Autoregressive accumulation: each iteration appends tanh(last row W) as a new row,
    the sequence kept as a loop value of shape [None, 4] (no TensorArray)."""
    import tensorflow as tf
    w = np.random.default_rng(5).normal(0, 0.6, (4, 4)).astype(np.float32)

    def fn(x, n):
        def body(i, y):
            return i + 1, tf.concat([y, tf.tanh(tf.matmul(y[-1:], w))], 0)
        _, y = tf.while_loop(lambda i, y: i < n, body, [tf.constant(0), x],
                             shape_invariants=[tf.TensorShape([]), tf.TensorShape([None, 4])])
        return y, tf.reduce_sum(y, 0)
    return _convert_function(fn, [tf.TensorSpec([1, 4], tf.float32), tf.TensorSpec([], tf.int32)])


def _if_branches():
    import tensorflow as tf

    def fn(x, flag):
        return tf.cond(flag, lambda: x * 2.0 + 1.0, lambda: tf.nn.relu(x) - 0.5)
    return _convert_function(fn, [tf.TensorSpec([2, 5], tf.float32), tf.TensorSpec([], tf.bool)])


def _while_growing_where():
    """A loop value grown by a part whose size the body computes (tf.where of a threshold that
    rises with the counter): its shape is known only as the body runs."""
    import tensorflow as tf

    def fn(x, n):
        def body(i, y):
            kept = tf.gather_nd(x, tf.where(x > tf.cast(i, tf.float32) * 0.25))
            return i + 1, tf.concat([y, kept], 0)
        _, y = tf.while_loop(lambda i, y: i < n, body, [tf.constant(0), x[:1]],
                             shape_invariants=[tf.TensorShape([]), tf.TensorShape([None])])
        return y
    return _convert_function(fn, [tf.TensorSpec([8], tf.float32), tf.TensorSpec([], tf.int32)])


def _if_shapes():
    """Branches that return different shapes: the IF's output takes the chosen one's."""
    import tensorflow as tf

    def fn(x, flag):
        return tf.cond(flag, lambda: x * 2.0, lambda: tf.concat([x, -x, x + 1.0], 0))
    return _convert_function(fn, [tf.TensorSpec([2, 3], tf.float32), tf.TensorSpec([], tf.bool)])


def _variables():
    import tensorflow as tf

    class Accumulator(tf.Module):
        def __init__(self):
            super().__init__()
            self.total = tf.Variable(tf.zeros([2, 3]))
            self.count = tf.Variable(tf.zeros([]))

        @tf.function(input_signature=[tf.TensorSpec([2, 3], tf.float32)])
        def __call__(self, x):
            self.total.assign_add(x)
            self.count.assign_add(1.0)
            return self.total / self.count

    module = Accumulator()
    concrete = module.__call__.get_concrete_function()
    converter = tf.lite.TFLiteConverter.from_concrete_functions([concrete], module)
    converter.experimental_enable_resource_variables = True
    return converter.convert()


def _keras_recurrent(layer, return_sequences=False):
    import tensorflow as tf
    import keras
    keras.utils.set_random_seed(7)
    model = keras.Sequential([keras.Input((6, 4), batch_size=1), layer(8, return_sequences=return_sequences)])
    with tempfile.TemporaryDirectory() as d:
        converter = tf.lite.TFLiteConverter.from_keras_model(model)
        return converter.convert()


def _keras2_lstm(units, features, steps, return_sequences, dynamic, int8=False, batch=1, layer="LSTM"):
    import tensorflow as tf
    import tf_keras
    tf_keras.utils.set_random_seed(11)
    model = tf_keras.Sequential([tf_keras.layers.InputLayer(input_shape=(steps, features), batch_size=batch),
                                 getattr(tf_keras.layers, layer)(units, return_sequences=return_sequences)])
    fn = tf.function(lambda x: model(x), input_signature=[tf.TensorSpec([batch, steps, features], tf.float32)])
    converter = tf.lite.TFLiteConverter.from_concrete_functions([fn.get_concrete_function()], model)
    if dynamic or int8:
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
    if int8:
        def representative():
            rng = np.random.default_rng(5)
            for _ in range(32):
                yield [rng.uniform(-1, 1, (batch, steps, features)).astype(np.float32)]
        converter.representative_dataset = representative
        converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
        converter.inference_input_type = tf.int8
        converter.inference_output_type = tf.int8
    return converter.convert()


def _peephole_lstm_cell(int8):
    import tensorflow as tf
    from tf_keras.src.layers.rnn import legacy_cells
    tf.random.set_seed(13)

    class Cell(tf.Module):
        def __init__(self):
            super().__init__()
            self.cell = legacy_cells.LSTMCell(8, use_peepholes=True)
            self.cell.build(tf.TensorShape([1, 4]))

        @tf.function(input_signature=[tf.TensorSpec([1, 6, 4], tf.float32)])
        def __call__(self, x):
            state = self.cell.zero_state(1, tf.float32)
            outputs = []
            for t in range(6):
                h, state = self.cell(x[:, t], state)
                outputs.append(h)
            return tf.stack(outputs, 1)

    module = Cell()
    converter = tf.lite.TFLiteConverter.from_concrete_functions([module.__call__.get_concrete_function()], module)
    if int8:
        def representative():
            rng = np.random.default_rng(5)
            for _ in range(32):
                yield [rng.uniform(-1, 1, (1, 6, 4)).astype(np.float32)]
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
        converter.representative_dataset = representative
        converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    return converter.convert()


def all_cases():
    import keras
    rng_floats = lambda shape: (lambda rng: rng.uniform(-1, 1, shape).astype(np.float32))  # noqa: E731
    rng_int8 = lambda shape: (lambda rng: rng.integers(-128, 128, shape).astype(np.int8))  # noqa: E731
    return [
        ControlFlowCase("while_counter_float32", "WHILE", _while_counter,
                        lambda rng: [rng.uniform(-1, 1, (2, 3)).astype(np.float32), np.array(7, np.int32)],
                        params={"loop": "i < n: y = 0.75 y + 1", "n": 7}),
        ControlFlowCase("while_matmul_float32", "WHILE", _while_matmul, lambda rng: [rng_floats((3, 4))(rng)],
                        params={"loop": "5 times: y = tanh(y W)"}),
        # loop values whose shape changes between iterations
        *[ControlFlowCase(f"while_grow_concat_{dtype}", "WHILE", lambda dtype=dtype: _while_growing(dtype),
                          lambda rng, dtype=dtype: [(rng.uniform(-1, 1, 3) if dtype == "float32" else rng.integers(-5, 6, 3)).astype(dtype),
                                                    np.array(6, np.int32)],
                          params={"loop": "i < n: y = concat(y, 2 y[-2:] + i)", "n": 6, "shape": "[3] -> [15]"}, dtype=dtype)
          for dtype in ("float32", "int32", "int64")],
        ControlFlowCase("while_grow_rows_float32", "WHILE", _while_growing_rows,
                        lambda rng: [rng_floats((1, 4))(rng), np.array(9, np.int32)],
                        params={"loop": "i < n: y = concat(y, tanh(y[-1:] W))", "n": 9, "shape": "[1, 4] -> [10, 4]"}),
        ControlFlowCase("while_grow_where_float32", "WHILE", _while_growing_where,
                        lambda rng: [rng_floats((8,))(rng), np.array(4, np.int32)],
                        params={"loop": "i < n: y = concat(y, x[x > i / 4])", "n": 4}),
        ControlFlowCase("if_shapes_then_float32", "IF", _if_shapes,
                        lambda rng: [rng_floats((2, 3))(rng), np.array(True)], params={"branch": "then", "shape": [2, 3]}),
        ControlFlowCase("if_shapes_else_float32", "IF", _if_shapes,
                        lambda rng: [rng_floats((2, 3))(rng), np.array(False)], params={"branch": "else", "shape": [6, 3]}),
        ControlFlowCase("if_then_float32", "IF", _if_branches,
                        lambda rng: [rng_floats((2, 5))(rng), np.array(True)], params={"branch": "then"}),
        ControlFlowCase("if_else_float32", "IF", _if_branches,
                        lambda rng: [rng_floats((2, 5))(rng), np.array(False)], params={"branch": "else"}),
        ControlFlowCase("variables_accumulator_float32", "CALL_ONCE", _variables, lambda rng: [rng_floats((2, 3))(rng)],
                        runs=2, params={"runs": 2, "state": "running mean of the inputs"}),
        ControlFlowCase("keras_lstm_float32", "WHILE", lambda: _keras_recurrent(keras.layers.LSTM),
                        lambda rng: [rng_floats((1, 6, 4))(rng)], params={"layer": "keras.layers.LSTM(8)"}),
        ControlFlowCase("keras_gru_float32", "WHILE", lambda: _keras_recurrent(keras.layers.GRU),
                        lambda rng: [rng_floats((1, 6, 4))(rng)], params={"layer": "keras.layers.GRU(8)"}),
        ControlFlowCase("keras_lstm_sequences_float32", "WHILE", lambda: _keras_recurrent(keras.layers.LSTM, True),
                        lambda rng: [rng_floats((1, 6, 4))(rng)], params={"layer": "keras.layers.LSTM(8, return_sequences=True)"}),
        ControlFlowCase("keras_gru_sequences_float32", "WHILE", lambda: _keras_recurrent(keras.layers.GRU, True),
                        lambda rng: [rng_floats((1, 6, 4))(rng)], params={"layer": "keras.layers.GRU(8, return_sequences=True)"}),
        ControlFlowCase("keras_rnn_sequences_float32", "WHILE", lambda: _keras_recurrent(keras.layers.SimpleRNN, True),
                        lambda rng: [rng_floats((1, 6, 4))(rng)], params={"layer": "keras.layers.SimpleRNN(8, return_sequences=True)"}),
        ControlFlowCase("keras2_gru_sequences_float32", "WHILE", lambda: _keras2_lstm(8, 4, 6, True, False, layer="GRU"),
                        lambda rng: [rng_floats((1, 6, 4))(rng)], params={"layer": "tf_keras.layers.GRU(8, return_sequences=True)"}),
        ControlFlowCase("keras2_gru_last_float32", "WHILE", lambda: _keras2_lstm(16, 6, 7, False, False, layer="GRU"),
                        lambda rng: [rng_floats((1, 7, 6))(rng)], params={"layer": "tf_keras.layers.GRU(16)"}),
        ControlFlowCase("keras2_gru_hybrid", "WHILE", lambda: _keras2_lstm(48, 40, 5, True, True, layer="GRU"),
                        lambda rng: [rng_floats((1, 5, 40))(rng)],
                        params={"layer": "tf_keras.layers.GRU(48, return_sequences=True)", "mode": "dynamic range"}),
        ControlFlowCase("peephole_lstm_cell_float32", "FULLY_CONNECTED", lambda: _peephole_lstm_cell(False),
                        lambda rng: [rng_floats((1, 6, 4))(rng)],
                        params={"cell": "tf_keras legacy LSTMCell(8, use_peepholes=True), 6 steps", "fused": False}),
        ControlFlowCase("peephole_lstm_cell_int8", "FULLY_CONNECTED", lambda: _peephole_lstm_cell(True),
                        lambda rng: [rng_floats((1, 6, 4))(rng)],
                        params={"cell": "tf_keras legacy LSTMCell(8, use_peepholes=True), 6 steps", "fused": False,
                                "mode": "int8 (representative dataset), float input and output"}, dtype="int8"),
        ControlFlowCase("keras2_lstm_sequences_float32", "UNIDIRECTIONAL_SEQUENCE_LSTM",
                        lambda: _keras2_lstm(8, 4, 6, True, False), lambda rng: [rng_floats((1, 6, 4))(rng)],
                        params={"layer": "tf_keras.layers.LSTM(8, return_sequences=True)"}),
        ControlFlowCase("keras2_lstm_last_float32", "UNIDIRECTIONAL_SEQUENCE_LSTM",
                        lambda: _keras2_lstm(16, 6, 7, False, False), lambda rng: [rng_floats((1, 7, 6))(rng)],
                        params={"layer": "tf_keras.layers.LSTM(16)"}),
        ControlFlowCase("keras2_lstm_hybrid", "UNIDIRECTIONAL_SEQUENCE_LSTM",
                        lambda: _keras2_lstm(48, 40, 5, True, True), lambda rng: [rng_floats((1, 5, 40))(rng)],
                        params={"layer": "tf_keras.layers.LSTM(48, return_sequences=True)", "mode": "dynamic range"}),
        ControlFlowCase("keras2_lstm_sequences_int8", "UNIDIRECTIONAL_SEQUENCE_LSTM",
                        lambda: _keras2_lstm(16, 5, 6, True, False, int8=True), lambda rng: [rng_int8((1, 6, 5))(rng)],
                        params={"layer": "tf_keras.layers.LSTM(16, return_sequences=True)", "mode": "int8 (representative dataset)"},
                        dtype="int8"),
        ControlFlowCase("keras2_lstm_last_batch2_int8", "UNIDIRECTIONAL_SEQUENCE_LSTM",
                        lambda: _keras2_lstm(24, 7, 8, False, False, int8=True, batch=2), lambda rng: [rng_int8((2, 8, 7))(rng)],
                        params={"layer": "tf_keras.layers.LSTM(24)", "batch": 2, "mode": "int8 (representative dataset)"},
                        dtype="int8"),
    ]


def _operators(buf):
    from tensorflow.lite.python import schema_py_generated as S
    names = {v: k for k, v in S.BuiltinOperator.__dict__.items() if not k.startswith("_")}
    model = S.ModelT.InitFromPackedBuf(buf, 0)
    found = set()
    for subgraph in model.subgraphs:
        for op in subgraph.operators:
            code = model.operatorCodes[op.opcodeIndex]
            found.add(names.get(max(code.builtinCode, code.deprecatedBuiltinCode), "?"))
    return sorted(found)


def write_case(case, root):
    """Writes the case's folder under `root`; returns None, or why the converter or LiteRT refused."""
    from ai_edge_litert.interpreter import Interpreter, OpResolverType
    try:
        buf = case.build()
    except Exception as e:  # the converter refuses
        return "converter: " + str(e).strip().splitlines()[0][:200]
    ops = _operators(buf)
    if case.op not in ops:
        return f"the converter made no {case.op} ({', '.join(ops)})"
    rng = np.random.default_rng(zlib.crc32(case.name.encode()))
    feeds = case.feeds(rng)
    try:
        interpreter = Interpreter(model_content=buf, num_threads=1,
                                  experimental_op_resolver_type=OpResolverType.BUILTIN_REF)
        interpreter.allocate_tensors()
        details = interpreter.get_input_details()
        for _ in range(case.runs):
            for detail, value in zip(details, feeds):
                interpreter.set_tensor(detail["index"], value.reshape(detail["shape"]).astype(detail["dtype"]))
            interpreter.invoke()
        outputs = [np.array(interpreter.get_tensor(d["index"])) for d in interpreter.get_output_details()]
    except Exception as e:
        return "LiteRT: " + str(e).strip().splitlines()[0][:200]
    directory = os.path.join(root, case.name)
    shutil.rmtree(directory, ignore_errors=True)
    os.makedirs(directory)
    with open(os.path.join(directory, "model.tflite"), "wb") as f:
        f.write(buf)
    for i, (detail, x) in enumerate(zip(details, feeds)):
        np.save(os.path.join(directory, f"input_{i}.npy"), x.reshape(detail["shape"]).astype(detail["dtype"]), allow_pickle=False)
    for i, y in enumerate(outputs):
        np.save(os.path.join(directory, f"output_{i}.npy"), y, allow_pickle=False)
    info = {
        "op": case.op, "dtype": case.dtype, "params": case.params, "ops": ops,
        "tolerance": {"kind": "relative", "value": 1e-5} if all(np.issubdtype(y.dtype, np.floating) for y in outputs)
        else {"kind": "exact", "value": 0}, "mode": "converter", "generator": GENERATOR,
        "expected_from": "BUILTIN_REF",
    }
    if case.runs > 1:
        info["runs"] = case.runs
    with open(os.path.join(directory, "case.json"), "w") as f:
        json.dump(info, f, indent=1)
        f.write("\n")
    return None
