// The Corpus on one better-sqlite3 connection. Every method is one statement or one transaction, so each call has
// committed when it returns; statements are prepared once per connection.
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import type {
  Campaign, CampaignId, CampaignStart, CampaignStatus, CaseContent, CaseId, CaseInput, Corpus, ExportedSeed, FindingChange, FindingFilter,
  FindingHit, FindingId, FindingRecord, FindingStatus, MergeCounts, PipelineId, ProgramId, ProgramInput, Seed, SeedId, SeedInput,
  SeedWeights, StatsSample, StoredCase, StoredFinding, StoredProgram,
} from '../contracts/corpus.ts';
import type { FindingKind } from '../contracts/oracle.ts';
import { writePool } from './export-pool.ts';
import { decodeFeatures, encodeFeatures } from './features.ts';
import { readPool } from './import-pool.ts';
import { mergeStore } from './merge.ts';

type Row = Record<string, unknown>;

export class SqliteCorpus implements Corpus {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(
    private readonly db: Database.Database,
    readonly path: string,
    readonly readonly: boolean,
    private readonly now: () => number,
  ) {}

  // ── campaigns ──

  startCampaign(c: CampaignStart): CampaignId {
    const sql = `INSERT INTO campaigns (seed, config, toolchain, started_at, status) VALUES (?, ?, ?, ?, 'running')`;
    return Number(this.sql(sql).run(c.seed, JSON.stringify(c.config), JSON.stringify(c.toolchain), this.now()).lastInsertRowid);
  }

  campaign(id: CampaignId): Campaign | undefined {
    const row = this.sql('SELECT * FROM campaigns WHERE id = ?').get(id) as Row | undefined;
    return row && toCampaign(row);
  }

  lastCampaign(): Campaign | undefined {
    const row = this.sql('SELECT * FROM campaigns ORDER BY id DESC LIMIT 1').get() as Row | undefined;
    return row && toCampaign(row);
  }

  markCampaign(id: CampaignId, status: CampaignStatus, summary?: Readonly<Record<string, unknown>>): void {
    const sql = `UPDATE campaigns SET status = @status, ended_at = CASE WHEN @status = 'running' THEN NULL ELSE @now END,
      summary = coalesce(@summary, summary) WHERE id = @id`;
    const r = this.sql(sql).run({ id, status, now: this.now(), summary: json(summary) });
    if (r.changes === 0) throw new RangeError(`no campaign ${id} in ${this.path}`);
  }

  // ── programs, pipelines, cases ──

  addProgram(p: ProgramInput): { id: ProgramId; isNew: boolean } {
    const sha256 = createHash('sha256').update(p.text).digest('hex');
    const sql = `INSERT INTO programs (sha256, text, parent, lineage, seed_name, created_at) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (sha256) DO NOTHING RETURNING id`;
    const inserted = this.sql(sql).get(sha256, p.text, p.parent ?? null, p.lineage ?? null, p.seedName ?? null, this.now()) as { id: number } | undefined;
    if (inserted) return { id: inserted.id, isNew: true };
    return { id: (this.sql('SELECT id FROM programs WHERE sha256 = ?').get(sha256) as { id: number }).id, isNew: false };
  }

  program(id: ProgramId): StoredProgram | undefined {
    const row = this.sql('SELECT * FROM programs WHERE id = ?').get(id) as Row | undefined;
    return row && toProgram(row);
  }

  addPipeline(text: string): PipelineId {
    const inserted = this.sql('INSERT INTO pipelines (text) VALUES (?) ON CONFLICT (text) DO NOTHING RETURNING id').get(text) as { id: number } | undefined;
    return inserted?.id ?? (this.sql('SELECT id FROM pipelines WHERE text = ?').get(text) as { id: number }).id;
  }

  addCase(c: CaseInput): CaseId {
    const sql = `INSERT INTO cases (program, pipeline, input_seed, campaign, created_at) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (program, pipeline, input_seed) DO NOTHING RETURNING id`;
    const inserted = this.sql(sql).get(c.program, c.pipeline, c.inputSeed, c.campaign ?? null, this.now()) as { id: number } | undefined;
    if (inserted) return inserted.id;
    const known = 'SELECT id FROM cases WHERE program = ? AND pipeline = ? AND input_seed = ?';
    return (this.sql(known).get(c.program, c.pipeline, c.inputSeed) as { id: number }).id;
  }

  storeCase(c: CaseContent): CaseId {
    return this.transaction(() => {
      const program = this.addProgram(c).id;
      const pipeline = this.addPipeline(c.pipeline);
      return this.addCase({ program, pipeline, inputSeed: c.inputSeed, ...(c.campaign !== undefined && { campaign: c.campaign }) });
    });
  }

