#!/usr/bin/env bash
# Creates .venv with the real reference tools used to build fixtures and run interop checks:
# TensorFlow (converter), LiteRT (ai-edge-litert), tflite-support and litert-quantizer (the
# quantization reference, scripts/quant/), Pillow and pypng (image fixtures), all from PyPI.
# Note: import tflite-support as `tensorflow_lite_support.metadata.python...`; the `tflite_support`
# package pulls in task bindings that clash with TensorFlow's pybind types.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" = 0 ] && ! ldconfig -p | grep -q libusb-1.0; then
  apt-get install -y -qq libusb-1.0-0 >/dev/null
fi
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
if ! .venv/bin/python -c "import tensorflow, ai_edge_litert, tensorflow_lite_support, sklearn, tf_keras, litert_quantizer, PIL, png" 2>/dev/null; then
  .venv/bin/pip install -q "tensorflow-cpu==2.19.*" "tflite-support==0.4.4" "ai-edge-litert==2.3.*" scikit-learn "tf-keras==2.19.*" "litert-quantizer==0.11.0" pillow pypng
fi
echo "$(pwd)/.venv/bin/python"
