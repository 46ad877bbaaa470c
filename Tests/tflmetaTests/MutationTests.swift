import Foundation
import Testing
import TestSupport
import TFLiteMetadata

/// Issue #8: damaged copies of every metadata fixture (flipped bits, cut tails, overwritten
/// offsets, a damaged zip tail, inserted and deleted bytes) never crash or hang a reader.
///
/// Thousands of mutants run in-process through what the commands do (milliseconds each); a few
/// hundred run through the built tools, which must exit 0 or 1 with a one-line error, never by
/// a signal, within a time bound. The mutants are the same on every run (fixed seeds); a
/// failure names the fixture, the mutant's number and what was damaged.
@Suite struct MutationTests {
    static let fixtures: [URL] = Fixtures.metadataCases().map { $0.appending(path: "model.tflite") }
    static let inProcessPerFixture = 400
    static let perRunLimit: TimeInterval = 10

    static func mutants(of fixture: URL, count: Int, seed: UInt64) -> [Mutant] {
        let data = (try? Data(contentsOf: fixture)) ?? Data()
        let name = fixture.deletingLastPathComponent().lastPathComponent
        return Mutator.mutants(of: data, source: name, count: count, seed: seed ^ UInt64(truncatingIfNeeded: name.hashValueStable))
    }

    @Test(arguments: fixtures)
    func mutantsInProcess(_ fixture: URL) throws {
        let mutants = Self.mutants(of: fixture, count: Self.inProcessPerFixture, seed: 0x5EED_0008)
        let clock = ContinuousClock()
        var accepted = 0
        var slowest = Duration.zero
        let total = clock.measure {
            for mutant in mutants {
                var ok = false
                let elapsed = clock.measure { ok = ReadAsTheCommandsDo.run(mutant.data) }
                if ok { accepted += 1 }
                slowest = max(slowest, elapsed)
                #expect(elapsed < .seconds(Self.perRunLimit), "\(mutant) took \(elapsed)")
            }
        }
        print("mutation: \(fixture.deletingLastPathComponent().lastPathComponent): \(mutants.count) mutants in-process in \(total), \(accepted) still read as models, slowest \(slowest)")
    }

    /// Populating a damaged model (with its own metadata and files, as `populate -o` does
    /// without a spec) either fails with an error and writes nothing, or writes a model that
    /// reads back.
    @Test(arguments: fixtures)
    func populateMutantsInProcess(_ fixture: URL) throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appending(path: "out.tflite").path
        var written = 0
        for mutant in Self.mutants(of: fixture, count: 60, seed: 0xF111_0008) {
            guard let model = try? Model(data: mutant.data, source: "mutant.tflite"),
                  let file = try? ModelFile(model: model) else { continue }
            do {
                let (metadata, files, _) = try MetadataRecipe().resolve(for: file)
                try MetadataPopulator.populate(file, metadata: metadata, files: files, to: output)
                written += 1
                let back = try ModelFile(contentsOf: output)
                #expect(back.hasMetadata, "\(mutant): populated output has no metadata")
                try FileManager.default.removeItem(atPath: output)
            } catch {
                #expect(!FileManager.default.fileExists(atPath: output), "\(mutant): failed (\(error)) but wrote the output")
            }
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            #expect(leftovers.isEmpty, "\(mutant): left \(leftovers)")
        }
        print("mutation: populate \(fixture.deletingLastPathComponent().lastPathComponent): \(written) of 60 mutants written")
    }
}

/// The same mutants through the built command-line tools.
@Suite struct MutationCommandTests {
    static let timeout: TimeInterval = 60

    /// A command run on a mutant; `{}` stands for the mutant's path, `{out}` for a fresh path
    /// in the mutant's folder.
    struct Command: Sendable, CustomStringConvertible {
        var tool: String
        var arguments: [String]
        var mutants: Int
        var description: String { ([tool] + arguments).joined(separator: " ") }
    }

