// The fixed parts of a reproducer's repro.sh: finding the public tools, the exit-status helpers, and the shell
// lines each tool runs with. POSIX sh only, so the script runs wherever the LLVM tools do.

/** One shell word, whatever it holds. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Programs a repro.sh may need besides LLVM's, always from PATH. */
export type Helper = 'node' | 'timeout';

/** The helpers every repro.sh starts with, then the lookup of the LLVM/MLIR `tools`, `helpers` and runtime libraries it runs. */
export function prelude(tools: readonly string[], helpers: readonly Helper[], runtimeLibs: readonly string[]): string {
  const L = [
    'set -u',
    'cd "$(dirname "$0")" || exit 2',
    "say() { printf 'repro.sh: %s\\n' \"$*\"; }",
    'reproduces() { say "REPRODUCES: $*"; exit 1; }',
    'gone() { say "does not reproduce: $*"; exit 0; }',
    'broken() { say "cannot run: $*" >&2; exit 2; }',
    '# What tcfuzz counts as a crash: a signal, or the crash banner LLVM prints before exiting.',
    "crashed() { [ \"$1\" -ge 128 ] || grep -qE '^Stack dump:|^LLVM ERROR:|PLEASE submit a bug report' \"$2\"; }",
    '',
    '# LLVM/MLIR 22: the tools in $TCFUZZ_LLVM_BIN when set (libraries in its ../lib), else llvm-config-22\'s, else PATH.',
    'if [ -n "${TCFUZZ_LLVM_BIN:-}" ]; then llvm_bin=$TCFUZZ_LLVM_BIN; llvm_lib=$llvm_bin/../lib',
    'elif command -v llvm-config-22 >/dev/null 2>&1; then llvm_bin=$(llvm-config-22 --bindir); llvm_lib=$(llvm-config-22 --libdir)',
    'else llvm_bin=; llvm_lib=; fi',
    'need() {',
    '  if [ -n "$llvm_bin" ] && [ -x "$llvm_bin/$2" ]; then found=$llvm_bin/$2',
    '  elif [ -z "${TCFUZZ_LLVM_BIN:-}" ] && found=$(command -v "$2"); then :',
    '  else broken "$2 not found in ${llvm_bin:-PATH}: install LLVM 22 (Debian: mlir-22-tools llvm-22 lld-22) or set TCFUZZ_LLVM_BIN=DIR"; fi',
    '  eval "$1=\\$found"',
    '}',
    ...tools.map((t) => `need ${toolVar(t)} ${t}`),
  ];
  if (helpers.includes('node')) L.push('node=$(command -v node) || broken "node not found on PATH"');
  if (helpers.includes('timeout')) L.push('command -v timeout >/dev/null 2>&1 || broken "timeout (GNU coreutils) not found on PATH"');
  if (runtimeLibs.length > 0) {
    L.push(
      '[ -n "$llvm_lib" ] || llvm_lib=$(dirname "$mlir_runner")/../lib',
      '# Debian installs only versioned names (libmlir_runner_utils.so.22.1).',
      'runtime_lib() {',
      '  for f in "$llvm_lib/lib$2.so" "$llvm_lib/lib$2.so".*; do',
      '    if [ -f "$f" ]; then eval "$1=\\$f"; return; fi',
      '  done',
      '  broken "lib$2.so not found in $llvm_lib"',
      '}',
      ...runtimeLibs.map((l) => `runtime_lib ${l} ${l}`),
    );
  }
  return L.join('\n') + '\n';
}

/** The shell variable holding a tool's path: mlir-opt → $mlir_opt. */
export function toolVar(tool: string): string {
  return tool.replace(/-/g, '_');
}

/** A hang is a run past this many seconds; the fuzzer's own limits were 30 s to compile and 10 s to run. */
export const HANG_SECONDS = 60;

/** The prefix that bounds a command's time, for findings that are hangs. */
export const TIMEOUT_PREFIX = 'timeout "${TCFUZZ_REPRO_TIMEOUT:-' + HANG_SECONDS + '}" ';
