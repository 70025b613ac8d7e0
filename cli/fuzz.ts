// `tcfuzz fuzz`: a coverage-guided campaign (DESIGN §9) into a SQLite corpus, resumable, with a JSON summary.
import { availableParallelism } from 'node:os';
import { readFileSync } from 'node:fs';
import type { Argv } from 'yargs';
import { onShutdown } from '../exec/children.ts';
import type { CampaignFinding, CampaignResult, CampaignSettings, Counters } from '../fuzz/campaign.ts';
import { Campaign, findingsByKind } from '../fuzz/campaign.ts';
import { parseSuppressions } from '../fuzz/suppressions.ts';
import { DEFAULT_STEP_BUDGET } from '../reference/index.ts';
import { backendNames, createExecutor, parseBackendList, reference } from '../targets/registry.ts';
import type { CliCommand } from './command.ts';
import { CampaignDb } from './fuzz-store.ts';
import { spawnFuzzWorker } from './fuzz-spawn.ts';
import type { Io } from './io.ts';
import { StatusLine } from './progress.ts';
import { Exit } from './io.ts';
import { duration, positiveInt, seed, text } from './options.ts';
import { tcfuzzVersion, toolchainVersion } from './version.ts';

type Args = {
  db: string;
  time?: number;
  iterations?: number;
  jobs: number;
  seed?: number;
  backends: string;
  feedback: boolean;
  resume: boolean;
  suppress?: string;
  json: boolean;
  stepBudget: number;
  timeout: number;
  compileTimeout: number;
};

/** Finding kinds that are not compiler bugs: kept, counted apart, and no reason to exit 77. */
const NOT_BUGS = new Set(['pass-failure']);

