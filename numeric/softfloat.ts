// Exact arithmetic the WASM runtime needs and JS doubles cannot give directly: integer→float conversions from
// 128-bit values and scaling by powers of two, each rounding once to nearest even. (fma lives in float.ts.)
import { f64FromBits, roundScaled } from './float.ts';

/** Signed or unsigned 128-bit integer (two's complement in lo/hi words) to f32 or f64, rounded once. */
export function int128ToFloat(lo: bigint, hi: bigint, signed: boolean, single: boolean): number {
  let v = (BigInt.asUintN(64, hi) << 64n) | BigInt.asUintN(64, lo);
  if (signed) v = BigInt.asIntN(128, v);
  return roundScaled(single ? 'f32' : 'f64', v, 0);
}

/** ldexp/scalbn: x × 2^n with a single rounding even when the result is subnormal (musl's scalbn). */
export function scalbn(x: number, n: number): number {
  let y = x;
  if (n > 1023) {
    y *= 2 ** 1023;
    n -= 1023;
    if (n > 1023) {
      y *= 2 ** 1023;
      n -= 1023;
      if (n > 1023) n = 1023;
    }
  } else if (n < -1022) {
    // Scale by 2^-1022 × 2^53 so intermediate results stay normal; only the final multiply rounds.
    y *= 2 ** -1022 * 2 ** 53;
    n += 1022 - 53;
    if (n < -1022) {
      y *= 2 ** -1022 * 2 ** 53;
      n += 1022 - 53;
      if (n < -1022) n = -1022;
    }
  }
  return y * f64FromBits(BigInt(0x3ff + n) << 52n);
}

export function scalbnf(x: number, n: number): number {
  // Exact in double for every f32 input and n in the f32 range; fround rounds once.
  const clamped = Math.max(-400, Math.min(400, n));
  return Math.fround(x * 2 ** clamped);
}
