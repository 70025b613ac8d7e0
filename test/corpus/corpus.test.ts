// The corpus API on real SQLite files: campaigns, content-addressed programs and cases, the pool, findings
// deduplicated by signature across campaigns, stats, resume state, transactions, and the pool's export.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Corpus, FindingRecord } from '../../contracts/corpus.ts';
import { CorpusError, openCorpus } from '../../corpus/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'tcfuzz-corpus-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
/** A new corpus on a clock that ticks once per timestamp (creating the store takes 1000). */
function newCorpus(): { c: Corpus; path: string } {
  const path = join(dir, `c${++n}.db`);
  let t = 1000;
  return { c: openCorpus(path, { create: true, now: () => t++ }), path };
}

const crash = (signature: string, extra: Partial<FindingRecord> = {}): FindingRecord => ({
  kind: 'crash', executor: 'native', tool: 'mlir-opt', frames: ['mlir::Foo::bar'], agreeing: ['wasm'], detail: 'Assertion failed', signature, ...extra,
});

test('campaigns start running, end with a status and summary, and resume', () => {
  const { c } = newCorpus();
  assert.equal(c.lastCampaign(), undefined);
  const a = c.startCampaign({ seed: 7, config: { backends: ['native'], jobs: 2 }, toolchain: { 'mlir-opt': '22.1' } });
  const b = c.startCampaign({ seed: 8, config: {}, toolchain: {} });
  assert.deepEqual(c.campaign(a), { id: a, seed: 7, config: { backends: ['native'], jobs: 2 }, toolchain: { 'mlir-opt': '22.1' }, startedAt: 1001, status: 'running' });
  assert.equal(c.lastCampaign()!.id, b);
  c.markCampaign(b, 'interrupted', { cases: 5 });
  assert.deepEqual([c.campaign(b)!.status, c.campaign(b)!.endedAt, c.campaign(b)!.summary], ['interrupted', 1003, { cases: 5 }]);
  c.markCampaign(b, 'running'); // resumed: no end, the summary stays until the next one
  assert.deepEqual([c.campaign(b)!.status, c.campaign(b)!.endedAt, c.campaign(b)!.summary], ['running', undefined, { cases: 5 }]);
  assert.throws(() => c.markCampaign(99, 'done'), /no campaign 99/);
  c.close();
});

test('programs, pipelines and cases are stored once by content', () => {
  const { c } = newCorpus();
  const campaign = c.startCampaign({ seed: 1, config: {}, toolchain: {} });
  const root = c.addProgram({ text: 'module {}', seedName: 'seed:matmul{m=4}' });
  assert.deepEqual(root, { id: 1, isNew: true });
  const child = c.addProgram({ text: 'module { }', parent: root.id, lineage: 'insert-subtree>rewire-operand' });
  assert.deepEqual(c.addProgram({ text: 'module { }', lineage: 'other' }), { id: child.id, isNew: false });
  assert.deepEqual(c.program(child.id), {
    id: child.id, text: 'module { }', sha256: createHash('sha256').update('module { }').digest('hex'),
    parent: root.id, lineage: 'insert-subtree>rewire-operand', createdAt: 1003,
  });
  const p = c.addPipeline('builtin.module(cse)');
  assert.equal(c.addPipeline('builtin.module(cse)'), p);
  const k = c.addCase({ program: child.id, pipeline: p, inputSeed: 3, campaign });
  assert.equal(c.addCase({ program: child.id, pipeline: p, inputSeed: 3 }), k);
  assert.notEqual(c.addCase({ program: child.id, pipeline: p, inputSeed: 4 }), k);
  assert.equal(c.storeCase({ text: 'module { }', pipeline: 'builtin.module(cse)', inputSeed: 3 }), k);
  const stored = c.case(k)!;
  assert.deepEqual([stored.program.id, stored.pipeline, stored.inputSeed, stored.campaign], [child.id, { id: p, text: 'builtin.module(cse)' }, 3, campaign]);
  assert.throws(() => c.addCase({ program: 99, pipeline: p, inputSeed: 0 }), /FOREIGN KEY/);
  c.close();
});

