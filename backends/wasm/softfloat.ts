// Exact arithmetic the WASM runtime needs and JS doubles cannot give directly: correctly rounded fma, exact
// integer→float conversions from 128-bit values, and scaling by powers of two. Everything rounds once, to nearest even.

const dv = new DataView(new ArrayBuffer(8));

function f64Bits(x: number): bigint {
  dv.setFloat64(0, x);
  return dv.getBigUint64(0);
}
function f64FromBits(b: bigint): number {
  dv.setBigUint64(0, BigInt.asUintN(64, b));
  return dv.getFloat64(0);
}

/** A finite double as sign × mant × 2^exp with an integer mantissa. */
function decompose(x: number): { neg: boolean; mant: bigint; exp: number } {
  const b = f64Bits(x);
  const neg = b >> 63n === 1n;
  const e = Number((b >> 52n) & 0x7ffn);
  const f = b & ((1n << 52n) - 1n);
  return e === 0 ? { neg, mant: f, exp: -1074 } : { neg, mant: f | (1n << 52n), exp: e - 1075 };
}

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/**
 * Round mant × 2^exp (mant ≥ 0) to a binary format with `precision` significand bits and minimum normal exponent
 * `emin` (of the leading bit), returning the exact JS number (±Infinity on overflow past `emax`).
 */
export function roundToFormat(neg: boolean, mant: bigint, exp: number, precision: number, emin: number, emax: number): number {
  if (mant === 0n) return neg ? -0 : 0;
  const len = bitLength(mant);
  const lead = exp + len - 1; // exponent of the leading bit
  // Bits to keep: precision, fewer when the result is subnormal.
  const keep = lead >= emin ? precision : precision - (emin - lead);
  let shift = len - keep;
  let m = mant;
  let e = exp;
  if (shift > 0) {
    const sb = BigInt(shift);
    const rem = m & ((1n << sb) - 1n);
    m >>= sb;
    e += shift;
    const half = 1n << (sb - 1n);
    if (rem > half || (rem === half && (m & 1n) === 1n)) m += 1n;
  } else shift = 0;
  if (m === 0n) return neg ? -0 : 0;
  if (e + bitLength(m) - 1 > emax) return neg ? -Infinity : Infinity;
  // m has at most `precision` (+1 after a carry, still exact) bits: m × 2^e is exact in a double.
  const v = Number(m) * 2 ** e;
  return neg ? -v : v;
}

export const roundF64 = (neg: boolean, mant: bigint, exp: number): number => roundToFormat(neg, mant, exp, 53, -1022, 1023);
export const roundF32 = (neg: boolean, mant: bigint, exp: number): number => roundToFormat(neg, mant, exp, 24, -126, 127);

/** a×b+c with one rounding, in double (fma) or float (fmaf). */
export function fmaExact(a: number, b: number, c: number, single: boolean): number {
  const round = (v: number): number => (single ? Math.fround(v) : v);
  if (!Number.isFinite(a) || !Number.isFinite(b) || !Number.isFinite(c) || a === 0 || b === 0) {
    // IEEE special cases: the product is exact (0, ±Inf or NaN), so one addition rounds correctly.
    return round(a * b + c);
  }
  const x = decompose(a);
  const y = decompose(b);
  const pm = x.mant * y.mant;
  const pe = x.exp + y.exp;
  const pneg = x.neg !== y.neg;
  if (c === 0) return single ? roundF32(pneg, pm, pe) : roundF64(pneg, pm, pe);
  const z = decompose(c);
  const e = Math.min(pe, z.exp);
  const sp = (pneg ? -pm : pm) << BigInt(pe - e);
  const sc = (z.neg ? -z.mant : z.mant) << BigInt(z.exp - e);
  const s = sp + sc;
  if (s === 0n) return 0; // exact cancellation rounds to +0 in round-to-nearest
  const neg = s < 0n;
  const mag = neg ? -s : s;
  return single ? roundF32(neg, mag, e) : roundF64(neg, mag, e);
}

/** Signed or unsigned 128-bit integer (two's complement in lo/hi words) to f32 or f64, rounded once. */
export function int128ToFloat(lo: bigint, hi: bigint, signed: boolean, single: boolean): number {
  let v = (BigInt.asUintN(64, hi) << 64n) | BigInt.asUintN(64, lo);
  if (signed) v = BigInt.asIntN(128, v);
  const neg = v < 0n;
  const mag = neg ? -v : v;
  return single ? roundF32(neg, mag, 0) : roundF64(neg, mag, 0);
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
