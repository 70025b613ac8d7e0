// Exact integer semantics at every width, with LLVM's poison rules reported as UB.
// The BigInt functions are the reference for every width; the number functions are fast paths for widths
// <= 32 and for index (int32-range numbers with 64-bit meaning). Tests check the fast paths against the reference.
import type { ElemKind, Scalar } from './values.ts';
import { checkIndex, sextN, uN } from './values.ts';
import { ub } from './ub.ts';

export type IntBinName =
  | 'addi'
  | 'subi'
  | 'muli'
  | 'divsi'
  | 'divui'
  | 'remsi'
  | 'remui'
  | 'ceildivsi'
  | 'ceildivui'
  | 'floordivsi'
  | 'andi'
  | 'ori'
  | 'xori'
  | 'shli'
  | 'shrsi'
  | 'shrui'
  | 'maxsi'
  | 'maxui'
  | 'minsi'
  | 'minui';

export type IntFlags = { readonly nsw: boolean; readonly nuw: boolean; readonly exact: boolean };
export const NO_FLAGS: IntFlags = { nsw: false, nuw: false, exact: false };

type BigBin = (a: bigint, b: bigint) => bigint;
export type Bin = (a: Scalar, b: Scalar) => Scalar;

/** Reference semantics on sign-extended bigints of width w; results are sign-extended to w. */
export function refIntBinary(name: IntBinName, w: number, f: IntFlags = NO_FLAGS): BigBin {
  const W = BigInt(w);
  const MIN = -(1n << (W - 1n));
  const MAX = (1n << (W - 1n)) - 1n;
  const TOP = 1n << W;
  const s = (x: bigint): bigint => BigInt.asIntN(w, x);
  const u = (x: bigint): bigint => BigInt.asUintN(w, x);
  const nz = (b: bigint): void => {
    if (b === 0n) ub('div-by-zero', `arith.${name} by zero`);
  };
  const noOverflow = (a: bigint, b: bigint): void => {
    if (a === MIN && b === -1n) ub('div-overflow', `arith.${name}: INT_MIN / -1 overflows i${w}`);
  };
  const checkSigned = (exact: bigint): bigint => {
    if (f.nsw && (exact < MIN || exact > MAX)) ub('nsw-overflow', `arith.${name} overflows i${w} under nsw`);
    return s(exact);
  };
  const checkUnsigned = (exact: bigint): void => {
    if (f.nuw && (exact < 0n || exact >= TOP)) ub('nuw-overflow', `arith.${name} wraps i${w} under nuw`);
  };
  const shiftAmount = (b: bigint): bigint => {
    const sh = u(b);
    if (sh >= W) ub('shift-overflow', `arith.${name} by ${sh} >= bit width ${w}`);
    return sh;
  };
  switch (name) {
    case 'addi':
      return (a, b) => {
        const r = checkSigned(a + b);
        checkUnsigned(u(a) + u(b));
        return r;
      };
    case 'subi':
      return (a, b) => {
        const r = checkSigned(a - b);
        checkUnsigned(u(a) - u(b));
        return r;
      };
    case 'muli':
      return (a, b) => {
        const r = checkSigned(a * b);
        checkUnsigned(u(a) * u(b));
        return r;
      };
    case 'divsi':
      return (a, b) => {
        nz(b);
        noOverflow(a, b);
        if (f.exact && a % b !== 0n) ub('inexact', `arith.divsi exact: ${a} is not a multiple of ${b}`);
        return s(a / b);
      };
    case 'divui':
      return (a, b) => {
        nz(b);
        if (f.exact && u(a) % u(b) !== 0n) ub('inexact', `arith.divui exact: ${u(a)} is not a multiple of ${u(b)}`);
        return s(u(a) / u(b));
      };
    case 'remsi':
      return (a, b) => {
        nz(b);
        noOverflow(a, b);
        return s(a % b);
      };
    case 'remui':
      return (a, b) => {
        nz(b);
        return s(u(a) % u(b));
      };
    case 'ceildivsi':
      return (a, b) => {
        nz(b);
        noOverflow(a, b);
        const q = a / b;
        return s(a % b !== 0n && a < 0n === b < 0n ? q + 1n : q);
      };
    case 'ceildivui':
      return (a, b) => {
        nz(b);
        const ua = u(a);
        const ub_ = u(b);
        return s(ua / ub_ + (ua % ub_ !== 0n ? 1n : 0n));
      };
    case 'floordivsi':
      return (a, b) => {
        nz(b);
        noOverflow(a, b);
        const q = a / b;
        return s(a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q);
      };
    case 'andi':
      return (a, b) => s(a & b);
    case 'ori':
      return (a, b) => s(a | b);
    case 'xori':
      return (a, b) => s(a ^ b);
    case 'shli':
      return (a, b) => {
        const sh = shiftAmount(b);
        const r = s(a << sh);
        if (f.nsw && r >> sh !== a) ub('nsw-overflow', `arith.shli shifts out bits that differ from the sign under nsw`);
        if (f.nuw && u(r) >> sh !== u(a)) ub('nuw-overflow', `arith.shli shifts out nonzero bits under nuw`);
        return r;
      };
    case 'shrsi':
      return (a, b) => {
        const sh = shiftAmount(b);
        if (f.exact && (a & ((1n << sh) - 1n)) !== 0n) ub('inexact', `arith.shrsi exact drops nonzero bits`);
        return a >> sh;
      };
    case 'shrui':
      return (a, b) => {
        const sh = shiftAmount(b);
        if (f.exact && (u(a) & ((1n << sh) - 1n)) !== 0n) ub('inexact', `arith.shrui exact drops nonzero bits`);
        return s(u(a) >> sh);
      };
    case 'maxsi':
      return (a, b) => (a > b ? a : b);
    case 'minsi':
      return (a, b) => (a < b ? a : b);
    case 'maxui':
      return (a, b) => (u(a) > u(b) ? a : b);
    case 'minui':
      return (a, b) => (u(a) < u(b) ? a : b);
  }
}

