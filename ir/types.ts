// MLIR builtin types used by tcfuzz. Types are plain immutable objects; equality is by printed form.
import type { Attr } from './attributes.ts';
import { printAttr } from './attributes.ts';

export type FloatName = 'f16' | 'bf16' | 'f32' | 'f64';

/** `iN` is signless; `siN`/`uiN` carry a signedness (only some ops take them: vector.bitcast, vector.print, memrefs). */
export type IntType = { readonly kind: 'int'; readonly width: number; readonly signedness?: 'signed' | 'unsigned' };
export type IndexType = { readonly kind: 'index' };
export type FloatType = { readonly kind: 'float'; readonly name: FloatName };
export type NoneType = { readonly kind: 'none' };
/** A dynamic dimension is -1 (printed `?`). */
export type MemRefType = {
  readonly kind: 'memref';
  readonly shape: readonly number[];
  readonly elem: Type;
  /** `strided<...>` or `affine_map<...>`; absent means the identity layout. */
  readonly layout?: Attr;
  readonly memorySpace?: Attr;
};
export type UnrankedMemRefType = { readonly kind: 'umemref'; readonly elem: Type; readonly memorySpace?: Attr };
export type VectorType = {
  readonly kind: 'vector';
  readonly shape: readonly number[];
  readonly scalable?: readonly boolean[];
  readonly elem: Type;
};
/** Only used as the type of dense element attributes (memref.global initial values). */
export type TensorType = { readonly kind: 'tensor'; readonly shape: readonly number[]; readonly elem: Type };
export type FunctionType = { readonly kind: 'function'; readonly inputs: readonly Type[]; readonly results: readonly Type[] };

export type Type =
  | IntType
  | IndexType
  | FloatType
  | NoneType
  | MemRefType
  | UnrankedMemRefType
  | VectorType
  | TensorType
  | FunctionType;

export type ScalarType = IntType | IndexType | FloatType;
export type ShapedType = MemRefType | VectorType | TensorType;

export const DYNAMIC = -1;

const intCache = new Map<number, IntType>();
export function i(width: number): IntType {
  let t = intCache.get(width);
  if (!t) {
    if (!Number.isInteger(width) || width < 1 || width > 1 << 16) throw new Error(`invalid integer width ${width}`);
    t = { kind: 'int', width };
    intCache.set(width, t);
  }
  return t;
}
const signedCache = new Map<string, IntType>();
/** `siN` (signed) or `uiN` (unsigned). */
export function signedInt(width: number, signedness: 'signed' | 'unsigned'): IntType {
  const key = `${signedness}${width}`;
  let t = signedCache.get(key);
  if (!t) {
    if (!Number.isInteger(width) || width < 1 || width > 1 << 16) throw new Error(`invalid integer width ${width}`);
    t = { kind: 'int', width, signedness };
    signedCache.set(key, t);
  }
  return t;
}
/** Signless: what arith and most ops take. */
export const isSignless = (t: Type): boolean => t.kind === 'int' && t.signedness === undefined;
export const i1 = i(1);
export const i8 = i(8);
export const i16 = i(16);
export const i32 = i(32);
export const i64 = i(64);
export const index: IndexType = { kind: 'index' };
export const f16: FloatType = { kind: 'float', name: 'f16' };
export const bf16: FloatType = { kind: 'float', name: 'bf16' };
export const f32: FloatType = { kind: 'float', name: 'f32' };
export const f64: FloatType = { kind: 'float', name: 'f64' };
export const none: NoneType = { kind: 'none' };
export const floatTypes: Record<FloatName, FloatType> = { f16, bf16, f32, f64 };

