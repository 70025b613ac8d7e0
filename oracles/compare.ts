// Compares two executions of one program (DESIGN §5): integers bit for bit (masked to their width, since LLVM
// leaves the padding bits of odd widths unspecified), IEEE-exact floats bit for bit with NaN matched by NaN-ness
// only, and values tainted by transcendental math within a ULP / relative tolerance.
import { floatFromBits } from '../numeric/float.ts';
import { elementBytes } from '../ir/inputs.ts';
import { latin1, normaliseStdoutText } from './normalise.ts';
import type { FloatName, MemRefType, Type } from '../ir/types.ts';
import { numElements, printType } from '../ir/types.ts';

export type Tolerance = {
  /** Max distance in units in the last place for tainted values. */
  readonly ulps: number;
  /** Or max relative difference, |a - b| <= rel * max(1, |a|, |b|). */
  readonly rel: Readonly<Record<FloatName, number>>;
};

/** libm implementations differ by a few ulps per call, and differences grow through later arithmetic. */
export const DEFAULT_TOLERANCE: Tolerance = { ulps: 16, rel: { f16: 4e-3, bf16: 3e-2, f32: 1e-5, f64: 1e-12 } };

/**
 * The tolerance for a program that computes in the float types `computed`: a tainted value may have gone through
 * any of them on its way to memory (an f32 exp extended to f64 is only as close as f32 is), so every type gets the
 * relative tolerance of the loosest one. Before, such a value was held to f64's 1e-12 and one ulp of f32 was a
 * miscompile (test-math-polynomial-approximation, in a 30-minute campaign).
 */
export function toleranceFor(computed: Iterable<FloatName>, base: Tolerance = DEFAULT_TOLERANCE): Tolerance {
  let loosest = 0;
  for (const name of computed) loosest = Math.max(loosest, base.rel[name]);
  const rel = { ...base.rel };
  for (const name of Object.keys(rel) as FloatName[]) rel[name] = Math.max(rel[name], loosest);
  return { ulps: base.ulps, rel };
}

export type Side = { readonly buffers: readonly Uint8Array[]; readonly stdout: Uint8Array; readonly indexBytes: number };

export type Difference =
  | { readonly kind: 'buffer'; readonly buffer: number; readonly index: number; readonly dtype: string; readonly values: readonly [string, string]; readonly tainted: boolean }
  | { readonly kind: 'stdout'; readonly offset: number; readonly values: readonly [string, string] }
  | { readonly kind: 'shape'; readonly message: string };

/** The first difference between two executions, or undefined when they agree. */
export function firstDifference(args: readonly MemRefType[], a: Side, b: Side, taint: readonly (Uint8Array | null)[] = [], tol: Tolerance = DEFAULT_TOLERANCE): Difference | undefined {
  if (a.buffers.length !== args.length || b.buffers.length !== args.length) {
    return { kind: 'shape', message: `expected ${args.length} buffers, got ${a.buffers.length} and ${b.buffers.length}` };
  }
  for (let k = 0; k < args.length; k++) {
    const d = compareBuffer(args[k]!, k, a, b, taint[k] ?? null, tol);
    if (d) return d;
  }
  // Bytes as latin1 text, one char per byte, after the normalisers (NaN signs, memref addresses).
  const sa = normaliseStdoutText(latin1(a.stdout));
  const sb = normaliseStdoutText(latin1(b.stdout));
  if (sa !== sb) {
    let i = 0;
    while (i < sa.length && sa[i] === sb[i]) i++;
    const line = (s: string) => Buffer.from(s.slice(s.lastIndexOf('\n', i - 1) + 1, (s.indexOf('\n', i) + 1 || s.length + 1) - 1), 'latin1').toString('utf8');
    return { kind: 'stdout', offset: i, values: [line(sa), line(sb)] };
  }
  return undefined;
}

