// memref: buffers. Allocation, access, views (subview, cast, reinterpret_cast) and globals.
import type { AffineExpr } from '../affine.ts';
import type { Attr } from '../attributes.ts';
import { printAttr, strided } from '../attributes.ts';
import type { Operation } from '../core.ts';
import type { MemRefType, Type } from '../types.ts';
import { DYNAMIC, memref, tensor, typeEq } from '../types.ts';
import { first, group, isDynamicEntry, ty } from './constraints.ts';
import { lookupSymbol } from './func.ts';
import type { OpSpec, PropSpec } from './spec.ts';

/**
 * No layout, or one whose affine map is the identity: an identity map, or `strided<[1]>`/`strided<[]>` (a strided
 * layout of rank 2 or more maps to `d0 * s + d1`, which MLIR does not count as identity even when row-major).
 */
function isIdentity(t: MemRefType | Extract<Type, { kind: 'umemref' }>): boolean {
  if (t.kind !== 'memref' || !t.layout) return true;
  const l = t.layout;
  if (l.kind === 'strided') return l.offset === 0 && l.strides.length <= 1 && l.strides.every((x) => x === 1);
  return l.kind === 'affine_map' && /^affine_map<\((.*)\) -> \(\1\)>$/.test(printAttr(l));
}

export type StridedForm = { readonly strides: readonly number[]; readonly offset: number };

/**
 * Row-major strides of an identity layout; a dynamic dimension makes every outer stride dynamic (unlike
 * ir/types.ts contiguousStrides, which is for static shapes).
 */
export function canonicalStrides(shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length);
  let acc = 1;
  for (let k = shape.length - 1; k >= 0; k--) {
    out[k] = acc;
    const d = shape[k]!;
    acc = acc === DYNAMIC || d === DYNAMIC ? DYNAMIC : acc * d;
  }
  return out;
}

const mulDyn = (a: number, b: number): number => (a === DYNAMIC || b === DYNAMIC ? DYNAMIC : a * b);
const addDyn = (a: number, b: number): number => (a === DYNAMIC || b === DYNAMIC ? DYNAMIC : a + b);

/** Strides and offset of a layout: identity, strided<...>, or an affine map that is a linear sum. */
export function stridesAndOffset(t: MemRefType): StridedForm | undefined {
  const l = t.layout;
  if (!l) return { strides: canonicalStrides(t.shape), offset: 0 };
  if (l.kind === 'strided') return l.strides.length === t.shape.length ? { strides: l.strides, offset: l.offset } : undefined;
  if (l.kind !== 'affine_map' || l.map.results.length !== 1 || l.map.dims !== t.shape.length) return undefined;
  const strides = new Array<number>(t.shape.length).fill(0);
  let offset = 0;
  // Each term is a dim times a coefficient (constant, or a symbol: dynamic), or an offset term.
  const term = (e: AffineExpr): boolean => {
    if (e.k === 'add') return term(e.l) && term(e.r);
    if (e.k === 'const') return (offset = addDyn(offset, Number(e.v))), true;
    if (e.k === 'sym') return (offset = DYNAMIC), true;
    if (e.k === 'dim') return (strides[e.i] = addDyn(strides[e.i]!, 1)), true;
    if (e.k !== 'mul') return false;
    const [d, c] = e.l.k === 'dim' ? [e.l, e.r] : [e.r, e.l];
    if (d.k === 'dim' && (c.k === 'const' || c.k === 'sym')) return (strides[d.i] = addDyn(strides[d.i]!, c.k === 'const' ? Number(c.v) : DYNAMIC)), true;
    if (d.k === 'sym' && c.k === 'const') return (offset = DYNAMIC), true;
    return false;
  };
  return term(l.map.results[0]!) ? { strides, offset } : undefined;
}