/** Fast number semantics for widths <= 32; undefined where only the reference is implemented. */
function smallIntBinary(name: IntBinName, w: number, f: IntFlags): ((a: number, b: number) => number) | undefined {
  const MIN = -(2 ** (w - 1));
  const TOP = 2 ** w;
  const sx = (x: number): number => sextN(w, x);
  const ux = (x: number): number => uN(w, x);
  const anyFlag = f.nsw || f.nuw || f.exact;
  const nz = (b: number): void => {
    if (b === 0) ub('div-by-zero', `arith.${name} by zero`);
  };
  const noOverflow = (a: number, b: number): void => {
    if (a === MIN && b === -1) ub('div-overflow', `arith.${name}: INT_MIN / -1 overflows i${w}`);
  };
  switch (name) {
    case 'addi':
      if (!anyFlag) return (a, b) => sx(a + b);
      return (a, b) => {
        const r = a + b;
        const v = sx(r);
        if (f.nsw && v !== r) ub('nsw-overflow', `arith.addi overflows i${w} under nsw`);
        if (f.nuw && ux(a) + ux(b) >= TOP) ub('nuw-overflow', `arith.addi wraps i${w} under nuw`);
        return v;
      };
    case 'subi':
      if (!anyFlag) return (a, b) => sx(a - b);
      return (a, b) => {
        const r = a - b;
        const v = sx(r);
        if (f.nsw && v !== r) ub('nsw-overflow', `arith.subi overflows i${w} under nsw`);
        if (f.nuw && ux(a) < ux(b)) ub('nuw-overflow', `arith.subi wraps i${w} under nuw`);
        return v;
      };
    case 'muli':
      if (!anyFlag) return (a, b) => sx(Math.imul(a, b));
      return (a, b) => {
        const v = sx(Math.imul(a, b));
        // a * b rounds monotonically, so an out-of-range product never compares equal to the wrapped value.
        if (f.nsw && a * b !== v) ub('nsw-overflow', `arith.muli overflows i${w} under nsw`);
        if (f.nuw && ux(a) * ux(b) >= TOP) ub('nuw-overflow', `arith.muli wraps i${w} under nuw`);
        return v;
      };
    case 'divsi':
      return (a, b) => {
        nz(b);
        noOverflow(a, b);
        if (f.exact && a % b !== 0) ub('inexact', `arith.divsi exact: ${a} is not a multiple of ${b}`);
        // |a|, |b| < 2^32: the double quotient cannot round across an integer.
        return sx(Math.trunc(a / b));
      };
    case 'divui':
      return (a, b) => {
        nz(b);
        const ua = ux(a);
        const ub_ = ux(b);
        if (f.exact && ua % ub_ !== 0) ub('inexact', `arith.divui exact: ${ua} is not a multiple of ${ub_}`);
        return sx(Math.trunc(ua / ub_));
      };
    case 'remsi':
      return (a, b) => {
        nz(b);
        noOverflow(a, b);
        return (a % b) | 0;
      };
    case 'remui':
      return (a, b) => {
        nz(b);
        return sx(ux(a) % ux(b));
      };
    case 'ceildivsi':
      return (a, b) => {
        nz(b);
        noOverflow(a, b);
        return sx(Math.ceil(a / b));
      };
    case 'ceildivui':
      return (a, b) => {
        nz(b);
        return sx(Math.ceil(ux(a) / ux(b)));
      };
    case 'floordivsi':
      return (a, b) => {
        nz(b);
        noOverflow(a, b);
        return sx(Math.floor(a / b));
      };
    case 'andi':
      return (a, b) => a & b;
    case 'ori':
      return (a, b) => a | b;
    case 'xori':
      return (a, b) => a ^ b;
    case 'shli':
      return (a, b) => {
        const sh = ux(b);
        if (sh >= w) ub('shift-overflow', `arith.shli by ${sh} >= bit width ${w}`);
        const r = sx(a << sh);
        if (f.nsw && r >> sh !== a) ub('nsw-overflow', `arith.shli shifts out bits that differ from the sign under nsw`);
        if (f.nuw && ux(r) >>> sh !== ux(a)) ub('nuw-overflow', `arith.shli shifts out nonzero bits under nuw`);
        return r;
      };
    case 'shrsi':
      return (a, b) => {
        const sh = ux(b);
        if (sh >= w) ub('shift-overflow', `arith.shrsi by ${sh} >= bit width ${w}`);
        const r = a >> sh;
        if (f.exact && r << sh !== a) ub('inexact', `arith.shrsi exact drops nonzero bits`);
        return r;
      };
    case 'shrui':
      return (a, b) => {
        const sh = ux(b);
        if (sh >= w) ub('shift-overflow', `arith.shrui by ${sh} >= bit width ${w}`);
        const ua = ux(a);
        const r = ua >>> sh;
        if (f.exact && (r << sh) >>> 0 !== ua) ub('inexact', `arith.shrui exact drops nonzero bits`);
        return sx(r);
      };
    case 'maxsi':
      return (a, b) => (a > b ? a : b);
    case 'minsi':
      return (a, b) => (a < b ? a : b);
    case 'maxui':
      return (a, b) => (ux(a) > ux(b) ? a : b);
    case 'minui':
      return (a, b) => (ux(a) < ux(b) ? a : b);
  }
}

