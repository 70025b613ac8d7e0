// The printer on IR built in memory (not parsed): its text parses back to the same structure, and mlir-opt
// accepts it. Golden files (parser-golden.test.ts) pin the exact text of parsed inputs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { affineMap, dim, sym, add, mul, cst } from '../../ir/affine.ts';
import { boolAttr, dialectAttr, floatAttr, intAttr, mapAttr, strAttr, typeAttr, denseArray, unit } from '../../ir/attributes.ts';
import { Block, Operation, Region } from '../../ir/core.ts';
import type { Value } from '../../ir/core.ts';
import { Builder, newModule } from '../../ir/builder.ts';
import { mlirOptGeneric, toolchainSkip } from '../helpers/toolchain.ts';
import { parseModule } from '../../ir/parser/index.ts';
import { printOp } from '../../ir/printer.ts';
import { f32, fn, i1, i32, index, memref } from '../../ir/types.ts';

/** func @f(%p: i1, %x: i32, %m: memref<4xf32>) -> i32 with a diamond CFG, an scf.if with results and affine.apply. */
function buildProgram(): Operation {
  const { module, body } = newModule();
  const entry = new Block([i1, i32, memref([4], f32), index]);
  const left = new Block();
  const right = new Block([i32]);
  const exit = new Block([i32]);
  const fnRegion = new Region([entry, left, right, exit]);
  new Builder(body).create('func.func', {
    props: { function_type: typeAttr(fn([i1, i32, memref([4], f32), index], [i32])), sym_name: strAttr('f') },
    regions: [fnRegion],
  });
  const [p, x, m, n] = entry.args as [Value, Value, Value, Value];
  const b = new Builder(entry);
  const c = b.value('arith.constant', [], i32, { value: intAttr(-5, i32) });
  const pair = b.create('test.pair', { operands: [x], results: [i32, i32] });
  b.create('cf.cond_br', {
    operands: [p, pair.results[1]!],
    successors: [left, right],
    props: { operandSegmentSizes: denseArray(i32, [1, 0, 1]) },
  });
  b.inBlock(left, (lb) => lb.create('cf.br', { operands: [c], successors: [exit] }));
  b.inBlock(right, (rb) => {
    const thenR = new Region([new Block()]);
    const elseR = new Region([new Block()]);
    const r = rb.create('scf.if', { operands: [p], results: [i32], regions: [thenR, elseR] });
    rb.inBlock(thenR.blocks[0]!, (tb) => {
      const s = tb.value('arith.addi', [right.args[0]!, pair.results[0]!], i32, { overflowFlags: dialectAttr('arith', 'overflow', 'nsw') });
      tb.create('scf.yield', { operands: [s] });
    });
    rb.inBlock(elseR.blocks[0]!, (eb) => eb.create('scf.yield', { operands: [x] }));
    const k = rb.value('affine.apply', [n, n], index, { map: mapAttr(affineMap(1, 1, [add(mul(dim(0), cst(-1)), mul(sym(0), cst(3)))])) });
    const f = rb.value('arith.constant', [], f32, { value: floatAttr(0.1, f32) });
    rb.create('memref.store', { operands: [f, m, k], props: { nontemporal: boolAttr(false) }, attrs: { 'test.tag': unit } });
    rb.create('cf.br', { operands: [r.result], successors: [exit] });
  });
  b.inBlock(exit, (xb) => xb.create('func.return', { operands: [exit.args[0]!] }));
  return module;
}

test('printed IR parses back to the same structure', () => {
  const m = buildProgram();
  const text = printOp(m);
  const back = parseModule(text, 'printed.mlir', { allowUnregistered: true });
  assert.equal(printOp(back), text);
  const a = [...m.walk()];
  const b = [...back.walk()];
  assert.deepEqual(b.map((o) => o.name), a.map((o) => o.name));
  // Operands and successors point at corresponding values and blocks.
  const valueIds = (ops: Operation[]): Map<Value, string> => {
    const ids = new Map<Value, string>();
    ops.forEach((o, k) => {
      o.results.forEach((r, j) => ids.set(r, `r${k}.${j}`));
      o.regions.forEach((rg, ri) => rg.blocks.forEach((bl, bi) => bl.args.forEach((arg, ai) => ids.set(arg, `a${k}.${ri}.${bi}.${ai}`))));
    });
    return ids;
  };
  const ia = valueIds(a);
  const ib = valueIds(b);
  for (let k = 0; k < a.length; k++) {
    assert.deepEqual(b[k]!.operands.map((v) => ib.get(v)), a[k]!.operands.map((v) => ia.get(v)), `operands of ${a[k]!.name}`);
    const blockIndex = (op: Operation): number[] => op.successors.map((s) => s.parent!.blocks.indexOf(s));
    assert.deepEqual(blockIndex(b[k]!), blockIndex(a[k]!));
  }
});

test('printer names values on first mention and prints multi-result uses with #N', () => {
  const text = printOp(buildProgram());
  assert.match(text, /%1:2 = "test\.pair"\(%arg1\) : \(i32\) -> \(i32, i32\)/);
  assert.match(text, /"cf\.cond_br"\(%arg0, %1#1\)\[\^bb1, \^bb2\]/);
  assert.match(text, /\^bb2\(%arg4: i32\):/);
  assert.match(text, /affine_map<\(d0\)\[s0\] -> \(d0 \* -1 \+ s0 \* 3\)>/);
});


test('mlir-opt accepts printed IR and agrees with our parse of its output', { skip: toolchainSkip(['mlir-opt']) }, () => {
  const text = printOp(buildProgram());
  const theirs = mlirOptGeneric(text, ['--allow-unregistered-dialect']);
  const reparsed = printOp(parseModule(theirs, 'mlir-opt.out', { allowUnregistered: true }));
  assert.equal(mlirOptGeneric(reparsed, ['--allow-unregistered-dialect']), theirs);
});
