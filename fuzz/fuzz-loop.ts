// One worker's campaign (libFuzzer's Loop → MutateAndTestOne → RunOne, kept that flat): pick a seed by energy,
// mutate its IR or its pipeline (the joint policy), run the case through the check unit, keep it when it reaches a
// new (feature, bucket) pair, and report findings once confirmed. Every draw comes from (seed, worker, iteration),
// so the same seed and iterations give the same cases.
import type { TestCase } from '../contracts/case.ts';
import type { Finding } from '../contracts/oracle.ts';
import type { PassCatalog, Pipeline } from '../contracts/pipeline.ts';
import type { CaseResult } from '../contracts/reporter.ts';
import { bucketBit } from '../coverage/buckets.ts';
import { CoverageMap } from '../coverage/feature-map.ts';
import { compilerFeatureId, hashFeatures, isProgramFeature, programFeatureId } from '../coverage/feature-id.ts';
import { opDependencyFeatures } from '../coverage/op-dependency.ts';
import type { Operation } from '../ir/core.ts';
import { entryArgs, entryBuffer } from '../ir/entry-abi.ts';
import { parseModule } from '../ir/parser/index.ts';
import { DEFAULT_WEIGHTS, generateFromSeed, programSeed, programText } from '../mutators/generate/index.ts';
import { Rand } from '../mutators/generate/rand.ts';
import type { IrProgram } from '../mutators/ir/mutator.ts';
import { mutateProgram } from '../mutators/ir/registry.ts';
import { mutatePipeline, randomPipeline } from '../mutators/pipeline/registry.ts';
import { usefulPasses } from '../mutators/pipeline/useful-passes.ts';
import { FloodControl } from './flood-control.ts';
import { JointPolicy } from './joint-policy.ts';
import type { CaseRecord, ProgressDelta, SeedRecord, WorkerConfig, WorkerMessage } from './protocol.ts';
import { seedHits } from './protocol.ts';
import type { Seed } from './seed-pool.ts';
import { SeedPool } from './seed-pool.ts';
import type { Suppressions } from './suppressions.ts';
import { parseSuppressions } from './suppressions.ts';

export type LoopDeps = {
  /** The check unit: reference, executors (coverage from the first), oracles. */
  readonly runCases: (cases: Iterable<TestCase>) => AsyncIterable<CaseResult>;
  readonly catalog: PassCatalog;
  /** Operator seeds and other starting programs; this worker takes its share. */
  readonly initialPrograms: readonly { readonly name: string; readonly text: string }[];
  readonly send: (m: WorkerMessage) => void;
  readonly stopped: () => boolean;
  /**
   * The signature of a finding blamed on one pass ('' for the backend's own lowering): a wrong run (miscompile,
   * runtime trap), or a tool failure that its signature keys by the pipeline's passes (a crash in unexported code).
   */
  readonly blame: (f: Finding, pass: string) => string;
  /** Seeds other workers kept since the last call, if the campaign shares them. */
  readonly received?: () => readonly SeedRecord[];
};

/** Size of generated programs: small programs compile fast, and mutation grows them. */
const GENERATED = { mainOps: [10, 50] as [number, number], maxCallees: 2 };
/** Generated programs each worker starts with, beside the operator seeds. */
const INITIAL_GENERATED = 24;
/** Mutants larger than this are dropped: compile time grows with size, and findings must stay reducible. */
const MAX_PROGRAM_CHARS = 16_000;
/**
 * Mutations stacked on one case, drawn uniformly from 1 to STACKED (AFL's havoc stacks up to 128). Compiler features
 * at 3,000 cases (one worker, --iterations), seeds 1, 2 and 3: up to 3 gave 4,554, 4,287 and 3,970; up to 6, 4,502,
 * 4,577 and 4,138; up to 10, 4,761, 4,726 and 4,375; up to 16, 4,818, 4,758 and 4,691; up to 32 (seed 1) 4,749, at a
 * third more time per case. Mutants grow faster, so a case costs more (mlir-opt's time follows the program's size),
 * but the features per case more than pay for it.
 */
const STACKED = 16;
/** Cull the pool to a cover each time it has grown by this factor. */
const CULL_GROWTH = 1.5;

