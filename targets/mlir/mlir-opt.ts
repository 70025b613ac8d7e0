// mlir-opt as a batch service: many modules through one process with --split-input-file, each module's output
// and diagnostics mapped back to it, and crashing or hanging batches bisected so the good modules still get results.
import { join } from 'node:path';
import type { Attempt } from '../../exec/batch-runner.ts';
import { runResuming } from '../../exec/batch-runner.ts';
import type { ToolResult } from '../../exec/tool-driver.ts';
import { withTempDir } from '../../exec/temp-dir.ts';
import { runTool } from '../../exec/tool-driver.ts';
import type { FeatureCounts } from './action-log.ts';
import { ActionLogSplitter, addDiagnosticFeatures, normaliseDiagnostic } from './action-log.ts';
import { COVERAGE_FILE_VAR, coverageSource, MODULE_TIMEOUT_VAR, readRecords } from './coverage-plugin/index.ts';
import type { CrashInfo, Diagnostic, FailureDump } from './diagnostics.ts';
import { classify, parseDiagnostics, parseFailureDumps } from './diagnostics.ts';
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
  /** `pass`: the pass the coverage plugin's timer stopped it in (command-line name), when it was the plugin that stopped it. */
  | { readonly kind: 'hang'; readonly tool: ToolResult; readonly stack?: CrashInfo; readonly pass?: string }
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
   * Give each result its coverage features (DESIGN §8), counted by the coverage plugin (coverage-plugin/) or,
   * where it cannot load, read from the action log; `'log'` asks for the log. The log costs about a third of
   * mlir-opt's time on generated programs, the plugin next to nothing (scripts/bench.ts prints both).
   */
  readonly coverage?: boolean | 'log';
};

/** The most bytes a logging mlir-opt may print: the log is parsed as it streams and not kept, so it may be large. */
const LOGGED_OUTPUT_LIMIT = 1 << 30;

export const SPLIT_MARKER = '// ----- tcfuzz-split -----';

type Chunk = { readonly index: number; readonly text: string };

/** Runs every module through `pipeline`; results are in module order. Never throws for tool behaviour. */
export async function runMlirOpt(modules: readonly string[], pipeline: Pipeline, opts: MlirOptOptions = {}): Promise<OptResult[]> {
  const chunks = modules.map((text, index) => ({ index, text }));
  return runResuming(chunks, Math.max(1, chunks.length), async (group, start) => {
    const a = await runChunks(group.slice(start), pipeline, opts);
    if (start === 0) return a;
    if (a.kind === 'failed') return a.blamed === undefined ? a : { ...a, blamed: a.blamed + start };
    return { kind: 'progress', results: new Map([...a.results].map(([k, r]) => [k + start, r])), next: a.next + start };
  });
}

/**
 * One mlir-opt over `chunks`. A crash ends the attempt at the crashing module; a hang or an unattributable failure
 * fails the whole attempt, which is then split.
 */
async function runChunks(chunks: readonly Chunk[], pipeline: Pipeline, opts: MlirOptOptions): Promise<Attempt<OptResult>> {
  const tc = opts.toolchain ?? findToolchain();
  if (!opts.coverage) return runOnce(chunks, pipeline, opts, tc, undefined);
  const source = opts.coverage === 'log' ? undefined : await coverageSource(tc);
  if (source?.kind !== 'plugin') return runOnce(chunks, pipeline, opts, tc, { kind: 'log' });
  return withTempDir('tcfuzz-cov-', (dir) => runOnce(chunks, pipeline, opts, tc, { kind: 'plugin', path: source.path, file: join(dir, 'features') }));
}

/**
 * With the plugin, a module's own timer stops a hang (its record then names the pass it was stopped in, which signs
 * the hang); the batch's timeout is the backstop for what no module's timer covers, and comes this much later.
 * Level with it, a one-module batch (a reproduction, a bisection step, a batch resumed at a slow module) was
 * stopped by the batch's timeout first, in 30 runs of 30: no pass was recorded, so that sighting of the hang was
 * signed by its stack instead, apart from the batched sightings of the same hang.
 */