/**
 * Fast index semantics on numbers. Operands beyond int32 (only at a 64-bit index) take the exact 64-bit path
 * (`wide`) wherever the number arithmetic below would be 32-bit or inexact.
 */
function indexBinary(name: IntBinName, f: IntFlags, wide: (a: number, b: number) => number): ((a: number, b: number) => number) | undefined {
  if (f.nsw || f.nuw || f.exact) return undefined;
  const nz = (b: number): void => {
    if (b === 0) ub('div-by-zero', `arith.${name} by zero`);
  };
  const small = (a: number, b: number): boolean => (a | 0) === a && (b | 0) === b;
  switch (name) {
    case 'addi':
      return (a, b) => checkIndex(a + b);
    case 'subi':
      return (a, b) => checkIndex(a - b);
    case 'muli':
      return (a, b) => {
        const r = a * b;
        return Number.isSafeInteger(r) ? checkIndex(r) : wide(a, b);
      };
    case 'divsi':
      return (a, b) => {
        nz(b);
        return small(a, b) ? checkIndex(Math.trunc(a / b)) : wide(a, b);
      };
    case 'remsi':
      return (a, b) => {
        nz(b);
        return (a % b) + 0;
      };
    case 'ceildivsi':
      return (a, b) => {
        nz(b);
        return small(a, b) ? checkIndex(Math.ceil(a / b)) : wide(a, b);
      };
    case 'floordivsi':
      return (a, b) => {
        nz(b);
        return small(a, b) ? checkIndex(Math.floor(a / b)) : wide(a, b);
      };
    case 'andi':
      return (a, b) => (small(a, b) ? a & b : wide(a, b));
    case 'ori':
      return (a, b) => (small(a, b) ? a | b : wide(a, b));
    case 'xori':
      return (a, b) => (small(a, b) ? a ^ b : wide(a, b));
    case 'maxsi':
      return (a, b) => (a > b ? a : b);
    case 'minsi':
      return (a, b) => (a < b ? a : b);
    default:
      return undefined;
  }
}

