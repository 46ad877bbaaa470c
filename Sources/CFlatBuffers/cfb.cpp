#include "CFlatBuffers.h"

#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

#include <flatbuffers/idl.h>
#include <flatbuffers/reflection.h>

struct cfb_schema {
  std::string source;                 // schema text, re-parsed for JSON → binary
  flatbuffers::Parser text_parser;    // used (const) for binary → JSON
  std::string bfbs;                   // binary schema for the reflection verifier
};

namespace {

void put_error(char *err, size_t err_len, const std::string &message) {
  if (err == nullptr || err_len == 0) return;
  size_t n = message.size() < err_len - 1 ? message.size() : err_len - 1;
  std::memcpy(err, message.data(), n);
  err[n] = '\0';
}

flatbuffers::IDLOptions json_options() {
  flatbuffers::IDLOptions opts;
  opts.strict_json = true;
  opts.indent_step = 2;
  opts.output_default_scalars_in_json = false;
  opts.output_enum_identifiers = true;
  return opts;
}

}  // namespace

extern "C" cfb_schema *cfb_schema_create(const char *fbs, char *err, size_t err_len) {
  if (fbs == nullptr) {
    put_error(err, err_len, "no schema text");
    return nullptr;
  }
  std::unique_ptr<cfb_schema> schema(new cfb_schema{fbs, flatbuffers::Parser(json_options()), {}});
  if (!schema->text_parser.Parse(schema->source.c_str())) {
    put_error(err, err_len, "schema: " + schema->text_parser.error_);
    return nullptr;
  }
  flatbuffers::Parser serializer;
  if (!serializer.Parse(schema->source.c_str())) {
    put_error(err, err_len, "schema: " + serializer.error_);
    return nullptr;
  }
  serializer.Serialize();
  schema->bfbs.assign(reinterpret_cast<const char *>(serializer.builder_.GetBufferPointer()),
                      serializer.builder_.GetSize());
  return schema.release();
}

extern "C" void cfb_schema_destroy(cfb_schema *schema) { delete schema; }

extern "C" int cfb_verify(const cfb_schema *schema, const uint8_t *buf, size_t len,
                          unsigned max_depth, unsigned max_tables, char *err, size_t err_len) {
  if (schema == nullptr || buf == nullptr) {
    put_error(err, err_len, "nothing to verify");
    return 0;
  }
  // A FlatBuffer addresses at most 2 GiB; data past that (large-model buffers, the zip of
  // associated files) is outside the FlatBuffer and is checked by the caller.
  const size_t limit = FLATBUFFERS_MAX_BUFFER_SIZE - 1;
  if (len > limit) len = limit;
  if (len < 8) {
    put_error(err, err_len, "buffer too small to be a FlatBuffer");
    return 0;
  }
  const auto *reflected = reflection::GetSchema(schema->bfbs.data());
  const auto *root = reflected->root_table();
  if (root == nullptr) {
    put_error(err, err_len, "schema has no root type");
    return 0;
  }
  if (!flatbuffers::Verify(*reflected, *root, buf, len, max_depth, max_tables)) {
    put_error(err, err_len, "FlatBuffer verification failed (offsets, sizes or nesting out of bounds)");
    return 0;
  }
  return 1;
}