test('the pool: live seeds with their case, weights, culling, re-adding', () => {
  const { c } = newCorpus();
  const campaign = c.startCampaign({ seed: 1, config: {}, toolchain: {} });
  const other = c.startCampaign({ seed: 2, config: {}, toolchain: {} });
  const cases = [0, 1, 2].map((i) => c.storeCase({ text: `module { // ${i}\n}`, pipeline: 'p', inputSeed: i, campaign, seedName: `gen:1:${i}` }));
  const ids = c.transaction(() => cases.map((k, i) => c.addSeed({ campaign, case: k, features: new Uint32Array([i, 0xffffffff]), execMs: 2 })));
  c.addSeed({ campaign: other, case: cases[0]!, features: [] });
  assert.deepEqual(c.seeds(campaign).map((s) => [s.id, s.case.inputSeed, s.case.program.seedName, [...s.features], s.energy, s.execMs]), [
    [ids[0], 0, 'gen:1:0', [0, 0xffffffff], 1, 2],
    [ids[1], 1, 'gen:1:1', [1, 0xffffffff], 1, 2],
    [ids[2], 2, 'gen:1:2', [2, 0xffffffff], 1, 2],
  ]);
  c.updateSeeds([{ id: ids[0]!, energy: 0.25, picks: 3 }, { id: ids[2]!, finds: 1 }]);
  c.cullSeeds([ids[1]!]);
  assert.deepEqual(c.seeds(campaign).map((s) => [s.id, s.energy, s.picks, s.finds]), [[ids[0], 0.25, 3, 0], [ids[2], 1, 0, 1]]);
  assert.equal(c.seeds(other).length, 1);
  assert.equal(c.addSeed({ campaign, case: cases[1]!, features: [9] }), ids[1]); // back from culling, new features
  assert.deepEqual([...c.seeds(campaign)[1]!.features], [9]);
  c.close();
});

test('findings: one per signature across campaigns, with counts per campaign', () => {
  const { c, path } = newCorpus();
  const a = c.startCampaign({ seed: 1, config: {}, toolchain: {} });
  const b = c.startCampaign({ seed: 2, config: {}, toolchain: {} });
  const k1 = c.storeCase({ text: 'a', pipeline: 'p', inputSeed: 0, campaign: a });
  const k2 = c.storeCase({ text: 'b', pipeline: 'p', inputSeed: 0, campaign: a });
  const miscompile: FindingRecord = {
    kind: 'miscompile', executor: 'wasm', tool: 'v8', frames: [], agreeing: [], matchingReference: ['native'], suspect: 'executor', op: 'memref.store',
    detail: 'buffer 0 differs', signature: 'miscompile|wasm|canonicalize|memref.store', pass: 'canonicalize',
    difference: { kind: 'buffer', buffer: 0, index: 3, dtype: 'f32', values: ['1', '2'], tainted: false }, toolchain: { llc: '22' }, pattern: 'p',
  };
  const first = c.recordFinding(crash('crash|mlir-opt|Foo::bar'), { case: k1, campaign: a });
  assert.deepEqual(first, { id: first.id, isNew: true, count: 1 });
  assert.deepEqual(c.recordFinding(crash('crash|mlir-opt|Foo::bar', { detail: 'other text' }), { case: k2, campaign: a }), { id: first.id, isNew: false, count: 2 });
  assert.deepEqual(c.recordFinding(crash('crash|mlir-opt|Foo::bar'), { case: k2, campaign: b }), { id: first.id, isNew: false, count: 3 });
  const m = c.recordFinding(miscompile, { case: k2, campaign: b });
  assert.equal(m.isNew, true);
  c.recordFinding(crash('no campaign'), { case: k1 });

  const f = c.finding(first.id)!;
  assert.deepEqual([f.count, f.case, f.campaign, f.detail, f.firstSeen < f.lastSeen, f.status], [3, k1, a, 'Assertion failed', true, 'new']);
  const { id: _id, status: _s, count: _c, firstSeen: _f, lastSeen: _l, case: _k, campaign: _a, ...record } = c.finding(m.id)!;
  assert.deepEqual(record, miscompile); // every field comes back
  assert.deepEqual(c.findings({ campaign: a }).map((x) => [x.id, x.campaignCount]), [[first.id, 2]]);
  assert.deepEqual(c.findings({ campaign: b }).map((x) => [x.id, x.campaignCount]), [[first.id, 1], [m.id, 1]]);
  assert.deepEqual(c.findings({ kind: 'miscompile' }).map((x) => x.id), [m.id]);
  assert.deepEqual(c.findings({ executor: 'native', kind: 'crash' }).length, 2);
  assert.equal(c.findings().length, 3);

  const reduced = c.storeCase({ text: 'small', pipeline: 'p', inputSeed: 0 });
  c.updateFinding(m.id, { status: 'confirmed', reducedCase: reduced });
  c.updateFinding(m.id, { status: 'reported' });
  assert.deepEqual([c.finding(m.id)!.status, c.finding(m.id)!.reducedCase], ['reported', reduced]);
  assert.deepEqual(c.findings({ status: 'reported' }).map((x) => x.id), [m.id]);
  assert.throws(() => c.updateFinding(99, { status: 'fixed' }), /no finding 99/);
  c.close();
  const again = openCorpus(path, { readonly: true });
  assert.equal(again.finding(first.id)!.count, 3);
  again.close();
});

