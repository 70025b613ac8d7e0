import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mutateAttribute } from '../../../mutators/ir/mutate-attribute.ts';
import { assertMutatorLaws } from '../../helpers/mutator-laws.ts';
import { mainWith, mutateAll } from './structural-helpers.ts';

test('mutate-attribute obeys the mutator laws', async () => {
  await assertMutatorLaws(mutateAttribute, { seed: 12 });
});

test('mutate-attribute: any other predicate of a free compare, and flags only dropped', () => {
  const p = mainWith(`
    %p = "arith.cmpi"(%a, %b) <{predicate = 2 : i64}> : (i32, i32) -> i1
    %r = "arith.select"(%p, %a, %b) : (i1, i32, i32) -> i32
    %c2 = "arith.constant"() <{value = 2 : i32}> : () -> i32
    %k = "arith.addi"(%c2, %c2) <{overflowFlags = #arith.overflow<nsw, nuw>}> : (i32, i32) -> i32
    %s = "arith.addi"(%r, %k) : (i32, i32) -> i32
    "memref.store"(%s, %m, %c0) : (i32, memref<2xi32>, index) -> ()`);
  const outs = [...mutateAll(mutateAttribute, p, 300)];
  const preds = new Set(outs.map((t) => /predicate = (\d+)/.exec(t)![1]));
  assert.deepEqual([...preds].sort(), ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  const flags = new Set(outs.map((t) => /overflow<([^>]*)>/.exec(t)?.[1] ?? 'dropped'));
  assert.deepEqual([...flags].sort(), ['dropped', 'nsw', 'nsw, nuw', 'nuw']);
  assert.equal(outs.length, 9 + 3);
});
