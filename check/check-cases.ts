// The unit of work (DESIGN §2, libFuzzer's RunOne): a case's inputs, the reference, every executor, the oracles,
// the verdict. Cases go in batches so each executor compiles many programs per process; batches are pipelined, so
// the reference and compilation of batch k+1 overlap the runs of batch k. `check`, `fuzz` and triage all use this.
import type { TestCase } from '../contracts/case.ts';
import type { Features } from '../contracts/coverage.ts';
import type { CaseRun, Oracle } from '../contracts/oracle.ts';
import type { ExecOutcome } from '../contracts/outcome.ts';
import type { Reference, ReferenceOutcome } from '../contracts/reference.ts';
import type { CaseResult, Discard } from '../contracts/reporter.ts';
import type { CompiledBatch, ExecOptions, Executor, PortabilityLimits } from '../contracts/target.ts';
import { bufferMemRef, fillInputs } from '../ir/entry-abi.ts';
import type { MemRefType } from '../ir/types.ts';

export type CheckSetup = {
  readonly reference: Reference;
  readonly executors: readonly Executor[];
  readonly oracles: readonly Oracle[];
  readonly exec?: ExecOptions;
  /** Reference steps before a run counts as a hang. */
  readonly stepBudget?: number;
  /**
   * Cases per batch. Default: 32, or for a short list a quarter of it (at least 8), so that a few batches are in
   * flight. Measured on 2 cores: 16 → 32 took a long run from 17.5 to 21 cases/s (64 adds little); 64 cases in 4
   * batches of 16 take 6.6–8.0 s, in 2 batches of 32 7.8–8.7 s.
   */
  readonly batchSize?: number;
  /** Batches in flight at once. Default 2. */
  readonly depth?: number;
  /**
   * The executor whose compilation reports each case's coverage features (`CaseResult.features`); a case it does
   * not run (`TestCase.executors`) takes them from the first executor that runs it. Only those compile requests ask
   * for them, so the cost of collecting them is paid once per case.
   */
  readonly coverageFrom?: string;
};

/** The narrowest limits of the executors: what the reference checks portability against. */
export function narrowestLimits(executors: readonly Executor[], fallback: PortabilityLimits): PortabilityLimits {
  return executors.reduce<PortabilityLimits>((acc, e) => (e.limits.indexBits < acc.indexBits ? e.limits : acc), fallback);
}

/** Results in input order, each batch's as soon as it is done. */
export async function* checkCases(cases: Iterable<TestCase>, setup: CheckSetup): AsyncGenerator<CaseResult> {
  if (setup.coverageFrom !== undefined && !setup.executors.some((e) => e.name === setup.coverageFrom)) {
    throw new Error(`coverageFrom: no executor named '${setup.coverageFrom}' (have ${setup.executors.map((e) => e.name).join(', ')})`);
  }
  const size = setup.batchSize ?? (Array.isArray(cases) ? Math.min(32, Math.max(8, Math.ceil(cases.length / 4))) : 32);
  const depth = setup.depth ?? 2;
  const lanes = new Map(setup.executors.map((e) => [e, new Lane()]));
  const inFlight: Promise<CaseResult[]>[] = [];
  let batch: TestCase[] = [];
  const start = (b: TestCase[]): void => void inFlight.push(checkBatch(b, setup, lanes));
  for (const c of cases) {
    batch.push(c);
    if (batch.length < size) continue;
    start(batch);
    batch = [];
    if (inFlight.length >= depth) yield* await inFlight.shift()!;
  }
  if (batch.length) start(batch);
  while (inFlight.length) yield* await inFlight.shift()!;
}

/**
 * Runs one executor's `run` calls one at a time; compiles overlap. Measured on 2 cores, 192 cases: 28.8–30.6 cases/s
 * with it, 23.6–28.5 without (two JIT processes at once only compete for the cores).
 */
class Lane {
  private tail: Promise<unknown> = Promise.resolve();
  serial<T>(f: () => Promise<T>): Promise<T> {
    const next = this.tail.then(f, f);
    this.tail = next.catch(() => undefined);
    return next;
  }
}

async function checkBatch(batch: readonly TestCase[], setup: CheckSetup, lanes: ReadonlyMap<Executor, Lane>): Promise<CaseResult[]> {
  const { reference, executors } = setup;
  const limits = narrowestLimits(executors, reference.layout);
  const args = batch.map((c) => c.program.entry.args.map(bufferMemRef));
  const refs: ReferenceOutcome[] = batch.map((c, k) =>
    reference.run(c.program, fillInputs(args[k]!, c.inputSeed, reference.layout.indexBits), {
      limits,
      ...(setup.stepBudget !== undefined && { stepBudget: setup.stepBudget }),
    }),
  );
  const runs = (c: TestCase, e: Executor) => c.executors === undefined || c.executors.includes(e.name);
  const judged = batch.flatMap((_, k) => (refs[k]!.kind === 'ok' ? [k] : []));
  const preferred = executors.find((e) => e.name === setup.coverageFrom);
  const coveredBy = batch.map((c) => (preferred === undefined ? undefined : runs(c, preferred) ? preferred : executors.find((e) => runs(c, e))));
  const perExecutor = await Promise.all(
    executors.map((e) => {
      const mine = judged.filter((k) => runs(batch[k]!, e));
      return runOn(e, lanes.get(e)!, mine.map((k) => batch[k]!), mine.map((k) => args[k]!), setup.exec, mine.map((k) => coveredBy[k] === e)).then((r) => ({ ...r, mine }));
    }),
  );
  return batch.map((c, k) => {
    const reference = refs[k]!;
    const at = (ei: number) => (refs[k]!.kind === 'ok' ? perExecutor[ei]!.mine.indexOf(k) : -1);
    const outcomes = new Map(executors.flatMap((e, ei) => (at(ei) < 0 ? [] : [[e.name, { outcome: perExecutor[ei]!.outcomes[at(ei)]!, limits: e.limits }] as const])));
    const run: CaseRun = { case: c, reference, referenceLayout: setup.reference.layout, outcomes };
    const discarded = discardOf(reference);
    const by = coveredBy[k] === undefined ? -1 : executors.indexOf(coveredBy[k]);
    const features = by < 0 || at(by) < 0 ? undefined : perExecutor[by]!.features?.[at(by)];
    return { ...run, ...(discarded && { discarded }), ...(features && { features }), findings: discarded ? [] : setup.oracles.flatMap((o) => o.judge(run)) };
  });
}

async function runOn(
  e: Executor,
  lane: Lane,
  cases: readonly TestCase[],
  args: readonly MemRefType[][],
  opts: ExecOptions | undefined,
  coverage: readonly boolean[],
): Promise<{ outcomes: ExecOutcome[]; features?: readonly (Features | undefined)[] }> {
  if (cases.length === 0) return { outcomes: [] };
  const compiled: CompiledBatch = await e.compile(
    cases.map((c, k) => ({ program: c.program, pipeline: c.pipeline, ...(coverage[k] && { coverage: true }) })),
    opts,
  );
  const inputs = cases.map((c, k) => fillInputs(args[k]!, c.inputSeed, e.limits.indexBits));
  const outcomes = await lane.serial(() => e.run(compiled, inputs, opts));
  return { outcomes, ...(compiled.features && { features: compiled.features }) };
}

function discardOf(r: ReferenceOutcome): Discard | undefined {
  return r.kind === 'ok' ? undefined : r.kind;
}
