// vector memory ops: transfers (out-of-bounds lanes read the padding or are masked off), plain and affine
// vector loads/stores (in bounds by construction: UB otherwise), and masked loads/stores with generated masks.
import { affineMap, cst, dim } from '../../ir/affine.ts';
import type { AffineExpr } from '../../ir/affine.ts';
import { arrayAttr, boolAttr, denseArray, denseAttr, mapAttr } from '../../ir/attributes.ts';
import type { Value } from '../../ir/core.ts';
import { Block, Region } from '../../ir/core.ts';
import type { ScalarType, VectorType } from '../../ir/types.ts';
import { i1, i32, i64, index, vector } from '../../ir/types.ts';
import { AffineOperands, exprRange, linear } from './affine-exprs.ts';
import type { Buffer, GenContext } from './context.ts';
import { clampIndex } from './guards.ts';
import { indexInto, pickBuffer } from './memory.ts';
import { within } from './ranges.ts';
import { exactOnly, operand } from './scalar.ts';
import { vectorWidth } from './vector.ts';

/** vector.transfer_read of a 1-D vector along the last (or, transposed, the first) dimension. */
export function transferRead(ctx: GenContext, buf?: Buffer): Value | undefined {
  const r = ctx.rand;
  const b = buf ?? pickBuffer(ctx, ctx.readableBuffers().filter((x) => x.elem.kind === 'int' || x.elem.kind === 'float'));
  if (!b) return undefined;
  const rank = b.shape.length;
  const vdim = rank > 1 && ctx.chance('transferTransposed') ? 0 : rank - 1;
  const w = vectorWidth(ctx);
  const idx = b.shape.map((n) => indexInto(ctx, n));
  const pad = operand(ctx, b.elem, b.elem.kind === 'float' ? () => true : exactOnly(ctx));
  const fits = b.shape[vdim]! >= w && ctx.chance('transferInBounds');
  // in_bounds only where the start index is provably low enough; otherwise the tail reads the padding.
  const start = fits ? ctx.constIndex(r.int(0, b.shape[vdim]! - w)) : idx[vdim]!;
  idx[vdim] = start;
  const v = ctx.op('vector.transfer_read', [b.value, ...idx, pad], [vector([w], b.elem)], {
    in_bounds: arrayAttr([boolAttr(fits)]),
    operandSegmentSizes: denseArray(i32, [1, rank, 1, 0]),
    permutation_map: mapAttr(affineMap(rank, 0, [dim(vdim)])),
  })[0]!;
  return ctx.setFacts(v, ctx.factsOf(pad).approx ? { approx: true } : {});
}

/** vector.transfer_write: lanes past the end of the buffer are masked off, never written. */
export function transferWrite(ctx: GenContext): boolean {
  const r = ctx.rand;
  const vecs = ctx.visibleValues((v) => v.type.kind === 'vector' && (v.type as VectorType).shape.length === 1);
  if (!vecs.length) return false;
  const v = r.pick(vecs.slice(0, 6));
  const elem = (v.type as VectorType).elem as ScalarType;
  if (elem.kind !== 'float' && ctx.factsOf(v).approx) return false;
  const bufs = ctx.writableBuffers().filter((b) => b.elem.kind === elem.kind && sameElem(b.elem, elem));
  const b = pickBuffer(ctx, bufs);
  if (!b) return false;
  const rank = b.shape.length;
  const idx = b.shape.map((n) => indexInto(ctx, n));
  ctx.op('vector.transfer_write', [v, b.value, ...idx], [], {
    in_bounds: arrayAttr([boolAttr(false)]),
    operandSegmentSizes: denseArray(i32, [1, 1, rank, 0]),
    permutation_map: mapAttr(affineMap(rank, 0, [dim(rank - 1)])),
  });
  return true;
}


