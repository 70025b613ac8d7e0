import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addIterArgs } from '../../../mutators/ir/add-iter-args.ts';
import { assertMutatorLaws } from '../../helpers/mutator-laws.ts';

test('add-iter-args obeys the mutator laws', async () => {
  const outs = await assertMutatorLaws(addIterArgs, { seed: 27, minApplied: 0.6 });
  // Most outputs store a loop result (scf.for or affine.for with at least one result).
  assert.ok(outs.filter((t) => /= "(scf|affine)\.for"/.test(t)).length > outs.length / 2);
});
