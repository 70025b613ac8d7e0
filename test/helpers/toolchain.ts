// The one place tests find the LLVM/MLIR toolchain: lookups that let a test skip with a reason where tools are
// absent, the runner-utils libraries, and the synchronous mlir-opt calls several tests make.
import { spawnSync } from 'node:child_process';
import type { SpawnSyncReturns } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Toolchain, ToolName } from '../../targets/mlir/toolchain.ts';
import { findToolchain, runtimeLibrary, ToolchainMissing, TOOLS } from '../../targets/mlir/toolchain.ts';

function lookup(required: readonly ToolName[]): Toolchain | ToolchainMissing {
  try {
    return findToolchain(process.env, required);
  } catch (e) {
    if (e instanceof ToolchainMissing) return e;
    throw e;
  }
}

/** Undefined when the `required` tools are installed, else the reason tests skip with (for `{ skip }`). */
export function toolchainSkip(required: readonly ToolName[] = TOOLS): string | undefined {
  const tc = lookup(required);
  return tc instanceof ToolchainMissing ? tc.message.split('\n')[0] : undefined;
}

export function mlirOptPath(): string | undefined {
  const tc = lookup(['mlir-opt']);
  return tc instanceof ToolchainMissing ? undefined : tc.path('mlir-opt');
}

/** The libraries mlir-runner loads for printing (`-shared-libs`), by their installed (versioned) names. */
export function runnerLibraries(tc: Toolchain = findToolchain()): string[] {
  return ['mlir_runner_utils', 'mlir_c_runner_utils', 'mlir_float16_utils'].map((name) => {
    const lib = runtimeLibrary(tc, name);
    if (!lib) throw new Error(`lib${name}.so not found in ${tc.libDir}`);
    return lib;
  });
}

/**
 * The real toolchain but for `tool`, which a shell wrapper stands in for: `lines` run first, with the whole input
 * in `$input` (to crash or hang on a marker), then the real tool gets the input.
 */
export function wrappedToolchain(tool: ToolName, lines: readonly string[]): Toolchain {
  const real = findToolchain();
  const script = join(mkdtempSync(join(tmpdir(), `tcfuzz-fake-${tool}-`)), tool);
  writeFileSync(script, ['#!/bin/sh', 'input=$(cat)', ...lines, `printf '%s\\n' "$input" | exec ${real.path(tool)} "$@"`, ''].join('\n'));
  chmodSync(script, 0o755);
  return { binDir: dirname(script), libDir: real.libDir, path: (t: ToolName) => (t === tool ? script : real.path(t)) };
}

/** mlir-opt on `input`, synchronously; throws when mlir-opt is not installed (callers skip first). */
export function mlirOptSync(args: readonly string[], input: string): SpawnSyncReturns<string> {
  const tool = mlirOptPath();
  if (!tool) throw new Error('mlir-opt not found');
  const r = spawnSync(tool, args, { input, encoding: 'utf8', maxBuffer: 256 << 20 });
  if (r.error) throw r.error;
  return r;
}

/** What mlir-opt prints between the outputs of `--split-input-file`, and reads between inputs. */
export const SPLIT = '// -----';

/** mlir-opt's generic form of `text`, read with `--split-input-file` (modules apart by SPLIT); throws on an error. */
export function mlirOptGeneric(text: string, flags: readonly string[] = []): string {
  const r = mlirOptSync(['--split-input-file', '--mlir-print-op-generic', ...flags, '-'], text);
  if (r.status !== 0) throw new Error(`mlir-opt rejected a program:\n${r.stderr}`);
  return r.stdout;
}

/** Programs in any syntax to mlir-opt's generic form, in one call; `flags` such as `--mlir-print-local-scope`. */
export function genericForms(texts: readonly string[], flags: readonly string[] = []): string[] {
  const input = texts.map((t) => (t.endsWith('\n') ? t : t + '\n')).join(SPLIT + '\n');
  const out = mlirOptGeneric(input, flags).split(/^\/\/ -----\n/m);
  if (out.length !== texts.length) throw new Error(`expected ${texts.length} programs back from mlir-opt, got ${out.length}`);
  return out;
}
