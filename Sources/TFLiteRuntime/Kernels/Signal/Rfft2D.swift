#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import TFLiteModel

/// RFFT2D: the 2-D discrete Fourier transform of the innermost two dimensions of a float32
/// tensor, `[…, H, W]` → complex64 `[…, fftH, fftW / 2 + 1]` (the non-negative frequencies of
/// the last axis), with the constant `fft_length` `[fftH, fftW]` (powers of two, as LiteRT
/// requires) cropping or zero-padding the input.
///
/// LiteRT transforms in double precision (Ooura's FFT) and stores float32 pairs; this kernel
/// computes the same sums in double as two passes of direct DFTs (rows, then columns) with
/// twiddle factors tabulated at prepare, so results agree to float32 rounding.
final class Rfft2DKernel: Kernel {
    private let node: Node
    private var batches = 0
    private var inputHeight = 0, inputWidth = 0
    private var height = 0, width = 0, bins = 0
    /// `cos` and `sin` of `2πj/width` and `2πj/height`, and the row pass's `[height, bins]` result.
    private var rowCos: UnsafeMutablePointer<Double>?
    private var rowSin: UnsafeMutablePointer<Double>?
    private var columnCos: UnsafeMutablePointer<Double>?
    private var columnSin: UnsafeMutablePointer<Double>?
    private var scratchReal: UnsafeMutablePointer<Double>?
    private var scratchImaginary: UnsafeMutablePointer<Double>?

    init(_ node: Node) throws(InterpreterError) {
        try node.expect(inputs: 2...2, outputs: 1...1)
        self.node = node
    }

    func prepare(_ tensors: TensorTable) throws(InterpreterError) {
        let input = tensors[try node.input(0)]
        let outputIndex = try node.output(0)
        guard input.type == .float32 else { throw node.unsupported("\(input.type) input is not supported") }
        guard tensors[outputIndex].type == .complex64 else { throw node.invalid("the output must be complex64, not \(tensors[outputIndex].type)") }
        guard input.shape.count >= 2 else { throw node.invalid("the input must have at least two dimensions, got \(input.shape)") }
        try ShapeOps.requireData(input, node, "the input")
        let lengths = try ShapeOps.constantInts(node, tensors, input: 1, "fft_length")
        guard lengths.count == 2, lengths.allSatisfy({ $0 > 0 && $0 & ($0 - 1) == 0 }), lengths.allSatisfy({ $0 <= 1 << 20 }) else {
            throw node.invalid("fft_length \(lengths) must be two powers of two")
        }
        let rank = input.shape.count
        inputHeight = input.shape[rank - 2]
        inputWidth = input.shape[rank - 1]
        height = lengths[0]
        width = lengths[1]
        bins = width / 2 + 1
        batches = input.shape.dropLast(2).reduce(1, *)
        let shape = Array(input.shape.dropLast(2)) + [height, bins]
        _ = try ShapeOps.plannedCount(shape, width: 8, node, tensors)
        try tensors.checkWork(batches, height, bins, min(inputWidth, width) + height, node: node)
        func table(_ count: Int) throws(InterpreterError) -> UnsafeMutablePointer<Double> {
            try tensors.allocatePersistent(byteCount: count * 8).bindMemory(to: Double.self, capacity: count)
        }
        let rowCos = try table(width), rowSin = try table(width)
        let columnCos = try table(height), columnSin = try table(height)
        for j in 0..<width {
            let angle = 2 * Double.pi * Double(j) / Double(width)
            rowCos[j] = cos(angle)
            rowSin[j] = sin(angle)
        }
        for j in 0..<height {
            let angle = 2 * Double.pi * Double(j) / Double(height)
            columnCos[j] = cos(angle)
            columnSin[j] = sin(angle)
        }
        (self.rowCos, self.rowSin, self.columnCos, self.columnSin) = (rowCos, rowSin, columnCos, columnSin)
        scratchReal = try table(height * bins)
        scratchImaginary = try table(height * bins)
        tensors[outputIndex].shape = shape
    }

    func run(_ tensors: TensorTable) throws(InterpreterError) {
        let input = tensors[try node.input(0)].buffer(Float.self)
        let output = tensors[try node.output(0)].buffer(Float.self)
        guard let rowCos, let rowSin, let columnCos, let columnSin, let scratchReal, let scratchImaginary,
              input.count >= batches * inputHeight * inputWidth, output.count >= batches * height * bins * 2 else {
            throw node.failure("tensor sizes changed after prepare")
        }
        let rows = min(inputHeight, height), columns = min(inputWidth, width)
        for batch in 0..<batches {
            let source = batch * inputHeight * inputWidth
            // Rows: X[r, k] = Σ_n x[r, n] e^{−2πi kn/W} (rows past the input are zero).
            for row in 0..<height {
                for k in 0..<bins {
                    var real = 0.0, imaginary = 0.0
                    if row < rows {
                        for n in 0..<columns {
                            let value = Double(input[source + row * inputWidth + n])
                            let twiddle = (k * n) % width
                            real += value * rowCos[twiddle]
                            imaginary -= value * rowSin[twiddle]
                        }
                    }
                    scratchReal[row * bins + k] = real
                    scratchImaginary[row * bins + k] = imaginary
                }
            }
            // Columns: Y[m, k] = Σ_r X[r, k] e^{−2πi mr/H}.
            let destination = batch * height * bins * 2
            for m in 0..<height {
                for k in 0..<bins {
                    var real = 0.0, imaginary = 0.0
                    for row in 0..<rows {
                        let twiddle = (m * row) % height
                        let (c, s) = (columnCos[twiddle], columnSin[twiddle])
                        let (a, b) = (scratchReal[row * bins + k], scratchImaginary[row * bins + k])
                        real += a * c + b * s
                        imaginary += b * c - a * s
                    }
                    output[destination + (m * bins + k) * 2] = Float(real)
                    output[destination + (m * bins + k) * 2 + 1] = Float(imaginary)
                }
            }
        }
    }
}