  case(id: CaseId): StoredCase | undefined {
    const row = this.sql(`${CASE_SELECT} WHERE c.id = ?`).get(id) as Row | undefined;
    return row && toCase(row);
  }

  // ── the seed pool ──

  addSeed(s: SeedInput): SeedId {
    const sql = `INSERT INTO pool (campaign, case_id, features, energy, picks, finds, exec_ms, added_at)
      VALUES (@campaign, @case, @features, @energy, @picks, @finds, @execMs, @now)
      ON CONFLICT (campaign, case_id) DO UPDATE SET features = excluded.features, energy = excluded.energy,
        exec_ms = coalesce(excluded.exec_ms, exec_ms), culled = 0
      RETURNING id`;
    const row = this.sql(sql).get({
      campaign: s.campaign, case: s.case, features: encodeFeatures(s.features), energy: s.energy ?? 1,
      picks: s.picks ?? 0, finds: s.finds ?? 0, execMs: s.execMs ?? null, now: this.now(),
    }) as { id: number };
    return row.id;
  }

  seeds(campaign: CampaignId): Seed[] {
    const sql = `SELECT s.id AS seed_id, s.campaign AS seed_campaign, s.features, s.energy, s.picks, s.finds, s.exec_ms,
        s.added_at, ${CASE_COLUMNS}
      FROM pool s JOIN cases c ON c.id = s.case_id ${CASE_JOINS}
      WHERE s.campaign = ? AND s.culled = 0 ORDER BY s.id`;
    return (this.sql(sql).all(campaign) as Row[]).map((r) => defined({
      id: r.seed_id as number,
      campaign: r.seed_campaign as number,
      case: toCase(r),
      features: decodeFeatures(r.features as Buffer),
      energy: r.energy as number,
      picks: r.picks as number,
      finds: r.finds as number,
      execMs: nullable<number>(r.exec_ms),
      addedAt: r.added_at as number,
    }) as Seed);
  }

  updateSeeds(updates: readonly (SeedWeights & { readonly id: SeedId })[]): void {
    const sql = `UPDATE pool SET energy = coalesce(?, energy), picks = coalesce(?, picks), finds = coalesce(?, finds),
      exec_ms = coalesce(?, exec_ms) WHERE id = ?`;
    const stmt = this.sql(sql);
    this.transaction(() => {
      for (const u of updates) stmt.run(u.energy ?? null, u.picks ?? null, u.finds ?? null, u.execMs ?? null, u.id);
    });
  }

  cullSeeds(ids: readonly SeedId[]): void {
    const stmt = this.sql('UPDATE pool SET culled = 1 WHERE id = ?');
    this.transaction(() => {
      for (const id of ids) stmt.run(id);
    });
  }

  exportPool(campaign: CampaignId, dir: string): ExportedSeed[] {
    return writePool(dir, this.seeds(campaign));
  }

  importPool(dir: string): { campaign: CampaignId; seeds: number; isNew: boolean } {
    const pool = readPool(dir);
    const config = { importedPool: pool.digest };
    return this.transaction(() => {
      const known = this.sql('SELECT id FROM campaigns WHERE config = ?').get(JSON.stringify(config)) as { id: number } | undefined;
      if (known) return { campaign: known.id, seeds: pool.seeds.length, isNew: false };
      const campaign = this.startCampaign({ seed: 0, config, toolchain: {} });
      for (const s of pool.seeds) this.addSeed({ campaign, case: this.storeCase({ ...s, campaign }), features: [] });
      this.markCampaign(campaign, 'done', { importedFrom: dir, seeds: pool.seeds.length });
      return { campaign, seeds: pool.seeds.length, isNew: true };
    });
  }

  // ── findings ──

