// Versions that make a report reproducible: tcfuzz's own, and the compiler toolchain's.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { findToolchain, ToolchainMissing } from '../targets/mlir/toolchain.ts';

let own: string | undefined;

export function tcfuzzVersion(): string {
  own ??= (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  return own;
}

let toolchain: string | undefined;

/** `mlir-opt --version`'s LLVM version line, or why there is none. */
export function toolchainVersion(): string {
  if (toolchain !== undefined) return toolchain;
  try {
    const out = execFileSync(findToolchain(process.env, ['mlir-opt']).path('mlir-opt'), ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    toolchain = /LLVM version (\S+)/.exec(out)?.[1] ?? out.trim().split('\n')[0] ?? 'unknown';
  } catch (e) {
    toolchain = e instanceof ToolchainMissing ? 'missing' : 'unknown';
  }
  return toolchain;
}