test('stats over time and resume state (JSON and bytes)', () => {
  const { c } = newCorpus();
  const a = c.startCampaign({ seed: 1, config: {}, toolchain: {} });
  c.addStats(a, { t: 2000, cases: 20, features: 9, seeds: 2, findingsByKind: { crash: 1 }, ubDiscarded: 3, casesPerS: 10 });
  c.addStats(a, { t: 1000, cases: 10, features: 5, seeds: 1, findingsByKind: {}, ubDiscarded: 1, casesPerS: 10 });
  assert.deepEqual(c.stats(a).map((s) => [s.t, s.cases, s.findingsByKind]), [[1000, 10, {}], [2000, 20, { crash: 1 }]]);
  assert.equal(c.loadState(a, 'counters'), undefined);
  c.saveState(a, 'counters', { next: [3, 4] });
  c.saveState(a, 'counters', { next: [5, 6] });
  c.saveState(a, 'features', new Uint8Array([1, 2, 3, 255]));
  assert.deepEqual(c.loadState(a, 'counters'), { next: [5, 6] });
  assert.deepEqual(c.loadState(a, 'features'), new Uint8Array([1, 2, 3, 255]));
  assert.throws(() => c.saveState(a, 'x', undefined), /not JSON/);
  c.close();
});

test('a transaction commits all or nothing; nested ones join it', () => {
  const { c } = newCorpus();
  const a = c.startCampaign({ seed: 1, config: {}, toolchain: {} });
  assert.throws(() => c.transaction(() => {
    c.storeCase({ text: 'x', pipeline: 'p', inputSeed: 0, campaign: a });
    c.transaction(() => c.saveState(a, 'k', 1));
    throw new Error('stop');
  }), /stop/);
  assert.equal(c.program(1), undefined);
  assert.equal(c.loadState(a, 'k'), undefined);
  assert.equal(c.integrityCheck(), 'ok');
  c.close();
});

test('a reader sees each commit while the writer keeps writing', () => {
  const { c, path } = newCorpus();
  const reader = openCorpus(path, { readonly: true });
  const a = c.startCampaign({ seed: 1, config: {}, toolchain: {} });
  const k = c.storeCase({ text: 'x', pipeline: 'p', inputSeed: 0, campaign: a });
  for (let i = 0; i < 20; i++) {
    c.recordFinding(crash(`s${i}`), { case: k, campaign: a });
    assert.equal(reader.findings().length, i + 1);
  }
  assert.throws(() => reader.startCampaign({ seed: 1, config: {}, toolchain: {} }), /readonly/);
  reader.close();
  c.close();
});

test('exportPool writes each live seed and its pipeline, and a manifest', () => {
  const { c } = newCorpus();
  const a = c.startCampaign({ seed: 1, config: {}, toolchain: {} });
  const texts = ['module {\n  // a\n}\n', 'module {\n  // b\n}\n', 'module {\n  // c\n}\n'];
  const seeds = texts.map((text, i) => c.addSeed({
    campaign: a, features: [i],
    case: c.storeCase({ text, pipeline: `builtin.module(func.func(cse),canonicalize{max-iterations=${i}})`, inputSeed: 10 + i, campaign: a, seedName: `gen:1:${i}`, ...(i && { lineage: 'insert-subtree' }) }),
  }));
  c.cullSeeds([seeds[1]!]);
  const out = join(dir, 'export');
  const exported = c.exportPool(a, out);
  assert.deepEqual(readdirSync(out).sort(), ['pool.json', 'seed-0001.mlir', 'seed-0001.pipeline', 'seed-0002.mlir', 'seed-0002.pipeline']);
  assert.equal(readFileSync(join(out, 'seed-0002.mlir'), 'utf8'), texts[2]);
  assert.equal(readFileSync(join(out, 'seed-0002.pipeline'), 'utf8'), 'builtin.module(func.func(cse),canonicalize{max-iterations=2})\n');
  assert.deepEqual(JSON.parse(readFileSync(join(out, 'pool.json'), 'utf8')).seeds, exported);
  assert.deepEqual(exported, [
    { seed: seeds[0], program: 'seed-0001.mlir', pipeline: 'seed-0001.pipeline', inputSeed: 10, name: 'gen:1:0' },
    { seed: seeds[2], program: 'seed-0002.mlir', pipeline: 'seed-0002.pipeline', inputSeed: 12, name: 'gen:1:2', lineage: 'insert-subtree' },
  ]);
  assert.throws(() => c.exportPool(a, out), (e) => e instanceof CorpusError && e.problem === 'export');
  const other = join(dir, 'export-other');
  mkdirSync(other);
  writeFileSync(join(other, 'notes.txt'), 'mine');
  assert.equal(c.exportPool(a, other).length, 2); // a folder with other files is fine
  assert.equal(readFileSync(join(other, 'notes.txt'), 'utf8'), 'mine');
  c.close();
});