const sameSpace = (a: Type, b: Type): boolean => {
  const sa = (a as MemRefType).memorySpace;
  const sb = (b as MemRefType).memorySpace;
  return (!sa && !sb) || (!!sa && !!sb && printAttr(sa) === printAttr(sb));
};
const rankOf = (t: Type): number => (t.kind === 'memref' ? t.shape.length : -1);

const ALIGNMENT: PropSpec = { required: false, kind: 'int', type: 'i64' };
function verifyAlignment(op: Operation): string | undefined {
  const a = op.props.alignment;
  if (a?.kind !== 'int' || (a.value > 0n && (a.value & (a.value - 1n)) === 0n)) return undefined;
  return `attribute 'alignment' failed to satisfy constraint: 64-bit signless integer attribute whose value is positive and whose value is a power of two > 0`;
}

function verifyIndexCount(memrefType: Type, n: number, what: string): string | undefined {
  const r = rankOf(memrefType);
  return r === n ? undefined : `incorrect number of indices for ${what}, expected ${r} but got ${n}`;
}

function verifyAlloc(op: Operation): string | undefined {
  const t = op.results[0]!.type as MemRefType;
  const dyn = t.shape.filter((d) => d === DYNAMIC).length;
  if (group(op, 'dynamicSizes').length !== dyn) return 'dimension operand count does not equal memref dynamic dimension count';
  const l = t.layout;
  const syms = l?.kind === 'affine_map' ? l.map.syms : l?.kind === 'strided' ? [l.offset, ...l.strides].filter((s) => s === DYNAMIC).length : 0;
  const got = group(op, 'symbolOperands').length;
  if (got !== syms) return `symbol operand count does not equal memref symbol count: expected ${syms}, got ${got}`;
  return verifyAlignment(op);
}

/** Two ranked shapes that may describe the same buffer: equal rank, each dim equal or dynamic. */
const compatibleShapes = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && a.every((d, k) => d === b[k] || d === DYNAMIC || b[k] === DYNAMIC);

function castCompatible(a: Type, b: Type): boolean {
  if (a.kind === 'umemref' && b.kind === 'umemref') return false;
  if (a.kind !== 'memref' && a.kind !== 'umemref') return false;
  if (b.kind !== 'memref' && b.kind !== 'umemref') return false;
  if (!typeEq(a.elem, b.elem) || !sameSpace(a, b)) return false;
  if (a.kind !== 'memref' || b.kind !== 'memref') return true;
  if (!compatibleShapes(a.shape, b.shape)) return false;
  const sa = stridesAndOffset(a);
  const sb = stridesAndOffset(b);
  if (!sa || !sb) return typeEq(a, b);
  const ok = (x: number, y: number) => x === y || x === DYNAMIC || y === DYNAMIC;
  return ok(sa.offset, sb.offset) && sa.strides.every((s, k) => ok(s, sb.strides[k]!));
}

/** The three static_* arrays of an offset/size/stride op, with dynamic entries as DYNAMIC. */
function mixed(op: Operation, names: readonly [string, string][]): number[][] | string {
  const out: number[][] = [];
  for (const [prop, grp] of names) {
    const a = op.props[prop];
    if (a?.kind !== 'dense_array') return `requires attribute '${prop}'`;
    const dyn = a.values.filter(isDynamicEntry).length;
    if (dyn !== group(op, grp).length) return `expected ${dyn} dynamic ${grp} values`;
    out.push(a.values.map((v) => (isDynamicEntry(v) ? DYNAMIC : Number(v))));
  }
  return out;
}
const OFFSET_SIZE_STRIDE: [string, string][] = [
  ['static_offsets', 'offsets'],
  ['static_sizes', 'sizes'],
  ['static_strides', 'strides'],
];
const STATIC_ARRAY: PropSpec = { required: true, kind: 'dense_array', type: 'i64' };

