#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// LiteRT's lookup tables for quantized elementwise functions (`LUTPopulate` / `LUTLookup`).
///
/// 8-bit types get one entry per input value, computed in float; int16 gets 513 samples over
/// the input range with a midpoint bias correction, read with linear interpolation.
enum LookupTable {
    /// One output per 8-bit input value (indexed by the value's bit pattern), computed as
    /// `round(f(scaleIn × (q − zpIn)) / scaleOut) + zpOut`, clamped, in float.
    static func eightBit<T: FixedWidthInteger>(_: T.Type, inputScale: Float, inputZeroPoint: Int32,
                                               outputScale: Float, outputZeroPoint: Int32,
                                               _ transform: (Float) -> Float) -> [T] {
        var table = [T](repeating: 0, count: 256)
        let inverseScale = 1 / outputScale
        let minValue = Int32(T.min), maxValue = Int32(T.max)
        for value in minValue...maxValue {
            let dequantized = inputScale * Float(value - inputZeroPoint)
            let transformed = transform(dequantized)
            let rescaled = (transformed * inverseScale).rounded(.toNearestOrAwayFromZero)
            let quantized = Int32(clampingFloat: rescaled + Float(outputZeroPoint))
            table[Int(UInt8(truncatingIfNeeded: value))] = T(truncatingIfNeeded: min(max(quantized, minValue), maxValue))
        }
        return table
    }

    /// The 513-entry int16 table of `transform` (LiteRT's `LUTPopulateInt16`), computed in `F`
    /// (float for most operators; SOFTMAX keeps double for backward compatibility).
    static func int16<F: BinaryFloatingPoint>(_: F.Type = F.self, inputScale: F, inputZeroPoint: Int32,
                                              outputScale: F, outputZeroPoint: Int32,
                                              _ transform: (F) -> F) -> [Int16] {
        let inputMin = inputScale * F(Int32(Int16.min) - inputZeroPoint)
        let inputMax = inputScale * F(Int32(Int16.max) - inputZeroPoint)
        let outputMin = outputScale * F(Int32(Int16.min) - outputZeroPoint)
        let outputMax = outputScale * F(Int32(Int16.max) - outputZeroPoint)
        let steps = 512
        let step = (inputMax - inputMin) / F(steps)
        let halfStep = step / 2
        let scalingInverse = F(65536) / (outputMax - outputMin)
        let tableMin = F(Int16.min), tableMax = F(Int16.max)
        func round(_ x: F) -> F { x.rounded(.toNearestOrAwayFromZero) }
        func toInt16(_ x: F) -> Int16 { x.isNaN ? 0 : Int16(min(max(x, tableMin), tableMax)) }
        var table = [Int16](repeating: 0, count: steps + 1)
        for i in 0..<steps {
            let value = transform(inputMin + F(i) * step)
            let midpoint = transform(inputMin + F(i) * step + halfStep)
            let next = transform(inputMin + F(i + 1) * step)
            let sample = round(value * scalingInverse)
            let interpolated = round((next * scalingInverse + round(value * scalingInverse)) / 2)
            let midpointValue = round(midpoint * scalingInverse)
            let bias = round((interpolated - midpointValue) / 2)
            table[i] = toInt16(sample - bias)
        }
        table[steps] = toInt16(round(transform(inputMax) * scalingInverse))
        return table
    }

    /// Reads an int16 table with linear interpolation between its 512 segments.
    @inline(__always)
    static func lookup(_ value: Int16, _ table: UnsafeBufferPointer<Int16>) -> Int16 {
        let index = Int(256 + (Int32(value) >> 7))
        let offset = Int32(value) & 0x7F
        let base = Int32(table[index])
        let slope = Int32(table[index + 1]) - base
        return Int16(truncatingIfNeeded: base + ((slope * offset + 64) >> 7))
    }
}

extension FixedWidthInteger {
    /// Converts a float like a C cast after clamping: NaN becomes 0, out-of-range values saturate.
    init(clampingFloat value: Float) {
        if value.isNaN {
            self = 0
        } else if value >= Float(Self.max) {
            self = Self.max
        } else if value <= Float(Self.min) {
            self = Self.min
        } else {
            self = Self(value)
        }
    }
}