const PLUGIN_TIMER_LEAD_MS = 2000;

/** How a coverage run counts its features: from the action log on stdout, or by the plugin into `file`. */
type Counting = { readonly kind: 'log' } | { readonly kind: 'plugin'; readonly path: string; readonly file: string };

async function runOnce(chunks: readonly Chunk[], pipeline: Pipeline, opts: MlirOptOptions, tc: Toolchain, counting: Counting | undefined): Promise<Attempt<OptResult>> {
  const input = joinChunks(chunks);
  const args = [
    `--split-input-file=${SPLIT_MARKER}`,
    `--output-split-marker=${SPLIT_MARKER}`,
    '--mlir-print-ir-after-failure',
    // Aliases (#map = ...) are module-level names; inlining them lets lowered modules be merged textually.
    '--mlir-print-local-scope',
    passPipelineArg(pipeline),
    ...(opts.threads ? [] : ['--mlir-disable-threading']),
    // With --split-input-file only `-` keeps every module's log: a file is reopened per module. The log prints the
    // op of every action; in custom form that first verifies the op (a whole function, for a pass on it), which
    // made logging cost 2× mlir-opt's time; generic printing verifies nothing, and the log costs 1.2× (64 pool
    // modules through the native suffix: 1.2–1.9 s custom, 0.71–0.75 s generic, 0.6–0.8 s without the log).
    // The lowered output is then generic too; lower.ts and llvm-merge.ts read both forms.
    ...(counting?.kind === 'log' ? ['--log-actions-to=-', '--mlir-print-op-generic'] : []),
    ...(counting?.kind === 'plugin' ? [`--load-dialect-plugin=${counting.path}`] : []),
    ...(opts.extraArgs ?? []),
    '-',
  ];
  // Also without the log: the splitter notes when each module's marker came out, which times a hang.
  const log = counting ? new ActionLogSplitter(SPLIT_MARKER) : undefined;
  const timeoutMs = opts.timeoutMs ?? 20_000;
  const batchTimeoutMs = timeoutMs + (chunks.length > 1 ? (opts.perModuleMs ?? 300) * chunks.length : 0) + (counting?.kind === 'plugin' ? PLUGIN_TIMER_LEAD_MS : 0);
  const startedAt = performance.now();
  const tool = await runTool({
    cmd: tc.path('mlir-opt'),
    args,
    stdin: input,
    timeoutMs: batchTimeoutMs,
    // Symbolizing a stack takes about half a second and names nothing the dynamic symbol table does not: the
    // unsymbolized stack gives the same signature (diagnostics.ts reads both forms).
    env: { LLVM_DISABLE_SYMBOLIZATION: '1', ...(counting?.kind === 'plugin' && { [COVERAGE_FILE_VAR]: counting.file, [MODULE_TIMEOUT_VAR]: String(timeoutMs) }) },
    // A hang's stack names where mlir-opt was looping, which signs the hang as a crash's stack signs the crash.
    timeoutSignal: 'SIGABRT',
    forkServer: true,
    ...(opts.memoryLimitMb !== undefined ? { memoryLimitMb: opts.memoryLimitMb } : {}),
    ...(log && { onStdout: (chunk: Buffer) => log.push(chunk) }),
    ...(counting?.kind === 'log' && { maxOutputBytes: LOGGED_OUTPUT_LIMIT }),
  });
  const logged = log?.finish();
  const records = counting?.kind === 'plugin' ? readRecords(counting.file) : undefined;
  const counted = records?.modules ?? logged?.map((m) => m.features);
  const all = (r: OptResult): Attempt<OptResult> => ({ kind: 'progress', results: new Map(chunks.map((_, k) => [k, r])), next: chunks.length });
  const classified = classify(tool);
  // The plugin's timer stopped a module that had a whole budget to itself: a hang, with the stack it printed.
  const c = classified.kind === 'crash' && records?.timedOut !== undefined ? { kind: 'hang' as const, stack: classified.crash } : classified;
  const stoppedIn = (k: number) => (records?.timedOut === k && records.stoppedIn !== undefined ? { pass: records.stoppedIn } : {});
  if (c.kind === 'spawn-error') return all({ kind: 'spawn-error', message: c.message });
  const outputs = logged ? logged.map((m) => m.output) : splitOutput(tool.stdout);
  if (c.kind === 'crash' || c.kind === 'hang' || c.kind === 'output-limit') {
    // Alone, everything logged was this module's, up to where it stopped.
    const features = (k: number) => (counted?.[k] ? { features: counted[k] } : {});
    if (chunks.length === 1) {
      if (c.kind === 'crash') return all({ kind: 'crash', crash: c.crash, tool, ...features(0) });
      return all(c.kind === 'hang' ? { kind: 'hang', tool, ...(c.stack && { stack: c.stack }), ...stoppedIn(0), ...features(0) } : { kind: c.kind, tool, ...features(0) });
    }
    // mlir-opt writes each module's output and split marker before it starts the next module, so a crash belongs
    // to the module after the last marker, and the modules before it are done: no process is run again.
    // With no marker out, the crash may as well have come before any module (a pass that crashes while it is
    // built): the first module is then run alone.
    const at = outputs.length - 1;
    const done = () => collect(chunks, pipeline, opts, tc, outputs, at, parseDiagnostics(tool.stderr), parseFailureDumps(tool.stderr), features);
    // A batch that ran out of time was on the module after the last marker, and the modules before it are done.
    // When that module had a whole module's budget to itself (the first always has; for another, the log's markers
    // say when it began, and mlir-opt's buffered output only makes that later), it hangs. Otherwise it may only be
    // slow, and the batch resumes at it, so it comes first with a budget of its own. Before, the module ran alone
    // and then the others again: a hang cost a worker two timeouts and a rerun of its batch. Only a tool that
    // SIGABRT stopped printed all it had; SIGKILL loses buffered output, markers too.
    if (c.kind === 'hang' && at < chunks.length) {
      const began = at === 0 ? startedAt : logged?.[at - 1]?.endedAt;
      const hangs = records?.timedOut === at || (tool.signal === 'SIGABRT' && began !== undefined && startedAt + batchTimeoutMs - began >= timeoutMs);
      if (!hangs && at === 0) return { kind: 'failed', failure: { kind: 'hang', tool }, blamed: 0 };
      if (!hangs) return { kind: 'progress', results: await done(), next: at };
    } else if (c.kind !== 'crash' || at >= chunks.length) return { kind: 'failed', failure: { kind: c.kind, tool } as OptResult };
    else if (at === 0) return { kind: 'failed', failure: { kind: 'crash', crash: c.crash, tool }, blamed: 0 };
    const results = await done();
    const own = { ...tool, stdout: outputs[at]! };
    results.set(at, c.kind === 'crash' ? { kind: 'crash', crash: c.crash, tool: own, ...features(at) } : { kind: 'hang', tool: own, ...(c.stack && { stack: c.stack }), ...stoppedIn(at), ...features(at) });
    return { kind: 'progress', results, next: at + 1 };
  }
  if (outputs.length !== chunks.length) {
    // Should not happen; if mlir-opt ever changes how it joins outputs, fall back to one process per module.
    if (chunks.length === 1) return all({ kind: 'error', diagnostics: c.diagnostics });
    const results = new Map<number, OptResult>();
    for (let k = 0; k < chunks.length; k++) results.set(k, (await runMlirOpt([chunks[k]!.text], pipeline, opts))[0]!);
    return { kind: 'progress', results, next: chunks.length };
  }
  const featuresOf = (k: number): { features?: FeatureCounts } => (counted ? { features: counted[k] ?? new Map() } : {});
  const results = await collect(chunks, pipeline, opts, tc, outputs, chunks.length, c.diagnostics, c.kind === 'error' ? c.dumps : [], featuresOf);
  return { kind: 'progress', results, next: chunks.length };
}

