// The native backend: mlir-opt (pipeline + CPU lowering) → mlir-runner's JIT, with argument and result buffers moved
// as raw bytes by native/bufio.c. A batch shares one mlir-opt and one mlir-runner process; a program that traps or
// hangs ends only its own run, the batch resumes after it.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeOutputFile, encodeInputFile, ensureBufio, splitStdout } from '../../../native/index.ts';
import type { Backend, BackendOutcome, BatchItem, Program, RunOptions } from '../backend.ts';
import { AbiError, bufferBytes, checkEntryArg, harnessDeclarations, harnessFunction, maskPadding } from '../abi.ts';
import { classify, parseDiagnostics } from '../diagnostics.ts';
import { runTool } from '../../../exec/tool-driver.ts';
import type { ToolResult } from '../../../exec/tool-driver.ts';
import { blamedProgram, MERGE_LIMIT, mergeGroups, mergeLowered, renameSymbol } from '../llvm-merge.ts';
import type { LoweredParts } from '../llvm-merge.ts';
import { lowerPrograms } from '../lower.ts';
import { NATIVE_SUFFIX } from '../passes/lowering.ts';
import type { Toolchain } from '../toolchain.ts';
import { findToolchain, runtimeLibrary, ToolchainMissing } from '../toolchain.ts';

export type NativeOptions = {
  readonly toolchain?: Toolchain;
  /** mlir-runner's -O level; left out, mlir-runner's default applies. */
  readonly optLevel?: 0 | 1 | 2 | 3;
  /** Most programs JIT-compiled as one module (see MERGE_LIMIT). */
  readonly mergeLimit?: number;
};

type Ready = { readonly k: number; readonly parts: LoweredParts; readonly item: BatchItem };

const INDEX_BYTES = 8;

export class NativeBackend implements Backend {
  readonly name = 'native';
  readonly indexBytes = INDEX_BYTES;
  private readonly opts: NativeOptions;

  constructor(opts: NativeOptions = {}) {
    this.opts = opts;
  }

