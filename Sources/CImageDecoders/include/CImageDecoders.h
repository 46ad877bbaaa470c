// PNG (libpng) and JPEG (libjpeg-turbo) decoding for TFLiteImageIO on Linux.
//
// libpng and libjpeg report errors by longjmp; here every setjmp and every longjmp stays inside
// this C code, so no Swift frame is ever jumped over: each call returns a status code and, on
// error, a message. Decoding is in two steps, so the caller checks the header (and allocates
// the pixels) between them:
//
//   cid_png_begin / cid_jpeg_begin   read the header, check the limits (before any pixel memory)
//   cid_png_finish / cid_jpeg_finish decode into the caller's buffer (height × width × channels)
//   cid_png_free / cid_jpeg_free     release the decoder (always, after a successful begin)
#ifndef CIMAGEDECODERS_H
#define CIMAGEDECODERS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// What a call did.
typedef enum cid_status {
    CID_OK = 0,
    /// Not a valid file of the format, or truncated (the message says what).
    CID_INVALID = 1,
    /// Width, height, pixel count or a chunk over the limits.
    CID_TOO_LARGE = 2,
    /// Valid, but a variant that is not decoded (the message says which).
    CID_UNSUPPORTED = 3,
    /// An allocation failed.
    CID_OUT_OF_MEMORY = 4,
    /// The caller's buffer is too small, or a call came out of order.
    CID_USAGE = 5
} cid_status;

/// Limits checked before pixel memory is allocated.
typedef struct cid_limits {
    uint32_t max_width;
    uint32_t max_height;
    uint64_t max_pixels;
    /// PNG: the largest ancillary chunk (or decompressed text/ICC chunk) read, in bytes.
    uint64_t max_chunk_bytes;
    /// JPEG: the most progressive scans (a file with thousands of tiny scans costs a full
    /// pass each).
    uint32_t max_scans;
} cid_limits;

/// What the header says, and the layout `finish` writes.
typedef struct cid_header {
    uint32_t width;
    uint32_t height;
    /// Channels of the decoded pixels: 1 (grey), 3 (RGB) or 4 (RGBA).
    uint32_t channels;
    /// The file's own layout, for messages and tests: PNG bit depth, JPEG 8.
    uint32_t bit_depth;
    /// PNG: the colour type (0 grey, 2 RGB, 3 palette, 4 grey + alpha, 6 RGBA); JPEG: the
    /// colour space of the file (libjpeg's J_COLOR_SPACE).
    uint32_t color_type;
    /// 1 when the file is interlaced (PNG) or progressive (JPEG).
    uint32_t interlaced;
    /// On error: a NUL-terminated message.
    char message[200];
} cid_header;

typedef struct cid_png cid_png;
typedef struct cid_jpeg cid_jpeg;

/// Reads the PNG header of `data` (which must stay valid until `cid_png_free`). On CID_OK,
/// `*decoder` is set and must be freed.
cid_status cid_png_begin(const uint8_t *data, size_t size, const cid_limits *limits,
                         cid_png **decoder, cid_header *header);
/// Decodes the pixels into `pixels` (`capacity` bytes, at least height × width × channels):
/// 16-bit samples keep their high byte, palettes and low bit depths are expanded, grey stays
/// grey (its alpha dropped), colour with alpha or transparency becomes RGBA.
cid_status cid_png_finish(cid_png *decoder, uint8_t *pixels, size_t capacity, cid_header *header);
void cid_png_free(cid_png *decoder);

/// Reads the JPEG header of `data` (which must stay valid until `cid_jpeg_free`).
cid_status cid_jpeg_begin(const uint8_t *data, size_t size, const cid_limits *limits,
                          cid_jpeg **decoder, cid_header *header);
/// Decodes the pixels: grey files to 1 channel, YCbCr/RGB to RGB, CMYK/YCCK converted to RGB
/// (Adobe's inverted CMYK recognised). A file that ends early is an error, not grey pixels.
cid_status cid_jpeg_finish(cid_jpeg *decoder, uint8_t *pixels, size_t capacity, cid_header *header);
void cid_jpeg_free(cid_jpeg *decoder);

#ifdef __cplusplus
}
#endif

#endif
