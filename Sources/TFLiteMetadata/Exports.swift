// TFLiteModel's public types (Model, ModelError, TensorType) are part of this library's API; its
// package declarations (ModelTensor, AssociatedFiles, …) serve the package's CLIs and tests.
@_exported import TFLiteModel
