import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_WEIGHTS, generateFromSeed, programSeed, programText } from '../../../mutators/generate/index.ts';
import { Rand } from '../../../mutators/generate/rand.ts';
import { wrapInLoops } from '../../../mutators/ir/wrap-in-loops.ts';
import { assertMutatorLaws } from '../../helpers/mutator-laws.ts';

const LOOP = /"(scf\.for|affine\.for|scf\.parallel|affine\.parallel)"/g;

test('wrap-in-loops obeys the mutator laws', async () => {
  const outs = await assertMutatorLaws(wrapInLoops, { seed: 24, minApplied: 0.6 });
  for (const kind of ['scf.for', 'affine.for', 'scf.parallel', 'affine.parallel']) assert.ok(outs.some((t) => t.includes(`"${kind}"`)), kind);
});

test('wrap-in-loops adds one to three loops', () => {
  let applied = 0;
  for (let k = 0; k < 30; k++) {
    const p = generateFromSeed(programSeed(5, k), { mainOps: [10, 40], maxCallees: 2 });
    const out = wrapInLoops.mutate(p, { random: Rand.seeded(k), weights: DEFAULT_WEIGHTS });
    if (!out) continue;
    applied++;
    const added = (programText(out).match(LOOP) ?? []).length - (programText(p).match(LOOP) ?? []).length;
    assert.ok(added >= 1 && added <= 3, `trial ${k}: ${added} loops added`);
  }
  assert.ok(applied >= 15);
});
