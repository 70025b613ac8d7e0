import { test } from 'node:test';
import { insertVectorOps } from '../../../mutators/ir/insert-vector-ops.ts';
import { assertMutatorLaws } from '../../helpers/mutator-laws.ts';

test('insert-vector-ops obeys the mutator laws', async () => {
  await assertMutatorLaws(insertVectorOps, { seed: 23, minApplied: 0.8 });
});
