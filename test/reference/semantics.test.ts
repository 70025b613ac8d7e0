// Unit tests of the scalar semantics: the number fast paths against the BigInt reference at every width,
// and the float corner cases (NaN predicates, signed zeros, single-rounding fma, f16/bf16 rounding, %g).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { bf16Bits, f16Bits, f16FromBits } from '../../numeric/float.ts';
import { CMPF, floatCmp, floatToInt, intToFloat, maximumf, maxnumf, minimumf, minnumf, roundHalfAway, roundHalfEven } from '../../reference/float-semantics.ts';
import { fma, roundScaled } from '../../numeric/float.ts';
import type { IntBinName, IntFlags } from '../../reference/int-semantics.ts';
import { CMPI, intBinary, intCmp, refIntBinary } from '../../reference/int-semantics.ts';
import { erf, erfc, formatG } from '../../numeric/c-math.ts';
import { UbSignal } from '../../reference/ub.ts';
import type { ElemKind, Scalar } from '../../reference/values.ts';
import { setIndexBits } from '../../reference/values.ts';

const OPS: IntBinName[] = ['addi', 'subi', 'muli', 'divsi', 'divui', 'remsi', 'remui', 'ceildivsi', 'ceildivui', 'floordivsi', 'andi', 'ori', 'xori', 'shli', 'shrsi', 'shrui', 'maxsi', 'maxui', 'minsi', 'minui'];
const FLAGS: IntFlags[] = [
  { nsw: false, nuw: false, exact: false },
  { nsw: true, nuw: false, exact: false },
  { nsw: false, nuw: true, exact: false },
  { nsw: true, nuw: true, exact: true },
];

/** Result or the UB kind, so fast path and reference can be compared including their UB decisions. */
function outcome(f: () => Scalar): string {
  try {
    return `v:${BigInt(f())}`;
  } catch (e) {
    if (e instanceof UbSignal) return `ub:${e.ub}`;
    throw e;
  }
}

/** Values a w-bit op should be tested on: the edges and arbitrary ones. */
function intArb(w: number): fc.Arbitrary<bigint> {
  const min = -(1n << BigInt(w - 1));
  const max = (1n << BigInt(w - 1)) - 1n;
  return fc.oneof(fc.constantFrom(...[min, max, 0n, -1n, 1n, BigInt(w), BigInt(w - 1)].map((v) => BigInt.asIntN(w, v))), fc.bigInt(min, max));
}

describe('integer fast paths agree with the BigInt reference', () => {
  for (const w of [1, 3, 6, 8, 16, 31, 32]) {
    test(`i${w}`, () => {
      const k: ElemKind = { k: 'n', w };
      fc.assert(
        fc.property(intArb(w), intArb(w), fc.constantFrom(...OPS), fc.constantFrom(...FLAGS), (a, b, op, flags) => {
          const fast = outcome(() => intBinary(op, k, flags)(Number(a), Number(b)));
          const ref = outcome(() => refIntBinary(op, w, flags)(a, b));
          assert.equal(fast, ref, `${op} ${JSON.stringify(flags)} ${a}, ${b}`);
        }),
        { numRuns: 3000 },
      );
    });
  }
  test('index (64-bit semantics, int32 range)', () => {
    const k: ElemKind = { k: 'x', w: 64 };
    fc.assert(
      fc.property(intArb(32), intArb(32), fc.constantFrom(...OPS), fc.constantFrom(...FLAGS), (a, b, op, flags) => {
        const fast = outcome(() => intBinary(op, k, flags)(Number(a), Number(b)));
        let ref = outcome(() => refIntBinary(op, 64, flags)(a, b));
        // Any index result outside int32 is UB (not portable to wasm32).
        if (ref.startsWith('v:') && (BigInt(ref.slice(2)) < -(2n ** 31n) || BigInt(ref.slice(2)) >= 2n ** 31n)) ref = 'ub:index-range';
        assert.equal(fast, ref, `${op} ${JSON.stringify(flags)} ${a}, ${b}`);
      }),
      { numRuns: 3000 },
    );
  });
  test('index at a 64-bit index (values up to ±2^40, results modelled within ±(2^53-1))', () => {
    const k: ElemKind = { k: 'x', w: 64 };
    const wide = fc.oneof(intArb(32), fc.bigInt({ min: -(2n ** 40n), max: 2n ** 40n }), fc.constantFrom(2n ** 31n, -(2n ** 31n) - 1n, 2n ** 52n, -(2n ** 52n)));
    setIndexBits(64);
    try {
      fc.assert(
        fc.property(wide, wide, fc.constantFrom(...OPS), fc.constantFrom(...FLAGS), (a, b, op, flags) => {
          const fast = outcome(() => intBinary(op, k, flags)(Number(a), Number(b)));
          let ref = outcome(() => refIntBinary(op, 64, flags)(a, b));
          const limit = 2n ** 53n - 1n;
          if (ref.startsWith('v:') && (BigInt(ref.slice(2)) < -limit || BigInt(ref.slice(2)) > limit)) ref = 'ub:index-range';
          assert.equal(fast, ref, `${op} ${JSON.stringify(flags)} ${a}, ${b}`);
        }),
        { numRuns: 5000 },
      );
    } finally {
      setIndexBits(32);
    }
  });
  test('cmpi on every predicate', () => {
    for (const w of [1, 5, 32]) {
      const k: ElemKind = { k: 'n', w };
      fc.assert(
        fc.property(intArb(w), intArb(w), fc.integer({ min: 0, max: 9 }), (a, b, p) => {
          const u = (x: bigint): bigint => BigInt.asUintN(w, x);
          const want: Record<string, boolean> = { eq: a === b, ne: a !== b, slt: a < b, sle: a <= b, sgt: a > b, sge: a >= b, ult: u(a) < u(b), ule: u(a) <= u(b), ugt: u(a) > u(b), uge: u(a) >= u(b) };
          assert.equal(intCmp(p, k)(Number(a), Number(b)), want[CMPI[p]!] ? -1 : 0);
        }),
      );
    }
  });
});

