// One store merged into another (DESIGN §11: the shards of a CI matrix, one store per machine, combined afterwards).
// The rules are in README.md, "Merging". Runs inside the caller's transaction on `out`; `src` is only read.
import type Database from 'better-sqlite3';
import type { FindingStatus, MergeCounts } from '../contracts/corpus.ts';

type Row = Record<string, unknown> & { id: number };
type IdMap = Map<number, number>;

/**
 * Verdicts in the order a merge prefers them: any verdict beats 'new', a later step of a bug's life beats an
 * earlier one, and 'invalid' (someone decided it is not a bug) beats all.
 */
const STATUS_RANK: Readonly<Record<FindingStatus, number>> = { new: 0, confirmed: 1, reported: 2, fixed: 3, invalid: 4 };

/** What a finding's first sighting decides: the record, its reproducer and its campaign. */
const RECORD_COLUMNS = ['kind', 'executor', 'tool', 'stage', 'pass', 'op', 'suspect', 'pattern', 'detail', 'frames', 'agreeing', 'matching_reference', 'difference', 'toolchain'];

export function mergeStore(out: Database.Database, src: Database.Database): MergeCounts {
  const campaigns = mergeCampaigns(out, src);
  const programs = mergePrograms(out, src);
  const pipelines = mergePipelines(out, src);
  const cases = mergeCases(out, src, { programs: programs.ids, pipelines, campaigns: campaigns.ids });
  mergeCampaignData(out, src, campaigns.ids, campaigns.further, cases.ids);
  const findings = mergeFindings(out, src, cases.ids, campaigns.ids);
  return {
    campaigns: { added: campaigns.added, updated: campaigns.updated, known: campaigns.known },
    programs: programs.added,
    cases: cases.added,
    findings: { added: findings.added, updated: findings.updated },
    sightings: findings.sightings,
  };
}

/**
 * A campaign is the same in two stores when its seed, start time, config and toolchain are: a merge copies them
 * verbatim, so no table of merged sources is needed. `further`: source campaigns whose copy is further along than
 * this store's (or new here), whose status, pool and resume state win.
 */
function mergeCampaigns(out: Database.Database, src: Database.Database) {
  const same = out.prepare('SELECT id FROM campaigns WHERE seed = ? AND started_at = ? AND config = ? AND toolchain = ?');
  const insert = out.prepare(`INSERT INTO campaigns (seed, config, toolchain, started_at, ended_at, status, summary)
    VALUES (@seed, @config, @toolchain, @started_at, @ended_at, @status, @summary)`);
  const update = out.prepare('UPDATE campaigns SET ended_at = @ended_at, status = @status, summary = @summary WHERE id = @out');
  const ids: IdMap = new Map();
  const further = new Set<number>();
  let added = 0;
  let updated = 0;
  let known = 0;
  for (const c of src.prepare('SELECT * FROM campaigns ORDER BY id').all() as Row[]) {
    const here = same.get(c.seed, c.started_at, c.config, c.toolchain) as { id: number } | undefined;
    if (!here) {
      ids.set(c.id, Number(insert.run(c).lastInsertRowid));
      further.add(c.id);
      added++;
    } else if (lastActivity(src, c.id) > lastActivity(out, here.id)) {
      ids.set(c.id, here.id);
      update.run({ ...c, out: here.id });
      further.add(c.id);
      updated++;
    } else {
      ids.set(c.id, here.id);
      known++;
    }
  }
  return { ids, further, added, updated, known };
}

/** The last time a campaign wrote anything: two copies of one campaign are snapshots, and the later one knows more. */
function lastActivity(db: Database.Database, campaign: number): number {
  const sql = `SELECT max(c.started_at, coalesce(c.ended_at, 0),
      coalesce((SELECT c.started_at + max(t) FROM stats WHERE campaign = c.id), 0),
      coalesce((SELECT max(updated_at) FROM state WHERE campaign = c.id), 0),
      coalesce((SELECT max(last_seen) FROM finding_hits WHERE campaign = c.id), 0),
      coalesce((SELECT max(added_at) FROM pool WHERE campaign = c.id), 0)) AS t
    FROM campaigns c WHERE c.id = ?`;
  return (db.prepare(sql).get(campaign) as { t: number }).t;
}

