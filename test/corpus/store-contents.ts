// What a store holds, with every id replaced by what it stands for (a campaign by its seed and start, a case by its
// program's sha256, pipeline and input seed), so that two stores can be compared whatever ids they gave.
import Database from 'better-sqlite3';

const CAMPAIGN = (col: string) => `(SELECT seed || '@' || started_at FROM campaigns WHERE id = ${col})`;
const CASE = (col: string) => `(SELECT p.sha256 || ' ' || l.text || ' ' || c.input_seed FROM cases c JOIN programs p ON p.id = c.program
  JOIN pipelines l ON l.id = c.pipeline WHERE c.id = ${col})`;

const QUERIES = {
  campaigns: 'SELECT seed, config, toolchain, started_at, ended_at, status, summary FROM campaigns ORDER BY started_at, seed',
  programs: 'SELECT sha256, text, lineage, seed_name, (SELECT sha256 FROM programs q WHERE q.id = p.parent) AS parent FROM programs p ORDER BY sha256',
  cases: `SELECT ${CASE('k.id')} AS key FROM cases k ORDER BY key`,
  pool: `SELECT ${CAMPAIGN('campaign')} AS campaign, ${CASE('case_id')} AS kase, hex(features) AS features, energy, picks, finds, exec_ms, culled
    FROM pool ORDER BY campaign, kase`,
  stats: `SELECT ${CAMPAIGN('campaign')} AS campaign, t, cases, features, seeds, findings_by_kind, ub_discarded, cases_per_s FROM stats ORDER BY campaign, t`,
  state: `SELECT ${CAMPAIGN('campaign')} AS campaign, key, value FROM state ORDER BY campaign, key`,
  findings: `SELECT signature, kind, executor, tool, stage, pass, op, suspect, pattern, detail, frames, agreeing, matching_reference, difference,
      toolchain, first_seen, last_seen, count, status, ${CASE('case_id')} AS kase, ${CAMPAIGN('campaign')} AS campaign,
      ${CASE('reduced_case')} AS reduced FROM findings ORDER BY signature`,
  hits: `SELECT (SELECT signature FROM findings WHERE id = finding) AS signature, ${CAMPAIGN('campaign')} AS campaign, count, first_seen, last_seen
    FROM finding_hits ORDER BY signature, campaign`,
} as const;

export type StoreContents = Record<keyof typeof QUERIES, unknown[]>;

export function storeContents(path: string): StoreContents {
  const db = new Database(path, { readonly: true });
  try {
    return Object.fromEntries(Object.entries(QUERIES).map(([k, sql]) => [k, db.prepare(sql).all()])) as StoreContents;
  } finally {
    db.close();
  }
}
