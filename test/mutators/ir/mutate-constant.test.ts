import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mutateConstant } from '../../../mutators/ir/mutate-constant.ts';
import { assertMutatorLaws } from '../../helpers/mutator-laws.ts';
import { mutateAll, parseProgram } from './structural-helpers.ts';

test('mutate-constant obeys the mutator laws', async () => {
  await assertMutatorLaws(mutateConstant, { seed: 11 });
});

test('mutate-constant changes only constants no sensitive op relies on', () => {
  // %c7 is a divisor (sensitive), %c3 only feeds a stored sum (free).
  const p = parseProgram(`"builtin.module"() ({
  "func.func"() <{function_type = (memref<2xi32>) -> (), sym_name = "main"}> ({
  ^bb0(%m: memref<2xi32>):
    %c0 = "arith.constant"() <{value = 0 : index}> : () -> index
    %c3 = "arith.constant"() <{value = 3 : i32}> : () -> i32
    %c7 = "arith.constant"() <{value = 7 : i32}> : () -> i32
    %x = "memref.load"(%m, %c0) : (memref<2xi32>, index) -> i32
    %q = "arith.divsi"(%x, %c7) : (i32, i32) -> i32
    %s = "arith.addi"(%q, %c3) : (i32, i32) -> i32
    "memref.store"(%s, %m, %c0) : (i32, memref<2xi32>, index) -> ()
    "func.return"() : () -> ()
  }) : () -> ()
}) : () -> ()`);
  const outs = mutateAll(mutateConstant, p, 200);
  assert.ok(outs.size > 5);
  for (const t of outs) {
    assert.match(t, /value = 7 : i32/);
    assert.match(t, /value = 0 : index/);
    assert.doesNotMatch(t, /value = 3 : i32/);
  }
});
