#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A TFLite model read in place from mapped bytes.
///
/// The file is verified (``FlatBufferVerifier``, FlatBuffers' checks) before anything is read, and every read is
/// bounds-checked, so no file can make the reader leave it. Tensor data is never copied:
/// ``data(ofBuffer:)`` returns a view into the storage.
public struct Model: Sendable {
    /// The bytes everything points into.
    package let storage: ByteStorage
    /// The schema's `version` field.
    public let version: UInt32
    /// The schema's `description` field.
    public let description: String?
    /// The schema's `operator_codes` field.
    package let operatorCodes: [OperatorCode]
    /// The schema's `subgraphs` field.
    package let subgraphs: [Subgraph]
    /// The schema's `buffers` field.
    package let buffers: [Buffer]
    /// The schema's `metadata` field.
    package let metadata: [MetadataEntry]
    /// The schema's `signature_defs` field.
    package let signatureDefs: [SignatureDef]
    /// The root `Model` table, for fields this type does not surface.
    package let root: FlatBufferTable

    /// The name of the metadata entry that holds TFLite metadata (`M001` FlatBuffer).
    package static let metadataEntryName = "TFLITE_METADATA"

    /// Maps and reads the model at `path`.
    public init(contentsOf path: String) throws(ModelError) {
        try self.init(storage: ByteStorage(mapping: path))
    }

    /// Reads a model from `data` (copied once into aligned storage).
    public init(data: Data, source: String = "<memory>") throws(ModelError) {
        try self.init(storage: ByteStorage(copying: data, source: source))
    }

    /// Verifies and reads the model in `storage`.
    package init(storage: ByteStorage) throws(ModelError) {
        self.storage = storage
        let file = storage.source
        if let problem = FlatBufferVerifier.model.problem(in: storage.bytes) {
            throw ModelError(file: file, field: problem.path.isEmpty ? nil : problem.path,
                             reason: "not a valid TFLite model: \(problem.reason)")
        }
        var reader = ModelReader(file: file, storage: storage)
        do {
            let root = try FlatBufferTable(root: storage.bytes)
            self.root = root
            reader.path = "version"
            version = try root.scalar(0, default: UInt32(0))
            reader.path = "description"
            description = try root.string(3)
            operatorCodes = try reader.operatorCodes(root.vector(1))
            buffers = try reader.buffers(root.vector(4))
            subgraphs = try reader.subgraphs(root.vector(2))
            metadata = try reader.metadataEntries(root.vector(6))
            signatureDefs = try reader.signatureDefs(root.vector(7))
        } catch {
            throw ModelError(file: file, field: reader.path.isEmpty ? nil : reader.path, reason: error.description)
        }
        for (index, entry) in metadata.enumerated() where Int(entry.buffer) >= buffers.count {
            throw ModelError(file: file, field: "metadata[\(index)].buffer",
                             reason: "buffer index \(entry.buffer) is out of range (\(buffers.count) buffers)")
        }
    }

    /// The bytes of buffer `index` (empty for the sentinel buffer and for buffers without data).
    package func data(ofBuffer index: Int) throws(ModelError) -> UnsafeRawBufferPointer {
        guard index >= 0, index < buffers.count else {
            throw ModelError(file: storage.source, field: "buffers[\(index)]",
                             reason: "buffer index is out of range (\(buffers.count) buffers)")
        }
        guard let range = buffers[index].range else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        guard let bytes = storage.slice(range) else {
            throw ModelError(file: storage.source, field: "buffers[\(index)]", reason: "data lies outside the file")
        }
        return bytes
    }

    /// The first metadata entry named `name`.
    package func metadataEntry(named name: String) -> MetadataEntry? {
        metadata.first { $0.name == name }
    }

    /// The bytes of the `TFLITE_METADATA` buffer, or nil when the model has no metadata.
    package func metadataBuffer() throws(ModelError) -> UnsafeRawBufferPointer? {
        guard let entry = metadataEntry(named: Self.metadataEntryName) else { return nil }
        return try data(ofBuffer: Int(entry.buffer))
    }

    /// The value of the `min_runtime_version` metadata entry, when present.
    public func minRuntimeVersion() -> String? {
        guard let entry = metadataEntry(named: "min_runtime_version"),
              let bytes = try? data(ofBuffer: Int(entry.buffer)) else { return nil }
        return String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
    }

    /// The operator code of `op`, checking the index.
    package func operatorCode(of op: Operator) -> OperatorCode? {
        let index = Int(op.opcodeIndex)
        return index < operatorCodes.count ? operatorCodes[index] : nil
    }
}

