// The model reader's types (Model, Tensor, ModelError, …) are part of this library's API.
@_exported import TFLiteModel
