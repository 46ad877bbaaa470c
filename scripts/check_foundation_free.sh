#!/usr/bin/env bash
# tflquant links only FoundationEssentials on Linux, not Foundation, FoundationInternationalization
# or ICU: 7 MB less resident memory per process (the peak-memory bound of issue #23 counts it) and
# no ICU data to ship with apps that embed TFLiteRuntime. Fails naming the library when a module
# in the binary's closure imports Foundation again (see docs/INTERNALS.md, "Foundation").
#
#   scripts/check_foundation_free.sh BINARY...
set -euo pipefail
[ "$(uname -s)" = Linux ] || { echo "check_foundation_free: skipped: Linux only (Apple platforms ship Foundation)"; exit 0; }
status=0
for binary in "$@"; do
  linked=$(ldd "$binary" | grep -oE 'lib(Foundation|FoundationInternationalization|_FoundationICU|FoundationXML|FoundationNetworking)\.so' | sort -u || true)
  if [ -n "$linked" ]; then
    echo "check_foundation_free: $binary links $(echo $linked) (import FoundationEssentials under #if canImport instead of Foundation)" >&2
    status=1
  else
    echo "check_foundation_free: $(basename "$binary") links FoundationEssentials only"
  fi
done
exit $status
