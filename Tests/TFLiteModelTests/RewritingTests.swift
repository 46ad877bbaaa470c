import Foundation
import Testing
import TestSupport
@testable import TFLiteModel

/// The model rewriter: copies kept field by field, edits, renumbering, determinism, refusals.
@Suite struct RewritingTests {
    static let models = [
        "quant/convnet.float.tflite", "quant/convnet.dynamic.tflite", "quant/mlp.float16.tflite",
        "metadata/image_classifier_float/model.tflite", "metadata/bert_nl_classifier/model.tflite",
        "metadata/object_detector/model.tflite", "metadata/audio_classifier_multihead/model.tflite",
        // populate's layouts: data past the FlatBuffer (>2 GB models), large custom options, signatures.
        "../../scripts/populate_fixtures/offset_buffers.tflite", "../../scripts/populate_fixtures/large_custom_options.tflite",
        "../../scripts/populate_fixtures/two_signatures.tflite",
    ]

    static func rewriter(_ path: String) throws -> ModelRewriter {
        let model = try Model(contentsOf: path)
        return try ModelRewriter(model: model, associatedFiles: AssociatedFiles(storage: model.storage))
    }

    /// Rewriting with no edits keeps every field of every table (buffers by their bytes) and the
    /// packed files.
    @Test(arguments: models)
    func roundTripKeepsEverything(_ relative: String) throws {
        let input = Fixtures.url(relative).path
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appending(path: "out.tflite").path
        try Self.rewriter(input).write(to: output)
        let a = try Model(contentsOf: input), b = try Model(contentsOf: output)
        #expect(try LayoutComparison.differences(a.root, b.root, table: "Model") == [])
        #expect(a.buffers.count == b.buffers.count)
        for index in a.buffers.indices {
            #expect(Array(try a.data(ofBuffer: index)) == Array(try b.data(ofBuffer: index)), "buffers[\(index)]")
        }
        #expect(a.buffers.contains { $0.offset > 1 } == b.buffers.contains { $0.offset > 1 }, "data past the FlatBuffer stays there")
        for (sa, sb) in zip(a.subgraphs, b.subgraphs) {
            for (oa, ob) in zip(sa.operators, sb.operators) {
                #expect(oa.customOptions.map(Array.init) == ob.customOptions.map(Array.init))
            }
        }
        let filesA = try AssociatedFiles(storage: a.storage), filesB = try AssociatedFiles(storage: b.storage)
        #expect(filesA.names == filesB.names)
        for name in filesA.names { #expect(filesA.contents(of: name).map(Array.init) == filesB.contents(of: name).map(Array.init)) }
    }

    /// The same input and edits give the same bytes.
    @Test func outputIsDeterministic() throws {
        let input = Fixtures.url("metadata/image_classifier_float/model.tflite").path
        let one = try Self.rewriter(input).serialize(), two = try Self.rewriter(input).serialize()
        #expect(one.flatBuffer == two.flatBuffer)
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.rewriter(input).write(to: directory.appending(path: "a.tflite").path)
        try Self.rewriter(input).write(to: directory.appending(path: "b.tflite").path)
        #expect(try Data(contentsOf: directory.appending(path: "a.tflite")) == Data(contentsOf: directory.appending(path: "b.tflite")))
    }

    /// Removing a tensor renumbers operators, subgraph inputs and outputs and signatures; a
    /// removed tensor still in use is refused.
    @Test func removalRenumbers() throws {
        let input = Fixtures.url("quant/convnet.float.tflite").path
        let model = try Model(contentsOf: input)
        var rewriter = try Self.rewriter(input)
        // Tensor 6 (the mean's axes) is used by the MEAN operator: refused.
        #expect(throws: ModelError.self) { try rewriter.removeTensors([6], subgraph: 0) }
        // Add an unused tensor at the front? Tensors are appended; remove an appended unused one
        // and a kept one's index stays; remove tensor 0's copy after redirecting the input.
        var extra = TableValue("Tensor")
        extra.set("name", .string("unused"))
        extra.set("shape", .int32s([1]))
        _ = rewriter.appendTensor(extra, subgraph: 0)
        let appended = model.subgraphs[0].tensors.count
        // Point the MEAN operator's axes at the new tensor position after removing tensor 5 is
        // not possible; instead remove a leading tensor that nothing uses: make tensor 2 unused
        // by giving its operator the float input of a fresh copy.
        var copy = TableValue("Tensor", source: try #require(try model.root.vector(2)?.tables().first?.vector(0)?.table(at: 2)))
        copy.set("name", .string("copy"))
        let copyIndex = rewriter.appendTensor(copy, subgraph: 0)
        var op = rewriter.subgraphs[0].operators[2]
        var inputs = try op.int32s("inputs")
        #expect(inputs[1] == 2)
        inputs[1] = copyIndex
        op.set("inputs", .int32s(inputs))
        rewriter.subgraphs[0].operators[2] = op
        try rewriter.removeTensors([2, appended], subgraph: 0)

        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appending(path: "out.tflite").path
        try rewriter.write(to: output)
        let written = try Model(contentsOf: output)
        let before = model.subgraphs[0], after = written.subgraphs[0]
        #expect(after.tensors.count == before.tensors.count)
        #expect(after.tensors.last?.name == "copy")
        #expect(after.operators[2].inputs[1] == Int32(after.tensors.count - 1))
        #expect(after.operators[0].inputs == before.operators[0].inputs.map { $0 > 2 ? $0 - 1 : $0 })
        #expect(after.outputs == before.outputs.map { $0 - 1 })
        #expect(written.signatureDefs[0].outputs[0].tensorIndex == model.signatureDefs[0].outputs[0].tensorIndex - 1)
        #expect(after.tensors[Int(after.outputs[0])].name == before.tensors[Int(before.outputs[0])].name)
    }

    /// LiteRT's external buffers (root fields past our schema) are refused by name.
    @Test func externalBuffersAreRefused() throws {
        let input = Fixtures.root.appending(path: "scripts/populate_fixtures/external_buffers.tflite").path
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appending(path: "out.tflite").path
        #expect {
            try Self.rewriter(input).write(to: output)
        } throws: { error in
            "\(error)".contains("external_buffers.tflite: Model field 8: the table has a field this tool does not know")
        }
        #expect(!FileManager.default.fileExists(atPath: output))
    }

    /// A table with a field past the schema is refused, naming the field; nothing is written.
    @Test func unknownFieldsAreRefused() throws {
        // A model root with `version` and a 4-byte field in slot 12, which the schema lacks
        // (verifiers skip unknown fields, so the model reads).
        var builder = FlatBufferBuilder()
        let rootSlot = builder.offsetSlot()
        for byte in "TFL3".utf8 { builder.append(byte) }
        let (root, _) = builder.table([.init(id: 0, size: 4, alignment: 4, value: [3, 0, 0, 0]),
                                       .init(id: 12, size: 4, alignment: 4, value: [7, 0, 0, 0])])
        builder.patch(slot: rootSlot, to: root)
        let model = try Model(data: Data(builder.finish()), source: "crafted.tflite")
        #expect(model.version == 3)
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appending(path: "out.tflite").path
        let rewriter = try ModelRewriter(model: model, associatedFiles: AssociatedFiles(storage: model.storage))
        #expect {
            try rewriter.write(to: output)
        } throws: { error in
            "\(error)" == "crafted.tflite: Model field 12: the table has a field this tool does not know; refusing to rewrite the model (the field could not be kept)"
        }
        #expect(!FileManager.default.fileExists(atPath: output))
    }
}

