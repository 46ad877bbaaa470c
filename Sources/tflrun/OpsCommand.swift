import ArgumentParser
import Foundation
import TFLiteModel
import TFLiteRuntime

/// `tflrun ops`: lists a model's operators and whether the interpreter implements them.
struct OpsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ops",
        abstract: "List the model's operators (index, name, version) and whether each is supported."
    )

    @OptionGroup var model: ModelOptions

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func run() throws {
        let loaded = try model.load()
        var rows: [(subgraph: Int, index: Int, name: String, version: Int32, supported: Bool)] = []
        for (subgraphIndex, subgraph) in loaded.subgraphs.enumerated() {
            for (index, op) in subgraph.operators.enumerated() {
                guard let code = loaded.operatorCodes[safeIndex: Int(op.opcodeIndex)] else {
                    throw ToolFailure("\(model.model): operator \(index) uses operator code \(op.opcodeIndex), but the model has \(loaded.operatorCodes.count)")
                }
                let name = code.builtinCode == .custom ? (code.customCode ?? "CUSTOM") : code.builtinCode.name
                rows.append((subgraphIndex, index, json ? name : DisplayText.quoted(name), code.version, KernelRegistry.supports(code)))
            }
        }
        if json {
            struct Row: Encodable {
                var subgraph: Int, index: Int, name: String, version: Int32, supported: Bool
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            let data = try encoder.encode(rows.map { Row(subgraph: $0.subgraph, index: $0.index, name: $0.name, version: $0.version, supported: $0.supported) })
            print(String(decoding: data, as: UTF8.self))
            return
        }
        let multiple = loaded.subgraphs.count > 1
        let nameWidth = max(4, rows.map(\.name.count).max() ?? 0)
        print((multiple ? "subgraph  " : "") + "index  " + "name".padding(toLength: nameWidth, withPad: " ", startingAt: 0) + "  version  supported")
        for row in rows {
            let prefix = multiple ? String(row.subgraph).leftPadded(8) + "  " : ""
            print(prefix + String(row.index).leftPadded(5) + "  " + row.name.padding(toLength: nameWidth, withPad: " ", startingAt: 0)
                  + "  " + String(row.version).leftPadded(7) + "  " + (row.supported ? "yes" : "no"))
        }
        let unsupported = Set(rows.filter { !$0.supported }.map(\.name)).sorted()
        print("\(rows.count) operator\(rows.count == 1 ? "" : "s"), " + (unsupported.isEmpty ? "all supported" : "unsupported: \(unsupported.joined(separator: ", "))"))
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
