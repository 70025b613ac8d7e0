// Runtime values. Every SSA value lives in a frame slot as one of:
//  - number: integers of width <= 32 (sign-extended, so i1 is 0 or -1), index (int32 range, checked), floats
//    (already rounded to their type: f16/bf16/f32 values are exact doubles);
//  - bigint: integers wider than 32 bits, sign-extended to their width;
//  - Vec: a vector, flattened row-major (0-d vectors hold one element);
//  - MemRef: a descriptor (buffer, offset, sizes, strides) shared by ranked and unranked memrefs;
//  - FuncRef: a function symbol (func.constant).
// Keeping the common widths as plain numbers is what makes the interpreter fast; BigInt only appears where
// 32 bits are not enough.
import type { FloatName, Type } from '../ir/types.ts';
import { printType } from '../ir/types.ts';
import type { MemRef } from './memory.ts';
import { ub } from './ub.ts';

export type Scalar = number | bigint;
export type Vec = Scalar[];
export type FuncRef = { readonly fn: string };
export type Val = Scalar | Vec | MemRef | FuncRef;

/** How a scalar type is represented: 'n' small int (number), 'x' index (number), 'b' wide int (bigint), 'f' float. */
export type ElemKind =
  | { readonly k: 'n'; readonly w: number; readonly u?: true }
  | { readonly k: 'x'; readonly w: 64 }
  | { readonly k: 'b'; readonly w: number; readonly u?: true }
  | { readonly k: 'f'; readonly name: FloatName };

const kinds = new Map<string, ElemKind>();
const kindOfType = new WeakMap<Type, ElemKind>();
export function elemKind(t: Type): ElemKind {
  let k = kindOfType.get(t);
  if (k) return k;
  const key = printType(t);
  k = kinds.get(key);
  if (k) {
    kindOfType.set(t, k);
    return k;
  }
  switch (t.kind) {
    case 'int':
      // siN/uiN hold the same bits as iN (sign-extended like every integer); `u` only changes how they print.
      k = t.width <= 32 ? { k: 'n', w: t.width } : { k: 'b', w: t.width };
      if (t.signedness === 'unsigned') k = { ...k, u: true };
      break;
    case 'index':
      k = { k: 'x', w: 64 };
      break;
    case 'float':
      k = { k: 'f', name: t.name };
      break;
    default:
      throw new Error(`not a scalar type: ${key}`);
  }
  kinds.set(key, k);
  kindOfType.set(t, k);
  return k;
}

export const INDEX_MIN = -2147483648;
export const INDEX_MAX = 2147483647;

/**
 * The index values a run models. At a 32-bit index, int32 (anything beyond is not portable to that target); at 64,
 * the integers a double holds exactly (beyond ±(2^53-1) the interpreter cannot follow). Set by each run before it
 * starts (runs are synchronous, so one setting per run is safe).
 */
let indexLo = INDEX_MIN;
let indexHi = INDEX_MAX;
let wideIndex = false;
export function setIndexBits(bits: 32 | 64): void {
  wideIndex = bits === 64;
  indexLo = wideIndex ? -Number.MAX_SAFE_INTEGER : INDEX_MIN;
  indexHi = wideIndex ? Number.MAX_SAFE_INTEGER : INDEX_MAX;
}
/** Whether index values beyond int32 are being modelled (64-bit index). */
export function indexIsWide(): boolean {
  return wideIndex;
}
/** The largest index value the current run models. */
export function indexMax(): number {
  return indexHi;
}

/** Index values must stay in the run's model: int32 at a 32-bit index, ±(2^53-1) at 64. */
export function checkIndex(x: number): number {
  if (!(x >= indexLo && x <= indexHi))
    ub('index-range', wideIndex ? `index value ${x} is beyond ±2^53, which the interpreter does not model` : `index value ${x} is outside int32 (not portable to 32-bit targets)`);
  return x + 0; // folds -0 into 0
}

/** Sign-extends the low w bits (w <= 32) of an integer-valued number (|x| < 2^53). */
export function sextN(w: number, x: number): number {
  if (w === 32) return x | 0;
  const s = 32 - w;
  return ((x << s) >> s) | 0;
}
/** Unsigned view of a canonical w-bit value (w <= 32). */
export function uN(w: number, x: number): number {
  return w === 32 ? x >>> 0 : x & ((1 << w) - 1);
}

/** Canonical representation of the signed bigint v (already in range for k) for an integer kind. */
export function fromBigInRange(k: ElemKind, v: bigint): Scalar {
  if (k.k === 'b') return v;
  if (k.k === 'x') {
    return checkIndex(Number(v));
  }
  return Number(v);
}
/** Wraps v to the kind's width, then returns its canonical representation. */
export function wrapBig(k: ElemKind, v: bigint): Scalar {
  if (k.k === 'f') throw new Error('wrapBig on a float kind');
  return fromBigInRange(k, BigInt.asIntN(k.w, v));
}

export function isVec(v: Val): v is Vec {
  return Array.isArray(v);
}