/** Subview's result type, computed as SubViewOp::inferResultType does, before any rank reduction. */
export function inferSubviewType(src: MemRefType, offsets: readonly number[], sizes: readonly number[], strides: readonly number[]): MemRefType | undefined {
  const so = stridesAndOffset(src);
  if (!so) return undefined;
  let offset = so.offset;
  for (let k = 0; k < offsets.length; k++) offset = addDyn(offset, mulDyn(offsets[k]!, so.strides[k]!));
  const resStrides = strides.map((s, k) => mulDyn(s, so.strides[k]!));
  return memref(sizes, src.elem, strided(resStrides, offset), src.memorySpace);
}

/** Is `cand` the `full` type with some unit dimensions dropped (and their strides with them)? */
function isRankReduction(full: MemRefType, cand: MemRefType): 'ok' | 'size' | 'layout' {
  const fso = stridesAndOffset(full)!;
  const cso = stridesAndOffset(cand);
  const drop = full.shape.length - cand.shape.length;
  if (drop < 0) return 'size';
  let sizeOk = false;
  // Ranks are small: try every choice of unit dims to drop.
  const choose = (k: number, left: number, kept: number[]): 'ok' | undefined => {
    if (k === full.shape.length) {
      if (left !== 0) return undefined;
      if (!kept.every((d, j) => full.shape[d] === cand.shape[j])) return undefined;
      sizeOk = true;
      return cso && cso.offset === fso.offset && kept.every((d, j) => fso.strides[d] === cso.strides[j]) ? 'ok' : undefined;
    }
    if (left > 0 && full.shape[k] === 1 && choose(k + 1, left - 1, kept)) return 'ok';
    return choose(k + 1, left, [...kept, k]);
  };
  return choose(0, drop, []) ? 'ok' : sizeOk ? 'layout' : 'size';
}

function verifySubview(op: Operation): string | undefined {
  const src = op.operands[0]!.type as MemRefType;
  const res = op.results[0]!.type as MemRefType;
  const m = mixed(op, OFFSET_SIZE_STRIDE);
  if (typeof m === 'string') return m;
  const [offsets, sizes, strides] = m as [number[], number[], number[]];
  const rank = src.shape.length;
  for (const [name, list] of [['offset', offsets], ['size', sizes], ['stride', strides]] as const) {
    if (list.length !== rank) return `expected ${rank} ${name} values`;
  }
  if (!typeEq(src.elem, res.elem)) return 'result element type should match source element type';
  if (!sameSpace(src, res)) return 'different memory spaces specified for base memref type and subview memref type';
  const inferred = inferSubviewType(src, offsets, sizes, strides);
  if (!inferred) return `expected base type ${ty(src)} to have a strided layout`;
  const r = isRankReduction(inferred, res);
  if (r !== 'ok') return `expected result type to be ${ty(inferred)} or a rank-reduced version. (mismatch of result ${r === 'size' ? 'sizes' : 'layout'}), but got ${ty(res)}`;
  for (let k = 0; k < rank; k++) {
    const d = src.shape[k]!;
    const o = offsets[k]!;
    if (d === DYNAMIC || o === DYNAMIC) continue;
    if (o >= d) return `offset ${k} is out-of-bounds: ${o} >= ${d}`;
    const s = sizes[k]!;
    const st = strides[k]!;
    if (s === DYNAMIC || st === DYNAMIC) continue;
    const last = o + (s - 1) * st;
    if (s > 0 && last >= d) return `slice along dimension ${k} runs out-of-bounds: ${last} >= ${d}`;
  }
  return undefined;
}

