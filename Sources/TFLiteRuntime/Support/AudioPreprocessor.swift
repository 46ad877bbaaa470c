/// An audio input: interleaved float samples at the model's sample rate and channel count, checked
/// against the tensor's size.
@_spi(GeneratedCode) public struct AudioPreprocessor: Sendable, Hashable {
    @_spi(GeneratedCode) public var sampleRate: Int
    @_spi(GeneratedCode) public var channels: Int

    @_spi(GeneratedCode) public init(sampleRate: Int, channels: Int) {
        self.sampleRate = sampleRate
        self.channels = max(channels, 1)
    }

    /// Writes `samples` (interleaved, `sampleRate` Hz, `channels` channels) into input `index`.
    @_spi(GeneratedCode) public func write(_ samples: [Float], sampleRate: Int? = nil, into interpreter: Interpreter, inputAt index: Int, name: String) throws {
        if let sampleRate, sampleRate != self.sampleRate {
            throw ModelWrapperError.invalidInput(name: name, reason: "the model takes audio at \(self.sampleRate) Hz, got \(sampleRate) Hz")
        }
        guard samples.count % channels == 0 else {
            throw ModelWrapperError.invalidInput(name: name, reason: "\(samples.count) samples are not a whole number of \(channels)-channel frames")
        }
        let info = try interpreter.inputTensor(at: index)
        guard samples.count == info.elementCount else {
            throw ModelWrapperError.invalidInput(name: name, reason: "expected \(info.elementCount / channels) frames of \(channels) channel(s) at \(self.sampleRate) Hz (\(info.elementCount) samples, shape \(info.shape)), got \(samples.count) samples")
        }
        try interpreter.writeFeatures(samples, toInputAt: index, name: name)
    }
}
