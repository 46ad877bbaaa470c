#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TFLiteModel

/// A litert-quantizer recipe (its JSON: a list of `{regex, operation, algorithm_key,
/// op_config}`), the subset `tflquant`'s full-integer modes can honour: uniform min/max
/// quantization with 8-bit asymmetric or 16-bit symmetric per-tensor activations and 8-bit
/// symmetric per-channel integer weights, and `no_quantize`. Every other field or value is
/// refused with an error naming the file, the entry and the field.
///
/// As in litert-quantizer, entries apply in order and a later entry overrides an earlier one for
/// the operators both match; an operator no entry matches stays float.
public struct QuantizationRecipe: Sendable, Equatable {
    /// One entry.
    public struct Entry: Sendable, Equatable {
        /// Matched (searched) against the operator's output tensor names.
        public var regex: String
        /// A schema operator name (`CONV_2D`) or `*`.
        public var operation: String
        /// Whether the entry quantizes (`min_max_uniform_quantize`) or keeps float (`no_quantize`).
        public var quantize: Bool
        /// 8 or 16 when `quantize`.
        public var activationBits: Int?
    }

    /// The recipe's entries in file order; for each operator the last matching entry decides.
    public var entries: [Entry]

    /// Why a recipe was refused.
    public struct Invalid: Error, CustomStringConvertible, Equatable, Sendable {
        public let description: String
    }

    /// Reads the recipe at `path` (a regular file of at most 1 MB).
    public init(contentsOf path: String) throws(Invalid) {
        let bytes: [UInt8]
        do { bytes = try RegularFile.read(path, role: "--recipe", limit: 1 << 20, what: "recipes") } catch {
            throw Invalid(description: error.description)
        }
        try self.init(json: Data(bytes), source: path)
    }

    /// Parses recipe JSON; `source` names it in errors.
    public init(json: Data, source: String) throws(Invalid) {
        func fail(_ field: String, _ reason: String) -> Invalid {
            Invalid(description: "\(source): \(DisplayText.escaped(field)): \(reason)")
        }
        guard let list = (try? JSONTree.parse(json)) as? [Any] else {
            throw Invalid(description: "\(source): not a JSON list of recipe entries")
        }
        var entries: [Entry] = []
        for (index, item) in list.enumerated() {
            let at = "[\(index)]"
            guard let entry = item as? [String: Any] else { throw fail(at, "an entry must be an object") }
            for key in entry.keys where !["regex", "operation", "algorithm_key", "op_config"].contains(key) {
                throw fail("\(at).\(key)", "not supported")
            }
            guard let regex = entry["regex"] as? String else { throw fail("\(at).regex", "missing or not a string") }
            guard (try? Regex(regex)) != nil else { throw fail("\(at).regex", "not a valid regular expression") }
            guard let operation = entry["operation"] as? String else { throw fail("\(at).operation", "missing or not a string") }
            guard operation == "*" || (0..<512).contains(where: { BuiltinOperator(rawValue: $0).name == operation }) else {
                throw fail("\(at).operation", "\(DisplayText.quoted(operation)) is not an operator name")
            }
            guard let algorithm = entry["algorithm_key"] as? String else { throw fail("\(at).algorithm_key", "missing or not a string") }
            switch algorithm {
            case "no_quantize":
                entries.append(Entry(regex: regex, operation: operation, quantize: false, activationBits: nil))
            case "min_max_uniform_quantize":
                guard let config = entry["op_config"] as? [String: Any] else { throw fail("\(at).op_config", "missing or not an object") }
                let bits = try Self.opConfig(config, at: "\(at).op_config", fail: fail)
                entries.append(Entry(regex: regex, operation: operation, quantize: true, activationBits: bits))
            default:
                throw fail("\(at).algorithm_key", "\(DisplayText.quoted(algorithm)) is not supported (min_max_uniform_quantize, no_quantize)")
            }
        }
        self.entries = entries
    }