/** Programs by the sha256 of their text; one known here keeps its own parent, lineage and seed name. */
function mergePrograms(out: Database.Database, src: Database.Database) {
  const find = out.prepare('SELECT id FROM programs WHERE sha256 = ?');
  const insert = out.prepare('INSERT INTO programs (sha256, text, parent, lineage, seed_name, created_at) VALUES (?, ?, ?, ?, ?, ?)');
  const ids: IdMap = new Map();
  let added = 0;
  // A parent is always stored before its children, so in id order every parent is mapped before it is named.
  for (const p of src.prepare('SELECT * FROM programs ORDER BY id').iterate() as IterableIterator<Row>) {
    const here = find.get(p.sha256) as { id: number } | undefined;
    if (here) ids.set(p.id, here.id);
    else {
      const parent = p.parent === null ? null : ids.get(p.parent as number)!;
      ids.set(p.id, Number(insert.run(p.sha256, p.text, parent, p.lineage, p.seed_name, p.created_at).lastInsertRowid));
      added++;
    }
  }
  return { ids, added };
}

function mergePipelines(out: Database.Database, src: Database.Database): IdMap {
  const upsert = out.prepare('INSERT INTO pipelines (text) VALUES (?) ON CONFLICT (text) DO UPDATE SET text = text RETURNING id');
  const ids: IdMap = new Map();
  for (const p of src.prepare('SELECT id, text FROM pipelines').iterate() as IterableIterator<Row>) ids.set(p.id, (upsert.get(p.text) as { id: number }).id);
  return ids;
}

/** Cases by (program, pipeline, input seed); one known here keeps the campaign that stored it first here. */
function mergeCases(out: Database.Database, src: Database.Database, maps: { readonly programs: IdMap; readonly pipelines: IdMap; readonly campaigns: IdMap }) {
  const find = out.prepare('SELECT id FROM cases WHERE program = ? AND pipeline = ? AND input_seed = ?');
  const insert = out.prepare('INSERT INTO cases (program, pipeline, input_seed, campaign, created_at) VALUES (?, ?, ?, ?, ?)');
  const ids: IdMap = new Map();
  let added = 0;
  for (const c of src.prepare('SELECT * FROM cases ORDER BY id').iterate() as IterableIterator<Row>) {
    const program = maps.programs.get(c.program as number)!;
    const pipeline = maps.pipelines.get(c.pipeline as number)!;
    const here = find.get(program, pipeline, c.input_seed) as { id: number } | undefined;
    if (here) ids.set(c.id, here.id);
    else {
      const campaign = c.campaign === null ? null : maps.campaigns.get(c.campaign as number)!;
      ids.set(c.id, Number(insert.run(program, pipeline, c.input_seed, campaign, c.created_at).lastInsertRowid));
      added++;
    }
  }
  return { ids, added };
}

/** Stats samples are facts, so every one is kept; the pool and resume state come from the copy further along. */
function mergeCampaignData(out: Database.Database, src: Database.Database, campaigns: IdMap, further: ReadonlySet<number>, cases: IdMap): void {
  const stat = out.prepare(`INSERT OR IGNORE INTO stats (campaign, t, cases, features, seeds, findings_by_kind, ub_discarded, cases_per_s)
    VALUES (@campaign, @t, @cases, @features, @seeds, @findings_by_kind, @ub_discarded, @cases_per_s)`);
  for (const s of src.prepare('SELECT * FROM stats').iterate() as IterableIterator<Row>) stat.run({ ...s, campaign: campaigns.get(s.campaign as number) });

  const seed = out.prepare(`INSERT INTO pool (campaign, case_id, features, energy, picks, finds, exec_ms, added_at, culled)
      VALUES (@campaign, @case_id, @features, @energy, @picks, @finds, @exec_ms, @added_at, @culled)
    ON CONFLICT (campaign, case_id) DO UPDATE SET features = excluded.features, energy = excluded.energy, picks = excluded.picks,
      finds = excluded.finds, exec_ms = excluded.exec_ms, added_at = excluded.added_at, culled = excluded.culled`);
  const state = out.prepare(`INSERT INTO state (campaign, key, value, updated_at) VALUES (@campaign, @key, @value, @updated_at)
    ON CONFLICT (campaign, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`);
  const poolOf = src.prepare('SELECT * FROM pool WHERE campaign = ? ORDER BY id');
  const stateOf = src.prepare('SELECT * FROM state WHERE campaign = ?');
  for (const c of further) {
    const campaign = campaigns.get(c);
    for (const s of poolOf.iterate(c) as IterableIterator<Row>) seed.run({ ...s, campaign, case_id: cases.get(s.case_id as number) });
    for (const s of stateOf.iterate(c) as IterableIterator<Row>) state.run({ ...s, campaign });
  }
}

