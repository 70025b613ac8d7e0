// mlir-opt as a batch service: many modules through one process with --split-input-file, each module's output
// and diagnostics mapped back to it, and crashing or hanging batches bisected so the good modules still get results.
import type { Attempt } from '../../exec/batch-runner.ts';
import { runResuming } from '../../exec/batch-runner.ts';
import type { ToolResult } from '../../exec/tool-driver.ts';
import { runTool } from '../../exec/tool-driver.ts';
import type { FeatureCounts } from './action-log.ts';
import { ActionLogSplitter, addDiagnosticFeatures } from './action-log.ts';
import type { CrashInfo, Diagnostic, FailureDump } from './diagnostics.ts';
import { classify } from './diagnostics.ts';
import type { Pipeline } from './passes/pipeline.ts';
import { passPipelineArg, prefix } from './passes/pipeline.ts';
import type { Toolchain } from './toolchain.ts';
import { findToolchain } from './toolchain.ts';

export type OptResult = (
  | { readonly kind: 'ok'; readonly output: string; readonly diagnostics: readonly Diagnostic[] }
  /** Rejected before any pass ran: a parse error, invalid input IR, or a pipeline mlir-opt cannot build. */
  | { readonly kind: 'error'; readonly diagnostics: readonly Diagnostic[] }
  /** A pass signalled failure. `pass` is its command-line name; `ir` is what --mlir-print-ir-after-failure dumped. */
  | { readonly kind: 'pass-failure'; readonly pass: string; readonly diagnostics: readonly Diagnostic[]; readonly ir: string }
  /** A pass succeeded but left IR that fails verification; `ir` is that invalid IR when it could be recovered. */
  | { readonly kind: 'verifier'; readonly pass: string; readonly diagnostics: readonly Diagnostic[]; readonly ir: string }
  | { readonly kind: 'crash'; readonly crash: CrashInfo; readonly tool: ToolResult }
  | { readonly kind: 'hang'; readonly tool: ToolResult }
  | { readonly kind: 'output-limit'; readonly tool: ToolResult }
  | { readonly kind: 'spawn-error'; readonly message: string }
) & {
  /**
   * With `coverage`: the module's features (targets/mlir/action-log.ts) with hit counts, its diagnostics' included.
   * A crash or hang has what was logged before it.
   */
  readonly features?: ReadonlyMap<string, number>;
};

export type MlirOptOptions = {
  readonly toolchain?: Toolchain;
  /** Per-module budget; a batch gets `timeoutMs + perModuleMs * n`. Default 20 s. */
  readonly timeoutMs?: number;
  /** Expected cost of one more module in a batch. Default 300 ms. */
  readonly perModuleMs?: number;
  readonly memoryLimitMb?: number;
  /** Extra mlir-opt flags, e.g. --mlir-print-op-generic. */
  readonly extraArgs?: readonly string[];
  /** Tell verifier failures from pass failures by re-running the failing prefix (one more process per failure). */
  readonly classifyFailures?: boolean;
  /**
   * Let mlir-opt use its thread pool. Off by default: fuzzing runs one mlir-opt per core already, and without the
   * pool a 48-module batch ran ~15% faster (measured on 2 loaded cores).
   */
  readonly threads?: boolean;
  /**
   * Log mlir-opt's actions and give each result its coverage features (DESIGN §8). Measured: the log makes
   * mlir-opt about 3× slower on generated programs (scripts/bench.ts prints the figure).
   */
  readonly coverage?: boolean;
};

/** The most bytes a logging mlir-opt may print: the log is parsed as it streams and not kept, so it may be large. */
const LOGGED_OUTPUT_LIMIT = 1 << 30;

export const SPLIT_MARKER = '// ----- tcfuzz-split -----';

type Chunk = { readonly index: number; readonly text: string };

/** Runs every module through `pipeline`; results are in module order. Never throws for tool behaviour. */
export async function runMlirOpt(modules: readonly string[], pipeline: Pipeline, opts: MlirOptOptions = {}): Promise<OptResult[]> {
  const chunks = modules.map((text, index) => ({ index, text }));
  return runResuming(chunks, Math.max(1, chunks.length), (group) => runChunks(group, pipeline, opts));
}