/** vector.load/store and their masked and affine forms need a unit stride in the most minor dimension. */
function unitMinorStride(b: Buffer): boolean {
  const t = b.value.type;
  if (t.kind !== 'memref') return false;
  const l = t.layout;
  return l === undefined || (l.kind === 'strided' && l.strides[l.strides.length - 1] === 1);
}

const contiguousBuffers = (bufs: readonly Buffer[]): Buffer[] => scalarBuffers(bufs).filter(unitMinorStride);

const scalarBuffers = (bufs: readonly Buffer[]): Buffer[] => bufs.filter((x) => x.elem.kind === 'int' || x.elem.kind === 'float');

/** Indices for a w-wide access along the last dimension that stays inside the buffer. */
function inBoundsIndices(ctx: GenContext, b: Buffer, w: number): Value[] {
  const last = b.shape.length - 1;
  return b.shape.map((n, k) => (k === last ? indexInto(ctx, n - w + 1) : indexInto(ctx, n)));
}

/** vector.load / affine.vector_load of w lanes from a buffer whose last dimension holds at least w. */
export function vectorLoad(ctx: GenContext): Value | undefined {
  const w = vectorWidth(ctx);
  const b = pickBuffer(ctx, contiguousBuffers(ctx.readableBuffers()).filter((x) => x.shape[x.shape.length - 1]! >= w));
  if (!b) return undefined;
  const t = vector([w], b.elem);
  const aff = ctx.chance('vectorAffineAccess') ? affineInBounds(ctx, b.shape, w) : undefined;
  if (aff) return ctx.op('affine.vector_load', [b.value, ...aff.operands], [t], { map: aff.map })[0]!;
  return ctx.op('vector.load', [b.value, ...inBoundsIndices(ctx, b, w)], [t])[0]!;
}

export function vectorStore(ctx: GenContext): boolean {
  const vecs = ctx.visibleValues((v) => v.type.kind === 'vector' && (v.type as VectorType).shape.length === 1 && (((v.type as VectorType).elem.kind === 'float') || !ctx.factsOf(v).approx));
  if (!vecs.length) return false;
  const v = ctx.rand.pick(vecs.slice(0, 6));
  const vt = v.type as VectorType;
  const w = vt.shape[0]!;
  const b = pickBuffer(ctx, contiguousBuffers(ctx.writableBuffers()).filter((x) => sameElem(x.elem, vt.elem) && x.shape[x.shape.length - 1]! >= w));
  if (!b) return false;
  const aff = ctx.chance('vectorAffineAccess') ? affineInBounds(ctx, b.shape, w) : undefined;
  if (aff) ctx.op('affine.vector_store', [v, b.value, ...aff.operands], [], { map: aff.map });
  else ctx.op('vector.store', [v, b.value, ...inBoundsIndices(ctx, b, w)], []);
  return true;
}

function affineInBounds(ctx: GenContext, shape: readonly number[], w: number): { map: ReturnType<typeof mapAttr>; operands: Value[] } {
  const ops = new AffineOperands();
  const results: AffineExpr[] = shape.map((n, k) => {
    const limit = k === shape.length - 1 ? n - w + 1 : n;
    const e = linear(ctx, ops);
    return within(exprRange(e, ops, (x) => ctx.rangeOf(x)), 0n, BigInt(limit - 1)) ? e : { k: 'mod', l: e, r: cst(limit) };
  });
  return { map: mapAttr(ops.map(results)), operands: ops.operands };
}

export const sameElem = (a: VectorType['elem'], b: VectorType['elem']): boolean =>
  (a.kind === 'float' && b.kind === 'float' && a.name === b.name) || (a.kind === 'int' && b.kind === 'int' && a.width === b.width);