    static let commands: [Command] = [
        Command(tool: "tflmeta", arguments: ["show", "{}"], mutants: 72),
        Command(tool: "tflmeta", arguments: ["show", "--json", "{}"], mutants: 72),
        Command(tool: "tflmeta", arguments: ["files", "{}"], mutants: 72),
        Command(tool: "tflmeta", arguments: ["extract", "{}", "-o", "{out}"], mutants: 36),
        Command(tool: "tflmeta", arguments: ["validate", "{}"], mutants: 60),
        Command(tool: "tflmeta", arguments: ["populate", "{}", "-o", "{out}"], mutants: 48),
        Command(tool: "tflcodegen", arguments: ["{}", "-o", "{out}"], mutants: 36),
        Command(tool: "tflrun", arguments: ["run", "{}", "--output-dir", "{out}"], mutants: 36),
        // bench fills the inputs itself, so mutants that still load are also allocated and invoked.
        Command(tool: "tflrun", arguments: ["bench", "{}", "--runs", "1", "--warmup", "0"], mutants: 48),
    ]

    /// Whether the tool and subcommand exist in this build.
    static func available(_ command: Command) -> Bool {
        let path = CommandRunner.productsDirectory.appending(path: command.tool).path
        guard FileManager.default.isExecutableFile(atPath: path) else { return false }
        let first = command.arguments[0]
        guard !first.hasPrefix("{") else { return true }
        return ((try? CommandRunner.run(command.tool, [first, "--help"], timeout: 30))?.status ?? 1) == 0
    }

    @Test(arguments: commands)
    func mutantsThroughTheTool(_ command: Command) throws {
        try #require(Self.available(command), "`\(command)` is not in this build")
        let fixtures = MutationTests.fixtures
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var statuses: [Int32: Int] = [:]
        let clock = ContinuousClock()
        let start = clock.now
        for index in 0..<command.mutants {
            let fixture = fixtures[index % fixtures.count]
            let seed = 0xC11_0008 &+ UInt64(index / fixtures.count) &* 7919 &+ UInt64(command.description.utf8.count)
            let mutant = MutationTests.mutants(of: fixture, count: 1 + index / fixtures.count, seed: seed).last!
            let input = directory.appending(path: "mutant-\(index).tflite")
            let output = directory.appending(path: "out-\(index)")
            try mutant.data.write(to: input)
            let arguments = command.arguments.map { $0 == "{}" ? input.path : $0 == "{out}" ? output.path : $0 }
            let result = try CommandRunner.run(command.tool, arguments, timeout: Self.timeout)
            statuses[result.status, default: 0] += 1
            let context = "`\(command)` on \(mutant)"
            #expect(!result.signaled, "\(context) died by signal \(result.status) (or timed out): \(result.stderr)")
            #expect([0, 1].contains(result.status), "\(context) exited \(result.status): \(result.stderr)")
            let lines = result.stderr.split(separator: "\n")
            if result.status == 1 && command.tool == "tflmeta" && command.arguments[0] != "validate" {
                if command.arguments[0] == "populate" {
                    // populate prints its validation findings, then the one-line error.
                    #expect(lines.last?.hasPrefix("Error: ") == true, "\(context): \(result.stderr)")
                    #expect(!FileManager.default.fileExists(atPath: output.path), "\(context) failed but wrote \(output.path)")
                } else {
                    #expect(lines.count == 1, "\(context): \(result.stderr)")
                }
            }
            if command.arguments[0] == "populate" && result.status == 0 {
                #expect((try? ModelFile(contentsOf: output.path)) != nil, "\(context) wrote an unreadable model")
            }
            if result.status == 1 && command.tool == "tflcodegen" {
                #expect(lines.last?.lowercased().hasPrefix("error") == true, "\(context): \(result.stderr)")
            }
            let stray = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.contains(".tmp-") }
            #expect(stray.isEmpty, "\(context) left \(stray)")
            try? FileManager.default.removeItem(at: input)
            try? FileManager.default.removeItem(at: output)
        }
        print("mutation: `\(command)`: \(command.mutants) mutants in \(clock.now - start), exit statuses \(statuses.sorted { $0.key < $1.key })")
    }
}

extension String {
    /// A hash that is the same in every process (String.hashValue is seeded per process).
    var hashValueStable: Int {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        return Int(truncatingIfNeeded: hash)
    }
}
