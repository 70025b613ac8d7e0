// `tcfuzz report` in-process: each format goes where it should, the store is only read, and bad input (no store, a
// damaged one, an --out that cannot be a folder) is one line and exit 2, before anything is written.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { sampleStore } from './sample-store.ts';
import { cli as tcfuzz } from '../helpers/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'tcfuzz-report-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const db = join(dir, 'sample.db');
sampleStore(db);


const sha = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

/** A usage error: exit 2, one line on stderr naming `what`, nothing on stdout. */
function refused(r: { code: number; out: string; err: string }, what: RegExp): void {
  assert.equal(r.code, 2, r.err);
  assert.equal(r.out, '');
  assert.match(r.err, /^tcfuzz: [^\n]+\n$/);
  assert.match(r.err, what);
}

test('html (the default) writes index.html and a page per finding, and says where', async () => {
  const before = sha(db);
  const out = join(dir, 'html', 'nested');
  const r = await tcfuzz(['report', '--db', db, '--out', out]);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out, `report written to ${join(out, 'index.html')}\n`);
  assert.deepEqual(readdirSync(out).sort(), ['findings', 'index.html']);
  assert.deepEqual(readdirSync(join(out, 'findings')).sort(), ['1.html', '2.html']);
  assert.equal(sha(db), before, 'the store is only read');
  // Again into the same folder: the report is replaced.
  assert.equal((await tcfuzz(['report', '--db', db, '--out', out])).code, 0);
});

test('markdown prints, and writes summary.md given --out; json and text only print', async () => {
  const out = join(dir, 'md');
  const md = await tcfuzz(['report', '--db', db, '--out', out, '--format', 'markdown']);
  assert.equal(md.code, 0, md.err);
  assert.equal(readFileSync(join(out, 'summary.md'), 'utf8'), md.out);
  assert.match(md.out, /^# tcfuzz report\n/);
  // Without a folder, as for a job summary: printed only.
  const printed = await tcfuzz(['report', '--db', db, '--format', 'markdown']);
  assert.deepEqual([printed.code, printed.err], [0, '']);
  const untimed = (t: string): string => t.replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/, 'TIME'); // generated a moment apart
  assert.equal(untimed(printed.out), untimed(md.out));
  const json = await tcfuzz(['report', '--db', db, '--format', 'json']);
  assert.equal(json.code, 0, json.err);
  assert.deepEqual(JSON.parse(json.out).totals.byKind.map((k: { kind: string }) => k.kind), ['crash', 'miscompile']);
  const text = await tcfuzz(['report', '--db', db, '--format', 'text']);
  assert.equal(text.code, 0, text.err);
  assert.match(text.out, /^tcfuzz report of .*\n3 campaigns, 42 cases checked, 2 findings \(3 sightings\)\n/);
});

test('a missing, foreign or damaged store is refused', async () => {
  refused(await tcfuzz(['report', '--db', join(dir, 'nope.db'), '--format', 'text']), /nope\.db: no such corpus/);
  const notes = join(dir, 'notes.db');
  writeFileSync(notes, 'my notes\n');
  refused(await tcfuzz(['report', '--db', notes, '--format', 'text']), /notes\.db: not an SQLite database/);
  const truncated = join(dir, 'truncated.db');
  copyFileSync(db, truncated);
  truncateSync(truncated, 8192);
  refused(await tcfuzz(['report', '--db', truncated, '--out', join(dir, 'never'), '--format', 'markdown']), /truncated\.db: .*(damaged|truncated)/);
  assert.equal(existsSync(join(dir, 'never', 'summary.md')), false);
});

test('an --out that cannot be a folder is refused before anything is read or written', async () => {
  const file = join(dir, 'a-file');
  writeFileSync(file, 'x');
  refused(await tcfuzz(['report', '--db', db, '--out', file]), /a-file is a file, not a folder/);
  refused(await tcfuzz(['report', '--db', db, '--out', join(file, 'under', 'it')]), /a-file is a file, not a folder/);
  // Checked before the store: a bad --out says so even when the store is bad too.
  refused(await tcfuzz(['report', '--db', join(dir, 'nope.db'), '--out', join(file, 'x'), '--format', 'markdown']), /a-file is a file/);
  assert.equal(readFileSync(file, 'utf8'), 'x');
});

test('a folder without write permission is refused', { skip: process.getuid?.() === 0 && 'root may write anywhere' }, async () => {
  const locked = join(dir, 'locked');
  mkdirSync(locked, { mode: 0o555 });
  refused(await tcfuzz(['report', '--db', db, '--out', join(locked, 'report')]), /locked is not writable/);
});

test('--out is required where files are written, and refused where nothing is', async () => {
  refused(await tcfuzz(['report', '--db', db]), /--format html writes files: name their folder with --out DIR/);
  refused(await tcfuzz(['report', '--db', db, '--format', 'json', '--out', join(dir, 'j')]), /--format json prints to standard output/);
  assert.equal(existsSync(join(dir, 'j')), false);
  const bad = await tcfuzz(['report', '--db', db, '--format', 'pdf']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /Invalid values:[\s\S]*pdf/);
});
