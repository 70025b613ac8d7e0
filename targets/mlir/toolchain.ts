// Locates the LLVM/MLIR 22 tools. TCFUZZ_LLVM_BIN overrides the search.
import { existsSync, readdirSync } from 'node:fs';
import { isExecutable } from '../../exec/children.ts';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export const TOOLS = ['mlir-opt', 'mlir-translate', 'mlir-runner', 'mlir-reduce', 'llc', 'opt', 'wasm-ld'] as const;
export type ToolName = (typeof TOOLS)[number];

export const INSTALL_HINT =
  'Install the toolchain with: sudo apt-get update && sudo apt-get install -y mlir-22-tools llvm-22 lld-22\n' +
  '(or run `npm run setup`), or point TCFUZZ_LLVM_BIN at a directory holding mlir-opt, mlir-translate, mlir-runner, llc and wasm-ld.';

export class ToolchainMissing extends Error {
  constructor(readonly missing: readonly string[], readonly searched: readonly string[]) {
    super(`missing LLVM/MLIR 22 tools: ${missing.join(', ')} (searched ${searched.join(', ') || 'nothing'})\n${INSTALL_HINT}`);
  }
}

export type Toolchain = { readonly binDir: string; readonly libDir: string; path(tool: ToolName): string };

function candidateDirs(env: NodeJS.ProcessEnv): string[] {
  if (env.TCFUZZ_LLVM_BIN) return [env.TCFUZZ_LLVM_BIN];
  const dirs: string[] = [];
  try {
    dirs.push(execFileSync('llvm-config-22', ['--bindir'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
  } catch {
    // llvm-config-22 absent: fall back to Debian's fixed layout.
  }
  dirs.push('/usr/lib/llvm-22/bin');
  return [...new Set(dirs)];
}

/** Lookups by override and required tools: the search runs llvm-config and stats files, so it is done once. */
const cache = new Map<string, Toolchain>();

/** Finds a directory holding every tool, or throws ToolchainMissing naming what is absent. */
export function findToolchain(env: NodeJS.ProcessEnv = process.env, required: readonly ToolName[] = TOOLS): Toolchain {
  const key = `${env.TCFUZZ_LLVM_BIN ?? ''}\0${required.join(',')}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const dirs = candidateDirs(env);
  let best: string[] = [...required];
  for (const dir of dirs) {
    const missing = required.filter((t) => !isExecutable(join(dir, t)));
    if (missing.length === 0) {
      const tc: Toolchain = { binDir: dir, libDir: join(dir, '..', 'lib'), path: (t) => join(dir, t) };
      cache.set(key, tc);
      return tc;
    }
    if (missing.length < best.length) best = missing;
  }
  throw new ToolchainMissing(best, dirs);
}

/**
 * A shared library shipped with the toolchain, e.g. 'mlir_runner_utils'. Debian's mlir-22-tools installs only the
 * versioned name (libmlir_runner_utils.so.22.1), so the unversioned one is not assumed.
 */
export function runtimeLibrary(tc: Toolchain, name: string): string | undefined {
  const base = `lib${name}.so`;
  const direct = join(tc.libDir, base);
  if (existsSync(direct)) return direct;
  try {
    const versioned = readdirSync(tc.libDir)
      .filter((f) => f.startsWith(base + '.'))
      .sort();
    return versioned.length > 0 ? join(tc.libDir, versioned[versioned.length - 1]!) : undefined;
  } catch {
    return undefined;
  }
}
