#!/usr/bin/env bash
# The C kernels' AArch64 (NEON, dot product) variants against plain loops, under emulation:
# cross-compiles Sources/CTFLiteKernels with scripts/neon/check.c for arm64 (Debian's
# gcc-aarch64-linux-gnu) and runs it with qemu-user on a CPU with the dot product and on a
# Cortex-A72 (Raspberry Pi 4) without it. Installs both from apt when missing (root).
# Checks results only: emulated timings mean nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v aarch64-linux-gnu-gcc >/dev/null || ! command -v qemu-aarch64 >/dev/null; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo=sudo
  packages=(gcc-aarch64-linux-gnu qemu-user)
  $sudo apt-get install -y -qq "${packages[@]}" >/dev/null 2>&1 ||
    { $sudo apt-get update -qq && $sudo apt-get install -y -qq "${packages[@]}" >/dev/null; }
fi
# -ffp-contract=off: GCC would otherwise fuse separate multiplies and adds (intrinsics included)
# where the kernels round each, as clang (the package's compiler) does; fused steps are written
# as fmaf or vfmaq.
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
aarch64-linux-gnu-gcc -O2 -std=gnu11 -ffp-contract=off -Wall -ISources/CTFLiteKernels/include -o "$out/check" \
  scripts/neon/check.c Sources/CTFLiteKernels/*.c -lpthread -lm
for cpu in max cortex-a72; do
  echo "== qemu-aarch64 -cpu $cpu"
  qemu-aarch64 -cpu "$cpu" -L /usr/aarch64-linux-gnu "$out/check"
done