/// Field-by-field comparison of two FlatBuffer trees by the schema layout (buffers skipped:
/// their data is compared by the caller, their offsets differ).
enum LayoutComparison {
    static func differences(_ a: FlatBufferTable, _ b: FlatBufferTable, table name: String,
                            path: String = "", schema: SchemaLayout.Schema = SchemaLayout.tflite) throws -> [String] {
        guard name != "Buffer", let layout = schema.table(name) else { return [] }
        var result: [String] = []
        // Custom options may move inline (compared by their bytes instead).
        let moved: Set<String> = name == "Operator" ? ["custom_options", "large_custom_options_offset", "large_custom_options_size"] : []
        for field in layout.fields where !moved.contains(field.name) {
            let here = path.isEmpty ? field.name : "\(path).\(field.name)"
            let pa = try a.fieldPosition(field.id), pb = try b.fieldPosition(field.id)
            guard (pa == nil) == (pb == nil) else { result.append("\(here): present in one only"); continue }
            guard let pa, let pb else { continue }
            switch field.kind {
            case .scalar(let scalar):
                if a.buffer[pa..<(pa + scalar.type.size)].elementsEqual(b.buffer[pb..<(pb + scalar.type.size)]) == false { result.append(here) }
            case .unionType:
                if a.buffer[pa] != b.buffer[pb] { result.append(here) }
            case .struct(let structName):
                let size = schema.table(structName)?.size ?? 0
                if !a.buffer[pa..<(pa + size)].elementsEqual(b.buffer[pb..<(pb + size)]) { result.append(here) }
            case .string:
                if try a.string(field.id) != b.string(field.id) { result.append(here) }
            case .table(let child):
                if let ta = try a.table(field.id), let tb = try b.table(field.id) {
                    result += try differences(ta, tb, table: child, path: here, schema: schema)
                }
            case .unionValue(let union):
                let type = try a.scalar(field.id - 1, default: UInt8(0))
                if let member = schema.union(union)?.member(type), let ta = try a.table(field.id), let tb = try b.table(field.id) {
                    result += try differences(ta, tb, table: member, path: here, schema: schema)
                }
            case .vector(let element):
                guard let va = try a.vector(field.id), let vb = try b.vector(field.id), va.count == vb.count else {
                    result.append("\(here): vector length"); continue
                }
                switch element {
                case .scalar(let scalar):
                    if try !va.bytes(elementSize: scalar.type.size).elementsEqual(vb.bytes(elementSize: scalar.type.size)) { result.append(here) }
                case .struct(_, let size, _):
                    if try !va.bytes(elementSize: size).elementsEqual(vb.bytes(elementSize: size)) { result.append(here) }
                case .string:
                    if try va.strings() != vb.strings() { result.append(here) }
                case .table(let child):
                    for index in 0..<va.count {
                        result += try differences(va.table(at: index), vb.table(at: index), table: child, path: "\(here)[\(index)]", schema: schema)
                    }
                }
            }
        }
        return result
    }
}
