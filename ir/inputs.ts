// The test-case ABI (DESIGN §3): how @main's argument buffers are filled from an input seed.
// Every backend receives these exact bytes, and every argument buffer is an output afterwards.
import { floatBits } from '../numeric/float.ts';
import type { MemRefType, Type } from './types.ts';
import { numElements, printType } from './types.ts';

/** Bytes one element occupies in memory (LLVM store size). `index` depends on the target. */
export function elementBytes(t: Type, indexBytes = 8): number {
  switch (t.kind) {
    case 'int':
      return t.width <= 8 ? 1 : t.width <= 16 ? 2 : t.width <= 32 ? 4 : t.width <= 64 ? 8 : Math.ceil(t.width / 64) * 8;
    case 'index':
      return indexBytes;
    case 'float':
      return t.name === 'f64' ? 8 : t.name === 'f32' ? 4 : 2;
    default:
      throw new Error(`no memory layout for element type ${printType(t)}`);
  }
}

/** SplitMix64: tiny, fast, and identical wherever it is reimplemented. */
export class SplitMix64 {
  private s: bigint;
  constructor(seed: bigint | number) {
    this.s = BigInt.asUintN(64, BigInt(seed));
  }
  next(): bigint {
    this.s = BigInt.asUintN(64, this.s + 0x9e3779b97f4a7c15n);
    let z = this.s;
    z = BigInt.asUintN(64, (z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n);
    z = BigInt.asUintN(64, (z ^ (z >> 27n)) * 0x94d049bb133111ebn);
    return z ^ (z >> 31n);
  }
  /** Uniform integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Number(this.next() % BigInt(hi - lo + 1));
  }
}

/**
 * Element values are small, NNSmith-style: integers in [-9, 9] (wrapped to the width, zero-extended in memory
 * because LLVM leaves the padding bits of odd widths unspecified), floats k/8 in [-4, 4] (exact in every format).
 */
export function fillBuffer(t: MemRefType, inputSeed: number, argIndex: number, indexBytes = 8): Uint8Array {
  const n = numElements(t.shape);
  const eb = elementBytes(t.elem, indexBytes);
  const out = new Uint8Array(n * eb);
  const rng = new SplitMix64((BigInt(inputSeed) << 16n) ^ BigInt(argIndex + 1) * 0x51ed2701n);
  for (let k = 0; k < n; k++) {
    let bits: bigint;
    const e = t.elem;
    if (e.kind === 'float') bits = floatBits(e.name, rng.int(-32, 32) / 8);
    else {
      const w = e.kind === 'int' ? e.width : indexBytes * 8;
      bits = BigInt.asUintN(w, BigInt(rng.int(-9, 9)));
    }
    for (let b = 0; b < eb; b++) out[k * eb + b] = Number((bits >> BigInt(8 * b)) & 0xffn);
  }
  return out;
}
