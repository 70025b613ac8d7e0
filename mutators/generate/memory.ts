// memref and affine memory ops: loads, stores, allocations, views, casts, copies and globals.
import { denseArray, intAttr, strided } from '../../ir/attributes.ts';
import type { Value } from '../../ir/core.ts';
import { floatBits } from '../../numeric/float.ts';
import type { MemRefType, ScalarType, Type } from '../../ir/types.ts';
import { contiguousStrides, DYNAMIC, f32, i32, index, memref, numElements, typeEq, umemref } from '../../ir/types.ts';
import { affineAccessMap } from './affine-exprs.ts';
import type { Buffer, GenContext } from './context.ts';
import { convert } from './convert.ts';
import { clampIndex } from './guards.ts';
import { within } from './ranges.ts';
import { exactOnly, operand } from './scalar.ts';

/** Element types the generator reads and writes (no index: its width differs between targets). */
const isScalarElem = (t: Type): t is ScalarType => t.kind === 'int' || t.kind === 'float';


/** An index in [0, n) for a plain memref access: a constant, a loop variable already in range, or a clamped value. */
export function indexInto(ctx: GenContext, n: number): Value {
  const r = ctx.rand;
  const inRange = ctx.visibleValues((v) => v.type.kind === 'index' && within(ctx.rangeOf(v), 0n, BigInt(n - 1)));
  if (inRange.length && ctx.chance('inRangeIndex')) return r.pick(inRange.slice(0, 6));
  if (ctx.chance('constIndex')) return ctx.constIndex(r.int(0, n - 1));
  const src = ctx.visibleValues((v) => (v.type.kind === 'int' || v.type.kind === 'index') && !ctx.factsOf(v).approx);
  return src.length ? clampIndex(ctx, r.pick(src.slice(0, 8)), n) : ctx.constIndex(r.int(0, n - 1));
}

/** Loads one element, as memref.load or (when the indices can be affine) affine.load. */
export function load(ctx: GenContext, buf?: Buffer): Value | undefined {
  const b = buf ?? pickBuffer(ctx, ctx.readableBuffers().filter((x) => isScalarElem(x.elem)));
  if (!b || !isScalarElem(b.elem)) return undefined;
  let v: Value;
  const access = ctx.chance('affineAccess') ? affineAccessMap(ctx, b.shape) : undefined;
  if (access) v = ctx.op('affine.load', [b.value, ...access.operands], [b.elem], { map: access.map })[0]!;
  else v = ctx.op('memref.load', [b.value, ...b.shape.map((n) => indexInto(ctx, n))], [b.elem])[0]!;
  // Buffers hold arbitrary values after stores, so only the type's own range is known.
  return v;
}

/** Stores a value (converted to the element type) into a writable buffer. */
export function store(ctx: GenContext, value?: Value, buf?: Buffer): boolean {
  const b = buf ?? pickBuffer(ctx, ctx.writableBuffers().filter((x) => isScalarElem(x.elem) && x.elem.kind !== 'index'));
  if (!b || !isScalarElem(b.elem)) return false;
  let v = value;
  if (!v || (b.elem.kind !== 'float' && ctx.factsOf(v).approx)) v = operand(ctx, b.elem, b.elem.kind === 'float' ? () => true : exactOnly(ctx));
  v = convert(ctx, v, b.elem);
  const access = ctx.chance('affineAccess') ? affineAccessMap(ctx, b.shape) : undefined;
  if (access) ctx.op('affine.store', [v, b.value, ...access.operands], [], { map: access.map });
  else ctx.op('memref.store', [v, b.value, ...b.shape.map((n) => indexInto(ctx, n))], []);
  return true;
}

export function pickBuffer(ctx: GenContext, bufs: readonly Buffer[]): Buffer | undefined {
  return bufs.length ? ctx.rand.pick(bufs) : undefined;
}

const ELEMS: readonly ScalarType[] = [f32, i32, { kind: 'int', width: 64 }, { kind: 'float', name: 'f64' }, { kind: 'int', width: 8 }, { kind: 'int', width: 16 }, { kind: 'float', name: 'f16' }];

