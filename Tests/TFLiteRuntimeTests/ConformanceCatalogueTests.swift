import Foundation
import Testing
import TestSupport

/// The conformance folders and the catalogue that makes them (`scripts/make_conformance.py`,
/// run by `make fixtures`) agree: every committed case is regenerated, none is orphaned.
@Suite struct ConformanceCatalogueTests {
    static let root = Fixtures.url("conformance")

    static func caseFolders() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: root.path).filter { name in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: root.appending(path: name).path, isDirectory: &isDirectory)
                && isDirectory.boolValue
        }.sorted()
    }

    static func skippedNames() throws -> [String] {
        let data = try Data(contentsOf: root.appending(path: "skipped.json"))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return object.keys.sorted()
    }

    /// Case names say what they cover (`<op>_<variant>_<dtype>`), not which round added them, and
    /// every case.json names a generator that exists in `scripts/`.
    @Test func casesAreNamedByContentAndTheirGeneratorsExist() throws {
        let folders = try Self.caseFolders()
        #expect(folders.count > 1000)
        let roundPrefix = /^r[0-9]+_/
        for name in try folders + Self.skippedNames() {
            #expect(name.firstMatch(of: roundPrefix) == nil, "\(name): named after a round")
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.root.path)
        #expect(files.filter { $0.hasSuffix(".json") } == ["skipped.json"], "one skipped.json for the whole catalogue")
        for name in folders {
            let data = try Data(contentsOf: Self.root.appending(path: name).appending(path: "case.json"))
            let info = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], "\(name)")
            let generator = try #require(info["generator"] as? String, "\(name): no generator")
            let script = generator.hasPrefix("scripts/") ? generator : "scripts/" + generator
            #expect(FileManager.default.fileExists(atPath: Fixtures.root.appending(path: script).path),
                    "\(name): generator \(generator) does not exist")
        }
    }

    /// `make_conformance.py --list` names exactly the committed case folders plus the skipped
    /// combinations (needs the venv: the catalogue builds TensorFlow/flatbuffers objects).
    @Test(.enabled(if: ReferenceTools.available, "needs .venv (scripts/venv.sh)"))
    func interopCatalogueListsExactlyTheCommittedCases() throws {
        let (status, output) = try ReferenceTools.runScript("make_conformance.py", ["--list"])
        #expect(status == 0)
        let listed = output.split(separator: "\n").map(String.init)
        #expect(Set(listed).count == listed.count, "duplicate names in the catalogue")
        let folders = Set(try Self.caseFolders())
        let skipped = Set(try Self.skippedNames())
        #expect(folders.isDisjoint(with: skipped), "cases both committed and skipped: \(folders.intersection(skipped).sorted())")
        let committed = folders.union(skipped)
        #expect(Set(listed).subtracting(committed).sorted() == [], "listed but neither committed nor skipped")
        #expect(committed.subtracting(listed).sorted() == [], "committed but not made by the catalogue")
    }
}