const binCache = new Map<string, Bin>();

/** The semantics of an integer binary op for an element kind and flags (shared between ops: closures are costly). */
export function intBinary(name: IntBinName, k: ElemKind, f: IntFlags = NO_FLAGS): Bin {
  const key = `${name}/${k.k}${k.k === 'f' ? '' : k.w}/${+f.nsw}${+f.nuw}${+f.exact}`;
  let b = binCache.get(key);
  if (!b) {
    b = makeIntBinary(name, k, f);
    binCache.set(key, b);
  }
  return b;
}

function makeIntBinary(name: IntBinName, k: ElemKind, f: IntFlags): Bin {
  if (k.k === 'f') throw new Error(`arith.${name} on a float kind`);
  const ref = refIntBinary(name, k.w, f);
  if (k.k === 'b') return ref as Bin;
  if (k.k === 'n') {
    const fast = smallIntBinary(name, k.w, f);
    if (fast) return fast as Bin;
    return (a, b) => Number(ref(BigInt(a), BigInt(b)));
  }
  const exact = (a: number, b: number): number => checkIndex(Number(ref(BigInt(a), BigInt(b))));
  const fast = indexBinary(name, f, exact);
  if (fast) return fast as Bin;
  return exact as Bin;
}

/** arith.cmpi predicate numbers, as MLIR's enum. */
export const CMPI = ['eq', 'ne', 'slt', 'sle', 'sgt', 'sge', 'ult', 'ule', 'ugt', 'uge'] as const;

/** Returns an i1 (0 or -1). */
export function intCmp(pred: number, k: ElemKind): (a: Scalar, b: Scalar) => number {
  if (k.k === 'f') throw new Error('cmpi on a float kind');
  const p = CMPI[pred];
  if (p === undefined) throw new Error(`cmpi predicate ${pred}`);
  const T = -1;
  // Unsigned order of signed values: same sign compares as signed, otherwise the negative one is larger.
  const ult = (a: Scalar, b: Scalar): boolean => ((a < 0) === (b < 0) ? a < b : a >= 0);
  switch (p) {
    case 'eq':
      return (a, b) => (a === b ? T : 0);
    case 'ne':
      return (a, b) => (a !== b ? T : 0);
    case 'slt':
      return (a, b) => (a < b ? T : 0);
    case 'sle':
      return (a, b) => (a <= b ? T : 0);
    case 'sgt':
      return (a, b) => (a > b ? T : 0);
    case 'sge':
      return (a, b) => (a >= b ? T : 0);
    case 'ult':
      return (a, b) => (ult(a, b) ? T : 0);
    case 'ule':
      return (a, b) => (!ult(b, a) ? T : 0);
    case 'ugt':
      return (a, b) => (ult(b, a) ? T : 0);
    case 'uge':
      return (a, b) => (!ult(a, b) ? T : 0);
  }
}

/** Canonical value of the signed bigint v truncated/extended to kind k (wrapping). */
export function intFromBig(k: ElemKind, v: bigint): Scalar {
  if (k.k === 'b') return BigInt.asIntN(k.w, v);
  if (k.k === 'x') return checkIndex(Number(BigInt.asIntN(64, v)));
  if (k.k === 'n') return Number(BigInt.asIntN(k.w, v));
  throw new Error('intFromBig on a float kind');
}

/** Unsigned value of a canonical integer of kind k. */
export function unsignedBig(k: ElemKind, x: Scalar): bigint {
  if (k.k === 'f') throw new Error('unsignedBig on a float kind');
  return BigInt.asUintN(k.w, typeof x === 'bigint' ? x : BigInt(x));
}