export const fuzzCommand: CliCommand<Args> = {
  command: 'fuzz',
  describe: 'coverage-guided campaign: mutate programs and pipelines, keep what reaches new compiler behaviour, store findings',
  options: (y: Argv) =>
    y
      .option('db', { default: 'tcfuzz.db', coerce: text('db'), describe: 'the SQLite corpus (created when missing)' })
      .option('time', { coerce: duration('time'), describe: 'time budget, e.g. 60s, 30m, 8h' })
      .option('iterations', { coerce: positiveInt('iterations'), describe: 'cases to run over all workers (deterministic under --seed)' })
      .option('jobs', { default: availableParallelism(), coerce: positiveInt('jobs'), describe: 'worker processes' })
      .option('seed', { coerce: seed('seed'), describe: 'campaign seed (default: random, and printed)' })
      .option('backends', { default: 'interp,native,wasm', coerce: text('backends'), describe: `comma-separated, of: ${backendNames().join(', ')}` })
      .option('feedback', { type: 'boolean', default: true, describe: 'coverage feedback; --no-feedback is the random baseline' })
      .option('resume', { type: 'boolean', default: false, describe: "continue the database's last unfinished campaign" })
      .option('suppress', { coerce: text('suppress'), describe: 'file of signatures or /regexes/ of known bugs to silence' })
      .option('step-budget', { default: DEFAULT_STEP_BUDGET, coerce: positiveInt('step-budget'), describe: 'interpreter steps before a run counts as a hang' })
      // Below check's 30 s: a campaign's programs compile in well under a second, and every hang costs the worker
      // a timeout (two when the log cannot show the culprit had its budget alone) while it finds nothing else.
      .option('timeout', { default: '5s', coerce: duration('timeout'), describe: 'wall-clock limit for running one program on a backend' })
      .option('compile-timeout', { default: '10s', coerce: duration('compile-timeout'), describe: 'wall-clock limit for one compiler tool on one batch member' })
      .option('json', { type: 'boolean', default: false, describe: 'end with one JSON summary on stdout' }) as unknown as Argv<Args>,
  async run(args, io) {
    const fail = (message: string): number => {
      if (args.json) io.out(JSON.stringify({ error: { kind: 'usage', message } }, null, 1) + '\n');
      io.err(`tcfuzz: ${message}\n`);
      return Exit.Usage;
    };
    let suppressions: string | undefined;
    let backends: string[];
    try {
      if (!args.resume && args.time === undefined && args.iterations === undefined) throw new Error('give a budget: --time (e.g. 60s) or --iterations');
      if (args.time !== undefined && args.iterations !== undefined) throw new Error('give --time or --iterations, not both');
      backends = parseBackendList(args.backends).filter((n) => n !== reference.name);
      if (backends.length === 0) throw new Error('--backends needs at least one compiled backend besides the reference');
      for (const name of backends) {
        const e = createExecutor(name);
        const why = e.unavailableReason();
        await e.close();
        if (why) throw new Error(`backend ${name} is unavailable: ${why}`);
      }
      if (args.suppress !== undefined) {
        suppressions = readFileSync(args.suppress, 'utf8');
        parseSuppressions(suppressions, args.suppress);
      }
    } catch (e) {
      return fail((e as Error).message);
    }
    let db: CampaignDb;
    try {
      db = CampaignDb.open(args.db);
    } catch (e) {
      return fail((e as Error).message);
    }
    try {
      const fresh: CampaignSettings = {
        jobs: args.jobs,
        seed: args.seed ?? (Math.random() * 2 ** 31) | 0,
        ...(args.iterations !== undefined && { iterations: args.iterations }),
        ...(args.time !== undefined && { timeMs: args.time }),
        noFeedback: !args.feedback,
        backends,
        stallLimit: 8,
        floodThreshold: 8,
        timeoutMs: args.timeout,
        compileTimeoutMs: args.compileTimeout,
        stepBudget: args.stepBudget,
        ...(suppressions !== undefined && { suppressions }),
      };
      const started = args.resume ? db.resume(args.jobs, { timeMs: args.time, iterations: args.iterations }) : db.start(fresh, { tcfuzz: tcfuzzVersion(), toolchain: toolchainVersion() });
      if (typeof started === 'string') return fail(started);
      const { settings, resume } = started;
      if (!args.json) io.err(`tcfuzz fuzz: campaign ${db.campaignId} in ${args.db}, seed ${settings.seed}, ${settings.jobs} workers${resume ? `, resumed at ${Math.round(resume.elapsedMs / 1000)} s` : ''}\n`);
      const progress = new StatusLine(io);
      const campaign = new Campaign(settings, db, (k) => spawnFuzzWorker(k), resume, {
        onProgress: (c, features, seeds, findings, elapsedMs) => progress.show(() => progressLine(settings, c, features, seeds, findings, elapsedMs)),
        onFinding: (f) => {
          if (!args.json) progress.above(findingLine(f));
        },
      });
      let reported = false;
      // Once, from the end of the run or from a signal's hook, whichever comes first: stats, status, summary.
      const report = (result: CampaignResult): FuzzSummary => {
        const summary = summarise(result, db, args.db);
        if (reported) return summary;
        reported = true;
        progress.done();
        db.end(result.stopped === 'interrupted' ? 'interrupted' : 'done', summary);
        if (args.json) io.out(JSON.stringify(summary, null, 1) + '\n');
        else printSummary(summary, io);
        return summary;
      };
      const unregister = onShutdown(() => {
        campaign.stop('interrupted');
        campaign.checkpoint();
        report(campaign.snapshot());
      });
      let result: CampaignResult;
      try {
        result = await campaign.run();
      } finally {
        unregister();
      }
      const summary = report(result);
      for (const e of result.workerErrors) io.err(`tcfuzz fuzz: ${e}\n`);
      return summary.new_findings > 0 ? Exit.Found : Exit.Ok;
    } finally {
      db.close();
    }
  },
};

export type FuzzSummary = ReturnType<typeof summarise>;