describe('integer corner cases', () => {
  const i8: ElemKind = { k: 'n', w: 8 };
  const i64: ElemKind = { k: 'b', w: 64 };
  test('signed division rounds toward zero, floordiv/ceildiv toward -inf/+inf', () => {
    assert.equal(intBinary('divsi', i8)(-7, 2), -3);
    assert.equal(intBinary('remsi', i8)(-7, 2), -1);
    assert.equal(intBinary('floordivsi', i8)(-7, 2), -4);
    assert.equal(intBinary('ceildivsi', i8)(-7, 2), -3);
    assert.equal(intBinary('ceildivsi', i8)(7, 2), 4);
    assert.equal(intBinary('floordivsi', i8)(7, -2), -4);
    assert.equal(intBinary('ceildivui', i8)(-1, 2), -128); // 255 / 2 rounded up = 128, i.e. -128 as i8
    assert.equal(intBinary('floordivsi', i64)(-9223372036854775807n, 2n), -4611686018427387904n);
  });
  test('shifts by the width are poison, below it exact', () => {
    assert.equal(outcome(() => intBinary('shli', i8)(1, 8)), 'ub:shift-overflow');
    assert.equal(outcome(() => intBinary('shrui', i8)(1, -1)), 'ub:shift-overflow'); // -1 is 255 unsigned
    assert.equal(intBinary('shli', i8)(1, 7), -128);
    assert.equal(intBinary('shrsi', i8)(-128, 7), -1);
    assert.equal(intBinary('shrui', i8)(-128, 7), 1);
    assert.equal(intBinary('shli', i64)(1n, 63n), -9223372036854775808n);
  });
  test('INT_MIN / -1 and x / 0 are UB for every division', () => {
    for (const op of ['divsi', 'remsi', 'ceildivsi', 'floordivsi'] as const) assert.equal(outcome(() => intBinary(op, i8)(-128, -1)), 'ub:div-overflow');
    for (const op of ['divsi', 'divui', 'remsi', 'remui', 'ceildivsi', 'ceildivui', 'floordivsi'] as const) assert.equal(outcome(() => intBinary(op, i8)(5, 0)), 'ub:div-by-zero');
    assert.equal(outcome(() => intBinary('divsi', { k: 'n', w: 1 })(-1, -1)), 'ub:div-overflow');
  });
  test('overflow flags', () => {
    const nsw = { nsw: true, nuw: false, exact: false };
    const nuw = { nsw: false, nuw: true, exact: false };
    assert.equal(outcome(() => intBinary('addi', i8, nsw)(127, 1)), 'ub:nsw-overflow');
    assert.equal(outcome(() => intBinary('addi', i8, nuw)(-1, 1)), 'ub:nuw-overflow');
    assert.equal(intBinary('addi', i8, nuw)(127, 1), -128); // 127 + 1 = 128 fits unsigned
    assert.equal(outcome(() => intBinary('shli', i8, nsw)(64, 1)), 'ub:nsw-overflow');
    assert.equal(intBinary('shli', i8, nuw)(64, 1), -128);
    assert.equal(outcome(() => intBinary('shrui', i8, { nsw: false, nuw: false, exact: true })(3, 1)), 'ub:inexact');
    assert.equal(outcome(() => intBinary('muli', i64, nsw)(2n ** 62n, 2n)), 'ub:nsw-overflow');
  });
});

