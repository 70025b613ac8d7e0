// The WASM backend: mlir-opt (pipeline + CPU lowering with a 32-bit index) → mlir-translate → llc (wasm32) →
// wasm-ld → V8 in a child process. A batch shares one mlir-opt and, for all modules that lower, one
// translate/llc/wasm-ld: programs are merged into one module under renamed symbols with one exported entry each.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Backend, BackendOutcome, BatchItem, CompileStage, Program, RunOptions } from '../backend.ts';
import { AbiError, bufferBytes, checkEntryArg, harnessDeclarations, harnessFunction, maskPadding } from '../abi.ts';
import { classify, parseDiagnostics } from '../diagnostics.ts';
import type { ToolResult } from '../../../exec/tool-driver.ts';
import { runTool } from '../../../exec/tool-driver.ts';
import type { LoweredParts } from '../llvm-merge.ts';
import { blamedProgram, MERGE_LIMIT, mergeGroups, mergeLowered, renameSymbol } from '../llvm-merge.ts';
import { lowerPrograms } from '../lower.ts';
import { WASM_INDEX_DLTI, WASM_SUFFIX } from '../passes/lowering.ts';
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

const INDEX_BYTES = 4;

type Ready = { readonly k: number; readonly parts: LoweredParts; readonly item: BatchItem };

type Linked = { readonly kind: 'wasm'; readonly bytes: Uint8Array } | { readonly kind: 'failed'; readonly stage: CompileStage; readonly result: ToolResult };

export class WasmBackend implements Backend {
  readonly name: string;
  readonly indexBytes = INDEX_BYTES;
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

  async run(program: Program, inputs: readonly Uint8Array[], opts: RunOptions = {}): Promise<BackendOutcome> {
    return (await this.runBatch([{ program, inputs }], opts))[0]!;
  }

  async runBatch(items: readonly BatchItem[], opts: RunOptions = {}): Promise<BackendOutcome[]> {
    items.forEach((it) => validateItem(it));
    const tc = this.toolchain();
    if ('reason' in tc) return items.map(() => ({ kind: 'unavailable', reason: tc.reason }));
    const out: BackendOutcome[] = new Array(items.length);
    const lowered = await lowerPrograms(
      items.map((it) => it.program),
      WASM_SUFFIX,
      { ...opts, toolchain: tc, index: 32, moduleAttribute: WASM_INDEX_DLTI },
    );
    const ready: Ready[] = [];
    lowered.forEach((l, k) => {
      if (l.kind === 'failed') out[k] = l.outcome;
      else ready.push({ k, parts: l.parts, item: items[k]! });
    });
    const byK = new Map(ready.map((r) => [r.k, r]));
    for (const group of mergeGroups(ready, this.opts.mergeLimit ?? MERGE_LIMIT)) await this.compileAndRun(group.map((g) => byK.get(g.k)!), tc, opts, out);
    return out;
  }

  /** Links the group into one module and runs it; a tool failure on the merged module is bisected to its culprit. */
  private async compileAndRun(group: readonly Ready[], tc: Toolchain, opts: RunOptions, out: BackendOutcome[]): Promise<void> {
    const entries = group.map((_, j) => `__tcfuzz_entry_${j}`);
    const harness = [
      harnessDeclarations(32),
      ...group.map((g, j) => harnessFunction(entries[j]!, [{ k: j, entry: renameSymbol('main', g.k), args: g.item.program.args }], 32, INDEX_BYTES)),
    ].join('\n');
    const linked = await this.link(mergeLowered(group, harness), tc, opts, group.length > 1);
    if (linked.kind === 'failed') {
      const blamed = group.length > 1 ? blamedProgram(linked.result.stderr, group.map((g) => g.k)) : undefined;
      if (blamed !== undefined) {
        await this.compileAndRun(group.filter((g) => g.k === blamed), tc, opts, out);
        await this.compileAndRun(group.filter((g) => g.k !== blamed), tc, opts, out);
      } else if (group.length > 1) {
        const mid = group.length >> 1;
        await this.compileAndRun(group.slice(0, mid), tc, opts, out);
        await this.compileAndRun(group.slice(mid), tc, opts, out);
      } else out[group[0]!.k] = toolFailure(linked.stage, linked.result);
      return;
    }
    this.runner ??= new WasmRunnerProcess(this.opts.tier ?? 'default');
    const runs = await this.runner.execute(
      linked.bytes,
      group.map((g, j) => ({ entry: entries[j]!, inputs: g.item.inputs })),
      opts.timeoutMs ?? 10_000,
    );
    runs.forEach((r, j) => {
      const g = group[j]!;
      switch (r.kind) {
        case 'ok':
          out[g.k] = {
            kind: 'ok',
            buffers: g.item.program.args.map((t, a) => maskPadding(t, r.buffers[a] ?? new Uint8Array(0), INDEX_BYTES)),
            stdout: r.stdout,
          };
          break;
        case 'trap':
          out[g.k] = { kind: 'trap', message: r.message, stdout: r.stdout };
          break;
        case 'hang':
          out[g.k] = { kind: 'hang', stage: 'run', stdout: r.stdout };
          break;
        case 'died':
          out[g.k] = { kind: 'trap', message: r.message, stdout: '' };
          break;
      }
    });
  }

