import { test } from 'node:test';
import { insertSubtree } from '../../../mutators/ir/insert-subtree.ts';
import { assertMutatorLaws } from '../../helpers/mutator-laws.ts';

test('insert-subtree obeys the mutator laws', async () => {
  await assertMutatorLaws(insertSubtree, { seed: 21, minApplied: 0.8 });
});
