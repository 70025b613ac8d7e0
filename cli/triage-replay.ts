// Runs a stored finding's case again, or variants of it (another program, another pipeline; the input seed stays),
// through the fuzzer's own check unit: the reference, the registry's executors and the target's default oracles.
// A variant reproduces when a finding of the same bug comes back (triage/same-bug.ts); a UB-free reference run is
// part of that, since the check unit judges nothing else. Executors live as long as the Replayer, so reduction and
// bisection pay their start-up once, and the variants of one call go through the check unit as one batch.
import { checkCases } from '../check/check-cases.ts';
import type { TestCase } from '../contracts/case.ts';
import type { Campaign, Corpus, FindingId, StoredCase, StoredFinding } from '../contracts/corpus.ts';
import type { Finding, Oracle } from '../contracts/oracle.ts';
import type { PassCatalog, Pipeline } from '../contracts/pipeline.ts';
import type { ExecOptions, Executor } from '../contracts/target.ts';
import { entryArgs, entryBuffer } from '../ir/entry-abi.ts';
import { parseModule } from '../ir/parser/index.ts';
import { defaultOracles } from '../oracles/index.ts';
import { createExecutor, reference, targetOf } from '../targets/registry.ts';
import type { Reproduces } from '../triage/candidate.ts';
import { sameBug } from '../triage/same-bug.ts';

export type ReplayResult = {
  readonly reproduces: boolean;
  /** Every finding of the run, on every executor that ran it. */
  readonly findings: readonly Finding[];
  /** The reference ran the program to its end without UB (else nothing was judged). */
  readonly ubFree: boolean;
};

/** A variant of the finding's case; what it leaves out is the stored case's. */
export type Variant = { readonly programText?: string; readonly pipelineText?: string; readonly pipeline?: Pipeline };

/**
 * - own: only the executor that misbehaved (what reduction and bisection need, at the least cost);
 * - campaign: every backend of the finding's campaign (interp, native and wasm without one), so the findings say
 *   which other executors agree, as the fuzzer's confirmation run did.
 */
export type Scope = 'own' | 'campaign';

/** Backends of a campaign that recorded none (fuzz's default, the reference apart). */
const DEFAULT_BACKENDS = ['native', 'wasm'];

/** A finding with what replaying it needs: its case, its target's catalog, its pipeline parsed, its campaign's settings. */
export type Subject = { readonly finding: StoredFinding; readonly case: StoredCase; readonly catalog: PassCatalog; readonly original: Pipeline; readonly config: CampaignConfig };
type CampaignConfig = { readonly backends?: readonly string[]; readonly timeoutMs?: number; readonly compileTimeoutMs?: number; readonly stepBudget?: number };

export class Replayer {
  private readonly executors = new Map<string, Executor>();
  private readonly oracles = new Map<PassCatalog, readonly Oracle[]>();

  constructor(private readonly corpus: Corpus) {}

  /** Why the finding's own executor cannot run here (a missing tool), or undefined. */
  unavailable(id: FindingId): string | undefined {
    const { finding } = this.subject(id);
    return this.executor(finding.executor).unavailableReason();
  }

  async replay(id: FindingId, variants: readonly Variant[], scope: Scope = 'campaign'): Promise<ReplayResult[]> {
    const s = this.subject(id);
    const names = scope === 'own' ? [s.finding.executor] : [...new Set([...(s.config.backends ?? DEFAULT_BACKENDS), s.finding.executor])];
    const executors = names.filter((n) => n !== reference.name && targetOf(n) !== undefined).map((n) => this.executor(n));
    const results: (ReplayResult | undefined)[] = variants.map(() => undefined);
    const cases: TestCase[] = [];
    const at = new Map<TestCase, number>();
    variants.forEach((v, k) => {
      const c = this.testCase(s, v, k);
      if (c) at.set(cases[cases.push(c) - 1]!, k);
      // A program tcfuzz cannot read (or without the test entry) is no case: it cannot show the bug.
      else results[k] = { reproduces: false, findings: [], ubFree: false };
    });
    const exec: ExecOptions = { ...(s.config.timeoutMs !== undefined && { timeoutMs: s.config.timeoutMs }), ...(s.config.compileTimeoutMs !== undefined && { compileTimeoutMs: s.config.compileTimeoutMs }) };
    const setup = { reference, executors, oracles: this.oraclesOf(s.catalog), exec, batchSize: Math.max(1, cases.length), ...(s.config.stepBudget !== undefined && { stepBudget: s.config.stepBudget }) };
    for await (const r of checkCases(cases, setup)) {
      const found = { signature: s.finding.signature, pipeline: s.original };
      const reproduces = r.discarded === undefined && r.findings.some((f) => sameBug(found, { signature: f.signature, pipeline: r.case.pipeline }));
      results[at.get(r.case)!] = { reproduces, findings: r.findings, ubFree: r.discarded === undefined };
    }
    return results as ReplayResult[];
  }

  /** Triage's question for finding `id`, asked of its own executor. */
  reproduces(id: FindingId): Reproduces {
    return async (candidates) => (await this.replay(id, candidates.map((c) => ({ programText: c.program, pipeline: c.pipeline })), 'own')).map((r) => r.reproduces);
  }

  async close(): Promise<void> {
    await Promise.all([...this.executors.values()].map((e) => e.close()));
    this.executors.clear();
  }

  /** Throws for an unknown finding, or one of a backend this tcfuzz does not have. */
  subject(id: FindingId): Subject {
    const finding = this.corpus.finding(id);
    if (!finding) throw new Error(`no finding ${id} in ${this.corpus.path}`);
    const target = targetOf(finding.executor);
    if (!target) throw new Error(`finding ${id} was found by backend '${finding.executor}', which this tcfuzz does not have`);
    const kase = this.corpus.case(finding.case)!; // a foreign key
    const campaign: Campaign | undefined = finding.campaign === undefined ? undefined : this.corpus.campaign(finding.campaign);
    return { finding, case: kase, catalog: target.catalog, original: target.catalog.parse(kase.pipeline.text), config: (campaign?.config ?? {}) as CampaignConfig };
  }

  private testCase(s: Subject, v: Variant, k: number): TestCase | undefined {
    const text = v.programText ?? s.case.program.text;
    const pipeline = v.pipeline ?? (v.pipelineText === undefined ? s.original : s.catalog.parse(v.pipelineText));
    try {
      const module = parseModule(text);
      const args = entryArgs(module);
      return { name: `finding-${s.finding.id}:${k}`, program: { text, entry: { name: 'main', args: args.map(entryBuffer) }, ir: module }, pipeline, inputSeed: s.case.inputSeed };
    } catch {
      return undefined;
    }
  }

  private executor(name: string): Executor {
    let e = this.executors.get(name);
    if (!e) this.executors.set(name, (e = createExecutor(name)));
    return e;
  }

  private oraclesOf(catalog: PassCatalog): readonly Oracle[] {
    let o = this.oracles.get(catalog);
    if (!o) this.oracles.set(catalog, (o = defaultOracles(catalog)));
    return o;
  }
}

/** One run of finding `id`'s case (or a variant) on its campaign's backends. */
export async function replay(corpus: Corpus, id: FindingId, variant: Variant = {}): Promise<ReplayResult> {
  const r = new Replayer(corpus);
  try {
    return (await r.replay(id, [variant]))[0]!;
  } finally {
    await r.close();
  }
}
