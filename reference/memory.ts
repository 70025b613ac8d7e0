// The memory model: allocations hold typed elements plus an init bitmap (reads of memory never written are UB)
// and a lazily created taint bitmap (elements whose value depends on a transcendental op). A memref value is a
// descriptor over an allocation, exactly like MLIR's strided descriptor: offset, sizes and strides in elements.
import { bf16Bits, bf16FromBits, f16Bits, f16FromBits } from '../numeric/float.ts';
import { elementBytes } from '../ir/inputs.ts';
import type { Type } from '../ir/types.ts';
import { printType } from '../ir/types.ts';
import type { ElemKind, Scalar } from './values.ts';
import { elemKind, sextN, uN } from './values.ts';
import { ub, unsupported } from './ub.ts';

export type Storage = Float32Array | Float64Array | Int8Array | Int16Array | Int32Array | BigInt64Array | bigint[];
export type Origin = 'arg' | 'alloc' | 'alloca' | 'global';

export class Allocation {
  freed = false;
  /** null: every element is initialised. */
  init: Uint8Array | null;
  /** null: no element is tainted. */
  taint: Uint8Array | null = null;
  constructor(
    readonly elem: Type,
    readonly ek: ElemKind,
    readonly data: Storage,
    readonly length: number,
    readonly origin: Origin,
    initialised: boolean,
    readonly constant = false,
    readonly name = '',
  ) {
    this.init = initialised ? null : new Uint8Array(length);
  }
  taintAt(lin: number): void {
    (this.taint ??= new Uint8Array(this.length))[lin] = 1;
  }
  taintAll(): void {
    (this.taint ??= new Uint8Array(this.length)).fill(1);
  }
}

export class MemRef {
  /** A field, not a getter: read on hot paths. */
  readonly rank: number;
  constructor(
    readonly buf: Allocation,
    readonly offset: number,
    readonly sizes: readonly number[],
    readonly strides: readonly number[],
  ) {
    this.rank = sizes.length;
  }
}

export function storageFor(ek: ElemKind, n: number): Storage {
  switch (ek.k) {
    case 'n':
      return ek.w <= 8 ? new Int8Array(n) : ek.w <= 16 ? new Int16Array(n) : new Int32Array(n);
    case 'x':
      return new Float64Array(n);
    case 'b':
      return ek.w <= 64 ? new BigInt64Array(n) : new Array<bigint>(n).fill(0n);
    case 'f':
      return ek.name === 'f64' ? new Float64Array(n) : new Float32Array(n);
  }
}

/** Most elements one buffer or vector may hold in the interpreter; past it a run is unsupported, not a crash. */
export const MAX_ELEMENTS = 1 << 24;

export function allocate(elem: Type, n: number, origin: Origin, initialised: boolean, constant = false, name = ''): Allocation {
  if (n > MAX_ELEMENTS) unsupported('memref', `a buffer of ${n} elements is over the interpreter's limit of ${MAX_ELEMENTS}`);
  if (elem.kind !== 'int' && elem.kind !== 'index' && elem.kind !== 'float') unsupported('memref', `memref element type ${printType(elem)}`);
  const ek = elemKind(elem);
  return new Allocation(elem, ek, storageFor(ek, n), n, origin, initialised, constant, name);
}


/** Storage whose bytes are exactly the ABI encoding (full-width ints, f32, f64). */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
function typedFastPath(ek: ElemKind): boolean {
  return LITTLE_ENDIAN && (ek.k === 'n' && (ek.w === 8 || ek.w === 16 || ek.w === 32)) || (ek.k === 'b' && ek.w === 64) || (ek.k === 'f' && (ek.name === 'f32' || ek.name === 'f64'));
}

/** Decodes ABI bytes (ir/inputs.ts layout: little-endian, elementBytes per element) into an allocation. */
export function allocationFromBytes(elem: Type, bytes: Uint8Array, origin: Origin, name = ''): Allocation {
  const eb = elementBytes(elem);
  const n = Math.floor(bytes.length / eb);
  const a = allocate(elem, n, origin, true, false, name);
  const ek = a.ek;
  const d = a.data;
  if (typedFastPath(ek)) {
    // Same element layout as the storage: one copy (ABI bytes are little-endian, like the host).
    new Uint8Array((d as Float64Array).buffer, 0, n * eb).set(bytes.subarray(0, n * eb));
    return a;
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let k = 0; k < n; k++) {
    const p = k * eb;
    switch (ek.k) {
      case 'n': {
        const raw = ek.w <= 8 ? dv.getUint8(p) : ek.w <= 16 ? dv.getUint16(p, true) : dv.getUint32(p, true);
        (d as Int32Array)[k] = sextN(ek.w, raw);
        break;
      }
      case 'x':
        (d as Float64Array)[k] = Number(dv.getBigInt64(p, true));
        break;
      case 'b': {
        let v = 0n;
        for (let word = eb / 8 - 1; word >= 0; word--) v = (v << 64n) | dv.getBigUint64(p + word * 8, true);
        (d as bigint[])[k] = BigInt.asIntN(ek.w, v);
        break;
      }
      case 'f':
        (d as Float64Array)[k] =
          ek.name === 'f64'
            ? dv.getFloat64(p, true)
            : ek.name === 'f32'
              ? dv.getFloat32(p, true)
              : ek.name === 'f16'
                ? f16FromBits(dv.getUint16(p, true))
                : bf16FromBits(dv.getUint16(p, true));
        break;
    }
  }
  return a;
}