/** Parsed pool programs kept in memory (least recently used go first). */
const PARSED_CACHE = 256;
/** Pipelines longer than this are shrunk to their useful passes when kept. */
const SHRINK_ABOVE = 4;
/**
 * Share of rounds that explore blindly: fresh generated programs under a fresh pipeline. And the share of pipeline
 * rounds that try a fresh pipeline on pool programs instead of mutating the seed's: a new pipeline on programs that
 * already reached something is where the pool pays most. Measured in 120-s campaigns (--jobs 2 --seed 1), compiler
 * features at 5,000 cases: 0.5 and 0.25 gave 4,950; 0.3 and 0.25, 4,898; 0.7 and 0.25, 4,783; 0.5 and 0.6, 5,051;
 * 0.5 and 1, 4,951; 0.3 and 0.6, 5,108, 5,160 and 4,959 (repeats of one setting differ by ±2%).
 */
const EXPLORE = 0.3;
const FRESH_PIPELINE = 0.6;
/**
 * Extra weight of a pass no case has run yet; it fades as the pass is used (halved after NOVELTY_FADE cases). Without
 * it, pipelines mutated from the pool kept to the passes the pool already had, and a campaign ran fewer distinct
 * passes than the random baseline (95 vs 116 in 800 cases).
 */
const NOVELTY = 3;
const NOVELTY_FADE = 8;
/** Findings confirmed and bisected at once beside the campaign's batches; one more waits for the oldest to finish. */
const MAX_SETTLING = 4;
/** Cases per round: they share one pipeline and one executor (see startRound). */
const ROUND = 8;

type Round = { readonly end: number; readonly mode: 'ir' | 'pipeline'; readonly pipeline: Pipeline; readonly parent?: Seed; readonly suffix: string };
type Made = { program: IrProgram; text?: string; pipeline: Pipeline; name: string; lineage: string; parent?: Seed };

type CaseMeta = { readonly record: CaseRecord; readonly module: Operation; readonly parent?: Seed; readonly mutateMs: number };

export class FuzzLoop {
  private readonly pool = new SeedPool();
  private readonly coverage = new CoverageMap();
  private readonly policy: JointPolicy;
  private readonly flood: FloodControl;
  private readonly suppressions: Suppressions | undefined;
  private readonly meta = new Map<TestCase, CaseMeta>();
  private readonly parsed = new Map<string, IrProgram>();
  private readonly initial: { name: string; text: string }[];
  /** Signatures of confirmed wrong runs and of pipeline-keyed tool failures → the first bad pass and the signature blamed on it. */
  private readonly confirmed = new Map<string, Promise<{ readonly pass: string; readonly signature: string }>>();
  /** Findings being confirmed and bisected while the campaign goes on (see onResult). */
  private readonly settling = new Set<Promise<void>>();
  private settleError: unknown;
  /** Judged cases that ran each pass (catalog name). */
  private readonly passUses = new Map<string, number>();
  /** Messages of the generator and mutator errors reported so far. */
  private readonly internalErrors = new Set<string>();
  private delta = emptyDelta(0);
  private lastProgress = 0;
  private culledAt = 0;
  private keys = 0;
  private round: Round | undefined;

  constructor(
    private readonly cfg: WorkerConfig,
    private readonly deps: LoopDeps,
  ) {
    this.policy = new JointPolicy(cfg.stallLimit);
    this.flood = new FloodControl(cfg.floodThreshold);
    this.suppressions = cfg.suppressions ? parseSuppressions(cfg.suppressions, '--suppress') : undefined;
    for (const s of cfg.pool) this.adopt(s);
    this.culledAt = this.pool.size;
    this.initial = this.pool.size > 0 || cfg.noFeedback ? [] : this.initialShare();
  }

  async run(): Promise<void> {
    for await (const r of this.deps.runCases(this.cases())) {
      await this.onResult(r);
      if (performance.now() - this.lastProgress > 1000) this.flushProgress();
    }
    while (this.settling.size > 0) await Promise.race(this.settling);
    if (this.settleError !== undefined) throw this.settleError;
    this.flushProgress();
  }

  private initialShare(): { name: string; text: string }[] {
    const jobs = Math.max(1, this.cfg.jobs);
    const mine = this.deps.initialPrograms.filter((_, k) => k % jobs === this.cfg.worker);
    for (let k = 0; k < INITIAL_GENERATED; k++) {
      const seed = programSeed(this.cfg.seed, this.cfg.worker * 1000 + k);
      mine.push({ name: `gen:${seed}`, text: programText(generateFromSeed(seed, GENERATED)) });
    }
    return mine;
  }