/**
 * Results of the first `n` modules of a batch run from their outputs (an empty output is a failed module) and the
 * run's diagnostics, each given to the module its line falls in.
 */
async function collect(
  chunks: readonly Chunk[],
  pipeline: Pipeline,
  opts: MlirOptOptions,
  tc: Toolchain,
  outputs: readonly string[],
  n: number,
  diagnostics: readonly Diagnostic[],
  dumps: readonly FailureDump[],
  featuresOf: (k: number) => { features?: FeatureCounts },
): Promise<Map<number, OptResult>> {
  const startLines = lineStarts(chunks);
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
  const withFeatures = (k: number, r: OptResult, diags: readonly Diagnostic[]): OptResult => {
    const f = featuresOf(k).features;
    if (f) addDiagnosticFeatures(diags, f);
    return f ? { ...r, features: f } : r;
  };
  const failed: number[] = [];
  for (let k = 0; k < n; k++) if (outputs[k]!.trim() === '') failed.push(k);
  // Each failing module printed one IR dump, in module order; when every diagnostic has a line, each failure's
  // diagnostics and dump are known without running it again.
  const attributable = failed.length <= 1 || (dumps.length === failed.length && diagnostics.every((d) => chunkOf(d) !== undefined));
  const results = new Map<number, OptResult>();
  for (let k = 0; k < n; k++) {
    const own = diagnostics.filter((d) => {
      const at = chunkOf(d);
      // The one failing module also owns the diagnostics without a line.
      return at === k || (at === undefined && failed.length === 1 && failed[0] === k);
    });
    const diags = own.map(relocate);
    if (!failed.includes(k)) results.set(k, withFeatures(k, { kind: 'ok', output: relocateLocs(outputs[k]!, startLines[k]!), diagnostics: diags }, diags));
    else if (!attributable) results.set(k, (await runMlirOpt([chunks[k]!.text], pipeline, opts))[0]!);
    else {
      const dump = failed.length === 1 ? dumps : dumps.slice(failed.indexOf(k), failed.indexOf(k) + 1);
      results.set(k, withFeatures(k, await failureResult(chunks[k]!.text, pipeline, opts, tc, diags, dump), diags));
    }
  }
  return results;
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
  const first = diagnostics.find((d) => d.severity === 'error');
  const key = first && `${dump.passArg}\0${normaliseDiagnostic(first.message)}`;
  const known = key === undefined ? undefined : verdicts.get(key);
  if (known) return { kind: known, ...base };
  const verdict = await verifierOrPassFailure(text, pipeline, dump.passArg, opts, tc);
  if (key !== undefined) {
    if (verdicts.size >= VERDICTS) verdicts.delete(verdicts.keys().next().value!);
    verdicts.set(key, verdict.kind);
  }
  if (verdict.kind === 'verifier') return { kind: 'verifier', ...base, ir: verdict.ir };
  return { kind: 'pass-failure', ...base };
}

/**
 * Verdicts of verifierOrPassFailure by pass and normalised first error: a fuzzer meets the same failure thousands
 * of times, and the same pass failing with the same message is the same kind of failure (one or two processes
 * saved per sighting). On a hit the result's `ir` is the failure dump, not the rerun's generic print.
 */
const verdicts = new Map<string, 'verifier' | 'pass-failure'>();
const VERDICTS = 4096;

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
      forkServer: true,
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

function joinChunks(chunks: readonly Chunk[]): string {
  return chunks.map((ch) => (ch.text.endsWith('\n') ? ch.text : ch.text + '\n')).join(SPLIT_MARKER + '\n');
}

/** The line of the joined batch each module starts on. */
function lineStarts(chunks: readonly Chunk[]): number[] {
  const starts: number[] = [];
  let line = 1;
  for (const ch of chunks) {
    starts.push(line);
    line += countLines(ch.text) + (ch.text.endsWith('\n') ? 0 : 1) + 1; // +1 for the marker line
  }
  return starts;
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