/** One mlir-opt over `chunks`. A module that takes the whole process down fails the attempt, which is then split. */
async function runChunks(chunks: readonly Chunk[], pipeline: Pipeline, opts: MlirOptOptions): Promise<Attempt<OptResult>> {
  const tc = opts.toolchain ?? findToolchain();
  const { input, startLines } = joinChunks(chunks);
  const args = [
    `--split-input-file=${SPLIT_MARKER}`,
    `--output-split-marker=${SPLIT_MARKER}`,
    '--mlir-print-ir-after-failure',
    // Aliases (#map = ...) are module-level names; inlining them lets lowered modules be merged textually.
    '--mlir-print-local-scope',
    passPipelineArg(pipeline),
    ...(opts.threads ? [] : ['--mlir-disable-threading']),
    // With --split-input-file only `-` keeps every module's log: a file is reopened per module.
    ...(opts.coverage ? ['--log-actions-to=-'] : []),
    ...(opts.extraArgs ?? []),
    '-',
  ];
  const log = opts.coverage ? new ActionLogSplitter(SPLIT_MARKER) : undefined;
  const timeoutMs = opts.timeoutMs ?? 20_000;
  const tool = await runTool({
    cmd: tc.path('mlir-opt'),
    args,
    stdin: input,
    timeoutMs: timeoutMs + (chunks.length > 1 ? (opts.perModuleMs ?? 300) * chunks.length : 0),
    // Symbolizing a stack takes about a second; a batch crash is only bisected, so its stack is never read.
    ...(chunks.length > 1 ? { env: { LLVM_DISABLE_SYMBOLIZATION: '1' } } : {}),
    ...(opts.memoryLimitMb !== undefined ? { memoryLimitMb: opts.memoryLimitMb } : {}),
    ...(log ? { onStdout: (chunk: Buffer) => log.push(chunk), maxOutputBytes: LOGGED_OUTPUT_LIMIT } : {}),
  });
  const logged = log?.finish();
  const all = (r: OptResult): Attempt<OptResult> => ({ kind: 'progress', results: new Map(chunks.map((_, k) => [k, r])), next: chunks.length });
  const alone = async (k: number): Promise<OptResult> => (await runMlirOpt([chunks[k]!.text], pipeline, opts))[0]!;
  const c = classify(tool);
  if (c.kind === 'spawn-error') return all({ kind: 'spawn-error', message: c.message });
  if (c.kind === 'crash' || c.kind === 'hang' || c.kind === 'output-limit') {
    // Alone, everything logged was this module's, up to where it stopped.
    const features = chunks.length === 1 && logged ? { features: logged[0]!.features } : {};
    const r: OptResult = c.kind === 'crash' ? { kind: 'crash', crash: c.crash, tool, ...features } : { kind: c.kind, tool, ...features };
    return chunks.length === 1 ? all(r) : { kind: 'failed', failure: r };
  }
  const results = new Map<number, OptResult>();
  const done: Attempt<OptResult> = { kind: 'progress', results, next: chunks.length };
  const outputs = logged ? logged.map((m) => m.output) : splitOutput(tool.stdout);
  if (outputs.length !== chunks.length) {
    // Should not happen; if mlir-opt ever changes how it joins outputs, fall back to one process per module.
    if (chunks.length === 1) return all({ kind: 'error', diagnostics: c.kind === 'ok' || c.kind === 'error' ? c.diagnostics : [] });
    for (let k = 0; k < chunks.length; k++) results.set(k, await alone(k));
    return done;
  }
  const diagnostics = c.kind === 'ok' || c.kind === 'error' ? c.diagnostics : [];
  const chunkOf = (d: Diagnostic): number | undefined => {
    if (d.line === undefined || d.file === undefined) return undefined;
    let k = -1;
    for (let i = 0; i < startLines.length && startLines[i]! <= d.line; i++) k = i;
    return k < 0 ? undefined : k;
  };
  // Report lines relative to each module's own text, not to the joined batch.
  const relocate = (d: Diagnostic): Diagnostic => {
    const k = chunkOf(d);
    const notes = d.notes.map(relocate);
    return k === undefined || k === 0 ? { ...d, notes } : { ...d, line: d.line! - startLines[k]! + 1, notes };
  };
  const ownedBy = (k: number): Diagnostic[] => diagnostics.filter((d) => chunkOf(d) === k).map(relocate);
  const featuresOf = (k: number, diags: readonly Diagnostic[]): { features?: FeatureCounts } => {
    if (!logged) return {};
    const features = logged[k]!.features;
    addDiagnosticFeatures(diags, features);
    return { features };
  };
  const failed = chunks.map((_, k) => outputs[k]!.trim() === '');
  const nFailed = failed.filter(Boolean).length;
  for (let k = 0; k < chunks.length; k++) {
    if (!failed[k]) {
      const diags = ownedBy(k);
      results.set(k, { kind: 'ok', output: relocateLocs(outputs[k]!, startLines[k]!), diagnostics: diags, ...featuresOf(k, diags) });
    }
    // Diagnostics without a location and IR dumps cannot be told apart between failing modules: rerun those alone.
    else if (nFailed > 1) results.set(k, await alone(k));
    else {
      // The one failing module owns every diagnostic that does not point into another module.
      const own = diagnostics
        .filter((d) => {
          const at = chunkOf(d);
          return at === undefined || at === k;
        })
        .map(relocate);
      const r = await failureResult(chunks[k]!.text, pipeline, opts, tc, own, c.kind === 'error' ? c.dumps : []);
      results.set(k, { ...r, ...featuresOf(k, own) });
    }
  }
  return done;
}

