// The campaign's view of the corpus: starting or resuming a campaign, and the CampaignStore the engine writes
// through (seeds, findings, stats, checkpoints), mapping the engine's seed keys to the corpus's ids.
import type { CampaignId, CaseId, Corpus, ProgramId } from '../contracts/corpus.ts';
import { openCorpus } from '../corpus/index.ts';
import type { CampaignSettings, CampaignStore, Checkpoint, ResumeState, StatsPoint, StoredFinding } from '../fuzz/campaign.ts';
import type { FindingReport, SeedRecord } from '../fuzz/protocol.ts';

const CHECKPOINT = 'checkpoint';

export type Started = { readonly settings: CampaignSettings; readonly resume?: ResumeState };

export class CampaignDb implements CampaignStore {
  private id: CampaignId | undefined;
  private toolchain: Record<string, string> = {};
  /** Seed key → its program, so a child names its parent. */
  private readonly programOf = new Map<string, ProgramId>();
  /** Signature → the reproducer case of a finding already stored: a repeat is a count, not another case. */
  private readonly known = new Map<string, CaseId>();

  private constructor(private readonly corpus: Corpus) {
    for (const f of corpus.findings()) this.known.set(f.signature, f.case);
  }

  /** Opens or creates the file; a bad file throws CorpusError, whose message names the path and the problem. */
  static open(path: string): CampaignDb {
    return new CampaignDb(openCorpus(path, { create: true }));
  }

  get campaignId(): CampaignId {
    if (this.id === undefined) throw new Error('no campaign started');
    return this.id;
  }

  start(settings: CampaignSettings, toolchain: Record<string, string>): Started {
    this.toolchain = toolchain;
    this.id = this.corpus.startCampaign({ seed: settings.seed, config: settings, toolchain });
    return { settings };
  }

  /** The last campaign, when it did not finish; a message when there is none to resume. */
  resume(jobs: number, budget: { readonly timeMs?: number | undefined; readonly iterations?: number | undefined }): Started | string {
    const last = this.corpus.lastCampaign();
    if (!last) return `${this.corpus.path} holds no campaign to resume`;
    if (last.status === 'done') return `campaign ${last.id} in ${this.corpus.path} finished; start a new one without --resume`;
    this.id = last.id;
    this.toolchain = { ...last.toolchain } as Record<string, string>;
    const checkpoint = (this.corpus.loadState(last.id, CHECKPOINT) as Checkpoint | undefined) ?? { nextIteration: [], elapsedMs: 0, counters: { cases: 0, judged: 0, discarded: {}, suppressed: 0, unconfirmed: 0, stageMs: {} } };
    const stored = last.config as unknown as CampaignSettings;
    // A budget given now is what the resumed run may spend from here on.
    const { timeMs: _t, iterations: _i, ...rest } = stored;
    const settings: CampaignSettings = {
      ...rest,
      jobs,
      ...(budget.timeMs !== undefined ? { timeMs: checkpoint.elapsedMs + budget.timeMs } : budget.iterations === undefined && stored.timeMs !== undefined ? { timeMs: stored.timeMs } : {}),
      ...(budget.iterations !== undefined ? { iterations: budget.iterations + sum(checkpoint.nextIteration) } : budget.timeMs === undefined && stored.iterations !== undefined ? { iterations: stored.iterations } : {}),
    };
    const pool: SeedRecord[] = this.corpus.seeds(last.id).map((s) => {
      const key = `db${s.id}`;
      this.programOf.set(key, s.case.program.id);
      return { key, name: s.case.program.seedName ?? key, text: s.case.program.text, pipeline: s.case.pipeline.text, inputSeed: s.case.inputSeed, lineage: s.case.program.lineage ?? '', hits: [...s.features] };
    });
    this.corpus.markCampaign(last.id, 'running');
    return { settings, resume: { ...checkpoint, pool } };
  }

  addSeed(seed: SeedRecord): void {
    const campaign = this.campaignId;
    this.corpus.transaction(() => {
      const parent = seed.parentKey === undefined ? undefined : this.programOf.get(seed.parentKey);
      const c = this.corpus.storeCase({ text: seed.text, pipeline: seed.pipeline, inputSeed: seed.inputSeed, campaign, lineage: seed.lineage, seedName: seed.name, ...(parent !== undefined && { parent }) });
      this.corpus.addSeed({ campaign, case: c, features: seed.hits });
      this.programOf.set(seed.key, this.corpus.case(c)!.program.id);
    });
  }

  recordFinding(r: FindingReport): StoredFinding {
    const campaign = this.campaignId;
    return this.corpus.transaction(() => {
      let c = this.known.get(r.signature);
      if (c === undefined) {
        const parent = r.case.parentKey === undefined ? undefined : this.programOf.get(r.case.parentKey);
        c = this.corpus.storeCase({ text: r.case.text, pipeline: r.case.pipeline, inputSeed: r.case.inputSeed, campaign, lineage: r.case.lineage, seedName: r.case.name, ...(parent !== undefined && { parent }) });
        this.known.set(r.signature, c);
      }
      const stored = this.corpus.recordFinding({ ...r.finding, toolchain: this.toolchain }, { case: c, campaign });
      return { id: String(stored.id), isNew: stored.isNew, count: stored.count };
    });
  }

  addStats(p: StatsPoint): void {
    this.corpus.addStats(this.campaignId, { t: Math.round(p.elapsedMs), cases: p.cases, features: p.features, seeds: p.seeds, findingsByKind: p.findingsByKind, ubDiscarded: p.ubDiscarded, casesPerS: p.casesPerS });
  }

  saveCheckpoint(state: Checkpoint): void {
    this.corpus.saveState(this.campaignId, CHECKPOINT, state);
  }

  end(status: 'done' | 'interrupted', summary: Readonly<Record<string, unknown>>): void {
    if (this.id !== undefined) this.corpus.markCampaign(this.id, status, summary);
  }

  close(): void {
    this.corpus.close();
  }
}

function sum(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}
