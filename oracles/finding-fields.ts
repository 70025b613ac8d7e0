// What every oracle's findings share: which tool misbehaved, the pipeline's pass names, which other executors saw
// the same thing, and whom to suspect. The executor names below ('wasm…' runs in V8, 'native' under mlir-runner)
// are the one place oracles know a backend: only for runs that record no tool process of their own.
import type { CaseRun, Finding } from '../contracts/oracle.ts';
import type { ExecOutcome } from '../contracts/outcome.ts';
import { describeFailure } from './describe-failure.ts';
import { signature } from './signature.ts';

/** An outcome that is an executor's failure (never 'ok', never 'unavailable': that executor could not try). */
export type Failed = Exclude<ExecOutcome, { kind: 'ok' | 'unavailable' }>;

/** A finding before `agreeing` and `suspect`, which depend on the other executors' findings. */
export type Draft = Omit<Finding, 'agreeing' | 'suspect'>;

/**
 * The program that misbehaved: the tool the outcome records (its file name without a version suffix), else the
 * stage, else for a run with no process of its own the executor's runtime (V8 for wasm).
 */
export function toolOf(executor: string, o: ExecOutcome): string {
  const argv0 = 'tool' in o ? o.tool?.argv[0] : undefined;
  if (argv0) return argv0.replace(/^.*\//, '').replace(/-\d+(?:\.\d+)*$/, '');
  if ('stage' in o && o.stage !== 'run') return o.stage;
  if (/^wasm/.test(executor)) return 'v8';
  if (executor === 'native') return 'mlir-runner';
  return executor;
}

/** The case's pipeline as pass names, options left out. */
export function pipelinePasses(run: CaseRun): string[] {
  return run.case.pipeline.map((s) => s.pass);
}

/** Every executor's failed outcome of the kinds asked for, in executor order. */
export function failedOutcomes<K extends Failed['kind']>(run: CaseRun, kinds: readonly K[]): [string, Extract<Failed, { kind: K }>][] {
  const out: [string, Extract<Failed, { kind: K }>][] = [];
  for (const [executor, { outcome }] of run.outcomes) if ((kinds as readonly string[]).includes(outcome.kind)) out.push([executor, outcome as Extract<Failed, { kind: K }>]);
  return out;
}

/**
 * Fills `agreeing`: the other executors whose draft has the same `key` (the signature, unless the oracle says what
 * "the same" is). For a wrong run (`wrongRun`) also `suspect`, with `right` the executors that ran right.
 */
export function withAgreement(
  run: CaseRun,
  drafts: readonly Draft[],
  opts: { readonly key?: (d: Draft) => string; readonly wrongRun?: (d: Draft) => boolean; readonly right?: readonly string[] } = {},
): Finding[] {
  const key = opts.key ?? ((d: Draft) => d.signature);
  return drafts.map((d) => {
    const agreeing = drafts.filter((o) => o.executor !== d.executor && key(o) === key(d)).map((o) => o.executor);
    return { ...d, agreeing, ...(opts.wrongRun?.(d) && suspectOf(run, d.executor, agreeing, opts.right ?? [])) };
  });
}

/** See `Finding.suspect`: among the executors that could run the case, did the others agree, or run it right? */
export function suspectOf(run: CaseRun, executor: string, agreeing: readonly string[], right: readonly string[]): Pick<Finding, 'suspect'> {
  const others = [...run.outcomes].filter(([e, { outcome }]) => e !== executor && outcome.kind !== 'unavailable').map(([e]) => e);
  if (others.length === 0) return {};
  if (others.every((e) => agreeing.includes(e))) return run.case.pipeline.length > 0 ? { suspect: 'pipeline' } : {};
  return others.some((e) => right.includes(e)) ? { suspect: 'executor' } : {};
}

/** Executors whose outcome is 'ok' (for a trap or hang: ran to the end, whatever they computed). */
export function okExecutors(run: CaseRun): string[] {
  return [...run.outcomes].filter(([, { outcome }]) => outcome.kind === 'ok').map(([e]) => e);
}

/** The first error diagnostic's message, else the tool's first line of stderr, else ''. */
export function firstError(o: Extract<Failed, { kind: 'compile-failure' }>): string {
  return o.diagnostics.find((d) => d.severity === 'error')?.message ?? o.tool?.stderr.trim().split('\n')[0] ?? '';
}

/** A compile failure judged by its diagnostic (no stack): the signature is made from `message`. */
export function diagnosticDraft(
  kind: 'invalid-ir' | 'pass-failure' | 'compile-failure',
  executor: string,
  o: Extract<Failed, { kind: 'compile-failure' }>,
  message: string = firstError(o),
): Draft {
  const tool = toolOf(executor, o);
  const pass = o.pass !== undefined ? { pass: o.pass } : {};
  return { kind, executor, stage: o.stage, ...pass, tool, frames: [], detail: describeFailure(o), signature: signature({ kind, tool, frames: [], message, ...pass }) };
}
