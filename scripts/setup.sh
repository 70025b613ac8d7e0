#!/usr/bin/env bash
# Idempotent setup: the MLIR/LLVM 22 toolchain from Debian, then the npm dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
bindir=""
if command -v llvm-config-22 >/dev/null 2>&1; then bindir=$(llvm-config-22 --bindir); fi
[ -n "$bindir" ] || bindir=/usr/lib/llvm-22/bin
for t in mlir-opt mlir-translate mlir-runner llc wasm-ld; do
  if [ ! -x "$bindir/$t" ]; then need_apt=(mlir-22-tools llvm-22 lld-22); break; fi
done
if [ -z "${TCFUZZ_LLVM_BIN:-}" ] && [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: installing ${need_apt[*]} from Debian" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# npm ci only when the lockfile changed since the last install.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm dependencies" >&2
  npm ci --no-audit --no-fund --loglevel=error
fi

# The native backend's buffer I/O helper (native/bufio.c), rebuilt only when its source is newer.
if [ ! -f build/libtcfuzz_bufio.so ] || [ native/bufio.c -nt build/libtcfuzz_bufio.so ]; then
  if command -v "${CC:-cc}" >/dev/null 2>&1; then
    echo "setup: building build/libtcfuzz_bufio.so" >&2
    mkdir -p build
    "${CC:-cc}" -O2 -shared -fPIC -o build/libtcfuzz_bufio.so.tmp native/bufio.c
    mv build/libtcfuzz_bufio.so.tmp build/libtcfuzz_bufio.so
  else
    echo "setup: no C compiler (cc); the native backend will report itself unavailable" >&2
  fi
fi
