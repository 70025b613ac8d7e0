// Opening a corpus: a new store has the schema and tcfuzz's mark; every bad file is a CorpusError and keeps its
// bytes; an older schema migrates in one transaction.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { APPLICATION_ID, CorpusError, type CorpusProblem, openCorpus, type OpenOptions, SCHEMA_VERSION } from '../../corpus/index.ts';
import { MIGRATIONS } from '../../corpus/schema.ts';

const dir = mkdtempSync(join(tmpdir(), 'tcfuzz-corpus-open-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const fresh = (): string => join(dir, `c${++n}.db`);

/** A closed corpus with a little of everything in it. */
function filledCorpus(): string {
  const path = fresh();
  const c = openCorpus(path, { create: true });
  const campaign = c.startCampaign({ seed: 1, config: {}, toolchain: {} });
  for (let i = 0; i < 50; i++) {
    const kase = c.storeCase({ text: `module { // ${i}\n}`, pipeline: 'builtin.module(cse)', inputSeed: i, campaign });
    c.addSeed({ campaign, case: kase, features: [i, i + 1] });
    const finding = { kind: 'crash', executor: 'native', tool: 'mlir-opt', frames: [], agreeing: [], detail: 'x'.repeat(200), signature: `s${i}` } as const;
    c.recordFinding(finding, { case: kase, campaign });
  }
  c.close();
  return path;
}

const sha = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

/** Opening `path` fails with `problem`, and leaves the file as it was (no WAL or journal left beside it either). */
function refused(path: string, problem: CorpusProblem, message: RegExp, options: OpenOptions = {}): void {
  const before = existsSync(path) && statSync(path).isFile() ? sha(path) : undefined;
  assert.throws(() => openCorpus(path, options), (e: unknown) => {
    assert.ok(e instanceof CorpusError, `not a CorpusError: ${String(e)}`);
    assert.equal(e.problem, problem, e.message);
    assert.match(e.message, message);
    assert.ok(e.message.startsWith(path), e.message);
    return true;
  });
  if (before !== undefined) assert.equal(sha(path), before, 'the file changed');
  for (const side of ['-wal', '-journal']) assert.ok(!existsSync(path + side) || readFileSync(path + side).length === 0, `${side} left behind`);
}

describe('a new corpus', () => {
  test('has the schema, the mark, WAL, and the current version', () => {
    const path = fresh();
    openCorpus(path, { create: true }).close();
    const db = new Database(path, { readonly: true });
    assert.equal(db.pragma('application_id', { simple: true }), APPLICATION_ID);
    assert.equal(db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    const tables = (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
    assert.deepEqual(tables, ['campaigns', 'cases', 'finding_hits', 'findings', 'meta', 'pipelines', 'pool', 'programs', 'state', 'stats']);
    assert.equal((db.prepare("SELECT value FROM meta WHERE key = 'format'").get() as { value: string }).value, 'tcfuzz-corpus');
    db.close();
    const again = openCorpus(path);
    assert.equal(again.integrityCheck(), 'ok');
    again.close();
  });

  test('is made from an empty file or an empty SQLite database only when asked to create', () => {
    const empty = fresh();
    writeFileSync(empty, '');
    refused(empty, 'not-sqlite', /empty file/);
    openCorpus(empty, { create: true }).close();
    openCorpus(empty).close();

    const bare = fresh();
    const db = new Database(bare);
    db.exec('CREATE TABLE t (x); DROP TABLE t;');
    db.close();
    refused(bare, 'foreign', /without tcfuzz's mark/);
    openCorpus(bare, { create: true }).close();
    assert.equal(openCorpus(bare, { readonly: true }).integrityCheck(), 'ok');
  });

  test('a missing file is refused unless creating, and never created read-only', () => {
    const path = fresh();
    refused(path, 'missing', /no such corpus/);
    refused(path, 'missing', /no such corpus/, { create: true, readonly: true });
    assert.ok(!existsSync(path));
  });
});

describe('bad files are refused and keep their bytes', () => {
  test('a text file', () => {
    const path = fresh();
    writeFileSync(path, 'module {\n  func.func @main() { return }\n}\n');
    refused(path, 'not-sqlite', /not an SQLite database/);
    refused(path, 'not-sqlite', /not an SQLite database/, { create: true });
  });

  test('a truncated SQLite file', () => {
    const path = fresh();
    writeFileSync(path, readFileSync(filledCorpus()).subarray(0, 60));
    refused(path, 'corrupt', /truncated/, { create: true });
  });

  test('a damaged table page', () => {
    const path = filledCorpus();
    const db = new Database(path, { readonly: true });
    const root = (db.prepare("SELECT rootpage FROM sqlite_schema WHERE name = 'findings'").get() as { rootpage: number }).rootpage;
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    db.close();
    const bytes = readFileSync(path);
    bytes.fill(0xa5, (root - 1) * pageSize, root * pageSize);
    writeFileSync(path, bytes);
    refused(path, 'corrupt', /damaged SQLite database/, { create: true });
  });

  test('a damaged schema page', () => {
    const path = filledCorpus();
    const bytes = readFileSync(path);
    bytes.fill(0x5a, 100, 400);
    writeFileSync(path, bytes);
    refused(path, 'corrupt', /damaged SQLite database/);
  });

  test("an SQLite database of another application, or without tcfuzz's mark", () => {
    const unmarked = fresh();
    let db = new Database(unmarked);
    db.exec('CREATE TABLE findings (id INTEGER PRIMARY KEY, what TEXT)');
    db.close();
    refused(unmarked, 'foreign', /without tcfuzz's mark/, { create: true });

    const other = fresh();
    db = new Database(other);
    db.pragma('application_id = 1179403647');
    db.exec('CREATE TABLE t (x)');
    db.close();
    refused(other, 'foreign', /another application \(application_id 0x464c457f\)/, { create: true });
  });

  test('a corpus from a newer tcfuzz', () => {
    const path = filledCorpus();
    const db = new Database(path);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    refused(path, 'newer', new RegExp(`schema v${SCHEMA_VERSION + 1}; this tcfuzz knows up to v${SCHEMA_VERSION}`), { create: true });
    refused(path, 'newer', /newer tcfuzz/, { readonly: true });
  });

  test("tcfuzz's mark without a meta table", () => {
    const path = fresh();
    const db = new Database(path);
    db.pragma(`application_id = ${APPLICATION_ID}`);
    db.pragma('user_version = 1');
    db.exec('CREATE TABLE t (x)');
    db.close();
    refused(path, 'corrupt', /meta table is missing/);
  });

  test('a folder', () => {
    const path = fresh();
    mkdirSync(path);
    refused(path, 'unreadable', /not a regular file/, { create: true });
  });
});

describe('migrations', () => {
  const V2 = [...MIGRATIONS, { version: SCHEMA_VERSION + 1, sql: 'ALTER TABLE findings ADD COLUMN note TEXT; CREATE INDEX findings_note ON findings (note);' }];

  test('opening an older corpus for writing applies the steps it lacks, in one transaction', () => {
    const path = filledCorpus();
    refused(path, 'needs-migration', /open it once for writing/, { readonly: true, migrations: V2 });
    const c = openCorpus(path, { migrations: V2, now: () => 42 });
    assert.equal(c.findings().length, 50);
    c.close();
    const db = new Database(path, { readonly: true });
    assert.equal(db.pragma('user_version', { simple: true }), SCHEMA_VERSION + 1);
    assert.ok(db.prepare("SELECT 1 FROM pragma_table_info('findings') WHERE name = 'note'").get());
    assert.equal((db.prepare(`SELECT value FROM meta WHERE key = 'migrated_to_v${SCHEMA_VERSION + 1}'`).get() as { value: string }).value, '42');
    db.close();
    refused(path, 'newer', /newer tcfuzz/); // and now this tcfuzz's list is the older one
  });

  test('a failing step leaves the corpus as it was', () => {
    const path = filledCorpus();
    const bad = [...MIGRATIONS, { version: SCHEMA_VERSION + 1, sql: 'CREATE TABLE extra (x); ALTER TABLE no_such_table ADD COLUMN y;' }];
    assert.throws(() => openCorpus(path, { migrations: bad }), /no such table/);
    const db = new Database(path, { readonly: true });
    assert.equal(db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
    assert.equal(db.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'extra'").get(), undefined);
    db.close();
    const c = openCorpus(path);
    assert.equal(c.findings().length, 50);
    c.close();
  });
});
