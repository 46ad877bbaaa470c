// TFLiteModel's public types (Model, ModelError, TensorType) are part of this library's API.
@_exported import TFLiteModel
