import TFLiteRuntime

/// One quantized variant of the digit classifier, called through its generated wrapper.
struct Variant: Sendable {
    /// Name as the seeds' tables write it.
    var name: String
    /// Key in `Data/litert.json` and file stem in `Models/`.
    var key: String
    /// The bundled model file (with metadata).
    var fileName: String
    /// Loads the generated wrapper and returns a function classifying one 8×8 gray image.
    var load: @Sendable () throws -> (TensorImage) throws -> Category?
}

extension Variant {
    /// Every variant, in the order the table prints them.
    static let all: [Variant] = [
        Variant(name: "float32", key: "float32", fileName: DigitFloat32.modelFileName) {
            let model = try DigitFloat32()
            return { try model.blockingPrediction(image: $0).probability.first }
        },
        Variant(name: "float16 weights", key: "float16", fileName: DigitFloat16.modelFileName) {
            let model = try DigitFloat16()
            return { try model.blockingPrediction(image: $0).probability.first }
        },
        Variant(name: "dynamic range", key: "dynamic_range", fileName: DigitDynamicRange.modelFileName) {
            let model = try DigitDynamicRange()
            return { try model.blockingPrediction(image: $0).probability.first }
        },
        Variant(name: "full int8 (uint8 I/O)", key: "int8", fileName: DigitInt8.modelFileName) {
            let model = try DigitInt8()
            return { try model.blockingPrediction(image: $0).probability.first }
        },
        Variant(name: "int16x8", key: "int16x8", fileName: DigitInt16x8.modelFileName) {
            let model = try DigitInt16x8()
            return { try model.blockingPrediction(image: $0).probability.first }
        },
    ]
}
