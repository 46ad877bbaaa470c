import Foundation
import Testing
import TestSupport
import TFLiteModel
@_spi(GeneratedCode) import TFLiteRuntime

/// Issue #20: the interpreter's default limits refuse a hostile model before it exhausts the
/// machine (memory: a quarter of RAM, at most 4 GiB; work: multiply-adds plus every element
/// read or written, per operator and per run), with an error naming the limit, the figure and
/// how to raise it, while every real model stays well under them.
@Suite struct HostileLimitTests {
    static func allocate(_ data: Data, options: Interpreter.Options = .init()) -> InterpreterError? {
        do {
            try Interpreter(modelData: data, options: options).allocateTensors()
            return nil
        } catch {
            return error
        }
    }

    @Test func defaultMemoryLimitIsAQuarterOfRAMUnder4GiB() {
        let physical = Int(clamping: ProcessInfo.processInfo.physicalMemory)
        #expect(Interpreter.Options.defaultMemoryLimit == min(physical / 4, 4 << 30))
        #expect(Interpreter.Options().memoryLimit == Interpreter.Options.defaultMemoryLimit)
        #expect(Interpreter.Options(memoryLimit: 1 << 20).memoryLimit == 1 << 20)
    }

    /// The 304-byte model of the report: one RELU over float32 [2048, 1048576] (8 GiB per tensor),
    /// which drove `tflrun bench` to 24 GB under the old default (the machine's RAM).
    @Test func eightGigabyteReluIsRefusedByTheDefaultMemoryLimit() throws {
        let data = try HostileModels.reluChain(1, shape: [2048, 1_048_576])
        #expect(data.count < 400)
        let error = try #require(Self.allocate(data))
        guard case .memoryLimitExceeded(let required, let limit) = error else {
            Issue.record("expected memoryLimitExceeded, got \(error)")
            return
        }
        #expect(required == 8 << 30 && limit == Interpreter.Options.defaultMemoryLimit)
        let message = error.description
        #expect(message.contains("8589934592 bytes (8.0 GiB)") && message.contains("memory limit of \(limit)"), "\(message)")
        #expect(message.contains("Interpreter.Options.memoryLimit") && message.contains("--memory-limit"), "\(message)")
        // An explicit limit applies the same way.
        #expect(Self.allocate(try HostileModels.reluChain(1, shape: [1024]), options: .init(memoryLimit: 4096)) != nil)
        #expect(Self.allocate(try HostileModels.reluChain(1, shape: [1024]), options: .init(memoryLimit: 8192)) == nil)
    }

    /// Elementwise operators now count the elements they read and write: before, only
    /// multiply-adds counted and a RELU was free.
    @Test func elementsReadAndWrittenCountAsWork() throws {
        let data = try HostileModels.reluChain(1, shape: [1024])
        let perElement = Interpreter.Options.elementWork
        let interpreter = try Interpreter(modelData: data)
        try interpreter.allocateTensors()
        #expect(interpreter.plannedWork == 2 * 1024 * perElement)
        let error = try #require(Self.allocate(data, options: .init(workLimit: 2 * 1024 * perElement - 1)))
        guard case .workLimitExceeded(let name, let index, let required, let limit) = error else {
            Issue.record("expected workLimitExceeded, got \(error)")
            return
        }
        #expect(name == "RELU" && index == 0 && required == 2 * 1024 * perElement && limit == 2 * 1024 * perElement - 1)
        #expect(error.description.contains("per-operator work limit of \(limit)") && error.description.contains("--work-limit"), "\(error)")
    }

