// The wasm executor: mlir-opt (pipeline + CPU lowering with a 32-bit index) → mlir-translate → llc (wasm32) →
// wasm-ld → V8 in a child process. A batch shares one mlir-opt and, for all modules that lower, one
// translate/llc/wasm-ld: programs are merged into one module under renamed symbols with one exported entry each.
// A tool failure on a merged module is split down to its culprit by exec/batch-runner.ts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecOutcome, Stage } from '../../../contracts/outcome.ts';
import type { CompiledBatch, CompileRequest, ExecOptions, Executor } from '../../../contracts/target.ts';
import type { Attempt } from '../../../exec/batch-runner.ts';
import { runResuming } from '../../../exec/batch-runner.ts';
import { withTempDir } from '../../../exec/temp-dir.ts';
import type { ToolResult } from '../../../exec/tool-driver.ts';
import { runTool } from '../../../exec/tool-driver.ts';
import { inputsProblem } from '../../../ir/entry-abi.ts';
import { harnessDeclarations, harnessFunction, maskPadding } from '../abi.ts';
import { blamedProgram, MERGE_LIMIT, mergeGroups, mergeLowered, renameSymbol } from '../llvm-merge.ts';
import type { LoweredMember } from '../lower.ts';
import { lowerBatch } from '../lower.ts';
import { WASM_INDEX_DLTI, WASM_SUFFIX } from '../passes/lowering.ts';
import type { Failure } from '../tool-outcome.ts';
import { toolFailure, withMs } from '../tool-outcome.ts';
import type { Toolchain } from '../toolchain.ts';
import { findToolchain, ToolchainMissing } from '../toolchain.ts';
import type { V8Tier } from './runner-process.ts';
import { WasmRunnerProcess } from './runner-process.ts';

export type { V8Tier } from './runner-process.ts';

export type WasmOptions = {
  readonly toolchain?: Toolchain;
  /** llc -O level. Default 2. */
  readonly optLevel?: 0 | 1 | 2 | 3;
  /** llc -mattr=+simd128. */
  readonly simd128?: boolean;
  /** Which V8 compiler runs the module. Default: V8's own choice (Liftoff, then TurboFan for hot code). */
  readonly tier?: V8Tier;
  /** Linear-memory stack for each program; native code gets 8 MiB, so the same by default. */
  readonly stackBytes?: number;
  /** Most programs linked into one module (see MERGE_LIMIT). */
  readonly mergeLimit?: number;
};

type Member = LoweredMember;

/** One linked module and the programs in it, each under its own exported entry. */
type Linked = { readonly bytes: Uint8Array; readonly members: readonly Member[] };

export interface WasmBatch extends CompiledBatch {
  readonly modules: readonly Linked[];
}

/**
 * V8 refusing a module for its size (exports, functions, locals over V8's limits) is our harness's limit, not a
 * compiler bug; a module V8 finds invalid is llc's bug and stays a finding.
 */
const V8_LIMIT = /^V8 rejected the module: .*\b(?:exceeds|too many)\b/i;

export class WasmExecutor implements Executor<WasmBatch> {
  readonly name: string;
  readonly limits = { indexBits: 32 } as const;
  private readonly opts: WasmOptions;
  private runner: WasmRunnerProcess | undefined;

  constructor(opts: WasmOptions = {}) {
    this.opts = opts;
    this.name = `wasm${opts.tier && opts.tier !== 'default' ? '-' + opts.tier : ''}`;
  }

  private toolchain(): Toolchain | { reason: string } {
    try {
      return this.opts.toolchain ?? findToolchain(process.env, ['mlir-opt', 'mlir-translate', 'llc', 'wasm-ld']);
    } catch (e) {
      if (e instanceof ToolchainMissing) return { reason: e.message };
      throw e;
    }
  }

  unavailableReason(): string | undefined {
    const tc = this.toolchain();
    return 'reason' in tc ? tc.reason : undefined;
  }

