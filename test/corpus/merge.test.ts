// Corpus.merge on real SQLite files: findings deduplicated by signature with sightings added, the first sighting's
// record kept, verdicts merged by rank, content deduplicated, campaigns' pools, stats and state copied; merging a
// store again adds nothing, and a later copy of a campaign adds only what it did since.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Corpus, FindingRecord, FindingStatus } from '../../contracts/corpus.ts';
import { openCorpus } from '../../corpus/index.ts';
import { storeContents } from './store-contents.ts';

const dir = mkdtempSync(join(tmpdir(), 'tcfuzz-merge-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const fresh = (): string => join(dir, `s${++n}.db`);

/** Opens (or creates) `path` on a clock that ticks once per timestamp from `t0`. */
const open = (path: string, t0: number): Corpus => {
  let t = t0;
  return openCorpus(path, { create: true, now: () => t++ });
};

const crash = (signature: string, detail = 'Assertion failed'): FindingRecord => ({
  kind: 'crash', executor: 'native', tool: 'mlir-opt', stage: 'mlir-opt', pass: 'canonicalize', frames: ['mlir::Foo::bar'], agreeing: [], detail, signature,
});

const SHARED = 'module {\n  // shared\n}\n';

/** A shard: one campaign (seed), a program both shards hold, one of its own, and findings with verdicts. */
function shard(seed: number, t0: number, findings: Readonly<Record<string, { readonly sightings: number; readonly status?: FindingStatus; readonly reduced?: string }>>): string {
  const path = fresh();
  const c = open(path, t0);
  const campaign = c.startCampaign({ seed, config: { backends: ['native'], seed }, toolchain: { tcfuzz: '0.1.0', toolchain: '22.1.8' } });
  const shared = c.storeCase({ text: SHARED, pipeline: 'builtin.module(cse)', inputSeed: 0, campaign, seedName: 'seed:x' });
  const parent = c.case(shared)!.program.id;
  const own = c.storeCase({ text: `module {\n  // ${seed}\n}\n`, pipeline: `builtin.module(canonicalize{max-iterations=${seed}})`, inputSeed: seed, campaign, parent, lineage: 'insert-subtree' });
  c.addSeed({ campaign, case: shared, features: [seed, 1], execMs: 2 });
  c.addSeed({ campaign, case: own, features: [seed + 100, 3] });
  for (const [signature, f] of Object.entries(findings)) {
    let id = 0;
    for (let k = 0; k < f.sightings; k++) id = c.recordFinding(crash(signature, `seen by ${seed}`), { case: k ? shared : own, campaign }).id;
    if (f.status) c.updateFinding(id, { status: f.status });
    if (f.reduced) c.updateFinding(id, { reducedCase: c.storeCase({ text: f.reduced, pipeline: 'builtin.module(cse)', inputSeed: 0 }) });
  }
  c.addStats(campaign, { t: 500, cases: 10 * seed, features: 5, seeds: 2, findingsByKind: { crash: 1 }, ubDiscarded: 0, casesPerS: 20 });
  c.saveState(campaign, 'checkpoint', { elapsedMs: 500, seed });
  c.markCampaign(campaign, 'done', { cases: 10 * seed });
  c.close();
  return path;
}

/** Merges `sources` into `out` in one transaction, as `tcfuzz corpus merge` does; returns each source's counts. */
function merge(out: string, ...sources: string[]) {
  const into = openCorpus(out, { create: true });
  const from = sources.map((s) => openCorpus(s, { readonly: true }));
  try {
    return into.transaction(() => from.map((s) => into.merge(s)));
  } finally {
    for (const s of from) s.close();
    into.close();
  }
}

const byStatus = (path: string) => {
  const c = openCorpus(path, { readonly: true });
  try {
    return Object.fromEntries(c.findings().map((f) => [f.signature, [f.count, f.status]]));
  } finally {
    c.close();
  }
};

test('two shards: findings deduplicated, sightings added, first sighting and higher verdicts win, every finding kept', () => {
  // b runs earlier, so its sighting of 'both' is the first one.
  const a = shard(1, 100_000, { both: { sightings: 2, status: 'confirmed' }, 'a-only': { sightings: 1 }, verdicts: { sightings: 1, status: 'fixed' } });
  const b = shard(2, 50_000, { both: { sightings: 3, status: 'reported', reduced: 'module {}\n' }, 'b-only': { sightings: 4 }, verdicts: { sightings: 1, status: 'invalid' } });
  const out = fresh();
  const [fromA, fromB] = merge(out, a, b);
  assert.deepEqual(fromA, { campaigns: { added: 1, updated: 0, known: 0 }, programs: 2, cases: 2, findings: { added: 3, updated: 0 }, sightings: 0 });
  assert.deepEqual(fromB, { campaigns: { added: 1, updated: 0, known: 0 }, programs: 2, cases: 2, findings: { added: 1, updated: 2 }, sightings: 4 });

  assert.deepEqual(byStatus(out), { 'a-only': [1, 'new'], 'b-only': [4, 'new'], both: [5, 'reported'], verdicts: [2, 'invalid'] });
  const merged = storeContents(out);
  const [inA, inB] = [storeContents(a), storeContents(b)];
  const both = (s: typeof merged) => s.findings.find((f) => (f as { signature: string }).signature === 'both') as Record<string, unknown>;
  const [fa, fb, fm] = [both(inA), both(inB), both(merged)];
  assert.deepEqual(
    [fm.first_seen, fm.last_seen, fm.detail, fm.kase, fm.campaign, fm.reduced],
    [fb.first_seen, fa.last_seen, 'seen by 2', fb.kase, fb.campaign, fb.reduced],
    "b's first sighting gives the record, reproducer and campaign; a's the last sighting",
  );
  // Each shard's findings, hits, campaigns, pools, stats and state are all there, under the new ids.
  for (const s of [inA, inB]) {
    for (const k of ['campaigns', 'pool', 'stats', 'state', 'hits', 'cases'] as const) for (const row of s[k]) assert.ok(merged[k].some((r) => JSON.stringify(r) === JSON.stringify(row)), `${k} ${JSON.stringify(row)}`);
  }
  assert.equal(merged.programs.filter((p) => (p as { text: string }).text === SHARED).length, 1, 'one program per text');
  assert.equal(merged.programs.length, 4); // the shared one, one of each shard's own, and the reduced case
  assert.equal(merged.campaigns.length, 2);

  const c = openCorpus(out, { readonly: true });
  assert.equal(c.integrityCheck(), 'ok');
  const f = c.findings().find((x) => x.signature === 'both')!;
  assert.deepEqual(c.findingHits(f.id).map((h) => [c.campaign(h.campaign)!.seed, h.count]), [[2, 3], [1, 2]]);
  assert.equal(c.case(f.reducedCase!)!.program.text, 'module {}\n');
  c.close();

  // Merging either shard again changes nothing.
  assert.deepEqual(merge(out, a, b).map((m) => [m.campaigns.known, m.programs, m.cases, m.findings, m.sightings]), [
    [1, 0, 0, { added: 0, updated: 0 }, 0],
    [1, 0, 0, { added: 0, updated: 0 }, 0],
  ]);
  assert.deepEqual(storeContents(out), merged);

  // The other order gives the same findings and sightings.
  const reversed = fresh();
  merge(reversed, b, a);
  assert.deepEqual([storeContents(reversed).findings, storeContents(reversed).hits], [merged.findings, merged.hits]);
});

test('a later copy of a campaign adds only what it did since; an older copy adds nothing', () => {
  const live = shard(3, 10_000, { x: { sightings: 2 } });
  const snapshot = fresh();
  copyFileSync(live, snapshot);
  // The campaign goes on (a --resume on the machine that runs it): more sightings, a new finding, a culled seed.
  const c = open(live, 20_000);
  const campaign = c.lastCampaign()!.id;
  c.markCampaign(campaign, 'running');
  const kase = c.findings()[0]!.case;
  for (let k = 0; k < 3; k++) c.recordFinding(crash('x'), { case: kase, campaign });
  c.recordFinding(crash('y'), { case: kase, campaign });
  c.cullSeeds([c.seeds(campaign)[0]!.id]);
  c.addStats(campaign, { t: 9000, cases: 99, features: 9, seeds: 1, findingsByKind: { crash: 2 }, ubDiscarded: 1, casesPerS: 11 });
  c.saveState(campaign, 'checkpoint', { elapsedMs: 9000 });
  c.markCampaign(campaign, 'done', { cases: 99 });
  c.close();

  const out = fresh();
  merge(out, snapshot);
  assert.deepEqual(byStatus(out), { x: [2, 'new'] });
  const [later] = merge(out, live);
  assert.deepEqual([later!.campaigns, later!.findings, later!.sightings], [{ added: 0, updated: 1, known: 0 }, { added: 1, updated: 1 }, 3]);
  // The merged store now says what the live one says.
  assert.deepEqual(storeContents(out), storeContents(live));
  merge(out, snapshot, live);
  assert.deepEqual(storeContents(out), storeContents(live));
});

test('a store merged into itself is unchanged', () => {
  const a = shard(4, 1000, { z: { sightings: 2, status: 'confirmed' } });
  const before = storeContents(a);
  const [counts] = merge(a, a);
  assert.deepEqual(counts, { campaigns: { added: 0, updated: 0, known: 1 }, programs: 0, cases: 0, findings: { added: 0, updated: 0 }, sightings: 0 });
  assert.deepEqual(storeContents(a), before);
});
