import assert from 'node:assert/strict';
import { test } from 'node:test';
import { affineToScf } from '../../../mutators/ir/affine-to-scf.ts';
import { assertMutatorLaws } from '../../helpers/mutator-laws.ts';
import { mainWith, mutateAll, opNames } from './structural-helpers.ts';

test('affine-to-scf obeys the mutator laws', async () => {
  await assertMutatorLaws(affineToScf, { seed: 15 });
});

test('affine-to-scf lowers a loop whose induction variable feeds no affine op, and each affine access', () => {
  // The first loop's IV indexes an affine.store, so it stays affine; its store and the second loop convert.
  const p = mainWith(`
    "affine.for"() <{lowerBoundMap = affine_map<() -> (0)>, operandSegmentSizes = array<i32: 0, 0, 0>, step = 1 : index, upperBoundMap = affine_map<() -> (2)>}> ({
    ^bb1(%i: index):
      "affine.store"(%a, %m, %i) <{map = affine_map<(d0) -> (d0)>}> : (i32, memref<2xi32>, index) -> ()
      "affine.yield"() : () -> ()
    }) : () -> ()
    %r = "affine.for"(%b) <{lowerBoundMap = affine_map<() -> (0)>, operandSegmentSizes = array<i32: 0, 0, 1>, step = 2 : index, upperBoundMap = affine_map<() -> (5)>}> ({
    ^bb2(%j: index, %acc: i32):
      %s = "arith.addi"(%acc, %a) : (i32, i32) -> i32
      "affine.yield"(%s) : (i32) -> ()
    }) : (i32) -> i32
    "memref.store"(%r, %m, %c1) : (i32, memref<2xi32>, index) -> ()`);
  const outs = [...mutateAll(affineToScf, p, 100)].map(opNames).sort();
  const head = 'arith.constant arith.constant memref.load memref.load';
  assert.deepEqual(outs, [
    `${head} affine.for affine.apply memref.store affine.yield affine.for arith.addi affine.yield memref.store func.return`,
    `${head} affine.for affine.store affine.yield arith.constant arith.constant arith.constant scf.for arith.addi scf.yield memref.store func.return`,
  ]);
});
