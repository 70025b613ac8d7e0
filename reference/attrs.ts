// Reading op attributes at compile time. Missing or malformed attributes are 'unsupported', not crashes:
// the verifier owns validity, the interpreter only refuses what it cannot give a meaning to.
import type { Attr, DenseAttr } from '../ir/attributes.ts';
import type { Operation } from '../ir/core.ts';
import { floatFromBits } from '../numeric/float.ts';
import type { Type } from '../ir/types.ts';
import { numElements } from '../ir/types.ts';
import { intFromBig } from './int-semantics.ts';
import type { IntFlags } from './int-semantics.ts';
import { unsupported } from './ub.ts';
import type { Scalar } from './values.ts';
import { elemKind } from './values.ts';

export function prop(op: Operation, name: string): Attr | undefined {
  return op.props[name] ?? op.attrs[name];
}

export function intProp(op: Operation, name: string, dflt?: number): number {
  const a = prop(op, name);
  if (a === undefined) {
    if (dflt !== undefined) return dflt;
    unsupported(op, `missing integer attribute ${name}`);
  }
  if (a.kind !== 'int') unsupported(op, `attribute ${name} is not an integer`);
  return Number(a.value);
}

export function hasUnit(op: Operation, name: string): boolean {
  const a = prop(op, name);
  return a !== undefined && (a.kind === 'unit' || (a.kind === 'int' && a.value !== 0n));
}

/** Elements of a dense i64/i32 array attribute (static positions, sizes, segment sizes). */
export function denseInts(op: Operation, name: string): number[] | undefined {
  const a = prop(op, name);
  if (a === undefined) return undefined;
  if (a.kind === 'dense_array') return a.values.map(Number);
  if (a.kind === 'array') return a.elems.map((e) => (e.kind === 'int' ? Number(e.value) : NaN));
  if (a.kind === 'dense') return denseElements(a, numElements(a.type.shape)).map(Number);
  unsupported(op, `attribute ${name} is not an integer array`);
}

export function boolArray(op: Operation, name: string): boolean[] | undefined {
  const a = prop(op, name);
  if (a === undefined) return undefined;
  if (a.kind === 'array') return a.elems.map((e) => e.kind === 'int' && e.value !== 0n);
  if (a.kind === 'dense_array') return a.values.map((v) => v !== 0n);
  unsupported(op, `attribute ${name} is not a boolean array`);
}

/** The mnemonic list of a dialect attribute body, e.g. `#arith.overflow<nsw, nuw>` -> ['nsw', 'nuw']. */
const wordsCache = new WeakMap<Attr, string[]>();

export function dialectWords(op: Operation, name: string): string[] {
  const a = prop(op, name);
  if (a === undefined) return [];
  if (a.kind === 'dialect') {
    let w = wordsCache.get(a);
    if (!w) {
      w = a.body.split(/[\s,]+/).filter((x) => x !== '' && x !== 'none');
      wordsCache.set(a, w);
    }
    return w;
  }
  if (a.kind === 'string') return [a.value];
  unsupported(op, `attribute ${name} is not a dialect attribute`);
}

export function overflowFlags(op: Operation): IntFlags {
  const w = dialectWords(op, 'overflowFlags');
  return { nsw: w.includes('nsw'), nuw: w.includes('nuw'), exact: hasUnit(op, 'isExact') };
}

/** Decodes one element of an int/float attribute's stored value for an element type. */
export function scalarFromAttrValue(elem: Type, v: bigint): Scalar {
  if (elem.kind === 'float') return floatFromBits(elem.name, BigInt.asUintN(elem.name === 'f64' ? 64 : elem.name === 'f32' ? 32 : 16, v));
  return intFromBig(elemKind(elem), v);
}

/** All elements of a dense attribute, splats expanded to n. */
export function denseElements(a: DenseAttr, n: number): Scalar[] {
  const elem = a.type.elem;
  if (a.splat || a.values.length === 1) {
    const v = scalarFromAttrValue(elem, a.values[0] ?? 0n);
    return new Array<Scalar>(n).fill(v);
  }
  return a.values.map((v) => scalarFromAttrValue(elem, v));
}