export function memref(shape: readonly number[], elem: Type, layout?: Attr, memorySpace?: Attr): MemRefType {
  const t: { -readonly [K in keyof MemRefType]: MemRefType[K] } = { kind: 'memref', shape: [...shape], elem };
  if (layout) t.layout = layout;
  if (memorySpace) t.memorySpace = memorySpace;
  return t;
}
export function umemref(elem: Type, memorySpace?: Attr): UnrankedMemRefType {
  return memorySpace ? { kind: 'umemref', elem, memorySpace } : { kind: 'umemref', elem };
}
export function vector(shape: readonly number[], elem: Type, scalable?: readonly boolean[]): VectorType {
  return scalable && scalable.some((s) => s)
    ? { kind: 'vector', shape: [...shape], elem, scalable: [...scalable] }
    : { kind: 'vector', shape: [...shape], elem };
}
export function tensor(shape: readonly number[], elem: Type): TensorType {
  return { kind: 'tensor', shape: [...shape], elem };
}
export function fn(inputs: readonly Type[], results: readonly Type[]): FunctionType {
  return { kind: 'function', inputs: [...inputs], results: [...results] };
}

const printed = new WeakMap<Type, string>();

export function printType(t: Type): string {
  let s = printed.get(t);
  if (s === undefined) {
    s = printTypeUncached(t);
    printed.set(t, s);
  }
  return s;
}

function dims(shape: readonly number[], scalable?: readonly boolean[]): string {
  return shape
    .map((d, k) => {
      const txt = d === DYNAMIC ? '?' : String(d);
      return scalable?.[k] ? `[${txt}]` : txt;
    })
    .map((d) => d + 'x')
    .join('');
}

function printTypeUncached(t: Type): string {
  switch (t.kind) {
    case 'int':
      return `${t.signedness === 'signed' ? 's' : t.signedness === 'unsigned' ? 'u' : ''}i${t.width}`;
    case 'index':
      return 'index';
    case 'float':
      return t.name;
    case 'none':
      return 'none';
    case 'memref': {
      let s = `memref<${dims(t.shape)}${printType(t.elem)}`;
      if (t.layout) s += `, ${printAttr(t.layout)}`;
      if (t.memorySpace) s += `, ${printAttr(t.memorySpace)}`;
      return s + '>';
    }
    case 'umemref':
      return `memref<*x${printType(t.elem)}${t.memorySpace ? ', ' + printAttr(t.memorySpace) : ''}>`;
    case 'vector':
      return `vector<${dims(t.shape, t.scalable)}${printType(t.elem)}>`;
    case 'tensor':
      return `tensor<${dims(t.shape)}${printType(t.elem)}>`;
    case 'function': {
      const ins = `(${t.inputs.map(printType).join(', ')})`;
      const r = t.results;
      const outs = r.length === 1 && r[0]!.kind !== 'function' ? printType(r[0]!) : `(${r.map(printType).join(', ')})`;
      return `${ins} -> ${outs}`;
    }
  }
}

export function typeEq(a: Type, b: Type): boolean {
  return a === b || printType(a) === printType(b);
}

export const isInt = (t: Type): t is IntType => t.kind === 'int';
export const isIndex = (t: Type): t is IndexType => t.kind === 'index';
export const isFloat = (t: Type): t is FloatType => t.kind === 'float';
export const isIntOrIndex = (t: Type): t is IntType | IndexType => t.kind === 'int' || t.kind === 'index';
export const isScalar = (t: Type): t is ScalarType => t.kind === 'int' || t.kind === 'index' || t.kind === 'float';
export const isVector = (t: Type): t is VectorType => t.kind === 'vector';

/** The element type of a vector, or the type itself: arith ops work elementwise on both. */
export function elementOf(t: Type): Type {
  return t.kind === 'vector' || t.kind === 'memref' || t.kind === 'tensor' || t.kind === 'umemref' ? t.elem : t;
}

/** Same shape with another element type (for cmp results, casts on vectors). */
export function withElement(t: Type, elem: Type): Type {
  return t.kind === 'vector' ? vector(t.shape, elem, t.scalable) : elem;
}

/** Row-major strides of a contiguous shape, in elements. */
export function contiguousStrides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let k = shape.length - 1; k >= 0; k--) {
    s[k] = acc;
    acc *= shape[k]!;
  }
  return s;
}

export function numElements(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function bitWidth(t: Type, indexWidth = 64): number {
  switch (t.kind) {
    case 'int':
      return t.width;
    case 'index':
      return indexWidth;
    case 'float':
      return t.name === 'f16' || t.name === 'bf16' ? 16 : t.name === 'f32' ? 32 : 64;
    default:
      throw new Error(`type ${printType(t)} has no bit width`);
  }
}