  recordFinding(f: FindingRecord, at: { readonly case: CaseId; readonly campaign?: CampaignId }): { id: FindingId; isNew: boolean; count: number } {
    const record = `INSERT INTO findings (signature, kind, executor, tool, stage, pass, op, suspect, pattern, detail, frames,
        agreeing, matching_reference, difference, toolchain, first_seen, last_seen, case_id, campaign)
      VALUES (@signature, @kind, @executor, @tool, @stage, @pass, @op, @suspect, @pattern, @detail, @frames,
        @agreeing, @matchingReference, @difference, @toolchain, @now, @now, @case, @campaign)
      ON CONFLICT (signature) DO UPDATE SET count = count + 1, last_seen = excluded.last_seen
      RETURNING id, count`;
    const hit = `INSERT INTO finding_hits (campaign, finding, count, first_seen, last_seen) VALUES (?, ?, 1, ?, ?)
      ON CONFLICT (campaign, finding) DO UPDATE SET count = count + 1, last_seen = excluded.last_seen`;
    const now = this.now();
    return this.transaction(() => {
      const row = this.sql(record).get({
        signature: f.signature, kind: f.kind, executor: f.executor, tool: f.tool, stage: f.stage ?? null, pass: f.pass ?? null,
        op: f.op ?? null, suspect: f.suspect ?? null, pattern: f.pattern ?? null, detail: f.detail, frames: JSON.stringify(f.frames),
        agreeing: JSON.stringify(f.agreeing), matchingReference: json(f.matchingReference), difference: json(f.difference), toolchain: json(f.toolchain), now, case: at.case, campaign: at.campaign ?? null,
      }) as { id: number; count: number };
      if (at.campaign !== undefined) this.sql(hit).run(at.campaign, row.id, now, now);
      return { id: row.id, isNew: row.count === 1, count: row.count };
    });
  }

  findings(filter: FindingFilter = {}): StoredFinding[] {
    const where: string[] = [];
    if (filter.kind !== undefined) where.push('f.kind = @kind');
    if (filter.status !== undefined) where.push('f.status = @status');
    if (filter.executor !== undefined) where.push('f.executor = @executor');
    const byCampaign = filter.campaign !== undefined;
    const sql = `SELECT f.*${byCampaign ? ', h.count AS campaign_count' : ''} FROM findings f
      ${byCampaign ? 'JOIN finding_hits h ON h.finding = f.id AND h.campaign = @campaign' : ''}
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY f.id`;
    const params = { kind: filter.kind, status: filter.status, executor: filter.executor, campaign: filter.campaign };
    const bound = Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined));
    return (this.sql(sql).all(bound) as Row[]).map(toFinding);
  }

  finding(id: FindingId): StoredFinding | undefined {
    const row = this.sql('SELECT * FROM findings WHERE id = ?').get(id) as Row | undefined;
    return row && toFinding(row);
  }

  findingHits(id: FindingId): FindingHit[] {
    const rows = this.sql('SELECT * FROM finding_hits WHERE finding = ? ORDER BY first_seen, campaign').all(id) as Row[];
    return rows.map((r) => ({ campaign: r.campaign as number, count: r.count as number, firstSeen: r.first_seen as number, lastSeen: r.last_seen as number }));
  }

  updateFinding(id: FindingId, change: FindingChange): void {
    const sql = `UPDATE findings SET status = coalesce(?, status), reduced_case = coalesce(?, reduced_case), pass = coalesce(?, pass),
      toolchain = coalesce(?, toolchain) WHERE id = ?`;
    const r = this.sql(sql).run(change.status ?? null, change.reducedCase ?? null, change.pass ?? null, json(change.toolchain), id);
    if (r.changes === 0) throw new RangeError(`no finding ${id} in ${this.path}`);
  }

  // ── stats and resume state ──

  addStats(campaign: CampaignId, s: StatsSample): void {
    const sql = `INSERT OR REPLACE INTO stats (campaign, t, cases, features, seeds, findings_by_kind, ub_discarded, cases_per_s)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)`;
    this.sql(sql).run(campaign, Math.round(s.t), s.cases, s.features, s.seeds, JSON.stringify(s.findingsByKind), s.ubDiscarded, s.casesPerS);
  }

  stats(campaign: CampaignId): StatsSample[] {
    const rows = this.sql('SELECT * FROM stats WHERE campaign = ? ORDER BY t').all(campaign) as Row[];
    return rows.map((r) => ({
      t: r.t as number,
      cases: r.cases as number,
      features: r.features as number,
      seeds: r.seeds as number,
      findingsByKind: JSON.parse(r.findings_by_kind as string) as StatsSample['findingsByKind'],
      ubDiscarded: r.ub_discarded as number,
      casesPerS: r.cases_per_s as number,
    }));
  }

  saveState(campaign: CampaignId, key: string, value: unknown): void {
    let stored: string | Buffer;
    if (value instanceof Uint8Array) stored = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    else {
      const text = JSON.stringify(value) as string | undefined;
      if (text === undefined) throw new TypeError(`state '${key}': ${typeof value} is not JSON`);
      stored = text;
    }
    const sql = `INSERT INTO state (campaign, key, value, updated_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (campaign, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`;
    this.sql(sql).run(campaign, key, stored, this.now());
  }

  loadState(campaign: CampaignId, key: string): unknown {
    const row = this.sql('SELECT value FROM state WHERE campaign = ? AND key = ?').get(campaign, key) as { value: string | Buffer } | undefined;
    if (row === undefined) return undefined;
    return typeof row.value === 'string' ? JSON.parse(row.value) : new Uint8Array(row.value);
  }

  // ── the store ──

  merge(source: Corpus): MergeCounts {
    // Rows are copied table to table, so the source must be a store of this same kind.
    if (!(source instanceof SqliteCorpus)) throw new TypeError('merge reads another SQLite corpus');
    return this.transaction(() => mergeStore(this.db, source.db));
  }

  integrityCheck(): string {
    return (this.db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join('\n');
  }

  transaction<T>(fn: () => T): T {
    const tx = this.db.transaction(fn);
    // IMMEDIATE takes the write lock up front, so a second writer waits (busy_timeout) instead of failing mid-way.
    return this.readonly ? tx() : tx.immediate();
  }

  close(): void {
    if (!this.db.open) return;
    if (!this.readonly) this.db.pragma('optimize');
    this.db.close();
  }

  private sql(text: string): Database.Statement {
    let s = this.statements.get(text);
    if (!s) this.statements.set(text, (s = this.db.prepare(text)));
    return s;
  }
}

