#!/usr/bin/env bash
# Interpreter benchmark against LiteRT (see docs/BENCHMARKS.md). Needs network once for the venv.
set -euo pipefail
cd "$(dirname "$0")/.."
python=$(scripts/venv.sh)
swift build -c release --product tflrun
"$python" scripts/bench/make_models.py
"$python" scripts/bench/compare.py "$@"