function verifyReinterpretCast(op: Operation): string | undefined {
  const src = op.operands[0]!.type;
  const res = op.results[0]!.type as MemRefType;
  const m = mixed(op, OFFSET_SIZE_STRIDE);
  if (typeof m === 'string') return m;
  const [offsets, sizes, strides] = m as [number[], number[], number[]];
  if (offsets.length !== 1) return 'expected 1 offset value';
  const rank = res.shape.length;
  if (sizes.length !== rank || strides.length !== rank) return `expected ${rank} size and stride values`;
  if (src.kind !== 'memref' && src.kind !== 'umemref') return undefined;
  if (!sameSpace(src, res)) return 'different memory spaces specified for source and result';
  if (!typeEq(src.elem, res.elem)) return 'different element types specified for source and result';
  const word = (x: number) => (x === DYNAMIC ? 'dynamic' : String(x));
  for (let k = 0; k < rank; k++) {
    const d = res.shape[k]!;
    if (d !== DYNAMIC && d !== sizes[k]) return `expected result type with size = ${word(sizes[k]!)} instead of ${d} in dim = ${k}`;
  }
  const so = stridesAndOffset(res);
  if (!so) return `expected result type to have a strided layout`;
  if (so.offset !== DYNAMIC && so.offset !== offsets[0]) return `expected result type with offset = ${word(offsets[0]!)} instead of ${so.offset}`;
  for (let k = 0; k < rank; k++) {
    const s = so.strides[k]!;
    if (s !== DYNAMIC && s !== strides[k]) return `expected result type with stride = ${word(strides[k]!)} instead of ${s} in dim = ${k}`;
  }
  return undefined;
}

/** The tensor type a global's dense initial value must have. */
const initTypeOf = (t: MemRefType): Type => tensor(t.shape, t.elem);

function verifyGlobal(op: Operation): string | undefined {
  const ta = op.props.type as Attr & { kind: 'type' };
  const t = ta.type;
  if (t.kind !== 'memref' || t.shape.some((d) => d === DYNAMIC)) return `type should be static shaped memref, but got ${ty(t)}`;
  const init = op.props.initial_value;
  if (init && init.kind !== 'unit') {
    if (init.kind !== 'dense') return `initial value should be a unit or elements attribute`;
    if (!typeEq(init.type, initTypeOf(t))) return `initial value expected to be of type ${ty(initTypeOf(t))}, but was of type ${ty(init.type)}`;
  }
  const v = op.props.sym_visibility;
  if (v?.kind === 'string' && !['public', 'private', 'nested'].includes(v.value)) return `invalid visibility "${v.value}"`;
  return verifyAlignment(op);
}

function verifyGetGlobal(op: Operation): string | undefined {
  const ref = op.props.name;
  if (ref?.kind !== 'symbol' || ref.path.length !== 1) return 'requires a flat symbol reference for name';
  const g = lookupSymbol(op, ref.path[0]!);
  const gt = g?.name === 'memref.global' && g.props.type?.kind === 'type' ? g.props.type.type : undefined;
  if (!gt) return `'${ref.path[0]}' does not reference a valid global memref`;
  const t = op.results[0]!.type;
  return typeEq(t, gt) ? undefined : `result type ${ty(t)} does not match type ${ty(gt)} of the global memref @${ref.path[0]}`;
}

/** arith::AtomicRMWKind, in enum order: the value of memref.atomic_rmw's `kind`. */
export const ATOMIC_RMW_KINDS = [
  'addf', 'addi', 'andi', 'assign', 'maximumf', 'maxnumf', 'maxs', 'maxu', 'minimumf', 'minnumf', 'mins', 'minu', 'mulf', 'muli', 'ori', 'xori',
] as const;
const FLOAT_RMW = new Set(['addf', 'maximumf', 'minimumf', 'mulf']);
const INT_RMW = new Set(['addi', 'maxs', 'maxu', 'mins', 'minu', 'muli', 'ori', 'xori', 'andi']);

