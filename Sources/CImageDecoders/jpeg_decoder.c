// JPEG decoding with libjpeg-turbo's libjpeg API; see CImageDecoders.h.
#if defined(__linux__)

#include "CImageDecoders.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <jerror.h>

struct cid_jpeg {
    struct jpeg_decompress_struct cinfo;
    struct jpeg_error_mgr errors;
    struct jpeg_progress_mgr progress;
    uint32_t max_scans;
    int created;
    int begun;
    /// Set when libjpeg warned that the data ended early (it would pad with grey).
    int truncated;
    jmp_buf jump;
    char message[JMSG_LENGTH_MAX > 200 ? JMSG_LENGTH_MAX : 200];
};

static struct cid_jpeg *owner(j_common_ptr cinfo) {
    // cinfo is the first member of struct cid_jpeg.
    return (struct cid_jpeg *)(void *)cinfo;
}

static void on_error_exit(j_common_ptr cinfo) {
    struct cid_jpeg *decoder = owner(cinfo);
    (*cinfo->err->format_message)(cinfo, decoder->message);
    longjmp(decoder->jump, 1);
}

// Warnings are not printed; "premature end of data" is remembered and reported as an error.
static void on_emit_message(j_common_ptr cinfo, int level) {
    if (level < 0) {
        struct cid_jpeg *decoder = owner(cinfo);
        cinfo->err->num_warnings++;
        if (cinfo->err->msg_code == JWRN_JPEG_EOF) decoder->truncated = 1;
    }
}

static void on_output_message(j_common_ptr cinfo) { (void)cinfo; }

static void on_progress(j_common_ptr cinfo) {
    struct cid_jpeg *decoder = owner(cinfo);
    if (decoder->cinfo.input_scan_number > (int)decoder->max_scans) {
        snprintf(decoder->message, sizeof decoder->message, "more than %u progressive scans", decoder->max_scans);
        longjmp(decoder->jump, 2);
    }
}

static cid_status fail(cid_header *header, cid_status status, const char *text) {
    snprintf(header->message, sizeof header->message, "%s", text ? text : "unknown error");
    return status;
}

cid_status cid_jpeg_begin(const uint8_t *data, size_t size, const cid_limits *limits,
                          cid_jpeg **result, cid_header *header) {
    memset(header, 0, sizeof *header);
    *result = NULL;
    if (size < 3 || data[0] != 0xFF || data[1] != 0xD8 || data[2] != 0xFF) {
        return fail(header, CID_INVALID, "no JPEG start-of-image marker");
    }
    struct cid_jpeg *decoder = calloc(1, sizeof *decoder);
    if (!decoder) return fail(header, CID_OUT_OF_MEMORY, "out of memory");
    decoder->max_scans = limits->max_scans;
    decoder->cinfo.err = jpeg_std_error(&decoder->errors);
    decoder->errors.error_exit = on_error_exit;
    decoder->errors.emit_message = on_emit_message;
    decoder->errors.output_message = on_output_message;
    int jumped = setjmp(decoder->jump);
    if (jumped) {
        cid_status status = jumped == 2 ? CID_TOO_LARGE : CID_INVALID;
        fail(header, status, decoder->message);
        cid_jpeg_free(decoder);
        return status;
    }
    jpeg_create_decompress(&decoder->cinfo);
    decoder->created = 1;
    decoder->progress.progress_monitor = on_progress;
    decoder->cinfo.progress = &decoder->progress;
    jpeg_mem_src(&decoder->cinfo, (const unsigned char *)data, (unsigned long)size);
    if (jpeg_read_header(&decoder->cinfo, TRUE) != JPEG_HEADER_OK) {
        cid_jpeg_free(decoder);
        return fail(header, CID_INVALID, "no image in the file");
    }
    if (decoder->truncated) {
        cid_jpeg_free(decoder);
        return fail(header, CID_INVALID, "the file ends early (truncated)");
    }
    struct jpeg_decompress_struct *cinfo = &decoder->cinfo;
    header->width = cinfo->image_width;
    header->height = cinfo->image_height;
    header->bit_depth = (uint32_t)cinfo->data_precision;
    header->color_type = (uint32_t)cinfo->jpeg_color_space;
    header->interlaced = cinfo->progressive_mode ? 1 : 0;
    if (cinfo->image_width > limits->max_width || cinfo->image_height > limits->max_height ||
        (uint64_t)cinfo->image_width * (uint64_t)cinfo->image_height > limits->max_pixels) {
        cid_jpeg_free(decoder);
        return fail(header, CID_TOO_LARGE, "over the size limits");
    }
    switch (cinfo->jpeg_color_space) {
    case JCS_GRAYSCALE:
        cinfo->out_color_space = JCS_GRAYSCALE;
        header->channels = 1;
        break;
    case JCS_CMYK:
    case JCS_YCCK:
        cinfo->out_color_space = JCS_CMYK;
        header->channels = 3;
        break;
    case JCS_RGB:
    case JCS_YCbCr:
        cinfo->out_color_space = JCS_RGB;
        header->channels = 3;
        break;
    default:
        cid_jpeg_free(decoder);
        return fail(header, CID_UNSUPPORTED, "a colour space other than grey, YCbCr, RGB or CMYK");
    }
    decoder->begun = 1;
    *result = decoder;
    return CID_OK;
}

