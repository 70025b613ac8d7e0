import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deleteOp } from '../../../mutators/ir/delete-op.ts';
import { assertMutatorLaws } from '../../helpers/mutator-laws.ts';
import { mainWith, mutateAll, opNames } from './structural-helpers.ts';

test('delete-op obeys the mutator laws', async () => {
  await assertMutatorLaws(deleteOp, { seed: 12 });
});

test('delete-op forwards operands, hoists a branch or one iteration, and keeps a loop that fills an allocation', () => {
  const p = mainWith(`
    %c2 = "arith.constant"() <{value = 2 : index}> : () -> index
    %t = "memref.alloc"() <{operandSegmentSizes = array<i32: 0, 0>}> : () -> memref<2xi32>
    "scf.for"(%c0, %c2, %c1) ({
    ^bb1(%i: index):
      "memref.store"(%a, %t, %i) : (i32, memref<2xi32>, index) -> ()
      "scf.yield"() : () -> ()
    }) : (index, index, index) -> ()
    %x = "memref.load"(%t, %c1) : (memref<2xi32>, index) -> i32
    %s = "arith.addi"(%x, %b) : (i32, i32) -> i32
    %p = "arith.cmpi"(%a, %b) <{predicate = 2 : i64}> : (i32, i32) -> i1
    "scf.if"(%p) ({
      "memref.store"(%s, %m, %c0) : (i32, memref<2xi32>, index) -> ()
      "scf.yield"() : () -> ()
    }, {
      "memref.store"(%s, %m, %c1) : (i32, memref<2xi32>, index) -> ()
      "scf.yield"() : () -> ()
    }) : (i1) -> ()
    "scf.for"(%c0, %c2, %c1) ({
    ^bb2(%j: index):
      "memref.store"(%b, %m, %j) : (i32, memref<2xi32>, index) -> ()
      "scf.yield"() : () -> ()
    }) : (index, index, index) -> ()
    "memref.dealloc"(%t) : (memref<2xi32>) -> ()`);
  const outs = [...mutateAll(deleteOp, p, 300)];
  // addi -> %x or %b; scf.if -> then or else; the second loop -> one iteration. The fill loop stays.
  assert.equal(outs.length, 5);
  for (const t of outs) assert.match(t, /"scf.for"[\s\S]*"memref.store"\(%\d+, %\d+, %arg1\)/);
  assert.equal(outs.filter((t) => !t.includes('scf.if')).length, 2);
  assert.equal(outs.filter((t) => !t.includes('arith.addi')).length, 2);
  assert.equal(outs.filter((t) => opNames(t).split('scf.for').length === 2).length, 1);
});