describe('float semantics', () => {
  test('every cmpf predicate on NaN, equal, ordered and signed-zero operands', () => {
    const pairs: [number, number][] = [
      [1, 2],
      [2, 1],
      [1, 1],
      [NaN, 1],
      [1, NaN],
      [NaN, NaN],
      [-0, 0],
    ];
    const expect: Record<string, (a: number, b: number) => boolean> = {
      false: () => false,
      oeq: (a, b) => a === b,
      ogt: (a, b) => a > b,
      oge: (a, b) => a >= b,
      olt: (a, b) => a < b,
      ole: (a, b) => a <= b,
      one: (a, b) => !Number.isNaN(a) && !Number.isNaN(b) && a !== b,
      ord: (a, b) => !Number.isNaN(a) && !Number.isNaN(b),
      ueq: (a, b) => Number.isNaN(a) || Number.isNaN(b) || a === b,
      ugt: (a, b) => Number.isNaN(a) || Number.isNaN(b) || a > b,
      uge: (a, b) => Number.isNaN(a) || Number.isNaN(b) || a >= b,
      ult: (a, b) => Number.isNaN(a) || Number.isNaN(b) || a < b,
      ule: (a, b) => Number.isNaN(a) || Number.isNaN(b) || a <= b,
      une: (a, b) => Number.isNaN(a) || Number.isNaN(b) || a !== b,
      uno: (a, b) => Number.isNaN(a) || Number.isNaN(b),
      true: () => true,
    };
    CMPF.forEach((name, p) => {
      for (const [a, b] of pairs) assert.equal(floatCmp(p)(a, b), expect[name]!(a, b) ? -1 : 0, `${name}(${a}, ${b})`);
    });
  });
  test('maximumf/minimumf propagate NaN and order -0 < +0; maxnumf/minnumf drop a NaN', () => {
    assert.ok(Number.isNaN(maximumf(NaN, 1)) && Number.isNaN(minimumf(1, NaN)));
    assert.ok(Object.is(maximumf(-0, 0), 0) && Object.is(maximumf(0, -0), 0));
    assert.ok(Object.is(minimumf(-0, 0), -0) && Object.is(minimumf(0, -0), -0));
    assert.equal(maxnumf(NaN, 1), 1);
    assert.equal(minnumf(2, NaN), 2);
    assert.ok(Number.isNaN(maxnumf(NaN, NaN)));
  });
  test('fma rounds once (f32 cases where mul-then-add rounds twice)', () => {
    const a = Math.fround(1 + 2 ** -23);
    // a*a = 1 + 2^-22 + 2^-46: fma keeps the 2^-46 that a rounded product drops.
    assert.equal(fma('f32', a, a, -1), Math.fround(2 ** -22 + 2 ** -46));
    assert.equal(Math.fround(Math.fround(a * a) - 1), 2 ** -22);
    // Round-to-odd matters: x*x is exactly a tie between two f32 values, so the tiny addend decides.
    const x = Math.fround(1 + 2 ** -12);
    assert.equal(fma('f32', x, x, 2 ** -60), 1 + 2 ** -11 + 2 ** -23);
    assert.equal(fma('f32', x, x, -(2 ** -60)), 1 + 2 ** -11);
    assert.equal(fma('f32', x, x, 0), 1 + 2 ** -11); // the tie itself goes to even
  });
  test('f64 fma is exact even when the double product overflows or underflows', () => {
    // 3.5 * 2^1023 overflows as a double product, yet the sum is finite.
    assert.equal(fma('f64', 1.75 * 2 ** 1023, 2, -Number.MAX_VALUE), 1.5 * 2 ** 1023 + 2 ** 971); // MAX = 2^1024 - 2^971
    assert.equal(fma('f64', 2 ** -600, 2 ** -600, 1), 1);
    assert.equal(fma('f64', 2 ** -600, 2 ** -600, 0), 0);
    assert.equal(fma('f64', 1 + 2 ** -52, 1 + 2 ** -52, -1), 2 ** -51 + 2 ** -104);
    assert.equal(fma('f64', Infinity, 0, 1), NaN);
    assert.equal(fma('f64', 2, 3, -Infinity), -Infinity);
    assert.ok(Object.is(fma('f32', -0, 1, -0), -0));
  });
  test('fma on f16 and bf16 rounds once from the exact value', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0x7bff }), fc.integer({ min: 0, max: 0x7bff }), fc.integer({ min: 0, max: 0x7bff }), fc.boolean(), (a, b, c, neg) => {
        const [x, y, z] = [f16FromBits(a), f16FromBits(b), f16FromBits(c | (neg ? 0x8000 : 0))];
        // x*y is exact in double; x*y + z needs at most ~80 bits: compare with the exact BigInt rounding.
        const want = roundScaled('f16', BigInt(x * y * 2 ** 48) + BigInt(z * 2 ** 48), -48);
        assert.equal(fma('f16', x, y, z), want === 0 && x * y + z === 0 ? x * y + z : want);
      }),
      { numRuns: 2000 },
    );
  });
  test('f16/bf16 rounding: ties to even, overflow, subnormals', () => {
    assert.equal(f16Bits(1 + 2 ** -11), 0x3c00); // tie, to even
    assert.equal(f16Bits(1 + 3 * 2 ** -11), 0x3c02);
    assert.equal(f16Bits(65520), 0x7c00);
    assert.equal(f16Bits(65519.99), 0x7bff);
    assert.equal(f16Bits(2 ** -25), 0); // half of the smallest subnormal: tie to even zero
    assert.equal(f16Bits(2 ** -25 * 1.0001), 1);
    assert.equal(bf16Bits(1 + 2 ** -8), 0x3f80);
    assert.equal(bf16Bits(1 + 3 * 2 ** -8), 0x3f82);
  });
  test('wide integers convert to float with one rounding', () => {
    const i64: ElemKind = { k: 'b', w: 64 };
    // 2^53 + 1 -> f32 directly is 2^53; via double (2^53) too; but 2^24 + 1 + 2^-... cases need care:
    const v = (1n << 40n) + (1n << 16n) + 1n; // just above an f32 tie: must round up
    assert.equal(intToFloat(i64, 'f32', v, false), Math.fround(2 ** 40 + 2 ** 17));
    assert.equal(intToFloat(i64, 'f32', -1n, true), 2 ** 64);
    assert.equal(intToFloat(i64, 'f64', (1n << 53n) + 1n, false), 2 ** 53);
    assert.equal(intToFloat({ k: 'n', w: 3 }, 'f32', -1, true), 7);
  });
  test('fptosi/fptoui: truncation, range and NaN', () => {
    const i8: ElemKind = { k: 'n', w: 8 };
    assert.equal(floatToInt(i8, -128.9, false, 'fptosi'), -128);
    assert.equal(floatToInt(i8, 255.9, true, 'fptoui'), -1);
    assert.equal(floatToInt(i8, -0.9, true, 'fptoui'), 0);
    assert.equal(outcome(() => floatToInt(i8, 128, false, 'fptosi')), 'ub:fp-to-int-range');
    assert.equal(outcome(() => floatToInt(i8, -1, true, 'fptoui')), 'ub:fp-to-int-range');
    assert.equal(outcome(() => floatToInt(i8, NaN, false, 'fptosi')), 'ub:fp-to-int-range');
  });
  test('round (half away from zero) and roundeven (half to even)', () => {
    assert.deepEqual([2.5, -2.5, 0.5, -0.5, 0.49999999999999994, 1.5].map(roundHalfAway), [3, -3, 1, -1, 0, 2]);
    assert.deepEqual([2.5, -2.5, 0.5, 3.5, 1.5, -0.2].map(roundHalfEven), [2, -2, 0, 4, 2, -0]);
    assert.ok(Object.is(roundHalfAway(-0.3), -0));
  });
  test('erf/erfc to near double precision', () => {
    const known: [number, number][] = [
      [0.5, 0.5204998778130465],
      [1, 0.8427007929497149],
      [2, 0.9953222650189527],
      [3, 0.9999779095030014],
      [-1.5, -0.9661051464753108],
    ];
    for (const [x, y] of known) assert.ok(Math.abs(erf(x) - y) <= 4e-16, `erf(${x}) = ${erf(x)}`);
    assert.ok(Math.abs(erfc(4) - 1.541725790028002e-8) / 1.541725790028002e-8 < 1e-13);
  });
});

describe('%g formatting', () => {
  test('glibc printf("%g") outputs', () => {
    const cases: [number, string][] = [
      [0, '0'],
      [-0, '-0'],
      [1, '1'],
      [0.1, '0.1'],
      [1e-5, '1e-05'],
      [1e-4, '0.0001'],
      [123456, '123456'],
      [1234567, '1.23457e+06'],
      [999999.5, '1e+06'],
      [1234565, '1.23456e+06'], // exact tie: to even
      [1234575, '1.23458e+06'],
      [0.5, '0.5'],
      [1e100, '1e+100'],
      [5e-324, '4.94066e-324'],
      [Infinity, 'inf'],
      [-Infinity, '-inf'],
      [NaN, 'nan'],
      [3.14159265, '3.14159'],
      [-2.5e-7, '-2.5e-07'],
    ];
    for (const [x, s] of cases) assert.equal(formatG(x), s, String(x));
  });
});