namespace {

// libflatbuffers' JSON printer reads a union's value through its `_type` field and asserts
// (or, built without assertions, dereferences null) when the value is present without a type.
// The verifier accepts such buffers (it skips a union whose type is NONE), so every union of a
// verified buffer is checked here before printing: a present value needs a known, non-NONE type.
// `path` names the offending field for the error message.
bool unions_have_types(const reflection::Schema &schema, const reflection::Object &object,
                       const flatbuffers::Table &table, int depth, std::string &path) {
  if (depth > 64 || object.fields() == nullptr) return false;
  for (const auto *field : *object.fields()) {
    const auto *type = field->type();
    const std::string name = field->name() ? field->name()->str() : "?";
    switch (type->base_type()) {
      case reflection::Union: {
        if (!table.CheckField(field->offset())) break;
        const auto *type_field = object.fields()->LookupByKey((name + "_type").c_str());
        const int64_t tag = type_field ? flatbuffers::GetAnyFieldI(table, *type_field) : 0;
        const auto *union_def = schema.enums() ? schema.enums()->Get(type->index()) : nullptr;
        const auto *member = (union_def && union_def->values()) ? union_def->values()->LookupByKey(tag) : nullptr;
        if (tag == 0 || member == nullptr || member->union_type() == nullptr) {
          path = name + ": a union value without a valid type";
          return false;
        }
        const auto *sub = flatbuffers::GetFieldT(table, *field);
        const auto *sub_object = schema.objects()->Get(member->union_type()->index());
        if (sub != nullptr && !sub_object->is_struct() &&
            !unions_have_types(schema, *sub_object, *sub, depth + 1, path)) {
          path = name + "." + path;
          return false;
        }
        break;
      }
      case reflection::Obj: {
        const auto *sub_object = schema.objects()->Get(type->index());
        if (sub_object->is_struct()) break;
        const auto *sub = flatbuffers::GetFieldT(table, *field);
        if (sub != nullptr && !unions_have_types(schema, *sub_object, *sub, depth + 1, path)) {
          path = name + "." + path;
          return false;
        }
        break;
      }
      case reflection::Vector: {
        if (type->element() == reflection::Union) {
          if (table.CheckField(field->offset())) {
            path = name + ": vectors of unions are not supported";
            return false;
          }
          break;
        }
        if (type->element() != reflection::Obj) break;
        const auto *sub_object = schema.objects()->Get(type->index());
        if (sub_object->is_struct()) break;
        const auto *vector = flatbuffers::GetFieldV<flatbuffers::Offset<flatbuffers::Table>>(table, *field);
        if (vector == nullptr) break;
        for (flatbuffers::uoffset_t i = 0; i < vector->size(); ++i) {
          const auto *element = vector->Get(i);
          if (element != nullptr && !unions_have_types(schema, *sub_object, *element, depth + 1, path)) {
            path = name + "[" + std::to_string(i) + "]." + path;
            return false;
          }
        }
        break;
      }
      default:
        break;
    }
  }
  return true;
}

}  // namespace

extern "C" char *cfb_to_json(const cfb_schema *schema, const uint8_t *buf, size_t len,
                             char *err, size_t err_len) {
  if (cfb_verify(schema, buf, len, 64, 1000000, err, err_len) == 0) return nullptr;
  const auto *reflected = reflection::GetSchema(schema->bfbs.data());
  std::string path;
  if (!unions_have_types(*reflected, *reflected->root_table(), *flatbuffers::GetAnyRoot(buf), 0, path)) {
    put_error(err, err_len, path);
    return nullptr;
  }
  std::string text;
  if (!flatbuffers::GenerateText(schema->text_parser, buf, &text)) {
    put_error(err, err_len, "cannot render the buffer as JSON");
    return nullptr;
  }
  char *out = static_cast<char *>(std::malloc(text.size() + 1));
  if (out == nullptr) {
    put_error(err, err_len, "out of memory");
    return nullptr;
  }
  std::memcpy(out, text.data(), text.size());
  out[text.size()] = '\0';
  return out;
}

extern "C" uint8_t *cfb_from_json(const cfb_schema *schema, const char *json, size_t *out_len,
                                  char *err, size_t err_len) {
  if (schema == nullptr || json == nullptr || out_len == nullptr) {
    put_error(err, err_len, "nothing to parse");
    return nullptr;
  }
  flatbuffers::Parser parser(json_options());
  if (!parser.Parse(schema->source.c_str())) {
    put_error(err, err_len, "schema: " + parser.error_);
    return nullptr;
  }
  if (!parser.ParseJson(json)) {
    put_error(err, err_len, parser.error_);
    return nullptr;
  }
  const size_t size = parser.builder_.GetSize();
  auto *out = static_cast<uint8_t *>(std::malloc(size == 0 ? 1 : size));
  if (out == nullptr) {
    put_error(err, err_len, "out of memory");
    return nullptr;
  }
  std::memcpy(out, parser.builder_.GetBufferPointer(), size);
  *out_len = size;
  return out;
}

extern "C" void cfb_free(void *p) { std::free(p); }

extern "C" const char *cfb_enum_name(const cfb_schema *schema, const char *enum_name,
                                     int64_t value) {
  if (schema == nullptr || enum_name == nullptr) return nullptr;
  const auto *reflected = reflection::GetSchema(schema->bfbs.data());
  const auto *enums = reflected->enums();
  if (enums == nullptr) return nullptr;
  const auto *definition = enums->LookupByKey(enum_name);
  if (definition == nullptr || definition->values() == nullptr) return nullptr;
  const auto *entry = definition->values()->LookupByKey(value);
  if (entry == nullptr || entry->name() == nullptr) return nullptr;
  return entry->name()->c_str();
}