  async compile(requests: readonly CompileRequest[], opts: ExecOptions = {}): Promise<WasmBatch> {
    const tc = this.toolchain();
    if ('reason' in tc) return { failures: requests.map(() => ({ kind: 'unavailable', reason: tc.reason, ms: {} })), ms: requests.map(() => ({})), modules: [] };
    const lowering = await lowerBatch(requests, WASM_SUFFIX, { ...opts, toolchain: tc, indexBits: 32, moduleAttribute: WASM_INDEX_DLTI });
    const { members, features, optMs } = lowering;
    const failures: (ExecOutcome | undefined)[] = lowering.failures;
    const t0 = performance.now();
    const modules: Linked[] = [];
    // bf16AsI16 decides for a whole merged module, so programs that keep floating-point bfloat merge apart: one of
    // them would otherwise make llc crash on the storage-only bfloat of every other program in its module.
    const keeps = (m: Member) => m.parts.defs.some((d) => BF16_ARITHMETIC.test(d));
    const apart = [members.filter((m) => !keeps(m)), members.filter(keeps)];
    for (const group of apart.flatMap((ms) => mergeGroups(ms, this.opts.mergeLimit ?? MERGE_LIMIT)) as Member[][]) {
      const linked = await runResuming(group, group.length, (g) => this.link(g, tc, opts));
      group.forEach((m, j) => {
        const l = linked[j]!;
        if ('kind' in l) failures[m.k] = l;
        else if (!modules.includes(l)) modules.push(l);
      });
    }
    const linkMs = members.length ? (performance.now() - t0) / members.length : 0;
    const linkedKs = new Set(members.map((m) => m.k));
    const ms = requests.map((_, k): Record<string, number> => (linkedKs.has(k) ? { 'mlir-opt': optMs, link: linkMs } : { 'mlir-opt': optMs }));
    return { failures: failures.map((f, k) => f && withMs(f, ms[k]!)), ms, features, modules };
  }

  /** Links `group` into one module; a tool failure names its culprit when LLVM says "In function: main__k7". */
  private async link(group: readonly Member[], tc: Toolchain, opts: ExecOptions): Promise<Attempt<Linked | Failure>> {
    const harness = [harnessDeclarations(32), ...group.map((m, j) => harnessFunction(`__tcfuzz_entry_${j}`, [{ k: j, entry: renameSymbol(m.entry, m.k), args: m.args }], 32))].join('\n');
    const r = await this.linkText(mergeLowered(group, harness), group.map((_, j) => `__tcfuzz_entry_${j}`), tc, opts, group.length > 1);
    if (r.kind === 'failed') {
      const blamed = blamedProgram(r.result.stderr, group.map((m) => m.k));
      return {
        kind: 'failed',
        failure: toolFailure(r.stage, r.result, `${r.stage} failed`),
        ...(blamed !== undefined && { blamed: group.findIndex((m) => m.k === blamed) }),
      };
    }
    const linked: Linked = { bytes: r.bytes, members: group };
    return { kind: 'progress', results: new Map(group.map((_, j) => [j, linked])), next: group.length };
  }

  async run(batch: WasmBatch, inputs: readonly (readonly Uint8Array[])[], opts: ExecOptions = {}): Promise<ExecOutcome[]> {
    const out: ExecOutcome[] = batch.failures.map((f, k) => f ?? { kind: 'unavailable', reason: 'not run', ms: batch.ms[k]! });
    for (const mod of batch.modules) {
      for (const m of mod.members) {
        const why = inputsProblem(m.args, inputs[m.k]!, 32);
        if (why) throw new Error(`wasm: program ${m.k}: ${why}`);
      }
    }
    this.runner ??= new WasmRunnerProcess(this.opts.tier ?? 'default');
    for (const mod of batch.modules) {
      const t0 = performance.now();
      const runs = await this.runner.execute(
        mod.bytes,
        mod.members.map((m, j) => ({ entry: `__tcfuzz_entry_${j}`, inputs: inputs[m.k]! })),
        opts.timeoutMs ?? 10_000,
      );
      const ms = { run: (performance.now() - t0) / mod.members.length };
      runs.forEach((r, j) => {
        const m = mod.members[j]!;
        const o: ExecOutcome =
          r.kind === 'ok'
            ? { kind: 'ok', buffers: m.args.map((t, a) => maskPadding(t, r.buffers[a] ?? new Uint8Array(0), 32)), stdout: r.stdout, ms: {} }
            : r.kind === 'hang'
              ? { kind: 'hang', stage: 'run', stdout: r.stdout, ms: {} }
              : r.kind === 'died' && V8_LIMIT.test(r.message)
                ? { kind: 'unavailable', reason: `harness limit: ${r.message}`, ms: {} }
                : { kind: 'trap', message: r.message, stdout: r.kind === 'trap' ? r.stdout : new Uint8Array(0), ms: {} };
        out[m.k] = withMs(withMs(o, batch.ms[m.k]!), ms);
      });
    }
    return out;
  }

