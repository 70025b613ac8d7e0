// Property: for random affine maps, integer sets, types and attributes, parsing the printed text and printing
// again gives the same text. This pins parser and printer to each other on inputs no one wrote by hand.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { AffineExpr } from '../../ir/affine.ts';
import { add, affineMap, ceildiv, cst, dim, floordiv, mod, mul, sym } from '../../ir/affine.ts';
import type { Attr } from '../../ir/attributes.ts';
import {
  arrayAttr, denseArray, denseAttr, dialectAttr, dictAttr, floatAttrBits, intAttr, mapAttr, printAttr, setAttr, strAttr,
  strided, symbolRef, typeAttr, unit,
} from '../../ir/attributes.ts';
import { parseAttrText, parseTypeText } from '../../ir/parser/index.ts';
import type { FloatType, Type } from '../../ir/types.ts';
import { DYNAMIC, floatTypes, fn, i, index, memref, none, numElements, printType, tensor, umemref, vector } from '../../ir/types.ts';

// TCFUZZ_PROPERTY_RUNS and TCFUZZ_PROPERTY_SEED widen the search when hunting a bug; the default stays fast and fixed.
const RUNS = { numRuns: Number(process.env.TCFUZZ_PROPERTY_RUNS ?? 400), seed: Number(process.env.TCFUZZ_PROPERTY_SEED ?? 20240611) };

const bigConst = fc.oneof(
  fc.bigInt({ min: -20n, max: 20n }),
  fc.bigInt({ min: -(1n << 62n), max: 1n << 62n }),
);

/** Affine expressions over `dims` dimensions and `syms` symbols that MLIR accepts (mul/div/mod rules). */
function affineExpr(dims: number, syms: number): fc.Arbitrary<AffineExpr> {
  const symLeaf: fc.Arbitrary<AffineExpr>[] = [bigConst.map(cst)];
  if (syms > 0) symLeaf.push(fc.nat(syms - 1).map(sym));
  const leaf: fc.Arbitrary<AffineExpr>[] = [...symLeaf];
  if (dims > 0) leaf.push(fc.nat(dims - 1).map(dim));
  const { symbolic } = fc.letrec<{ symbolic: AffineExpr }>((tie) => ({
    symbolic: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      ...symLeaf,
      fc.tuple(tie('symbolic'), tie('symbolic')).map(([l, r]) => add(l, r)),
      fc.tuple(tie('symbolic'), tie('symbolic')).map(([l, r]) => mul(l, r)),
    ),
  }));
  const { expr } = fc.letrec<{ expr: AffineExpr }>((tie) => ({
    expr: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      ...leaf,
      fc.tuple(tie('expr'), tie('expr')).map(([l, r]) => add(l, r)),
      fc.tuple(tie('expr'), symbolic, fc.boolean()).map(([e, s, left]) => (left ? mul(s, e) : mul(e, s))),
      fc.tuple(tie('expr'), symbolic, fc.constantFrom(floordiv, ceildiv, mod)).map(([e, s, op]) => op(e, s)),
    ),
  }));
  return expr;
}

const dimsSyms = fc.tuple(fc.nat(3), fc.nat(2));
const affineMapArb = dimsSyms.chain(([d, s]) => fc.array(affineExpr(d, s), { maxLength: 4 }).map((rs) => affineMap(d, s, rs)));
const integerSetArb = dimsSyms.chain(([d, s]) =>
  fc
    .array(fc.record({ expr: affineExpr(d, s), eq: fc.boolean() }), { maxLength: 4 })
    .map((constraints) => ({ dims: d, syms: s, constraints })),
);

const floatType = fc.constantFrom(...Object.values(floatTypes));
const intType = fc.oneof(fc.constantFrom(1, 8, 16, 32, 64), fc.integer({ min: 1, max: 129 })).map(i);
const scalarType: fc.Arbitrary<Type> = fc.oneof(intType, floatType, fc.constant(index));
const shape = fc.array(fc.nat(5), { maxLength: 3 });
const dynShape = fc.array(fc.oneof(fc.nat(5), fc.constant(DYNAMIC)), { maxLength: 3 });

const stridedArb = fc
  .tuple(fc.array(fc.oneof(fc.integer({ min: -4, max: 64 }), fc.constant(DYNAMIC)), { maxLength: 3 }), fc.oneof(fc.nat(10), fc.constant(DYNAMIC)))
  .map(([s, o]) => strided(s, o));

const typeArb: fc.Arbitrary<Type> = fc.letrec<{ type: Type }>((tie) => ({
  type: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalarType,
    fc.constant(none),
    fc
      .tuple(dynShape, scalarType, fc.option(fc.oneof(stridedArb, affineMapArb.map(mapAttr)), { nil: undefined }), fc.option(fc.nat(3), { nil: undefined }))
      .map(([sh, e, layout, space]) => memref(sh, e, layout, space === undefined ? undefined : intAttr(space, i(64)))),
    fc.tuple(scalarType, fc.option(fc.nat(3), { nil: undefined })).map(([e, sp]) => umemref(e, sp === undefined ? undefined : intAttr(sp, i(64)))),
    fc
      .array(fc.tuple(fc.integer({ min: 1, max: 8 }), fc.boolean()), { maxLength: 3 })
      .chain((ds) => scalarType.map((e) => vector(ds.map((d) => d[0]), e, ds.map((d) => d[1])))),
    fc.tuple(dynShape, scalarType).map(([sh, e]) => tensor(sh, e)),
    fc.tuple(fc.array(tie('type'), { maxLength: 3 }), fc.array(tie('type'), { maxLength: 3 })).map(([a, r]) => fn(a, r)),
  ),
})).type;