/// Walks the verified root, remembering the field path for error messages.
private struct ModelReader {
    let file: String
    let storage: ByteStorage
    var path = ""

    mutating func operatorCodes(_ vector: FlatBufferVector?) throws(FlatBufferError) -> [OperatorCode] {
        guard let vector else { return [] }
        var result: [OperatorCode] = []
        for (index, table) in try vector.tables().enumerated() {
            path = "operator_codes[\(index)]"
            let deprecated = try table.scalar(0, default: Int8(0))
            let builtin = try table.scalar(3, default: Int32(0))
            result.append(OperatorCode(
                builtinCode: BuiltinOperator(rawValue: max(builtin, Int32(deprecated))),
                deprecatedBuiltinCode: deprecated,
                rawBuiltinCode: builtin,
                customCode: try table.string(1),
                version: try table.scalar(2, default: Int32(1))))
        }
        return result
    }

    mutating func buffers(_ vector: FlatBufferVector?) throws(FlatBufferError) -> [Buffer] {
        guard let vector else { return [] }
        var result: [Buffer] = []
        result.reserveCapacity(vector.count)
        for (index, table) in try vector.tables().enumerated() {
            path = "buffers[\(index)]"
            let offset = try table.scalar(1, default: UInt64(0))
            let size = try table.scalar(2, default: UInt64(0))
            var range: Range<Int>?
            if let data = try table.vector(0), data.count > 0 {
                range = try data.byteRange(elementSize: 1)
            } else if offset > 1 {
                // Offset 1 with size 0 is how converters mark "no data here"; real offsets
                // point past the FlatBuffer.
                let (end, overflow) = offset.addingReportingOverflow(size)
                guard !overflow, end <= UInt64(storage.count) else {
                    throw FlatBufferError(what: "buffer data (offset \(offset), size \(size))", offset: Int(clamping: offset))
                }
                if size > 0 { range = Int(offset)..<Int(end) }
            }
            result.append(Buffer(range: range, offset: offset, size: size))
        }
        return result
    }

    mutating func subgraphs(_ vector: FlatBufferVector?) throws(FlatBufferError) -> [Subgraph] {
        guard let vector else { return [] }
        var result: [Subgraph] = []
        for (index, table) in try vector.tables().enumerated() {
            let prefix = "subgraphs[\(index)]"
            path = prefix
            var tensors: [ModelTensor] = []
            if let tensorVector = try table.vector(0) {
                tensors.reserveCapacity(tensorVector.count)
                for (tensorIndex, tensorTable) in try tensorVector.tables().enumerated() {
                    path = "\(prefix).tensors[\(tensorIndex)]"
                    tensors.append(try tensor(tensorTable))
                }
            }
            var operators: [Operator] = []
            if let operatorVector = try table.vector(3) {
                operators.reserveCapacity(operatorVector.count)
                for (operatorIndex, operatorTable) in try operatorVector.tables().enumerated() {
                    path = "\(prefix).operators[\(operatorIndex)]"
                    operators.append(try operatorNode(operatorTable))
                }
            }
            path = prefix
            result.append(Subgraph(
                name: try table.string(4),
                tensors: tensors,
                inputs: try table.vector(1)?.scalars(Int32.self) ?? [],
                outputs: try table.vector(2)?.scalars(Int32.self) ?? [],
                operators: operators))
        }
        return result
    }

    func tensor(_ table: FlatBufferTable) throws(FlatBufferError) -> ModelTensor {
        var quantization: QuantizationParameters?
        if let q = try table.table(4) {
            quantization = QuantizationParameters(
                min: try q.vector(0)?.floats() ?? [],
                max: try q.vector(1)?.floats() ?? [],
                scale: try q.vector(2)?.floats() ?? [],
                zeroPoint: try q.vector(3)?.scalars(Int64.self) ?? [],
                quantizedDimension: try q.scalar(6, default: Int32(0)),
                hasCustomDetails: try q.scalar(4, default: UInt8(0)) != 0)
        }
        var sparsity: SparsityParameters?
        if let s = try table.table(6) {
            var dimensions: [SparsityParameters.Dimension] = []
            for dimension in try s.vector(2)?.tables() ?? [] {
                dimensions.append(SparsityParameters.Dimension(
                    format: try dimension.scalar(0, default: Int8(0)),
                    denseSize: try dimension.scalar(1, default: Int32(0)),
                    arraySegments: try indexVector(dimension, typeField: 2),
                    arrayIndices: try indexVector(dimension, typeField: 4)))
            }
            sparsity = SparsityParameters(
                traversalOrder: try s.vector(0)?.scalars(Int32.self) ?? [],
                blockMap: try s.vector(1)?.scalars(Int32.self) ?? [],
                dimensions: dimensions)
        }
        return ModelTensor(
            name: try table.string(3) ?? "",
            type: TensorType(rawValue: try table.scalar(1, default: Int8(0))),
            shape: try table.vector(0)?.scalars(Int32.self) ?? [],
            shapeSignature: try table.vector(7)?.scalars(Int32.self),
            buffer: try table.scalar(2, default: UInt32(0)),
            quantization: quantization,
            isVariable: try table.bool(5, default: false),
            sparsity: sparsity,
            hasRank: try table.bool(8, default: false))
    }

