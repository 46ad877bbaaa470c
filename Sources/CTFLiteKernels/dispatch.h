// The kernel table: one function per entry point, chosen once per CPU feature set (as XNNPACK's
// hardware and per-operator configs do), so an entry point makes one indirect call instead of
// testing features on every call. Each kernel file fills its own entries (tfl_select_*: its
// variants and the features they need stay in one place); cpu.c probes the CPU, keeps one table
// per feature set it is asked for and knows which one each thread uses. Not part of the public
// header.
#ifndef TFL_DISPATCH_H
#define TFL_DISPATCH_H

#include "CTFLiteKernels.h"

typedef struct tfl_kernels {
    tfl_cpu_features features;
    // gemv.c
    void (*gemv_f32)(float *acc, const float *w, const float *x, ptrdiff_t depth, ptrdiff_t n, ptrdiff_t stride);
    void (*gemv_i32)(int32_t *acc, const int16_t *w, const int32_t *x, ptrdiff_t depth, ptrdiff_t n, ptrdiff_t stride);
    void (*gemv4_f32)(float *acc, ptrdiff_t acc_stride, const float *w, const float *x, ptrdiff_t x_stride, ptrdiff_t depth,
                      ptrdiff_t n, ptrdiff_t stride);
    void (*gemv4_i32)(int32_t *acc, ptrdiff_t acc_stride, const int16_t *w, const int32_t *x, ptrdiff_t x_stride,
                      ptrdiff_t depth, ptrdiff_t n, ptrdiff_t stride);
    // requantize.c: one row (multipliers and shifts every `step` elements), rows, ADD (8- and 16-bit), MUL
    void (*requantize)(const int32_t *acc, const int32_t *bias, const int32_t *multiplier, const int32_t *shift,
                       ptrdiff_t step, int32_t zero_point, int32_t qmin, int32_t qmax, uint8_t *out, ptrdiff_t n);
    void (*requantize_rows)(const int32_t *acc, ptrdiff_t acc_stride, ptrdiff_t rows, const int32_t *bias,
                            const int32_t *multiplier, const int32_t *shift, int32_t zero_point, int32_t qmin,
                            int32_t qmax, uint8_t *out, ptrdiff_t out_stride, ptrdiff_t n, tfl_rounding rounding);
    void (*add_8bit)(const uint8_t *a, const uint8_t *b, int is_signed, int negate_b, const tfl_add_params *params,
                     uint8_t *out, ptrdiff_t n);
    void (*add_16bit)(const int16_t *a, const int16_t *b, int negate_b, int rounds_once, const tfl_add_params *params,
                      int16_t *out, ptrdiff_t n);
    void (*mul_8bit)(const uint8_t *a, ptrdiff_t a_step, const uint8_t *b, ptrdiff_t b_step, int is_signed,
                     const tfl_mul_params *params, uint8_t *out, ptrdiff_t n);
    // average_window.c (windows of 1 ... 2^23 pixels), max_window.c, column_sums.c
    void (*average_window_8bit)(uint8_t *out, const uint8_t *in, ptrdiff_t row_stride, ptrdiff_t height,
                                ptrdiff_t width, ptrdiff_t depth, int is_signed, int32_t low, int32_t high);
    void (*max_window_8bit)(uint8_t *out, const uint8_t *in, ptrdiff_t row_stride, ptrdiff_t height, ptrdiff_t width,
                            ptrdiff_t depth, int is_signed, int32_t low, int32_t high);
    void (*column_sums_8bit)(const uint8_t *x, int is_signed, ptrdiff_t rows, ptrdiff_t n, int32_t *sums);
    void (*column_sums_f32)(const float *x, ptrdiff_t rows, ptrdiff_t n, float *sums);
    // window_f32.c
    void (*window_f32)(float *out, const float *in, ptrdiff_t row_stride, ptrdiff_t height, ptrdiff_t width,
                       ptrdiff_t depth, int is_max, float low, float high);
    // hybrid.c, quantize.c, lookup.c
    void (*minmax_f32)(const float *x, ptrdiff_t n, float *low, float *high);
    void (*dequantize_hybrid)(const int32_t *acc, const int32_t *column_sums, int32_t offset,
                              const float *channel_scales, float scale, int scales_first, const float *bias, float lo,
                              float hi, float *out, ptrdiff_t n, int activation, float alpha, float act_lo, float act_hi);
    void (*quantize_asymmetric_8bit)(const float *values, ptrdiff_t n, float inverse, float offset, int8_t *out);
    void (*lookup_8bit)(const uint8_t *in, const uint8_t *table, uint8_t *out, ptrdiff_t n);
    // logistic.c
    void (*logistic_f32)(const float *x, float *y, ptrdiff_t n);
    void (*swish_f32)(const float *x, float *y, ptrdiff_t n, float lo, float hi);
    // depthwise.c, depthwise_row.c
    void (*depthwise_f32)(float *acc, const float *const *x, const float *const *w, ptrdiff_t taps, ptrdiff_t n);
    void (*depthwise_i32)(int32_t *acc, const int32_t *const *x, const int16_t *const *w, ptrdiff_t taps, ptrdiff_t n);
    void (*depthwise_i64)(int64_t *acc, const int32_t *const *x, const int16_t *const *w, ptrdiff_t taps, ptrdiff_t n);
    void (*depthwise_row_f32)(float *out, const float *image, const tfl_depthwise_geometry *g, ptrdiff_t origin_y,
                              const float *w, const float *bias, float lo, float hi);
    void (*depthwise_row_s8_pairs)(int32_t *acc, const int8_t *image, int32_t zero_point,
                                   const tfl_depthwise_geometry *g, ptrdiff_t origin_y, const int8_t *w,
                                   const int16_t *packed, int32_t weight_zero, int8_t *pad_row,
                                   const int8_t **sources);
    // direct_conv.c
    void (*direct_s8)(int32_t *acc, ptrdiff_t acc_stride, const uint8_t *staged, const tfl_direct_geometry *g, ptrdiff_t out_y,
                      const int8_t *packed, ptrdiff_t n);
    int direct_s8_vector;
    void (*direct_f32)(float *out, ptrdiff_t out_stride, const float *staged, const tfl_direct_geometry *g, ptrdiff_t out_y,
                       const float *packed, ptrdiff_t n, const float *bias, float lo, float hi);
    int direct_f32_vector;
    // gemm_f32.c, pixel_conv.c, im2col.c
    void (*gemm_f32)(float *out, ptrdiff_t out_stride, const float *x, ptrdiff_t x_stride, ptrdiff_t pixels,
                     const float *packed, ptrdiff_t depth, ptrdiff_t n, const float *bias, float lo, float hi);
    void (*pixel_conv_f32)(float *out, const float *staged, const tfl_pixel_conv_geometry *g, ptrdiff_t out_y,
                           const float *packed, ptrdiff_t n, const float *bias, float lo, float hi);
    void (*pixel_conv_s8)(int32_t *acc, const int16_t *staged, const tfl_pixel_conv_geometry *g, ptrdiff_t out_y,
                          const int32_t *packed, ptrdiff_t n);
    void (*im2col)(void *target, const void *source, size_t element, const tfl_im2col_geometry *g, ptrdiff_t first,
                   ptrdiff_t count, const void *pads);
    // gemm_s8.c: the layout to pack, whether vector code runs, and the vector code for each
    // layout (NULL: the portable loop reads that layout)
    int gemm_s8_format;
    int gemm_s8_available;
    void (*gemm_s8_quads)(int32_t *acc, ptrdiff_t acc_stride, const int8_t *x, ptrdiff_t x_stride, ptrdiff_t pixels,
                          const uint8_t *packed, ptrdiff_t depth, ptrdiff_t n, int32_t weight_zero);
    void (*gemm_s8_pairs)(int32_t *acc, ptrdiff_t acc_stride, const int8_t *x, ptrdiff_t x_stride, ptrdiff_t pixels,
                          const uint8_t *packed, ptrdiff_t depth, ptrdiff_t n, int32_t weight_zero);
    // gemm_s16.c, requantize_s16.c: int16×8
    void (*gemm_s16)(int64_t *acc, ptrdiff_t acc_stride, const int16_t *x, ptrdiff_t x_stride, ptrdiff_t pixels,
                     const int16_t *packed, ptrdiff_t depth, ptrdiff_t n);
    void (*requantize_s16)(const int64_t *acc, ptrdiff_t acc_stride, ptrdiff_t rows, const int64_t *bias,
                           const int32_t *multiplier, const int32_t *shift, int32_t qmin, int32_t qmax, int16_t *out,
                           ptrdiff_t out_stride, ptrdiff_t n);
    // quantize_linear.c
    void (*quantize_linear)(const float *x, ptrdiff_t n, float reciprocal, int32_t zero_point, int type, void *out);
    void (*dequantize_linear)(const void *in, int type, ptrdiff_t n, double scale, int32_t zero_point, float *out);
    // sparse_f32.c
    void (*sparse_f32)(float *out, ptrdiff_t out_stride, const float *x, ptrdiff_t x_stride, ptrdiff_t pixels,
                       const int32_t *starts, const int32_t *index, const float *values, ptrdiff_t depth, ptrdiff_t n,
                       const float *bias, float lo, float hi, float *scratch);
    // sparse_gemv_f32.c
    void (*sparse_gemv_f32)(float *out, const float *x, int run, const int32_t *group_starts, const int32_t *index,
                            const float *values, ptrdiff_t n, const float *bias, float lo, float hi);
    // sparse_s8.c
    void (*sparse_s8)(int32_t *acc, ptrdiff_t acc_stride, const int8_t *x, ptrdiff_t x_stride, ptrdiff_t pixels,
                      const int32_t *starts, const int32_t *index, const int8_t *values, const int32_t *column_sums,
                      ptrdiff_t n);
    void (*sparse_s8_rows)(int32_t *acc, ptrdiff_t acc_stride, const int8_t *x, ptrdiff_t x_stride, ptrdiff_t pixels,
                           const int32_t *starts, const int32_t *index, const int8_t *values, const int32_t *column_sums,
                           ptrdiff_t depth, ptrdiff_t n, int32_t *scratch);
    // resize_bilinear.c
    void (*resize_bilinear_columns_s8)(int32_t *h, const int8_t *row, const int32_t *x0, const int32_t *x1,
                                       const int32_t *fx, ptrdiff_t out_w, ptrdiff_t depth);
    void (*resize_bilinear_rows_s8)(int8_t *out, const int32_t *top, const int32_t *bottom, int32_t fy, ptrdiff_t n);
    // resize_bilinear_f32.c
    void (*resize_bilinear_row_f32)(float *out, const float *top, const float *bottom, const int32_t *x0, const int32_t *x1,
                                    const float *fx, float fy, ptrdiff_t out_w, ptrdiff_t depth);
} tfl_kernels;

