// The native executor: mlir-opt (pipeline + CPU lowering) → mlir-runner's JIT, with argument and result buffers
// moved as raw bytes by native/bufio.c. A batch shares one mlir-opt and one mlir-runner process per merged group;
// a program that traps or hangs ends only its own run (exec/batch-runner.ts resumes after it).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecOutcome } from '../../../contracts/outcome.ts';
import type { CompiledBatch, CompileRequest, ExecOptions, Executor } from '../../../contracts/target.ts';
import type { Attempt } from '../../../exec/batch-runner.ts';
import { runResuming } from '../../../exec/batch-runner.ts';
import { withTempDir } from '../../../exec/temp-dir.ts';
import type { ToolResult } from '../../../exec/tool-driver.ts';
import { runTool } from '../../../exec/tool-driver.ts';
import { inputsProblem } from '../../../ir/entry-abi.ts';
import { decodeOutputFile, encodeInputFile, ensureBufio, splitStdout } from '../../../native/index.ts';
import { harnessDeclarations, harnessFunction, maskPadding } from '../abi.ts';
import { classify } from '../diagnostics.ts';
import { blamedProgram, MERGE_LIMIT, mergeGroups, mergeLowered, renameSymbol } from '../llvm-merge.ts';
import type { LoweredMember } from '../lower.ts';
import { lowerBatch } from '../lower.ts';
import { NATIVE_SUFFIX } from '../passes/lowering.ts';
import { toolFailure, withMs } from '../tool-outcome.ts';
import type { Toolchain } from '../toolchain.ts';
import { findToolchain, runtimeLibrary, ToolchainMissing } from '../toolchain.ts';

export type NativeOptions = {
  readonly toolchain?: Toolchain;
  /** mlir-runner's -O level; left out, mlir-runner's default applies. */
  readonly optLevel?: 0 | 1 | 2 | 3;
  /** Most programs JIT-compiled as one module (see MERGE_LIMIT). */
  readonly mergeLimit?: number;
};

type Member = LoweredMember;

export interface NativeBatch extends CompiledBatch {
  readonly groups: readonly (readonly Member[])[];
  readonly size: number;
}

type Setup = { readonly tc: Toolchain; readonly libs: readonly string[] };

export class NativeExecutor implements Executor<NativeBatch> {
  readonly name = 'native';
  readonly limits = { indexBits: 64 } as const;
  private readonly opts: NativeOptions;

  constructor(opts: NativeOptions = {}) {
    this.opts = opts;
  }

  private setup(): Setup | { reason: string } {
    let tc: Toolchain;
    try {
      tc = this.opts.toolchain ?? findToolchain(process.env, ['mlir-opt', 'mlir-runner']);
    } catch (e) {
      if (e instanceof ToolchainMissing) return { reason: e.message };
      throw e;
    }
    const bufio = ensureBufio();
    if (!bufio.ok) return { reason: bufio.reason };
    const runner = runtimeLibrary(tc, 'mlir_runner_utils');
    const cRunner = runtimeLibrary(tc, 'mlir_c_runner_utils');
    if (!runner || !cRunner) return { reason: `libmlir_runner_utils / libmlir_c_runner_utils not found in ${tc.libDir}` };
    return { tc, libs: [runner, cRunner, bufio.path] };
  }

  unavailableReason(): string | undefined {
    const s = this.setup();
    return 'reason' in s ? s.reason : undefined;
  }

  async compile(requests: readonly CompileRequest[], opts: ExecOptions = {}): Promise<NativeBatch> {
    const s = this.setup();
    const n = requests.length;
    if ('reason' in s) return { failures: requests.map(() => ({ kind: 'unavailable', reason: s.reason, ms: {} })), ms: requests.map(() => ({})), groups: [], size: n };
    const { members, failures: lowering, features, optMs } = await lowerBatch(requests, NATIVE_SUFFIX, { ...opts, toolchain: s.tc, indexBits: 64 });
    const ms = { 'mlir-opt': optMs };
    const failures = lowering.map((f) => f && withMs(f, ms));
    return { failures, ms: requests.map(() => ms), features, groups: mergeGroups(members, this.opts.mergeLimit ?? MERGE_LIMIT) as Member[][], size: n };
  }

