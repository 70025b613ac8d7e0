// vector.constant_mask on a 0-d vector takes one size, 0 or 1, as mlir-opt 22's verifier says (with its messages),
// and the reference gives the bit it names.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseModule } from '../../ir/parser/index.ts';
import { verifyModule } from '../../ir/verifier.ts';
import { runMain } from '../../reference/index.ts';

const mask = (sizes: string) =>
  `"builtin.module"() ({ "func.func"() <{function_type = (memref<1xi8>) -> (), sym_name = "main"}> ({ ^bb0(%o: memref<1xi8>):
  %m = "vector.constant_mask"() <{mask_dim_sizes = array<i64${sizes}>}> : () -> vector<i1>
  %b = "vector.extract"(%m) <{static_position = array<i64>}> : (vector<i1>) -> i1
  %b8 = "arith.extui"(%b) : (i1) -> i8
  %c0 = "arith.constant"() <{value = 0 : index}> : () -> index
  "memref.store"(%b8, %o, %c0) : (i8, memref<1xi8>, index) -> ()
  "func.return"() : () -> () }) : () -> () }) : () -> ()`;

test('a 0-d constant_mask takes one size, 0 or 1', () => {
  for (const [sizes, bit] of [[': 0', 0], [': 1', 1]] as const) {
    const m = parseModule(mask(sizes));
    assert.deepEqual(verifyModule(m).map((e) => e.format()), []);
    const r = runMain(m, [new Uint8Array(1)]);
    assert.equal(r.kind, 'ok');
    if (r.kind === 'ok') assert.deepEqual([...r.buffers[0]!], [bit]);
  }
  const message = (sizes: string) => verifyModule(parseModule(mask(sizes))).map((e) => e.format()).join('\n');
  assert.match(message(': 2'), /mask dim size must be either 0 or 1 for 0-D vectors/);
  assert.match(message(''), /array attr must have length 1 for 0-D vectors/);
});
