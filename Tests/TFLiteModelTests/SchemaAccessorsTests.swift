import Foundation
import Testing
import TestSupport
@testable import TFLiteModel
import TFLiteMetadata

/// The operator names and options structs generated from `schemas/tflite.fbs`
/// (`embed-resources --schema-accessors`, run by `make embed`).
@Suite struct SchemaAccessorsTests {
    static let generatedFiles = ["BuiltinOperator+Names.swift", "OperatorOptions+Tables.swift", "TensorType+Names.swift"]

    /// The committed files are what the generator makes of the schema now.
    @Test func generatedFilesMatchTheSchema() throws {
        try expectGeneratedFilesCurrent("--schema-accessors", schema: "schemas/tflite.fbs", files: Self.generatedFiles)
    }

    /// A schema the generator does not understand is refused with its file and line, and
    /// nothing is written.
    @Test(arguments: [
        ("namespace t;\ntable T {\n  a:int (id: 1);\n}\n", ":3: explicit field ids are not supported"),
        ("namespace t;\nenum BuiltinOperator : int { A = 0 }\nunion BuiltinOptions { T }\nunion BuiltinOptions2 { U }\nstruct T { a:int; }\nstruct U { a:int; }\n", "BuiltinOptions member T is not a table"),
        ("namespace t;\nrpc_service S {}\n", ":2: unsupported declaration `rpc_service`"),
        ("namespace t;\nenum BuiltinOperator : int { A = 0 }\nunion BuiltinOptions { T }\nunion BuiltinOptions2 { U }\ntable T { a:ubyte = 300; }\ntable U {}\n",
         ":5: T.a: bad UInt8 default 300"),
    ])
    func unsupportedSchemasAreRefused(_ text: String, _ message: String) throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let schema = directory.appending(path: "bad.fbs")
        try Data(text.utf8).write(to: schema)
        let output = directory.appending(path: "out")
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: false)
        let result = try CommandRunner.run("embed-resources", ["--schema-accessors", output.path, schema.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("bad.fbs") && result.stderr.contains(message), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: output.path) == [])
    }

    /// The generator's reading of the schema agrees with flatc's (the embedded schema parsed by
    /// the FlatBuffers library): every operator code and options union member, by number.
    @Test func namesAgreeWithFlatc() {
        for value in Int32(-8)...Int32(1024) {
            #expect(BuiltinOperator.schemaNames[value] == FlatBufferSchema.model.enumName("tflite.BuiltinOperator", value: Int64(value)),
                    "BuiltinOperator \(value)")
        }
        for value in UInt8(1)...UInt8(255) {
            #expect(OptionsUnion.builtinOptions.memberName(value) == FlatBufferSchema.model.enumName("tflite.BuiltinOptions", value: Int64(value)),
                    "BuiltinOptions \(value)")
            #expect(OptionsUnion.builtinOptions2.memberName(value) == FlatBufferSchema.model.enumName("tflite.BuiltinOptions2", value: Int64(value)),
                    "BuiltinOptions2 \(value)")
        }
        #expect(Conv2DOptions.unionType == 1 && Conv2DOptions.union == .builtinOptions)
        #expect(ReshapeOptions.schemaName == "ReshapeOptions")
        #expect(OptionsUnion.builtinOptions.memberName(ReshapeOptions.unionType) == "ReshapeOptions")
        #expect(OptionsUnion.builtinOptions2.memberName(StablehloCaseOptions.unionType) == "StablehloCaseOptions")
    }

    @Test func operatorConstantsAreNamedAfterTheSchema() {
        #expect(BuiltinOperator.add.rawValue == 0)
        #expect(BuiltinOperator.conv2D.rawValue == 3)
        #expect(BuiltinOperator.depthwiseConv2D.name == "DEPTHWISE_CONV_2D")
        #expect(BuiltinOperator.fullyConnected == BuiltinOperator(name: "FULLY_CONNECTED"))
        #expect(BuiltinOperator.reshape.rawValue == 22)
        #expect(BuiltinOperator.reluN1To1.name == "RELU_N1_TO_1")
        #expect(BuiltinOperator.custom.rawValue == 32)
        #expect(BuiltinOperator.placeholderForGreaterOpCodes.rawValue == 127)
        #expect(BuiltinOperator.while.name == "WHILE")
        #expect(BuiltinOperator(rawValue: 100_000).name == "OP_100000")
        #expect(BuiltinOperator(name: "NO_SUCH_OP") == nil)
    }

    /// `T` read from a model whose one operator carries `options` (JSON for `T`'s table), and
    /// the union type the operator declares.
    static func read<T: OperatorOptions>(_ type: T.Type, _ options: String) throws -> (options: T, declared: UInt8) {
        let data = Data(try FlatBufferSchema.model.binary(fromJSON: """
        { "version": 3,
          "operator_codes": [{ "builtin_code": "ADD" }],
          "subgraphs": [{ "tensors": [], "inputs": [], "outputs": [],
                          "operators": [{ "opcode_index": 0, "inputs": [], "outputs": [],
                                          "builtin_options_type": "\(T.schemaName)", "builtin_options": \(options) }] }],
          "buffers": [{}]
        }
        """))
        let model = try Model(data: data)
        return try withExtendedLifetime(model) {
            let op = try #require(model.subgraphs.first?.operators.first)
            return (try T(op.builtinOptions), op.builtinOptionsType)
        }
    }

    @Test func optionsReadFieldsByIdWithSchemaDefaults() throws {
        let (options, declared) = try Self.read(Conv2DOptions.self, """
            { "padding": "VALID", "stride_w": 2, "stride_h": 3, "fused_activation_function": "RELU6", "dilation_h_factor": 5 }
            """)
        #expect(declared == Conv2DOptions.unionType)
        #expect(options.padding == 1 && options.strideW == 2 && options.strideH == 3)
        #expect(options.fusedActivationFunction == 3)
        #expect(options.dilationWFactor == 1, "the schema's default")
        #expect(options.dilationHFactor == 5)
        #expect(options.has(.strideW) && !options.has(.dilationWFactor))

        let defaults = try Conv2DOptions(nil)
        #expect(defaults.padding == 0 && defaults.strideW == 0 && defaults.dilationWFactor == 1 && !defaults.has(.padding))

        // A deprecated field keeps its id: align_corners is field 2 of ResizeBilinearOptions.
        let resize = try Self.read(ResizeBilinearOptions.self, #"{ "half_pixel_centers": true }"#).options
        #expect(!resize.alignCorners && resize.halfPixelCenters)
        #expect(ResizeBilinearOptions.Field.alignCorners.rawValue == 2)

        let add = try Self.read(AddOptions.self, "{}").options
        #expect(add.potScaleInt16, "pot_scale_int16 defaults to true")
        let reshape = try Self.read(ReshapeOptions.self, #"{ "new_shape": [1, -1, 4] }"#).options
        #expect(reshape.newShape == [1, -1, 4])
        #expect(try ReshapeOptions(nil).newShape == nil)
        let softmax = try Self.read(SoftmaxOptions.self, #"{ "beta": 0.5 }"#).options
        #expect(softmax.beta == 0.5)
    }
}

/// Runs `embed-resources MODE DIR SCHEMA` and expects each of `files` to equal the committed
/// `Sources/TFLiteModel/Generated/<file>`.
func expectGeneratedFilesCurrent(_ mode: String, schema: String, files: [String]) throws {
    let directory = try Fixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let result = try CommandRunner.run("embed-resources", [mode, directory.path, Fixtures.root.appending(path: schema).path])
    #expect(result.status == 0, "\(result.stderr)")
    for name in files {
        let fresh = try String(contentsOf: directory.appending(path: name), encoding: .utf8)
        let committed = try String(contentsOf: Fixtures.root.appending(path: "Sources/TFLiteModel/Generated/\(name)"), encoding: .utf8)
        let same = fresh == committed  // (not in the expectation: it would print both files)
        #expect(same, "Sources/TFLiteModel/Generated/\(name) is stale (run `make embed`)")
    }
}
