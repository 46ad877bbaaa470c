// The model reader's types (Model, TensorType, BuiltinOperator, …) are part of this library's API.
@_exported import TFLiteModel
