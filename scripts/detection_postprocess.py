"""Appends LiteRT's `TFLite_Detection_PostProcess` custom op to a converted SSD-style model.

The TensorFlow converter cannot emit this op from a plain tf.function, so models export their
raw head outputs (signature outputs `box_encodings` [1, A, 4] and `class_predictions`
[1, A, C + 1], background first) and this module rewrites the FlatBuffer: a constant anchors
tensor, the custom op with FlexBuffer options as the TF Object Detection API exports them, and
the four standard outputs (boxes, classes, scores, count) as the subgraph's and signature's
outputs. Used by scripts/make_fixtures.py and samples/ObjectDetector/scripts/train.py.
"""

import flatbuffers
import numpy as np
from flatbuffers import flexbuffers
from tensorflow.lite.python import schema_py_generated as tfl_fb


def grid_anchors(cells, size):
  """A cells x cells grid of [ycenter, xcenter, h, w] anchors, one per cell, `size` high and wide."""
  centers = (np.arange(cells, dtype=np.float32) + 0.5) / cells
  yy, xx = np.meshgrid(centers, centers, indexing="ij")
  hw = np.full(cells * cells, size, dtype=np.float32)
  return np.stack([yy.ravel(), xx.ravel(), hw, hw], axis=1).astype(np.float32)


def options(num_classes, max_detections, score_threshold, iou_threshold, scales):
  """FlexBuffer custom options, keys and types as the TF Object Detection API writes them."""
  fbb = flexbuffers.Builder()
  with fbb.Map():
    for key, value in [("max_detections", max_detections), ("max_classes_per_detection", 1),
                       ("detections_per_class", 100), ("num_classes", num_classes)]:
      fbb.Key(key)
      fbb.Int(value)
    fbb.Key("use_regular_nms")
    fbb.Bool(False)
    for key, value in [("nms_score_threshold", score_threshold), ("nms_iou_threshold", iou_threshold),
                       ("y_scale", scales[0]), ("x_scale", scales[1]), ("h_scale", scales[2]),
                       ("w_scale", scales[3])]:
      fbb.Key(key)
      fbb.Float(value, byte_width=4)
  return bytes(fbb.Finish())


def append(model_buf, anchors, num_classes, max_detections=10, score_threshold=0.3, iou_threshold=0.6,
           scales=(10.0, 10.0, 5.0, 5.0), signature="serving_default",
           box_output="box_encodings", class_output="class_predictions"):
  """Returns `model_buf` with the post-processing op consuming the raw head outputs (the
  signature outputs named `box_output` and `class_output`)."""
  model = tfl_fb.ModelT.InitFromPackedBuf(model_buf, 0)
  outputs = None
  for sig in model.signatureDefs or []:
    if sig.signatureKey.decode() == signature:
      outputs = {t.name.decode(): t.tensorIndex for t in sig.outputs}
  if outputs is None:
    raise ValueError("signature %s not found" % signature)
  box_index, class_index = outputs[box_output], outputs[class_output]
  subgraph = model.subgraphs[0]

  def new_buffer(data=None):
    buffer = tfl_fb.BufferT()
    if data is not None:
      buffer.data = np.frombuffer(data, dtype=np.uint8)
    model.buffers.append(buffer)
    return len(model.buffers) - 1

  def new_tensor(name, shape, buffer_index=None):
    tensor = tfl_fb.TensorT()
    tensor.name = name
    tensor.shape = np.array(shape, dtype=np.int32)
    tensor.type = tfl_fb.TensorType.FLOAT32
    tensor.buffer = new_buffer() if buffer_index is None else buffer_index
    subgraph.tensors.append(tensor)
    return len(subgraph.tensors) - 1

  anchors = np.asarray(anchors, dtype=np.float32)
  anchors_index = new_tensor("anchors", list(anchors.shape), new_buffer(anchors.tobytes()))
  # Outputs in the kernel's port order (boxes, classes, scores, count), with ascending tensor
  # indices: tflite-support's ObjectDetectorWriter relies on that order.
  output_indices = [
      new_tensor("TFLite_Detection_PostProcess", [1, max_detections, 4]),
      new_tensor("TFLite_Detection_PostProcess:1", [1, max_detections]),
      new_tensor("TFLite_Detection_PostProcess:2", [1, max_detections]),
      new_tensor("TFLite_Detection_PostProcess:3", [1]),
  ]
  code = tfl_fb.OperatorCodeT()
  code.builtinCode = tfl_fb.BuiltinOperator.CUSTOM
  code.deprecatedBuiltinCode = tfl_fb.BuiltinOperator.CUSTOM
  code.customCode = "TFLite_Detection_PostProcess"
  code.version = 1
  model.operatorCodes.append(code)

  op = tfl_fb.OperatorT()
  op.opcodeIndex = len(model.operatorCodes) - 1
  op.inputs = np.array([box_index, class_index, anchors_index], dtype=np.int32)
  op.outputs = np.array(output_indices, dtype=np.int32)
  op.customOptions = np.frombuffer(
      options(num_classes, max_detections, score_threshold, iou_threshold, scales), dtype=np.uint8)
  op.customOptionsFormat = tfl_fb.CustomOptionsFormat.FLEXBUFFERS
  subgraph.operators.append(op)
  subgraph.outputs = np.array(output_indices, dtype=np.int32)

  for sig in model.signatureDefs or []:
    if sig.subgraphIndex == 0:
      sig.outputs = []
      for name, index in zip(["detection_boxes", "detection_classes", "detection_scores", "num_detections"],
                             output_indices):
        entry = tfl_fb.TensorMapT()
        entry.name = name
        entry.tensorIndex = index
        sig.outputs.append(entry)

  builder = flatbuffers.Builder(0)
  builder.Finish(model.Pack(builder), file_identifier=b"TFL3")
  return bytearray(builder.Output())