    /// 1 000 RELUs over 2^26 floats (a small file; 30 s per run before): each operator is cheap,
    /// together they pass the per-run limit, refused at allocation before anything is allocated.
    @Test func thousandCheapOperatorsPassTheTotalWorkLimit() throws {
        let data = try HostileModels.reluChain(1000, shape: [1 << 26])
        #expect(data.count < 100_000)
        let clock = ContinuousClock()
        var error: InterpreterError?
        let elapsed = clock.measure { error = Self.allocate(data) }
        let refused = try #require(error)
        guard case .totalWorkLimitExceeded(let name, let index, let required, let limit) = refused else {
            Issue.record("expected totalWorkLimitExceeded, got \(refused)")
            return
        }
        let perOperator = 2 << 26 * Interpreter.Options.elementWork
        #expect(name == "RELU" && limit == Interpreter.Options.defaultTotalWorkLimit)
        #expect(required == (index + 1) * perOperator && required > limit && required - perOperator <= limit)
        let message = refused.description
        #expect(message.contains("total work limit of \(limit)") && message.contains("Interpreter.Options.totalWorkLimit")
                && message.contains("--total-work-limit") && message.contains("\(required) work units"), "\(message)")
        #expect(elapsed < .seconds(10), "refused in \(elapsed)")
        // A higher total limit lets more of them through (the same model, a limit raised past it).
        let raised = Self.allocate(data, options: .init(memoryLimit: 1 << 20, totalWorkLimit: .max))
        guard case .memoryLimitExceeded? = raised else {
            Issue.record("expected the 1 MiB memory limit next, got \(String(describing: raised))")
            return
        }
    }

    /// Every model the project runs (conformance cases, fuzz-free fixtures) plans far less work
    /// than the defaults allow.
    @Test func realModelsStayWellUnderTheWorkLimits() throws {
        var models: [URL] = []
        for directory in ["conformance", "interpreter", "codegen", "metadata"] {
            let root = Fixtures.url(directory)
            guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { continue }
            for case let url as URL in walker where url.pathExtension == "tflite" { models.append(url) }
        }
        #expect(models.count > 100)
        var largest = (work: 0, model: "")
        var ran = 0
        for url in models {
            guard let interpreter = try? Interpreter(modelPath: url.path, options: .init(workLimit: .max, totalWorkLimit: .max)),
                  (try? interpreter.allocateTensors()) != nil else { continue }
            ran += 1
            if interpreter.plannedWork > largest.work { largest = (interpreter.plannedWork, url.path) }
        }
        print("work limits: \(ran) fixture models, the largest plans \(largest.work) work units per run (\(largest.model))")
        #expect(ran > 100)
        #expect(largest.work * 64 < Interpreter.Options.defaultTotalWorkLimit)
        #expect(largest.work * 32 < Interpreter.Options.defaultWorkLimit)
    }

    /// Model text in errors is escaped and cut (a 100 KB operator or tensor name is not echoed).
    @Test func hugeNamesAreCutInErrors() throws {
        let name = String(repeating: "n", count: 100_000) + "\u{1B}]0;title\u{07}"
        let error = try #require(Self.allocate(try HostileModels.customOperator(name)))
        let message = error.description
        #expect(message.count < 1000 && message.contains("more characters") && !message.contains("\u{1B}"), "\(message.prefix(300))")

        let interpreter = try Interpreter(modelData: try HostileModels.reluChain(1, shape: [4], inputName: name))
        try interpreter.allocateTensors()
        let copy = #expect(throws: InterpreterError.self) { try interpreter.copy(Data(count: 3), toInputAt: 0) }
        let copyMessage = copy?.description ?? ""
        #expect(copyMessage.count < 1000 && copyMessage.contains("more characters"), "\(copyMessage.prefix(300))")
        #expect(!copyMessage.contains("\u{1B}"))
        let wrapper = ModelWrapperError.invalidInput(name: name, reason: "bad")
        #expect(wrapper.description.count < 400 && !wrapper.description.contains("\u{1B}"))
    }
}

extension HostileLimitTests {
    /// Float functions that cost many plain passes per element count that much more work: a
    /// TANH over 2^20 floats counts 128 passes beyond its reads and writes (70 ns an element
    /// against RELU's 1 ns in a release build), so a chain of them stays within seconds.
    @Test func costlyFloatFunctionsCountTheirCost() throws {
        let tanh = try HostileModels.compile("""
        { "version": 3, "operator_codes": [{ "deprecated_builtin_code": 28, "builtin_code": "TANH" }],
          "buffers": [{}], "subgraphs": [{ "inputs": [0], "outputs": [1],
            "tensors": [{ "shape": [1048576], "type": "FLOAT32", "buffer": 0 }, { "shape": [1048576], "type": "FLOAT32", "buffer": 0 }],
            "operators": [{ "opcode_index": 0, "inputs": [0], "outputs": [1] }] }] }
        """)
        let interpreter = try Interpreter(modelData: tanh)
        try interpreter.allocateTensors()
        let elements = 1 << 20, perElement = Interpreter.Options.elementWork
        #expect(interpreter.plannedWork == elements * perElement * 128 + 2 * elements * perElement)
    }
}