  /** The campaign's cases, drawn lazily: the check unit asks for the next batch once results of earlier ones are in. */
  private *cases(): Generator<TestCase> {
    const end = this.cfg.iterations === undefined ? Infinity : this.cfg.firstIteration + this.cfg.iterations;
    for (let i = this.cfg.firstIteration; i < end && !this.deps.stopped(); i++) {
      this.delta = { ...this.delta, iteration: i + 1 };
      const c = this.makeCaseOrSay(i);
      if (c) yield c;
    }
  }

  /**
   * A generator or mutator that throws is tcfuzz's bug, not the compiler's: the parent hears of it (once per message)
   * and the campaign goes on without that case. Dying instead, the worker met the same case again after each restart,
   * and the campaign ended early.
   */
  private makeCaseOrSay(i: number): TestCase | undefined {
    try {
      return this.makeCase(i);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      if (!this.internalErrors.has(message)) {
        this.internalErrors.add(message);
        this.deps.send({ type: 'error', message: `making case ${i}: ${e instanceof Error ? e.stack : message}` });
      }
      return undefined;
    }
  }

  private makeCase(i: number): TestCase {
    const t0 = performance.now();
    const rand = Rand.seeded(programSeed(this.cfg.seed ^ Math.imul(this.cfg.worker + 1, 0x9e3779b1), i));
    const inputSeed = rand.int(0, 0x7fffffff);
    const made = this.mutant(rand, i);
    const module = made.program.module;
    const text = made.text ?? programText(made.program);
    const record: CaseRecord = {
      name: made.name,
      text,
      pipeline: this.deps.catalog.print(made.pipeline),
      inputSeed,
      lineage: made.lineage,
      ...(made.parent && { parentKey: made.parent.key }),
    };
    const c: TestCase = {
      name: `w${this.cfg.worker}:${i}`,
      program: { text, entry: { name: 'main', args: made.program.args.map(entryBuffer) }, ir: module },
      pipeline: made.pipeline,
      inputSeed,
      ...(this.cfg.backends.length > 1 && { executors: [this.cfg.backends[Math.floor(i / ROUND) % this.cfg.backends.length]!] }),
    };
    this.meta.set(c, { record, module, ...(made.parent && { parent: made.parent }), mutateMs: performance.now() - t0 });
    return c;
  }

  /**
   * Cases come in rounds of ROUND that share one pipeline: the executors run one mlir-opt per distinct pipeline in
   * a batch, so a batch of unrelated pipelines would cost a process per case. Each round runs on one executor, the
   * next round on the next: compiling every case for every backend doubled the cost of a case (mlir-opt is 80% of
   * it), and a wrong result is confirmed on all of them anyway (onFinding). An IR round mutates the programs of
   * the round's seed and of others drawn by energy, under the round seed's pipeline; a pipeline round replaces or
   * mutates that seed's pipeline and applies it to mutants of the same programs.
   */
  private startRound(rand: Rand, i: number): Round {
    for (const s of this.deps.received?.() ?? []) this.adopt(s);
    const passWeight = (p: string) => this.flood.passWeight(p) * this.novelty(p);
    const pctx = { random: rand, catalog: this.deps.catalog, passWeight };
    const end = i + ROUND;
    // Some rounds explore as the random baseline does (fresh programs, a fresh pipeline), so feedback only adds to
    // what blind search finds; what they reach that is new joins the pool like any other case.
    const explore = this.cfg.noFeedback || this.initial.length > 0 || rand.chance(EXPLORE);
    const parent = explore ? undefined : this.pool.pick(rand);
    if (!parent) return { end, mode: 'ir', pipeline: randomPipeline(pctx), suffix: '' };
    if (this.policy.mode === 'ir') return { end, mode: 'ir', pipeline: parent.pipeline, parent, suffix: '' };
    const donor = () => this.pool.pick(rand)?.pipeline;
    const m = rand.chance(FRESH_PIPELINE) ? undefined : mutatePipeline(parent.pipeline, { ...pctx, donor });
    return m ? { end, mode: 'pipeline', pipeline: m.pipeline, parent, suffix: m.mutator } : { end, mode: 'pipeline', pipeline: randomPipeline(pctx), parent, suffix: 'random-pipeline' };
  }


