// Opening a store: a bad file is refused with a CorpusError before anything is written to it, and an older schema is
// migrated in one transaction.
import { closeSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import Database from 'better-sqlite3';
import type { Corpus } from '../contracts/corpus.ts';
import { CorpusError } from './corpus-error.ts';
import { APPLICATION_ID, FORMAT, MIGRATIONS, migrate, type Migration } from './schema.ts';
import { SqliteCorpus } from './sqlite-corpus.ts';

export type OpenOptions = {
  /** Create the store when there is no file (or an empty one). */
  readonly create?: boolean;
  /** For readers (triage, reports) while a campaign writes. */
  readonly readonly?: boolean;
  /** The clock behind every timestamp; tests pin it. */
  readonly now?: () => number;
  /** The schema steps; tests pass a longer list to exercise a migration. */
  readonly migrations?: readonly Migration[];
};

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

export function openCorpus(path: string, options: OpenOptions = {}): Corpus {
  const { create = false, readonly = false, now = Date.now, migrations = MIGRATIONS } = options;
  const stats = statOrUndefined(path);
  if (!stats && (!create || readonly)) {
    throw new CorpusError(path, 'missing', readonly ? 'no such corpus' : 'no such corpus (a campaign creates one)');
  }
  if (stats && !stats.isFile()) throw new CorpusError(path, 'unreadable', 'not a regular file');
  if (stats) checkHeader(path, stats.size, create && !readonly);

  let db: Database.Database;
  try {
    db = new Database(path, { readonly, fileMustExist: stats !== undefined });
  } catch (e) {
    throw new CorpusError(path, 'unreadable', `cannot open: ${(e as Error).message}`);
  }
  let version: number;
  try {
    db.pragma('busy_timeout = 10000');
    version = stats && stats.size > 0 ? verify(db, path, create && !readonly, migrations) : 0;
  } catch (e) {
    db.close();
    if (e instanceof CorpusError) throw e;
    const code = (e as { code?: string }).code ?? '';
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) throw new CorpusError(path, 'unreadable', 'locked by another process');
    if (/^SQLITE_(IOERR|CANTOPEN|PERM|READONLY|AUTH)/.test(code)) throw new CorpusError(path, 'unreadable', (e as Error).message);
    if (code.startsWith('SQLITE_')) throw new CorpusError(path, 'corrupt', `damaged SQLite database: ${(e as Error).message}`);
    throw e;
  }
  if (readonly) return new SqliteCorpus(db, path, true, now);
  try {
    // WAL: readers never block the writer; NORMAL: a commit survives the process's death (not a power cut).
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    if (version < migrations[migrations.length - 1]!.version) migrate(db, migrations, now());
  } catch (e) {
    db.close();
    throw e; // a failing migration is tcfuzz's bug, and it has rolled back
  }
  return new SqliteCorpus(db, path, false, now);
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CorpusError(path, 'unreadable', (e as Error).message);
  }
}

/** Refuses what is not an SQLite file before SQLite sees it. An empty file is a new store only when creating. */
function checkHeader(path: string, size: number, create: boolean): void {
  if (size === 0) {
    if (create) return;
    throw new CorpusError(path, 'not-sqlite', 'an empty file, not a tcfuzz corpus');
  }
  const head = Buffer.alloc(100);
  let n: number;
  try {
    const fd = openSync(path, 'r');
    try {
      n = readSync(fd, head, 0, 100, 0);
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    throw new CorpusError(path, 'unreadable', (e as Error).message);
  }
  const isSqlite = n >= SQLITE_HEADER.length && head.subarray(0, SQLITE_HEADER.length).equals(SQLITE_HEADER);
  if (!isSqlite) throw new CorpusError(path, 'not-sqlite', 'not an SQLite database, so not a tcfuzz corpus');
  if (n < 100) throw new CorpusError(path, 'corrupt', `a truncated SQLite database (${n} bytes)`);
}

/** Reads only: the mark, the schema version, the meta table, then SQLite's quick check. Returns the version. */
function verify(db: Database.Database, path: string, create: boolean, migrations: readonly Migration[]): number {
  const appId = db.pragma('application_id', { simple: true }) as number;
  const version = db.pragma('user_version', { simple: true }) as number;
  if (appId !== APPLICATION_ID) {
    const objects = db.prepare('SELECT count(*) AS n FROM sqlite_schema').get() as { n: number };
    if (appId === 0 && version === 0 && objects.n === 0 && create) return 0; // an empty SQLite file: a new store
    const whose = appId === 0 ? 'without tcfuzz\'s mark' : `of another application (application_id 0x${(appId >>> 0).toString(16)})`;
    throw new CorpusError(path, 'foreign', `an SQLite database ${whose}, not a tcfuzz corpus`);
  }
  const known = migrations[migrations.length - 1]!.version;
  if (version > known) {
    throw new CorpusError(path, 'newer', `written by a newer tcfuzz (corpus schema v${version}; this tcfuzz knows up to v${known})`);
  }
  const hasMeta = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'meta'").get();
  const format = hasMeta ? (db.prepare("SELECT value FROM meta WHERE key = 'format'").get() as { value: string } | undefined) : undefined;
  if (format?.value !== FORMAT) throw new CorpusError(path, 'corrupt', 'marked as a tcfuzz corpus, but its meta table is missing or wrong');
  const problems = (db.pragma('quick_check(20)') as { quick_check: string }[]).map((r) => r.quick_check);
  if (problems.length !== 1 || problems[0] !== 'ok') {
    throw new CorpusError(path, 'corrupt', `damaged SQLite database (quick_check: ${problems.slice(0, 5).join('; ')})`);
  }
  if (version < known && db.readonly) {
    throw new CorpusError(path, 'needs-migration', `corpus schema v${version} is older than v${known}; open it once for writing to migrate it`);
  }
  return version;
}
