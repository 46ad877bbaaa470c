extension ModelMetadata {
    /// Every associated file the metadata names, with the path of its `AssociatedFile` table:
    /// model, subgraph and tensor files and the files of tokenizer process units.
    public func namedFiles() -> [(path: String, file: AssociatedFile)] {
        var found: [(path: String, file: AssociatedFile)] = []
        func files(_ list: [AssociatedFile]?, _ path: String) {
            for (index, file) in (list ?? []).enumerated() { found.append(("\(path)[\(index)]", file)) }
        }
        func units(_ list: [ProcessUnit]?, _ path: String) {
            for (index, unit) in (list ?? []).enumerated() {
                let at = "\(path)[\(index)].options"
                switch unit.options {
                case .bertTokenizer(let options)?:
                    files(options.vocabFile, "\(at).vocab_file")
                case .sentencePieceTokenizer(let options)?:
                    files(options.sentencePieceModel, "\(at).sentencePiece_model")
                    files(options.vocabFile, "\(at).vocab_file")
                case .regexTokenizer(let options)?:
                    files(options.vocabFile, "\(at).vocab_file")
                default:
                    break
                }
            }
        }
        files(associatedFiles, "associated_files")
        for (index, subgraph) in (subgraphMetadata ?? []).enumerated() {
            let at = "subgraph_metadata[\(index)]"
            files(subgraph.associatedFiles, "\(at).associated_files")
            for (kind, tensors) in [("input", subgraph.inputTensorMetadata), ("output", subgraph.outputTensorMetadata)] {
                for (position, tensor) in (tensors ?? []).enumerated() {
                    let tensorPath = "\(at).\(kind)_tensor_metadata[\(position)]"
                    files(tensor.associatedFiles, "\(tensorPath).associated_files")
                    units(tensor.processUnits, "\(tensorPath).process_units")
                }
            }
            units(subgraph.inputProcessUnits, "\(at).input_process_units")
            units(subgraph.outputProcessUnits, "\(at).output_process_units")
        }
        return found
    }

    /// The metadata with every associated file name replaced by `transform(name)`.
    public func mappingFileNames(_ transform: (String) -> String) -> ModelMetadata {
        func map(_ list: [AssociatedFile]?) -> [AssociatedFile]? {
            list?.map { file in
                var copy = file
                copy.name = file.name.map(transform)
                return copy
            }
        }
        func map(_ units: [ProcessUnit]?) -> [ProcessUnit]? {
            units?.map { unit in
                var copy = unit
                switch unit.options {
                case .bertTokenizer(var options)?:
                    options.vocabFile = map(options.vocabFile)
                    copy.options = .bertTokenizer(options)
                case .sentencePieceTokenizer(var options)?:
                    options.sentencePieceModel = map(options.sentencePieceModel)
                    options.vocabFile = map(options.vocabFile)
                    copy.options = .sentencePieceTokenizer(options)
                case .regexTokenizer(var options)?:
                    options.vocabFile = map(options.vocabFile)
                    copy.options = .regexTokenizer(options)
                default:
                    break
                }
                return copy
            }
        }
        func map(_ tensors: [TensorMetadata]?) -> [TensorMetadata]? {
            tensors?.map { tensor in
                var copy = tensor
                copy.associatedFiles = map(tensor.associatedFiles)
                copy.processUnits = map(tensor.processUnits)
                return copy
            }
        }
        var result = self
        result.associatedFiles = map(associatedFiles)
        result.subgraphMetadata = subgraphMetadata?.map { subgraph in
            var copy = subgraph
            copy.associatedFiles = map(subgraph.associatedFiles)
            copy.inputTensorMetadata = map(subgraph.inputTensorMetadata)
            copy.outputTensorMetadata = map(subgraph.outputTensorMetadata)
            copy.inputProcessUnits = map(subgraph.inputProcessUnits)
            copy.outputProcessUnits = map(subgraph.outputProcessUnits)
            return copy
        }
        return result
    }
}
