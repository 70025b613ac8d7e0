// The engine's small parts on exact inputs: the seed pool's energy and cull, the joint policy, flood control and
// suppression files.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FloodControl } from '../../fuzz/flood-control.ts';
import { JointPolicy } from '../../fuzz/joint-policy.ts';
import type { Seed } from '../../fuzz/seed-pool.ts';
import { SeedPool } from '../../fuzz/seed-pool.ts';
import { parseSuppressions, SuppressionSyntaxError } from '../../fuzz/suppressions.ts';
import { Rand } from '../../mutators/generate/rand.ts';

const seed = (key: string, features: number[], text = key): Seed => ({ key, name: key, text, pipeline: [], features: Uint32Array.from(features), lineage: 'seed', picks: 0, wins: 0 });

test('a seed with a rare feature is picked more often than one with only common features', () => {
  const pool = new SeedPool();
  pool.add(seed('common1', [1, 2]));
  pool.add(seed('common2', [1, 2]));
  pool.add(seed('rare', [1, 2, 3, 4, 5]));
  const counts = new Map<string, number>();
  const r = Rand.seeded(5);
  for (let k = 0; k < 3000; k++) {
    const s = pool.pick(r)!;
    counts.set(s.key, (counts.get(s.key) ?? 0) + 1);
  }
  assert.ok(counts.get('rare')! > 2 * counts.get('common1')!, JSON.stringify([...counts]));
  assert.ok(counts.get('common1')! > 0 && counts.get('common2')! > 0, 'every seed keeps some energy');
});

test('culling keeps a cover of every feature and drops seeds that add nothing', () => {
  const pool = new SeedPool();
  pool.add(seed('a', [1, 2, 3]));
  pool.add(seed('b', [1, 2]));
  pool.add(seed('c', [4]));
  pool.add(seed('d', [3, 4], 'longer text'));
  const dropped = pool.cull().map((s) => s.key).sort();
  assert.deepEqual(dropped, ['b', 'c'], 'd covers 4 before c, having more features');
  assert.deepEqual(pool.all().map((s) => s.key).sort(), ['a', 'd']);
  const covered = new Set(pool.all().flatMap((s) => [...s.features]));
  assert.deepEqual([...covered].sort(), [1, 2, 3, 4]);
});

test('a seed added between picks is drawn at once, and a culled pool draws only what it kept', () => {
  const pool = new SeedPool();
  for (let k = 0; k < 40; k++) pool.add(seed(`common${k}`, [1, 2]));
  const r = Rand.seeded(9);
  pool.pick(r);
  // Picked right after it joins, before the pool's next full recomputation of energies.
  pool.add(seed('rare', [1, 2, ...Array.from({ length: 30 }, (_, k) => 100 + k)]));
  const first = Array.from({ length: 8 }, () => pool.pick(r)!.key);
  assert.ok(first.includes('rare'), first.join());
  pool.cull();
  assert.deepEqual(pool.all().map((s) => s.key).sort(), ['rare']);
  for (let k = 0; k < 50; k++) assert.equal(pool.pick(r)!.key, 'rare');
  // A seed added after the cull joins the draw (the cull reset the table it is appended to).
  pool.add(seed('late', [7, 8, 9]));
  const keys = new Set(Array.from({ length: 200 }, () => pool.pick(r)!.key));
  assert.deepEqual([...keys].sort(), ['late', 'rare']);
});

test('the joint policy switches to the pipeline after a stall and back after another', () => {
  const p = new JointPolicy(3);
  p.record(false);
  p.record(false);
  assert.equal(p.mode, 'ir');
  p.record(true);
  p.record(false);
  p.record(false);
  assert.equal(p.mode, 'ir', 'new coverage resets the stall count');
  p.record(false);
  assert.equal(p.mode, 'pipeline');
  for (let k = 0; k < 3; k++) p.record(false);
  assert.equal(p.mode, 'ir');
});

test('flood control halves the weight of the passes behind a frequent signature', () => {
  const f = new FloodControl(2);
  const pipeline = [{ pass: 'sccp', nest: [] }, { pass: 'cse', nest: [] }];
  f.hit('sig', pipeline);
  assert.equal(f.passWeight('sccp'), 1);
  f.hit('sig', pipeline);
  assert.equal(f.passWeight('sccp'), 0.5);
  assert.equal(f.passWeight('cse'), 0.5);
  f.hit('other', pipeline, 'cse');
  f.hit('other', pipeline, 'cse');
  assert.equal(f.passWeight('cse'), 0.25, 'the guilty pass alone, when known');
  assert.equal(f.passWeight('sccp'), 0.5);
  assert.equal(f.count('sig'), 2);
});

test('suppression files take exact signatures and /regexes/, and reject a bad regex with its line', () => {
  const s = parseSuppressions('# known\ncrash|mlir-opt|a|b|c\n/remove-dead-values/\n\n', 'known.txt');
  assert.equal(s.size, 2);
  assert.ok(s.matches('crash|mlir-opt|a|b|c', ''));
  assert.ok(s.matches('x', 'crash in remove-dead-values'));
  assert.ok(!s.matches('crash|mlir-opt|a|b', 'other'));
  assert.throws(() => parseSuppressions('ok\n/([/\n', 'bad.txt'), (e: Error) => e instanceof SuppressionSyntaxError && /bad\.txt:2/.test(e.message));
});
