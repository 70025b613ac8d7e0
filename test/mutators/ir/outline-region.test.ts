import assert from 'node:assert/strict';
import { test } from 'node:test';
import { outlineRegion } from '../../../mutators/ir/outline-region.ts';
import { assertMutatorLaws } from '../../helpers/mutator-laws.ts';
import { mutateAll, parseProgram } from './structural-helpers.ts';

test('outline-region obeys the mutator laws', async () => {
  await assertMutatorLaws(outlineRegion, { seed: 14 });
});

test('outline-region outlines only runs whose callee looks generated: scalar int/float or static buffer arguments it does not rely on', () => {
  const p = parseProgram(`"builtin.module"() ({
  "func.func"() <{function_type = (memref<2xi32>) -> (), sym_name = "main"}> ({
  ^bb0(%m: memref<2xi32>):
    %c0 = "arith.constant"() <{value = 0 : index}> : () -> index
    %a = "memref.load"(%m, %c0) : (memref<2xi32>, index) -> i32
    "memref.store"(%a, %m, %c0) : (i32, memref<2xi32>, index) -> ()
    "func.return"() : () -> ()
  }) : () -> ()
}) : () -> ()`);
  const outs = [...mutateAll(outlineRegion, p, 100)];
  // Only [c0, load, store] is outlined: [c0] and [c0, load] would return an index (no generated callee does), and
  // [load], [load, store] and [store] would index with an argument.
  assert.equal(outs.length, 1);
  const sigs = outs.map((t) => /function_type = (.*?), sym_name = "outlined0"/.exec(t)![1]).sort();
  assert.deepEqual(sigs, ['(memref<2xi32>) -> ()']);
});