  async run(batch: NativeBatch, inputs: readonly (readonly Uint8Array[])[], opts: ExecOptions = {}): Promise<ExecOutcome[]> {
    const s = this.setup();
    const out: ExecOutcome[] = batch.failures.map((f, k) => f ?? { kind: 'unavailable', reason: 'not run', ms: batch.ms[k]! });
    if ('reason' in s) return out;
    for (const g of batch.groups) {
      for (const m of g) {
        const why = inputsProblem(m.args, inputs[m.k]!, 64);
        if (why) throw new Error(`native: program ${m.k}: ${why}`);
      }
    }
    await withTempDir('tcfuzz-native-', async (dir) => {
      let file = 0;
      for (const group of batch.groups) {
        const t0 = performance.now();
        const staged = new Map<readonly Member[], { text: string; inPath: string; outPath: string }>();
        const stage = (g: readonly Member[]) => {
          let st = staged.get(g);
          if (!st) {
            const harness = harnessDeclarations(64) + '\n' + harnessFunction('__tcfuzz_entry', g.map((m, j) => ({ k: j, entry: renameSymbol(m.entry, m.k), args: m.args })), 64);
            st = { text: mergeLowered(g, harness), inPath: join(dir, `in${file}.bin`), outPath: join(dir, `out${file++}.bin`) };
            writeFileSync(st.inPath, encodeInputFile(g.map((m) => inputs[m.k]!)));
            staged.set(g, st);
          }
          return st;
        };
        const results = await runResuming(group, group.length, (g, start) => this.attempt(g, start, stage(g), s, opts));
        const ms = { run: (performance.now() - t0) / group.length };
        group.forEach((m, j) => (out[m.k] = withMs(withMs(results[j]!, batch.ms[m.k]!), ms)));
      }
    });
    return out;
  }

  /** One mlir-runner process over `group` from `start`; bufio's stdout markers say how far it got. */
  private async attempt(
    group: readonly Member[],
    start: number,
    st: { text: string; inPath: string; outPath: string },
    s: Setup,
    opts: ExecOptions,
  ): Promise<Attempt<ExecOutcome>> {
    const compileMs = opts.compileTimeoutMs ?? 30_000;
    const runMs = opts.timeoutMs ?? 10_000;
    const result = await runTool({
      cmd: s.tc.path('mlir-runner'),
      args: ['-e', '__tcfuzz_entry', '-entry-point-result=void', `-shared-libs=${s.libs.join(',')}`, ...(this.opts.optLevel !== undefined ? [`-O${this.opts.optLevel}`] : []), '-'],
      stdin: st.text,
      env: { TCFUZZ_IN: st.inPath, TCFUZZ_OUT: st.outPath, TCFUZZ_START: String(start), ...(group.length > 1 ? { LLVM_DISABLE_SYMBOLIZATION: '1' } : {}) },
      timeoutMs: compileMs + runMs * group.length,
      watchdog: { firstMs: compileMs, idleMs: runMs },
      stdoutBinary: true,
      forkServer: true,
      ...(opts.memoryLimitMb !== undefined ? { memoryLimitMb: opts.memoryLimitMb } : {}),
    });
    const seg = splitStdout(result.stdoutBytes ?? new Uint8Array(0));
    let buffers: Map<number, Uint8Array[]>;
    try {
      buffers = decodeOutputFile(readFileSync(st.outPath));
    } catch {
      buffers = new Map();
    }
    const results = new Map<number, ExecOutcome>();
    const printed = (j: number) => seg.stdout.get(j) ?? new Uint8Array(0);
    for (let j = start; j < group.length; j++) {
      if (!seg.ended.has(j)) continue;
      const raw = buffers.get(j) ?? [];
      results.set(j, { kind: 'ok', buffers: group[j]!.args.map((t, a) => maskPadding(t, raw[a] ?? new Uint8Array(0), 64)), stdout: printed(j), ms: {} });
    }
    if (seg.running !== undefined) {
      const j = seg.running;
      const tool = result;
      results.set(
        j,
        result.timedOut
          ? { kind: 'hang', stage: 'run', stdout: printed(j), tool, ms: {} }
          : { kind: 'trap', message: result.outputLimited ? 'output limit exceeded' : trapMessage(result), stdout: printed(j), tool, ms: {} },
      );
      return { kind: 'progress', results, next: j + 1 };
    }
    if (results.size > 0) {
      // Everything that began also ended; anything left never began, which only a harness bug explains.
      for (let j = start; j < group.length; j++) if (!results.has(j)) results.set(j, toolFailure('runner', result, 'the program never started'));
      return { kind: 'progress', results, next: group.length };
    }
    // Nothing ran: the JIT (translation, LLVM codegen, symbol resolution) failed on the merged module.
    const blamed = blamedProgram(result.stderr, group.map((m) => m.k));
    return {
      kind: 'failed',
      failure: toolFailure('runner', result, 'mlir-runner failed before running the program'),
      ...(blamed !== undefined && { blamed: group.findIndex((m) => m.k === blamed) }),
    };
  }

  async close(): Promise<void> {}
}

function trapMessage(r: ToolResult): string {
  const c = classify(r);
  // Keep what the program or runtime said; drop LLVM's crash banner and both stack-trace formats.
  const tail = r.stderr
    .trim()
    .split('\n')
    .filter((l) => l.trim() !== '' && !/^\s*#?\d+\s+(?:0x|\S+\s+0x)|^Stack dump:|^PLEASE submit|^\d+\.\t/.test(l))
    .slice(-3)
    .join(' | ');
  const sig = r.signal ?? (c.kind === 'crash' ? c.crash.signal : undefined);
  return [sig ? `killed by ${sig}` : `exit code ${r.exitCode}`, tail].filter(Boolean).join(': ');
}