  private mutant(rand: Rand, i: number): Made {
    if (!this.round || i >= this.round.end) this.round = this.startRound(rand, i);
    const { pipeline, parent, mode, suffix } = this.round;
    const fresh = (): Made => {
      const seed = programSeed(this.cfg.seed, this.cfg.worker * 1_000_000 + i);
      return { program: generateFromSeed(seed, GENERATED), pipeline, name: `gen:${seed}`, lineage: 'generate' };
    };
    const first = this.cfg.noFeedback ? undefined : this.initial.shift();
    if (first) return { program: this.parse(first.text), text: first.text, pipeline, name: first.name, lineage: 'seed' };
    // No seed yet (the first results are still in flight, or nothing reached coverage), or the random baseline.
    if (!parent) return fresh();
    const asIs = (s: Seed, lineage: string): Made => ({ program: this.parse(s.text), text: s.text, pipeline, name: s.name, lineage, parent: s });
    // The round's seed first, then others drawn by energy: one pipeline meets several programs.
    const base = i === this.round.end - ROUND ? parent : (this.pool.pick(rand) ?? parent);
    // A pipeline round's new pipeline meets mutants too, not the pool programs as they are: over seeds 1-4
    // (3,000 cases, one worker), 5,083, 4,807, 4,616 and 5,246 features against 4,838, 4,816, 4,691 and 4,883.
    const step = mode === 'pipeline' ? `>${suffix}` : '';
    const donor = () => {
      const d = this.pool.pick(rand);
      return d && d !== base ? this.parse(d.text) : undefined;
    };
    const m = mutateProgram(this.parse(base.text), { random: rand, weights: DEFAULT_WEIGHTS, donor }, rand.int(1, STACKED));
    if (m) {
      const text = programText(m.program);
      if (text.length <= MAX_PROGRAM_CHARS) return { program: m.program, text, pipeline, name: base.name, lineage: `${base.lineage}${step}>${m.mutators.join('>')}`, parent: base };
    }
    // Nothing applied (or the mutant grew too big): another seed's program under this round's pipeline.
    const other = this.pool.pick(rand) ?? parent;
    return asIs(other, `${other.lineage}${step || '>cross-pipeline'}`);
  }

  /**
   * Pool programs parse once while they are picked often; mutators clone what they change, so a parsed module is
   * shared safely. The cache keeps the most recently used PARSED_CACHE: a long campaign's pool would not fit.
   */
  private parse(text: string): IrProgram {
    let p = this.parsed.get(text);
    if (p) this.parsed.delete(text);
    else {
      const module = parseModule(text);
      p = { module, args: entryArgs(module) };
      if (this.parsed.size >= PARSED_CACHE) this.parsed.delete(this.parsed.keys().next().value!);
    }
    this.parsed.set(text, p);
    return p;
  }

  private async onResult(r: CaseResult): Promise<void> {
    const meta = this.meta.get(r.case)!;
    this.meta.delete(r.case);
    const d = this.delta as Mutable<ProgressDelta>;
    d.cases++;
    addTimes(d.stageMs, { mutate: meta.mutateMs });
    addTimes(d.stageMs, r.reference.ms);
    if (r.discarded) {
      d.discarded[r.discarded] = (d.discarded[r.discarded] ?? 0) + 1;
      return;
    }
    d.judged++;
    for (const p of new Set(r.case.pipeline.map((s) => s.pass))) this.passUses.set(p, (this.passUses.get(p) ?? 0) + 1);
    for (const { outcome } of r.outcomes.values()) addTimes(d.stageMs, outcome.ms);
    const compiler = hashFeatures(r.features ?? []);
    const useful = this.passesWithNewFeatures(r);
    // Kept, and weighed, by the compiler's coverage alone. Steering by the program's shape too (a new op dependency
    // kept a case, and counted in its energy and in the pool's cover) filled the pool with programs the compiler
    // handled as before: at 2,400 cases, seeds 1 and 2, it reached 3,902 and 3,772 compiler features, against 4,207
    // and 4,090 without it. The shape is still recorded with each seed (the summary's program_features).
    // A case that crashed, hung or failed is not kept, so its pairs stay out of the map too (AFL keeps crashes'
    // coverage apart): marked reached, they were neither counted (the campaign counts its seeds' pairs) nor kept
    // when a clean case reached them later. A hang's counts also depend on when it was stopped, which made an
    // --iterations campaign with a hang diverge from its replay.
    const broken = r.findings.some((f) => f.kind !== 'miscompile');
    const fresh = !broken && this.coverage.observe(compiler) > 0;
    this.policy.record(fresh);
    if (fresh) this.keep(meta, withProgramShape(compiler, meta.module), this.shrink(r.case.pipeline, useful));
    // A finding's reproduction and bisection run beside the campaign's own batches: awaited here, they stopped the
    // worker's stream of cases for 6-9 s of every minute. Flood control and the suppressions see each finding at
    // once, in order (onFinding is synchronous up to its first await), so the cases drawn stay the same.
    for (const f of r.findings) this.settle(this.onFinding(f, r, meta));
    while (this.settling.size > MAX_SETTLING) await Promise.race(this.settling);
    if (this.settleError !== undefined) throw this.settleError;
  }

