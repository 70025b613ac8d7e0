// MLIR attributes used by tcfuzz, and their printing in MLIR syntax.
import type { AffineMap, IntegerSet } from './affine.ts';
import { printAffineMap, printIntegerSet } from './affine.ts';
import { floatBits, floatFromBits, floatWidth } from '../numeric/float.ts';
import type { FloatType, TensorType, Type, VectorType } from './types.ts';
import { DYNAMIC, i1, printType } from './types.ts';

/** Integer attributes hold the signed value of their bit pattern, as MLIR prints it. */
export type IntAttr = { readonly kind: 'int'; readonly type: Type; readonly value: bigint };
/** Float attributes hold the exact bit pattern, so -0.0 and NaN payloads survive. */
export type FloatAttr = { readonly kind: 'float'; readonly type: FloatType; readonly bits: bigint };
export type StringAttr = { readonly kind: 'string'; readonly value: string };
export type UnitAttr = { readonly kind: 'unit' };
export type TypeAttr = { readonly kind: 'type'; readonly type: Type };
export type ArrayAttr = { readonly kind: 'array'; readonly elems: readonly Attr[] };
/** `array<i32: 1, 2>`: integer elements only (what operandSegmentSizes and friends use). */
export type DenseArrayAttr = { readonly kind: 'dense_array'; readonly elem: Type; readonly values: readonly bigint[] };
export type DictAttr = { readonly kind: 'dict'; readonly entries: Readonly<Record<string, Attr>> };
/** Elements are signed integer values, or float bit patterns; a splat has one element. */
export type DenseAttr = {
  readonly kind: 'dense';
  readonly type: TensorType | VectorType;
  readonly values: readonly bigint[];
  readonly splat: boolean;
};
export type AffineMapAttr = { readonly kind: 'affine_map'; readonly map: AffineMap };
export type IntegerSetAttr = { readonly kind: 'integer_set'; readonly set: IntegerSet };
export type SymbolRefAttr = { readonly kind: 'symbol'; readonly path: readonly string[] };
/** A dynamic stride or offset is DYNAMIC (printed `?`). */
export type StridedAttr = { readonly kind: 'strided'; readonly strides: readonly number[]; readonly offset: number };
/** Dialect attributes such as `#arith.overflow<nsw>`, kept as text: the op spec gives them meaning. */
export type DialectAttr = { readonly kind: 'dialect'; readonly dialect: string; readonly mnemonic: string; readonly body: string };

export type Attr =
  | IntAttr
  | FloatAttr
  | StringAttr
  | UnitAttr
  | TypeAttr
  | ArrayAttr
  | DenseArrayAttr
  | DictAttr
  | DenseAttr
  | AffineMapAttr
  | IntegerSetAttr
  | SymbolRefAttr
  | StridedAttr
  | DialectAttr;

export function intAttr(value: bigint | number, type: Type): IntAttr {
  const w = type.kind === 'int' ? type.width : 64;
  return { kind: 'int', type, value: BigInt.asIntN(w, BigInt(value)) };
}
export const boolAttr = (b: boolean): IntAttr => intAttr(b ? -1n : 0n, i1);
export function floatAttr(value: number, type: FloatType): FloatAttr {
  return { kind: 'float', type, bits: floatBits(type.name, value) };
}
export const floatAttrBits = (bits: bigint, type: FloatType): FloatAttr => ({ kind: 'float', type, bits });
export const strAttr = (value: string): StringAttr => ({ kind: 'string', value });
export const unit: UnitAttr = { kind: 'unit' };
export const typeAttr = (type: Type): TypeAttr => ({ kind: 'type', type });
export const arrayAttr = (elems: readonly Attr[]): ArrayAttr => ({ kind: 'array', elems: [...elems] });
export const denseArray = (elem: Type, values: readonly (bigint | number)[]): DenseArrayAttr => ({
  kind: 'dense_array',
  elem,
  values: values.map((v) => BigInt(v)),
});
export const dictAttr = (entries: Record<string, Attr>): DictAttr => ({ kind: 'dict', entries });
export const mapAttr = (map: AffineMap): AffineMapAttr => ({ kind: 'affine_map', map });
export const setAttr = (set: IntegerSet): IntegerSetAttr => ({ kind: 'integer_set', set });
export const symbolRef = (...path: string[]): SymbolRefAttr => ({ kind: 'symbol', path });
export const strided = (strides: readonly number[], offset: number): StridedAttr => ({ kind: 'strided', strides: [...strides], offset });
export const dialectAttr = (dialect: string, mnemonic: string, body: string): DialectAttr => ({ kind: 'dialect', dialect, mnemonic, body });
export function denseAttr(type: TensorType | VectorType, values: readonly bigint[]): DenseAttr {
  const splat = values.length > 0 && values.every((v) => v === values[0]);
  return { kind: 'dense', type, values: splat ? [values[0]!] : [...values], splat };
}

