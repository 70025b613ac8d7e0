import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseModule } from '../../../ir/parser/index.ts';
import { DEFAULT_WEIGHTS } from '../../../mutators/generate/index.ts';
import { Rand } from '../../../mutators/generate/rand.ts';
import { contextAt, insertionPoints } from '../../../mutators/ir/context.ts';

// %a is allocated, initialised by the scf.for (whose variable runs over 0..3), and freed before the return.
const PROGRAM = `"builtin.module"() ({
  "func.func"() <{function_type = (memref<4xi32>) -> (), sym_name = "main"}> ({
  ^bb0(%m: memref<4xi32>):
    %c0 = "arith.constant"() <{value = 0 : index}> : () -> index
    %c4 = "arith.constant"() <{value = 4 : index}> : () -> index
    %c1 = "arith.constant"() <{value = 1 : index}> : () -> index
    %a = "memref.alloc"() <{operandSegmentSizes = array<i32: 0, 0>}> : () -> memref<4xi32>
    %z = "arith.constant"() <{value = 7 : i32}> : () -> i32
    "scf.for"(%c0, %c4, %c1) ({
    ^bb1(%i: index):
      "memref.store"(%z, %a, %i) : (i32, memref<4xi32>, index) -> ()
      "scf.yield"() : () -> ()
    }) : (index, index, index) -> ()
    %f = "arith.sitofp"(%z) : (i32) -> f32
    "memref.dealloc"(%a) : (memref<4xi32>) -> ()
    "func.return"() : () -> ()
  }) : () -> ()
}) : () -> ()`;

test('contextAt sees an allocation only between its initialisation and its dealloc, with exact loop and constant facts', () => {
  const module = parseModule(PROGRAM);
  const points = insertionPoints(module);
  const at = (name: string) => points.find((p) => p.block.ops[p.index]!.name === name)!;
  const bufs = (name: string) => contextAt(module, at(name), Rand.seeded(1), DEFAULT_WEIGHTS, 10).ctx.visibleBuffers().length;
  assert.equal(bufs('scf.for'), 1, 'before the fill loop: only the argument');
  assert.equal(bufs('memref.store'), 1, 'inside the fill loop: only the argument');
  assert.equal(bufs('arith.sitofp'), 2, 'after the fill loop: both');
  assert.equal(bufs('func.return'), 1, 'after the dealloc: only the argument');

  const { ctx } = contextAt(module, at('memref.store'), Rand.seeded(1), DEFAULT_WEIGHTS, 10);
  const iv = ctx.visibleValues((v) => v.type.kind === 'index' && !v.definingOp)[0]!;
  assert.deepEqual(ctx.rangeOf(iv), [0n, 3n]);
  const seven = ctx.visibleValues((v) => v.type.kind === 'int')[0]!;
  assert.deepEqual(ctx.rangeOf(seven), [7n, 7n]);
  const after = contextAt(module, at('func.return'), Rand.seeded(1), DEFAULT_WEIGHTS, 10).ctx;
  const f = after.visibleValues((v) => v.type.kind === 'float')[0]!;
  assert.equal(after.factsOf(f).approx, true, 'pre-existing floats are approximate');
});