  private async linkText(text: string, entries: readonly string[], tc: Toolchain, opts: ExecOptions, batch: boolean): Promise<{ kind: 'wasm'; bytes: Uint8Array } | { kind: 'failed'; stage: Stage; result: ToolResult }> {
    const common = {
      timeoutMs: opts.compileTimeoutMs ?? 30_000,
      ...(opts.memoryLimitMb !== undefined ? { memoryLimitMb: opts.memoryLimitMb } : {}),
      // Symbolizing a crash costs ~1 s; a batch crash is bisected anyway and the singleton rerun symbolizes.
      ...(batch ? { env: { LLVM_DISABLE_SYMBOLIZATION: '1' } } : {}),
      // A tool out of time prints where it was looping (see mlir-opt.ts).
      timeoutSignal: 'SIGABRT' as const,
      forkServer: true,
    };
    const translate = await runTool({ cmd: tc.path('mlir-translate'), args: ['--mlir-to-llvmir', '-'], stdin: text, ...common });
    if (translate.exitCode !== 0 || translate.timedOut) return { kind: 'failed', stage: 'mlir-translate', result: translate };
    return withTempDir('tcfuzz-wasm-', async (dir) => {
      const obj = join(dir, 'm.o');
      const wasm = join(dir, 'm.wasm');
      const llc = await runTool({
        cmd: tc.path('llc'),
        args: [
          '-mtriple=wasm32-unknown-unknown',
          `-O${this.opts.optLevel ?? 2}`,
          ...(this.opts.simd128 ? ['-mattr=+simd128'] : []),
          '-filetype=obj',
          '-o',
          obj,
          '-',
        ],
        stdin: bf16AsI16(translate.stdout),
        ...common,
      });
      if (llc.exitCode !== 0 || llc.timedOut) return { kind: 'failed', stage: 'llc', result: llc };
      const ld = await runTool({
        cmd: tc.path('wasm-ld'),
        args: [
          '--no-entry',
          // Only what the runner calls: --export-all hits V8's limit of 100,000 exports on big programs.
          ...entries.map((e) => `--export=${e}`),
          '--export=__heap_base',
          '--export-if-defined=__wasm_call_ctors',
          '--import-memory',
          '--allow-undefined',
          '--stack-first',
          '-z',
          `stack-size=${this.opts.stackBytes ?? 8 << 20}`,
          obj,
          '-o',
          wasm,
        ],
        ...common,
      });
      if (ld.exitCode !== 0 || ld.timedOut) return { kind: 'failed', stage: 'wasm-ld', result: ld };
      return { kind: 'wasm', bytes: new Uint8Array(readFileSync(wasm)) };
    });
  }

  async close(): Promise<void> {
    this.runner?.close();
    this.runner = undefined;
  }
}

/**
 * llc's wasm32 backend cannot even move a bfloat: a load, select, bitcast or call argument of type bfloat reaches
 * instruction selection as an f32 extension it cannot select (fixtures/backends/bugs/llc-wasm32-extload-bf16.ll).
 * After the suffix has turned bf16 arithmetic into f32 and integer code, bfloat only carries bits, so it is
 * renamed i16 (constants become their bit patterns). If any floating-point operation on bfloat is left, the IR is
 * passed through unchanged, and llc's crash on it is a finding.
 */
/** Floating-point bf16 in the LLVM dialect: what makes bf16AsI16 keep bfloat once translated. */
const BF16_ARITHMETIC = /\bllvm\.(?:fpext|fptrunc|fadd|fsub|fmul|fdiv|frem|fcmp|fneg|sitofp|uitofp|fptosi|fptoui|intr\.\w+)\b[^\n]*\bbf16\b/;

export function bf16AsI16(ll: string): string {
  if (!/\bbfloat\b/.test(ll)) return ll;
  const fpUse = /\b(?:fpext|fptrunc|fadd|fsub|fmul|fdiv|frem|fcmp|fneg|sitofp|uitofp|fptosi|fptoui)\b[^\n]*\bbfloat\b|\b(?:fpext|fptrunc|sitofp|uitofp)\b[^\n]* to (?:<\d+ x )?bfloat\b|@llvm\.[\w.]*bf16\b/;
  if (fpUse.test(ll)) return ll;
  // bfloat constants are written 0xRHHHH, also untyped (phi operands).
  return ll.replace(/\b0xR([0-9A-Fa-f]{4})\b/g, (_, h: string) => String(parseInt(h, 16))).replace(/\bbfloat\b/g, 'i16');
}
