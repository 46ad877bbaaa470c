// A small C interface over libflatbuffers' schema-driven machinery:
// verification of untrusted buffers, binary → JSON text, and JSON → binary.
#ifndef CFLATBUFFERS_H
#define CFLATBUFFERS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// A parsed schema, immutable once created and safe to share between threads.
typedef struct cfb_schema cfb_schema;

/// Parses `fbs` (schema source text). Returns NULL and writes a message to `err` on failure.
cfb_schema *cfb_schema_create(const char *fbs, char *err, size_t err_len);
void cfb_schema_destroy(cfb_schema *schema);

/// Verifies `buf[0..<len]` as a buffer whose root is the schema's root type, with libflatbuffers'
/// reflection verifier (every offset, vtable, vector and string is bounds-checked, depth and table
/// counts are limited). Returns 1 when valid, 0 with a message in `err` otherwise.
int cfb_verify(const cfb_schema *schema, const uint8_t *buf, size_t len,
               unsigned max_depth, unsigned max_tables, char *err, size_t err_len);

/// Renders a (verified) buffer as strict JSON with 2-space indentation, defaults omitted and
/// enums by name. Returns a malloc'd NUL-terminated string (free with cfb_free) or NULL.
char *cfb_to_json(const cfb_schema *schema, const uint8_t *buf, size_t len,
                  char *err, size_t err_len);

/// Parses JSON text against the schema and builds a finished buffer (with the schema's file
/// identifier). Returns a malloc'd buffer (free with cfb_free) and its size in `out_len`, or NULL
/// with the parser's message in `err`.
uint8_t *cfb_from_json(const cfb_schema *schema, const char *json, size_t *out_len,
                       char *err, size_t err_len);

/// The name of `value` in the enum (or union) `enum_name` (fully qualified, e.g.
/// "tflite.BuiltinOperator"), or NULL when the schema has no such enum or value. The string lives
/// as long as the schema.
const char *cfb_enum_name(const cfb_schema *schema, const char *enum_name, int64_t value);

void cfb_free(void *p);

#ifdef __cplusplus
}
#endif

#endif
