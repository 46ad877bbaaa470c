// A small fork-join pool for the interpreter's parallel loops. Kernels run for tens of
// microseconds each, so waking sleeping threads per operator (what a dispatch queue does) costs
// as much as the work: workers here spin on the job word for a short while after each job and
// only then block on a condition variable. The caller's thread runs chunks too.
//
// `tfl_pool_run` returns once every chunk has run, not once every worker has seen the job: a
// worker that is asleep, or whose virtual CPU the host has taken away, does not hold the others
// up (the caller then runs the chunks itself). Chunks are claimed by compare-and-swap on one
// 64-bit word, the job's generation (high half) and its next chunk (low half), so a worker late
// for a job can never claim a chunk of the next one. The generation is odd while the caller
// writes the job's function, context and count (a sequence lock): a worker reads them between
// two loads of an even generation that agree, and claims only while that generation stands and
// chunks are left, i.e. while the job it read is the current one and unfinished. Chunks run with
// the caller's kernel table (dispatch.h), so a thread limited by tfl_cpu_use stays limited in
// the jobs it starts.
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>

#include "dispatch.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define CPU_RELAX() _mm_pause()
#elif defined(__aarch64__)
#define CPU_RELAX() __asm__ __volatile__("yield")
#else
#define CPU_RELAX() ((void)0)
#endif

// Spins before sleeping: 400 000 pause instructions, about 18 ms on the development machine's
// EPYC (45 ns a pause), yielding the CPU every YIELD_ROUNDS of them (should the caller wait for
// this very CPU, it gets it back). 20 000 rounds (0.9 ms) were too few on a shared 2-vCPU host:
// instrumented, the worker fell asleep about once an inference and took a chunk of 1.6 % of
// MobileNet v1 int8's jobs at 2 threads (the caller ran the rest itself, 2 threads no faster
// than 1: 0.150 ms); spinning longer it took 30-50 % of them (0.110 ms in the runs where the
// host left it a CPU of its own).
#define SPIN_ROUNDS 400000
#define YIELD_ROUNDS 1024

struct tfl_pool {
    int workers;
    pthread_t *threads;
    pthread_mutex_t mutex;
    pthread_cond_t wake;
    // The current job (atomic, relaxed; see the sequence lock above).
    void (*fn)(void *, ptrdiff_t);
    void *ctx;
    ptrdiff_t count;
    const tfl_kernels *kernels;  // the caller's
    uint64_t claim;  // generation << 32 | next chunk (atomic)
    ptrdiff_t done;  // chunks of the current job that have returned (atomic)
    int stop;        // atomic
};

// Set while a thread runs chunks: a parallel loop started from inside one runs inline.
static _Thread_local int inside_job;

static inline uint32_t generation_of(uint64_t claim) { return (uint32_t)(claim >> 32); }

