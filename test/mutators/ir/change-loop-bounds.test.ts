import { test } from 'node:test';
import { changeLoopBounds } from '../../../mutators/ir/change-loop-bounds.ts';
import { assertMutatorLaws } from '../../helpers/mutator-laws.ts';

test('change-loop-bounds obeys the mutator laws', async () => {
  await assertMutatorLaws(changeLoopBounds, { seed: 26, minApplied: 0.5 });
});
