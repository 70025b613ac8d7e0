import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scfToAffine } from '../../../mutators/ir/scf-to-affine.ts';
import { assertMutatorLaws } from '../../helpers/mutator-laws.ts';
import { mainWith, mutateAll, opNames } from './structural-helpers.ts';

test('scf-to-affine obeys the mutator laws', async () => {
  await assertMutatorLaws(scfToAffine, { seed: 15 });
});

test('scf-to-affine raises a loop with constant index bounds only', () => {
  const p = mainWith(`
    %c2 = "arith.constant"() <{value = 2 : index}> : () -> index
    %r = "scf.for"(%c0, %c2, %c1, %b) ({
    ^bb1(%i: index, %acc: i32):
      "memref.store"(%acc, %m, %i) : (i32, memref<2xi32>, index) -> ()
      "scf.yield"(%a) : (i32) -> ()
    }) : (index, index, index, i32) -> i32
    %n = "arith.addi"(%c1, %c1) : (index, index) -> index
    "scf.for"(%c0, %n, %c1) ({
    ^bb2(%j: index):
      "scf.yield"() : () -> ()
    }) : (index, index, index) -> ()
    "memref.store"(%r, %m, %c1) : (i32, memref<2xi32>, index) -> ()`);
  const outs = [...mutateAll(scfToAffine, p, 50)];
  assert.equal(outs.length, 1);
  assert.match(outs[0]!, /"affine.for"\(%3\) <\{lowerBoundMap = affine_map<\(\) -> \(0\)>, operandSegmentSizes = array<i32: 0, 0, 1>, step = 1 : index, upperBoundMap = affine_map<\(\) -> \(2\)>\}>/);
  assert.match(opNames(outs[0]!), /affine.for memref.store affine.yield arith.addi scf.for scf.yield/);
});
