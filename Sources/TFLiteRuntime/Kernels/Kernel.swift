import TFLiteModel

/// One operator of the graph as a kernel sees it.
package struct Node: @unchecked Sendable {
    /// Operator index in the subgraph.
    package var index: Int
    /// Operator name (`CONV_2D`, or the custom code).
    package var name: String
    package var code: BuiltinOperator
    package var version: Int32
    /// Tensor indices; -1 marks an omitted optional input.
    package var inputs: [Int]
    package var outputs: [Int]
    /// The operator's `intermediates` tensors (the integer LSTM reads the scales the converter
    /// recorded on them); checked to be in range, never read or written as data.
    package var intermediates: [Int] = []
    /// The `builtin_options` table; kernels read it through ``options(expecting:)``, which checks
    /// `optionsType`.
    package var options: FlatBufferTable?
    package var optionsType: UInt8
    package var options2: FlatBufferTable?
    package var options2Type: UInt8
    /// FlexBuffer bytes of custom operators.
    package var customOptions: UnsafeRawBufferPointer?
    /// A convolution's padding taken over from the PAD before it (``PadFolding``): replaces the
    /// VALID `padding` option; its input is then the PAD's input.
    var foldedPadding: PadFolding.Amounts?

    /// An `invalidOperator` error for this node.
    package func invalid(_ reason: String) -> InterpreterError {
        .invalidOperator(name: name, index: index, reason: reason)
    }

    /// An `unsupportedOperator` error for this node.
    package func unsupported(_ reason: String) -> InterpreterError {
        .unsupportedOperator(name: name, index: index, reason: reason)
    }

    /// A `runtime` error for this node.
    package func failure(_ reason: String) -> InterpreterError {
        .runtime(name: name, index: index, reason: reason)
    }

    /// Input `position`'s tensor index, checking it is present. Inlined (kernels look their
    /// tensors up at every run); the error is built out of line.
    @inline(__always)
    package func input(_ position: Int) throws(InterpreterError) -> Int {
        guard position < inputs.count, inputs[position] >= 0 else { throw missing("input", position) }
        return inputs[position]
    }

    /// The error of a missing input or output (`role` says which).
    @inline(never)
    private func missing(_ role: String, _ position: Int) -> InterpreterError {
        invalid("\(role) \(position) is missing")
    }

    /// Input `position`'s tensor index, or nil when omitted.
    package func optionalInput(_ position: Int) -> Int? {
        position < inputs.count && inputs[position] >= 0 ? inputs[position] : nil
    }

    /// Output `position`'s tensor index (inlined, as ``input(_:)``).
    @inline(__always)
    package func output(_ position: Int) throws(InterpreterError) -> Int {
        guard position < outputs.count, outputs[position] >= 0 else { throw missing("output", position) }
        return outputs[position]
    }

    /// The operator's options as `T` (a table of `builtin_options` or `builtin_options_2`,
    /// generated from the schema): the schema's defaults when the operator has none, an
    /// `invalid` error when the model's union type names another table or a field is malformed.
    package func options<T: OperatorOptions>(expecting type: T.Type) throws(InterpreterError) -> T {
        let table: FlatBufferTable?
        let declared: UInt8
        switch T.union {
        case .builtinOptions: (table, declared) = (options, optionsType)
        case .builtinOptions2: (table, declared) = (options2, options2Type)
        }
        guard declared == T.unionType || declared == 0 else {
            let actual = T.union.memberName(declared) ?? "an unknown table"
            throw invalid("\(T.union.name) holds \(actual) (type \(declared)), expected \(T.schemaName) (type \(T.unionType))")
        }
        do { return try T(declared == 0 ? nil : table) } catch { throw invalid("bad options: \(error)") }
    }

    /// Checks the number of inputs and outputs.
    package func expect(inputs inputRange: ClosedRange<Int>, outputs outputRange: ClosedRange<Int>) throws(InterpreterError) {
        guard inputRange.contains(inputs.count) else {
            throw invalid("expected \(inputRange.lowerBound == inputRange.upperBound ? "\(inputRange.lowerBound)" : "\(inputRange.lowerBound)…\(inputRange.upperBound)") inputs, got \(inputs.count)")
        }
        guard outputRange.contains(outputs.count) else {
            throw invalid("expected \(outputRange.lowerBound == outputRange.upperBound ? "\(outputRange.lowerBound)" : "\(outputRange.lowerBound)…\(outputRange.upperBound)") outputs, got \(outputs.count)")
        }
    }
}

/// A kernel: one operator's implementation, created per node.
///
/// `prepare` runs at `allocateTensors()` in operator order, once the inputs' types and shapes
/// are known: it checks inputs and options, sets each output's type, shape and quantization
/// (outputs keep the quantization the model gives them unless the kernel sets it), and
/// precomputes whatever `run` needs (multipliers, packed weights via
/// `TensorTable.allocatePersistent`). `run` computes the outputs and must not allocate.
package protocol Kernel: AnyObject {
    func prepare(_ tensors: TensorTable) throws(InterpreterError)
    func run(_ tensors: TensorTable) throws(InterpreterError)
    /// Constant inputs the prepared kernel copied into its own layout and no longer reads (the
    /// interpreter lets their file-mapped pages go).
    var copiedConstants: [Int] { get }
}

extension Kernel {
    package var copiedConstants: [Int] { [] }
}

/// Creates the kernel for a node (parsing its options), or throws when the node's inputs,
/// options or types are not supported.
package typealias KernelFactory = @Sendable (Node) throws(InterpreterError) -> any Kernel
