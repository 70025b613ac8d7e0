import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_WEIGHTS, generateFromSeed, programSeed } from '../../../mutators/generate/index.ts';
import { Rand } from '../../../mutators/generate/rand.ts';
import type { IrMutator } from '../../../mutators/ir/mutator.ts';
import { IR_MUTATORS, mutateProgram } from '../../../mutators/ir/registry.ts';
import { assertMutatorLaws } from '../../helpers/mutator-laws.ts';

// The campaign stacks up to 16 mutations on one case (fuzz/fuzz-loop.ts). Each mutator obeying the laws alone is
// not enough if one of them leaves a program that another then breaks, so a whole stack obeys them too.
const stackOf16: IrMutator = {
  name: 'stack-of-16',
  mutate: (p, ctx) => mutateProgram(p, ctx, 16)?.program,
};

test('a stack of 16 mutations obeys the mutator laws', async () => {
  await assertMutatorLaws(stackOf16, { seed: 16, trials: 100, minApplied: 0.9 });
});

test('mutateProgram stacks up to the count asked and names each mutator that applied', () => {
  const names = new Set(IR_MUTATORS.map(([, m]) => m.name));
  let most = 0;
  for (let k = 0; k < 20; k++) {
    const p = generateFromSeed(programSeed(5, k), { mainOps: [10, 40], maxCallees: 2 });
    const m = mutateProgram(p, { random: Rand.seeded(programSeed(6, k)), weights: DEFAULT_WEIGHTS }, 16);
    assert.ok(m, `trial ${k}: nothing applied`);
    assert.ok(m.mutators.length <= 16, `trial ${k}: ${m.mutators.length} mutations`);
    for (const n of m.mutators) assert.ok(names.has(n), `unknown mutator name ${n}`);
    most = Math.max(most, m.mutators.length);
  }
  assert.ok(most >= 12, `no trial stacked 12 or more mutations (most: ${most})`);
});
