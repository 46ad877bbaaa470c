// The model reader's types (Model, ModelTensor, ModelError, AssociatedFiles, …) are part of this library's API.
@_exported import TFLiteModel