function compareBuffer(t: MemRefType, k: number, a: Side, b: Side, taint: Uint8Array | null, tol: Tolerance): Difference | undefined {
  const n = numElements(t.shape);
  const ea = elementBytes(t.elem, a.indexBytes);
  const eb = elementBytes(t.elem, b.indexBytes);
  const ba = a.buffers[k]!;
  const bb = b.buffers[k]!;
  if (ba.length !== n * ea || bb.length !== n * eb) return { kind: 'shape', message: `buffer ${k} (${printType(t)}): ${ba.length} vs ${bb.length} bytes` };
  const width = bitsOf(t.elem, Math.min(ea, eb));
  for (let i = 0; i < n; i++) {
    const x = readBits(ba, i * ea, ea, width);
    const y = readBits(bb, i * eb, eb, width);
    if (x === y) continue;
    const tainted = taint !== null && taint[i] === 1;
    if (t.elem.kind === 'float' && floatsAgree(t.elem.name, x, y, tainted, tol)) continue;
    return { kind: 'buffer', buffer: k, index: i, dtype: printType(t.elem), values: [show(t.elem, x), show(t.elem, y)], tainted };
  }
  return undefined;
}

function bitsOf(t: Type, bytes: number): number {
  // An index compared across targets is compared at the narrower width; values outside int32 are UB anyway.
  return t.kind === 'int' ? t.width : t.kind === 'index' ? bytes * 8 : t.kind === 'float' ? (t.name === 'f64' ? 64 : t.name === 'f32' ? 32 : 16) : 0;
}

function readBits(buf: Uint8Array, off: number, bytes: number, width: number): bigint {
  let v = 0n;
  for (let j = Math.min(bytes, Math.ceil(width / 8)) - 1; j >= 0; j--) v = (v << 8n) | BigInt(buf[off + j]!);
  return BigInt.asUintN(width, v);
}

function floatsAgree(name: 'f16' | 'bf16' | 'f32' | 'f64', x: bigint, y: bigint, tainted: boolean, tol: Tolerance): boolean {
  const fx = floatFromBits(name, x);
  const fy = floatFromBits(name, y);
  if (Number.isNaN(fx) || Number.isNaN(fy)) return Number.isNaN(fx) && Number.isNaN(fy);
  if (!tainted) return false;
  if (fx === fy) return true; // +0 and -0 after inexact math
  if (ulpDistance(name, x, y) <= BigInt(tol.ulps)) return true;
  return Number.isFinite(fx) && Number.isFinite(fy) && Math.abs(fx - fy) <= tol.rel[name] * Math.max(1, Math.abs(fx), Math.abs(fy));
}

/** Distance between two non-NaN floats in representable steps (sign-magnitude mapped to a line). */
export function ulpDistance(name: 'f16' | 'bf16' | 'f32' | 'f64', x: bigint, y: bigint): bigint {
  const w = name === 'f64' ? 64n : name === 'f32' ? 32n : 16n;
  const sign = 1n << (w - 1n);
  const line = (v: bigint) => (v & sign ? -(v & (sign - 1n)) : v);
  const d = line(x) - line(y);
  return d < 0n ? -d : d;
}

/** Every element of a buffer as the comparison reads it (for `run --dump`). */
export function elementValues(t: MemRefType, bytes: Uint8Array, indexBits: 32 | 64): string[] {
  const eb = elementBytes(t.elem, indexBits / 8);
  const width = bitsOf(t.elem, eb);
  const out: string[] = [];
  for (let off = 0; off + eb <= bytes.length; off += eb) out.push(show(t.elem, readBits(bytes, off, eb, width), width));
  return out;
}

function show(t: Type, bits: bigint, width = 64): string {
  if (t.kind === 'float') {
    const v = floatFromBits(t.name, bits);
    return `${Object.is(v, -0) ? '-0' : String(v)} (0x${bits.toString(16)})`;
  }
  if (t.kind === 'int' && t.width === 1) return bits.toString(); // i1 reads as 0/1, as MLIR prints it
  const w = t.kind === 'int' ? t.width : width;
  return BigInt.asIntN(w, bits).toString();
}