  private settle(p: Promise<void>): void {
    const tracked: Promise<void> = p.then(
      () => void this.settling.delete(tracked),
      (e: unknown) => {
        this.settling.delete(tracked);
        this.settleError ??= e;
      },
    );
    this.settling.add(tracked);
  }

  private novelty(pass: string): number {
    if (this.cfg.noFeedback) return 1;
    return 1 + (NOVELTY * NOVELTY_FADE) / (NOVELTY_FADE + (this.passUses.get(pass) ?? 0));
  }

  /** Passes with a feature of their own (`pass:P`, `iter:P:n`) that this run adds to the map. */
  private passesWithNewFeatures(r: CaseResult): Set<string> {
    const passes = new Set<string>();
    for (const [name, n] of r.features ?? []) {
      const m = /^(?:pass|iter):([^:]+)/.exec(name);
      if (m && (this.coverage.buckets(compilerFeatureId(name)) & bucketBit(n)) === 0) passes.add(m[1]!);
    }
    return passes;
  }

  /**
   * Tzer's useful-pass shrinking: a long pipeline kept as a seed keeps only the passes that reached something new
   * (all of them when none did by its own features: the news was in patterns no pass owns).
   */
  private shrink(p: Pipeline, useful: ReadonlySet<string>): string {
    const kept = p.length > SHRINK_ABOVE ? (usefulPasses(p, (s) => useful.has(s.pass)) ?? p) : p;
    return this.deps.catalog.print(kept);
  }

  private keep(meta: CaseMeta, hits: ReadonlyMap<number, number>, pipeline: string): void {
    const seed: SeedRecord = {
      key: `w${this.cfg.worker}.${this.keys++}`,
      name: meta.record.name,
      text: meta.record.text,
      pipeline,
      inputSeed: meta.record.inputSeed,
      lineage: meta.record.lineage,
      ...(meta.parent && { parentKey: meta.parent.key }),
      hits: [...hits].flat(),
    };
    if (!this.cfg.noFeedback) {
      this.addToPool(seed, hits);
      if (meta.parent) meta.parent.wins++;
    }
    this.deps.send({ type: 'seed', seed });
  }

  /** A seed kept elsewhere (by a campaign now resumed, or by another worker): into the pool, and its hits into the coverage map. */
  private adopt(s: SeedRecord): void {
    const hits = seedHits(s);
    this.coverage.observe(hits);
    this.addToPool(s, hits);
    const n = Number(/^w\d+\.(\d+)$/.exec(s.key)?.[1] ?? -1);
    if (s.key.startsWith(`w${this.cfg.worker}.`)) this.keys = Math.max(this.keys, n + 1);
  }

  private addToPool(s: SeedRecord, hits: ReadonlyMap<number, number>): void {
    const features = Uint32Array.from([...hits.keys()].filter((id) => !isProgramFeature(id)));
    this.pool.add({ key: s.key, name: s.name, text: s.text, pipeline: this.deps.catalog.parse(s.pipeline), features, lineage: s.lineage, picks: 0, wins: 0 });
    if (this.pool.size >= this.culledAt * CULL_GROWTH + 16) {
      for (const dropped of this.pool.cull()) this.parsed.delete(dropped.text);
      this.culledAt = this.pool.size;
    }
  }

