// IEEE float semantics with exactly one rounding per op. Values are doubles already rounded to their type.
// add/sub/mul/div/sqrt in double and then rounded to f32/f16/bf16 are correctly rounded (53 >= 2p + 2 bits);
// fma and integer->float conversions of wide integers are not, and are computed exactly here.
import type { FloatName } from '../types.ts';
import { roundTo } from '../float.ts';
import type { ElemKind, Scalar } from './values.ts';
import { sextN, uN } from './values.ts';
import { ub } from './ub.ts';

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const u64 = new BigUint64Array(f64.buffer);

export function rounder(name: FloatName): (x: number) => number {
  switch (name) {
    case 'f64':
      return (x) => x;
    case 'f32':
      return Math.fround;
    default:
      return (x) => roundTo(name, x);
  }
}

type Fmt = { readonly p: number; readonly emin: number; readonly emax: number };
const FORMATS: Record<FloatName, Fmt> = {
  f64: { p: 53, emin: -1022, emax: 1023 },
  f32: { p: 24, emin: -126, emax: 127 },
  f16: { p: 11, emin: -14, emax: 15 },
  bf16: { p: 8, emin: -126, emax: 127 },
};

function bitLength(m: bigint): number {
  if (m === 0n) return 0;
  const h = m.toString(16);
  return (h.length - 1) * 4 + (32 - Math.clz32(parseInt(h[0]!, 16)));
}

/** Correctly rounds (nearest, ties to even) the exact value s * 2^e into the format. */
export function roundScaled(name: FloatName, s: bigint, e: number): number {
  if (s === 0n) return 0;
  const neg = s < 0n;
  let m = neg ? -s : s;
  const { p, emin, emax } = FORMATS[name];
  const top = bitLength(m) - 1 + e; // exponent of the leading bit
  const q = Math.max(top - p + 1, emin - p + 1); // exponent of the last kept bit
  const shift = q - e;
  let exp = e;
  if (shift > 0) {
    const sh = BigInt(shift);
    const rem = m & ((1n << sh) - 1n);
    const half = 1n << (sh - 1n);
    m >>= sh;
    if (rem > half || (rem === half && (m & 1n) === 1n)) m += 1n;
    exp = q;
  }
  if (bitLength(m) - 1 + exp > emax) return neg ? -Infinity : Infinity;
  // m has at most p+1 bits and exp is in range, so this product is exact in double.
  const v = Number(m) * 2 ** exp;
  return neg ? -v : v;
}

/** Exact significand and exponent of a finite double: x = m * 2^e. */
export function decompose(x: number): { m: bigint; e: number } {
  f64[0] = x;
  const bits = u64[0]!;
  const ex = Number((bits >> 52n) & 0x7ffn);
  let m = bits & 0xfffffffffffffn;
  let e: number;
  if (ex === 0) e = -1074;
  else {
    m |= 1n << 52n;
    e = ex - 1075;
  }
  return { m: bits >> 63n ? -m : m, e };
}

function fmaExactBig(name: FloatName, a: number, b: number, c: number): number {
  const A = decompose(a);
  const B = decompose(b);
  const C = decompose(c);
  const pe = A.e + B.e;
  const emin = Math.min(pe, C.e);
  const s = ((A.m * B.m) << BigInt(pe - emin)) + (C.m << BigInt(C.e - emin));
  if (s === 0n) return 0; // exact cancellation of nonzero terms gives +0 in round-to-nearest
  return roundScaled(name, s, emin);
}

/** fma(a, b, c) = a*b+c with a single rounding to the format. */
export function fma(name: FloatName, a: number, b: number, c: number): number {
  if (!Number.isFinite(a) || !Number.isFinite(b)) return roundTo(name, a * b + c); // inf*0, inf-inf: IEEE rules
  if (!Number.isFinite(c)) return c; // a finite product cannot change an infinite (or NaN) addend
  const p = a * b;
  if (name === 'f64') {
    // The double product may overflow or underflow although the exact sum is representable.
    if (p === 0 && (a === 0 || b === 0)) return p + c;
    return fmaExactBig(name, a, b, c);
  }
  if (p === 0) return roundTo(name, p + c); // exact zero product: signed-zero rules of addition
  // f32/f16/bf16: p is exact in double. TwoSum gives p + c = s + err exactly; rounding s to odd then to the
  // narrow format is correct because double keeps more than p + 2 bits.
  const s = p + c;
  const bb = s - p;
  const err = p - (s - bb) + (c - bb);
  if (err === 0) return roundTo(name, s);
  f64[0] = s;
  if ((u32[0]! & 1) === 0) {
    const up = err > 0 === s > 0; // nudging away from zero increases the magnitude
    if (up) {
      if (u32[0] === 0xffffffff) {
        u32[0] = 0;
        u32[1]!++;
      } else u32[0]!++;
    } else if (u32[0] === 0) {
      u32[0] = 0xffffffff;
      u32[1]!--;
    } else u32[0]!--;
  }
  return roundTo(name, f64[0]!);
}

/** arith.cmpf predicates in MLIR's enum order; returns an i1 (0 or -1). */
export const CMPF = ['false', 'oeq', 'ogt', 'oge', 'olt', 'ole', 'one', 'ord', 'ueq', 'ugt', 'uge', 'ult', 'ule', 'une', 'uno', 'true'] as const;

