// siN and uiN: parsed, printed (uiN attribute values unsigned, as mlir-opt prints them), taken where MLIR takes them
// (vector.bitcast, vector.print, extract/insert/broadcast, memrefs, dense vector constants) and refused by ops that
// need signless integers, as mlir-opt refuses them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseModule, parseTypeText } from '../../ir/parser/index.ts';
import { printOp } from '../../ir/printer.ts';
import { printType, signedInt, i } from '../../ir/types.ts';
import { verifyModule } from '../../ir/verifier.ts';
import { mlirOptSync, toolchainSkip } from '../helpers/toolchain.ts';

const skip = toolchainSkip(['mlir-opt']);

const module = (body: string) => `"builtin.module"() ({ "func.func"() <{function_type = () -> (), sym_name = "main"}> ({
${body}
  "func.return"() : () -> () }) : () -> () }) : () -> ()`;

test('siN and uiN are types of their own', () => {
  assert.equal(parseTypeText('si4'), signedInt(4, 'signed'));
  assert.equal(parseTypeText('ui64'), signedInt(64, 'unsigned'));
  assert.equal(printType(parseTypeText('vector<2x3xui8>')), 'vector<2x3xui8>');
  assert.notEqual(printType(signedInt(8, 'signed')), printType(i(8)));
});

const accepted = module(`
  %0 = "arith.constant"() <{value = dense<[255, 0]> : vector<2xui8>}> : () -> vector<2xui8>
  %1 = "vector.bitcast"(%0) : (vector<2xui8>) -> vector<1xsi16>
  %2 = "vector.extract"(%1) <{static_position = array<i64: 0>}> : (vector<1xsi16>) -> si16
  "vector.print"(%2) <{punctuation = #vector.punctuation<newline>}> : (si16) -> ()
  %3 = "arith.constant"() <{value = dense<18446744073709551615> : vector<ui64>}> : () -> vector<ui64>
  "vector.print"(%3) <{punctuation = #vector.punctuation<newline>}> : (vector<ui64>) -> ()
  %4 = "memref.alloca"() <{operandSegmentSizes = array<i32: 0, 0>}> : () -> memref<2xsi8>`);

test('they verify where MLIR takes them, and print as mlir-opt prints them', { skip }, () => {
  const m = parseModule(accepted);
  assert.deepEqual(verifyModule(m).map((e) => e.format()), []);
  const text = printOp(m);
  assert.match(text, /dense<\[255, 0\]> : vector<2xui8>/);
  assert.match(text, /dense<18446744073709551615> : vector<ui64>/);
  const r = mlirOptSync(['--mlir-print-op-generic'], text);
  assert.equal(r.status, 0, r.stderr);
  // mlir-opt's own printing parses back to the same text.
  assert.equal(printOp(parseModule(r.stdout)), text);
});

test('ops that need signless integers refuse them, as mlir-opt does', { skip }, () => {
  for (const [body, ours, theirs] of [
    [`%0 = "arith.constant"() <{value = 3 : si8}> : () -> si8`, /integer return type must be signless/, /integer return type must be signless/],
    [
      `%0 = "arith.constant"() <{value = dense<3> : vector<2xsi8>}> : () -> vector<2xsi8>
  %1 = "arith.addi"(%0, %0) : (vector<2xsi8>, vector<2xsi8>) -> vector<2xsi8>`,
      /must be signless-integer-or-index-like/,
      /must be signless-integer-like/,
    ],
  ] as const) {
    const text = module(body);
    assert.match(verifyModule(parseModule(text)).map((e) => e.format()).join('\n'), ours);
    const r = mlirOptSync([], text);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, theirs);
  }
});