async function failureResult(
  text: string,
  pipeline: Pipeline,
  opts: MlirOptOptions,
  tc: Toolchain,
  diagnostics: readonly Diagnostic[],
  dumps: readonly FailureDump[],
): Promise<OptResult> {
  const dump = dumps[0];
  if (!dump) return { kind: 'error', diagnostics };
  const base = { pass: dump.passArg, diagnostics, ir: dump.ir };
  if (opts.classifyFailures === false) return { kind: 'pass-failure', ...base };
  const verdict = await verifierOrPassFailure(text, pipeline, dump.passArg, opts, tc);
  if (verdict.kind === 'verifier') return { kind: 'verifier', ...base, ir: verdict.ir };
  return { kind: 'pass-failure', ...base };
}

/**
 * MLIR 22 prints no "verification failed after pass" line: an op verifier error followed by
 * "IR Dump After <Pass> Failed" looks exactly like a pass that failed on purpose. The difference shows when the same
 * prefix runs with --verify-each=false: a pass that succeeded then exits 0 (printing the invalid IR), a failing one does not.
 */
async function verifierOrPassFailure(
  text: string,
  pipeline: Pipeline,
  passArg: string,
  opts: MlirOptOptions,
  tc: Toolchain,
): Promise<{ kind: 'verifier'; ir: string } | { kind: 'pass-failure' }> {
  const positions = pipeline.flatMap((s, i) => (s.pass === passArg ? [i] : []));
  if (positions.length === 0) return { kind: 'pass-failure' };
  const run = (p: Pipeline, verify: boolean): Promise<ToolResult> =>
    runTool({
      cmd: tc.path('mlir-opt'),
      args: [passPipelineArg(p), '--mlir-print-op-generic', '--mlir-disable-threading', ...(verify ? [] : ['--verify-each=false']), '-'],
      stdin: text,
      timeoutMs: opts.timeoutMs ?? 20_000,
      ...(opts.memoryLimitMb !== undefined ? { memoryLimitMb: opts.memoryLimitMb } : {}),
    });
  // With several instances of the pass, the failing one is the first whose prefix fails under verification.
  let at = positions[positions.length - 1]!;
  if (positions.length > 1) {
    for (const i of positions.slice(0, -1)) {
      const r = await run(prefix(pipeline, i), true);
      if (r.exitCode !== 0) {
        at = i;
        break;
      }
    }
  }
  const r = await run(prefix(pipeline, at), false);
  return r.exitCode === 0 && !r.timedOut ? { kind: 'verifier', ir: r.stdout } : { kind: 'pass-failure' };
}

function joinChunks(chunks: readonly Chunk[]): { input: string; startLines: number[] } {
  const startLines: number[] = [];
  let line = 1;
  const parts: string[] = [];
  for (const ch of chunks) {
    const text = ch.text.endsWith('\n') ? ch.text : ch.text + '\n';
    startLines.push(line);
    parts.push(text);
    line += countLines(text) + 1; // +1 for the marker line
  }
  return { input: parts.join(SPLIT_MARKER + '\n'), startLines };
}

/** Source locations printed with --mlir-print-debuginfo count lines of the joined batch: make them module-relative. */
function relocateLocs(output: string, startLine: number): string {
  if (startLine === 1 || !output.includes('loc("<stdin>":')) return output;
  return output.replace(/loc\("<stdin>":(\d+):/g, (_m, line: string) => `loc("<stdin>":${Number(line) - startLine + 1}:`);
}

function countLines(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

function splitOutput(stdout: string): string[] {
  const parts: string[] = [];
  let cur: string[] = [];
  for (const line of stdout.split('\n')) {
    if (line === SPLIT_MARKER) {
      parts.push(cur.join('\n'));
      cur = [];
    } else cur.push(line);
  }
  parts.push(cur.join('\n'));
  return parts;
}