    /// Checks an `op_config`; returns the activation bits.
    private static func opConfig(_ config: [String: Any], at: String, fail: (String, String) -> Invalid) throws(Invalid) -> Int {
        let known = ["activation_tensor_config", "weight_tensor_config", "compute_precision", "explicit_dequantize", "skip_checks", "min_weight_elements"]
        for key in config.keys where !known.contains(key) { throw fail("\(at).\(key)", "not supported") }
        guard let activation = config["activation_tensor_config"] as? [String: Any] else {
            throw fail("\(at).activation_tensor_config", "missing: tflquant's recipes quantize activations (full integer)")
        }
        let bits = try tensorConfig(activation, at: "\(at).activation_tensor_config", fail: fail, allowed: [8: false, 16: true], granularity: "TENSORWISE")
        guard let weights = config["weight_tensor_config"] as? [String: Any] else { throw fail("\(at).weight_tensor_config", "missing") }
        _ = try tensorConfig(weights, at: "\(at).weight_tensor_config", fail: fail, allowed: [8: true], granularity: "CHANNELWISE")
        if let precision = config["compute_precision"] {
            guard precision as? String == "INTEGER" else {
                throw fail("\(at).compute_precision", "\(precision) is not supported (INTEGER; keep an operator float with no_quantize)")
            }
        }
        if let explicit = config["explicit_dequantize"] {
            guard (explicit as? Bool) == false else { throw fail("\(at).explicit_dequantize", "only false is supported") }
        }
        if let skip = config["skip_checks"], !(skip is Bool) { throw fail("\(at).skip_checks", "not a boolean") }
        if let minimum = config["min_weight_elements"] {
            guard (minimum as? Int) == 0 else { throw fail("\(at).min_weight_elements", "only 0 is supported (full-integer models quantize every weight)") }
        }
        return bits
    }

    /// Checks a tensor config; returns its bits. `allowed` maps bits to the required `symmetric`.
    private static func tensorConfig(_ config: [String: Any], at: String, fail: (String, String) -> Invalid,
                                     allowed: [Int: Bool], granularity: String) throws(Invalid) -> Int {
        for key in config.keys where !["num_bits", "symmetric", "granularity", "dtype"].contains(key) {
            throw fail("\(at).\(key)", "not supported")
        }
        guard let bits = config["num_bits"] as? Int, let symmetric = allowed[bits] else {
            throw fail("\(at).num_bits", "\(config["num_bits"].map { "\($0)" } ?? "missing") is not supported (\(allowed.keys.sorted().map(String.init).joined(separator: " or ")))")
        }
        if let value = config["symmetric"] {
            guard (value as? Bool) == symmetric else {
                throw fail("\(at).symmetric", "\(bits)-bit tensors are \(symmetric ? "symmetric" : "asymmetric") in LiteRT's integer kernels")
            }
        }
        if let value = config["granularity"] {
            guard (value as? String) == granularity else { throw fail("\(at).granularity", "\(value) is not supported (\(granularity))") }
        }
        if let value = config["dtype"] {
            guard (value as? String) == "INT" else { throw fail("\(at).dtype", "\(value) is not supported (INT)") }
        }
        return bits
    }

    /// For each operator of subgraph 0 of `model`, the entry that applies (the last that
    /// matches), nil when none does.
    public func resolve(_ model: Model) -> [Entry?] {
        guard let subgraph = model.subgraphs.first else { return [] }
        let compiled = entries.map { try? Regex($0.regex) }
        return subgraph.operators.map { op in
            let name = model.operatorCode(of: op)?.name ?? "custom"
            let outputs = op.outputs.compactMap { Int($0) < subgraph.tensors.count && $0 >= 0 ? subgraph.tensors[Int($0)].name : nil }
            var chosen: Entry?
            for (entry, regex) in zip(entries, compiled) where entry.operation == "*" || entry.operation == name {
                guard let regex else { continue }
                let matches = outputs.contains { $0.contains(regex) }
                if matches { chosen = entry }
            }
            return chosen
        }
    }

    /// The full-integer mode and the operators to keep float for `model`: refused when the
    /// quantized operators mix 8- and 16-bit activations or none is quantized.
    public func apply(to model: Model, source: String) throws(Invalid) -> (mode: QuantizationMode, keepFloat: Set<Int>) {
        let resolved = resolve(model)
        let bits = Set(resolved.compactMap { $0?.quantize == true ? $0?.activationBits : nil })
        guard bits.count <= 1 else { throw Invalid(description: "\(source): the recipe mixes 8- and 16-bit activations; tflquant quantizes a model at one precision") }
        guard let precision = bits.first else { throw Invalid(description: "\(source): the recipe quantizes no operator of this model") }
        let keep = Set(resolved.indices.filter { resolved[$0]?.quantize != true })
        return (precision == 8 ? .int8 : .int16x8, keep)
    }
}
