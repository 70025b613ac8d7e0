// IEEE float semantics with exactly one rounding per op. Values are doubles already rounded to their type.
// add/sub/mul/div/sqrt in double and then rounded to f32/f16/bf16 are correctly rounded (53 >= 2p + 2 bits);
// fma and integer->float conversions of wide integers are not, and are computed exactly here.
import type { FloatName } from '../ir/types.ts';
import { roundScaled, roundTo } from '../numeric/float.ts';
import type { ElemKind, Scalar } from './values.ts';
import { sextN, uN } from './values.ts';
import { ub } from './ub.ts';

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