export function floatCmp(pred: number): (a: number, b: number) => number {
  const p = CMPF[pred];
  if (p === undefined) throw new Error(`cmpf predicate ${pred}`);
  const T = -1;
  switch (p) {
    case 'false':
      return () => 0;
    case 'oeq':
      return (a, b) => (a === b ? T : 0);
    case 'ogt':
      return (a, b) => (a > b ? T : 0);
    case 'oge':
      return (a, b) => (a >= b ? T : 0);
    case 'olt':
      return (a, b) => (a < b ? T : 0);
    case 'ole':
      return (a, b) => (a <= b ? T : 0);
    case 'one':
      return (a, b) => (a < b || a > b ? T : 0);
    case 'ord':
      return (a, b) => (a === a && b === b ? T : 0);
    case 'ueq':
      return (a, b) => (!(a < b || a > b) ? T : 0);
    case 'ugt':
      return (a, b) => (!(a <= b) ? T : 0);
    case 'uge':
      return (a, b) => (!(a < b) ? T : 0);
    case 'ult':
      return (a, b) => (!(a >= b) ? T : 0);
    case 'ule':
      return (a, b) => (!(a > b) ? T : 0);
    case 'une':
      return (a, b) => (a !== b ? T : 0);
    case 'uno':
      return (a, b) => (a !== a || b !== b ? T : 0);
    case 'true':
      return () => T;
  }
}

/** IEEE 754-2019 maximum: NaN propagates, -0 < +0. */
export function maximumf(a: number, b: number): number {
  if (a !== a || b !== b) return NaN;
  if (a === 0 && b === 0) return Object.is(a, -0) ? b : a;
  return a > b ? a : b;
}
export function minimumf(a: number, b: number): number {
  if (a !== a || b !== b) return NaN;
  if (a === 0 && b === 0) return Object.is(a, -0) ? a : b;
  return a < b ? a : b;
}
/** maxnum: a NaN operand yields the other one. Signed zeros order as in maximumf; whether a target does is not
 * guaranteed, so callers taint mixed-sign zero results (see signedZeroTie). */
export function maxnumf(a: number, b: number): number {
  if (a !== a) return b;
  if (b !== b) return a;
  return maximumf(a, b);
}
export function minnumf(a: number, b: number): number {
  if (a !== a) return b;
  if (b !== b) return a;
  return minimumf(a, b);
}
/** +0 against -0: maxnum/minnum may return either. */
export function signedZeroTie(a: number, b: number): boolean {
  return a === 0 && b === 0 && Object.is(a, -0) !== Object.is(b, -0);
}

/** Correctly rounded integer -> float. `unsigned` reads the integer's bits as unsigned. */
export function intToFloat(k: ElemKind, name: FloatName, x: Scalar, unsigned: boolean): number {
  if (k.k === 'f') throw new Error('intToFloat on a float kind');
  if (k.k === 'n') return roundTo(name, unsigned ? uN(k.w, x as number) : (x as number));
  let v = typeof x === 'bigint' ? x : BigInt(x);
  if (unsigned) v = BigInt.asUintN(k.w, v);
  if (v >= -(2n ** 53n) && v <= 2n ** 53n) return roundTo(name, Number(v));
  // Number(bigint) rounds correctly to double; narrower formats must round from the exact value.
  return name === 'f64' ? Number(v) : roundScaled(name, v, 0);
}

/** fptosi/fptoui: NaN or a truncated value outside the target range is poison. */
export function floatToInt(k: ElemKind, x: number, unsigned: boolean, opName: string): Scalar {
  if (k.k === 'f') throw new Error('floatToInt to a float kind');
  if (x !== x) ub('fp-to-int-range', `${opName} of NaN`);
  const t = Math.trunc(x);
  const w = k.w;
  const lo = unsigned ? 0 : -(2 ** (w - 1));
  const hi = unsigned ? 2 ** w : 2 ** (w - 1); // exclusive; powers of two are exact
  if (!(t >= lo && t < hi)) ub('fp-to-int-range', `${opName}: ${x} is out of range for i${w}`);
  if (k.k === 'b') return BigInt.asIntN(w, BigInt(t));
  if (k.k === 'x') return t + 0;
  return sextN(w, t);
}

/** math.round: half away from zero (Math.round rounds half up). x - trunc(x) is exact for doubles. */
export function roundHalfAway(x: number): number {
  if (!Number.isFinite(x)) return x;
  const t = Math.trunc(x);
  const r = Math.abs(x - t) >= 0.5 ? t + Math.sign(x) : t;
  return r === 0 ? (x < 0 || Object.is(x, -0) ? -0 : 0) : r;
}
/** math.roundeven: half to even. */
export function roundHalfEven(x: number): number {
  if (!Number.isFinite(x)) return x;
  const t = Math.trunc(x);
  const d = Math.abs(x - t);
  let r = t;
  if (d > 0.5 || (d === 0.5 && t % 2 !== 0)) r = t + Math.sign(x);
  return r === 0 ? (x < 0 || Object.is(x, -0) ? -0 : 0) : r;
}