// Fill their file's entries for `f` (closed, and a subset of what the CPU has).
void tfl_select_gemv(tfl_kernels *k, const tfl_cpu_features *f);
void tfl_select_requantize(tfl_kernels *k, const tfl_cpu_features *f);
void tfl_select_average_window(tfl_kernels *k, const tfl_cpu_features *f);
void tfl_select_max_window(tfl_kernels *k, const tfl_cpu_features *f);
void tfl_select_column_sums(tfl_kernels *k, const tfl_cpu_features *f);
void tfl_select_window_f32(tfl_kernels *k, const tfl_cpu_features *f);
void tfl_select_hybrid(tfl_kernels *k, const tfl_cpu_features *f);
void tfl_select_quantize(tfl_kernels *k, const tfl_cpu_features *f);
void tfl_select_lookup(tfl_kernels *k, const tfl_cpu_features *f);
void tfl_select_logistic(tfl_kernels *k, const tfl_cpu_features *f);
void tfl_select_depthwise(tfl_kernels *k, const tfl_cpu_features *f);
void tfl_select_depthwise_row(tfl_kernels *k, const tfl_cpu_features *f);
void tfl_select_gemm_f32(tfl_kernels *k, const tfl_cpu_features *f);
void tfl_select_pixel_conv(tfl_kernels *k, const tfl_cpu_features *f);
void tfl_select_direct_conv(tfl_kernels *k, const tfl_cpu_features *f);
void tfl_select_im2col(tfl_kernels *k, const tfl_cpu_features *f);
void tfl_select_gemm_s8(tfl_kernels *k, const tfl_cpu_features *f);
void tfl_select_gemm_s16(tfl_kernels *k, const tfl_cpu_features *f);
void tfl_select_requantize_s16(tfl_kernels *k, const tfl_cpu_features *f);
void tfl_select_quantize_linear(tfl_kernels *k, const tfl_cpu_features *f);
void tfl_select_resize_bilinear(tfl_kernels *k, const tfl_cpu_features *f);
void tfl_select_sparse(tfl_kernels *k, const tfl_cpu_features *f);
void tfl_select_sparse_s8(tfl_kernels *k, const tfl_cpu_features *f);
void tfl_select_sparse_gemv(tfl_kernels *k, const tfl_cpu_features *f);
void tfl_select_resize_bilinear_f32(tfl_kernels *k, const tfl_cpu_features *f);

// AArch64 functions that use the 8-bit dot product (sdot), for CPUs with neon_dot.
#if defined(__aarch64__)
#if defined(__clang__)
#define TFL_TARGET_DOTPROD __attribute__((target("dotprod")))
#else
#define TFL_TARGET_DOTPROD __attribute__((target("arch=armv8.2-a+dotprod")))
#endif
#endif

// The table the calling thread uses; NULL until its first kernel call (or tfl_cpu_use).
extern _Thread_local const tfl_kernels *tfl_thread_kernels;

// The table for the CPU's features, made this thread's.
const tfl_kernels *tfl_kernels_first_use(void);

// The calling thread's table: one thread-local load on every call but a thread's first.
static inline const tfl_kernels *tfl_kernels_current(void) {
    const tfl_kernels *k = tfl_thread_kernels;
    return __builtin_expect(k != 0, 1) ? k : tfl_kernels_first_use();
}

// Makes `k` the calling thread's table (NULL: the CPU's again on its next call); returns the old one.
static inline const tfl_kernels *tfl_kernels_swap(const tfl_kernels *k) {
    const tfl_kernels *old = tfl_thread_kernels;
    tfl_thread_kernels = k;
    return old;
}

#endif