/** A lane mask: constant, or from a run-time bound (vector.create_mask clamps it to [0, w]). */
export function mask(ctx: GenContext, w: number): Value {
  const r = ctx.rand;
  const t = vector([w], i1);
  if (ctx.chance('constantMask')) return ctx.value('vector.constant_mask', [], t, {}, { mask_dim_sizes: denseArray(i64, [r.int(0, w)]) });
  const src = ctx.visibleValues((v) => (v.type.kind === 'index' || v.type.kind === 'int') && !ctx.factsOf(v).approx);
  const n = src.length ? clampIndex(ctx, r.pick(src.slice(0, 6)), w + 1) : ctx.constIndex(r.int(0, w));
  return ctx.value('vector.create_mask', [n], t);
}

/** vector.maskedload / maskedstore: enabled lanes are in bounds, disabled ones pass through the fallback. */
export function maskedAccess(ctx: GenContext): boolean {
  const w = vectorWidth(ctx);
  const store = ctx.chance('maskedStore');
  const bufs = contiguousBuffers(store ? ctx.writableBuffers() : ctx.readableBuffers()).filter((x) => x.shape[x.shape.length - 1]! >= w);
  const b = pickBuffer(ctx, bufs);
  if (!b) return false;
  const idx = inBoundsIndices(ctx, b, w);
  const m = mask(ctx, w);
  const t = vector([w], b.elem);
  const s = operand(ctx, b.elem, b.elem.kind === 'float' ? () => true : exactOnly(ctx));
  const other = ctx.value('vector.broadcast', [s], t);
  if (store) ctx.op('vector.maskedstore', [b.value, ...idx, m, other], []);
  else ctx.op('vector.maskedload', [b.value, ...idx, m, other], [t]);
  return true;
}

/** Buffers whose type has the identity layout: gather/scatter/compress/expand offsets count in its flat elements. */
const identityBuffers = (bufs: readonly Buffer[]): Buffer[] => scalarBuffers(bufs).filter((b) => b.value.type.kind === 'memref' && !b.value.type.layout);

/** Constant base indices of a flat position, and the position. */
function constantBase(ctx: GenContext, b: Buffer, flat: number): Value[] {
  const strides = b.shape.map((_, k) => b.shape.slice(k + 1).reduce((a, n) => a * n, 1));
  let rest = flat;
  return strides.map((s) => {
    const i = Math.floor(rest / s);
    rest -= i * s;
    return ctx.constIndex(i);
  });
}

/** A vector of w lanes of the buffer's element type to store: an existing one, or a broadcast scalar. */
function valueToStore(ctx: GenContext, b: Buffer, w: number): Value {
  const t = vector([w], b.elem);
  const vs = ctx.visibleValues((v) => v.type.kind === 'vector' && (v.type as VectorType).shape.length === 1 && (v.type as VectorType).shape[0] === w && sameElem((v.type as VectorType).elem, b.elem) && (b.elem.kind === 'float' || !ctx.factsOf(v).approx));
  if (vs.length && ctx.rand.chance(0.5)) return ctx.rand.pick(vs.slice(0, 6));
  return ctx.value('vector.broadcast', [operand(ctx, b.elem, b.elem.kind === 'float' ? () => true : exactOnly(ctx))], t);
}

/**
 * vector.gather / scatter with constant offsets inside the buffer (scatter: distinct ones, since two active lanes on
 * one element are UB), and compressstore / expandload from a base with room for every lane; masks are generated.
 */
