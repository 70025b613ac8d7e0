// The rewrite pattern behind an mlir-opt failure (triage's PatternBisect). mlir-opt's debug counter lets only the
// first N pattern applications act (`--mlir-debug-counter=apply-pattern-skip=0,apply-pattern-count=N`; the
// action is ApplyPatternAction, tag `apply-pattern`, and every attempt counts, matched or not), so bisecting N
// finds the application that makes the failure appear, and the action log (`--log-actions-to=-`) of the same run
// without the counter names its pattern and op: the first N applications are the same in both runs.
import { runTool } from '../exec/tool-driver.ts';
import type { Candidate } from '../triage/candidate.ts';
import type { PatternBisect, PatternBlame } from '../triage/bisect.ts';
import { normaliseDiagnostic, opName } from '../targets/mlir/action-log.ts';
import { topFrames } from '../targets/mlir/diagnostics.ts';
import type { OptResult } from '../targets/mlir/mlir-opt.ts';
import { runMlirOpt } from '../targets/mlir/mlir-opt.ts';
import { passPipelineArg } from '../targets/mlir/passes/pipeline.ts';
import type { Toolchain } from '../targets/mlir/toolchain.ts';
import { findToolchain } from '../targets/mlir/toolchain.ts';

/** Probes run side by side each round: the search splits the range in PROBES + 1 parts. */
const PROBES = 3;
const APPLY_PATTERN = /Action `apply-pattern pattern: (.*?) \((?!anonymous namespace\))(.*)$/;

export type PatternBisectOptions = { readonly toolchain?: Toolchain; readonly timeoutMs?: number };

/**
 * What makes two failures of mlir-opt the same: how it failed, in which pass, and its top frames or first error.
 * Undefined when it did not fail.
 */
function failureKey(r: OptResult): string | undefined {
  switch (r.kind) {
    case 'ok':
      return undefined;
    case 'crash':
      return `crash|${topFrames(r.crash).join(' < ')}`;
    case 'pass-failure':
    case 'verifier':
    case 'error':
      return `${r.kind}|${'pass' in r ? r.pass : ''}|${normaliseDiagnostic(r.diagnostics.find((d) => d.severity === 'error')?.message ?? '')}`;
    default:
      return r.kind;
  }
}

export function mlirPatternBisect(opts: PatternBisectOptions = {}): PatternBisect {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const run = async (c: Candidate, count?: number): Promise<string | undefined> => {
    const extraArgs = count === undefined ? [] : [`--mlir-debug-counter=apply-pattern-skip=0,apply-pattern-count=${count}`];
    const [r] = await runMlirOpt([c.program], c.pipeline, { ...opts, timeoutMs, extraArgs, classifyFailures: true });
    return failureKey(r!);
  };
  return async (c: Candidate): Promise<PatternBlame> => {
    const target = await run(c);
    if (target === undefined) return { kind: 'none', reason: 'mlir-opt runs these passes alone without failing: the bug needs what comes after them (the lowering, a later tool, or the run)' };
    const applications = await applicationLog(c, opts.toolchain ?? findToolchain(), timeoutMs);
    if (applications.length === 0) return { kind: 'none', reason: 'no rewrite pattern is applied before the failure' };
    if ((await run(c, 0)) === target) return { kind: 'none', reason: 'it fails with every pattern application skipped (a fold or the pass itself)' };
    // lo: a count that does not fail the same way; hi: one that does (all of them do, as the run without a counter).
    let lo = 0;
    let hi = applications.length;
    while (hi - lo > 1) {
      const points = [...new Set(Array.from({ length: PROBES }, (_, j) => lo + Math.round(((j + 1) * (hi - lo)) / (PROBES + 1))))].filter((n) => n > lo && n < hi);
      const same = await Promise.all(points.map(async (n) => (await run(c, n)) === target));
      const first = same.indexOf(true);
      if (first >= 0) hi = points[first]!;
      lo = Math.max(lo, ...points.filter((n, j) => !same[j] && n < hi));
    }
    const { pattern, op } = applications[hi - 1]!;
    return { kind: 'pattern', pattern, op, application: hi, applications: applications.length };
  };
}

/** Every pattern application attempt of the run, in order, from its action log. */
async function applicationLog(c: Candidate, tc: Toolchain, timeoutMs: number): Promise<{ pattern: string; op: string }[]> {
  const r = await runTool({
    cmd: tc.path('mlir-opt'),
    args: [passPipelineArg(c.pipeline), '--mlir-disable-threading', '--log-actions-to=-', '-o', '/dev/null', '-'],
    stdin: c.program,
    timeoutMs,
    env: { LLVM_DISABLE_SYMBOLIZATION: '1' },
    maxOutputBytes: 1 << 30,
    forkServer: true,
  });
  const out: { pattern: string; op: string }[] = [];
  for (const line of r.stdout.split('\n')) {
    const m = APPLY_PATTERN.exec(line);
    if (m) out.push({ pattern: m[1]!.replace(/\(anonymous namespace\)::/g, ''), op: opName(m[2]!, 0) });
  }
  return out;
}