export const memrefOps: readonly OpSpec[] = [
  ...['alloc', 'alloca'].map(
    (n): OpSpec => ({
      name: `memref.${n}`,
      operands: [
        { name: 'dynamicSizes', arity: 'variadic', type: 'index' },
        { name: 'symbolOperands', arity: 'variadic', type: 'index' },
      ],
      results: [{ name: 'memref', type: 'memref' }],
      props: { alignment: ALIGNMENT },
      traits: ['attr-sized-operands'],
      verify: verifyAlloc,
    }),
  ),
  { name: 'memref.dealloc', operands: [{ name: 'memref', type: 'any-memref' }], results: [] },
  {
    name: 'memref.load',
    operands: [{ name: 'memref', type: 'memref' }, { name: 'indices', arity: 'variadic', type: 'index' }],
    results: [{ name: 'result' }],
    props: { nontemporal: { required: false, kind: 'int', type: 'i1' }, alignment: ALIGNMENT },
    verify: (op) => {
      const t = op.operands[0]!.type as MemRefType;
      return first(
        () => (typeEq(op.results[0]!.type, t.elem) ? undefined : `result type must match element type of memref`),
        () => verifyIndexCount(t, op.operands.length - 1, 'load'),
        () => verifyAlignment(op),
      );
    },
  },
  {
    name: 'memref.store',
    operands: [{ name: 'value' }, { name: 'memref', type: 'memref' }, { name: 'indices', arity: 'variadic', type: 'index' }],
    results: [],
    props: { nontemporal: { required: false, kind: 'int', type: 'i1' }, alignment: ALIGNMENT },
    verify: (op) => {
      const t = op.operands[1]!.type as MemRefType;
      return first(
        () => (typeEq(op.operands[0]!.type, t.elem) ? undefined : `failed to verify that type of 'value' matches element type of 'memref'`),
        () => verifyIndexCount(t, op.operands.length - 2, 'store'),
        () => verifyAlignment(op),
      );
    },
  },
  {
    name: 'memref.copy',
    operands: [{ name: 'source', type: 'any-memref' }, { name: 'target', type: 'any-memref' }],
    results: [],
    verify: (op) => {
      const [a, b] = [op.operands[0]!.type, op.operands[1]!.type] as (MemRefType | Extract<Type, { kind: 'umemref' }>)[];
      if (!typeEq(a!.elem, b!.elem)) return 'requires the same element type for all operands';
      if (a!.kind === 'memref' && b!.kind === 'memref' && !compatibleShapes(a!.shape, b!.shape)) return 'requires the same shape for all operands';
      return undefined;
    },
  },
  {
    name: 'memref.subview',
    operands: [
      { name: 'source', type: 'memref' },
      { name: 'offsets', arity: 'variadic', type: 'index' },
      { name: 'sizes', arity: 'variadic', type: 'index' },
      { name: 'strides', arity: 'variadic', type: 'index' },
    ],
    results: [{ name: 'result', type: 'memref' }],
    props: { static_offsets: STATIC_ARRAY, static_sizes: STATIC_ARRAY, static_strides: STATIC_ARRAY },
    traits: ['pure', 'attr-sized-operands'],
    verify: verifySubview,
  },
  {
    name: 'memref.reinterpret_cast',
    operands: [
      { name: 'source', type: 'any-memref' },
      { name: 'offsets', arity: 'variadic', type: 'index' },
      { name: 'sizes', arity: 'variadic', type: 'index' },
      { name: 'strides', arity: 'variadic', type: 'index' },
    ],
    results: [{ name: 'result', type: 'memref' }],
    props: { static_offsets: STATIC_ARRAY, static_sizes: STATIC_ARRAY, static_strides: STATIC_ARRAY },
    traits: ['pure', 'attr-sized-operands'],
    verify: verifyReinterpretCast,
  },
  {
    // MemRefOps.td: same elements and element type, identity layouts (mlir-opt 22 does not compare memory spaces);
    // the result's shape is read from
    // a 1-D memref of integers or index, whose length is the result's rank (unranked when that length is dynamic).
    name: 'memref.reshape',
    operands: [{ name: 'source', type: 'memref' }, { name: 'shape', type: 'memref' }],
    results: [{ name: 'result', type: 'any-memref' }],
    traits: ['pure'],
    verify: (op) => {
      const src = op.operands[0]!.type as MemRefType;
      const shape = op.operands[1]!.type as MemRefType;
      const res = op.results[0]!.type as MemRefType | Extract<Type, { kind: 'umemref' }>;
      const e = shape.elem;
      if (shape.shape.length !== 1 || !((e.kind === 'int' && !e.signedness) || e.kind === 'index'))
        return `operand #1 must be 1D memref of signless integer or index values, but got ${ty(shape)}`;
      if (!typeEq(src.elem, res.elem)) return 'element types of source and destination memref types should be the same';
      if (!isIdentity(src)) return 'source memref type should have identity affine map';
      const len = shape.shape[0]!;
      if (res.kind === 'memref') {
        if (!isIdentity(res)) return 'result memref type should have identity affine map';
        if (len === DYNAMIC) return 'cannot use shape operand with dynamic length to reshape to statically-ranked memref type';
        if (len !== res.shape.length) return 'length of shape operand differs from the result\'s memref rank';
      }
      return undefined;
    },
  },
  {
    name: 'memref.cast',
    operands: [{ name: 'source', type: 'any-memref' }],
    results: [{ name: 'dest', type: 'any-memref' }],
    traits: ['pure'],
    verify: (op) => {
      const a = op.operands[0]!.type;
      const b = op.results[0]!.type;
      return castCompatible(a, b) ? undefined : `operand type ${ty(a)} and result type ${ty(b)} are cast incompatible`;
    },
  },
  {
    name: 'memref.dim',
    operands: [{ name: 'source', type: 'any-memref' }, { name: 'index', type: 'index' }],
    results: [{ name: 'result', type: 'index' }],
    traits: ['pure'],
  },
  {
    name: 'memref.rank',
    operands: [{ name: 'memref', type: 'any-memref' }],
    results: [{ name: 'result', type: 'index' }],
    traits: ['pure'],
  },
  {
    name: 'memref.global',
    operands: [],
    results: [],
    props: {
      sym_name: { required: true, kind: 'string' },
      sym_visibility: { required: false, kind: 'string' },
      type: { required: true, kind: 'type', type: 'memref' },
      initial_value: { required: false },
      constant: { required: false, kind: 'unit' },
      alignment: ALIGNMENT,
    },
    traits: ['symbol'],
    verify: verifyGlobal,
  },
  {
    name: 'memref.get_global',
    operands: [],
    results: [{ name: 'result', type: 'memref' }],
    props: { name: { required: true, kind: 'symbol' } },
    traits: ['pure'],
    verify: verifyGetGlobal,
  },
  {
    name: 'memref.atomic_rmw',
    operands: [{ name: 'value', type: 'scalar' }, { name: 'memref', type: 'memref' }, { name: 'indices', arity: 'variadic', type: 'index' }],
    results: [{ name: 'result', type: 'scalar' }],
    props: { kind: { required: true, kind: 'int', type: 'i64', range: [0, ATOMIC_RMW_KINDS.length - 1] } },
    sameType: [['value', 'result']],
    verify: (op) => {
      const t = op.operands[1]!.type as MemRefType;
      const v = op.operands[0]!.type;
      const kind = ATOMIC_RMW_KINDS[Number((op.props.kind as { value: bigint }).value)]!;
      if (!typeEq(v, t.elem)) return 'value type must match the memref element type';
      if (op.operands.length - 2 !== t.shape.length) return 'expects the number of subscripts to be equal to memref rank';
      if (FLOAT_RMW.has(kind) && v.kind !== 'float') return `with kind '${kind}' expects a floating-point type`;
      if (INT_RMW.has(kind) && v.kind !== 'int') return `with kind '${kind}' expects an integer type`;
      return v.kind === 'index' ? `operand #0 must be signless integer or floating-point, but got 'index'` : undefined;
    },
  },
];
