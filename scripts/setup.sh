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
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium) # the HTML report's browser test (test/reports/)
# The MLIR headers and a C++ compiler build the coverage plugin (targets/mlir/coverage-plugin/).
[ -f "$bindir/../include/mlir/IR/Action.h" ] || need_apt+=(libmlir-22-dev)
command -v "${CXX:-c++}" >/dev/null 2>&1 || need_apt+=(g++)
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

# The C helpers in native/, each rebuilt only when its source is newer: the native backend's buffer I/O library,
# and the exec wrapper that makes every tool die with tcfuzz (exec/children.ts).
build_native() { # source output what-happens-without-it cc-flags...
  local src=$1 out=$2 without=$3
  shift 3
  [ -f "$out" ] && [ ! "$src" -nt "$out" ] && return 0
  if command -v "${CC:-cc}" >/dev/null 2>&1; then
    echo "setup: building $out" >&2
    mkdir -p build
    "${CC:-cc}" -O2 "$@" -o "$out.tmp" "$src"
    mv "$out.tmp" "$out"
  else
    echo "setup: no C compiler (cc) for $out: $without" >&2
  fi
}
build_native native/bufio.c build/libtcfuzz_bufio.so "the native backend will report itself unavailable" -shared -fPIC
build_native native/reaper.c build/tcfuzz-reaper "tools may outlive a tcfuzz killed with SIGKILL"
build_native native/forkserver.c build/libtcfuzz_forkserver.so "every tool run loads its tool afresh (25-60 ms more each)" -shared -fPIC

# The coverage plugin, built against the toolchain's headers (the same staleness rule, in TypeScript, since its
# file name depends on the toolchain); without it, coverage comes from mlir-opt's slower action log.
node --import tsx targets/mlir/coverage-plugin/build.ts