/**
 * memref.alloc or alloca, immediately initialised (reads of uninitialised memory are UB) by a fill loop
 * or a copy from a buffer of the same shape. Sometimes the allocation has a dynamic size.
 */
export function allocate(ctx: GenContext, fill: (b: Buffer) => void): Buffer | undefined {
  const r = ctx.rand;
  const like = ctx.chance('allocLike') ? pickBuffer(ctx, ctx.readableBuffers().filter((b) => isScalarElem(b.elem))) : undefined;
  const shape = like ? [...like.shape] : Array.from({ length: r.int(1, 2) }, () => r.int(1, 6));
  const elem = like && ctx.chance('allocLikeElem') ? like.elem : r.pick(ELEMS);
  const onStack = ctx.chance('alloca');
  const dynamicDim = !onStack && ctx.chance('allocDynamicDim') ? r.int(0, shape.length - 1) : -1;
  const typeShape = shape.map((d, k) => (k === dynamicDim ? DYNAMIC : d));
  const sizes = dynamicDim >= 0 ? [ctx.constIndex(shape[dynamicDim]!)] : [];
  const t = memref(typeShape, elem);
  const v = ctx.op(onStack ? 'memref.alloca' : 'memref.alloc', sizes, [t], { operandSegmentSizes: denseArray(i32, [sizes.length, 0]) })[0]!;
  const buf: Buffer = { value: v, shape, elem, readOnly: false, root: {}, ...(dynamicDim < 0 && { layout: { strides: contiguousStrides(shape), offset: 0 } }) };
  if (like && typeEq(like.elem, elem) && like.root !== ctx.parallelOut && ctx.chance('allocCopyInit')) ctx.op('memref.copy', [like.value, v], []);
  else fill(buf);
  if (!onStack) ctx.deferDealloc(v);
  ctx.addBuffer(buf);
  return buf;
}

/** A strided view of part of a buffer whose layout is static. */
export function subview(ctx: GenContext): Buffer | undefined {
  const r = ctx.rand;
  const src = pickBuffer(ctx, ctx.readableBuffers().filter((b) => b.layout && isScalarElem(b.elem)));
  if (!src?.layout) return undefined;
  const offsets: number[] = [];
  const sizes: number[] = [];
  const steps: number[] = [];
  src.shape.forEach((n) => {
    const o = r.int(0, n - 1);
    const st = r.int(1, 2);
    const s = r.int(1, Math.floor((n - 1 - o) / st) + 1);
    offsets.push(o);
    sizes.push(s);
    steps.push(st);
  });
  const strides = src.layout.strides.map((s, k) => s * steps[k]!);
  const offset = src.layout.offset + offsets.reduce((acc, o, k) => acc + o * src.layout!.strides[k]!, 0);
  const t = memref(sizes, src.elem, strided(strides, offset));
  const v = ctx.op('memref.subview', [src.value], [t], {
    operandSegmentSizes: denseArray(i32, [1, 0, 0, 0]),
    static_offsets: denseArray({ kind: 'int', width: 64 }, offsets),
    static_sizes: denseArray({ kind: 'int', width: 64 }, sizes),
    static_strides: denseArray({ kind: 'int', width: 64 }, steps),
  })[0]!;
  const buf: Buffer = { value: v, shape: sizes, elem: src.elem, readOnly: src.readOnly, root: src.root, layout: { strides, offset } };
  ctx.addBuffer(buf);
  return buf;
}

