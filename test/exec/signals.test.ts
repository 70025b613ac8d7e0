// Issue 7, "orphaned processes": SIGINT, SIGTERM or SIGKILL sent to the real CLI while a tool or the wasm runner
// hangs in an infinite loop leaves no descendant of tcfuzz running. The tree is read from /proc just before the
// signal; after it, every one of those processes (pid + start time) must end within a short grace period.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ensureReaper } from '../../native/index.ts';
import { findToolchain, TOOLS } from '../../targets/mlir/toolchain.ts';
import { toolchainSkip } from '../helpers/toolchain.ts';
import { REPO_ROOT } from '../helpers/repo-files.ts';
import type { Proc } from './proc-tree.ts';
import { descendants, killSurvivors, survives, until } from './proc-tree.ts';

const BIN = join(REPO_ROOT, 'bin', 'tcfuzz.js');
/** CPU time a hanging process must have used (clock ticks, 1/100 s): past its start, inside the loop. */
const SPINNING = 50;

// The loop stores to memory on every iteration, so no optimiser can delete it.
const LOOP = `func.func @main(%a: memref<4xi32>) {
  %c0 = arith.constant 0 : index
  %t = arith.constant true
  %one = arith.constant 1 : i32
  scf.while : () -> () {
    %x = memref.load %a[%c0] : memref<4xi32>
    %y = arith.addi %x, %one : i32
    memref.store %y, %a[%c0] : memref<4xi32>
    scf.condition(%t)
  } do {
    scf.yield
  }
  return
}
`;

type Scenario = {
  readonly name: string;
  readonly args: () => string[];
  readonly env?: () => Record<string, string>;
  /** The process that hangs, once it is spinning. */
  readonly hanging: (p: Proc) => boolean;
};

describe('no descendant of tcfuzz survives a signal', { skip: toolchainSkip() }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'tcfuzz-signals-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const loop = join(dir, 'loop.mlir');
  writeFileSync(loop, LOOP);
  const programs = join(dir, 'programs');
  mkdirSync(programs);
  writeFileSync(join(programs, 'loop.mlir'), LOOP);
  writeFileSync(join(programs, 'axpy.mlir'), readFileSync(join(REPO_ROOT, 'fixtures', 'cli', 'axpy.mlir')));

  // `check` runs only what the reference finishes, so the looping program is discarded before any tool sees it.
  // A tool that hangs in `check` is a JIT that never returns: this toolchain is the real one but for mlir-runner,
  // which spins. It execs its loop, as mlir-runner runs in one process.
  let hangingToolchain: string | undefined;
  const standIn = (): string => {
    if (hangingToolchain) return hangingToolchain;
    const real = findToolchain();
    const root = join(dir, 'llvm');
    const bin = join(root, 'bin');
    mkdirSync(bin, { recursive: true });
    symlinkSync(real.libDir, join(root, 'lib'));
    for (const t of TOOLS) if (t !== 'mlir-runner') symlinkSync(real.path(t), join(bin, t));
    writeFileSync(join(bin, 'mlir-runner'), `#!/bin/sh\nexec /bin/sh -c 'while :; do :; done' spinning-mlir-runner\n`);
    chmodSync(join(bin, 'mlir-runner'), 0o755);
    return (hangingToolchain = bin);
  };

  const scenarios: Scenario[] = [
    { name: 'run --backend native (mlir-runner loops)', args: () => ['run', loop, '--backend', 'native'], hanging: (p) => /mlir-runner/.test(p.cmdline) },
    { name: 'run --backend wasm (the wasm runner loops)', args: () => ['run', loop, '--backend', 'wasm'], hanging: (p) => /wasm-runner|runner\.(js|ts)/.test(p.cmdline) },
    {
      name: 'check --backends native,wasm (a JIT that never returns)',
      args: () => ['check', programs, '--backends', 'native,wasm'],
      env: () => ({ TCFUZZ_LLVM_BIN: standIn() }),
      hanging: (p) => /spinning-mlir-runner/.test(p.cmdline),
    },
  ];
  const reaper = ensureReaper();

  for (const s of scenarios) {
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGKILL'] as const) {
      const skip = signal === 'SIGKILL' && !reaper.ok ? 'no C compiler for native/reaper.c' : undefined;
      it(`${signal}: ${s.name}`, { skip, timeout: 180_000 }, async () => {
        const child = spawn(process.execPath, [BIN, ...s.args()], {
          cwd: REPO_ROOT,
          env: { ...process.env, ...s.env?.() },
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        let stderr = '';
        child.stderr.on('data', (b: Buffer) => void (stderr += b.toString()));
        const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => child.once('exit', (code, sig) => res({ code, signal: sig })));
        let tree: Proc[] = [];
        try {
          await until('the hanging process to spin', 90_000, () => {
            if (child.exitCode !== null || child.signalCode !== null) throw new Error(`tcfuzz ended before anything hung:\n${stderr}`);
            tree = descendants(child.pid!);
            return tree.some((p) => s.hanging(p) && p.cpuTicks >= SPINNING);
          });
          tree = descendants(child.pid!);
          child.kill(signal);
          await until('tcfuzz to exit', 15_000, () => child.exitCode !== null || child.signalCode !== null);
          const end = await exited;
          if (signal === 'SIGKILL') assert.deepEqual(end, { code: null, signal: 'SIGKILL' });
          else assert.deepEqual(end, { code: 128 + constants.signals[signal], signal: null }, stderr);
          try {
            await until('every descendant to end', 5_000, () => !tree.some(survives));
          } catch {
            assert.fail(`survived ${signal}: ${tree.filter(survives).map((p) => `${p.pid} ${p.cmdline}`).join('; ')}`);
          }
        } finally {
          killSurvivors(tree);
          child.kill('SIGKILL');
        }
      });
    }
  }
});