  private async link(text: string, tc: Toolchain, opts: RunOptions, batch: boolean): Promise<Linked> {
    const common = {
      timeoutMs: opts.compileTimeoutMs ?? 30_000,
      ...(opts.memoryLimitMb !== undefined ? { memoryLimitMb: opts.memoryLimitMb } : {}),
      // Symbolizing a crash costs ~1 s; a batch crash is bisected anyway and the singleton rerun symbolizes.
      ...(batch ? { env: { LLVM_DISABLE_SYMBOLIZATION: '1' } } : {}),
    };
    const translate = await runTool({ cmd: tc.path('mlir-translate'), args: ['--mlir-to-llvmir', '-'], stdin: text, ...common });
    if (translate.exitCode !== 0 || translate.timedOut) return { kind: 'failed', stage: 'mlir-translate', result: translate };
    const dir = mkdtempSync(join(tmpdir(), 'tcfuzz-wasm-'));
    try {
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
          '--export-all',
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
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
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
export function bf16AsI16(ll: string): string {
  if (!/\bbfloat\b/.test(ll)) return ll;
  const fpUse = /\b(?:fpext|fptrunc|fadd|fsub|fmul|fdiv|frem|fcmp|fneg|sitofp|uitofp|fptosi|fptoui)\b[^\n]*\bbfloat\b|\b(?:fpext|fptrunc|sitofp|uitofp)\b[^\n]* to (?:<\d+ x )?bfloat\b|@llvm\.[\w.]*bf16\b/;
  if (fpUse.test(ll)) return ll;
  // bfloat constants are written 0xRHHHH, also untyped (phi operands).
  return ll.replace(/\b0xR([0-9A-Fa-f]{4})\b/g, (_, h: string) => String(parseInt(h, 16))).replace(/\bbfloat\b/g, 'i16');
}

function validateItem(it: BatchItem): void {
  const args = it.program.args;
  if (it.inputs.length !== args.length) throw new AbiError(`@main takes ${args.length} buffers, ${it.inputs.length} inputs given`);
  args.forEach((t, k) => {
    checkEntryArg(t, k);
    const want = bufferBytes(t, INDEX_BYTES);
    if (it.inputs[k]!.length !== want) throw new AbiError(`input ${k} has ${it.inputs[k]!.length} bytes, ${want} expected (wasm32 index is 4 bytes)`);
  });
}

function toolFailure(stage: CompileStage, result: ToolResult): BackendOutcome {
  const c = classify(result);
  switch (c.kind) {
    case 'crash':
      return { kind: 'crash', stage, crash: c.crash, result };
    case 'hang':
      return { kind: 'hang', stage, result };
    case 'spawn-error':
      return { kind: 'unavailable', reason: c.message };
    case 'output-limit':
      return { kind: 'compile-failure', stage, reason: 'output-limit', diagnostics: [], result };
    default: {
      const diagnostics = parseDiagnostics(result.stderr);
      return {
        kind: 'compile-failure',
        stage,
        reason: 'error',
        diagnostics: diagnostics.length > 0 ? diagnostics : [{ severity: 'error', message: result.stderr.trim() || `${stage} failed`, notes: [] }],
        result,
      };
    }
  }
}