/** Encodes an allocation in the ABI layout. Odd-width integers are zero-extended, as fillBuffer writes them. */
export function allocationToBytes(a: Allocation): Uint8Array {
  const eb = elementBytes(a.elem);
  const out = new Uint8Array(a.length * eb);
  if (typedFastPath(a.ek)) {
    out.set(new Uint8Array((a.data as Float64Array).buffer, 0, a.length * eb));
    return out;
  }
  const dv = new DataView(out.buffer);
  const ek = a.ek;
  const d = a.data;
  for (let k = 0; k < a.length; k++) {
    const p = k * eb;
    const v = d[k]!;
    switch (ek.k) {
      case 'n': {
        const u = uN(ek.w, v as number);
        if (ek.w <= 8) dv.setUint8(p, u);
        else if (ek.w <= 16) dv.setUint16(p, u, true);
        else dv.setUint32(p, u, true);
        break;
      }
      case 'x':
        dv.setBigInt64(p, BigInt(v as number), true);
        break;
      case 'b': {
        let u = BigInt.asUintN(ek.w, v as bigint);
        for (let word = 0; word < eb / 8; word++) {
          dv.setBigUint64(p + word * 8, BigInt.asUintN(64, u), true);
          u >>= 64n;
        }
        break;
      }
      case 'f':
        if (ek.name === 'f64') dv.setFloat64(p, v as number, true);
        else if (ek.name === 'f32') dv.setFloat32(p, v as number, true);
        else dv.setUint16(p, ek.name === 'f16' ? f16Bits(v as number) : bf16Bits(v as number), true);
        break;
    }
  }
  return out;
}

function deadOrOob(m: MemRef, lin: number, what: string): never {
  if (m.buf.freed) ub('use-after-free', `${what} through a deallocated memref`);
  ub('out-of-bounds', `${what} at linear element ${lin} outside its allocation of ${m.buf.length}`);
}

/** Linear element position of `idx` in m, checking every index against its dimension and the allocation. */
export function linearIndex(m: MemRef, idx: readonly number[], what: string): number {
  let lin = m.offset;
  const sizes = m.sizes;
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k]!;
    if (!(i >= 0 && i < sizes[k]!)) {
      if (m.buf.freed) ub('use-after-free', `${what} through a deallocated memref`);
      ub('out-of-bounds', `${what} index ${i} out of bounds for dimension ${k} of size ${sizes[k]}`);
    }
    lin += i * m.strides[k]!;
  }
  if (!(lin >= 0 && lin < m.buf.length) || m.buf.freed) deadOrOob(m, lin, what);
  return lin;
}

/** Reads one element; UB when it was never written. */
export function readAt(m: MemRef, lin: number): Scalar {
  const b = m.buf;
  if (b.init !== null && b.init[lin] === 0) ub('uninit-read', `read of uninitialised memory (element ${lin} of a ${b.origin} buffer)`);
  return b.data[lin]!;
}

export function writeAt(m: MemRef, lin: number, v: Scalar): void {
  const b = m.buf;
  if (b.constant) ub('write-to-constant', `write to constant global @${b.name}`);
  (b.data as Float64Array)[lin] = v as number;
  if (b.init !== null) b.init[lin] = 1;
}

/** Every linear position a memref view covers, in row-major order of its indices. */
export function forEachElement(m: MemRef, f: (lin: number, k: number) => void): void {
  const rank = m.rank;
  const sizes = m.sizes;
  for (const s of sizes) if (s === 0) return;
  const idx = new Array<number>(rank).fill(0);
  let lin = m.offset;
  let k = 0;
  for (;;) {
    f(lin, k++);
    let d = rank - 1;
    while (d >= 0) {
      idx[d]!++;
      lin += m.strides[d]!;
      if (idx[d]! < sizes[d]!) break;
      lin -= m.strides[d]! * sizes[d]!;
      idx[d] = 0;
      d--;
    }
    if (d < 0) return;
  }
}

/** Checks that every element of a view lies inside its live allocation (views may be built out of range). */
export function checkViewInBounds(m: MemRef, what: string): void {
  if (m.buf.freed) ub('use-after-free', `${what} through a deallocated memref`);
  let lo = m.offset;
  let hi = m.offset;
  for (let k = 0; k < m.rank; k++) {
    if (m.sizes[k] === 0) return;
    const span = (m.sizes[k]! - 1) * m.strides[k]!;
    if (span < 0) lo += span;
    else hi += span;
  }
  if (lo < 0 || hi >= m.buf.length) ub('out-of-bounds', `${what}: view spans elements [${lo}, ${hi}] of an allocation of ${m.buf.length}`);
}