  private async onFinding(f: Finding, r: CaseResult, meta: CaseMeta): Promise<void> {
    const d = this.delta as Mutable<ProgressDelta>;
    const signature = f.signature;
    if (this.suppressions?.matches(signature, f.detail)) {
      d.suppressed++;
      return;
    }
    this.flood.hit(signature, r.case.pipeline, f.pass);
    let finding = f;
    if (f.kind === 'miscompile' || f.kind === 'runtime-trap') {
      // A wrong result is reported only when a second run, in another batch and on every executor, shows it again;
      // the report is that run's, which says which executors agree. Its signature names the first bad pass rather
      // than the whole pipeline, so one bug reached through many pipelines is one finding.
      let seen = f;
      if (!this.confirmed.has(signature)) {
        const again = await this.reproduction(r.case, f);
        if (!again) {
          // this.delta, not d: progress may have been flushed while the reproduction ran.
          (this.delta as Mutable<ProgressDelta>).unconfirmed++;
          return;
        }
        seen = again;
      }
      finding = { ...seen, ...(await this.blamed(signature, r.case, seen)) };
    } else if (keyedByPipeline(f, r.case.pipeline)) {
      // A crash in unexported code names no function, only the pipeline: each pipeline that reached one bug was a
      // finding of its own (35 of a 30-minute campaign's 46 crashes). Named by its first bad pass, it is one.
      finding = { ...f, ...(await this.blamed(signature, r.case, f)) };
    }
    this.deps.send({ type: 'finding', report: { finding, signature: finding.signature, case: meta.record, ...(finding.agreeing && { agreeing: finding.agreeing }) } });
  }

  /** The first bad pass of the finding signed `signature`, and the signature that names it; bisected once per signature. */
  private blamed(signature: string, c: TestCase, f: Finding): Promise<{ readonly pass: string; readonly signature: string }> {
    let known = this.confirmed.get(signature);
    if (!known) {
      known = this.firstBadPass(c, f).then((pass) => ({ pass, signature: this.deps.blame(f, pass) }));
      this.confirmed.set(signature, known);
    }
    return known;
  }

  /**
   * The pass whose addition makes the finding appear: the shortest prefix of the pipeline (the empty one included,
   * which blames the backend's lowering: '') showing one of the same kind, executor, op and frames; the last pass
   * when no prefix does. Every prefix runs in one batch; prefixes of a semantics-preserving pipeline are
   * semantics-preserving too.
   */
  private async firstBadPass(c: TestCase, f: Finding): Promise<string> {
    const n = c.pipeline.length;
    const prefixes = Array.from({ length: n }, (_, k) => ({ ...c, name: `${c.name}:prefix${k}`, pipeline: c.pipeline.slice(0, k), executors: [f.executor] }));
    let first = n;
    let k = 0;
    for await (const res of this.deps.runCases(prefixes)) {
      if (k < first && res.findings.some((g) => g.kind === f.kind && g.executor === f.executor && g.op === f.op && g.frames.join('<') === f.frames.join('<'))) first = k;
      k++;
    }
    return first === 0 ? '' : c.pipeline[first - 1]!.pass;
  }

  private async reproduction(c: TestCase, f: Finding): Promise<Finding | undefined> {
    const { executors: _one, ...onAll } = c;
    for await (const again of this.deps.runCases([{ ...onAll, name: `${c.name}:again` }])) {
      return again.findings.find((g) => g.signature === f.signature);
    }
    return undefined;
  }

  private flushProgress(): void {
    this.lastProgress = performance.now();
    if (this.delta.cases === 0) return;
    this.deps.send({ type: 'progress', delta: this.delta });
    this.delta = emptyDelta(this.delta.iteration);
  }
}

/** A tool failure whose signature ends with the pipeline's pass list (oracles name no frame or message for it). */
function keyedByPipeline(f: Finding, p: Pipeline): boolean {
  const passes = p.map((s) => s.pass).join(',');
  return f.kind !== 'miscompile' && f.kind !== 'runtime-trap' && passes !== '' && f.signature.endsWith(`|${passes}`);
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends Readonly<Record<string, number>> ? Record<string, number> : T[K] };

function emptyDelta(iteration: number): ProgressDelta {
  return { iteration, cases: 0, judged: 0, discarded: {}, suppressed: 0, unconfirmed: 0, stageMs: {} };
}

function addTimes(into: Record<string, number>, ms: Readonly<Record<string, number>>): void {
  for (const k in ms) into[k] = (into[k] ?? 0) + ms[k]!;
}

/**
 * A kept case's hits with its program's shape added: op dependencies by presence (with hit counts nearly every
 * mutant that adds an op would differ). The shape steers nothing; the corpus keeps it as a measure of how varied the
 * programs are that reached new compiler behaviour.
 */
function withProgramShape(compiler: ReadonlyMap<number, number>, module: Operation): Map<number, number> {
  const hits = new Map(compiler);
  for (const name of opDependencyFeatures(module).keys()) {
    const id = programFeatureId(name);
    hits.set(id, (hits.get(id) ?? 0) + 1);
  }
  return hits;
}