const CASE_COLUMNS = `c.id AS case_id, c.input_seed, c.campaign AS case_campaign, c.created_at AS case_created_at,
  p.id AS program_id, p.sha256, p.text AS program_text, p.parent, p.lineage, p.seed_name, p.created_at AS program_created_at,
  l.id AS pipeline_id, l.text AS pipeline_text`;
const CASE_JOINS = 'JOIN programs p ON p.id = c.program JOIN pipelines l ON l.id = c.pipeline';
const CASE_SELECT = `SELECT ${CASE_COLUMNS} FROM cases c ${CASE_JOINS}`;

function toCampaign(r: Row): Campaign {
  return defined({
    id: r.id as number,
    seed: r.seed as number,
    config: JSON.parse(r.config as string),
    toolchain: JSON.parse(r.toolchain as string),
    startedAt: r.started_at as number,
    endedAt: nullable<number>(r.ended_at),
    status: r.status as CampaignStatus,
    summary: parsed(r.summary),
  }) as Campaign;
}

function toProgram(r: Row): StoredProgram {
  return defined({
    id: r.id as number,
    sha256: r.sha256 as string,
    text: r.text as string,
    parent: nullable<number>(r.parent),
    lineage: nullable<string>(r.lineage),
    seedName: nullable<string>(r.seed_name),
    createdAt: r.created_at as number,
  }) as StoredProgram;
}

function toCase(r: Row): StoredCase {
  return defined({
    id: r.case_id as number,
    program: toProgram({ ...r, id: r.program_id, text: r.program_text, created_at: r.program_created_at }),
    pipeline: { id: r.pipeline_id as number, text: r.pipeline_text as string },
    inputSeed: r.input_seed as number,
    campaign: nullable<number>(r.case_campaign),
    createdAt: r.case_created_at as number,
  }) as StoredCase;
}

function toFinding(r: Row): StoredFinding {
  return defined({
    id: r.id as number,
    signature: r.signature as string,
    kind: r.kind as FindingKind,
    executor: r.executor as string,
    tool: r.tool as string,
    stage: nullable<string>(r.stage),
    pass: nullable<string>(r.pass),
    op: nullable<string>(r.op),
    suspect: nullable<string>(r.suspect),
    pattern: nullable<string>(r.pattern),
    detail: r.detail as string,
    frames: parsed(r.frames),
    agreeing: parsed(r.agreeing),
    matchingReference: parsed(r.matching_reference),
    difference: parsed(r.difference),
    toolchain: parsed(r.toolchain),
    status: r.status as FindingStatus,
    count: r.count as number,
    firstSeen: r.first_seen as number,
    lastSeen: r.last_seen as number,
    case: r.case_id as number,
    campaign: nullable<number>(r.campaign),
    reducedCase: nullable<number>(r.reduced_case),
    campaignCount: nullable<number>(r.campaign_count),
  }) as StoredFinding;
}

const json = (v: unknown): string | null => (v === undefined ? null : JSON.stringify(v));
const nullable = <T>(v: unknown): T | undefined => (v === null || v === undefined ? undefined : (v as T));
const parsed = (v: unknown): unknown => (typeof v === 'string' ? JSON.parse(v) : undefined);

/** The object without its undefined fields, so that optional fields are absent rather than undefined. */
function defined<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}
