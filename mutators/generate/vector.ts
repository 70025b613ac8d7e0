// vector dialect: transfers (with out-of-bounds padding), broadcast, extract/insert, shuffle, fma,
// reductions, elementwise arith on vectors, and vector.print.
import { affineMap, dim } from '../../ir/affine.ts';
import { arrayAttr, boolAttr, denseArray, dialectAttr, intAttr, mapAttr } from '../../ir/attributes.ts';
import type { Value } from '../../ir/core.ts';
import type { IntType, ScalarType, VectorType } from '../../ir/types.ts';
import { i1, i32, i64, vector } from '../../ir/types.ts';
import type { Buffer, GenContext } from './context.ts';
import { clampIndex } from './guards.ts';
import { indexInto, pickBuffer } from './memory.ts';
import { exactOnly, operand } from './scalar.ts';

const INT64_MIN = -(1n << 63n); // static_position marker for a dynamic position

const isVec = (v: Value): boolean => v.type.kind === 'vector';
const elemOf = (v: Value): ScalarType => (v.type as VectorType).elem as ScalarType;

function vectorWidth(ctx: GenContext): number {
  // Odd widths and widths past the buffer end reach masking and remainder handling in the lowering.
  return ctx.rand.weighted([[4, 4], [2, 8], [1, 2], [1, 3], [1, 5]] as const);
}

