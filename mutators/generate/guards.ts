// UB avoided by construction (DESIGN §5): divisors, shift amounts, float-to-int ranges and memory indices are
// guarded with selects, masks and clamps unless the value ranges already prove them safe.
import type { Value } from '../../ir/core.ts';
import { intAttr } from '../../ir/attributes.ts';
import type { FloatType, IntType } from '../../ir/types.ts';
import { i1, index } from '../../ir/types.ts';
import type { GenContext } from './context.ts';
import { fullRange, within } from './ranges.ts';

const PRED = { eq: 0, ne: 1, slt: 2, sle: 3, sgt: 4, sge: 5, ult: 6, ule: 7, ugt: 8, uge: 9 } as const;
export type IntPredicate = keyof typeof PRED;
export const CMPI_PREDICATES = Object.keys(PRED) as IntPredicate[];

export function cmpi(ctx: GenContext, pred: IntPredicate, a: Value, b: Value): Value {
  return ctx.value('arith.cmpi', [a, b], i1, { range: [-1n, 0n] }, { predicate: intAttr(PRED[pred], { kind: 'int', width: 64 }) });
}

export function select(ctx: GenContext, c: Value, a: Value, b: Value): Value {
  const ra = ctx.factsOf(a).range;
  const rb = ctx.factsOf(b).range;
  const range = ra && rb ? ([ra[0] < rb[0] ? ra[0] : rb[0], ra[1] > rb[1] ? ra[1] : rb[1]] as const) : undefined;
  const noNaN = ctx.factsOf(a).noNaN && ctx.factsOf(b).noNaN;
  return ctx.value('arith.select', [c, a, b], a.type, { ...(range && { range }), ...(noNaN && { noNaN }) });
}

/** A divisor that is never 0, and for signed division never -1 while the dividend is INT_MIN. */
export function guardDivisor(ctx: GenContext, t: IntType | typeof index, dividend: Value, divisor: Value, signed: boolean): Value {
  const w = t.kind === 'int' ? t.width : 32;
  const rd = ctx.rangeOf(divisor);
  const zeroPossible = rd[0] <= 0n && rd[1] >= 0n;
  const min = fullRange(w)[0];
  const overflowPossible = signed && rd[0] <= -1n && rd[1] >= -1n && ctx.rangeOf(dividend)[0] <= min;
  let d = divisor;
  // On i1 the all-ones value is the only non-zero divisor (only unsigned division reaches here for i1).
  const one = () => ctx.constInt(t, w === 1 ? -1n : 1n);
  if (zeroPossible) {
    const isZero = cmpi(ctx, 'eq', d, ctx.constInt(t, 0n));
    d = select(ctx, isZero, one(), d);
  }
  if (overflowPossible && w > 1) {
    const bad = ctx.value('arith.andi', [cmpi(ctx, 'eq', dividend, ctx.constInt(t, min)), cmpi(ctx, 'eq', d, ctx.constInt(t, -1n))], i1, { range: [-1n, 0n] });
    d = select(ctx, bad, ctx.constInt(t, 1n), d);
  }
  ctx.setFacts(d, { range: zeroPossible ? [rd[0] < -1n ? rd[0] : -1n, rd[1] > 1n ? rd[1] : 1n] : rd });
  return d;
}

/** A shift amount below the bit width: either already known, masked for power-of-two widths, or reduced with remui. */
export function guardShift(ctx: GenContext, t: IntType, amount: Value): Value {
  const w = BigInt(t.width);
  if (within(ctx.rangeOf(amount), 0n, w - 1n)) return amount;
  const pow2 = (w & (w - 1n)) === 0n;
  if (pow2 && ctx.chance('shiftGuardMask')) return ctx.value('arith.andi', [amount, ctx.constInt(t, w - 1n)], t, { range: [0n, w - 1n] });
  return ctx.value('arith.remui', [amount, ctx.constInt(t, w)], t, { range: [0n, w - 1n] });
}

const PRECISION: Record<FloatType['name'], number> = { f16: 11, bf16: 8, f32: 24, f64: 53 };
const MAX_FINITE: Record<FloatType['name'], number> = { f16: 65504, bf16: 3.3895313892515355e38, f32: 3.4028234663852886e38, f64: Number.MAX_VALUE };

/** Float bounds [lo, hi] whose truncation always fits the integer width (fptosi/fptoui are poison outside it). */
export function fpToIntBounds(f: FloatType, width: number, signed: boolean): [number, number] {
  const p = PRECISION[f.name];
  const top = signed ? width - 1 : width; // the exclusive upper bound is 2^top
  const hi = Math.min(2 ** top - 2 ** Math.max(0, top - p), MAX_FINITE[f.name]);
  const lo = signed ? Math.max(-(2 ** (width - 1)), -MAX_FINITE[f.name]) : 0;
  return [lo, hi];
}

/** NaN becomes 0, then the value is clamped into the convertible range. */
export function clampForIntConversion(ctx: GenContext, x: Value, f: FloatType, width: number, signed: boolean): Value {
  const [lo, hi] = fpToIntBounds(f, width, signed);
  const isNaN = ctx.value('arith.cmpf', [x, x], i1, {}, { predicate: intAttr(14, { kind: 'int', width: 64 }) });
  let v = select(ctx, isNaN, ctx.constFloat(f, 0), x);
  v = ctx.value('arith.maximumf', [v, ctx.constFloat(f, lo)], f);
  v = ctx.value('arith.minimumf', [v, ctx.constFloat(f, hi)], f);
  return ctx.setFacts(v, { noNaN: true });
}

/** An index in [0, n): used directly when its range proves it, else masked to a small non-negative value and reduced. */
export function clampIndex(ctx: GenContext, v: Value, n: number): Value {
  const N = BigInt(n);
  let idx = v;
  if (v.type.kind === 'int') {
    const w = v.type.width;
    if (!within(ctx.rangeOf(v), 0n, N - 1n)) {
      // Mask first: low bits agree on every target, so the result is the same with a 32- or 64-bit index.
      const maskBits = Math.min(w - 1, 7);
      if (maskBits <= 0) idx = ctx.constInt(v.type, 0n);
      else idx = ctx.value('arith.andi', [v, ctx.constInt(v.type, (1n << BigInt(maskBits)) - 1n)], v.type, { range: [0n, (1n << BigInt(maskBits)) - 1n] });
    }
    const r = ctx.rangeOf(idx);
    idx = ctx.value(ctx.rand.chance(0.5) ? 'arith.index_cast' : 'arith.index_castui', [idx], index, { range: r });
  }
  const r = ctx.rangeOf(idx);
  if (within(r, 0n, N - 1n)) return idx;
  if (r[0] < 0n) {
    const m = ctx.value('arith.andi', [idx, ctx.constIndex(127)], index, { range: [0n, 127n] });
    return reduceIndex(ctx, m, N);
  }
  return reduceIndex(ctx, idx, N);
}

function reduceIndex(ctx: GenContext, idx: Value, n: bigint): Value {
  const r = ctx.rangeOf(idx);
  if (within(r, 0n, n - 1n)) return idx;
  const op = ctx.rand.weighted(ctx.tables.indexGuard);
  const bound = op === 'arith.minui' ? n - 1n : n;
  return ctx.value(op, [idx, ctx.constIndex(bound)], index, { range: [0n, n - 1n] });
}