/**
 * Findings by signature. Sightings are counted per campaign (finding_hits), so a campaign merged before adds only
 * the sightings it made since; the first sighting's record and reproducer win; verdicts by STATUS_RANK.
 */
function mergeFindings(out: Database.Database, src: Database.Database, cases: IdMap, campaigns: IdMap) {
  const find = out.prepare('SELECT id, first_seen, last_seen, status, reduced_case FROM findings WHERE signature = ?');
  const columns = [...RECORD_COLUMNS, 'signature', 'first_seen', 'last_seen', 'count', 'status', 'case_id', 'campaign', 'reduced_case'];
  const insert = out.prepare(`INSERT INTO findings (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`);
  const replaceRecord = out.prepare(`UPDATE findings SET ${[...RECORD_COLUMNS, 'case_id', 'campaign'].map((c) => `${c} = @${c}`).join(', ')} WHERE id = @out`);
  const update = out.prepare(`UPDATE findings SET count = count + @sightings, first_seen = min(first_seen, @first_seen),
    last_seen = max(last_seen, @last_seen), status = @status, reduced_case = coalesce(reduced_case, @reduced_case) WHERE id = @out`);
  const hitsOf = src.prepare('SELECT * FROM finding_hits WHERE finding = ?');
  const hitHere = out.prepare('SELECT count, first_seen, last_seen FROM finding_hits WHERE campaign = ? AND finding = ?');
  const putHit = out.prepare(`INSERT INTO finding_hits (campaign, finding, count, first_seen, last_seen) VALUES (@campaign, @finding, @count, @first_seen, @last_seen)
    ON CONFLICT (campaign, finding) DO UPDATE SET count = max(count, excluded.count), first_seen = min(first_seen, excluded.first_seen),
      last_seen = max(last_seen, excluded.last_seen)`);
  let added = 0;
  let updated = 0;
  let sightings = 0;
  for (const f of src.prepare('SELECT * FROM findings ORDER BY id').iterate() as IterableIterator<Row>) {
    const mapped = {
      ...f,
      case_id: cases.get(f.case_id as number),
      campaign: f.campaign === null ? null : campaigns.get(f.campaign as number),
      reduced_case: f.reduced_case === null ? null : cases.get(f.reduced_case as number),
    };
    const here = find.get(f.signature) as { id: number; first_seen: number; last_seen: number; status: FindingStatus; reduced_case: number | null } | undefined;
    const id = here?.id ?? Number(insert.run(mapped).lastInsertRowid);
    // A hit's count only grows, so what a source's hit has beyond this store's copy of it is new.
    let delta = 0;
    for (const h of hitsOf.iterate(f.id) as IterableIterator<Row>) {
      const campaign = campaigns.get(h.campaign as number)!;
      const known = hitHere.get(campaign, id) as { count: number; first_seen: number; last_seen: number } | undefined;
      delta += Math.max(0, (h.count as number) - (known?.count ?? 0));
      putHit.run({ ...h, campaign, finding: id });
    }
    if (!here) {
      added++;
      continue;
    }
    const first = (f.first_seen as number) < here.first_seen;
    if (first) replaceRecord.run({ ...mapped, out: id });
    const status = STATUS_RANK[f.status as FindingStatus] > STATUS_RANK[here.status] ? (f.status as FindingStatus) : here.status;
    update.run({ out: id, sightings: delta, first_seen: f.first_seen, last_seen: f.last_seen, status, reduced_case: mapped.reduced_case });
    const changed = first || delta > 0 || (f.last_seen as number) > here.last_seen || status !== here.status || (here.reduced_case === null && mapped.reduced_case !== null);
    if (changed) updated++;
    sightings += delta;
  }
  return { added, updated, sightings };
}