// Claims and runs chunks of job `generation` (whose function, context and count are given)
// until it has none left or a newer job has started.
static void run_chunks(struct tfl_pool *pool, uint32_t generation, void (*fn)(void *, ptrdiff_t), void *ctx,
                       ptrdiff_t count, const tfl_kernels *kernels) {
    inside_job = 1;
    const tfl_kernels *own = tfl_kernels_swap(kernels);
    uint64_t claim = __atomic_load_n(&pool->claim, __ATOMIC_ACQUIRE);
    for (;;) {
        if (generation_of(claim) != generation || (ptrdiff_t)(uint32_t)claim >= count) break;
        if (!__atomic_compare_exchange_n(&pool->claim, &claim, claim + 1, 1, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) continue;
        fn(ctx, (ptrdiff_t)(uint32_t)claim);
        __atomic_fetch_add(&pool->done, 1, __ATOMIC_RELEASE);
        claim = __atomic_load_n(&pool->claim, __ATOMIC_ACQUIRE);
    }
    tfl_kernels_swap(own);
    inside_job = 0;
}

// A published job newer than `seen` (even generation), or `seen` itself when there is none.
static uint32_t published(const struct tfl_pool *pool, uint32_t seen) {
    const uint32_t generation = generation_of(__atomic_load_n(&pool->claim, __ATOMIC_ACQUIRE));
    return (generation & 1) ? seen : generation;
}

static void *worker_main(void *argument) {
    struct tfl_pool *pool = argument;
    uint32_t seen = 0;
    for (;;) {
        uint32_t generation = published(pool, seen);
        for (int spin = 0; generation == seen && spin < SPIN_ROUNDS; ++spin) {
            if (__atomic_load_n(&pool->stop, __ATOMIC_ACQUIRE)) return 0;
            if (spin % YIELD_ROUNDS == YIELD_ROUNDS - 1) sched_yield(); else CPU_RELAX();
            generation = published(pool, seen);
        }
        if (generation == seen) {
            pthread_mutex_lock(&pool->mutex);
            while ((generation = published(pool, seen)) == seen && !__atomic_load_n(&pool->stop, __ATOMIC_ACQUIRE))
                pthread_cond_wait(&pool->wake, &pool->mutex);
            pthread_mutex_unlock(&pool->mutex);
        }
        if (__atomic_load_n(&pool->stop, __ATOMIC_ACQUIRE)) return 0;
        seen = generation;
        void (*fn)(void *, ptrdiff_t) = __atomic_load_n(&pool->fn, __ATOMIC_RELAXED);
        void *ctx = __atomic_load_n(&pool->ctx, __ATOMIC_RELAXED);
        const ptrdiff_t count = __atomic_load_n(&pool->count, __ATOMIC_RELAXED);
        const tfl_kernels *kernels = __atomic_load_n(&pool->kernels, __ATOMIC_RELAXED);
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        // The job read is `generation`'s only if the caller has not begun the next one since.
        if (generation_of(__atomic_load_n(&pool->claim, __ATOMIC_RELAXED)) != generation) continue;
        run_chunks(pool, generation, fn, ctx, count, kernels);
    }
}

tfl_pool *tfl_pool_create(int threads) {
    struct tfl_pool *pool = calloc(1, sizeof *pool);
    if (!pool) return 0;
    pthread_mutex_init(&pool->mutex, 0);
    pthread_cond_init(&pool->wake, 0);
    const int workers = threads > 1 ? threads - 1 : 0;
    pool->threads = workers ? calloc((size_t)workers, sizeof(pthread_t)) : 0;
    for (int i = 0; i < workers && pool->threads; ++i) {
        if (pthread_create(&pool->threads[i], 0, worker_main, pool) != 0) break;
        pool->workers = i + 1;
    }
    return pool;
}

int tfl_pool_workers(const tfl_pool *pool) { return pool ? pool->workers : 0; }

void tfl_pool_run(tfl_pool *pool, ptrdiff_t count, void (*fn)(void *ctx, ptrdiff_t index), void *ctx) {
    if (count <= 0) return;
    if (!pool || pool->workers == 0 || count == 1 || count > UINT32_MAX / 2 || inside_job) {
        for (ptrdiff_t i = 0; i < count; ++i) fn(ctx, i);
        return;
    }
    // Every chunk of the previous job has returned, so no worker holds a claim on it; an odd
    // generation stops any late worker from claiming while the job is rewritten.
    const uint32_t previous = generation_of(__atomic_load_n(&pool->claim, __ATOMIC_RELAXED));
    __atomic_store_n(&pool->claim, (uint64_t)(previous + 1) << 32, __ATOMIC_RELAXED);
    __atomic_thread_fence(__ATOMIC_RELEASE);
    __atomic_store_n(&pool->fn, fn, __ATOMIC_RELAXED);
    __atomic_store_n(&pool->ctx, ctx, __ATOMIC_RELAXED);
    __atomic_store_n(&pool->count, count, __ATOMIC_RELAXED);
    const tfl_kernels *kernels = tfl_kernels_current();
    __atomic_store_n(&pool->kernels, kernels, __ATOMIC_RELAXED);
    __atomic_store_n(&pool->done, 0, __ATOMIC_RELAXED);
    const uint32_t generation = previous + 2;
    // Chunk 0 is the caller's, claimed as the job is published: the caller's thread takes the
    // same share of every job, so data one operator wrote stays in that core's cache for the next.
    pthread_mutex_lock(&pool->mutex);
    __atomic_store_n(&pool->claim, (uint64_t)generation << 32 | 1, __ATOMIC_RELEASE);
    pthread_cond_broadcast(&pool->wake);
    pthread_mutex_unlock(&pool->mutex);
    inside_job = 1;
    fn(ctx, 0);
    __atomic_fetch_add(&pool->done, 1, __ATOMIC_RELEASE);
    run_chunks(pool, generation, fn, ctx, count, kernels);
    // Chunks other threads claimed may still be running.
    while (__atomic_load_n(&pool->done, __ATOMIC_ACQUIRE) < count) CPU_RELAX();
}

void tfl_pool_destroy(tfl_pool *pool) {
    if (!pool) return;
    pthread_mutex_lock(&pool->mutex);
    __atomic_store_n(&pool->stop, 1, __ATOMIC_RELEASE);
    pthread_cond_broadcast(&pool->wake);
    pthread_mutex_unlock(&pool->mutex);
    for (int i = 0; i < pool->workers; ++i) pthread_join(pool->threads[i], 0);
    free(pool->threads);
    pthread_mutex_destroy(&pool->mutex);
    pthread_cond_destroy(&pool->wake);
    free(pool);
}
