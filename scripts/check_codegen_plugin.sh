#!/usr/bin/env bash
# Builds Tests/Fixtures/codegen/PluginSample, a package using the TFLiteCodegenPlugin build plugin,
# and runs its demo: the wrapper is generated at build time and the model loads from Bundle.module.
# Usage: scripts/check_codegen_plugin.sh [SCRATCH_DIR]   (default: .build-plugin-sample)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
scratch="${1:-$root/.build-plugin-sample}"
cd "$root/Tests/Fixtures/codegen/PluginSample"
swift build --scratch-path "$scratch" -j 2
"$scratch/debug/flowers-demo"
generated="$(find "$scratch" -path '*TFLiteCodegenPlugin*' -name Flowers.swift | head -1)"
echo "generated: $generated"
head -1 "$generated"