    /// A `SparseIndexVector` union (Int32Vector = 1, Uint16Vector = 2, Uint8Vector = 3) widened.
    func indexVector(_ table: FlatBufferTable, typeField: Int) throws(FlatBufferError) -> [Int32] {
        let kind = try table.scalar(typeField, default: UInt8(0))
        guard kind != 0, let member = try table.table(typeField + 1), let values = try member.vector(0) else { return [] }
        switch kind {
        case 1: return try values.scalars(Int32.self)
        case 2: return try values.scalars(UInt16.self).map { Int32($0) }
        case 3: return try values.scalars(UInt8.self).map { Int32($0) }
        default: throw FlatBufferError(what: "sparse index vector type \(kind)", offset: table.position)
        }
    }

    func operatorNode(_ table: FlatBufferTable) throws(FlatBufferError) -> Operator {
        var customOptions: UnsafeRawBufferPointer?
        if let inline = try table.vector(5), inline.count > 0 {
            customOptions = try inline.bytes(elementSize: 1)
        } else {
            let offset = try table.scalar(9, default: UInt64(0))
            let size = try table.scalar(10, default: UInt64(0))
            if size > 0 {
                let (end, overflow) = offset.addingReportingOverflow(size)
                guard !overflow, end <= UInt64(storage.count),
                      let bytes = storage.slice(Int(offset)..<Int(end)) else {
                    throw FlatBufferError(what: "large custom options (offset \(offset), size \(size))", offset: table.position)
                }
                customOptions = bytes
            }
        }
        return Operator(
            opcodeIndex: try table.scalar(0, default: UInt32(0)),
            inputs: try table.vector(1)?.scalars(Int32.self) ?? [],
            outputs: try table.vector(2)?.scalars(Int32.self) ?? [],
            intermediates: try table.vector(8)?.scalars(Int32.self) ?? [],
            builtinOptionsType: try table.scalar(3, default: UInt8(0)),
            builtinOptions: try table.table(4),
            builtinOptions2Type: try table.scalar(11, default: UInt8(0)),
            builtinOptions2: try table.table(12),
            customOptions: customOptions)
    }

    mutating func metadataEntries(_ vector: FlatBufferVector?) throws(FlatBufferError) -> [MetadataEntry] {
        guard let vector else { return [] }
        var result: [MetadataEntry] = []
        for (index, table) in try vector.tables().enumerated() {
            path = "metadata[\(index)]"
            result.append(MetadataEntry(name: try table.string(0) ?? "", buffer: try table.scalar(1, default: UInt32(0))))
        }
        return result
    }

    mutating func signatureDefs(_ vector: FlatBufferVector?) throws(FlatBufferError) -> [SignatureDef] {
        guard let vector else { return [] }
        var result: [SignatureDef] = []
        for (index, table) in try vector.tables().enumerated() {
            path = "signature_defs[\(index)]"
            result.append(SignatureDef(
                key: try table.string(2) ?? "",
                subgraphIndex: try table.scalar(4, default: UInt32(0)),
                inputs: try tensorMaps(table.vector(0)),
                outputs: try tensorMaps(table.vector(1))))
        }
        return result
    }

    func tensorMaps(_ vector: FlatBufferVector?) throws(FlatBufferError) -> [SignatureDef.TensorMap] {
        guard let vector else { return [] }
        var result: [SignatureDef.TensorMap] = []
        for table in try vector.tables() {
            result.append(SignatureDef.TensorMap(name: try table.string(0) ?? "", tensorIndex: try table.scalar(1, default: UInt32(0))))
        }
        return result
    }
}