/** Casts a buffer to a type with dynamic sizes, or through an unranked memref and back, and reads its sizes with memref.dim. */
export function castAndDim(ctx: GenContext): Buffer | undefined {
  const r = ctx.rand;
  const src = pickBuffer(ctx, ctx.readableBuffers().filter((b) => isScalarElem(b.elem) && b.value.type.kind === 'memref'));
  if (!src) return undefined;
  const st = src.value.type as MemRefType;
  let v: Value;
  if (ctx.chance('castUnranked')) {
    const u = ctx.op('memref.cast', [src.value], [umemref(st.elem, st.memorySpace)])[0]!;
    v = ctx.op('memref.cast', [u], [st])[0]!;
  } else {
    const dyn = st.shape.map((d) => (ctx.chance('castDynamicPart') ? DYNAMIC : d));
    let layout = st.layout;
    if (layout?.kind === 'strided') layout = strided(layout.strides.map((s) => (ctx.chance('castDynamicPart') ? DYNAMIC : s)), ctx.chance('castDynamicPart') ? DYNAMIC : layout.offset);
    v = ctx.op('memref.cast', [src.value], [memref(dyn, st.elem, layout, st.memorySpace)])[0]!;
  }
  const k = r.int(0, src.shape.length - 1);
  const d = ctx.value('memref.dim', [v, ctx.constIndex(k)], index, { range: [BigInt(src.shape[k]!), BigInt(src.shape[k]!)] });
  if (src.shape[k]! > 0 && ctx.chance('dimDefine')) ctx.define(d);
  // A cast to dynamic sizes or strides hides the layout, so no static subview can be taken of it.
  const { layout, ...rest } = src;
  const buf: Buffer = v.type === st && layout ? { ...rest, value: v, layout } : { ...rest, value: v };
  ctx.addBuffer(buf);
  return buf;
}

/** memref.copy between two distinct allocations of the same shape and element type. */
export function copy(ctx: GenContext): boolean {
  const dsts = ctx.writableBuffers();
  const r = ctx.rand;
  for (let tries = 0; tries < 4 && dsts.length; tries++) {
    const dst = r.pick(dsts);
    const srcs = ctx.readableBuffers().filter((s) => s.root !== dst.root && typeEq(s.elem, dst.elem) && s.shape.join() === dst.shape.join());
    if (srcs.length) {
      ctx.op('memref.copy', [r.pick(srcs).value, dst.value], []);
      return true;
    }
  }
  return false;
}

/** A module-level memref.global (constant or mutable), fetched with memref.get_global. */
export function globalBuffer(ctx: GenContext, declare: (t: MemRefType, constant: boolean, values: bigint[]) => string): Buffer {
  const r = ctx.rand;
  const elem = r.pick(ELEMS);
  const shape = [r.int(1, 6)];
  const constant = ctx.chance('globalConstant');
  const t = memref(shape, elem);
  const values = Array.from({ length: numElements(shape) }, () => globalElement(ctx, elem));
  const name = declare(t, constant, values);
  const v = ctx.op('memref.get_global', [], [t], { name: { kind: 'symbol', path: [name] } })[0]!;
  const buf: Buffer = { value: v, shape, elem, readOnly: constant, root: {}, layout: { strides: [1], offset: 0 } };
  ctx.addBuffer(buf);
  return buf;
}

function globalElement(ctx: GenContext, elem: ScalarType): bigint {
  const r = ctx.rand;
  return elem.kind === 'float' ? floatBits(elem.name, r.int(-16, 16) / 4) : BigInt(r.int(-9, 9));
}

// AtomicRMWKind numbers as MLIR 22 prints them, limited to the kinds finalize-memref-to-llvm lowers to an LLVM
// atomicrmw (muli/mulf/maximumf/minimumf have no lowering: programs using them cannot be executed).
const ATOMIC_INT = [1, 2, 14]; // addi, andi, ori
const ATOMIC_FLOAT = [0]; // addf

/** memref.atomic_rmw: read-modify-write of one element, returning the old value. */
export function atomicRmw(ctx: GenContext): boolean {
  const b = pickBuffer(ctx, ctx.writableBuffers().filter((x) => (x.elem.kind === 'int' && x.elem.width >= 8) || (x.elem.kind === 'float' && (x.elem.name === 'f32' || x.elem.name === 'f64'))));
  if (!b) return false;
  const isFloat = b.elem.kind === 'float';
  const v = operand(ctx, b.elem, isFloat ? () => true : exactOnly(ctx));
  const kind = ctx.rand.pick(isFloat ? ATOMIC_FLOAT : ATOMIC_INT);
  ctx.op('memref.atomic_rmw', [v, b.value, ...b.shape.map((n) => indexInto(ctx, n))], [b.elem], { kind: intAttr(kind, { kind: 'int', width: 64 }) });
  return true;
}

