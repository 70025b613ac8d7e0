// Exact conversions between JS numbers and the bit patterns of f16, bf16, f32 and f64.
import type { FloatName } from './types.ts';

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
