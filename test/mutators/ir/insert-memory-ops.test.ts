import { test } from 'node:test';
import { insertMemoryOps } from '../../../mutators/ir/insert-memory-ops.ts';
import { assertMutatorLaws } from '../../helpers/mutator-laws.ts';

test('insert-memory-ops obeys the mutator laws', async () => {
  await assertMutatorLaws(insertMemoryOps, { seed: 22, minApplied: 0.8 });
});
