// The corpus schema as an ordered list of migrations: a new store runs them all, an older one the ones it lacks.
// Never edit a released step; add the next one.
import type Database from 'better-sqlite3';

/** `PRAGMA application_id` of every tcfuzz corpus: 'tcfz'. */
export const APPLICATION_ID = 0x7463667a;
/** What `meta.format` holds in a tcfuzz corpus. */
export const FORMAT = 'tcfuzz-corpus';

export type Migration = { readonly version: number; readonly sql: string };

const V1 = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT, WITHOUT ROWID;

CREATE TABLE campaigns (
  id INTEGER PRIMARY KEY,
  seed INTEGER NOT NULL,
  config TEXT NOT NULL,             -- JSON
  toolchain TEXT NOT NULL,          -- JSON: tool → version
  started_at INTEGER NOT NULL,
  ended_at INTEGER,
  status TEXT NOT NULL CHECK (status IN ('running', 'done', 'interrupted')),
  summary TEXT                      -- JSON
) STRICT;

CREATE TABLE programs (
  id INTEGER PRIMARY KEY,
  sha256 TEXT NOT NULL UNIQUE,      -- hex, of text
  text TEXT NOT NULL,
  parent INTEGER REFERENCES programs(id),
  lineage TEXT,                     -- 'insert-subtree>rewire-operand'
  seed_name TEXT,                   -- 'seed:matmul{m=4}', 'gen:7:12'
  created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE pipelines (id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE) STRICT;

-- Only cases worth keeping: seeds of a pool and reproducers of findings. Totals are in stats.
CREATE TABLE cases (
  id INTEGER PRIMARY KEY,
  program INTEGER NOT NULL REFERENCES programs(id),
  pipeline INTEGER NOT NULL REFERENCES pipelines(id),
  input_seed INTEGER NOT NULL,
  campaign INTEGER REFERENCES campaigns(id),   -- first stored by
  created_at INTEGER NOT NULL,
  UNIQUE (program, pipeline, input_seed)
) STRICT;

CREATE TABLE pool (
  id INTEGER PRIMARY KEY,
  campaign INTEGER NOT NULL REFERENCES campaigns(id),
  case_id INTEGER NOT NULL REFERENCES cases(id),
  features BLOB NOT NULL,           -- uint32 feature ids, little-endian
  energy REAL NOT NULL,
  picks INTEGER NOT NULL DEFAULT 0,
  finds INTEGER NOT NULL DEFAULT 0,
  exec_ms REAL,
  added_at INTEGER NOT NULL,
  culled INTEGER NOT NULL DEFAULT 0 CHECK (culled IN (0, 1)),
  UNIQUE (campaign, case_id)
) STRICT;
CREATE INDEX pool_live ON pool (campaign) WHERE culled = 0;

-- One row per signature across the whole store.
CREATE TABLE findings (
  id INTEGER PRIMARY KEY,
  signature TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  executor TEXT NOT NULL,
  tool TEXT NOT NULL,
  stage TEXT,
  pass TEXT,
  op TEXT,
  suspect TEXT,
  pattern TEXT,
  detail TEXT NOT NULL,
  frames TEXT NOT NULL,             -- JSON array
  agreeing TEXT NOT NULL,           -- JSON array of executors
  matching_reference TEXT,          -- JSON array of executors
  difference TEXT,                  -- JSON
  toolchain TEXT,                   -- JSON
  first_seen INTEGER NOT NULL,
  last_seen INTEGER NOT NULL,
  count INTEGER NOT NULL DEFAULT 1,
  status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'confirmed', 'reported', 'fixed', 'invalid')),
  case_id INTEGER NOT NULL REFERENCES cases(id),
  campaign INTEGER REFERENCES campaigns(id),   -- of first sight
  reduced_case INTEGER REFERENCES cases(id)
) STRICT;
CREATE INDEX findings_kind ON findings (kind);
CREATE INDEX findings_status ON findings (status);

-- Sightings per campaign.
CREATE TABLE finding_hits (
  campaign INTEGER NOT NULL REFERENCES campaigns(id),
  finding INTEGER NOT NULL REFERENCES findings(id),
  count INTEGER NOT NULL,
  first_seen INTEGER NOT NULL,
  last_seen INTEGER NOT NULL,
  PRIMARY KEY (campaign, finding)
) STRICT, WITHOUT ROWID;
CREATE INDEX finding_hits_finding ON finding_hits (finding);

CREATE TABLE stats (
  campaign INTEGER NOT NULL REFERENCES campaigns(id),
  t INTEGER NOT NULL,               -- ms since the campaign started
  cases INTEGER NOT NULL,
  features INTEGER NOT NULL,
  seeds INTEGER NOT NULL,
  findings_by_kind TEXT NOT NULL,   -- JSON
  ub_discarded INTEGER NOT NULL,
  cases_per_s REAL NOT NULL,
  PRIMARY KEY (campaign, t)
) STRICT, WITHOUT ROWID;

-- Resume state: JSON text, or a blob for bytes.
CREATE TABLE state (
  campaign INTEGER NOT NULL REFERENCES campaigns(id),
  key TEXT NOT NULL,
  value ANY NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (campaign, key)
) STRICT, WITHOUT ROWID;
`;

export const MIGRATIONS: readonly Migration[] = [{ version: 1, sql: V1 }];

/** The schema version this tcfuzz writes and reads. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/**
 * Brings `db` from its `user_version` to the last of `migrations` in one transaction: a failing step leaves the
 * store as it was. Version 0 is an empty store, which becomes a corpus here. Returns the versions applied.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[], now: number): number[] {
  const applied: number[] = [];
  db.transaction(() => {
    // Read inside the transaction: another writer may have migrated since the caller looked.
    const from = db.pragma('user_version', { simple: true }) as number;
    if (from === 0) db.pragma(`application_id = ${APPLICATION_ID}`);
    for (const m of migrations) {
      if (m.version <= from) continue;
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
      applied.push(m.version);
    }
    const setMeta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    if (from === 0) {
      setMeta.run('format', FORMAT);
      setMeta.run('created_at', String(now));
    }
    for (const v of applied) setMeta.run(`migrated_to_v${v}`, String(now));
  }).immediate();
  return applied;
}
