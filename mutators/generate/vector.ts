// vector dialect: transfers (with out-of-bounds padding), broadcast, extract/insert, shuffle, fma,
// reductions, elementwise arith on vectors, and vector.print.
import { arrayAttr, denseArray, dialectAttr, intAttr } from '../../ir/attributes.ts';
import type { Value } from '../../ir/core.ts';
import type { IntType, ScalarType, VectorType } from '../../ir/types.ts';
import { i1, i32, i64, index, vector } from '../../ir/types.ts';
import type { GenContext } from './context.ts';
import { clampIndex } from './guards.ts';
import { fullRange } from './ranges.ts';
import { sameElem, transferRead, transferWrite } from './vector-memory.ts';
import { exactOnly, operand } from './scalar.ts';

const INT64_MIN = -(1n << 63n); // static_position marker for a dynamic position

const isVec = (v: Value): boolean => v.type.kind === 'vector';
const elemOf = (v: Value): ScalarType => (v.type as VectorType).elem as ScalarType;

export function vectorWidth(ctx: GenContext): number {
  // Odd widths and widths past the buffer end reach masking and remainder handling in the lowering.
  return ctx.rand.weighted(ctx.tables.vectorWidth);
}

/** A vector value: an existing one, a transfer_read, or a broadcast of a scalar. */
export function vectorValue(ctx: GenContext, elem?: ScalarType): Value | undefined {
  const r = ctx.rand;
  const existing = ctx.visibleValues((v) => isVec(v) && (v.type as VectorType).shape.length === 1 && (!elem || sameElem(elemOf(v), elem)));
  if (existing.length && ctx.chance('vectorReuse')) return r.pick(existing.slice(0, 6));
  if (!elem && ctx.chance('vectorTransferRead')) {
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
  switch (r.int(0, 14)) {
    case 0: {
      // static or dynamic (clamped) position
      if (ctx.chance('vectorStaticExtract')) ctx.value('vector.extract', [v], e, {}, { static_position: denseArray(i64, [r.int(0, n - 1)]) });
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
      ctx.value('vector.fma', [v, sameShape(ctx, v), sameShape(ctx, v)], vt);
      return true;
    }
    case 4:
      reduction(ctx, v);
      return true;
    case 5:
      flatten(ctx, ctx.value('vector.broadcast', [v], vector([r.int(1, 3), n], e)));
      return true;
    case 6:
    case 7:
      elementwise(ctx, v);
      return true;
    case 8:
      stridedSlice(ctx, v);
      return true;
    case 9:
      elements(ctx, v);
      return true;
    case 10:
      reshape(ctx, v);
      return true;
    case 11:
      return bitcastVector(ctx) !== undefined;
    case 12:
      step(ctx);
      return true;
    case 13:
      outerProduct(ctx, v);
      return true;
    default:
      return transferWrite(ctx);
  }
}

function sameShape(ctx: GenContext, like: Value): Value {
  const vs = ctx.visibleValues((x) => x !== like && x.type === like.type);
  if (vs.length && ctx.chance('vectorOperandReuse')) return ctx.rand.pick(vs);
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
  const acc = ctx.chance('reductionAcc') ? [operand(ctx, e, e.kind === 'float' ? () => true : exactOnly(ctx))] : [];
  return ctx.value('vector.reduction', [v, ...acc], e, e.kind === 'int' ? { range: fullRange(e.width) } : {}, { kind: dialectAttr('vector', 'kind', kind) });
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
  if (ctx.chance('vectorSelect') && !ctx.factsOf(v).approx && !ctx.factsOf(w).approx) {
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
  const punct = r.weighted(ctx.tables.printPunctuation);
  ctx.op('vector.print', [v], [], { punctuation: dialectAttr('vector', 'punctuation', punct) });
  if (punct !== 'newline') ctx.op('vector.print', [], [], { punctuation: dialectAttr('vector', 'punctuation', 'newline') });
  return true;
}

/** Strided slices: extract a window of lanes, or insert a shorter vector at an offset. */
export function stridedSlice(ctx: GenContext, v: Value): Value {
  const r = ctx.rand;
  const vt = v.type as VectorType;
  const n = vt.shape[0]!;
  const size = r.int(1, n);
  const off = r.int(0, n - size);
  const part = ctx.value('vector.extract_strided_slice', [v], vector([size], vt.elem), {}, { offsets: arrayAttr([intAttr(off, i64)]), sizes: arrayAttr([intAttr(size, i64)]), strides: arrayAttr([intAttr(1, i64)]) });
  if (ctx.chance('stridedExtractOnly')) return part;
  const at = r.int(0, n - size);
  return ctx.value('vector.insert_strided_slice', [part, sameShape(ctx, v)], vt, {}, { offsets: arrayAttr([intAttr(at, i64)]), strides: arrayAttr([intAttr(1, i64)]) });
}

/** from_elements builds a vector of scalars; to_elements splits one back into scalars. */
export function elements(ctx: GenContext, v: Value): Value {
  const r = ctx.rand;
  const e = elemOf(v);
  if (ctx.chance('toElements') && (v.type as VectorType).shape[0]! <= 8) {
    const parts = ctx.op('vector.to_elements', [v], Array.from({ length: (v.type as VectorType).shape[0]! }, () => e));
    const approx = ctx.factsOf(v).approx;
    for (const p of parts) ctx.setFacts(p, { ...(e.kind === 'int' && { range: fullRange(e.width) }), ...(approx && { approx }) });
    return parts[r.int(0, parts.length - 1)]!;
  }
  const k = r.int(2, 4);
  const xs = Array.from({ length: k }, () => operand(ctx, e, e.kind === 'float' ? () => true : exactOnly(ctx)));
  return ctx.value('vector.from_elements', xs, vector([k], e));
}

/** Lane shuffles that change the shape: interleave, shape_cast to 2-D (then transpose or reduce back). */
export function reshape(ctx: GenContext, v: Value): Value {
  const vt = v.type as VectorType;
  const n = vt.shape[0]!;
  const e = vt.elem as ScalarType;
  if (ctx.chance('interleave')) return ctx.value('vector.interleave', [v, sameShape(ctx, v)], vector([2 * n], e));
  const rows = [2, 3, 4].find((d) => n % d === 0 && n > d) ?? 1;
  let two = ctx.value('vector.shape_cast', [v], vector([rows, n / rows], e));
  if (ctx.chance('transpose')) two = ctx.value('vector.transpose', [two], vector([n / rows, rows], e), {}, { permutation: denseArray(i64, [1, 0]) });
  return flatten(ctx, two);
}

/** Brings a 2-D vector back to 1-D: a row extract, a shape_cast, or a multi_reduction over one dimension. */
function flatten(ctx: GenContext, two: Value): Value {
  const r = ctx.rand;
  const t = two.type as VectorType;
  const [a, b] = [t.shape[0]!, t.shape[1]!];
  const e = t.elem as ScalarType;
  const pick = r.int(0, 2);
  if (pick === 0) return ctx.value('vector.extract', [two], vector([b], e), {}, { static_position: denseArray(i64, [r.int(0, a - 1)]) });
  if (pick === 1) return ctx.value('vector.shape_cast', [two], vector([a * b], e));
  const dimR = r.int(0, 1);
  const kept = dimR === 0 ? b : a;
  const acc = sameShape(ctx, ctx.value('vector.broadcast', [operand(ctx, e, e.kind === 'float' ? () => true : exactOnly(ctx))], vector([kept], e)));
  // Float multi-reductions use order-independent kinds only: the lowering may combine rows in any order.
  const kind = r.pick(e.kind === 'float' ? ['maximumf', 'minimumf'] : INT_KINDS);
  return ctx.value('vector.multi_reduction', [two, acc], vector([kept], e), {}, { kind: dialectAttr('vector', 'kind', kind), reduction_dims: denseArray(i64, [dimR]) });
}

/** Reinterprets an integer vector's bits with another element type (never from floats: NaN payloads differ). */
export function bitcastVector(ctx: GenContext): Value | undefined {
  const r = ctx.rand;
  const v = vectorValue(ctx, r.pick([i32, i64]));
  if (!v || ctx.factsOf(v).approx) return undefined;
  const vt = v.type as VectorType;
  const bits = (vt.elem as IntType).width * vt.shape[0]!;
  const choices: ScalarType[] = [{ kind: 'int', width: 16 }, i32, { kind: 'float', name: 'f32' }, { kind: 'int', width: 8 }];
  if (bits % 64 === 0) choices.push(i64, { kind: 'float', name: 'f64' });
  const to = r.pick(choices);
  const w = to.kind === 'float' ? (to.name === 'f64' ? 64 : 32) : (to as IntType).width;
  return ctx.value('vector.bitcast', [v], vector([bits / w], to));
}

/** vector.step: the lane numbers 0..n-1 as an index vector, cast to integers. */
export function step(ctx: GenContext): Value {
  const n = vectorWidth(ctx);
  // The index vector stays out of scope: lanes extracted from it would be index values without a proven range.
  const s = ctx.b.create('vector.step', { results: [vector([n], index)] }).result;
  return ctx.value('arith.index_cast', [s], vector([n], i32));
}

/** vector.outerproduct (with an accumulator it is a fused multiply-add per element), reduced back to 1-D. */
export function outerProduct(ctx: GenContext, v: Value): Value {
  const r = ctx.rand;
  const vt = v.type as VectorType;
  const e = vt.elem as ScalarType;
  const b = vectorValue(ctx, e) ?? v;
  const [n, m] = [vt.shape[0]!, (b.type as VectorType).shape[0]!];
  const t = vector([n, m], e);
  const acc = ctx.chance('outerProductAcc') ? [ctx.value('vector.broadcast', [operand(ctx, e, e.kind === 'float' ? () => true : exactOnly(ctx))], t)] : [];
  const kind = e.kind === 'float' ? 'add' : r.pick(['add', 'mul', 'maxsi', 'minui', 'and', 'or', 'xor']);
  return flatten(ctx, ctx.value('vector.outerproduct', [v, b, ...acc], t, {}, { kind: dialectAttr('vector', 'kind', kind) }));
}
