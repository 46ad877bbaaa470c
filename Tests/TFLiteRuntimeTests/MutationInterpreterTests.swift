import Foundation
import Testing
import TestSupport
@_spi(GeneratedCode) import TFLiteRuntime

/// Issue #8: damaged models never crash, hang or exhaust memory in the interpreter (load,
/// graph validation, planning under a memory cap, invoke), and damaged `.npy` files never crash
/// the reader. Mutants are deterministic; a failure names the fixture and the mutant.
@Suite struct MutationInterpreterTests {
    /// The metadata models, a spread of the conformance models (every op family and type), and
    /// the models whose operators run other subgraphs or keep state (WHILE, IF, CALL_ONCE,
    /// variables, the recurrent layers) or are prepared at invoke (computed shapes): damaged
    /// subgraph indices, options and constants must not escape either.
    static let models: [URL] = {
        let conformance = Fixtures.url("conformance")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: conformance.path)) ?? []).sorted()
            .filter { FileManager.default.fileExists(atPath: conformance.appending(path: "\($0)/model.tflite").path) }
        let step = max(1, names.count / 40)
        let sample = stride(from: 0, to: names.count, by: step).map { conformance.appending(path: "\(names[$0])/model.tflite") }
        let structured = ["while_counter_float32", "if_then_float32", "variables_accumulator_float32", "keras2_lstm_hybrid",
                          "keras2_lstm_sequences_int8", "bidirectional_sequence_lstm_hybrid_merged_hybrid",
                          "unidirectional_sequence_rnn_asymmetric_hybrid", "svdf_relu_int8",
                          // operators prepared at invoke (computed shapes, growing loop values)
                          "where_gather_nd_float32", "unique_computed_int64", "range_computed_bounds_int32",
                          "while_grow_rows_float32", "while_grow_concat_int32", "if_shapes_else_float32"]
            .filter { names.contains($0) }.map { conformance.appending(path: "\($0)/model.tflite") }
        return Fixtures.metadataCases().map { $0.appending(path: "model.tflite") } + sample + structured
    }()

    static let memoryLimit = 4 << 20
    static let perRunLimit: Duration = .seconds(10)

    @Test func interpreterMutants() throws {
        let clock = ContinuousClock()
        var total = 0
        var loaded = 0
        var invoked = 0
        var slowest = Duration.zero
        let start = clock.now
        for url in Self.models {
            let data = try Data(contentsOf: url)
            let name = url.deletingLastPathComponent().lastPathComponent
            for mutant in Mutator.mutants(of: data, source: name, count: 60, seed: 0x1A7E_0008 &+ UInt64(data.count)) {
                total += 1
                let elapsed = clock.measure {
                    guard let interpreter = try? Interpreter(modelData: mutant.data, options: .init(memoryLimit: Self.memoryLimit)) else { return }
                    loaded += 1
                    guard (try? interpreter.allocateTensors()) != nil else { return }
                    #expect(interpreter.allocatedBytes <= Self.memoryLimit, "\(mutant) allocated \(interpreter.allocatedBytes) bytes")
                    if (try? interpreter.invoke()) != nil { invoked += 1 }
                    // What operators prepared at invoke took stays within the limit too.
                    #expect(interpreter.allocatedBytes <= Self.memoryLimit, "\(mutant) holds \(interpreter.allocatedBytes) bytes after invoke")
                }
                slowest = max(slowest, elapsed)
                #expect(elapsed < Self.perRunLimit, "\(mutant) took \(elapsed)")
            }
        }
        print("mutation: interpreter: \(total) mutants of \(Self.models.count) models in \(clock.now - start): \(loaded) loaded, \(invoked) invoked, slowest \(slowest)")
        #expect(total >= 2000)
    }

    @Test func numPyMutants() throws {
        let conformance = Fixtures.url("conformance")
        let names = try FileManager.default.contentsOfDirectory(atPath: conformance.path).sorted()
        let withInputs = names.map { conformance.appending(path: "\($0)/input_0.npy") }
            .filter { FileManager.default.fileExists(atPath: $0.path) }
        let files = stride(from: 0, to: withInputs.count, by: max(1, withInputs.count / 24)).map { withInputs[$0] }
        var total = 0
        var accepted = 0
        for url in files {
            let data = try Data(contentsOf: url)
            for mutant in Mutator.mutants(of: data, source: url.deletingLastPathComponent().lastPathComponent, count: 100, seed: 0x0097_0008) {
                total += 1
                guard let array = try? NumPyArray(npy: mutant.data, source: "mutant.npy") else { continue }
                accepted += 1
                let width = array.type.byteWidth ?? 1
                #expect(array.data.count == array.shape.reduce(1, *) * width, "\(mutant): \(array.shape) vs \(array.data.count) bytes")
                _ = array.doubles()
                _ = try? array.npyData()
            }
        }
        print("mutation: npy: \(total) mutants of \(files.count) files, \(accepted) accepted")
        #expect(total >= 1000)
    }
}
