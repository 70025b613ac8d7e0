import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rewireOperand } from '../../../mutators/ir/rewire-operand.ts';
import { assertMutatorLaws } from '../../helpers/mutator-laws.ts';
import { mainWith, mutateAll } from './structural-helpers.ts';

test('rewire-operand obeys the mutator laws', async () => {
  await assertMutatorLaws(rewireOperand, { seed: 12 });
});

test('rewire-operand rewires total slots only, to dominating values of the same type', () => {
  // The index operands (%c0, %c1) and the memref are sensitive; the sum's operands and the stored value are total.
  const p = mainWith(`
    %s = "arith.addi"(%a, %b) <{overflowFlags = #arith.overflow<nsw>}> : (i32, i32) -> i32
    "memref.store"(%s, %m, %c0) : (i32, memref<2xi32>, index) -> ()`);
  const outs = [...mutateAll(rewireOperand, p, 200)].map((t) => t.split('\n').filter((l) => /addi|store/.test(l)).map((l) => l.trim().replace(/ :.*/, '')).join('; ')).sort();
  assert.deepEqual(outs, [
    '%4 = "arith.addi"(%2, %2); "memref.store"(%4, %arg0, %0)',
    '%4 = "arith.addi"(%2, %3) <{overflowFlags = #arith.overflow<nsw>}>; "memref.store"(%2, %arg0, %0)',
    '%4 = "arith.addi"(%2, %3) <{overflowFlags = #arith.overflow<nsw>}>; "memref.store"(%3, %arg0, %0)',
    '%4 = "arith.addi"(%3, %3); "memref.store"(%4, %arg0, %0)',
  ]);
});
