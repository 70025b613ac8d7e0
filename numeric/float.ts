// Exact conversions between JS numbers and the bit patterns of f16, bf16, f32 and f64.
/** The float formats, named as MLIR names them (the same union as ir/types.ts, which numeric/ may not import). */
export type FloatName = 'f16' | 'bf16' | 'f32' | 'f64';

const buf = new DataView(new ArrayBuffer(8));

export function f32Bits(x: number): number {
  buf.setFloat32(0, x);
  return buf.getUint32(0);
}
export function f32FromBits(b: number): number {
  buf.setUint32(0, b >>> 0);
  return buf.getFloat32(0);
}
export function f64Bits(x: number): bigint {
  buf.setFloat64(0, x);
  return buf.getBigUint64(0);
}
export function f64FromBits(b: bigint): number {
  buf.setBigUint64(0, BigInt.asUintN(64, b));
  return buf.getFloat64(0);
}

/** Round a double to f16 with round-to-nearest-even; returns the 16-bit pattern. */
export function f16Bits(x: number): number {
  buf.setFloat64(0, x);
  const hi = buf.getUint32(0);
  const sign = (hi >>> 16) & 0x8000;
  if (Number.isNaN(x)) return sign | 0x7e00;
  const a = Math.abs(x);
  if (a === Infinity) return sign | 0x7c00;
  if (a === 0) return sign;
  // Scale into the integer significand domain exactly and round half to even.
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e--;
  else if (2 ** (e + 1) <= a) e++;
  if (e < -14) {
    const m = roundHalfEven(a * 2 ** 24); // subnormal: units of 2^-24
    return sign | m; // m may be 0x400, which is exactly the smallest normal
  }
  let m = roundHalfEven((a / 2 ** e) * 1024); // 1024..2048
  if (m === 2048) {
    m = 1024;
    e++;
  }
  if (e > 15) return sign | 0x7c00;
  return sign | ((e + 15) << 10) | (m - 1024);
}

export function f16FromBits(b: number): number {
  const sign = b & 0x8000 ? -1 : 1;
  const e = (b >> 10) & 0x1f;
  const m = b & 0x3ff;
  if (e === 0) return sign * m * 2 ** -24;
  if (e === 31) return m ? NaN : sign * Infinity;
  return sign * (1024 + m) * 2 ** (e - 25);
}

/** Round to bf16 (round-to-nearest-even from the exact double, not via f32, to avoid double rounding). */
export function bf16Bits(x: number): number {
  if (Number.isNaN(x)) return (f32Bits(x) >>> 16) | 0x40;
  const a = Math.abs(x);
  const sign = x < 0 || Object.is(x, -0) ? 0x8000 : 0;
  if (a === 0) return sign;
  if (a === Infinity) return sign | 0x7f80;
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e--;
  else if (2 ** (e + 1) <= a) e++;
  if (e < -126) return sign | roundHalfEven(a * 2 ** 133); // subnormal: units of 2^-133
  let m = roundHalfEven((a / 2 ** e) * 128); // 128..256
  if (m === 256) {
    m = 128;
    e++;
  }
  if (e > 127) return sign | 0x7f80;
  return sign | ((e + 127) << 7) | (m - 128);
}
export function bf16FromBits(b: number): number {
  return f32FromBits((b & 0xffff) << 16);
}

function roundHalfEven(v: number): number {
  const f = Math.floor(v);
  const d = v - f;
  return d > 0.5 || (d === 0.5 && f % 2 === 1) ? f + 1 : f;
}

/** Round a double to the nearest value of the given float type. */
export function roundTo(name: FloatName, x: number): number {
  switch (name) {
    case 'f64':
      return x;
    case 'f32':
      return Math.fround(x);
    case 'f16':
      return f16FromBits(f16Bits(x));
    case 'bf16':
      return bf16FromBits(bf16Bits(x));
  }
}

export function floatBits(name: FloatName, x: number): bigint {
  switch (name) {
    case 'f64':
      return f64Bits(x);
    case 'f32':
      return BigInt(f32Bits(x));
    case 'f16':
      return BigInt(f16Bits(x));
    case 'bf16':
      return BigInt(bf16Bits(x));
  }
}

export function floatFromBits(name: FloatName, b: bigint): number {
  switch (name) {
    case 'f64':
      return f64FromBits(b);
    case 'f32':
      return f32FromBits(Number(b));
    case 'f16':
      return f16FromBits(Number(b));
    case 'bf16':
      return bf16FromBits(Number(b));
  }
}

export const floatWidth = (name: FloatName): number => (name === 'f64' ? 64 : name === 'f32' ? 32 : 16);

// Exact rounding of exact values: one rounding to nearest-even, for fma and wide integer conversions (the cases
// where computing in double and then rounding would round twice).
const fb = new Float64Array(1);
const fbLo = new Uint32Array(fb.buffer);
const fbBits = new BigUint64Array(fb.buffer);

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
  fb[0] = x;
  const bits = fbBits[0]!;
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
  fb[0] = s;
  if ((fbLo[0]! & 1) === 0) {
    const up = err > 0 === s > 0; // nudging away from zero increases the magnitude
    if (up) {
      if (fbLo[0] === 0xffffffff) {
        fbLo[0] = 0;
        fbLo[1]!++;
      } else fbLo[0]!++;
    } else if (fbLo[0] === 0) {
      fbLo[0] = 0xffffffff;
      fbLo[1]!--;
    } else fbLo[0]!--;
  }
  return roundTo(name, fb[0]!);
}
