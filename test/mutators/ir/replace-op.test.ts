import assert from 'node:assert/strict';
import { test } from 'node:test';
import { replaceOp } from '../../../mutators/ir/replace-op.ts';
import { assertMutatorLaws } from '../../helpers/mutator-laws.ts';
import { mainWith, mutateAll, opNames } from './structural-helpers.ts';

test('replace-op obeys the mutator laws', async () => {
  await assertMutatorLaws(replaceOp, { seed: 12 });
});

test('replace-op swaps within safe groups only: a signed division may become unsigned, never the reverse', () => {
  const p = mainWith(`
    %c7 = "arith.constant"() <{value = 7 : i32}> : () -> i32
    %d = "arith.divsi"(%a, %c7) : (i32, i32) -> i32
    %s = "arith.addi"(%d, %b) <{overflowFlags = #arith.overflow<none>}> : (i32, i32) -> i32
    "memref.store"(%s, %m, %c0) : (i32, memref<2xi32>, index) -> ()`);
  const outs = [...mutateAll(replaceOp, p, 300)].map((t) => opNames(t).split(' ').filter((n) => n !== 'arith.constant' && n !== 'memref.load').join(' ')).sort();
  const div = ['arith.ceildivsi', 'arith.floordivsi', 'arith.remsi', 'arith.divui', 'arith.ceildivui', 'arith.remui'];
  const add = ['arith.subi', 'arith.muli', 'arith.andi', 'arith.ori', 'arith.xori', 'arith.maxsi', 'arith.minsi', 'arith.maxui', 'arith.minui'];
  const expected = [...div.map((d) => `${d} arith.addi memref.store func.return`), ...add.map((a) => `arith.divsi ${a} memref.store func.return`)].sort();
  assert.deepEqual(outs, expected);
});