/** memref.rank: an index whose value the type fixes. */
export function rank(ctx: GenContext): boolean {
  const b = pickBuffer(ctx, ctx.readableBuffers());
  if (!b) return false;
  ctx.value('memref.rank', [b.value], index, { range: [BigInt(b.shape.length), BigInt(b.shape.length)] });
  return true;
}

/** memref.reinterpret_cast of a contiguous buffer to another shape over the same elements. */
export function reinterpretCast(ctx: GenContext): Buffer | undefined {
  const r = ctx.rand;
  const src = pickBuffer(ctx, ctx.readableBuffers().filter((b) => isScalarElem(b.elem) && b.layout && b.layout.offset === 0 && b.layout.strides.join() === contiguousStrides(b.shape).join()));
  if (!src) return undefined;
  const total = numElements(src.shape);
  // Any factorisation of a prefix of the elements stays inside the allocation.
  const rows = r.pick([1, 2, 3, 4].filter((d) => d <= total));
  const cols = Math.floor(total / rows);
  const shape = ctx.chance('reinterpret2D') ? [rows, cols] : [rows * cols];
  const strides = contiguousStrides(shape);
  const t = memref(shape, src.elem, strided(strides, 0));
  const i64 = { kind: 'int', width: 64 } as const;
  const v = ctx.op('memref.reinterpret_cast', [src.value], [t], {
    operandSegmentSizes: denseArray(i32, [1, 0, 0, 0]),
    static_offsets: denseArray(i64, [0]),
    static_sizes: denseArray(i64, shape),
    static_strides: denseArray(i64, strides),
  })[0]!;
  const buf: Buffer = { value: v, shape, elem: src.elem, readOnly: src.readOnly, root: src.root, layout: { strides, offset: 0 } };
  ctx.addBuffer(buf);
  return buf;
}

/**
 * memref.reshape of a buffer whose type has the identity layout, to another factorisation of its elements; the
 * shape comes from a small buffer of i32, i64 or index.
 */
export function reshape(ctx: GenContext): Buffer | undefined {
  const r = ctx.rand;
  const src = pickBuffer(ctx, ctx.readableBuffers().filter((b) => isScalarElem(b.elem) && b.value.type.kind === 'memref' && !b.value.type.layout));
  if (!src) return undefined;
  const total = numElements(src.shape);
  const rows = r.pick([1, 2, 3, 4, 6].filter((d) => total % d === 0));
  const shape = ctx.chance('reshape2D') ? [rows, total / rows] : [total];
  const shapeElem = r.pick<ScalarType>([i32, { kind: 'int', width: 64 }, index]);
  const onStack = ctx.chance('alloca');
  const shapeBuf = ctx.op(onStack ? 'memref.alloca' : 'memref.alloc', [], [memref([shape.length], shapeElem)], { operandSegmentSizes: denseArray(i32, [0, 0]) })[0]!;
  if (!onStack) ctx.deferDealloc(shapeBuf);
  shape.forEach((d, k) => {
    const v = shapeElem.kind === 'index' ? ctx.constIndex(d) : ctx.constInt(shapeElem as Extract<ScalarType, { kind: 'int' }>, BigInt(d));
    ctx.op('memref.store', [v, shapeBuf, ctx.constIndex(k)], []);
  });
  // Static result dims only: MLIR 22 cannot lower a dynamic one read from an i32 shape (native) or from an i64 or
  // index shape at a 32-bit index (wasm); fixtures/backends/bugs has both.
  const t = memref(shape, src.elem);
  const v = ctx.op('memref.reshape', [src.value, shapeBuf], [t])[0]!;
  const buf: Buffer = { value: v, shape, elem: src.elem, readOnly: src.readOnly, root: src.root, layout: { strides: contiguousStrides(shape), offset: 0 } };
  ctx.addBuffer(buf);
  return buf;
}
