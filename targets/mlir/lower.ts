// The front half both CPU executors share: optimise + lower a batch with one mlir-opt per distinct pipeline, then
// check that each lowered module still exposes the entry the harness will call.
import type { Pipeline } from '../../contracts/pipeline.ts';
import type { CompileRequest, ExecOptions, PortabilityLimits } from '../../contracts/target.ts';
import { bufferMemRef } from '../../ir/entry-abi.ts';
import type { MemRefType } from '../../ir/types.ts';
import { loweredEntryTypes, loweredSignature } from './abi.ts';
import type { LoweredParts } from './llvm-merge.ts';
import { MergeError, splitLowered, stripArithFastmath } from './llvm-merge.ts';
import type { OptResult } from './mlir-opt.ts';
import { runMlirOpt } from './mlir-opt.ts';
import { printPipeline } from './passes/pipeline.ts';
import type { Failure } from './tool-outcome.ts';
import type { Toolchain } from './toolchain.ts';

export type LowerRequest = {
  readonly text: string;
  readonly entry: string;
  readonly args: readonly MemRefType[];
  readonly pipeline: Pipeline;
  /** Collect mlir-opt's coverage features for this program (targets/mlir/action-log.ts). */
  readonly coverage?: boolean;
};

/** Features of the whole mlir-opt run (pipeline + suffix) when the request asked for coverage. */
type WithFeatures = { readonly features?: ReadonlyMap<string, number> };

export type Lowered = ({ readonly kind: 'lowered'; readonly parts: LoweredParts } | { readonly kind: 'failed'; readonly outcome: Failure }) & WithFeatures;

/** A program of a batch that lowered: its index `k` in the batch, its LLVM-dialect parts, its entry. */
export type LoweredMember = { readonly k: number; readonly parts: LoweredParts; readonly entry: string; readonly args: readonly MemRefType[] };

/**
 * The executors' front half: lowers a batch of compile requests. Per request, either a member ready to merge or the
 * failure; `optMs` is mlir-opt's time per request.
 */
export async function lowerBatch(
  requests: readonly CompileRequest[],
  suffix: Pipeline,
  opts: Parameters<typeof lowerPrograms>[2],
): Promise<{ members: LoweredMember[]; failures: (Failure | undefined)[]; features: (ReadonlyMap<string, number> | undefined)[]; optMs: number }> {
  const t0 = performance.now();
  const args = requests.map((r) => r.program.entry.args.map(bufferMemRef));
  const lowered = await lowerPrograms(
    requests.map((r, k) => ({ text: r.program.text, entry: r.program.entry.name, args: args[k]!, pipeline: r.pipeline, ...(r.coverage && { coverage: true }) })),
    suffix,
    opts,
  );
  const members: LoweredMember[] = [];
  const failures = lowered.map((l, k) => {
    if (l.kind === 'failed') return l.outcome;
    members.push({ k, parts: l.parts, entry: requests[k]!.program.entry.name, args: args[k]! });
    return undefined;
  });
  return { members, failures, features: lowered.map((l) => l.features), optMs: (performance.now() - t0) / Math.max(1, requests.length) };
}

export async function lowerPrograms(
  requests: readonly LowerRequest[],
  suffix: Pipeline,
  opts: ExecOptions & { readonly toolchain: Toolchain; readonly indexBits: PortabilityLimits['indexBits']; readonly moduleAttribute?: string },
): Promise<Lowered[]> {
  const out: Lowered[] = new Array(requests.length);
  const byPipeline = new Map<string, number[]>();
  requests.forEach((r, k) => {
    // Coverage changes mlir-opt's flags (and, from the action log, its output form), so it gets its own process.
    const key = printPipeline(r.pipeline) + (r.coverage ? ' +coverage' : '');
    byPipeline.set(key, [...(byPipeline.get(key) ?? []), k]);
  });
  for (const ks of byPipeline.values()) {
    const texts = ks.map((k) => (opts.moduleAttribute ? addModuleAttribute(requests[k]!.text, opts.moduleAttribute) : requests[k]!.text));
    const results = await runMlirOpt(texts, [...requests[ks[0]!]!.pipeline, ...suffix], {
      toolchain: opts.toolchain,
      timeoutMs: opts.compileTimeoutMs ?? 30_000,
      ...(opts.memoryLimitMb !== undefined ? { memoryLimitMb: opts.memoryLimitMb } : {}),
      ...(requests[ks[0]!]!.coverage && { coverage: true }),
    });
    results.forEach((r, j) => {
      const l = afterOpt(r, requests[ks[j]!]!, opts.indexBits);
      out[ks[j]!] = r.features ? { ...l, features: r.features } : l;
    });
  }
  return out;
}

