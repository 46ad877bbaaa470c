#!/usr/bin/env bash
# Writes docs/API.md from the library products' symbol graphs (`swift package dump-symbol-graph`);
# with --check, fails when docs/API.md is stale or a listed symbol has no doc comment.
#   scripts/api_list.sh [--check]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
SWIFT="${SWIFT:-swift}"
# (It reports a failure for the C targets, whose graphs are not needed; the Swift ones must exist.)
"$SWIFT" package dump-symbol-graph --skip-synthesized-members >/dev/null 2>&1 || true
DIR="$("$SWIFT" build --show-bin-path)/../symbolgraph"
for module in TFLiteRuntime TFLiteImageIO TFLiteModel TFLiteMetadata TFLiteCodegen TFLiteQuantizer; do
  [ -f "$DIR/$module.symbols.json" ] || { echo "api_list: no symbol graph for $module in $DIR"; exit 1; }
done
if [ "${1:-}" = "--check" ]; then
  python3 scripts/api_list.py "$DIR" --check docs/API.md
else
  python3 scripts/api_list.py "$DIR" docs/API.md
fi
