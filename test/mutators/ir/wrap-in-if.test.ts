import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_WEIGHTS, generateFromSeed, programSeed, programText } from '../../../mutators/generate/index.ts';
import { Rand } from '../../../mutators/generate/rand.ts';
import { wrapInIf } from '../../../mutators/ir/wrap-in-if.ts';
import { assertMutatorLaws } from '../../helpers/mutator-laws.ts';

const IF = /"(scf\.if|affine\.if)"/g;

test('wrap-in-if obeys the mutator laws', async () => {
  const outs = await assertMutatorLaws(wrapInIf, { seed: 25, minApplied: 0.6 });
  for (const kind of ['scf.if', 'affine.if']) assert.ok(outs.some((t) => t.includes(`"${kind}"`)), kind);
});

test('wrap-in-if adds exactly one if around existing ops (more only in a generated else branch)', () => {
  let applied = 0;
  for (let k = 0; k < 30; k++) {
    const p = generateFromSeed(programSeed(6, k), { mainOps: [10, 40], maxCallees: 2 });
    const out = wrapInIf.mutate(p, { random: Rand.seeded(k), weights: DEFAULT_WEIGHTS });
    if (!out) continue;
    applied++;
    assert.ok((programText(out).match(IF) ?? []).length > (programText(p).match(IF) ?? []).length, `trial ${k}`);
  }
  assert.ok(applied >= 15);
});
