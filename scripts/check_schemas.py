#!/usr/bin/env python3
"""Check that our FlatBuffers schemas in schemas/ are binary-compatible with
the reference TFLite schemas. Run it with the project venv (scripts/venv.sh).

What is compared:

* schemas/metadata.fbs against the metadata_schema.fbs shipped in the
  tflite-support wheel: both are compiled with `flatc -b --schema` and the two
  binary schemas (.bfbs) are compared through reflection: file identifier,
  extension and root table; every object (struct flag, size, alignment) and
  field (name, id, offset, base/element type, referenced type, defaults,
  deprecated/required/key/optional, padding); every enum and union (underlying
  type, values, member order and member tables). flatc 2.0.8 leaves built-in
  attributes such as force_align out of .bfbs files, so the attributes are
  also compared from the schema text, and `flatc --conform` is run as flatc's
  own evolution check. As a second opinion the compiled schema is compared
  with tflite-support's generated Python module.

* schemas/tflite.fbs against TensorFlow's generated Python module
  (tensorflow/lite/python/schema_py_generated.py), because the wheel does not
  ship the model .fbs. From the module we recover every enum and its values,
  every union and its member order, every table with its slot count, and for
  each field its slot number (builder.Prepend*Slot(N, ...)), scalar kind,
  default, vector element kind and size, referenced table or union, and which
  slots are deprecated (no accessor). What the module cannot express (the enum
  a scalar field uses, force_align, types of deprecated fields) is listed in
  MODEL_ENUM_FIELDS / MODEL_DEPRECATED / MODEL_FORCE_ALIGN below.

* --real-files: a tiny Keras model is converted with TensorFlow and tagged
  with tflite-support's image classifier metadata writer. Both buffers are
  decoded with `flatc --json --strict-json --raw-binary` and our schemas; the
  JSON is compared field by field with the object tree of the reference
  Python readers, the metadata JSON must equal tflite-support's own JSON, and
  JSON -> binary -> reference reader must give the same objects again.

Usage:  .venv/bin/python scripts/check_schemas.py [--real-files] [--dump-reference]
                                                  [--model X.fbs] [--metadata Y.fbs]

  --dump-reference  print the facts read from the Python modules and exit.
  --model/--metadata  check other schema files (e.g. a draft) instead.

Every difference is printed on a line starting with "DIFF". Exit status is 0
when no difference was found, 1 otherwise.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

from flatbuffers import encode, number_types, packer
from flatbuffers.table import Table

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUR_MODEL = os.path.join(ROOT, "schemas", "tflite.fbs")
OUR_METADATA = os.path.join(ROOT, "schemas", "metadata.fbs")
FLATC = shutil.which("flatc") or "/usr/bin/flatc"


def site_file(module, *rel):
    """Path of a file that lives next to an importable (not imported) module."""
    import importlib.util
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = os.path.join(list(spec.submodule_search_locations)[0], *rel)
    return path if os.path.exists(path) else None


# ---------------------------------------------------------------------------
# Minimal reader for binary schemas (.bfbs). Slot numbers follow
# reflection.fbs as it ships with flatc 2.0.8 (see reflection_generated.h).
# ---------------------------------------------------------------------------

BASE_TYPES = ["None", "UType", "Bool", "Byte", "UByte", "Short", "UShort",
              "Int", "UInt", "Long", "ULong", "Float", "Double", "String",
              "Vector", "Obj", "Union", "Array"]
SCALAR_SIZE = {"UType": 1, "Bool": 1, "Byte": 1, "UByte": 1, "Short": 2,
               "UShort": 2, "Int": 4, "UInt": 4, "Long": 8, "ULong": 8,
               "Float": 4, "Double": 8}


def _vt(slot):
    return 4 + 2 * slot


def _scalar(t, slot, flags, default):
    o = t.Offset(_vt(slot))
    return t.Get(flags, o + t.Pos) if o else default


def _string(t, slot):
    o = t.Offset(_vt(slot))
    return t.String(o + t.Pos).decode("utf-8") if o else None


def _table(t, slot):
    o = t.Offset(_vt(slot))
    return Table(t.Bytes, t.Indirect(o + t.Pos)) if o else None


def _tables(t, slot):
    o = t.Offset(_vt(slot))
    if not o:
        return []
    a = t.Vector(o)
    return [Table(t.Bytes, t.Indirect(a + 4 * i)) for i in range(t.VectorLen(o))]


def _attrs(t, slot):
    return {_string(kv, 0): _string(kv, 1) for kv in _tables(t, slot)}


def _type(t):
    return {
        "base": BASE_TYPES[_scalar(t, 0, number_types.Int8Flags, 0)],
        "element": BASE_TYPES[_scalar(t, 1, number_types.Int8Flags, 0)],
        "index": _scalar(t, 2, number_types.Int32Flags, -1),
        "fixed_length": _scalar(t, 3, number_types.Uint16Flags, 0),
        "base_size": _scalar(t, 4, number_types.Uint32Flags, 4),
        "element_size": _scalar(t, 5, number_types.Uint32Flags, 0),
    }


def read_bfbs(path):
    """Decode a .bfbs file into plain dicts with resolved type names."""
    buf = bytearray(open(path, "rb").read())
    root = Table(buf, encode.Get(packer.uoffset, buf, 0))
    raw_objects = _tables(root, 0)
    raw_enums = _tables(root, 1)
    obj_names = [_string(o, 0) for o in raw_objects]
    enum_names = [_string(e, 0) for e in raw_enums]

    def resolve(ty):
        # Type.index points into objects for Obj / vectors of Obj, and into
        # enums for unions, union types and enum-typed scalars.
        ty = dict(ty)
        idx = ty.pop("index")
        kind = ty["element"] if ty["base"] in ("Vector", "Array") else ty["base"]
        if idx < 0:
            ty["ref"] = None
        elif kind == "Obj":
            ty["ref"] = obj_names[idx]
        else:
            ty["ref"] = enum_names[idx]
        return ty

    objects = {}
    for o in raw_objects:
        fields = []
        for f in _tables(o, 1):
            ty = _type(_table(f, 1))
            fields.append({
                "name": _string(f, 0),
                "type": resolve(ty),
                "id": _scalar(f, 2, number_types.Uint16Flags, 0),
                "offset": _scalar(f, 3, number_types.Uint16Flags, 0),
                "default_integer": _scalar(f, 4, number_types.Int64Flags, 0),
                "default_real": _scalar(f, 5, number_types.Float64Flags, 0.0),
                "deprecated": bool(_scalar(f, 6, number_types.BoolFlags, 0)),
                "required": bool(_scalar(f, 7, number_types.BoolFlags, 0)),
                "key": bool(_scalar(f, 8, number_types.BoolFlags, 0)),
                "attributes": _attrs(f, 9),
                "optional": bool(_scalar(f, 11, number_types.BoolFlags, 0)),
                "padding": _scalar(f, 12, number_types.Uint16Flags, 0),
            })
        fields.sort(key=lambda f: f["id"])
        objects[_string(o, 0)] = {
            "fields": fields,
            "is_struct": bool(_scalar(o, 2, number_types.BoolFlags, 0)),
            "minalign": _scalar(o, 3, number_types.Int32Flags, 0),
            "bytesize": _scalar(o, 4, number_types.Int32Flags, 0),
            "attributes": _attrs(o, 5),
        }
    enums = {}
    for e in raw_enums:
        values = []
        for v in _tables(e, 1):
            ut = _table(v, 3)
            values.append({
                "name": _string(v, 0),
                "value": _scalar(v, 1, number_types.Int64Flags, 0),
                "union_type": resolve(_type(ut))["ref"] if ut else None,
            })
        values.sort(key=lambda v: v["value"])
        enums[_string(e, 0)] = {
            "values": values,
            "is_union": bool(_scalar(e, 2, number_types.BoolFlags, 0)),
            "underlying": _type(_table(e, 3))["base"],
            "attributes": _attrs(e, 4),
        }
    root_table = _table(root, 4)
    return {
        "objects": objects,
        "enums": enums,
        "file_ident": _string(root, 2),
        "file_ext": _string(root, 3),
        "root_table": _string(root_table, 0) if root_table else None,
    }


def compile_bfbs(fbs, outdir, tag):
    dest = os.path.join(outdir, tag)
    os.makedirs(dest, exist_ok=True)
    cmd = [FLATC, "-b", "--schema", "-o", dest, fbs]
    res = subprocess.run(cmd, capture_output=True, text=True)
    if res.returncode != 0:
        raise SystemExit("flatc failed on %s:\n%s%s" % (fbs, res.stdout, res.stderr))
    base = os.path.splitext(os.path.basename(fbs))[0]
    return read_bfbs(os.path.join(dest, base + ".bfbs"))


def schema_attributes(path):
    """Attributes written in a .fbs file, keyed by (type, field) and
    (type, None) for the type itself. flatc 2.0.8 leaves built-in attributes
    such as force_align out of .bfbs files, so they are read from the text."""
    text = open(path).read()
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)

    def attrs(group):
        out = {}
        for item in (group or "").split(","):
            if item.strip():
                k, _, v = item.partition(":")
                out[k.strip()] = v.strip().strip('"') if v else ""
        return out

    result = {}
    for m in re.finditer(r"\b(table|struct)\s+(\w+)\s*(?:\(([^)]*)\))?\s*\{(.*?)\}", text, re.S):
        tname, body = m.group(2), m.group(4)
        a = attrs(m.group(3))
        if a:
            result[(tname, None)] = a
        for decl in body.split(";"):
            fm = re.match(r"\s*(\w+)\s*:[^()]*?(?:\(([^)]*)\))?\s*$", decl)
            if fm and fm.group(2):
                result[(tname, fm.group(1))] = attrs(fm.group(2))
    return result


def compare_attributes(ours, ref, label, rep):
    for key in sorted(set(ours) | set(ref), key=lambda k: (k[0], k[1] or "")):
        where = "%s.%s" % key if key[1] else key[0]
        rep.ok(ours.get(key) == ref.get(key), "%s: attributes of %s are %r, reference has %r"
               % (label, where, ours.get(key), ref.get(key)))


def conform(ref_fbs, our_fbs, label, rep):
    """flatc's own evolution check: would data written with the reference
    schema be read correctly with ours?"""
    res = subprocess.run([FLATC, "--conform", ref_fbs, our_fbs], capture_output=True, text=True)
    # Style warnings (e.g. about the upstream name sentencePiece_model) are
    # expected; anything else is a failure.
    lines = [l for l in (res.stdout + res.stderr).splitlines()
             if l.strip() and l.strip() != "warning:" and ": warning: " not in l]
    rep.ok(res.returncode == 0 and not lines,
           "%s: flatc --conform reports (rc=%d): %s" % (label, res.returncode, "\n".join(lines)))


# ---------------------------------------------------------------------------
# Facts recovered from flatc-generated Python modules.
# ---------------------------------------------------------------------------

PREPEND_TO_BASE = {"Bool": "Bool", "Int8": "Byte", "Uint8": "UByte",
                   "Int16": "Short", "Uint16": "UShort", "Int32": "Int",
                   "Uint32": "UInt", "Int64": "Long", "Uint64": "ULong",
                   "Float32": "Float", "Float64": "Double"}


def upper_camel(snake):
    """flatc's Python naming for methods: split on '_', upper-case each part's
    first letter and keep the rest as written."""
    return "".join(p[:1].upper() + p[1:] for p in snake.split("_") if p)


def parse_py_module(path):
    src = open(path).read()
    ns = re.search(r"^# namespace: (\S+)", src, re.M)
    ident = re.search(r'BufferHasIdentifier\(buf, offset, b"([^"]*)"', src)
    facts = {"namespace": ns.group(1) if ns else "",
             "file_ident": ident.group(1).encode().decode("unicode_escape") if ident else None,
             "enums": {}, "unions": {}, "tables": {}}

    # Split the file into top-level blocks.
    blocks = re.split(r"^(?=class |def )", src, flags=re.M)
    classes = {}
    funcs = {}
    order = []
    for b in blocks:
        m = re.match(r"class (\w+)\(object\):", b)
        if m:
            classes[m.group(1)] = b
            order.append(m.group(1))
            continue
        m = re.match(r"def (\w+)\(", b)
        if m:
            funcs[m.group(1)] = b

    for name in order:
        body = classes[name]
        if "__slots__ = ['_tab']" in body:
            facts["tables"][name] = {"order": len(facts["tables"])}
            continue
        if name.endswith("T") and name[:-1] in classes:
            continue  # object-API mirror class
        vals = re.findall(r"^    (\w+) = (-?\d+)\s*$", body, re.M)
        if not vals:
            continue
        if name + "Creator" in funcs:
            facts["unions"][name] = [(n, int(v)) for n, v in vals]
        else:
            facts["enums"][name] = [(n, int(v)) for n, v in vals]

    for tname, t in facts["tables"].items():
        start = funcs.get(tname + "Start", "")
        m = re.search(r"StartObject\((\d+)\)", start)
        t["num_slots"] = int(m.group(1)) if m else None
        body = classes[tname]
        # Accessors: method name -> (vtable offset, body).
        acc = {}
        for am in re.finditer(r"    def (\w+)\(self(?:, j)?\):\n(.*?)(?=\n    (?:#|def |@)|\Z)",
                              body, re.S):
            om = re.search(r"self\._tab\.Offset\((\d+)\)", am.group(2))
            if om:
                acc[am.group(1)] = (int(om.group(1)), am.group(2))
        t["accessor_slots"] = sorted({(o - 4) // 2 for o, _ in acc.values()})
        # Union names from the object-API unpacker.
        union_of = {}
        tbody = classes.get(tname + "T", "")
        for um in re.finditer(r"self\.(\w+) = (\w+)Creator\(", tbody):
            union_of[um.group(1)] = um.group(2)
        fields = {}
        prefix = tname + "Add"
        for fname, fbody in funcs.items():
            if not fname.startswith(prefix):
                continue
            method = fname[len(prefix):]
            pm = re.search(r"builder\.Prepend(\w+)Slot\((\d+), (.*), ([^,()]+)\)\s*$",
                           fbody.strip().splitlines()[-1])
            if not pm:
                continue
            kind, slot, default = pm.group(1), int(pm.group(2)), pm.group(4).strip()
            f = {"method": method, "slot": slot}
            if kind == "UOffsetTRelative":
                f["kind"] = "offset"
                abody = acc.get(method, (None, ""))[1]
                if "self._tab.Union(" in abody:
                    f["kind"] = "union"
                    arg = re.search(r"def \w+\(builder, (\w+)\)", fbody).group(1)
                    f["union"] = union_of.get(arg)
                elif "self._tab.Vector(" in abody:
                    f["kind"] = "vector"
                    vm = re.search(r"StartVector\((\d+), numElems, (\d+)\)",
                                   funcs.get(tname + "Start" + method + "Vector", ""))
                    if vm:
                        f["elem_size"] = int(vm.group(1))
                        f["vec_align"] = int(vm.group(2))
                    em = re.search(r"number_types\.(\w+)Flags, a \+", abody)
                    if em:
                        f["elem"] = PREPEND_TO_BASE[em.group(1)]
                    elif "self._tab.String(a" in abody:
                        f["elem"] = "String"
                    else:
                        om = re.search(r"obj = (\w+)\(\)", abody)
                        f["elem"] = "Obj"
                        f["ref"] = om.group(1) if om else None
                elif "self._tab.String(o" in abody:
                    f["kind"] = "string"
                else:
                    om = re.search(r"obj = (\w+)\(\)", abody)
                    f["kind"] = "table"
                    f["ref"] = om.group(1) if om else None
            else:
                f["kind"] = "scalar"
                f["base"] = PREPEND_TO_BASE[kind]
                f["default"] = float(default) if "." in default or "e" in default.lower() \
                    else int(default)
            fields[method] = f
        t["fields"] = fields
    return facts


# ---------------------------------------------------------------------------
# Facts about the model schema that the generated Python cannot express.
# Each entry is (table, field) -> expectation. They were read from the public
# TFLite schema and are checked against our compiled schema.
# ---------------------------------------------------------------------------

MODEL_ROOT = ("tflite.Model", "TFL3", "tflite")
METADATA_ROOT = ("tflite.ModelMetadata", "M001", "tflitemeta")

# Enum used by scalar (or vector-of-scalar) fields: (table, field) -> enum.
MODEL_ENUM_FIELDS = {
    ("VariantSubType", "type"): "TensorType",
    ("Tensor", "type"): "TensorType",
    ("DimensionMetadata", "format"): "DimensionType",
    ("StablehloDotGeneralOptions", "precision_config"): "StablehloPrecisionConfig",
    ("StablehloConvolutionOptions", "precision_config"): "StablehloPrecisionConfig",
    ("StablehloCompareOptions", "comparison_direction"): "StablehloComparisonDirection",
    ("StablehloCompareOptions", "compare_type"): "StablehloComparisonType",
    ("StablehloRngBitGeneratorOptions", "algorithm"): "RngAlgorithm",
    ("Conv2DOptions", "padding"): "Padding",
    ("Conv2DOptions", "fused_activation_function"): "ActivationFunctionType",
    ("Conv2DOptions", "quantized_bias_type"): "TensorType",
    ("Conv3DOptions", "padding"): "Padding",
    ("Conv3DOptions", "fused_activation_function"): "ActivationFunctionType",
    ("Pool2DOptions", "padding"): "Padding",
    ("Pool2DOptions", "fused_activation_function"): "ActivationFunctionType",
    ("DepthwiseConv2DOptions", "padding"): "Padding",
    ("DepthwiseConv2DOptions", "fused_activation_function"): "ActivationFunctionType",
    ("LSHProjectionOptions", "type"): "LSHProjectionType",
    ("SVDFOptions", "fused_activation_function"): "ActivationFunctionType",
    ("RNNOptions", "fused_activation_function"): "ActivationFunctionType",
    ("SequenceRNNOptions", "fused_activation_function"): "ActivationFunctionType",
    ("BidirectionalSequenceRNNOptions", "fused_activation_function"): "ActivationFunctionType",
    ("FullyConnectedOptions", "fused_activation_function"): "ActivationFunctionType",
    ("FullyConnectedOptions", "weights_format"): "FullyConnectedOptionsWeightsFormat",
    ("FullyConnectedOptions", "quantized_bias_type"): "TensorType",
    ("ConcatenationOptions", "fused_activation_function"): "ActivationFunctionType",
    ("AddOptions", "fused_activation_function"): "ActivationFunctionType",
    ("MulOptions", "fused_activation_function"): "ActivationFunctionType",
    ("L2NormOptions", "fused_activation_function"): "ActivationFunctionType",
    ("LSTMOptions", "fused_activation_function"): "ActivationFunctionType",
    ("LSTMOptions", "kernel_type"): "LSTMKernelType",
    ("UnidirectionalSequenceLSTMOptions", "fused_activation_function"): "ActivationFunctionType",
    ("BidirectionalSequenceLSTMOptions", "fused_activation_function"): "ActivationFunctionType",
    ("SubOptions", "fused_activation_function"): "ActivationFunctionType",
    ("DivOptions", "fused_activation_function"): "ActivationFunctionType",
    ("EmbeddingLookupSparseOptions", "combiner"): "CombinerType",
    ("CastOptions", "in_data_type"): "TensorType",
    ("CastOptions", "out_data_type"): "TensorType",
    ("ArgMaxOptions", "output_type"): "TensorType",
    ("ArgMinOptions", "output_type"): "TensorType",
    ("TransposeConvOptions", "padding"): "Padding",
    ("TransposeConvOptions", "fused_activation_function"): "ActivationFunctionType",
    ("TransposeConvOptions", "quantized_bias_type"): "TensorType",
    ("ShapeOptions", "out_type"): "TensorType",
    ("MirrorPadOptions", "mode"): "MirrorPadMode",
    ("UniqueOptions", "idx_out_type"): "TensorType",
    ("HashtableOptions", "key_dtype"): "TensorType",
    ("HashtableOptions", "value_dtype"): "TensorType",
    ("ReduceWindowOptions", "reduce_function"): "ReduceWindowFunction",
    ("OperatorCode", "builtin_code"): "BuiltinOperator",
    ("StableHLOCompositeOptions", "composite_attributes_format"): "CustomOptionsFormat",
    ("Operator", "custom_options_format"): "CustomOptionsFormat",
}

# Deprecated slots: (table, field) -> (slot, base type).
MODEL_DEPRECATED = {
    ("ResizeBilinearOptions", "new_height"): (0, "Int"),
    ("ResizeBilinearOptions", "new_width"): (1, "Int"),
    ("SignatureDef", "deprecated_tag"): (3, "String"),
}

# Vectors whose alignment is raised with force_align.
MODEL_FORCE_ALIGN = {
    ("CustomQuantization", "custom"): "16",
    ("Uint16Vector", "values"): "4",
    ("Uint8Vector", "values"): "4",
    ("Buffer", "data"): "16",
}


# Every attribute the model schema is expected to carry (as written in .fbs).
MODEL_ATTRIBUTES = {k: {"force_align": v} for k, v in MODEL_FORCE_ALIGN.items()}
MODEL_ATTRIBUTES.update({k: {"deprecated": ""} for k in MODEL_DEPRECATED})
# Retired together with the REDUCE_WINDOW op; no effect on the binary.
MODEL_ATTRIBUTES[("ReduceWindowOptions", None)] = {"deprecated": ""}


# ---------------------------------------------------------------------------
# Comparisons.
# ---------------------------------------------------------------------------

class Report:
    def __init__(self):
        self.problems = []
        self.checks = 0

    def ok(self, cond, msg):
        self.checks += 1
        if not cond:
            self.problems.append(msg)
        return cond


def short(name):
    return name.rsplit(".", 1)[-1] if name else name


def compare_bfbs(ours, ref, label, rep):
    """Structural comparison of two decoded binary schemas."""
    for key in ("file_ident", "file_ext", "root_table"):
        rep.ok(ours[key] == ref[key], "%s: %s is %r, reference has %r"
               % (label, key, ours[key], ref[key]))
    for kind in ("objects", "enums"):
        a, b = set(ours[kind]), set(ref[kind])
        for n in sorted(b - a):
            rep.ok(False, "%s: missing %s %s" % (label, kind[:-1], n))
        for n in sorted(a - b):
            rep.ok(False, "%s: extra %s %s (not in reference)" % (label, kind[:-1], n))
    for name in sorted(set(ours["objects"]) & set(ref["objects"])):
        o, r = ours["objects"][name], ref["objects"][name]
        for key in ("is_struct", "minalign", "bytesize", "attributes"):
            rep.ok(o[key] == r[key], "%s: %s.%s is %r, reference has %r"
                   % (label, name, key, o[key], r[key]))
        rep.ok(len(o["fields"]) == len(r["fields"]),
               "%s: %s has %d fields, reference has %d"
               % (label, name, len(o["fields"]), len(r["fields"])))
        for fo, fr in zip(o["fields"], r["fields"]):
            for key in ("name", "id", "offset", "type", "default_integer",
                        "default_real", "deprecated", "required", "key",
                        "optional", "padding", "attributes"):
                rep.ok(fo[key] == fr[key], "%s: %s field #%d (%s): %s is %r, reference has %r"
                       % (label, name, fr["id"], fr["name"], key, fo[key], fr[key]))
    for name in sorted(set(ours["enums"]) & set(ref["enums"])):
        o, r = ours["enums"][name], ref["enums"][name]
        for key in ("is_union", "underlying", "attributes"):
            rep.ok(o[key] == r[key], "%s: enum %s.%s is %r, reference has %r"
                   % (label, name, key, o[key], r[key]))
        ov = [(v["name"], v["value"], v["union_type"]) for v in o["values"]]
        rv = [(v["name"], v["value"], v["union_type"]) for v in r["values"]]
        rep.ok(ov == rv, "%s: enum %s values differ:\n    ours: %s\n    ref:  %s"
               % (label, name, ov, rv))


def compare_with_py(ours, py, label, rep, enum_fields=None, deprecated=None,
                    force_align=None, root=None, text_attrs=None):
    """Compare a decoded binary schema with facts from a generated Python module."""
    ns = py["namespace"] + "." if py["namespace"] else ""
    if root:
        rep.ok((ours["root_table"], ours["file_ident"], ours["file_ext"]) == root,
               "%s: root/identifier/extension are %r, expected %r"
               % (label, (ours["root_table"], ours["file_ident"], ours["file_ext"]), root))
    rep.ok(ours["file_ident"] == py["file_ident"], "%s: file_identifier %r, module has %r"
           % (label, ours["file_ident"], py["file_ident"]))

    # Enums and unions.
    ref_enums = {ns + n: ("enum", v) for n, v in py["enums"].items()}
    ref_enums.update({ns + n: ("union", v) for n, v in py["unions"].items()})
    for n in sorted(set(ref_enums) - set(ours["enums"])):
        rep.ok(False, "%s: missing %s %s" % (label, ref_enums[n][0], n))
    for n in sorted(set(ours["enums"]) - set(ref_enums)):
        rep.ok(False, "%s: extra enum/union %s (not in module)" % (label, n))
    for n in sorted(set(ref_enums) & set(ours["enums"])):
        kind, vals = ref_enums[n]
        e = ours["enums"][n]
        rep.ok(e["is_union"] == (kind == "union"), "%s: %s should be a %s" % (label, n, kind))
        ov = [(v["name"], v["value"]) for v in e["values"]]
        rv = sorted(vals, key=lambda x: x[1])
        if ov != rv:
            diffs = []
            om, rm = dict(ov), dict(rv)
            for k in sorted(set(om) | set(rm), key=lambda k: rm.get(k, om.get(k))):
                if om.get(k) != rm.get(k):
                    diffs.append("%s: ours=%s module=%s" % (k, om.get(k), rm.get(k)))
            rep.ok(False, "%s: %s %s values differ: %s" % (label, kind, n, "; ".join(diffs)))
        else:
            rep.ok(True, "")
        if kind == "union":
            for v in e["values"]:
                if v["value"] == 0:
                    continue
                rep.ok(short(v["union_type"]) == v["name"],
                       "%s: union %s member %s refers to %s"
                       % (label, n, v["name"], v["union_type"]))

    # Tables.
    ref_tables = {ns + n: t for n, t in py["tables"].items()}
    for n in sorted(set(ref_tables) - set(ours["objects"])):
        rep.ok(False, "%s: missing table %s" % (label, n))
    for n in sorted(set(ours["objects"]) - set(ref_tables)):
        rep.ok(False, "%s: extra table %s (not in module)" % (label, n))
    seen_enum_fields = set()
    seen_deprecated = set()
    seen_aligned = set()
    for n in sorted(set(ref_tables) & set(ours["objects"])):
        t, o = ref_tables[n], ours["objects"][n]
        tn = short(n)
        rep.ok(not o["is_struct"], "%s: %s must be a table, not a struct" % (label, n))
        rep.ok(len(o["fields"]) == t["num_slots"], "%s: %s has %d slots, module has %d"
               % (label, n, len(o["fields"]), t["num_slots"]))
        by_method = dict(t["fields"])
        used = set()
        for f in o["fields"]:
            fname, fid, ty = f["name"], f["id"], f["type"]
            where = "%s: %s.%s (slot %d)" % (label, tn, fname, fid)
            if f["deprecated"]:
                rep.ok(fid not in t["accessor_slots"],
                       "%s is deprecated here but the module still reads it" % where)
                exp = (deprecated or {}).get((tn, fname))
                if deprecated is not None:
                    rep.ok(exp is not None and exp == (fid, ty["base"]),
                           "%s deprecated as %s; expected %s" % (where, ty["base"], exp))
                    seen_deprecated.add((tn, fname))
                continue
            if ty["base"] == "UType" and fname.endswith("_type"):
                method = upper_camel(fname[:-5]) + "Type"
            else:
                method = upper_camel(fname)
            pf = by_method.get(method)
            if not rep.ok(pf is not None, "%s: module has no Add%s for it" % (where, method)):
                continue
            used.add(method)
            rep.ok(pf["slot"] == fid, "%s: module puts it at slot %d" % (where, pf["slot"]))
            base = ty["base"]
            if pf["kind"] == "scalar":
                exp_base = "UByte" if base == "UType" else base
                rep.ok(exp_base == pf["base"], "%s: type %s, module writes %s"
                       % (where, base, pf["base"]))
                if base in ("Float", "Double"):
                    rep.ok(float(f["default_real"]) == float(pf["default"]),
                           "%s: default %r, module has %r" % (where, f["default_real"], pf["default"]))
                else:
                    rep.ok(f["default_integer"] == int(pf["default"]),
                           "%s: default %r, module has %r" % (where, f["default_integer"], pf["default"]))
                if base == "UType":
                    continue
            elif pf["kind"] == "string":
                rep.ok(base == "String", "%s: type %s, module reads a string" % (where, base))
            elif pf["kind"] == "table":
                rep.ok(base == "Obj" and short(ty["ref"]) == pf["ref"],
                       "%s: type %s/%s, module reads table %s" % (where, base, ty["ref"], pf["ref"]))
            elif pf["kind"] == "union":
                rep.ok(base == "Union" and short(ty["ref"]) == pf["union"],
                       "%s: type %s/%s, module reads union %s" % (where, base, ty["ref"], pf["union"]))
            elif pf["kind"] == "vector":
                rep.ok(base == "Vector", "%s: type %s, module reads a vector" % (where, base))
                el = ty["element"]
                rep.ok(el == pf.get("elem"), "%s: element %s, module reads %s"
                       % (where, el, pf.get("elem")))
                if pf.get("ref"):
                    rep.ok(short(ty["ref"]) == pf["ref"], "%s: element table %s, module reads %s"
                           % (where, ty["ref"], pf["ref"]))
                esize = SCALAR_SIZE.get(el, 4)
                rep.ok(esize == pf.get("elem_size"), "%s: element size %d, module uses %s"
                       % (where, esize, pf.get("elem_size")))
            # Which enum a scalar uses, and force_align.
            if enum_fields is not None and base not in ("Obj", "Union", "String") \
                    and ty["element"] not in ("Obj", "String"):
                exp = enum_fields.get((tn, fname))
                got = short(ty["ref"]) if ty["ref"] else None
                if exp or got:
                    rep.ok(exp == got, "%s: uses enum %s, expected %s" % (where, got, exp))
                    seen_enum_fields.add((tn, fname))
            if force_align is not None:
                exp = force_align.get((tn, fname))
                got = (text_attrs or {}).get((tn, fname), {}).get("force_align")
                rep.ok(exp == got, "%s: force_align %r, expected %r" % (where, got, exp))
                if exp:
                    seen_aligned.add((tn, fname))
        for m in sorted(set(by_method) - used):
            rep.ok(False, "%s: %s slot %d (Add%s) has no matching field here"
                   % (label, tn, by_method[m]["slot"], m))
    for table, missing in ((enum_fields, set(enum_fields or {}) - seen_enum_fields),
                           (deprecated, set(deprecated or {}) - seen_deprecated),
                           (force_align, set(force_align or {}) - seen_aligned)):
        for k in sorted(missing):
            rep.ok(False, "%s: expected fact about %s.%s was not found" % (label, k[0], k[1]))


# ---------------------------------------------------------------------------
# Real files.
# ---------------------------------------------------------------------------

def flatc_json(schema, binary, outdir):
    res = subprocess.run([FLATC, "--json", "--strict-json", "--raw-binary",
                          "--defaults-json", "-o", outdir, schema, "--", binary],
                         capture_output=True, text=True)
    if res.returncode != 0:
        return None, res.stderr.strip() or res.stdout.strip()
    out = os.path.join(outdir, os.path.splitext(os.path.basename(binary))[0] + ".json")
    return json.load(open(out)), None


class quiet_fds:
    """Send fd 1 and 2 to a file while TensorFlow converts (its C++ logging
    bypasses sys.stdout/sys.stderr)."""

    def __init__(self, path):
        self.path = path

    def __enter__(self):
        sys.stdout.flush()
        sys.stderr.flush()
        self.log = open(self.path, "w")
        self.saved = [os.dup(1), os.dup(2)]
        os.dup2(self.log.fileno(), 1)
        os.dup2(self.log.fileno(), 2)

    def __exit__(self, *exc):
        sys.stdout.flush()
        sys.stderr.flush()
        os.dup2(self.saved[0], 1)
        os.dup2(self.saved[1], 2)
        for fd in self.saved:
            os.close(fd)
        self.log.close()
        return False


def same_object(a, b, path="root"):
    """Recursive equality of flatc object-API objects; returns the first
    difference as a string, or None."""
    import numpy as np
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        a2 = None if a is None else np.asarray(a)
        b2 = None if b is None else np.asarray(b)
        # flatc 2.0.8 prints floats with 6 decimals, so allow for that rounding.
        if a2 is not None and b2 is not None and a2.dtype.kind == "f" and b2.dtype.kind == "f":
            equal = a2.shape == b2.shape and np.allclose(a2, b2, rtol=1e-5, atol=1e-6, equal_nan=True)
        else:
            equal = a2 is None and b2 is None or (
                a2 is not None and b2 is not None and np.array_equal(a2, b2))
        if not equal:
            return "%s: %r != %r" % (path, a, b)
        return None
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        if len(a) != len(b):
            return "%s: length %d != %d" % (path, len(a), len(b))
        for i, (x, y) in enumerate(zip(a, b)):
            d = same_object(x, y, "%s[%d]" % (path, i))
            if d:
                return d
        return None
    if hasattr(a, "__dict__") and hasattr(b, "__dict__"):
        if type(a) is not type(b):
            return "%s: %s != %s" % (path, type(a).__name__, type(b).__name__)
        for k in sorted(set(vars(a)) | set(vars(b))):
            d = same_object(getattr(a, k, None), getattr(b, k, None), path + "." + k)
            if d:
                return d
        return None
    if isinstance(a, float) and isinstance(b, float):
        if (a != a and b != b) or abs(a - b) <= 1e-6 + 1e-5 * max(abs(a), abs(b)):
            return None
    return None if a == b else "%s: %r != %r" % (path, a, b)


def roundtrip(schema, binary, tmp, unpack, rep, label):
    """binary -> JSON -> binary with our schema; the generated reference
    reader must see the same object tree in both buffers."""
    doc, err = flatc_json(schema, binary, tmp)
    if not rep.ok(doc is not None, "%s: flatc could not decode it: %s" % (label, err)):
        return None
    sub = os.path.join(tmp, "rt")
    os.makedirs(sub, exist_ok=True)
    jpath = os.path.join(tmp, os.path.splitext(os.path.basename(binary))[0] + ".json")
    res = subprocess.run([FLATC, "-b", "-o", sub, schema, jpath], capture_output=True, text=True)
    if not rep.ok(res.returncode == 0, "%s: flatc could not re-encode the JSON: %s"
                  % (label, res.stderr.strip())):
        return doc
    back = os.path.join(sub, os.path.splitext(os.path.basename(binary))[0] + ".bin")
    for ext in (".tflite", ".tflitemeta", ".bin"):
        cand = os.path.join(sub, os.path.splitext(os.path.basename(binary))[0] + ext)
        if os.path.exists(cand):
            back = cand
    diff = same_object(unpack(bytearray(open(binary, "rb").read())),
                       unpack(bytearray(open(back, "rb").read())))
    rep.ok(diff is None, "%s: JSON round trip through our schema changed %s" % (label, diff))
    return doc


def lower_camel(snake):
    up = upper_camel(snake)
    return up[:1].lower() + up[1:]


def json_vs_object(doc, obj, tname, schema, path="root"):
    """Compare flatc's JSON of a buffer (decoded with our schema: names and
    enum names come from us) with the object tree the reference generated
    reader builds from the same bytes (values found by slot number). Returns
    the first difference or None."""
    import numpy as np
    enums = schema["enums"]

    def enum_value(ref, v):
        if isinstance(v, str) and ref:
            for ev in enums[ref]["values"]:
                if ev["name"] == v:
                    return ev["value"]
        return v

    def scalar_eq(a, b):
        if isinstance(a, float) or isinstance(b, float):
            return abs(float(a) - float(b)) <= 1e-6 + 1e-5 * max(abs(float(a)), abs(float(b)))
        return int(a) == int(b)

    for f in schema["objects"][tname]["fields"]:
        if f["deprecated"]:
            continue
        key, ty = f["name"], f["type"]
        where = "%s.%s" % (path, key)
        val = doc.get(key)
        pv = getattr(obj, lower_camel(key), "<missing>")
        if isinstance(pv, str) and pv == "<missing>":
            return "%s: reference object has no attribute %s" % (where, lower_camel(key))
        base = ty["base"]
        if base in SCALAR_SIZE:
            if not scalar_eq(enum_value(ty["ref"], val), pv):
                return "%s: ours %r, reference %r" % (where, val, pv)
        elif base == "String":
            pv = pv.decode() if isinstance(pv, bytes) else pv
            if val != pv:
                return "%s: ours %r, reference %r" % (where, val, pv)
        elif base in ("Obj", "Union"):
            if (val is None) != (pv is None):
                return "%s: present in one decoding only" % where
            if val is not None:
                sub = ty["ref"] if base == "Obj" else \
                    "%s.%s" % (ty["ref"].rsplit(".", 1)[0], doc[key + "_type"]) \
                    if "." in ty["ref"] else doc[key + "_type"]
                d = json_vs_object(val, pv, sub, schema, where)
                if d:
                    return d
        elif base == "Vector":
            if val is None or pv is None:
                if not (val is None and (pv is None or len(pv) == 0)) and \
                        not (pv is None and val == []):
                    return "%s: present in one decoding only" % where
                continue
            if len(val) != len(pv):
                return "%s: length %d vs %d" % (where, len(val), len(pv))
            for i, (a, b) in enumerate(zip(val, list(pv))):
                el = ty["element"]
                if el == "Obj":
                    d = json_vs_object(a, b, ty["ref"], schema, "%s[%d]" % (where, i))
                    if d:
                        return d
                elif el == "String":
                    b = b.decode() if isinstance(b, bytes) else b
                    if a != b:
                        return "%s[%d]: ours %r, reference %r" % (where, i, a, b)
                elif not scalar_eq(enum_value(ty["ref"], a), b.item() if isinstance(b, np.generic) else b):
                    return "%s[%d]: ours %r, reference %r" % (where, i, a, b)
    return None


def check_real_files(tmp, rep, model_schema, meta_schema):
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import numpy as np
    import tensorflow as tf
    from tensorflow.lite.python import schema_py_generated as tfl

    inp = tf.keras.Input(shape=(8, 8, 3), name="image")
    x = tf.keras.layers.Conv2D(4, 3, activation="relu")(inp)
    x = tf.keras.layers.GlobalAveragePooling2D()(x)
    out = tf.keras.layers.Dense(3, activation="softmax")(x)
    model = tf.keras.Model(inp, out)
    conv = tf.lite.TFLiteConverter.from_keras_model(model)
    conv.optimizations = [tf.lite.Optimize.DEFAULT]
    conv.representative_dataset = lambda: (
        [np.random.rand(1, 8, 8, 3).astype("float32")] for _ in range(4))
    path = os.path.join(tmp, "tiny.tflite")
    with quiet_fds(os.path.join(tmp, "convert.log")):
        data = conv.convert()
    with open(path, "wb") as fh:
        fh.write(data)

    doc = roundtrip(OUR_MODEL, path, tmp,
                    lambda b: tfl.ModelT.InitFromPackedBuf(b, 0), rep, "real model")
    if doc is None:
        return
    ref = tfl.ModelT.InitFromPackedBuf(bytearray(open(path, "rb").read()), 0)
    diff = json_vs_object(doc, ref, "tflite.Model", model_schema)
    rep.ok(diff is None, "real model: our decoding differs from TensorFlow's reader: %s" % diff)
    rep.ok(doc["version"] == ref.version == 3, "real model: version %r" % doc["version"])
    codes = [c["builtin_code"] for c in doc["operator_codes"]]
    names = {v: k for k, v in vars(tfl.BuiltinOperator).items() if not k.startswith("_")}
    rep.ok(codes == [names[c.builtinCode] for c in ref.operatorCodes],
           "real model: operator codes differ: %s" % codes)
    sg, rsg = doc["subgraphs"][0], ref.subgraphs[0]
    rep.ok([t["name"] for t in sg["tensors"]] == [t.name.decode() for t in rsg.tensors],
           "real model: tensor names differ")
    opt_names = {v: k for k, v in vars(tfl.BuiltinOptions).items() if not k.startswith("_")}
    rep.ok([op.get("builtin_options_type", "NONE") for op in sg["operators"]]
           == [opt_names[op.builtinOptionsType] for op in rsg.operators],
           "real model: builtin_options_type differs")
    print("real model: %d operators (%s), %d tensors, %d buffers decoded with schemas/tflite.fbs"
          % (len(sg["operators"]), ", ".join(codes), len(sg["tensors"]), len(doc["buffers"])))

    # Metadata written by tflite-support.
    from tensorflow_lite_support.metadata.python import metadata as md
    from tensorflow_lite_support.metadata.python.metadata_writers import image_classifier
    labels = os.path.join(tmp, "labels.txt")
    with open(labels, "w") as fh:
        fh.write("cat\ndog\nbird\n")
    writer = image_classifier.MetadataWriter.create_for_inference(
        open(path, "rb").read(), [127.5], [127.5], [labels])
    with_md = writer.populate()
    meta = md.MetadataDisplayer.with_model_buffer(with_md)
    meta_path = os.path.join(tmp, "tiny_metadata.bin")
    with open(meta_path, "wb") as fh:
        fh.write(meta.get_metadata_buffer())
    from tensorflow_lite_support.metadata import metadata_schema_py_generated as mdfb
    doc = roundtrip(OUR_METADATA, meta_path, tmp,
                    lambda b: mdfb.ModelMetadataT.InitFromPackedBuf(b, 0), rep, "real metadata")
    if doc is None:
        return
    diff = json_vs_object(doc, mdfb.ModelMetadataT.InitFromPackedBuf(
        bytearray(open(meta_path, "rb").read()), 0), "tflite.ModelMetadata", meta_schema)
    rep.ok(diff is None, "real metadata: our decoding differs from tflite-support's reader: %s" % diff)
    # tflite-support renders the same buffer to JSON with its own schema.
    theirs = json.loads(meta.get_metadata_json())
    ours_plain, err = flatc_json_plain(OUR_METADATA, meta_path, tmp)
    rep.ok(ours_plain == theirs, "real metadata: JSON differs from tflite-support's:\n"
           "    ours:   %s\n    theirs: %s" % (json.dumps(ours_plain)[:2000], json.dumps(theirs)[:2000]))
    props = doc["subgraph_metadata"][0]["input_tensor_metadata"][0]["content"]
    print("real metadata: %s, input content_properties_type=%s, min_parser_version=%s"
          % (doc.get("name"), props.get("content_properties_type"), doc.get("min_parser_version")))

    # Model with metadata: decodes, and the metadata entry points at that buffer.
    md_model = os.path.join(tmp, "tiny_with_md.tflite")
    with open(md_model, "wb") as fh:
        fh.write(with_md)
    doc, err = flatc_json(OUR_MODEL, md_model, tmp)
    if rep.ok(doc is not None, "model with metadata: flatc could not decode it: %s" % err):
        entries = [m["name"] for m in doc.get("metadata", [])]
        rep.ok("TFLITE_METADATA" in entries, "model with metadata: entries %s" % entries)


def flatc_json_plain(schema, binary, outdir):
    """JSON without default values, the way tflite-support prints it."""
    sub = os.path.join(outdir, "plain")
    os.makedirs(sub, exist_ok=True)
    res = subprocess.run([FLATC, "--json", "--strict-json", "--raw-binary",
                          "-o", sub, schema, "--", binary], capture_output=True, text=True)
    if res.returncode != 0:
        return None, res.stderr
    out = os.path.join(sub, os.path.splitext(os.path.basename(binary))[0] + ".json")
    return json.load(open(out)), None


# ---------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--real-files", action="store_true")
    ap.add_argument("--dump-reference", action="store_true")
    ap.add_argument("--model", help="model schema to check (default schemas/tflite.fbs)")
    ap.add_argument("--metadata", help="metadata schema to check (default schemas/metadata.fbs)")
    args = ap.parse_args()
    global OUR_MODEL, OUR_METADATA
    args.model = args.model or OUR_MODEL
    args.metadata = args.metadata or OUR_METADATA
    OUR_MODEL, OUR_METADATA = os.path.abspath(args.model), os.path.abspath(args.metadata)

    tf_py = site_file("tensorflow", "lite", "python", "schema_py_generated.py")
    md_py = site_file("tensorflow_lite_support", "metadata", "metadata_schema_py_generated.py")
    md_fbs = site_file("tensorflow_lite_support", "metadata", "metadata_schema.fbs")
    for what, p in (("TensorFlow schema_py_generated.py", tf_py),
                    ("tflite-support metadata_schema_py_generated.py", md_py),
                    ("tflite-support metadata_schema.fbs", md_fbs)):
        if p is None:
            raise SystemExit("cannot find %s; run with .venv/bin/python (see scripts/venv.sh)" % what)

    model_py = parse_py_module(tf_py)
    meta_py = parse_py_module(md_py)
    if args.dump_reference:
        json.dump({"model": model_py, "metadata": meta_py}, sys.stdout, indent=1, default=str)
        return 0

    rep = Report()
    tmp = tempfile.mkdtemp(prefix="check_schemas_")
    try:
        ours_model = compile_bfbs(OUR_MODEL, tmp, "ours")
        ours_meta = compile_bfbs(OUR_METADATA, tmp, "ours")
        ref_meta = compile_bfbs(md_fbs, tmp, "ref")

        n0 = len(rep.problems)
        compare_with_py(ours_model, model_py, "tflite.fbs vs TF python module", rep,
                        enum_fields=MODEL_ENUM_FIELDS, deprecated=MODEL_DEPRECATED,
                        force_align=MODEL_FORCE_ALIGN, root=MODEL_ROOT,
                        text_attrs=schema_attributes(OUR_MODEL))
        compare_attributes(schema_attributes(OUR_MODEL), MODEL_ATTRIBUTES,
                           "tflite.fbs attributes", rep)
        n1 = len(rep.problems)
        compare_bfbs(ours_meta, ref_meta, "metadata.fbs vs metadata_schema.fbs", rep)
        compare_attributes(schema_attributes(OUR_METADATA), schema_attributes(md_fbs),
                           "metadata.fbs vs metadata_schema.fbs", rep)
        conform(md_fbs, OUR_METADATA, "metadata.fbs vs metadata_schema.fbs", rep)
        n2 = len(rep.problems)
        compare_with_py(ours_meta, meta_py, "metadata.fbs vs metadata python module", rep,
                        root=METADATA_ROOT)
        n3 = len(rep.problems)

        print("tflite.fbs:   %d tables, %d enums/unions (%d unions); %d differences vs %s"
              % (len(ours_model["objects"]), len(ours_model["enums"]),
                 sum(e["is_union"] for e in ours_model["enums"].values()), n1 - n0,
                 os.path.relpath(tf_py, ROOT)))
        print("metadata.fbs: %d tables, %d enums/unions (%d unions); %d differences vs %s, "
              "%d vs its python module"
              % (len(ours_meta["objects"]), len(ours_meta["enums"]),
                 sum(e["is_union"] for e in ours_meta["enums"].values()), n2 - n1,
                 os.path.relpath(md_fbs, ROOT), n3 - n2))
        if args.real_files:
            check_real_files(tmp, rep, ours_model, ours_meta)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    for p in rep.problems:
        print("DIFF " + p)
    print("%d checks, %d differences" % (rep.checks, len(rep.problems)))
    return 1 if rep.problems else 0


if __name__ == "__main__":
    sys.exit(main())
