// Shared by the backend tests: typed values ⇄ argument-buffer bytes, fixture loading, skip-if-no-toolchain.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { elementBytes } from '../../../ir/inputs.ts';
import { floatBits, floatFromBits } from '../../../numeric/float.ts';
import type { MemRefType } from '../../../ir/types.ts';
import { numElements } from '../../../ir/types.ts';
import { entryArgTypes } from '../../../targets/mlir/entry-signature.ts';
import type { Program } from '../../../targets/mlir/backend.ts';
import { findToolchain, ToolchainMissing } from '../../../targets/mlir/toolchain.ts';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const FIXTURES = join(ROOT, 'fixtures', 'backends');

/** Undefined when the LLVM/MLIR 22 tools are installed, else the reason tests skip with. */
export function toolchainSkip(): string | undefined {
  try {
    findToolchain();
    return undefined;
  } catch (e) {
    if (e instanceof ToolchainMissing) return e.message.split('\n')[0];
    throw e;
  }
}

export function loadProgram(name: string): Program {
  const text = readFileSync(join(FIXTURES, 'programs', name), 'utf8');
  const args = entryArgTypes(text);
  if (!args) throw new Error(`cannot read @main's arguments in ${name}`);
  return { text, args };
}

/** Element values → buffer bytes in the input ABI: ints wrap to their width, floats round to their format. */
export function encode(t: MemRefType, values: readonly (number | bigint)[], indexBytes: number): Uint8Array {
  const n = numElements(t.shape);
  if (values.length !== n) throw new Error(`expected ${n} values, got ${values.length}`);
  const eb = elementBytes(t.elem, indexBytes);
  const out = new Uint8Array(n * eb);
  values.forEach((v, k) => {
    const e = t.elem;
    let bits: bigint;
    if (e.kind === 'float') bits = floatBits(e.name, Number(v));
    else {
      const w = e.kind === 'int' ? e.width : indexBytes * 8;
      bits = BigInt.asUintN(w, BigInt(v));
    }
    for (let b = 0; b < eb; b++) out[k * eb + b] = Number((bits >> BigInt(8 * b)) & 0xffn);
  });
  return out;
}

/** Buffer bytes → element values: integers sign-extended from their width (bigint; i1 reads 0/1), floats as numbers. */
export function decode(t: MemRefType, bytes: Uint8Array, indexBytes: number): (number | bigint)[] {
  const eb = elementBytes(t.elem, indexBytes);
  const out: (number | bigint)[] = [];
  for (let off = 0; off < bytes.length; off += eb) {
    let bits = 0n;
    for (let b = eb - 1; b >= 0; b--) bits = (bits << 8n) | BigInt(bytes[off + b]!);
    const e = t.elem;
    if (e.kind === 'float') out.push(floatFromBits(e.name, bits));
    else if (e.kind === 'int' && e.width === 1) out.push(bits & 1n);
    else out.push(BigInt.asIntN(e.kind === 'int' ? e.width : indexBytes * 8, bits));
  }
  return out;
}

/** Distance in units in the last place between two floats of the given format (0 when bit-identical). */
export function ulpDistance(a: number, b: number, single: boolean): number {
  if (Object.is(a, b)) return 0;
  if (Number.isNaN(a) || Number.isNaN(b)) return Infinity;
  const dv = new DataView(new ArrayBuffer(8));
  const ord = (x: number): number => {
    if (single) {
      dv.setFloat32(0, x);
      const u = dv.getInt32(0);
      return u < 0 ? -(u & 0x7fffffff) : u;
    }
    dv.setFloat64(0, x);
    const u = dv.getBigInt64(0);
    return Number(u < 0n ? -(u & 0x7fffffffffffffffn) : u);
  };
  return Math.abs(ord(a) - ord(b));
}
