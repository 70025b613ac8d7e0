import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crossover } from '../../../mutators/ir/crossover.ts';
import { assertMutatorLaws } from '../../helpers/mutator-laws.ts';
import { mutateAll, parseProgram } from './structural-helpers.ts';

test('crossover obeys the mutator laws', async () => {
  await assertMutatorLaws(crossover, { seed: 13 });
});

const RECIPIENT = `"builtin.module"() ({
  "memref.global"() <{initial_value = dense<1> : tensor<2xi32>, sym_name = "g0", sym_visibility = "private", type = memref<2xi32>}> : () -> ()
  "func.func"() <{function_type = (memref<2xi32>) -> (), sym_name = "main"}> ({
  ^bb0(%m: memref<2xi32>):
    %c0 = "arith.constant"() <{value = 0 : index}> : () -> index
    %x = "arith.constant"() <{value = 5 : i32}> : () -> i32
    "memref.store"(%x, %m, %c0) : (i32, memref<2xi32>, index) -> ()
    "func.return"() : () -> ()
  }) : () -> ()
}) : () -> ()`;

// @f0 reads a global and calls @f1, which writes its buffer: all three come along, renamed.
const DONOR = `"builtin.module"() ({
  "memref.global"() <{constant, initial_value = dense<3> : tensor<1xi32>, sym_name = "g0", sym_visibility = "private", type = memref<1xi32>}> : () -> ()
  "func.func"() <{function_type = (memref<2xi32>, i32) -> (), sym_name = "f1", sym_visibility = "private"}> ({
  ^bb0(%b: memref<2xi32>, %v: i32):
    %c1 = "arith.constant"() <{value = 1 : index}> : () -> index
    "memref.store"(%v, %b, %c1) : (i32, memref<2xi32>, index) -> ()
    "func.return"() : () -> ()
  }) : () -> ()
  "func.func"() <{function_type = (i32, memref<2xi32>) -> i32, sym_name = "f0", sym_visibility = "private"}> ({
  ^bb0(%a: i32, %b: memref<2xi32>):
    %c0 = "arith.constant"() <{value = 0 : index}> : () -> index
    %g = "memref.get_global"() <{name = @g0}> : () -> memref<1xi32>
    %y = "memref.load"(%g, %c0) : (memref<1xi32>, index) -> i32
    %s = "arith.addi"(%a, %y) : (i32, i32) -> i32
    "func.call"(%b, %s) <{callee = @f1}> : (memref<2xi32>, i32) -> ()
    "func.return"(%s) : (i32) -> ()
  }) : () -> ()
  "func.func"() <{function_type = (memref<3xf32>) -> (), sym_name = "main"}> ({
  ^bb0(%m: memref<3xf32>):
    "func.return"() : () -> ()
  }) : () -> ()
}) : () -> ()`;

test('crossover copies a callee with what it reaches, renamed, and calls it with matching buffers', () => {
  const outs = mutateAll(crossover, parseProgram(RECIPIENT), 40, () => parseProgram(DONOR));
  const withF0 = [...outs].filter((t) => t.includes('sym_name = "f0_x0"'));
  assert.ok(withF0.length >= 1 && withF0.length < outs.size, 'both callees are picked');
  for (const t of outs) {
    // The recipient's own @g0 stays; the donor's comes in as @g0_x0 only with @f0, the one that reads it.
    assert.match(t, /sym_name = "g0",/);
    assert.equal(t.includes('sym_name = "g0_x0"'), t.includes('sym_name = "f0_x0"'));
    assert.match(t, /callee = @f1_x0/);
    assert.doesNotMatch(t, /callee = @f[01]\}/);
    assert.equal(t.match(/sym_name = "main"/g)!.length, 1);
  }
});
