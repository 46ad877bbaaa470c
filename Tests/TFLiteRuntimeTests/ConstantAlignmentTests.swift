import Testing
import TFLiteModel
@_spi(GeneratedCode) @testable import TFLiteRuntime

/// Constants are read in place from the model file when their data is aligned for their element
/// type, and copied into aligned memory otherwise (`GraphValidator.alignConstants`): weights a
/// converter left 4-byte aligned must not cost a second copy, and a hostile file must not cause
/// misaligned loads.
struct ConstantAlignmentTests {
    @Test func constantsMoveOnlyWhenMisalignedForTheirType() throws {
        let file = UnsafeMutableRawBufferPointer.allocate(byteCount: 256, alignment: 64)
        defer { file.deallocate() }
        for i in 0..<256 { file[i] = UInt8(truncatingIfNeeded: i &* 37 &+ 11) }
        guard let base = file.baseAddress else { return }
        // (type, offset into the 64-aligned "file", whether it must move)
        let layout: [(TensorType, Int, Bool)] = [
            (.float32, 4, false), (.float32, 36, false), (.float32, 2, true), (.int32, 7, true),
            (.int64, 8, false), (.int64, 4, true), (.int8, 1, false), (.int16, 6, false), (.int16, 3, true),
        ]
        let tensors = layout.enumerated().map { index, entry in
            RuntimeTensor(name: "t\(index)", type: entry.0, shape: [4], quantization: nil, data: base + entry.1,
                          byteCount: 4 * (entry.0.byteWidth ?? 1), storage: .constant)
        }
        let table = TensorTable(tensors: tensors, pool: ThreadPool(threadCount: 1), memoryLimit: nil)
        try GraphValidator.alignConstants(table)
        for (index, (type, offset, moves)) in layout.enumerated() {
            let data = try #require(table[index].data)
            let width = type.byteWidth ?? 1
            #expect(Int(bitPattern: data) % width == 0, "tensor \(index) (\(type) at \(offset)) is misaligned")
            #expect((data == base + offset) != moves, "tensor \(index) (\(type) at \(offset)) \(moves ? "stayed" : "moved")")
            #expect(Array(UnsafeRawBufferPointer(start: data, count: 4 * width)) == Array(UnsafeRawBufferPointer(rebasing: file[offset..<(offset + 4 * width)])),
                    "tensor \(index) changed its bytes")
        }
        #expect(table.ownedBytes > 0)
    }
}