function afterOpt(r: OptResult, req: LowerRequest, indexBits: PortabilityLimits['indexBits']): Lowered {
  const failed = (outcome: Failure): Lowered => ({ kind: 'failed', outcome });
  const ms = {};
  switch (r.kind) {
    case 'ok':
      break;
    case 'error':
      return failed({ kind: 'compile-failure', stage: 'mlir-opt', reason: 'error', diagnostics: r.diagnostics, ms });
    case 'pass-failure':
    case 'verifier':
      return failed({ kind: 'compile-failure', stage: 'mlir-opt', reason: r.kind, pass: r.pass, diagnostics: r.diagnostics, ir: r.ir, ms });
    case 'crash':
      return failed({ kind: 'crash', stage: 'mlir-opt', crash: r.crash, tool: r.tool, ms });
    case 'hang':
      return failed({ kind: 'hang', stage: 'mlir-opt', tool: r.tool, ...(r.stack && { stack: r.stack }), ...(r.pass !== undefined && { pass: r.pass }), ms });
    case 'output-limit':
      return failed({ kind: 'compile-failure', stage: 'mlir-opt', reason: 'output-limit', diagnostics: [], tool: r.tool, ms });
    case 'spawn-error':
      return failed({ kind: 'unavailable', reason: r.message, ms });
  }
  const text = stripArithFastmath(r.output);
  const abi = (message: string): Lowered =>
    failed({ kind: 'compile-failure', stage: 'harness', reason: 'abi', diagnostics: [{ severity: 'error', message, notes: [] }], ir: text, ms });
  const got = loweredSignature(text, req.entry);
  const want = loweredEntryTypes(req.args, indexBits);
  if (!got) return abi(`the lowered module has no llvm.func @${req.entry}`);
  if (got.returnsValue) return abi(`@${req.entry} returns a value; the input ABI has outputs only in argument buffers`);
  if (got.args.join(', ') !== want.join(', ')) {
    return abi(`lowered @${req.entry} takes (${got.args.join(', ')}), the input ABI calls it with (${want.join(', ')})`);
  }
  const left = unconvertedOps(text);
  if (left.length > 0) {
    return failed({
      kind: 'compile-failure',
      stage: 'mlir-opt',
      reason: 'error',
      diagnostics: [{ severity: 'error', message: `the lowering suffix left non-LLVM ops: ${left.join(', ')}`, notes: [] }],
      ir: text,
      ms,
    });
  }
  try {
    return { kind: 'lowered', parts: splitLowered(text) };
  } catch (e) {
    if (e instanceof MergeError) return abi(e.message);
    throw e;
  }
}

/** Op names other than llvm.* in a printed module: partial conversions succeed silently and leave them behind. */
export function unconvertedOps(text: string): string[] {
  const names = new Set<string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim().replace(/^(?:%[\w$.-]+(?::\d+)?(?:, %[\w$.-]+(?::\d+)?)* = )/, '');
    const m = /^"?([a-z_][\w$]*\.[\w$.]+)"?[\s(<{]/.exec(line + ' ');
    if (m && !m[1]!.startsWith('llvm.') && m[1] !== 'builtin.module') names.add(m[1]!);
  }
  return [...names].sort();
}

/**
 * Adds an attribute to the top-level module, whichever way the text spells it: custom `module ... {`, generic
 * `"builtin.module"() ({...}) : () -> ()`, or no module op at all (then one is opened on the first op's line, so
 * diagnostics keep their line numbers).
 */
export function addModuleAttribute(text: string, attr: string): string {
  const lines = text.split('\n');
  const first = lines.findIndex((l) => {
    const t = l.trim();
    return t !== '' && !t.startsWith('//') && !/^[#!][\w$.-]+\s*=/.test(t);
  });
  if (first < 0) return text;
  const line = lines[first]!;
  const custom = /^(\s*module(?:\s+@[\w$.-]+)?)(\s+attributes\s*\{)?/.exec(line);
  if (custom && /^\s*module\b/.test(line)) {
    lines[first] = custom[2]
      ? line.slice(0, custom[0].length) + `${attr}, ` + line.slice(custom[0].length)
      : custom[1] + ` attributes {${attr}}` + line.slice(custom[1]!.length);
    return lines.join('\n');
  }
  if (/^\s*"builtin\.module"/.test(line)) {
    // The generic form puts attributes after the region, on the module's last line: `}) {a = 1} : () -> ()`.
    const t = text.trimEnd();
    const m = /\}\)[ \t]*(?:\{([^\n]*)\})?([ \t]*:[ \t]*\(\)[ \t]*->[ \t]*\(\)[ \t]*)$/.exec(t);
    if (!m) return text;
    const dict = m[1] !== undefined ? `{${attr}, ${m[1]}}` : `{${attr}}`;
    return t.slice(0, m.index) + `}) ${dict} ` + m[2]!.trimStart() + text.slice(t.length);
  }
  lines[first] = `module attributes {${attr}} { ` + line;
  return lines.join('\n') + '\n}\n';
}
