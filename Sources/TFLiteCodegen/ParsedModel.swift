import Foundation
import TFLiteMetadata
import TFLiteModel

/// Stage 1: what the generator reads from a model file: the first subgraph's inputs and outputs,
/// the decoded metadata and the packed files.
package struct ParsedModel: Sendable {
    /// A model input or output.
    public struct TensorInfo: Hashable, Sendable {
        public var name: String
        public var type: TensorType
        public var shape: [Int]
        public var isQuantized: Bool
        public var scale: Float?
        public var zeroPoint: Int64?
        /// The number of elements (0 for a shape ``ParsedModel/elementCount(_:)`` refuses; models
        /// read from files never have one).
        public var elementCount: Int { ParsedModel.elementCount(shape) ?? 0 }
    }

    /// The most elements a wrapper's input or output may have (2^31: more than any tensor a
    /// wrapper could fill or read, and every size computed from it fits in an Int).
    public static let maxElementCount = 1 << 31

    /// The number of elements of `shape`, or nil when a dimension is negative or the product is
    /// over ``maxElementCount``.
    public static func elementCount(_ shape: [Int]) -> Int? {
        guard let count = ModelTensor.elementCount(of: shape), count <= maxElementCount else { return nil }
        return count
    }

    public var fileName: String
    public var inputs: [TensorInfo]
    public var outputs: [TensorInfo]
    public var metadata: ModelMetadata?
    /// The model's own description (the schema's `Model.description`, e.g. the converter's
    /// "MLIR Converted."), used when the metadata has none. Untrusted text: it reaches
    /// generated code only through `SwiftSource.docComment` and `MarkdownText`.
    public var description: String?
    public var packedFileNames: Set<String>
    /// The operator codes the model's operators use (every subgraph), each once, in order of first use.
    public var operatorCodes: [OperatorCode]
    private let readPackedText: @Sendable (String) -> String?

    /// Reads the model at `path`; with `readMetadata` false its metadata and packed files are
    /// not read at all (`--ignore-metadata`: even unreadable metadata does not stop generation).
    public init(path: String, readMetadata: Bool = true) throws(CodegenError) {
        let fileName = URL(fileURLWithPath: path).lastPathComponent
        let file: ModelFile
        do {
            file = try ModelFile(contentsOf: path)
        } catch {
            throw CodegenError(file: fileName, field: error.field, reason: error.reason)
        }
        guard let subgraph = file.model.subgraphs.first else {
            throw CodegenError(file: fileName, reason: "the model has no subgraph")
        }
        func info(_ index: Int32, _ role: String) throws(CodegenError) -> TensorInfo {
            guard subgraph.tensors.indices.contains(Int(index)) else {
                throw CodegenError(file: fileName, field: "subgraph 0 \(role)", reason: "tensor index \(index) is out of range")
            }
            let tensor = subgraph.tensors[Int(index)]
            let shape = tensor.shape.map(Int.init)
            guard ParsedModel.elementCount(shape) != nil else {
                throw CodegenError(file: fileName, field: "subgraph 0 \(role) tensor \(index)",
                                   reason: "shape \(shape.map(String.init).joined(separator: " × ")) has a negative dimension or more than 2^31 elements")
            }
            let q = tensor.quantization
            return TensorInfo(name: tensor.name, type: tensor.type, shape: shape,
                              isQuantized: q?.isAffine ?? false, scale: q?.scale.first, zeroPoint: q?.zeroPoint.first)
        }
        var inputs: [TensorInfo] = []
        for index in subgraph.inputs { inputs.append(try info(index, "input")) }
        var outputs: [TensorInfo] = []
        for index in subgraph.outputs { outputs.append(try info(index, "output")) }
        let metadata: ModelMetadata?
        do {
            metadata = readMetadata ? try file.metadata() : nil
        } catch {
            throw CodegenError(file: fileName, field: error.field ?? "metadata", reason: error.reason)
        }
        self.fileName = fileName
        self.inputs = inputs
        self.outputs = outputs
        self.metadata = metadata
        self.description = file.model.description
        var used: [OperatorCode] = []
        for graph in file.model.subgraphs {
            for op in graph.operators {
                guard let code = file.model.operatorCodes[safe: Int(op.opcodeIndex)], !used.contains(code) else { continue }
                used.append(code)
            }
        }
        self.operatorCodes = used
        guard readMetadata else {
            self.packedFileNames = []
            self.readPackedText = { _ in nil }
            return
        }
        let packed = file.associatedFiles
        // Text files (labels, score calibration, vocabularies) are read whole: one over
        // `TextFileLimit.bytes` is refused here, with the field naming it, before any is read.
        let textTypes: Set<AssociatedFileType> = [.tensorAxisLabels, .tensorValueLabels, .tensorAxisScoreCalibration, .vocabulary]
        for (field, named) in metadata?.namedFiles() ?? [] {
            guard let type = named.type, textTypes.contains(type), let name = named.name,
                  let entry = packed.entry(named: name), entry.size > TextFileLimit.bytes else { continue }
            throw CodegenError(file: fileName, field: field, reason: "\(DisplayText.quoted(name)) \(AssociatedFiles.overLimit(size: entry.size))")
        }
        self.packedFileNames = Set(packed.names)
        self.readPackedText = { name in
            (try? packed.text(of: name)) ?? nil
        }
    }

    /// A model described in memory (for tests): packed files given by their text.
    init(fileName: String, inputs: [TensorInfo], outputs: [TensorInfo], metadata: ModelMetadata?, packedTexts: [String: String],
         description: String? = nil) {
        self.fileName = fileName
        self.inputs = inputs
        self.outputs = outputs
        self.metadata = metadata
        self.description = description
        self.packedFileNames = Set(packedTexts.keys)
        self.readPackedText = { packedTexts[$0] }
        self.operatorCodes = []
    }

    /// The text of packed file `name`, or nil.
    public func packedText(_ name: String) -> String? { readPackedText(name) }
}
