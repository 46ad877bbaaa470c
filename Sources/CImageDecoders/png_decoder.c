// PNG decoding with libpng's progressive-row API; see CImageDecoders.h.
#if defined(__linux__)

#include "CImageDecoders.h"

#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cid_png {
    png_structp png;
    png_infop info;
    const uint8_t *data;
    size_t size;
    size_t offset;
    uint32_t width, height, channels;
    size_t row_bytes;
    int passes;
    int begun;
    jmp_buf jump;
    char message[200];
};

static void copy_message(char *to, size_t capacity, const char *text) {
    snprintf(to, capacity, "%s", text ? text : "unknown error");
}

static void on_error(png_structp png, png_const_charp text) {
    struct cid_png *decoder = (struct cid_png *)png_get_error_ptr(png);
    copy_message(decoder->message, sizeof decoder->message, text);
    longjmp(decoder->jump, 1);
}

// Warnings (a bad CRC in an ancillary chunk, an unknown chunk) are not printed: the file
// decodes or it fails with an error.
static void on_warning(png_structp png, png_const_charp text) {
    (void)png;
    (void)text;
}

static void on_read(png_structp png, png_bytep out, png_size_t count) {
    struct cid_png *decoder = (struct cid_png *)png_get_io_ptr(png);
    if (count > decoder->size - decoder->offset) {
        png_error(png, "the file ends early (truncated)");
    }
    memcpy(out, decoder->data + decoder->offset, count);
    decoder->offset += count;
}

static cid_status fail(cid_header *header, cid_status status, const char *text) {
    copy_message(header->message, sizeof header->message, text);
    return status;
}

cid_status cid_png_begin(const uint8_t *data, size_t size, const cid_limits *limits,
                         cid_png **result, cid_header *header) {
    memset(header, 0, sizeof *header);
    *result = NULL;
    if (size < 8 || png_sig_cmp(data, 0, 8) != 0) {
        return fail(header, CID_INVALID, "no PNG signature");
    }
    // The declared size, before libpng: IHDR is the first chunk (libpng checks it again, and
    // refuses sizes over the user limits as invalid IHDR data).
    if (size >= 24 && memcmp(data + 12, "IHDR", 4) == 0) {
        uint32_t width = (uint32_t)data[16] << 24 | (uint32_t)data[17] << 16 | (uint32_t)data[18] << 8 | data[19];
        uint32_t height = (uint32_t)data[20] << 24 | (uint32_t)data[21] << 16 | (uint32_t)data[22] << 8 | data[23];
        header->width = width;
        header->height = height;
        if (width > limits->max_width || height > limits->max_height ||
            (uint64_t)width * (uint64_t)height > limits->max_pixels) {
            return fail(header, CID_TOO_LARGE, "over the size limits");
        }
    }
    struct cid_png *decoder = calloc(1, sizeof *decoder);
    if (!decoder) return fail(header, CID_OUT_OF_MEMORY, "out of memory");
    decoder->data = data;
    decoder->size = size;
    decoder->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, decoder, on_error, on_warning);
    if (!decoder->png) {
        free(decoder);
        return fail(header, CID_OUT_OF_MEMORY, "out of memory");
    }
    decoder->info = png_create_info_struct(decoder->png);
    if (!decoder->info) {
        png_destroy_read_struct(&decoder->png, NULL, NULL);
        free(decoder);
        return fail(header, CID_OUT_OF_MEMORY, "out of memory");
    }
    if (setjmp(decoder->jump)) {
        // Width or height over png_set_user_limits is reported by libpng as an error naming
        // the limit; everything else is a broken file.
        cid_status status = strstr(decoder->message, "exceeds user limit") || strstr(decoder->message, "too large")
            ? CID_TOO_LARGE : CID_INVALID;
        copy_message(header->message, sizeof header->message, decoder->message);
        cid_png_free(decoder);
        return status;
    }
    png_set_read_fn(decoder->png, decoder, on_read);
    png_set_user_limits(decoder->png, limits->max_width, limits->max_height);
    png_set_chunk_cache_max(decoder->png, 1000);
    png_set_chunk_malloc_max(decoder->png, (png_alloc_size_t)limits->max_chunk_bytes);
    png_read_info(decoder->png, decoder->info);

    png_uint_32 width = 0, height = 0;
    int bit_depth = 0, color_type = 0, interlace = 0;
    png_get_IHDR(decoder->png, decoder->info, &width, &height, &bit_depth, &color_type, &interlace, NULL, NULL);
    header->width = width;
    header->height = height;
    header->bit_depth = (uint32_t)bit_depth;
    header->color_type = (uint32_t)color_type;
    header->interlaced = interlace != PNG_INTERLACE_NONE;
    if (width > limits->max_width || height > limits->max_height ||
        (uint64_t)width * (uint64_t)height > limits->max_pixels) {
        cid_png_free(decoder);
        return fail(header, CID_TOO_LARGE, "over the size limits");
    }

    int grey = (color_type & PNG_COLOR_MASK_COLOR) == 0;
    if (color_type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(decoder->png);
    if (grey && bit_depth < 8) png_set_expand_gray_1_2_4_to_8(decoder->png);
    if (!grey && png_get_valid(decoder->png, decoder->info, PNG_INFO_tRNS)) png_set_tRNS_to_alpha(decoder->png);
    if (bit_depth == 16) png_set_strip_16(decoder->png);
    if (grey && (color_type & PNG_COLOR_MASK_ALPHA)) png_set_strip_alpha(decoder->png);
    decoder->passes = png_set_interlace_handling(decoder->png);
    png_read_update_info(decoder->png, decoder->info);

    int channels = png_get_channels(decoder->png, decoder->info);
    size_t row_bytes = png_get_rowbytes(decoder->png, decoder->info);
    if ((channels != 1 && channels != 3 && channels != 4) || png_get_bit_depth(decoder->png, decoder->info) != 8 ||
        row_bytes != (size_t)width * (size_t)channels) {
        cid_png_free(decoder);
        return fail(header, CID_UNSUPPORTED, "a pixel layout the decoder does not produce");
    }
    decoder->width = width;
    decoder->height = height;
    decoder->channels = (uint32_t)channels;
    decoder->row_bytes = row_bytes;
    decoder->begun = 1;
    header->channels = (uint32_t)channels;
    *result = decoder;
    return CID_OK;
}

cid_status cid_png_finish(cid_png *decoder, uint8_t *pixels, size_t capacity, cid_header *header) {
    memset(header->message, 0, sizeof header->message);
    if (!decoder || !decoder->begun) return fail(header, CID_USAGE, "cid_png_finish without a successful cid_png_begin");
    decoder->begun = 0;
    if (capacity / decoder->row_bytes < decoder->height) return fail(header, CID_USAGE, "the pixel buffer is too small");
    // `volatile`: read after a longjmp back here.
    volatile int pass = 0;
    if (setjmp(decoder->jump)) {
        (void)pass;
        return fail(header, CID_INVALID, decoder->message);
    }
    for (pass = 0; pass < decoder->passes; pass++) {
        for (uint32_t y = 0; y < decoder->height; y++) {
            png_read_row(decoder->png, pixels + (size_t)y * decoder->row_bytes, NULL);
        }
    }
    return CID_OK;
}

void cid_png_free(cid_png *decoder) {
    if (!decoder) return;
    png_destroy_read_struct(&decoder->png, &decoder->info, NULL);
    free(decoder);
}

#endif