  private setup(): { tc: Toolchain; libs: string[] } | { reason: string } {
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

  async run(program: Program, inputs: readonly Uint8Array[], opts: RunOptions = {}): Promise<BackendOutcome> {
    return (await this.runBatch([{ program, inputs }], opts))[0]!;
  }

  async runBatch(items: readonly BatchItem[], opts: RunOptions = {}): Promise<BackendOutcome[]> {
    items.forEach((it) => validateItem(it, INDEX_BYTES));
    const s = this.setup();
    if ('reason' in s) return items.map(() => ({ kind: 'unavailable', reason: s.reason }));
    const out: BackendOutcome[] = new Array(items.length);
    const lowered = await lowerPrograms(
      items.map((it) => it.program),
      NATIVE_SUFFIX,
      { ...opts, toolchain: s.tc, index: 64 },
    );
    const ready: Ready[] = [];
    lowered.forEach((l, k) => {
      if (l.kind === 'failed') out[k] = l.outcome;
      else ready.push({ k, parts: l.parts, item: items[k]! });
    });
    const byK = new Map(ready.map((r) => [r.k, r]));
    for (const group of mergeGroups(ready, this.opts.mergeLimit ?? MERGE_LIMIT)) await this.execute(group.map((g) => byK.get(g.k)!), s.tc, s.libs, opts, out);
    return out;
  }

  /** Runs one merged group, resuming after programs that trap or hang, bisecting when the JIT itself fails. */
  private async execute(group: readonly Ready[], tc: Toolchain, libs: readonly string[], opts: RunOptions, out: BackendOutcome[]): Promise<void> {
    const harness =
      harnessDeclarations(64) +
      '\n' +
      harnessFunction(
        '__tcfuzz_entry',
        group.map((g, j) => ({ k: j, entry: renameSymbol('main', g.k), args: g.item.program.args })),
        64,
        INDEX_BYTES,
      );
    const text = mergeLowered(group, harness);
    const dir = mkdtempSync(join(tmpdir(), 'tcfuzz-native-'));
    try {
      const inPath = join(dir, 'in.bin');
      const outPath = join(dir, 'out.bin');
      writeFileSync(inPath, encodeInputFile(group.map((g) => g.item.inputs)));
      let start = 0;
      while (start < group.length) {
        const result = await runTool({
          cmd: tc.path('mlir-runner'),
          args: [
            '-e',
            '__tcfuzz_entry',
            '-entry-point-result=void',
            `-shared-libs=${libs.join(',')}`,
            ...(this.opts.optLevel !== undefined ? [`-O${this.opts.optLevel}`] : []),
            '-',
          ],
          stdin: text,
          env: { TCFUZZ_IN: inPath, TCFUZZ_OUT: outPath, TCFUZZ_START: String(start), ...(group.length > 1 ? { LLVM_DISABLE_SYMBOLIZATION: '1' } : {}) },
          timeoutMs: (opts.compileTimeoutMs ?? 30_000) + (opts.timeoutMs ?? 10_000) * group.length,
          watchdog: { firstMs: opts.compileTimeoutMs ?? 30_000, idleMs: opts.timeoutMs ?? 10_000 },
          ...(opts.memoryLimitMb !== undefined ? { memoryLimitMb: opts.memoryLimitMb } : {}),
        });
        const seg = splitStdout(result.stdout);
        let buffers: Map<number, Uint8Array[]>;
        try {
          buffers = decodeOutputFile(readFileSync(outPath));
        } catch {
          buffers = new Map();
        }
        for (let j = start; j < group.length; j++) {
          if (!seg.ended.has(j)) continue;
          const g = group[j]!;
          const raw = buffers.get(j) ?? [];
          out[g.k] = {
            kind: 'ok',
            buffers: g.item.program.args.map((t, a) => maskPadding(t, raw[a] ?? new Uint8Array(0), INDEX_BYTES)),
            stdout: seg.text.get(j) ?? '',
          };
        }
        const done = [...seg.ended].filter((j) => j >= start).length;
        if (seg.running !== undefined) {
          const j = seg.running;
          out[group[j]!.k] = result.timedOut
            ? { kind: 'hang', stage: 'run', stdout: seg.text.get(j) ?? '', result }
            : result.outputLimited
              ? { kind: 'trap', message: 'output limit exceeded', stdout: seg.text.get(j) ?? '', result }
              : { kind: 'trap', message: trapMessage(result), stdout: seg.text.get(j) ?? '', result };
          start = j + 1;
          continue;
        }
        if (start + done >= group.length || done > 0) {
          // Everything that began also ended; anything left never began, which only a harness bug explains.
          for (let j = start; j < group.length; j++) {
            if (out[group[j]!.k] === undefined) out[group[j]!.k] = runnerFailure(result, 'the program never started');
          }
          return;
        }
        // Nothing ran: the JIT (translation, LLVM codegen, symbol resolution) failed on the merged module.
        if (group.length - start > 1) {
          const rest = group.slice(start);
          const blamed = blamedProgram(result.stderr, rest.map((g) => g.k));
          if (blamed !== undefined) {
            await this.execute(rest.filter((g) => g.k === blamed), tc, libs, opts, out);
            await this.execute(rest.filter((g) => g.k !== blamed), tc, libs, opts, out);
            return;
          }
          const mid = rest.length >> 1;
          await this.execute(rest.slice(0, mid), tc, libs, opts, out);
          await this.execute(rest.slice(mid), tc, libs, opts, out);
          return;
        }
        out[group[start]!.k] = runnerFailure(result, 'mlir-runner failed before running the program');
        return;
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  async close(): Promise<void> {}
}

function validateItem(it: BatchItem, indexBytes: number): void {
  const args = it.program.args;
  if (it.inputs.length !== args.length) throw new AbiError(`@main takes ${args.length} buffers, ${it.inputs.length} inputs given`);
  args.forEach((t, k) => {
    checkEntryArg(t, k);
    const want = bufferBytes(t, indexBytes);
    if (it.inputs[k]!.length !== want) throw new AbiError(`input ${k} has ${it.inputs[k]!.length} bytes, ${want} expected`);
  });
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

function runnerFailure(result: ToolResult, fallback: string): BackendOutcome {
  const c = classify(result);
  switch (c.kind) {
    case 'crash':
      return { kind: 'crash', stage: 'runner', crash: c.crash, result };
    case 'hang':
      return { kind: 'hang', stage: 'runner', result };
    case 'spawn-error':
      return { kind: 'unavailable', reason: c.message };
    case 'output-limit':
      return { kind: 'compile-failure', stage: 'runner', reason: 'output-limit', diagnostics: [], result };
    default: {
      const diagnostics = parseDiagnostics(result.stderr);
      return {
        kind: 'compile-failure',
        stage: 'runner',
        reason: 'error',
        diagnostics: diagnostics.length > 0 ? diagnostics : [{ severity: 'error', message: result.stderr.trim() || fallback, notes: [] }],
        result,
      };
    }
  }
}
