import Dispatch
import Foundation
import Testing
import TestSupport
@_spi(GeneratedCode) @testable import TFLiteRuntime

/// The generated wrappers' async calls, measured as behaviour (counts, never durations):
/// cancelled calls do not run, waiting calls block no thread of the cooperative pool, batches
/// give the outputs of one-by-one predictions.
@Suite struct WrapperConcurrencyTests {
    static let image = try! TensorImage(width: 32, height: 32, rgb: DirectInterpreter.pixels(width: 32, height: 32))

    /// A counter shared with closures that run on other threads.
    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var count = 0
        @discardableResult func increment() -> Int {
            lock.lock()
            defer { lock.unlock() }
            count += 1
            return count
        }
        var value: Int {
            lock.lock()
            defer { lock.unlock() }
            return count
        }
    }

    @Test func predictionsOfCancelledTasksDoNotRun() async throws {
        let model = try await ImageClassifierFloat.load(contentsOf: DirectInterpreter.modelURL("ImageClassifierFloat"))
        var tasks: [Task<[TFLiteRuntime.Category], any Error>] = []
        for _ in 0..<20 {
            tasks.append(Task {
                // Wait (until cancelled) so that every prediction is asked for after cancel().
                do { try await Task.sleep(for: .seconds(3600)) } catch {}
                return try await model.prediction(image: Self.image).probability
            })
        }
        for task in tasks { task.cancel() }
        var ran = 0, cancelled = 0
        for task in tasks {
            do {
                _ = try await task.value
                ran += 1
            } catch is CancellationError {
                cancelled += 1
            }
        }
        #expect(ran == 0)
        #expect(cancelled == 20)
        // The model still works for a task that is not cancelled.
        #expect(try await model.prediction(image: Self.image).probability.count == 5)
    }

    @Test func loadOfACancelledTaskThrowsCancellation() async throws {
        let task = Task {
            do { try await Task.sleep(for: .seconds(3600)) } catch {}
            return try await ImageClassifierFloat.load(contentsOf: DirectInterpreter.modelURL("ImageClassifierFloat"))
        }
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
    }

    /// A batch whose task is cancelled during its third run stops between runs.
    @Test func batchesStopBetweenRunsWhenCancelled() async throws {
        let runner = try ModelRunner(contentsOf: DirectInterpreter.modelURL("PlainFloat"))
        let features = [Float](repeating: 0.5, count: 3072)
        let inputs = [[Float]](repeating: features, count: 200)
        let writes = Counter()
        final class TaskBox: @unchecked Sendable { var task: Task<[Int], any Error>? }
        let box = TaskBox()
        let (gate, open) = AsyncStream<Void>.makeStream()
        let task = Task {
            for await _ in gate {}
            return try await runner.predictions(inputs, write: { values, interpreter in
                if writes.increment() == 3 { box.task?.cancel() }
                try interpreter.writeFeatures(values, toInputAt: 0, name: "features")
            }, read: { _, interpreter in try interpreter.dequantizedOutput(at: 0).scalars.count })
        }
        box.task = task
        open.finish()
        await #expect(throws: CancellationError.self) { try await task.value }
        // Each worker of the pool stops before its next run.
        #expect(writes.value >= 3)
        #expect(writes.value <= 3 + ProcessInfo.processInfo.activeProcessorCount)
    }

    /// One thread for the tasks of a test, so that what they measure does not depend on the
    /// other tests running in parallel on Swift's shared pool.
    final class OneThreadExecutor: TaskExecutor, @unchecked Sendable {
        private let queue = DispatchQueue(label: "WrapperConcurrencyTests.OneThreadExecutor")
        func enqueue(_ job: consuming ExecutorJob) {
            let job = UnownedJob(job)
            queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
        }
    }

    /// 16 predictions queue behind one that holds the interpreter until a heartbeat task has
    /// ticked 50 times, the heartbeat and the waiting callers sharing one thread: the heartbeat
    /// can only tick if waiting callers do not block the thread they were called from.
    @Test func waitingPredictionsLeaveTheirThreadFree() async throws {
        let runner = try ModelRunner(contentsOf: DirectInterpreter.modelURL("PlainFloat"))
        let features = [Float](repeating: 0.5, count: 3072)
        let heartbeats = Counter(), released = DispatchSemaphore(value: 0)
        let heldLongEnough = Counter(), started = Counter(), holding = Counter()
        let executor = OneThreadExecutor()
        let holder = Task {
            try await runner.prediction(features, write: { values, interpreter in
                holding.increment()
                // Generous: the heartbeat needs 50 ticks of about 1 ms each.
                if released.wait(timeout: .now() + 120) == .success { heldLongEnough.increment() }
                try interpreter.writeFeatures(values, toInputAt: 0, name: "features")
            }, read: { _, interpreter in try interpreter.dequantizedOutput(at: 0).scalars })
        }
        let results = try await withTaskExecutorPreference(executor) {
            try await withThrowingTaskGroup(of: [Float]?.self) { group in
                for _ in 0..<16 {
                    group.addTask {
                        // Queue behind the holder (yielding lets the other tasks of the thread run).
                        while holding.value == 0 { await Task.yield() }
                        started.increment()
                        return try await runner.prediction(features, write: { values, interpreter in
                            try interpreter.writeFeatures(values, toInputAt: 0, name: "features")
                        }, read: { _, interpreter in try interpreter.dequantizedOutput(at: 0).scalars })
                    }
                }
                group.addTask {
                    while heartbeats.increment() < 50 {
                        try await Task.sleep(for: .milliseconds(1))
                    }
                    released.signal()
                    return nil
                }
                var results: [[Float]] = []
                for try await result in group { if let result { results.append(result) } }
                return results
            }
        }
        let first = try await holder.value
        #expect(heldLongEnough.value == 1, "the heartbeat could not run while predictions waited")
        #expect(started.value == 16)
        #expect(heartbeats.value >= 50)
        #expect(results.count == 16)
        #expect(results.allSatisfy { $0 == first })
    }

    @Test func batchesEqualOneByOnePredictions() async throws {
        let model = try await ImageClassifierFloat.load(contentsOf: DirectInterpreter.modelURL("ImageClassifierFloat"))
        let inputs = try (0..<21).map { seed in
            ImageClassifierFloatInput(image: try TensorImage(width: 32, height: 32, rgb: DirectInterpreter.pixels(width: 32, height: 32, seed: seed)))
        }
        var single: [[TFLiteRuntime.Category]] = []
        for input in inputs { single.append(try await model.prediction(input: input).probability) }
        #expect(try await model.predictions(inputs).map(\.probability) == single)
        #expect(try model.blockingPredictions(inputs).map(\.probability) == single)
        #expect(try await model.predictions([]).isEmpty)
        #expect(try await model.predictions([inputs[3]]).map(\.probability) == [single[3]])

        let text = try NLClassifier(contentsOf: DirectInterpreter.modelURL("NLClassifier"))
        let sentences = ["great movie", "I did not like it", "", "This movie was GREAT, I don't love it!", "bad"]
        var oneByOne: [[TFLiteRuntime.Category]] = []
        for sentence in sentences { oneByOne.append(try text.blockingPrediction(inputText: sentence).probability) }
        #expect(try await text.predictions(sentences.map { NLClassifierInput(inputText: $0) }).map(\.probability) == oneByOne)
    }

    /// A model declared with a dynamic batch dimension runs a batch as one run of `n` rows
    /// (chunks of `InterpreterSet.maxBatchRows`), with the outputs of one-by-one predictions.
    @Test func batchDimensionGivesOneByOneOutputs() async throws {
        let url = DirectInterpreter.modelURL("BatchClassifier")
        let runner = try ModelRunner(contentsOf: url)
        #expect(try runner.run { InterpreterSet.hasBatchDimension(runner.model, $0) })
        let plain = try ModelRunner(contentsOf: DirectInterpreter.modelURL("ImageClassifierFloat"))
        #expect(try !plain.run { InterpreterSet.hasBatchDimension(plain.model, $0) })

        let model = try await BatchClassifier.load(contentsOf: url)
        let inputs = try (0..<37).map { seed in
            BatchClassifierInput(image: try TensorImage(width: 40, height: 24, rgb: DirectInterpreter.pixels(width: 40, height: 24, seed: seed)))
        }
        var single: [[TFLiteRuntime.Category]] = []
        for input in inputs { single.append(try await model.prediction(input: input).probability) }
        let batch = try await model.predictions(inputs)
        #expect(batch.map(\.probability) == single)
        #expect(Set(single.map { $0.map(\.score) }).count > 1, "the inputs should not all score alike")
        #expect(try model.blockingPredictions(Array(inputs.prefix(5))).map(\.probability) == Array(single.prefix(5)))

        // The rows really ran as a batch: the batch interpreter is resized to the 16 rows, and
        // its rows are the one-by-one scores.
        let rows = try await runner.predictions(Array(inputs.prefix(16)), write: { input, interpreter in
            try ImagePreprocessor(colorSpace: .rgb, mean: [127.5], std: [127.5]).write(input.image, into: interpreter, inputAt: 0, name: "image")
        }, read: { _, interpreter in try interpreter.dequantizedOutput(at: 0).scalars })
        #expect(rows.map { $0.sorted(by: >) } == single.prefix(16).map { $0.map(\.score) })
        #expect(try runner.run { _ in runner.interpreters.batchable } == true)
        #expect(try runner.run { _ in runner.interpreters.batchRows } == 16)
        // A model without one spreads the batch over the pool.
        _ = try await plain.predictions([Float](repeating: 0, count: 3), write: { _, _ in }, read: { _, _ in 0 })
        #expect(try plain.run { _ in plain.interpreters.batchable } == nil)
    }

    /// A bad input in a batch is reported as a one-by-one run would report it: the first one.
    @Test func batchErrorsNameTheFirstBadInput() async throws {
        let model = try PlainFloat(contentsOf: DirectInterpreter.modelURL("PlainFloat"))
        let good = PlainFloatInput(image: [Float](repeating: 0, count: 3072))
        let inputs = [good, good, PlainFloatInput(image: [1, 2]), good, PlainFloatInput(image: [1, 2, 3])]
        await #expect(throws: ModelWrapperError.self) { try await model.predictions(inputs) }
        do {
            _ = try await model.predictions(inputs)
        } catch let error as ModelWrapperError {
            #expect(error.description.contains("got 2") || error.description.contains("2 values"), "\(error)")
        }
    }
}
