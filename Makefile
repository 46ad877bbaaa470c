# make test  — install what is missing (Debian), build, run every test.
# make demo  — build and show what the tools do on a sample model.
SWIFT ?= swift
APT_PACKAGES := libflatbuffers-dev libzip-dev pkg-config libpng-dev libjpeg62-turbo-dev
CONFIG ?= debug

.PHONY: deps build test demo release fixtures bench embed clean interop check-schemas docs api api-check hidden-libraries quant-reference

deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq $$missing; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq $$missing; fi; \
	fi

build: deps
	$(SWIFT) build -c $(CONFIG)

release: deps
	$(SWIFT) build -c release

test: deps
	$(SWIFT) build -c $(CONFIG)
	$(SWIFT) test -c $(CONFIG)
	scripts/check_neon.sh
	$(MAKE) api-check
	$(MAKE) docs
	scripts/check_hidden_libraries.sh "$$($(SWIFT) build -c $(CONFIG) --show-bin-path)/tflcodegen"
	scripts/check_foundation_free.sh "$$($(SWIFT) build -c $(CONFIG) --show-bin-path)/tflquant"

# TFLiteRuntime builds and runs a generated wrapper with libflatbuffers and libzip hidden (root only).
hidden-libraries: build
	scripts/check_hidden_libraries.sh "$$($(SWIFT) build -c $(CONFIG) --show-bin-path)/tflcodegen"

# docs/API.md: the public API of the library products, from their symbol graphs.
api:
	scripts/api_list.sh
# Fails when docs/API.md is stale or a symbol on it has no doc comment.
api-check:
	scripts/api_list.sh --check

# DocC archives of the library products (swift-docc-plugin), into docs-out/ (not committed);
# DocC warnings are errors.
DOC_TARGETS := TFLiteRuntime TFLiteImageIO TFLiteMetadata TFLiteCodegen TFLiteQuantizer
docs:
	@mkdir -p docs-out
	@for t in $(DOC_TARGETS); do \
	  $(SWIFT) package --allow-writing-to-directory docs-out generate-documentation --target $$t \
	    --output-path docs-out/$$t.doccarchive --warnings-as-errors || exit 1; \
	done

demo: release
	scripts/demo.sh

# Regenerate committed fixtures with the real TensorFlow, LiteRT and tflite-support (needs network once):
# the metadata fixtures, the interpreter's models, the sparse-weight models, and every conformance case of the catalogue
# (scripts/make_conformance.py: converter-built, handmade and whole-model cases).
fixtures:
	$$(scripts/venv.sh) scripts/make_fixtures.py
	$$(scripts/venv.sh) scripts/make_interpreter_fixtures.py
	$$(scripts/venv.sh) scripts/make_sparse_fixtures.py
	$$(scripts/venv.sh) scripts/make_conformance.py

# Check schemas/tflite.fbs and schemas/metadata.fbs field by field against the upstream schemas
# (TensorFlow's and tflite-support's, from the venv; needs flatc), and decode a real converted
# model with its metadata through them (creates the venv; needs network once).
check-schemas: deps
	@command -v flatc >/dev/null || { echo "check-schemas needs flatc: apt-get install flatbuffers-compiler"; exit 1; }
	$$(scripts/venv.sh) scripts/check_schemas.py --real-files

bench: release
	scripts/bench.sh

# Quantization reference (scripts/quant/, docs/QUANTIZATION.md): the six networks and the TF
# converter's models of them, litert-quantizer's, then tflquant against both (rewrites the Results
# section). Outputs in bench-out/quant/; slow (tens of minutes), needs the venv.
quant-reference: release
	$$(scripts/venv.sh) scripts/quant/make_reference.py
	$$(scripts/venv.sh) scripts/quant/lq_quantize.py
	$$(scripts/venv.sh) scripts/quant/compare.py --tflquant .build/release/tflquant --tflrun .build/release/tflrun --write-docs

# Re-embed schemas/*.fbs and templates/*.mustache into the committed Swift sources (after editing them),
# and regenerate the named operator codes and options structs from schemas/tflite.fbs.
embed:
	$(SWIFT) build --product embed-resources
	$$($(SWIFT) build --show-bin-path)/embed-resources EmbeddedSchemas Sources/TFLiteMetadata/Generated/EmbeddedSchemas.swift schemas/*.fbs
	$$($(SWIFT) build --show-bin-path)/embed-resources --schema-accessors Sources/TFLiteModel/Generated schemas/tflite.fbs
	$$($(SWIFT) build --show-bin-path)/embed-resources --schema-layout Sources/TFLiteModel/Generated schemas
	$$($(SWIFT) build --show-bin-path)/embed-resources EmbeddedTemplates Sources/TFLiteCodegen/Generated/EmbeddedTemplates.swift templates/*.mustache

clean:
	rm -rf .build

# Interop checks with the real tflite-support and LiteRT (creates the venv; needs network once).
# `make test` runs the same checks whenever the venv is present.
interop: deps
	scripts/venv.sh >/dev/null
	$(SWIFT) build -c $(CONFIG)
	$(SWIFT) test -c $(CONFIG) --filter Interop
