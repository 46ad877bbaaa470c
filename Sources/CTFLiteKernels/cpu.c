// The CPU's features, probed once, and the kernel table for each feature set (dispatch.h).
// Every thread uses the CPU's table unless tfl_cpu_use gives it another; tfl_pool jobs run their
// chunks with the table of the thread that started them.
#include <pthread.h>

#include "dispatch.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>

// AMD family 1Ah (Zen 5) or later, where the narrowing stores measured fast (tfl_cpu.h).
static bool amd_zen5_or_later(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(0, &a, &b, &c, &d) || b != 0x68747541u || d != 0x69746e65u || c != 0x444d4163u) return false;  // "AuthenticAMD"
    if (!__get_cpuid(1, &a, &b, &c, &d)) return false;
    const unsigned family = ((a >> 8) & 0xF) + (((a >> 8) & 0xF) == 0xF ? (a >> 20) & 0xFF : 0);
    return family >= 0x1A;
}

static tfl_cpu_features probe(void) {
    // Before __builtin_cpu_supports: the runtime's own initializer may not have run yet.
    __builtin_cpu_init();
    tfl_cpu_features f = {0};
    f.avx2_fma = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    f.avx512 = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
               __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl");
    f.avx512_vnni = __builtin_cpu_supports("avx512vnni");
    f.avx512_vbmi = __builtin_cpu_supports("avx512vbmi");
    f.avx512_narrow_store = amd_zen5_or_later();
    return f;
}
#elif defined(__aarch64__)
// Every AArch64 CPU has Advanced SIMD; the 8-bit dot product (ARMv8.2 dotprod) is optional:
// Cortex-A72 (Raspberry Pi 4) lacks it, Cortex-A76 and later have it.
#if defined(__linux__)
#include <sys/auxv.h>
static bool has_dotprod(void) { return (getauxval(AT_HWCAP) & (1UL << 20)) != 0; }  // HWCAP_ASIMDDP
#elif defined(__APPLE__)
#include <sys/sysctl.h>
static bool has_dotprod(void) {
    int value = 0;
    size_t size = sizeof value;
    return sysctlbyname("hw.optional.arm.FEAT_DotProd", &value, &size, 0, 0) == 0 && value != 0;
}
#else
static bool has_dotprod(void) { return false; }
#endif
static tfl_cpu_features probe(void) {
    tfl_cpu_features f = {0};
    f.neon = true;
    f.neon_dot = has_dotprod();
    return f;
}
#else
static tfl_cpu_features probe(void) { return (tfl_cpu_features){0}; }
#endif

// Drops every feature whose base is missing.
static tfl_cpu_features closed(tfl_cpu_features f) {
    f.avx512 = f.avx512 && f.avx2_fma;
    f.avx512_vnni = f.avx512_vnni && f.avx512;
    f.avx512_vbmi = f.avx512_vbmi && f.avx512;
    f.avx512_narrow_store = f.avx512_narrow_store && f.avx512;
    f.neon_dot = f.neon_dot && f.neon;
    return f;
}

static tfl_cpu_features detected;
static pthread_once_t detected_once = PTHREAD_ONCE_INIT;
static void detect(void) { detected = closed(probe()); }

tfl_cpu_features tfl_cpu_detected(void) {
    pthread_once(&detected_once, detect);
    return detected;
}

enum { FEATURE_SETS = 1 << 7 };

static unsigned index_of(const tfl_cpu_features *f) {
    return (unsigned)f->avx2_fma | (unsigned)f->avx512 << 1 | (unsigned)f->avx512_vnni << 2 |
           (unsigned)f->avx512_vbmi << 3 | (unsigned)f->neon << 4 | (unsigned)f->neon_dot << 5 |
           (unsigned)f->avx512_narrow_store << 6;
}

// One table per feature set, filled on its first use under the lock, then read-only.
static tfl_kernels tables[FEATURE_SETS];
static int filled[FEATURE_SETS];  // atomic: tables[i] is complete
static pthread_mutex_t filling = PTHREAD_MUTEX_INITIALIZER;

static const tfl_kernels *table_for(tfl_cpu_features f) {
    const unsigned i = index_of(&f);
    if (!__atomic_load_n(&filled[i], __ATOMIC_ACQUIRE)) {
        pthread_mutex_lock(&filling);
        if (!filled[i]) {
            tfl_kernels *k = &tables[i];
            k->features = f;
            tfl_select_gemv(k, &f);
            tfl_select_requantize(k, &f);
            tfl_select_average_window(k, &f);
            tfl_select_max_window(k, &f);
            tfl_select_column_sums(k, &f);
            tfl_select_window_f32(k, &f);
            tfl_select_hybrid(k, &f);
            tfl_select_quantize(k, &f);
            tfl_select_lookup(k, &f);
            tfl_select_logistic(k, &f);
            tfl_select_depthwise(k, &f);
            tfl_select_depthwise_row(k, &f);
            tfl_select_gemm_f32(k, &f);
            tfl_select_pixel_conv(k, &f);
            tfl_select_direct_conv(k, &f);
            tfl_select_im2col(k, &f);
            tfl_select_gemm_s8(k, &f);
            tfl_select_gemm_s16(k, &f);
            tfl_select_requantize_s16(k, &f);
            tfl_select_quantize_linear(k, &f);
            tfl_select_resize_bilinear(k, &f);
            tfl_select_sparse(k, &f);
            tfl_select_sparse_s8(k, &f);
            tfl_select_sparse_gemv(k, &f);
            tfl_select_resize_bilinear_f32(k, &f);
            __atomic_store_n(&filled[i], 1, __ATOMIC_RELEASE);
        }
        pthread_mutex_unlock(&filling);
    }
    return &tables[i];
}

_Thread_local const tfl_kernels *tfl_thread_kernels;

const tfl_kernels *tfl_kernels_first_use(void) {
    const tfl_kernels *k = table_for(tfl_cpu_detected());
    tfl_thread_kernels = k;
    return k;
}

tfl_cpu_features tfl_cpu_active(void) { return tfl_kernels_current()->features; }

tfl_cpu_features tfl_cpu_use(const tfl_cpu_features *features) {
    tfl_cpu_features f = tfl_cpu_detected();
    if (features) {
        f.avx2_fma = f.avx2_fma && features->avx2_fma;
        f.avx512 = f.avx512 && features->avx512;
        f.avx512_vnni = f.avx512_vnni && features->avx512_vnni;
        f.avx512_vbmi = f.avx512_vbmi && features->avx512_vbmi;
        f.avx512_narrow_store = f.avx512_narrow_store && features->avx512_narrow_store;
        f.neon = f.neon && features->neon;
        f.neon_dot = f.neon_dot && features->neon_dot;
    }
    f = closed(f);
    tfl_thread_kernels = table_for(f);
    return f;
}
