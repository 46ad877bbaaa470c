import Foundation
import Testing
@_spi(GeneratedCode) @testable import TFLiteRuntime

/// The fork-join pool (`tfl_pool`, through ``ThreadPool``): every index of every loop runs
/// exactly once, back-to-back loops of changing sizes included (a worker late for one loop must
/// not claim chunks of the next), with workers busy, spinning or asleep when a loop starts, and
/// loops started from inside a loop run inline.
struct ThreadPoolTests {
    @Test(arguments: [2, 3, 5])
    func everyIndexRunsOnceInBackToBackLoops(_ threads: Int) {
        let pool = ThreadPool(threadCount: threads)
        let capacity = 64
        let hits = UnsafeMutablePointer<Int32>.allocate(capacity: capacity)
        defer { hits.deallocate() }
        var wrong = 0
        for loop in 0..<3000 {
            let count = loop % capacity + 1
            hits.update(repeating: 0, count: capacity)
            // Now and then a slow first chunk (the others finish and spin), and a pause between
            // loops long enough for the workers to go to sleep.
            let slow = loop % 97 == 0
            if loop % 499 == 0 { usleep(60_000) }
            pool.parallelFor(count) { range in
                if slow && range.lowerBound == 0 { usleep(300) }
                for i in range { hits[i] &+= 1 }
            }
            for i in 0..<capacity where hits[i] != (i < count ? 1 : 0) { wrong += 1 }
        }
        #expect(wrong == 0, "\(wrong) indices ran other than once, \(threads) threads")
    }

    @Test func nestedLoopsRunInline() {
        let pool = ThreadPool(threadCount: 2)
        let hits = UnsafeMutablePointer<Int32>.allocate(capacity: 8 * 8)
        defer { hits.deallocate() }
        hits.update(repeating: 0, count: 64)
        pool.parallelFor(8) { outer in
            for i in outer {
                pool.parallelFor(8) { inner in
                    for j in inner { hits[i * 8 + j] &+= 1 }
                }
            }
        }
        #expect((0..<64).allSatisfy { hits[$0] == 1 })
    }
}