export function indexedAccess(ctx: GenContext): boolean {
  const r = ctx.rand;
  const kind = r.pick(['vector.gather', 'vector.scatter', 'vector.compressstore', 'vector.expandload'] as const);
  const write = kind === 'vector.scatter' || kind === 'vector.compressstore';
  const b = pickBuffer(ctx, identityBuffers(write ? ctx.writableBuffers() : ctx.readableBuffers()));
  if (!b) return false;
  const total = b.shape.reduce((a, n) => a * n, 1);
  const w = Math.min(vectorWidth(ctx), total);
  if (w < 1) return false;
  const t = vector([w], b.elem);
  const m = mask(ctx, w);
  if (kind === 'vector.compressstore' || kind === 'vector.expandload') {
    const idx = constantBase(ctx, b, r.int(0, total - w));
    if (kind === 'vector.compressstore') ctx.op(kind, [b.value, ...idx, m, valueToStore(ctx, b, w)], []);
    else ctx.op(kind, [b.value, ...idx, m, ctx.value('vector.broadcast', [operand(ctx, b.elem, b.elem.kind === 'float' ? () => true : exactOnly(ctx))], t)], [t]);
    return true;
  }
  const flat0 = r.int(0, total - 1);
  const idx = constantBase(ctx, b, flat0);
  // Offsets relative to the base element, so negative ones reach elements before it.
  const positions = Array.from({ length: total }, (_, k) => k);
  for (let k = positions.length - 1; k > 0; k--) {
    const j = r.int(0, k);
    [positions[k], positions[j]] = [positions[j]!, positions[k]!];
  }
  const offsets = Array.from({ length: w }, (_, k) => BigInt((kind === 'vector.scatter' ? positions[k]! : r.int(0, total - 1)) - flat0));
  const ivElem = r.pick([i32, i64, index] as const);
  const ivType = vector([w], ivElem);
  const props = { value: denseAttr(ivType, offsets) };
  // An index vector stays out of scope, like vector.step's: a vector op that picked it up would make index lanes
  // without a proven range, which the generator refuses (a campaign's worker died on one).
  const iv = ivElem === index ? ctx.b.create('arith.constant', { results: [ivType], props }).result : ctx.value('arith.constant', [], ivType, {}, props);
  if (kind === 'vector.gather') {
    const pass = ctx.value('vector.broadcast', [operand(ctx, b.elem, b.elem.kind === 'float' ? () => true : exactOnly(ctx))], t);
    ctx.op(kind, [b.value, ...idx, iv, m, pass], [t]);
  } else ctx.op(kind, [b.value, ...idx, iv, m, valueToStore(ctx, b, w)], []);
  return true;
}

/**
 * vector.mask around a 1-D transfer_read or transfer_write: masked-off lanes are not accessed. No passthru: MLIR 22's
 * lower-vector-mask cannot lower a masked transfer_read that has one.
 */
export function maskedTransfer(ctx: GenContext): boolean {
  const r = ctx.rand;
  const write = r.chance(0.5);
  const b = pickBuffer(ctx, scalarBuffers(write ? ctx.writableBuffers() : ctx.readableBuffers()));
  if (!b) return false;
  const rank = b.shape.length;
  const w = vectorWidth(ctx);
  const t = vector([w], b.elem);
  const idx = b.shape.map((n) => indexInto(ctx, n));
  const m = mask(ctx, w);
  const props = {
    in_bounds: arrayAttr([boolAttr(false)]),
    operandSegmentSizes: denseArray(i32, write ? [1, 1, rank, 0] : [1, rank, 1, 0]),
    permutation_map: mapAttr(affineMap(rank, 0, [dim(rank - 1)])),
  };
  const value = write ? valueToStore(ctx, b, w) : undefined;
  const pad = write ? undefined : operand(ctx, b.elem, b.elem.kind === 'float' ? () => true : exactOnly(ctx));
  const entry = new Block();
  ctx.inScope(entry, () => {
    if (write) {
      ctx.b.create('vector.transfer_write', { operands: [value!, b.value, ...idx], props });
      ctx.b.create('vector.yield', { operands: [] });
    } else {
      const read = ctx.b.create('vector.transfer_read', { operands: [b.value, ...idx, pad!], results: [t], props });
      ctx.b.create('vector.yield', { operands: [read.results[0]!] });
    }
  });
  const op = ctx.b.create('vector.mask', { operands: [m], results: write ? [] : [t], regions: [new Region([entry])] });
  ctx.limits.budget -= 2;
  if (!write) {
    ctx.setFacts(op.results[0]!, pad && ctx.factsOf(pad).approx ? { approx: true } : {});
    ctx.define(op.results[0]!);
  }
  return true;
}
