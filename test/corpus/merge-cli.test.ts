// `tcfuzz corpus merge` and `tcfuzz corpus import` in-process on real SQLite files: shards combined, merged again
// without double counting, an exported pool imported once; a missing or damaged input is exit 2 and leaves OUT as it
// was (or absent).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { openCorpus } from '../../corpus/index.ts';
import { storeContents } from './store-contents.ts';
import { cli } from '../helpers/cli.ts';

const root = mkdtempSync(join(tmpdir(), 'tcfuzz-merge-cli-'));
after(() => rmSync(root, { recursive: true, force: true }));


/** A shard as one CI machine leaves it: a campaign with a pool, stats, and findings (`signature` → sightings). */
function shard(path: string, seed: number, findings: Readonly<Record<string, number>>): string {
  const c = openCorpus(path, { create: true });
  const campaign = c.startCampaign({ seed, config: { seed }, toolchain: { toolchain: '22.1.8' } });
  const kase = c.storeCase({ text: `module {\n  // ${seed}\n}\n`, pipeline: 'builtin.module(cse)', inputSeed: seed, campaign });
  c.addSeed({ campaign, case: kase, features: [seed, 1] });
  for (const [signature, n] of Object.entries(findings)) {
    for (let k = 0; k < n; k++) c.recordFinding({ kind: 'crash', executor: 'native', tool: 'mlir-opt', frames: [], agreeing: [], detail: 'x', signature }, { case: kase, campaign });
  }
  c.addStats(campaign, { t: 1000, cases: 10, features: 3, seeds: 1, findingsByKind: {}, ubDiscarded: 0, casesPerS: 10 });
  c.markCampaign(campaign, 'done');
  c.close();
  return path;
}

const counts = (path: string) => {
  const c = openCorpus(path, { readonly: true });
  try {
    return Object.fromEntries(c.findings().map((f) => [f.signature, f.count]));
  } finally {
    c.close();
  }
};
const sha = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

/** Exit 2, one `tcfuzz:` line matching `message`. */
async function refused(argv: string[], message: RegExp): Promise<void> {
  const r = await cli(argv);
  assert.equal(r.code, 2, `${argv.join(' ')}: ${r.err}`);
  assert.match(r.err.split('\n')[0]!, message);
  assert.doesNotMatch(r.err, /^\s+at /m, 'a stack trace');
}

describe('tcfuzz corpus merge', () => {
  const a = shard(join(root, 'a.db'), 1, { shared: 2, 'a-only': 1 });
  const b = shard(join(root, 'b.db'), 2, { shared: 3, 'b-only': 1 });

  it('combines shards, and merging one again counts nothing twice', async () => {
    const out = join(root, 'merged.db');
    const r = await cli(['corpus', 'merge', out, a, b]);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(r.out.split('\n').filter(Boolean), [
      `${a}: campaigns 1 new; 1 programs and 1 cases added; 2 new findings, 0 updated (+0 sightings)`,
      `${b}: campaigns 1 new; 1 programs and 1 cases added; 1 new findings, 1 updated (+3 sightings)`,
      `${out}: 3 findings`,
    ]);
    assert.deepEqual(counts(out), { shared: 5, 'a-only': 1, 'b-only': 1 });
    const merged = storeContents(out);
    const again = await cli(['corpus', 'merge', out, b]);
    assert.match(again.out, /campaigns 1 already here; 0 programs and 0 cases added; 0 new findings, 0 updated \(\+0 sightings\)/);
    assert.deepEqual(storeContents(out), merged);
    const c = openCorpus(out, { readonly: true });
    assert.equal(c.integrityCheck(), 'ok');
    c.close();
  });

  it('refuses a missing or damaged input and leaves OUT as it was, or absent', async () => {
    const out = join(root, 'kept.db');
    shard(out, 3, { mine: 1 });
    const before = sha(out);
    const damaged = shard(join(root, 'damaged.db'), 4, { x: 1 });
    const db = new Database(damaged, { readonly: true });
    const page = (db.prepare("SELECT rootpage FROM sqlite_schema WHERE name = 'findings'").get() as { rootpage: number }).rootpage;
    const size = db.pragma('page_size', { simple: true }) as number;
    db.close();
    const bytes = readFileSync(damaged);
    bytes.fill(0xa5, (page - 1) * size, page * size);
    writeFileSync(damaged, bytes);

    await refused(['corpus', 'merge', out, a, join(root, 'nope.db')], /nope\.db: no such corpus/);
    await refused(['corpus', 'merge', out, a, damaged], /damaged\.db: damaged SQLite database/);
    assert.equal(sha(out), before);
    const fresh = join(root, 'never.db');
    await refused(['corpus', 'merge', fresh, a, damaged], /damaged SQLite database/);
    assert.ok(!existsSync(fresh), 'OUT is not created when an input is bad');
    const text = join(root, 'text.db');
    writeFileSync(text, 'notes');
    await refused(['corpus', 'merge', text, a], /text\.db: not an SQLite database/);
    assert.equal(readFileSync(text, 'utf8'), 'notes');
    await refused(['corpus', 'merge', out], /merge needs OUT\.db and at least one store/);
  });
});

describe('tcfuzz corpus import', () => {
  it('merges every .db below DIR and an exported pool into --db, once', async () => {
    const dir = join(root, 'artifacts');
    // As actions/download-artifact lays them out: a folder per artifact.
    for (const k of [1, 2]) mkdirSync(join(dir, `shard-${k}`), { recursive: true });
    shard(join(dir, 'shard-1', 'shard-1.db'), 11, { s: 1 });
    shard(join(dir, 'shard-2', 'shard-2.db'), 12, { s: 2, t: 1 });
    const pooled = join(root, 'pooled.db');
    shard(pooled, 13, {});
    assert.equal((await cli(['corpus', 'export', '--db', pooled, '--out', dir])).code, 0);

    const db = join(root, 'nightly.db');
    const r = await cli(['corpus', 'import', dir, '--db', db]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /shard-1\.db: campaigns 1 new;/);
    assert.match(r.out, /shard-2\.db: campaigns 1 new;/);
    assert.match(r.out, /artifacts: 1 seeds imported as the pool of campaign 3\n/);
    assert.deepEqual(counts(db), { s: 3, t: 1 });
    const c = openCorpus(db, { readonly: true });
    assert.deepEqual(c.seeds(3).map((s) => s.case.program.text), ['module {\n  // 13\n}\n']);
    c.close();

    const merged = storeContents(db);
    const again = await cli(['corpus', 'import', dir, '--db', db]);
    assert.match(again.out, /artifacts: already imported as campaign 3\n/);
    assert.deepEqual(storeContents(db), merged);
  });

  it('refuses what is not a folder of stores or a pool', async () => {
    const empty = join(root, 'empty');
    mkdirSync(empty);
    await refused(['corpus', 'import', empty, '--db', join(root, 'x.db')], /empty holds no \.db store and no pool\.json/);
    await refused(['corpus', 'import', join(root, 'no-such-dir')], /no-such-dir: not a folder/);
    await refused(['corpus', 'import'], /import needs one folder/);
    assert.ok(!existsSync(join(root, 'x.db')));
  });

  it('export still needs --out', async () => {
    await refused(['corpus', 'export', '--db', join(root, 'a.db')], /export needs --out DIR/);
  });
});
