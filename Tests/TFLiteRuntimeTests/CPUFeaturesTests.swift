import CTFLiteKernels
import Foundation
import Testing
@_spi(GeneratedCode) @testable import TFLiteRuntime

/// The kernels' CPU feature sets (`tfl_cpu_use`): closed under what features build on, limited
/// to what the CPU has, per thread, and carried into the thread pool's chunks.
@Suite struct CPUFeaturesTests {
    @Test func aSetIsClosedAndWithinTheCPU() {
        let detected = CPUFeatures.detected
        // Nothing without its base.
        #expect(CPUFeatures.withKernels(limitedTo: [.avx512VNNI, .avx512VBMI, .avx512NarrowStore, .neonDot]) { CPUFeatures.active } == [])
        #expect(CPUFeatures.withKernels(limitedTo: [.avx2FMA, .avx512VNNI]) { CPUFeatures.active } == detected.intersection(.avx2FMA))
        // Everything asked for is the CPU's own set.
        let all: CPUFeatures = [.avx2FMA, .avx512, .avx512VNNI, .avx512VBMI, .avx512NarrowStore, .neon, .neonDot]
        #expect(CPUFeatures.withKernels(limitedTo: all) { CPUFeatures.active } == detected)
        #expect(CPUFeatures.withKernels(limitedTo: []) { CPUFeatures.active } == [])
        #if arch(x86_64)
        #expect(detected.isDisjoint(with: [.neon, .neonDot]))
        #elseif arch(arm64)
        #expect(detected.contains(.neon) && detected.isDisjoint(with: [.avx2FMA, .avx512]))
        #endif
    }

    @Test func theLimitIsUndoneAndNests() {
        let before = CPUFeatures.active
        CPUFeatures.withKernels(limitedTo: [.avx2FMA, .neon]) {
            let outer = CPUFeatures.active
            CPUFeatures.withKernels(limitedTo: []) { #expect(CPUFeatures.active == []) }
            #expect(CPUFeatures.active == outer)
        }
        #expect(CPUFeatures.active == before)
    }

    /// The AVX-512 machine's 8-bit GEMM layout follows the features in use: VNNI's quads, AVX2's
    /// pairs without it (the path a Skylake-class CPU takes), the portable loop's quads without both.
    @Test(.enabled(if: CPUFeatures.detected.contains(.avx512VNNI), "the CPU lacks AVX-512 VNNI"))
    func theGEMMLayoutFollowsTheFeatures() {
        #expect(tfl_gemm_s8_format() == Int32(TFL_GEMM_S8_QUADS))
        CPUFeatures.withKernels(limitedTo: [.avx2FMA, .avx512, .avx512VBMI]) {
            #expect(tfl_gemm_s8_format() == Int32(TFL_GEMM_S8_PAIRS))
            #expect(tfl_gemm_s8_available() == 1)
        }
        CPUFeatures.withKernels(limitedTo: []) {
            #expect(tfl_gemm_s8_format() == Int32(TFL_GEMM_S8_QUADS))
            #expect(tfl_gemm_s8_available() == 0)
        }
    }

    /// A limit on one thread leaves another thread's kernels alone.
    @Test func otherThreadsKeepTheCPUsFeatures() {
        let seen = Recorder()
        CPUFeatures.withKernels(limitedTo: []) {
            let done = DispatchSemaphore(value: 0)
            let thread = Thread {
                seen.add(CPUFeatures.active, thread: 0)
                done.signal()
            }
            thread.start()
            done.wait()
            #expect(CPUFeatures.active == [])
        }
        #expect(seen.features == [CPUFeatures.detected])
    }

    /// The pool's workers run a job's chunks with the features of the thread that started it
    /// (retried until some job has run on more than one thread, so a worker is seen).
    @Test func poolChunksUseTheCallersFeatures() {
        let pool = ThreadPool(threadCount: 3)
        let seen = Recorder()
        var workerSeen = false
        for _ in 0..<20 where !workerSeen {
            let before = seen.threads.count
            CPUFeatures.withKernels(limitedTo: []) {
                pool.parallelFor(3) { _ in
                    usleep(5_000)  // long enough for the workers to claim their chunks
                    seen.add(CPUFeatures.active, thread: currentThreadID())
                }
            }
            workerSeen = Set(seen.threads[before...]).count > 1
        }
        #expect(workerSeen, "every chunk ran on the calling thread")
        #expect(Set(seen.features) == [[]], "\(seen.features)")
        #expect(CPUFeatures.active == CPUFeatures.detected)
    }
}

/// Features and threads seen by concurrent code.
private final class Recorder: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [(CPUFeatures, UInt)] = []
    func add(_ features: CPUFeatures, thread: UInt) { lock.withLock { entries.append((features, thread)) } }
    var features: [CPUFeatures] { lock.withLock { entries.map(\.0) } }
    var threads: [UInt] { lock.withLock { entries.map(\.1) } }
}

private func currentThreadID() -> UInt {
    #if canImport(Darwin)
    UInt(bitPattern: pthread_self())
    #else
    UInt(pthread_self())
    #endif
}