function summarise(r: CampaignResult, db: CampaignDb, path: string) {
  const c = r.counters;
  const findings = [...r.findings.values()].sort((a, b) => Number(a.id) - Number(b.id));
  return {
    db: path,
    campaign: db.campaignId,
    stopped: r.stopped,
    seconds: Math.round(r.seconds * 10) / 10,
    cases: c.cases,
    cases_per_s: Math.round((c.cases / Math.max(r.elapsedMs / 1000, 1e-3)) * 10) / 10,
    judged: c.judged,
    features: r.features,
    program_features: r.programFeatures,
    seeds: r.seeds,
    ub_discarded: c.discarded.ub ?? 0,
    discarded: c.discarded,
    suppressed: c.suppressed,
    unconfirmed_miscompiles: c.unconfirmed,
    findings_by_kind: findingsByKind(findings),
    bugs: findings.filter((f) => !NOT_BUGS.has(f.finding.kind)).length,
    pass_failures: findings.filter((f) => NOT_BUGS.has(f.finding.kind)).length,
    new_findings: findings.filter((f) => f.isNew && !NOT_BUGS.has(f.finding.kind)).length,
    findings: findings.map((f) => ({
      id: f.id,
      kind: f.finding.kind,
      new: f.isNew,
      executor: f.finding.executor,
      stage: f.finding.stage ?? null,
      tool: f.finding.tool ?? null,
      pass: f.finding.pass ?? null,
      signature: f.signature,
      count: f.count,
      sightings: f.sightings,
      frames: f.finding.frames ?? [],
      detail: f.finding.detail,
      pipeline: f.case.pipeline,
      ...(f.agreeing && { agreeing: f.agreeing }),
    })),
    time_by_stage: Object.fromEntries(Object.entries(c.stageMs).map(([k, v]) => [k, Math.round(v)])),
    /** tcfuzz's own errors (a worker that died, a generator or mutator that threw): each is a tcfuzz bug to report. */
    worker_errors: r.workerErrors,
  };
}

function printSummary(s: FuzzSummary, io: Io): void {
  io.out(`${s.cases} cases in ${s.seconds} s (${s.cases_per_s}/s), ${s.features} compiler features (+${s.program_features} of program shape), ${s.seeds} seeds, ${s.ub_discarded} UB discarded\n`);
  io.out(`${s.bugs} distinct bugs (${s.new_findings} new), ${s.pass_failures} pass failures on input a pass does not handle\n`);
  for (const f of s.findings) io.out(`  #${f.id} ${f.kind}${f.new ? ' (new)' : ''} ×${f.count} ${f.executor}${f.pass ? ` pass ${f.pass}` : ''}: ${f.detail.slice(0, 160)}\n`);
  io.out(`Findings are in ${s.db} (campaign ${s.campaign}); 'tcfuzz corpus export --db ${s.db} --out DIR' writes the seed pool.\n`);
}

/** The live line: cases/s, features, seeds, findings by kind, UB-discard rate. */
function progressLine(settings: CampaignSettings, c: Readonly<Counters>, features: number, seeds: number, findings: ReadonlyMap<string, CampaignFinding>, elapsedMs: number): string {
  const budget = settings.timeMs ? `/${Math.round(settings.timeMs / 1000)}` : '';
  const ub = c.cases ? (100 * (c.discarded.ub ?? 0)) / c.cases : 0;
  const kinds = Object.entries(findingsByKind(findings.values())).map(([k, n]) => `${k}:${n}`).join(' ') || 0;
  return `${Math.round(elapsedMs / 1000)}${budget} s  ${c.cases} cases  ${(c.cases / Math.max(elapsedMs / 1000, 1e-3)).toFixed(1)}/s  features ${features}  seeds ${seeds}  findings ${kinds}  ub ${ub.toFixed(1)}%`;
}

function findingLine(f: CampaignFinding): string {
  return `${f.isNew ? 'NEW' : 'SEEN'} #${f.id} ${f.finding.kind} ${f.finding.executor}${f.finding.pass ? ` pass ${f.finding.pass}` : ''}: ${f.finding.detail.slice(0, 200)}\n`;
}