const floatAttrArb = floatType.chain((t: FloatType) => {
  const w = t.name === 'f64' ? 64 : t.name === 'f32' ? 32 : 16;
  return fc.bigInt({ min: 0n, max: (1n << BigInt(w)) - 1n }).map((b) => floatAttrBits(b, t));
});
const intAttrArb = fc.oneof(intType, fc.constant(index)).chain((t) => {
  const w = t.kind === 'int' ? t.width : 64;
  return fc.bigInt({ min: -(1n << BigInt(w - 1)), max: (1n << BigInt(w - 1)) - 1n }).map((v) => intAttr(v, t));
});
const name = fc.oneof(fc.stringMatching(/^[a-z_][a-z0-9_$.]{0,6}$/), fc.string({ maxLength: 6 }));
const denseArb = fc
  .tuple(shape, fc.oneof(intType, floatType, fc.constant(index)), fc.boolean())
  .chain(([sh, elem, isVector]) => {
    const type = isVector && sh.length > 0 && !sh.includes(0) ? vector(sh, elem) : tensor(sh, elem);
    const w = elem.kind === 'float' ? (elem.name === 'f64' ? 64 : elem.name === 'f32' ? 32 : 16) : elem.kind === 'int' ? elem.width : 64;
    const value =
      elem.kind === 'float'
        ? fc.bigInt({ min: 0n, max: (1n << BigInt(w)) - 1n })
        : fc.bigInt({ min: -(1n << BigInt(w - 1)), max: (1n << BigInt(w - 1)) - 1n });
    const n = numElements(type.shape);
    return fc.oneof(fc.array(value, { minLength: n, maxLength: n }), value.map((v) => Array.from({ length: n }, () => v))).map((vs) => denseAttr(type, vs));
  });
const denseArrayArb = fc.constantFrom(1, 8, 16, 32, 64).chain((w) =>
  fc.array(fc.bigInt({ min: -(1n << BigInt(w - 1)), max: (1n << BigInt(w - 1)) - 1n }), { maxLength: 5 }).map((vs) => denseArray(i(w), vs)),
);
const dialectArb = fc
  .tuple(fc.constantFrom('arith', 'vector', 'x'), fc.constantFrom('overflow', 'fastmath', 'kind', 'y.z'), fc.constantFrom('nsw', 'nnan,ninf', '', '[1, <2>]', '(i32) -> i32', '"a>b"'))
  .map(([d, m, b]) => dialectAttr(d, m, b));

const attrArb: fc.Arbitrary<Attr> = fc.letrec<{ attr: Attr }>((tie) => ({
  attr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    intAttrArb,
    floatAttrArb,
    fc.string({ unit: 'binary', maxLength: 8 }).map(strAttr),
    fc.constant(unit),
    typeArb.map(typeAttr),
    fc.array(tie('attr'), { maxLength: 3 }).map(arrayAttr),
    fc.dictionary(name.filter((k) => k !== '__proto__'), tie('attr'), { maxKeys: 3 }).map(dictAttr),
    denseArb,
    denseArrayArb,
    affineMapArb.map(mapAttr),
    integerSetArb.map(setAttr),
    fc.array(name, { minLength: 1, maxLength: 3 }).map((p) => symbolRef(...p)),
    stridedArb,
    dialectArb,
  ),
})).attr;

function reprints(text: string): void {
  assert.equal(printAttr(parseAttrText(text)), text);
}

test('property: affine maps print, parse and print identically', () => {
  fc.assert(fc.property(affineMapArb, (m) => reprints(printAttr(mapAttr(m)))), RUNS);
});

test('property: integer sets print, parse and print identically', () => {
  fc.assert(fc.property(integerSetArb, (s) => reprints(printAttr(setAttr(s)))), RUNS);
});

test('property: types print, parse and print identically', () => {
  fc.assert(
    fc.property(typeArb, (t) => {
      const text = printType(t);
      assert.equal(printType(parseTypeText(text)), text);
    }),
    RUNS,
  );
});

test('property: attributes of every kind print, parse and print identically', () => {
  fc.assert(fc.property(attrArb, (a) => reprints(printAttr(a))), RUNS);
});

test('property: float attributes keep their exact bits through print and parse', () => {
  fc.assert(
    fc.property(floatAttrArb, (a) => {
      const back = parseAttrText(printAttr(a));
      assert.equal(back.kind, 'float');
      const bits = (back as { bits: bigint }).bits;
      const orig = (a as { bits: bigint }).bits;
      // The printer writes NaNs by bits and finite values by decimal, so only a NaN could change (it cannot).
      assert.equal(bits, orig);
    }),
    RUNS,
  );
});