/** vector.transfer_read of a 1-D vector along the last (or, transposed, the first) dimension. */
export function transferRead(ctx: GenContext, buf?: Buffer): Value | undefined {
  const r = ctx.rand;
  const b = buf ?? pickBuffer(ctx, ctx.readableBuffers().filter((x) => x.elem.kind === 'int' || x.elem.kind === 'float'));
  if (!b) return undefined;
  const rank = b.shape.length;
  const vdim = rank > 1 && r.chance(0.25) ? 0 : rank - 1;
  const w = vectorWidth(ctx);
  const idx = b.shape.map((n) => indexInto(ctx, n));
  const pad = operand(ctx, b.elem, b.elem.kind === 'float' ? () => true : exactOnly(ctx));
  const fits = b.shape[vdim]! >= w && r.chance(0.3);
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
  const vecs = ctx.visibleValues((v) => isVec(v) && (v.type as VectorType).shape.length === 1);
  if (!vecs.length) return false;
  const v = r.pick(vecs.slice(0, 6));
  const elem = elemOf(v);
  if (elem.kind !== 'float' && ctx.factsOf(v).approx) return false;
  const bufs = ctx.writableBuffers().filter((b) => b.elem.kind === elem.kind && printEq(b.elem, elem));
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

const printEq = (a: ScalarType, b: ScalarType): boolean => (a.kind === 'float' && b.kind === 'float' ? a.name === b.name : a.kind === 'int' && b.kind === 'int' && a.width === b.width);

/** A vector value: an existing one, a transfer_read, or a broadcast of a scalar. */
export function vectorValue(ctx: GenContext, elem?: ScalarType): Value | undefined {
  const r = ctx.rand;
  const existing = ctx.visibleValues((v) => isVec(v) && (v.type as VectorType).shape.length === 1 && (!elem || printEq(elemOf(v), elem)));
  if (existing.length && r.chance(0.6)) return r.pick(existing.slice(0, 6));
  if (!elem && r.chance(0.6)) {
    const v = transferRead(ctx);
    if (v) return v;
  }
  const e = elem ?? r.pick<ScalarType>([{ kind: 'float', name: 'f32' }, i32, i64, { kind: 'float', name: 'f64' }]);
  const s = operand(ctx, e, e.kind === 'float' ? () => true : exactOnly(ctx));
  return ctx.value('vector.broadcast', [s], vector([vectorWidth(ctx)], e));
}

/** One vector op chosen at random; returns false when nothing fitting is in scope. */
export function vectorOp(ctx: GenContext): boolean {
  const r = ctx.rand;
  const v = vectorValue(ctx);
  if (!v) return false;
  const vt = v.type as VectorType;
  const e = elemOf(v);
  const n = vt.shape[0]!;
  switch (r.int(0, 8)) {
    case 0: {
      // static or dynamic (clamped) position
      if (r.chance(0.5)) ctx.value('vector.extract', [v], e, {}, { static_position: denseArray(i64, [r.int(0, n - 1)]) });
      else {
        const src = ctx.visibleValues((x) => (x.type.kind === 'index' || x.type.kind === 'int') && !ctx.factsOf(x).approx);
        const p = src.length ? clampIndex(ctx, r.pick(src.slice(0, 6)), n) : ctx.constIndex(0);
        ctx.value('vector.extract', [v, p], e, {}, { static_position: denseArray(i64, [INT64_MIN]) });
      }
      return true;
    }
    case 1: {
      const s = operand(ctx, e, e.kind === 'float' ? () => true : exactOnly(ctx));
      ctx.value('vector.insert', [s, v], vt, {}, { static_position: denseArray(i64, [r.int(0, n - 1)]) });
      return true;
    }
    case 2: {
      const other = vectorValue(ctx, e);
      if (!other || (other.type as VectorType).shape[0] !== n) return false;
      const mask = Array.from({ length: r.int(1, 8) }, () => r.int(0, 2 * n - 1));
      ctx.value('vector.shuffle', [v, other], vector([mask.length], e), {}, { mask: denseArray(i64, mask) });
      return true;
    }
    case 3: {
      if (e.kind !== 'float') return false;
      const [a, c] = [sameShape(ctx, v), sameShape(ctx, v)];
      ctx.value('vector.fma', [v, a, c], vt);
      return true;
    }
    case 4:
      reduction(ctx, v);
      return true;
    case 5: {
      // 2-D broadcast: a rank-1 vector replicated along a new leading dimension
      ctx.value('vector.broadcast', [v], vector([r.int(1, 3), n], e));
      return true;
    }
    case 6:
    case 7:
      elementwise(ctx, v);
      return true;
    default:
      return transferWrite(ctx);
  }
}

function sameShape(ctx: GenContext, like: Value): Value {
  const vs = ctx.visibleValues((x) => x !== like && x.type === like.type);
  if (vs.length && ctx.rand.chance(0.5)) return ctx.rand.pick(vs);
  const vt = like.type as VectorType;
  const s = operand(ctx, vt.elem, vt.elem.kind === 'float' ? () => true : exactOnly(ctx));
  return ctx.value('vector.broadcast', [s], vt);
}

const INT_KINDS = ['add', 'mul', 'minui', 'minsi', 'maxui', 'maxsi', 'and', 'or', 'xor'];
const FLOAT_KINDS = ['add', 'mul', 'minimumf', 'maximumf', 'minnumf', 'maxnumf'];

/** vector.reduction, with an accumulator sometimes. Float add/mul reduce in lane order (no reassociation). */
export function reduction(ctx: GenContext, v: Value): Value {
  const r = ctx.rand;
  const e = elemOf(v);
  const kind = r.pick(e.kind === 'float' ? FLOAT_KINDS : INT_KINDS);
  const acc = r.chance(0.4) ? [operand(ctx, e, e.kind === 'float' ? () => true : exactOnly(ctx))] : [];
  return ctx.value('vector.reduction', [v, ...acc], e, e.kind === 'int' ? { range: fullIntRange(e) } : {}, { kind: dialectAttr('vector', 'kind', kind) });
}

function fullIntRange(t: IntType): readonly [bigint, bigint] {
  const h = 1n << BigInt(t.width - 1);
  return [-h, h - 1n];
}

const VEC_INT_OPS = ['arith.addi', 'arith.subi', 'arith.muli', 'arith.andi', 'arith.ori', 'arith.xori', 'arith.maxsi', 'arith.minui'];
const VEC_FLOAT_OPS = ['arith.addf', 'arith.subf', 'arith.mulf', 'arith.divf', 'arith.maximumf', 'arith.minnumf'];

/** arith on whole vectors, including a compare + select producing a lane mask. */
function elementwise(ctx: GenContext, v: Value): Value {
  const r = ctx.rand;
  const e = elemOf(v);
  const vt = v.type as VectorType;
  const w = sameShape(ctx, v);
  // Lane masks are integer bits: never computed from approximate floats.
  if (r.chance(0.3) && !ctx.factsOf(v).approx && !ctx.factsOf(w).approx) {
    const mask = vector(vt.shape, i1);
    const cmp =
      e.kind === 'float'
        ? ctx.value('arith.cmpf', [v, w], mask, {}, { predicate: intAttr(r.int(1, 14), i64) })
        : ctx.value('arith.cmpi', [v, w], mask, {}, { predicate: intAttr(r.int(0, 9), i64) });
    return ctx.value('arith.select', [cmp, v, w], vt);
  }
  return ctx.value(r.pick(e.kind === 'float' ? VEC_FLOAT_OPS : VEC_INT_OPS), [v, w], vt);
}

/** vector.print of a scalar or vector (its text is part of the program's output). */
export function vectorPrint(ctx: GenContext): boolean {
  const r = ctx.rand;
  // Printed text is compared exactly, so approximate values are never printed.
  const cands = ctx.visibleValues((v) => !ctx.factsOf(v).approx && ((v.type.kind === 'vector' && (v.type as VectorType).shape.length === 1) || v.type.kind === 'int' || v.type.kind === 'float'));
  const v = cands.length ? r.pick(cands.slice(0, 8)) : undefined;
  if (!v || ctx.parallelReadOnly) return false;
  const punct = r.weighted([[4, 'newline'], [1, 'comma'], [1, 'no_punctuation']] as const);
  ctx.op('vector.print', [v], [], { punctuation: dialectAttr('vector', 'punctuation', punct) });
  if (punct !== 'newline') ctx.op('vector.print', [], [], { punctuation: dialectAttr('vector', 'punctuation', 'newline') });
  return true;
}