// (255 − C)(255 − K) / 255, rounded: the usual naive CMYK → RGB.
static uint8_t ink_to_light(unsigned stored, unsigned stored_k, int inverted) {
    unsigned c = inverted ? 255u - stored : stored;
    unsigned k = inverted ? 255u - stored_k : stored_k;
    unsigned value = (255u - c) * (255u - k);
    return (uint8_t)((value + 127u) / 255u);
}

cid_status cid_jpeg_finish(cid_jpeg *decoder, uint8_t *pixels, size_t capacity, cid_header *header) {
    memset(header->message, 0, sizeof header->message);
    if (!decoder || !decoder->begun) return fail(header, CID_USAGE, "cid_jpeg_finish without a successful cid_jpeg_begin");
    decoder->begun = 0;
    struct jpeg_decompress_struct *cinfo = &decoder->cinfo;
    // `volatile`: freed after a longjmp back here.
    JSAMPLE *volatile cmyk_row = NULL;
    int jumped = setjmp(decoder->jump);
    if (jumped) {
        free(cmyk_row);
        return fail(header, jumped == 2 ? CID_TOO_LARGE : CID_INVALID, decoder->message);
    }
    int cmyk = cinfo->out_color_space == JCS_CMYK;
    // Photoshop writes CMYK inverted and says so in its APP14 marker.
    int inverted = cmyk && cinfo->saw_Adobe_marker;
    if (cinfo->progressive_mode) cinfo->buffered_image = FALSE;
    jpeg_start_decompress(cinfo);
    size_t width = cinfo->output_width;
    size_t channels = cmyk ? 3 : (size_t)cinfo->output_components;
    if (cinfo->output_width != header->width || cinfo->output_height != header->height ||
        channels != header->channels || (size_t)cinfo->output_components != (cmyk ? 4u : channels)) {
        return fail(header, CID_UNSUPPORTED, "an output layout the decoder does not produce");
    }
    if (capacity / (width * channels) < cinfo->output_height) return fail(header, CID_USAGE, "the pixel buffer is too small");
    if (cmyk) {
        cmyk_row = malloc(width * 4);
        if (!cmyk_row) return fail(header, CID_OUT_OF_MEMORY, "out of memory");
    }
    while (cinfo->output_scanline < cinfo->output_height) {
        uint8_t *row = pixels + (size_t)cinfo->output_scanline * width * channels;
        JSAMPROW target = cmyk ? cmyk_row : row;
        if (jpeg_read_scanlines(cinfo, &target, 1) != 1) break;
        if (cmyk) {
            for (size_t x = 0; x < width; x++) {
                const JSAMPLE *ink = cmyk_row + x * 4;
                row[x * 3] = ink_to_light(ink[0], ink[3], inverted);
                row[x * 3 + 1] = ink_to_light(ink[1], ink[3], inverted);
                row[x * 3 + 2] = ink_to_light(ink[2], ink[3], inverted);
            }
        }
        if (decoder->truncated) break;
    }
    free(cmyk_row);
    cmyk_row = NULL;
    if (decoder->truncated || cinfo->output_scanline < cinfo->output_height) {
        return fail(header, CID_INVALID, "the file ends early (truncated)");
    }
    return CID_OK;
}

void cid_jpeg_free(cid_jpeg *decoder) {
    if (!decoder) return;
    if (decoder->created) jpeg_destroy_decompress(&decoder->cinfo);
    free(decoder);
}

#endif
