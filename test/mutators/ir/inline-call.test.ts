import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inlineCall } from '../../../mutators/ir/inline-call.ts';
import { assertMutatorLaws } from '../../helpers/mutator-laws.ts';
import { mutateAll, parseProgram } from './structural-helpers.ts';

// Generated programs hold few calls (0 to 2 callees, a call is one statement kind among 31): it applies on ~15%.
test('inline-call obeys the mutator laws', async () => {
  await assertMutatorLaws(inlineCall, { seed: 14, minApplied: 0.1 });
});

test('inline-call copies the callee body in place of the call', () => {
  const p = parseProgram(`"builtin.module"() ({
  "func.func"() <{function_type = (i32) -> i32, sym_name = "f0", sym_visibility = "private"}> ({
  ^bb0(%x: i32):
    %y = "arith.muli"(%x, %x) : (i32, i32) -> i32
    "func.return"(%y) : (i32) -> ()
  }) : () -> ()
  "func.func"() <{function_type = (memref<2xi32>) -> (), sym_name = "main"}> ({
  ^bb0(%m: memref<2xi32>):
    %c0 = "arith.constant"() <{value = 0 : index}> : () -> index
    %a = "memref.load"(%m, %c0) : (memref<2xi32>, index) -> i32
    %r = "func.call"(%a) <{callee = @f0}> : (i32) -> i32
    "memref.store"(%r, %m, %c0) : (i32, memref<2xi32>, index) -> ()
    "func.return"() : () -> ()
  }) : () -> ()
}) : () -> ()`);
  const outs = [...mutateAll(inlineCall, p, 10)];
  assert.equal(outs.length, 1);
  assert.match(outs[0]!, /%(\d+) = "memref.load".*\n\s*%(\d+) = "arith.muli"\(%\1, %\1\).*\n\s*"memref.store"\(%\2,/);
});