/** Float literal MLIR parses back to the same value: shortest round-trip decimal, or hex bits when not finite. */
export function printFloatLiteral(type: FloatType, bits: bigint): string {
  const v = floatFromBits(type.name, bits);
  if (!Number.isFinite(v)) return '0x' + bits.toString(16).toUpperCase().padStart(floatWidth(type.name) / 4, '0');
  if (Object.is(v, -0)) return '-0.0';
  let s = String(v);
  if (!s.includes('.')) s = s.includes('e') ? s.replace('e', '.0e') : s + '.0';
  return s;
}

/** A dense element (and a signless i1 attribute): 1-bit ints of any signedness as true/false, uiN unsigned. */
function printIntLiteral(type: Type, v: bigint): string {
  if (type.kind === 'int' && type.width === 1) return v !== 0n ? 'true' : 'false';
  return printIntValue(type, v);
}
function printIntValue(type: Type, v: bigint): string {
  return type.kind === 'int' && type.signedness === 'unsigned' ? BigInt.asUintN(type.width, v).toString() : v.toString();
}

const BARE_ID = /^[A-Za-z_][A-Za-z0-9_$.]*$/;

export function printString(s: string): string {
  let out = '"';
  for (const ch of Buffer.from(s, 'utf8')) {
    if (ch === 0x22) out += '\\"';
    else if (ch === 0x5c) out += '\\\\';
    else if (ch >= 0x20 && ch < 0x7f) out += String.fromCharCode(ch);
    else out += '\\' + ch.toString(16).toUpperCase().padStart(2, '0');
  }
  return out + '"';
}

export function printSymbolName(name: string): string {
  return '@' + (BARE_ID.test(name) ? name : printString(name));
}

function printDenseElems(a: DenseAttr): string {
  const elem = a.type.elem;
  const lit = (v: bigint): string => (elem.kind === 'float' ? printFloatLiteral(elem, v) : printIntLiteral(elem, v));
  if (a.splat) return lit(a.values[0]!);
  // MLIR rejects `dense<[]>` for a type like tensor<0x3xi32>; `dense<>` fits every empty shape.
  if (a.values.length === 0) return '';
  const shape = a.type.shape;
  if (shape.length === 0) return lit(a.values[0]!);
  let pos = 0;
  const nest = (d: number): string => {
    const parts: string[] = [];
    for (let k = 0; k < shape[d]!; k++) parts.push(d === shape.length - 1 ? lit(a.values[pos++]!) : nest(d + 1));
    return `[${parts.join(', ')}]`;
  };
  return nest(0);
}

export function printDictEntries(entries: Readonly<Record<string, Attr>>): string {
  return Object.keys(entries)
    .sort()
    .map((k) => {
      const v = entries[k]!;
      const key = BARE_ID.test(k) ? k : printString(k);
      return v.kind === 'unit' ? key : `${key} = ${printAttr(v)}`;
    })
    .join(', ');
}

export function printAttr(a: Attr): string {
  switch (a.kind) {
    case 'int':
      if (a.type.kind === 'int' && a.type.width === 1 && !a.type.signedness) return printIntLiteral(a.type, a.value);
      return `${printIntValue(a.type, a.value)} : ${printType(a.type)}`;
    case 'float':
      return `${printFloatLiteral(a.type, a.bits)} : ${printType(a.type)}`;
    case 'string':
      return printString(a.value);
    case 'unit':
      return 'unit';
    case 'type':
      return printType(a.type);
    case 'array':
      return `[${a.elems.map(printAttr).join(', ')}]`;
    case 'dense_array': {
      const t = printType(a.elem);
      return a.values.length === 0 ? `array<${t}>` : `array<${t}: ${a.values.map((v) => printIntLiteral(a.elem, v)).join(', ')}>`;
    }
    case 'dict':
      return `{${printDictEntries(a.entries)}}`;
    case 'dense':
      return `dense<${printDenseElems(a)}> : ${printType(a.type)}`;
    case 'affine_map':
      return printAffineMap(a.map);
    case 'integer_set':
      return printIntegerSet(a.set);
    case 'symbol':
      return a.path.map(printSymbolName).join('::');
    case 'strided': {
      const d = (x: number): string => (x === DYNAMIC ? '?' : String(x));
      const strides = `[${a.strides.map(d).join(', ')}]`;
      return a.offset === 0 ? `strided<${strides}>` : `strided<${strides}, offset: ${d(a.offset)}>`;
    }
    case 'dialect':
      return `#${a.dialect}${a.mnemonic ? '.' + a.mnemonic : ''}<${a.body}>`;
  }
}
