#!/usr/bin/env bash
# The C kernels' AArch64 (NEON, dot product) variants against plain loops, under emulation:
# cross-compiles Sources/CTFLiteKernels with scripts/neon/check.c for arm64 (Debian's
# gcc-aarch64-linux-gnu, and the Swift toolchain's clang where it can) and runs it with qemu-user
# on a CPU with the dot product and on a Cortex-A72 (Raspberry Pi 4) without it. Installs GCC and
# qemu from apt when missing (root).
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
# as fmaf or vfmaq. The package's own compiler builds the same check too where it can (the Swift
# toolchain's clang and lld, with GCC's arm64 libraries).
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
sources=(scripts/neon/check.c Sources/CTFLiteKernels/*.c)
aarch64-linux-gnu-gcc -O2 -std=gnu11 -ffp-contract=off -Wall -Wno-unknown-pragmas -ISources/CTFLiteKernels/include -o "$out/check-gcc" \
  "${sources[@]}" -lpthread -lm
builds=(gcc)
swift_bin=$(dirname "$(command -v swift 2>/dev/null || echo /opt/swift/usr/bin/swift)")
for clang in "$swift_bin/clang" clang; do
  if command -v "$clang" >/dev/null &&
     "$clang" --target=aarch64-linux-gnu -fuse-ld=lld -O2 -std=gnu11 -ISources/CTFLiteKernels/include \
       -o "$out/check-clang" "${sources[@]}" -lpthread -lm 2>/dev/null; then
    builds+=(clang)
    break
  fi
done
[ "${#builds[@]}" = 2 ] || echo "(no clang here builds for arm64: GCC's build only)"
for build in "${builds[@]}"; do
  for cpu in max cortex-a72; do
    echo "== $build, qemu-aarch64 -cpu $cpu"
    qemu-aarch64 -cpu "$cpu" -L /usr/aarch64-linux-gnu "$out/check-$build"
  done
done
