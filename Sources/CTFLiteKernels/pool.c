// A small fork-join pool for the interpreter's parallel loops. Kernels run for tens of
// microseconds each, so waking sleeping threads per operator (what a dispatch queue does) costs
// as much as the work: workers here spin on a generation counter for a short while after each
// job and only then block on a condition variable. The caller's thread runs chunks too; chunks
// are claimed with an atomic counter, and `tfl_pool_run` returns once every worker has
// acknowledged the job (so none can still be claiming from it when the next one starts).
#include <pthread.h>
#include <stdlib.h>

#include "CTFLiteKernels.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define CPU_RELAX() _mm_pause()
#elif defined(__aarch64__)
#define CPU_RELAX() __asm__ __volatile__("yield")
#else
#define CPU_RELAX() ((void)0)
#endif

// Spins before sleeping: about 100 µs of pause instructions.
#define SPIN_ROUNDS 20000

struct tfl_pool {
    int workers;
    pthread_t *threads;
    pthread_mutex_t mutex;
    pthread_cond_t wake;
    // The current job.
    void (*fn)(void *, ptrdiff_t);
    void *ctx;
    ptrdiff_t count;
    ptrdiff_t next;       // next chunk to claim (atomic)
    int acknowledged;     // workers done with the current job (atomic)
    unsigned generation;  // bumped per job (atomic)
    int stop;             // atomic
};

// Set while a thread runs chunks: a parallel loop started from inside one runs inline.
static _Thread_local int inside_job;

static void run_chunks(struct tfl_pool *pool) {
    inside_job = 1;
    void (*fn)(void *, ptrdiff_t) = pool->fn;
    void *ctx = pool->ctx;
    const ptrdiff_t count = pool->count;
    for (;;) {
        const ptrdiff_t index = __atomic_fetch_add(&pool->next, 1, __ATOMIC_ACQ_REL);
        if (index >= count) break;
        fn(ctx, index);
    }
    inside_job = 0;
}

static void *worker_main(void *argument) {
    struct tfl_pool *pool = argument;
    unsigned seen = 0;
    for (;;) {
        unsigned generation = __atomic_load_n(&pool->generation, __ATOMIC_ACQUIRE);
        for (int spin = 0; generation == seen && spin < SPIN_ROUNDS; ++spin) {
            if (__atomic_load_n(&pool->stop, __ATOMIC_ACQUIRE)) return 0;
            CPU_RELAX();
            generation = __atomic_load_n(&pool->generation, __ATOMIC_ACQUIRE);
        }
        if (generation == seen) {
            pthread_mutex_lock(&pool->mutex);
            while ((generation = __atomic_load_n(&pool->generation, __ATOMIC_ACQUIRE)) == seen &&
                   !__atomic_load_n(&pool->stop, __ATOMIC_ACQUIRE))
                pthread_cond_wait(&pool->wake, &pool->mutex);
            pthread_mutex_unlock(&pool->mutex);
        }
        if (__atomic_load_n(&pool->stop, __ATOMIC_ACQUIRE)) return 0;
        seen = generation;
        run_chunks(pool);
        __atomic_fetch_add(&pool->acknowledged, 1, __ATOMIC_ACQ_REL);
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
    if (!pool || pool->workers == 0 || count == 1 || inside_job) {
        for (ptrdiff_t i = 0; i < count; ++i) fn(ctx, i);
        return;
    }
    pool->fn = fn;
    pool->ctx = ctx;
    pool->count = count;
    __atomic_store_n(&pool->acknowledged, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&pool->next, 0, __ATOMIC_RELEASE);
    pthread_mutex_lock(&pool->mutex);
    __atomic_fetch_add(&pool->generation, 1, __ATOMIC_ACQ_REL);
    pthread_cond_broadcast(&pool->wake);
    pthread_mutex_unlock(&pool->mutex);
    run_chunks(pool);
    // Every worker finishes what it claimed, then acknowledges.
    while (__atomic_load_n(&pool->acknowledged, __ATOMIC_ACQUIRE) < pool->workers) CPU_RELAX();
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
