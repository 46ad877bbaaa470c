#ifndef CTFLITEKERNELS_H
#define CTFLITEKERNELS_H

#include <stddef.h>
#include <stdint.h>

#include "tfl_cpu.h"

#ifdef __cplusplus
extern "C" {
#endif

// Every entry point runs the variant for the calling thread's CPU features (tfl_cpu_active: the
// widest the CPU has, e.g. AVX-512, AVX2+FMA or portable C; tfl_cpu.h), chosen once per feature set.

/// acc[j] += sum_k x[k] * w[k * stride + j] for j < n, k < depth (float32).
void tfl_gemv_f32(float *acc, const float *w, const float *x, ptrdiff_t depth, ptrdiff_t n, ptrdiff_t stride);

/// acc[j] += sum_k x[k] * w[k * stride + j] in exact 32-bit integer arithmetic
/// (x: offset 8-bit activations as int32, w: offset 8-bit weights as int16; both must be within
/// the int16 range, which 8-bit values with their zero points removed always are).
void tfl_gemv_i32(int32_t *acc, const int16_t *w, const int32_t *x, ptrdiff_t depth, ptrdiff_t n, ptrdiff_t stride);

/// How MultiplyByQuantizedMultiplier rounds x · m · 2^shift (m a Q0.31 multiplier):
/// - TFL_ROUNDING_GEMMLOWP: SaturatingRoundingDoublingHighMul, then RoundingDivideByPOT, halves
///   away from zero (gemmlowp; LiteRT's reference kernels, its uint8 kernels, elementwise ops).
/// - TFL_ROUNDING_HALF_UP: floor((x · m + 2^30) / 2^31), then floor((y + 2^(r−1)) / 2^r) for a
///   right shift r, both halves up (LiteRT's optimized int8 CONV_2D, DEPTHWISE_CONV_2D and
///   FULLY_CONNECTED kernels, as ruy and its NEON sqrdmulh/srshl compute it).
typedef enum { TFL_ROUNDING_GEMMLOWP = 0, TFL_ROUNDING_HALF_UP = 1 } tfl_rounding;

/// out[i] = clamp(MultiplyByQuantizedMultiplier(acc[i] + bias[i], multiplier[i], shift[i]) + zero_point,
/// qmin, qmax) as an 8-bit value (int8 outputs are written as their bit pattern), rounding as
/// `rounding` says; bias may be NULL. Bit-exact with LiteRT's per-channel requantization.
void tfl_requantize_8bit(const int32_t *acc, const int32_t *bias, const int32_t *multiplier, const int32_t *shift,
                         int32_t zero_point, int32_t qmin, int32_t qmax, uint8_t *out, ptrdiff_t n, tfl_rounding rounding);

/// tfl_requantize_8bit for `rows` rows of n accumulators (acc + r * acc_stride into
/// out + r * out_stride), the same bias, multipliers and shifts for every row.
void tfl_requantize_8bit_rows(const int32_t *acc, ptrdiff_t acc_stride, ptrdiff_t rows, const int32_t *bias,
                              const int32_t *multiplier, const int32_t *shift, int32_t zero_point, int32_t qmin,
                              int32_t qmax, uint8_t *out, ptrdiff_t out_stride, ptrdiff_t n, tfl_rounding rounding);

/// out[c] = clamp((s + count/2) / count if s > 0 else (s - count/2) / count, low, high), s the sum of
/// in[y * row_stride + x * depth + c] over y < height, x < width (count = height · width > 0), the
/// division truncating: 8-bit AVERAGE_POOL_2D over one window as LiteRT rounds it (int8 when
/// is_signed, else uint8; low and high within that type's range).
void tfl_average_window_8bit(uint8_t *out, const uint8_t *in, ptrdiff_t row_stride, ptrdiff_t height, ptrdiff_t width,
                             ptrdiff_t depth, int is_signed, int32_t low, int32_t high);

/// out[c] = min(max(low, every in[y * row_stride + x * depth + c] for y < height, x < width), high)
/// for c < depth: 8-bit MAX_POOL_2D over one window (int8 when is_signed, else uint8; low and high
/// within that type's range).
void tfl_max_window_8bit(uint8_t *out, const uint8_t *in, ptrdiff_t row_stride, ptrdiff_t height, ptrdiff_t width,
                         ptrdiff_t depth, int is_signed, int32_t low, int32_t high);

/// out[c] for c < depth: the float32 MAX_POOL_2D (is_max) or AVERAGE_POOL_2D of one window of
/// height × width pixels (in[y * row_stride + x * depth + c]), clamped to [low, high]. Max: from
/// -FLT_MAX, m = p >= m ? p : m in (y, x) order (NaN pixels skipped); average: the pixels added
/// in (y, x) order, divided by height · width; clamp: v = low >= v ? low : v, then
/// high < v ? high : v.
void tfl_window_f32(float *out, const float *in, ptrdiff_t row_stride, ptrdiff_t height, ptrdiff_t width,
                    ptrdiff_t depth, int is_max, float low, float high);

/// sums[c] += Σ_r x[r * n + c] for c < n, r < rows: 8-bit values (int8 when is_signed, else
/// uint8), wrapping 32-bit totals.
void tfl_column_sums_8bit(const uint8_t *x, int is_signed, ptrdiff_t rows, ptrdiff_t n, int32_t *sums);

/// sums[c] += x[r * n + c] for r = 0, 1, … rows − 1 in that order, for c < n: float32 totals,
/// each add rounded on its own (the bits of the plain loop).
void tfl_column_sums_f32(const float *x, ptrdiff_t rows, ptrdiff_t n, float *sums);

/// tfl_requantize_8bit with one multiplier and shift for every element and no bias.
void tfl_requantize_8bit_uniform(const int32_t *acc, int32_t multiplier, int32_t shift,
                                 int32_t zero_point, int32_t qmin, int32_t qmax, uint8_t *out, ptrdiff_t n);

/// Depthwise accumulation for one output pixel: acc[c] += sum_t x[t][c] * w[t][c] for c < n,
/// over `taps` (input pixel, filter tap) pointer pairs; float32, and exact int32 for 8-bit data.
void tfl_depthwise_f32(float *acc, const float *const *x, const float *const *w, ptrdiff_t taps, ptrdiff_t n);
void tfl_depthwise_i32(int32_t *acc, const int32_t *const *x, const int16_t *const *w, ptrdiff_t taps, ptrdiff_t n);

/// tfl_gemv_f32 for four inputs at once (same layout as tfl_gemv4_i32).
void tfl_gemv4_f32(float *acc, ptrdiff_t acc_stride, const float *w, const float *x, ptrdiff_t x_stride,
                   ptrdiff_t depth, ptrdiff_t n, ptrdiff_t stride);

/// tfl_gemv_i32 for four inputs at once (x + p * x_stride, accumulating into acc + p * acc_stride,
/// p < 4): the weights are read once for the four.
void tfl_gemv4_i32(int32_t *acc, ptrdiff_t acc_stride, const int16_t *w, const int32_t *x, ptrdiff_t x_stride,
                   ptrdiff_t depth, ptrdiff_t n, ptrdiff_t stride);

/// LiteRT's 8-bit ADD (or SUB with negate_b) fixed-point parameters.
typedef struct {
    int32_t offset_a, offset_b, left_shift;
    int32_t multiplier_a, shift_a, multiplier_b, shift_b, multiplier_out, shift_out;
    int32_t zero_point_out, minimum, maximum;
} tfl_add_params;

/// out[i] = LiteRT's quantized a[i] + b[i] (or − with negate_b) for n elements of the same shape;
/// int8 data (is_signed) is passed as its bit pattern.
void tfl_add_8bit(const uint8_t *a, const uint8_t *b, int is_signed, int negate_b, const tfl_add_params *params,
                  uint8_t *out, ptrdiff_t n);

/// out[i] = LiteRT's int16 a[i] + b[i] (or − with negate_b) for n elements of the same shape, with
/// the tfl_add_params of int16 (left shift 15): each input rescaled with one rounding
/// (`rounds_once`, LiteRT's optimized same-shape int16 ADD) or gemmlowp's two, the sum as gemmlowp.
void tfl_add_16bit(const int16_t *a, const int16_t *b, int negate_b, int rounds_once, const tfl_add_params *params,
                   int16_t *out, ptrdiff_t n);

/// LiteRT's 8-bit MUL parameters: out = clamp(MultiplyByQuantizedMultiplier((a + offset_a) ·
/// (b + offset_b), multiplier, shift) + zero_point, minimum, maximum).
typedef struct {
    int32_t offset_a, offset_b, multiplier, shift, zero_point, minimum, maximum;
} tfl_mul_params;

/// out[i] = LiteRT's quantized a[i · a_step] × b[i · b_step] for i < n, steps 0 (one value for
/// every element) or 1; int8 data (is_signed) is passed as its bit pattern.
void tfl_mul_8bit(const uint8_t *a, ptrdiff_t a_step, const uint8_t *b, ptrdiff_t b_step, int is_signed,
                  const tfl_mul_params *params, uint8_t *out, ptrdiff_t n);

/// out[i] = clamp(round(values[i] * inverse) + offset, -128, 127) (the float32 product rounded to
/// an integer, then the offset added; NaN → 0): LiteRT's AsymmetricQuantizeFloats loop as its x86
/// builds run it. The first n rounded down to a multiple of 8 values round as its vector loop,
/// trunc(p ± 0.5) with a float32 addition (half away from zero, but ±0.49999997 → ±1); the rest
/// half away from zero.
void tfl_quantize_asymmetric_8bit(const float *values, ptrdiff_t n, float inverse, float offset, int8_t *out);

/// y[i] = LOGISTIC(x[i]) with LiteRT's reference cut-offs (1 above 16.619047, exp(x) below -9);
/// within a few ulp of 1 / (1 + expf(-x)). x and y may be the same buffer.
void tfl_logistic_f32(const float *x, float *y, ptrdiff_t n);

/// Weight layouts of tfl_gemm_s8: four reduction steps per 32-bit lane as w + 128 (AVX-512
/// VNNI, and NEON), or two per lane as int16 (AVX2).
enum { TFL_GEMM_S8_QUADS = 1, TFL_GEMM_S8_PAIRS = 2 };

/// The layout the fastest tfl_gemm_s8 variant for this thread's CPU features (tfl_cpu_active)
/// reads. Pack with it and pass it on: tfl_gemm_s8 reads either layout, in vector code only when
/// it is this one.
int tfl_gemm_s8_format(void);

/// y[i] = clamp(x[i] · LOGISTIC(x[i]), lo, hi) (clamp as tfl_gemm_f32; logistic as
/// tfl_logistic_f32): a float MUL of a tensor by its own LOGISTIC in one pass. x and y may be
/// the same buffer.
void tfl_swish_f32(const float *x, float *y, ptrdiff_t n, float lo, float hi);

/// Bytes of packed weights tfl_gemm_s8_pack writes for n output channels of `depth` weights
/// (channels padded to 16, depth to 4 or 2).
ptrdiff_t tfl_gemm_s8_packed_size(ptrdiff_t depth, ptrdiff_t n, int format);

/// Packs int8 weights `w[j * depth + k]` (j < n) whose zero point is `weight_zero` (0 for int8
/// models; a uint8 model's weights less 128 have theirs less 128) for tfl_gemm_s8 in `format`;
/// column_sums[j] = sum_k (w[j][k] - weight_zero) when not NULL.
void tfl_gemm_s8_pack(const int8_t *w, ptrdiff_t n, ptrdiff_t depth, uint8_t *packed, int32_t *column_sums, int format,
                      int32_t weight_zero);

/// Whether tfl_gemm_s8 runs vector code with this thread's CPU features (on x86-64 avx2_fma, or
/// avx512_vnni where the CPU has it; on AArch64 neon, with sdot where the CPU has neon_dot).
int tfl_gemm_s8_available(void);

/// acc[p * acc_stride + j] = sum_k x[p * x_stride + k] * (w[j][k] - weight_zero) for p < pixels,
/// k < depth and j < n rounded up to 16 (acc_stride must leave room for that; padded channels are
/// scratch), exact (wrapping) int32, from int8 activations and weights packed in `format` with
/// the same `weight_zero`.
void tfl_gemm_s8(int32_t *acc, ptrdiff_t acc_stride, const int8_t *x, ptrdiff_t x_stride, ptrdiff_t pixels,
                 const uint8_t *packed, ptrdiff_t depth, ptrdiff_t n, int format, int32_t weight_zero);

/// out[i] = in[i] - 128 for i < n: uint8 values as the int8 values tfl_gemm_s8 takes (one bit
/// flipped). in and out may be the same buffer.
void tfl_uint8_to_int8(const uint8_t *in, int8_t *out, ptrdiff_t n);

/// Folds x into *low and *high as `low = x[i] < low ? x[i] : low` (likewise high) in order would:
/// NaN elements are skipped, a NaN start stays NaN.
void tfl_minmax_f32(const float *x, ptrdiff_t n, float *low, float *high);

/// out[c] = clamp(float(acc[c] - offset * column_sums[c]) * channel_scales[c] * scale + bias[c], lo, hi)
/// for c < n, multiplying and adding in that order (no fused multiply-add), or with
/// `scales_first` the two scales multiplied first, float(...) * (channel_scales[c] * scale)
/// (LiteRT's FULLY_CONNECTED; its convolutions take the first order); column_sums,
/// channel_scales and bias may be NULL (terms dropped). The clamp is `lo >= f ? lo : f`, then
/// `hi < f ? hi : f`, so NaN passes through.
void tfl_dequantize_hybrid(const int32_t *acc, const int32_t *column_sums, int32_t offset, const float *channel_scales,
                           float scale, int scales_first, const float *bias, float lo, float hi, float *out, ptrdiff_t n);

/// tfl_dequantize_hybrid for `rows` rows of n channels that share offset and scale (one batch's
/// output pixels): row r reads acc + r * acc_stride and writes out + r * out_stride.
void tfl_dequantize_hybrid_rows(const int32_t *acc, ptrdiff_t acc_stride, ptrdiff_t rows, const int32_t *column_sums,
                                int32_t offset, const float *channel_scales, float scale, int scales_first, const float *bias,
                                float lo, float hi, float *out, ptrdiff_t out_stride, ptrdiff_t n);

/// The fused activations tfl_dequantize_hybrid_rows_activated applies.
enum {
    TFL_HYBRID_NONE = 0,
    /// tfl_activation_f32's clamp: `y >= act_lo ? y : act_lo`, then `act_hi < y ? act_hi : y`.
    TFL_HYBRID_CLAMP = 1,
    /// tfl_activation_f32's LEAKY_RELU: `y > 0 ? y : y * alpha`.
    TFL_HYBRID_LEAKY = 2,
};

/// tfl_dequantize_hybrid_rows, then a fused activation on each value before it is stored
/// (`activation` one of TFL_HYBRID_NONE, _CLAMP, _LEAKY), bit for bit what
/// tfl_activation_f32 afterwards on the rows would give.
void tfl_dequantize_hybrid_rows_activated(const int32_t *acc, ptrdiff_t acc_stride, ptrdiff_t rows, const int32_t *column_sums,
                                          int32_t offset, const float *channel_scales, float scale, int scales_first,
                                          const float *bias, float lo, float hi, float *out, ptrdiff_t out_stride, ptrdiff_t n,
                                          int activation, float alpha, float act_lo, float act_hi);

/// A float activation on y[0..<n] in place: with `leaky`, `y > 0 ? y : y * alpha` (LEAKY_RELU);
/// else the clamp `y >= lo ? y : lo`, then `hi < y ? hi : y` (RELU, RELU6, RELU_N1_TO_1; NaN
/// becomes lo). Every kernel level gives the same bits.
void tfl_activation_f32(float *y, ptrdiff_t n, int leaky, float alpha, float lo, float hi);

/// The float operations tfl_binary_f32 computes.
enum {
    TFL_BINARY_ADD = 0,
    TFL_BINARY_SUB = 1,
    TFL_BINARY_MUL = 2,
};

/// out[i] = a[i] op b[i] for i < n (op one of TFL_BINARY_ADD, _SUB, _MUL), clamped as Swift's
/// `min(max(v, lo), hi)`: `lo >= v ? lo : v`, then `hi < v ? hi : v` (NaN passes through). Every
/// kernel level gives the same bits; out may be a or b.
void tfl_binary_f32(const float *a, const float *b, float *out, ptrdiff_t n, int op, float lo, float hi);

/// Floats of packed weights tfl_gemm_f32_pack writes for n output channels of `depth` weights.
ptrdiff_t tfl_gemm_f32_packed_count(ptrdiff_t depth, ptrdiff_t n);

/// Packs float weights `w[j * depth + k]` (j < n) for tfl_gemm_f32 (blocks of 16 channels).
void tfl_gemm_f32_pack(const float *w, ptrdiff_t n, ptrdiff_t depth, float *packed);

/// out[p * out_stride + j] = clamp(sum_k x[p * x_stride + k] * w[j][k] + bias[j], lo, hi) for
/// p < pixels, j < n: each sum accumulated from zero in k order with fused multiply-adds, then
/// the bias (may be NULL) added; the clamp is `lo >= v ? lo : v`, then `hi < v ? hi : v`.
void tfl_gemm_f32(float *out, ptrdiff_t out_stride, const float *x, ptrdiff_t x_stride, ptrdiff_t pixels,
                  const float *packed, ptrdiff_t depth, ptrdiff_t n, const float *bias, float lo, float hi);

/// Pixels tfl_sparse_f32 stages at a time.
enum { TFL_SPARSE_TILE = 64 };

/// The nonzero values among `w[j * depth + k]` (j < n).
ptrdiff_t tfl_sparse_f32_count(const float *w, ptrdiff_t n, ptrdiff_t depth);

/// Encodes weights `w[j * depth + k]` (j < n) for tfl_sparse_f32: channel j's nonzero weights are
/// entries starts[j] ..< starts[j + 1] (starts has n + 1 entries) of `index` (the input channel k)
/// and `values`, in k order; index and values have room for tfl_sparse_f32_count entries.
void tfl_sparse_f32_encode(const float *w, ptrdiff_t n, ptrdiff_t depth, int32_t *starts, int32_t *index, float *values);

/// Floats of scratch one tfl_sparse_f32 call needs (one thread's: calls running at once need
/// their own).
ptrdiff_t tfl_sparse_f32_scratch_count(ptrdiff_t depth, ptrdiff_t n);

/// tfl_gemm_f32 with weights encoded by tfl_sparse_f32_encode: out[p * out_stride + j] =
/// clamp(Σ x[p * x_stride + index[i]] · values[i] for i in starts[j] ..< starts[j + 1], by fused
/// multiply-adds from zero in that order, + bias[j], lo, hi) for p < pixels, j < n (bias may be
/// NULL; `starts + j0` with indices and values unchanged computes channels j0 ... j0 + n − 1).
/// Bit for bit tfl_gemm_f32 on the dense weights wherever x is finite (a zero weight there adds
/// ±0, which leaves the sum alone); an infinite or NaN x met only by zero weights, which gives
/// NaN there, is skipped here. Vectorized over pixels staged channel-major in `scratch`
/// (tfl_sparse_f32_scratch_count floats).
void tfl_sparse_f32(float *out, ptrdiff_t out_stride, const float *x, ptrdiff_t x_stride, ptrdiff_t pixels, const int32_t *starts,
                    const int32_t *index, const float *values, ptrdiff_t depth, ptrdiff_t n, const float *bias, float lo, float hi,
                    float *scratch);

/// Output channels per group of tfl_sparse_gemv_f32's weights (one vector of lanes), and its two
/// layouts: runs of 1 weight per entry (gathered inputs), or of 4 consecutive input channels
/// (four inputs loaded per lane: about twice as fast per weight, for nonzeros that come in runs).
enum { TFL_SPARSE_GEMV_LANES = 16, TFL_SPARSE_GEMV_SINGLES = 1, TFL_SPARSE_GEMV_QUADS = 4 };

/// The entries tfl_sparse_gemv_f32_encode writes for float weights `w[j * depth + k]` (j < n) in
/// runs of `run` (1 or 4; 0 when depth < run): for each group of 16 output channels, the most
/// runs one of its channels needs to cover its nonzero weights.
ptrdiff_t tfl_sparse_gemv_f32_steps(const float *w, ptrdiff_t n, ptrdiff_t depth, int run);

/// Encodes weights `w[j * depth + k]` (j < n, depth ≥ run) in runs of `run` for
/// tfl_sparse_gemv_f32: group g (channels 16g ... 16g + 15) is entries group_starts[g] ..<
/// group_starts[g + 1] (group_starts has ⌈n / 16⌉ + 1 entries); entry e holds in lane c, at
/// `index[16 e + c]`, the first input channel k0 of channel 16g + c's next run (k0 ≤ depth − run)
/// and at `values[(run · e + i) · 16 + c]` its weights at k0 + i (a weight an earlier run covered
/// as 0), or, once the channel has no nonzero weight left, k0 = 0 and weights 0. index has room
/// for 16, values for 16 · run values per entry (tfl_sparse_gemv_f32_steps).
void tfl_sparse_gemv_f32_encode(const float *w, ptrdiff_t n, ptrdiff_t depth, int run, int32_t *group_starts, int32_t *index,
                                float *values);

/// tfl_gemm_f32 on one row with weights encoded by tfl_sparse_gemv_f32_encode in runs of `run`:
/// out[j] = clamp(Σ x[index[16 e + c] + i] · values[(run · e + i) · 16 + c] over the entries e
/// of j's group and i < run, c = j mod 16, by fused multiply-adds from zero in that order,
/// + bias[j], lo, hi) for j < n (bias may be NULL; `group_starts + g0` with `out + 16 g0`, index
/// and values unchanged, computes channels 16 g0 ... n − 1 when n is the channels left). Bit for
/// bit tfl_gemm_f32 on the dense weights wherever x is finite (but for the sign of a zero sum
/// that a product underflowing to zero made); an infinite or NaN x gives NaN where a nonzero
/// weight meets it, as there, but where only zero weights do it may be skipped (tfl_sparse_f32's
/// caveat) or, at input channel 0, meet a padding weight.
void tfl_sparse_gemv_f32(float *out, const float *x, int run, const int32_t *group_starts, const int32_t *index,
                         const float *values, ptrdiff_t n, const float *bias, float lo, float hi);

/// Input channels per block of tfl_sparse_s8's weights, and the rows it multiplies at once where
/// it can (tfl_sparse_s8_multirow).
enum { TFL_SPARSE_S8_BLOCK = 16, TFL_SPARSE_S8_TILE_ROWS = 16 };

/// The blocks tfl_sparse_s8_encode keeps of int8 weights `w[j * depth + k]` (j < n): per output
/// channel, each run of 16 input channels from k = 0 (the last one shorter when depth is not a
/// multiple of 16) that holds a nonzero weight.
ptrdiff_t tfl_sparse_s8_count(const int8_t *w, ptrdiff_t n, ptrdiff_t depth);

/// Encodes int8 weights `w[j * depth + k]` (j < n, depth ≥ 16) for tfl_sparse_s8: channel j's
/// blocks with a nonzero weight are entries starts[j] ..< starts[j + 1] (starts has n + 1
/// entries) of `index`, the block's first input channel, and of `values`, 16 bytes each; a
/// shorter last block is moved back to end at `depth`, its extra leading bytes zero.
/// column_sums[j] = Σ_k w[j][k]. index and values have room for tfl_sparse_s8_count blocks.
void tfl_sparse_s8_encode(const int8_t *w, ptrdiff_t n, ptrdiff_t depth, int32_t *starts, int32_t *index, int8_t *values,
                          int32_t *column_sums);

/// int32 values of scratch one tfl_sparse_s8 call over rows of `depth` needs (one thread's: calls
/// running at once need their own).
ptrdiff_t tfl_sparse_s8_scratch_count(ptrdiff_t depth);

/// Whether tfl_sparse_s8 multiplies several rows of `depth` at once with this thread's CPU
/// features (AVX-512 VNNI, depth a multiple of 4): each weight then serves a tile of rows, as in
/// the dense GEMM. Otherwise it goes row by row, which pays at one row only.
int tfl_sparse_s8_multirow(ptrdiff_t depth);

/// tfl_gemm_s8 (weight zero point 0) with weights encoded by tfl_sparse_s8_encode:
/// acc[p * acc_stride + j] = Σ x[p * x_stride + index[e] + i] · values[16 e + i] over i < 16 and
/// e in starts[j] ..< starts[j + 1], exact (wrapping) int32, for p < pixels and j < n (`starts + j0`
/// and `column_sums + j0`, index and values unchanged, compute channels j0 ... j0 + n − 1). Each
/// row of x holds the `depth` the weights were encoded for. `scratch`
/// (tfl_sparse_s8_scratch_count values) may be NULL, which makes several rows go one by one.
void tfl_sparse_s8(int32_t *acc, ptrdiff_t acc_stride, const int8_t *x, ptrdiff_t x_stride, ptrdiff_t pixels, const int32_t *starts,
                   const int32_t *index, const int8_t *values, const int32_t *column_sums, ptrdiff_t depth, ptrdiff_t n,
                   int32_t *scratch);

/// A convolution of few input channels computed without im2col (tfl_direct_s8, tfl_direct_f32): the geometry, and the staged image's size (`rows` × `width` pixels of
/// `depth` values, set by tfl_direct_s8_layout; the input sits `pad_h` rows and `pad_w` pixels in).
typedef struct tfl_direct_geometry {
    ptrdiff_t in_h, in_w, depth;
    ptrdiff_t filter_h, filter_w, stride_h, stride_w, dilation_h, dilation_w, pad_h, pad_w;
    ptrdiff_t out_h, out_w;
    ptrdiff_t rows, width;
} tfl_direct_geometry;

/// Sets `rows` and `width` of the staged layout from the other fields.
void tfl_direct_s8_layout(tfl_direct_geometry *g);

/// Bytes of one staged image.
ptrdiff_t tfl_direct_s8_staged_size(const tfl_direct_geometry *g);

/// Bytes of the packed weights of n output channels.
ptrdiff_t tfl_direct_s8_packed_size(const tfl_direct_geometry *g, ptrdiff_t n);

/// Packs int8 weights `[n][filter_h][filter_w][depth]`: per block of 16 channels, tap and group
/// of four input channels, each output channel's four weights (zeros past `depth`).
void tfl_direct_s8_pack(const int8_t *w, ptrdiff_t n, const tfl_direct_geometry *g, int8_t *packed);

/// Stages one int8 image (`[in_h][in_w][depth]`) as bytes x + 128 (x xor 0x80) inside margins
/// of the zero point's byte, which padding taps read.
void tfl_direct_s8_stage(uint8_t *staged, const int8_t *image, int32_t zero_point, const tfl_direct_geometry *g);

/// Output row `out_y`'s int32 sums Σ (x + 128)·w for n channels in blocks of 16 (acc + pixel ·
/// acc_stride, acc_stride ≥ n rounded up to 16; every block's 16 lanes are written). Exact:
/// Σ (x − zp)·w = these sums − (128 + zp)·Σ w.
void tfl_direct_s8(int32_t *acc, ptrdiff_t acc_stride, const uint8_t *staged, const tfl_direct_geometry *g, ptrdiff_t out_y,
                   const int8_t *packed, ptrdiff_t n);

/// Whether tfl_direct_s8 runs vector code with the features in use (else a plain loop).
int tfl_direct_s8_available(void);

/// Floats of one staged float32 image.
ptrdiff_t tfl_direct_f32_staged_count(const tfl_direct_geometry *g);

/// Stages one float32 image (`[in_h][in_w][depth]`) inside margins of zeros.
void tfl_direct_f32_stage(float *staged, const float *image, const tfl_direct_geometry *g);

/// Output row `out_y` of a float32 convolution from a staged image and weights packed by
/// tfl_gemm_f32_pack (depth filter_h · filter_w · depth): out + pixel · out_stride receives
/// tfl_clampf(Σ x·w + bias) for n channels, bit for bit tfl_gemm_f32 on the im2col patches.
void tfl_direct_f32(float *out, ptrdiff_t out_stride, const float *staged, const tfl_direct_geometry *g, ptrdiff_t out_y,
                    const float *packed, ptrdiff_t n, const float *bias, float lo, float hi);

/// Whether tfl_direct_f32 runs vector code with the features in use (else a plain loop).
int tfl_direct_f32_available(void);

/// A convolution with few output channels computed over output pixels (tfl_pixel_conv_f32):
/// the input geometry, with `stride_h` any and the row stride 1, and the staged layout's size
/// (`rows` × `width`, set by tfl_pixel_conv_layout).
typedef struct tfl_pixel_conv_geometry {
    ptrdiff_t in_h, in_w, depth;
    ptrdiff_t filter_h, filter_w, stride_h, dilation_h, dilation_w, pad_h, pad_w;
    ptrdiff_t out_h, out_w;
    ptrdiff_t rows, width;
} tfl_pixel_conv_geometry;

/// The most output channels tfl_pixel_conv_f32 computes.
enum { TFL_PIXEL_CONV_MAX_CHANNELS = 8 };

/// Sets `rows` and `width` of the staged layout from the other fields.
void tfl_pixel_conv_layout(tfl_pixel_conv_geometry *g);

/// Elements of one staged image: `rows × depth × width`.
ptrdiff_t tfl_pixel_conv_staged_count(const tfl_pixel_conv_geometry *g);

/// Stages rows first_row ..< first_row + row_count of one NHWC float image as
/// `staged[row][channel][column]`: input row `row − pad_h`, column `column − pad_w`, zero outside
/// the image.
void tfl_pixel_conv_stage_f32(float *staged, const float *image, const tfl_pixel_conv_geometry *g, ptrdiff_t first_row,
                              ptrdiff_t row_count);

/// Packs OHWI float weights `w[j * depth + k]` (j < n, depth = filter_h · filter_w · input depth)
/// as `packed[k * n + j]`.
void tfl_pixel_conv_pack_f32(const float *w, ptrdiff_t n, ptrdiff_t depth, float *packed);

/// One output row `out_y` (`out_w × n` floats at `out`, 1 ≤ n ≤ TFL_PIXEL_CONV_MAX_CHANNELS) of a
/// staged image: for each pixel and channel j, the fused multiply-adds from zero over the filter in
/// `[ky][kx][c]` order, padding taps reading zeros, then + bias[j] (bias may be NULL), then the
/// clamp of tfl_gemm_f32: the same bits as tfl_gemm_f32 on the pixel's im2col patch.
void tfl_pixel_conv_f32(float *out, const float *staged, const tfl_pixel_conv_geometry *g, ptrdiff_t out_y, const float *packed,
                        ptrdiff_t n, const float *bias, float lo, float hi);

/// int16 values of one staged 8-bit image: `rows × ⌈depth / 2⌉ × width × 2`.
ptrdiff_t tfl_pixel_conv_staged_count_s8(const tfl_pixel_conv_geometry *g);

/// Stages rows first_row ..< first_row + row_count of one NHWC int8 image as int16 channel pairs,
/// `staged[row][pair][column][2]` (input row `row − pad_h`, column `column − pad_w`), `pad` outside
/// the image and in the second half of an odd depth's last pair.
void tfl_pixel_conv_stage_s8(int16_t *staged, const int8_t *image, const tfl_pixel_conv_geometry *g, int8_t pad,
                             ptrdiff_t first_row, ptrdiff_t row_count);

/// int32 words tfl_pixel_conv_pack_s8 writes for n channels.
ptrdiff_t tfl_pixel_conv_packed_count_s8(const tfl_pixel_conv_geometry *g, ptrdiff_t n);

/// Packs OHWI int8 weights (`w[(j * taps + t) * depth + c]`), less `weight_zero`, as words of two
/// int16 (channels 2p and 2p + 1 of tap t, low half first; 0 past the depth), `[t][p][j]`.
void tfl_pixel_conv_pack_s8(const int8_t *w, ptrdiff_t n, const tfl_pixel_conv_geometry *g, int32_t weight_zero,
                            int32_t *packed);

/// One output row `out_y` of exact int32 sums Σ x · (w − weight_zero) over the whole filter,
/// padding taps reading the staged `pad`: `acc[x * n + j]` for x < out_w, j < n (1 ≤ n ≤
/// TFL_PIXEL_CONV_MAX_CHANNELS), the sums tfl_gemm_s8 gives on the pixels' im2col patches.
void tfl_pixel_conv_s8(int32_t *acc, const int16_t *staged, const tfl_pixel_conv_geometry *g, ptrdiff_t out_y, const int32_t *packed,
                       ptrdiff_t n);

/// One image of a depth-multiplier-1 depthwise convolution (NHWC, `channels` = input = output depth).
typedef struct {
    ptrdiff_t in_h, in_w, channels;
    ptrdiff_t filter_h, filter_w;
    ptrdiff_t stride_w, dilation_h, dilation_w, pad_w;
    ptrdiff_t out_w;
} tfl_depthwise_geometry;

/// One output row (`out_w × channels` floats) whose filter window starts at input row `origin_y`:
/// out = clamp(Σ over valid taps, (ky, kx) order, of x · w by fused multiply-adds from zero,
/// + bias (may be NULL)), clamp as tfl_gemm_f32. `w` is the `[filter_h][filter_w][channels]` filter.
void tfl_depthwise_row_f32(float *out, const float *image, const tfl_depthwise_geometry *g, ptrdiff_t origin_y,
                           const float *w, const float *bias, float lo, float hi);


/// out[i] = table[in[i]] for i < n (a 256-entry table); in and out may be the same buffer.
void tfl_lookup_8bit(const uint8_t *in, const uint8_t *table, uint8_t *out, ptrdiff_t n);

/// `rows` rows of `row_bytes` bytes each at dst, each assembled from `run_count` runs: run k is
/// runs[2k] bytes copied from src + bases[r] + runs[2k + 1], or, when runs[2k + 1] < 0, from
/// fill_row at the same position in the row; a row whose bases[r] < 0 is fill_row whole. Byte
/// offsets; the caller keeps every read inside src and fill_row (row_bytes long).
void tfl_copy_rows(uint8_t *dst, const uint8_t *src, const int64_t *bases, ptrdiff_t rows, const int64_t *runs,
                   ptrdiff_t run_count, ptrdiff_t row_bytes, const uint8_t *fill_row);

/// int16 values tfl_depthwise_s8_pack writes: the filter's taps in pairs, interleaved for the
/// AVX-512 pair kernel (zero weights pad the odd tap and the last block of 32 channels), as
/// w − weight_zero, then the VNNI layout (used only when weight_zero is 0).
ptrdiff_t tfl_depthwise_s8_packed_count(ptrdiff_t taps, ptrdiff_t channels);
void tfl_depthwise_s8_pack(const int8_t *w, ptrdiff_t taps, ptrdiff_t channels, int16_t *packed, int32_t weight_zero);

/// One output row of exact int32 sums Σ (x - zero_point) · (w - weight_zero) over the valid taps
/// (wrapping), for int8 input and `[filter_h][filter_w][channels]` int8 filter `w` (weight_zero 0
/// for int8 models; uint8 models come with 128 taken off inputs, weights and both zero points),
/// taking the taps four (VNNI) or two (vpmaddwd) at a time where the CPU has AVX-512 or AVX2
/// (else a plain loop over `w`). `packed` is tfl_depthwise_s8_pack(w, …, weight_zero); `pad_row`
/// has room for `channels` bytes and `sources` for `filter_h · filter_w + 1` pointers (scratch).
void tfl_depthwise_row_s8_pairs(int32_t *acc, const int8_t *image, int32_t zero_point, const tfl_depthwise_geometry *g,
                                ptrdiff_t origin_y, const int8_t *w, const int16_t *packed, int32_t weight_zero, int8_t *pad_row,
                                const int8_t **sources);

/// int16 values tfl_gemm_s16_pack writes for n output channels of `depth` int8 weights (channels
/// padded to 16, depth to 2).
ptrdiff_t tfl_gemm_s16_packed_count(ptrdiff_t depth, ptrdiff_t n);

/// Packs int8 weights `w[j * depth + k]` (j < n, zero point 0) for tfl_gemm_s16.
void tfl_gemm_s16_pack(const int8_t *w, ptrdiff_t n, ptrdiff_t depth, int16_t *packed);

/// acc[p * acc_stride + j] = sum_k x[p * x_stride + k] * w[j][k] for p < pixels, k < depth and
/// j < n rounded up to 16 (acc_stride must leave room for that; padded channels are scratch),
/// exact int64 (LiteRT's int16×8 accumulation), from int16 activations and int8 weights packed by
/// tfl_gemm_s16_pack: vpdpwssd (AVX-512 VNNI), vpmaddwd (AVX-512, AVX2), smlal (NEON).
void tfl_gemm_s16(int64_t *acc, ptrdiff_t acc_stride, const int16_t *x, ptrdiff_t x_stride, ptrdiff_t pixels,
                  const int16_t *packed, ptrdiff_t depth, ptrdiff_t n);

/// out[r * out_stride + c] = clamp(MultiplyByQuantizedMultiplier(acc[r * acc_stride + c] + bias[c],
/// multiplier[c], shift[c]), qmin, qmax) for r < rows, c < n: LiteRT's 64-bit variant (the
/// multiplier rounded to 16 bits, one rounding shift by 15 − shift), wrapping 64-bit arithmetic;
/// bias may be NULL. Needs multipliers in 0 ... 2^31 − 1, 15 − shift in 1 ... 62 and qmin, qmax
/// within int16.
void tfl_requantize_s16_rows(const int64_t *acc, ptrdiff_t acc_stride, ptrdiff_t rows, const int64_t *bias,
                             const int32_t *multiplier, const int32_t *shift, int32_t qmin, int32_t qmax, int16_t *out,
                             ptrdiff_t out_stride, ptrdiff_t n);

/// tfl_depthwise_i32 into 64-bit accumulators for int16×8 (x: int16 values as int32, w: int8
/// weights as int16, so each product is within ±2^22): exact int64 sums, the vector variants
/// summing 256 taps at a time in 32-bit lanes.
void tfl_depthwise_i64(int64_t *acc, const int32_t *const *x, const int16_t *const *w, ptrdiff_t taps, ptrdiff_t n);

/// The integer types of tfl_quantize_linear and tfl_dequantize_linear.
enum { TFL_QUANT_INT8 = 0, TFL_QUANT_UINT8 = 1, TFL_QUANT_INT16 = 2 };

/// out[i] = clamp(roundeven(x[i] * reciprocal) + zero_point) to `type`'s range (float32
/// arithmetic, the product rounded before the round and the add; NaN → zero_point clamped):
/// per-tensor QUANTIZE. `out` holds `type` values (int8 as its bit pattern).
void tfl_quantize_linear(const float *x, ptrdiff_t n, float reciprocal, int32_t zero_point, int type, void *out);

/// out[i] = (float)(scale * (double)(in[i] - zero_point)): per-tensor DEQUANTIZE of `type` values
/// (|zero_point| < 2^16).
void tfl_dequantize_linear(const void *in, int type, ptrdiff_t n, double scale, int32_t zero_point, float *out);

/// int8 RESIZE_BILINEAR (LiteRT's integer interpolation), first pass: one source row's
/// horizontal sums, h[x · depth + c] = row[x0[x] + c] · (1024 − fx[x]) + row[x1[x] + c] · fx[x]
/// for x < out_w and c < depth (x0 and x1 element offsets into the row). The caller keeps
/// 128 · max(|1024 − fy| + |fy|) · max(|1024 − fx| + |fx|) + 2^20 below 2^31, so these sums and
/// tfl_resize_bilinear_rows_s8's stay within 32 bits.
void tfl_resize_bilinear_columns_s8(int32_t *h, const int8_t *row, const int32_t *x0, const int32_t *x1,
                                    const int32_t *fx, ptrdiff_t out_w, ptrdiff_t depth);

/// int8 RESIZE_BILINEAR, second pass: one output row from the horizontal sums of its top and
/// bottom source rows (tfl_resize_bilinear_columns_s8), for i < n:
/// s = top[i] · (1024 − fy) + bottom[i] · fy and out[i] = the low byte of
/// (s + 2^19 if s > 0 else s − 2^19) / 2^20, truncated — LiteRT's four-weight sum, exactly.
void tfl_resize_bilinear_rows_s8(int8_t *out, const int32_t *top, const int32_t *bottom, int32_t fy, ptrdiff_t n);

/// One output row of float32 RESIZE_BILINEAR (LiteRT's reference order of operations, no fused
/// multiply-adds): for x < out_w and c < depth, with a = top[x0[x] + c], b = bottom[x0[x] + c],
/// c' = top[x1[x] + c], d = bottom[x1[x] + c],
/// out[x · depth + c] = ((a·(1 − fy)·(1 − fx[x]) + b·fy·(1 − fx[x])) + c'·(1 − fy)·fx[x]) + d·fy·fx[x],
/// each product taken left to right. x0 and x1 are element offsets into the rows.
void tfl_resize_bilinear_row_f32(float *out, const float *top, const float *bottom, const int32_t *x0, const int32_t *x1,
                                 const float *fx, float fy, ptrdiff_t out_w, ptrdiff_t depth);

/// A fork-join pool of `threads - 1` worker threads (the caller is the other one); workers spin
/// briefly between jobs, then sleep. NULL when out of memory (tfl_pool_run then runs inline).
typedef struct tfl_pool tfl_pool;
tfl_pool *tfl_pool_create(int threads);
/// Worker threads actually started.
int tfl_pool_workers(const tfl_pool *pool);
/// Calls fn(ctx, i) once for every i < count, on the workers and the calling thread, and returns
/// when all calls have returned. Not reentrant: one job at a time per pool.
void tfl_pool_run(tfl_pool *pool, ptrdiff_t count, void (*fn)(void *ctx, ptrdiff_t index), void *ctx);
void tfl_pool_destroy(tfl_pool *pool);

/// A convolution's window over one NHWC image, for tfl_im2col.
typedef struct {
    ptrdiff_t in_h, in_w, depth;
    ptrdiff_t filter_h, filter_w, stride_h, stride_w, dilation_h, dilation_w, pad_h, pad_w;
    ptrdiff_t out_h, out_w;
} tfl_im2col_geometry;

/// Writes the patches of output pixels first ..< first + count (flat over batch, row, column),
/// each `filter_h · filter_w · depth` elements of `element` bytes in `[ky][kx][depth]` order,
/// taps outside the image set to `pads[batch]` (one element per batch).
void tfl_im2col(void *target, const void *source, size_t element, const tfl_im2col_geometry *g, ptrdiff_t first,
                ptrdiff_t count, const void *pads);

#ifdef __cplusplus
}
#endif

#endif
