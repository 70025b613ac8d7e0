// Scalar arith and math ops. Each table row says how an op may be created and what its result range is.
import type { Value } from '../../ir/core.ts';
import { dialectAttr, intAttr, unit } from '../../ir/attributes.ts';
import type { Attr } from '../../ir/attributes.ts';
import type { FloatType, IntType, ScalarType, Type } from '../../ir/types.ts';
import { i1, i32, i64, index, typeEq } from '../../ir/types.ts';
import type { GenContext } from './context.ts';
import { floatConstant, intConstant, scalarConstant } from './constants.ts';
import { convert } from './convert.ts';
import { indexBinary, indexBoolConstant, indexCompare, indexConstant, indexFromInt, indexSizeof, intFromIndex } from './index-ops.ts';
import { CMPI_PREDICATES, cmpi, guardDivisor, guardShift, select } from './guards.ts';
import type { Range } from './ranges.ts';
import { addRange, clampToWidth, fits, fullRange, maxRange, minRange, mulRange, nonNegative, subRange, within } from './ranges.ts';

type IntTy = IntType | typeof index;
const widthOf = (t: IntTy): number => (t.kind === 'int' ? t.width : 32);

type IntBinary = {
  readonly name: string;
  readonly kind: 'plain' | 'overflow' | 'div' | 'shift';
  readonly signed?: boolean;
  /** Exact result range when no wrap happens; undefined when unknown. */
  readonly range?: (a: Range, b: Range, w: number) => Range | undefined;
  /** Only defined identically for 32- and 64-bit index when operands are non-negative. */
  readonly unsigned?: boolean;
};

const absMax = (r: Range): bigint => (-r[0] > r[1] ? -r[0] : r[1]);

const INT_BINARY: readonly IntBinary[] = [
  { name: 'arith.addi', kind: 'overflow', range: addRange },
  { name: 'arith.subi', kind: 'overflow', range: subRange },
  { name: 'arith.muli', kind: 'overflow', range: mulRange },
  { name: 'arith.divsi', kind: 'div', signed: true, range: (a) => [-absMax(a), absMax(a)] },
  { name: 'arith.divui', kind: 'div', unsigned: true },
  { name: 'arith.ceildivsi', kind: 'div', signed: true, range: (a) => [-absMax(a), absMax(a)] },
  { name: 'arith.ceildivui', kind: 'div', unsigned: true },
  { name: 'arith.floordivsi', kind: 'div', signed: true, range: (a) => [-absMax(a), absMax(a)] },
  // |a rem b| < |b|, and the sign follows the dividend.
  { name: 'arith.remsi', kind: 'div', signed: true, range: (a, b) => [a[0] >= 0n ? 0n : -(absMax(b) - 1n) > a[0] ? -(absMax(b) - 1n) : a[0], a[1] <= 0n ? 0n : absMax(b) - 1n < a[1] ? absMax(b) - 1n : a[1]] },
  { name: 'arith.remui', kind: 'div', unsigned: true, range: (a, b) => (nonNegative(a) && nonNegative(b) ? [0n, b[1] - 1n < a[1] ? b[1] - 1n : a[1]] : undefined) },
  { name: 'arith.andi', kind: 'plain', range: (a, b) => (nonNegative(a) || nonNegative(b) ? [0n, nonNegative(a) && nonNegative(b) ? (a[1] < b[1] ? a[1] : b[1]) : nonNegative(a) ? a[1] : b[1]] : undefined) },
  { name: 'arith.ori', kind: 'plain', range: (a, b) => (nonNegative(a) && nonNegative(b) ? [0n, pow2Above(a[1] > b[1] ? a[1] : b[1])] : undefined) },
  { name: 'arith.xori', kind: 'plain', range: (a, b) => (nonNegative(a) && nonNegative(b) ? [0n, pow2Above(a[1] > b[1] ? a[1] : b[1])] : undefined) },
  { name: 'arith.shli', kind: 'shift' },
  { name: 'arith.shrsi', kind: 'shift', signed: true, range: (a) => [a[0] < 0n ? a[0] : 0n, a[1] > 0n ? a[1] : 0n] },
  { name: 'arith.shrui', kind: 'shift', unsigned: true, range: (a) => (nonNegative(a) ? [0n, a[1]] : undefined) },
  { name: 'arith.maxsi', kind: 'plain', range: maxRange },
  { name: 'arith.minsi', kind: 'plain', range: minRange },
  { name: 'arith.maxui', kind: 'plain', unsigned: true, range: (a, b) => (nonNegative(a) && nonNegative(b) ? maxRange(a, b) : undefined) },
  { name: 'arith.minui', kind: 'plain', unsigned: true, range: (a, b) => (nonNegative(a) && nonNegative(b) ? minRange(a, b) : undefined) },
];

function pow2Above(x: bigint): bigint {
  let p = 1n;
  while (p <= x) p <<= 1n;
  return p - 1n;
}

const FLOAT_BINARY = ['arith.addf', 'arith.subf', 'arith.mulf', 'arith.divf', 'arith.remf', 'arith.maximumf', 'arith.minimumf', 'arith.maxnumf', 'arith.minnumf', 'math.copysign'];
/** Correctly rounded everywhere: compared bit for bit. */
const EXACT_FLOAT_UNARY = ['arith.negf', 'math.absf', 'math.sqrt', 'math.ceil', 'math.floor', 'math.round', 'math.roundeven', 'math.trunc'];
/** Implementation-defined accuracy: results are compared with a tolerance, and never feed discrete decisions. */
const APPROX_FLOAT_UNARY = ['math.exp', 'math.exp2', 'math.expm1', 'math.log', 'math.log2', 'math.log10', 'math.log1p', 'math.tanh', 'math.sin', 'math.cos', 'math.tan', 'math.atan', 'math.sinh', 'math.cosh', 'math.asinh', 'math.erf', 'math.cbrt', 'math.rsqrt', 'math.erfc', 'math.asin', 'math.acos', 'math.acosh', 'math.atanh'];
const APPROX_FLOAT_BINARY = ['math.powf', 'math.atan2'];
const INT_UNARY = ['math.absi', 'math.ctlz', 'math.cttz', 'math.ctpop'];
const FLOAT_CLASSIFY = ['math.isnan', 'math.isinf', 'math.isfinite', 'math.isnormal'];

export const INT_TYPES: readonly IntType[] = [i1, { kind: 'int', width: 8 }, { kind: 'int', width: 16 }, i32, i64, { kind: 'int', width: 3 }, { kind: 'int', width: 6 }, { kind: 'int', width: 63 }, { kind: 'int', width: 17 }];
export const FLOAT_TYPES: readonly FloatType[] = [
  { kind: 'float', name: 'f32' },
  { kind: 'float', name: 'f64' },
  { kind: 'float', name: 'f16' },
  { kind: 'float', name: 'bf16' },
];

export function randomScalarType(ctx: GenContext): ScalarType {
  const r = ctx.rand;
  const w = ctx.weights.scalarType;
  return r.weighted<ScalarType>([
    [w.i32, i32],
    [w.i64, i64],
    [w.anyInt, r.pick(INT_TYPES)],
    [w.index, index],
    [w.f32, FLOAT_TYPES[0]!],
    [w.anyFloat, r.pick(FLOAT_TYPES)],
  ]);
}

const overflowAttr = (flags: string[]): Attr => dialectAttr('arith', 'overflow', flags.length ? flags.join(', ') : 'none');

/** An operand of type t: usually an existing value, sometimes a fresh constant or a conversion of another value. */
export function operand(ctx: GenContext, t: Type, pred: (v: Value) => boolean = () => true): Value {
  const r = ctx.rand;
  const existing = ctx.chance('operandReuse') ? ctx.pickOfType(t, pred) : undefined;
  if (existing) return existing;
  if (t.kind === 'int' || t.kind === 'index' || t.kind === 'float') {
    if (ctx.chance('operandConvert')) {
      const others = ctx.visibleValues((v) => (v.type.kind === 'int' || v.type.kind === 'float' || v.type.kind === 'index') && !typeEq(v.type, t) && pred(v));
      const other = others.length ? r.pick(others) : undefined;
      // Approximate floats never become integer bits: a 1-ulp difference would flip them.
      if (other && (t.kind === 'float' || !ctx.factsOf(other).approx)) return convert(ctx, other, t);
    }
    return scalarConstant(ctx, t);
  }
  throw new Error('operand: scalar types only');
}

/** Values that may decide control flow, indices or integer bits: never approximate ones. */
export const exactOnly = (ctx: GenContext) => (v: Value): boolean => !ctx.factsOf(v).approx;

export function intBinary(ctx: GenContext, t: IntTy): Value {
  const r = ctx.rand;
  const w = widthOf(t);
  const isIndex = t.kind === 'index';
  for (let attempt = 0; attempt < 6; attempt++) {
    const spec = r.pick(INT_BINARY);
    if (isIndex && spec.kind === 'shift') continue;
    // On i1 the only non-zero divisor, -1, is also INT_MIN: every signed division can overflow.
    if (w === 1 && spec.kind === 'div' && spec.signed) continue;
    const a = operand(ctx, t, exactOnly(ctx));
    let b = operand(ctx, t, exactOnly(ctx));
    const ra = ctx.rangeOf(a);
    let rb = ctx.rangeOf(b);
    // 32- and 64-bit index disagree on unsigned views of negative values.
    if (isIndex && spec.unsigned && !(nonNegative(ra) && nonNegative(rb))) continue;
    const props: Record<string, Attr> = {};
    if (spec.kind === 'div') {
      b = guardDivisor(ctx, t, a, b, spec.signed ?? false);
      rb = ctx.rangeOf(b);
    } else if (spec.kind === 'shift') {
      if (ctx.chance('shiftEdgeAmount')) b = ctx.constInt(t as IntType, r.pick([BigInt(w - 1), BigInt(w), BigInt(w + 1), 1n]));
      b = guardShift(ctx, t as IntType, b);
      rb = ctx.rangeOf(b);
    }
    let range = spec.range?.(ra, rb, w);
    if (spec.kind === 'shift' && spec.name === 'arith.shli' && rb[0] === rb[1]) range = mulRange(ra, [1n << rb[0], 1n << rb[0]]);
    if (spec.kind === 'overflow' || spec.name === 'arith.shli') {
      // nsw/nuw only where the ranges prove no wrap: a flag that can fire is UB, not a test.
      const flags: string[] = [];
      if (range && fits(range, w) && ctx.chance('nswFlag')) flags.push('nsw');
      const bothNonNeg = nonNegative(ra) && nonNegative(rb);
      if (bothNonNeg && range && within(range, 0n, (1n << BigInt(w)) - 1n) && spec.name !== 'arith.subi' && ctx.chance('nuwFlag')) flags.push('nuw');
      if (spec.name === 'arith.subi' && bothNonNeg && rb[1] <= ra[0] && ctx.chance('nuwFlag')) flags.push('nuw');
      if (flags.length) props.overflowFlags = overflowAttr(flags);
    }
    const known = range && fits(range, w) ? range : undefined;
    if (isIndex && !known) continue; // index results must provably fit int32
    return ctx.value(spec.name, [a, b], t, { range: known ?? fullRange(w) }, props);
  }
  return operand(ctx, t, exactOnly(ctx));
}

/** `(x << k) >> k exact` and `(x * 2^k) / 2^k exact`: exact flags that hold by construction. */
export function exactRoundTrip(ctx: GenContext, t: IntType): Value | undefined {
  if (t.width < 4) return undefined;
  const r = ctx.rand;
  const k = BigInt(r.int(1, Math.min(6, t.width - 2)));
  const x = operand(ctx, t, exactOnly(ctx));
  if (ctx.chance('roundTripByShift')) {
    const sh = ctx.value('arith.shli', [x, ctx.constInt(t, k)], t, { range: fullRange(t.width) });
    return ctx.value(r.chance(0.5) ? 'arith.shrsi' : 'arith.shrui', [sh, ctx.constInt(t, k)], t, { range: fullRange(t.width) }, { isExact: unit });
  }
  const m = ctx.value('arith.muli', [x, ctx.constInt(t, 1n << k)], t, { range: fullRange(t.width) });
  // 2^k stays positive only while k < width - 1; divsi by it never overflows.
  return ctx.value(r.chance(0.5) ? 'arith.divsi' : 'arith.divui', [m, ctx.constInt(t, 1n << k)], t, { range: fullRange(t.width) }, { isExact: unit });
}

export function intUnary(ctx: GenContext, t: IntType): Value {
  const name = ctx.rand.pick(INT_UNARY);
  const a = operand(ctx, t, exactOnly(ctx));
  const range: Range = name === 'math.absi' ? fullRange(t.width) : clampToWidth([0n, BigInt(t.width)], t.width);
  return ctx.value(name, [a], t, { range });
}

/** math.ipowi with a small non-negative exponent (negative exponents divide by zero for a zero base). */
export function intPower(ctx: GenContext, t: IntType): Value {
  const base = operand(ctx, t, exactOnly(ctx));
  const e = t.width >= 4 ? ctx.value('arith.andi', [operand(ctx, t, exactOnly(ctx)), ctx.constInt(t, 7n)], t, { range: [0n, 7n] }) : ctx.constInt(t, 0n);
  return ctx.value('math.ipowi', [base, e], t, { range: fullRange(t.width) });
}

export function floatBinary(ctx: GenContext, t: FloatType): Value {
  const r = ctx.rand;
  if (ctx.chance('approxFloatBinary')) {
    const name = r.pick(APPROX_FLOAT_BINARY);
    return ctx.value(name, [operand(ctx, t), operand(ctx, t)], t, { approx: true });
  }
  const name = r.pick(FLOAT_BINARY);
  return ctx.value(name, [operand(ctx, t), operand(ctx, t)], t);
}

export function floatUnary(ctx: GenContext, t: FloatType): Value {
  const r = ctx.rand;
  if (ctx.chance('approxFloatUnary')) return ctx.value(r.pick(APPROX_FLOAT_UNARY), [operand(ctx, t)], t, { approx: true });
  const name = r.pick(EXACT_FLOAT_UNARY);
  const a = operand(ctx, t);
  const noNaN = name === 'arith.negf' || name === 'math.absf' ? ctx.factsOf(a).noNaN : undefined;
  return ctx.value(name, [a], t, noNaN ? { noNaN } : {});
}

export function floatFma(ctx: GenContext, t: FloatType): Value {
  return ctx.value('math.fma', [operand(ctx, t), operand(ctx, t), operand(ctx, t)], t);
}

/** math.clampf on NaN-free values with ordered bounds: how NaN clamps depends on the lowering, not on MLIR's spec. */
export function floatClamp(ctx: GenContext, t: FloatType): Value {
  const x = ctx.value('arith.sitofp', [operand(ctx, i32, exactOnly(ctx))], t, { noNaN: true });
  const lo = ctx.rand.int(-8, 0);
  const hi = lo + ctx.rand.int(0, 8);
  return ctx.value('math.clampf', [x, ctx.constFloat(t, lo), ctx.constFloat(t, hi)], t, { noNaN: true });
}

/** math.sincos: both results at once (implementation-defined accuracy). */
export function sinCos(ctx: GenContext, t: FloatType): Value {
  const [s, c] = ctx.op('math.sincos', [operand(ctx, t)], [t, t]);
  ctx.setFacts(s!, { approx: true });
  ctx.setFacts(c!, { approx: true });
  return ctx.rand.chance(0.5) ? s! : c!;
}

/** A float classification (isnan, isinf, isfinite, isnormal) as an i1. */
export function classify(ctx: GenContext): Value {
  const t = ctx.rand.pick(FLOAT_TYPES);
  return ctx.value(ctx.rand.pick(FLOAT_CLASSIFY), [operand(ctx, t, exactOnly(ctx))], i1, { range: [-1n, 0n] });
}

/** math.fpowi: float base, small integer exponent. */
export function floatPowi(ctx: GenContext, t: FloatType): Value {
  const e = ctx.value('arith.andi', [operand(ctx, i32, exactOnly(ctx)), ctx.constInt(i32, 7n)], i32, { range: [0n, 7n] });
  return ctx.value('math.fpowi', [operand(ctx, t), e], t, { approx: true });
}

const CMPF_PREDICATES = 16;

/** An i1 from a comparison or a float classification, on exact values only. */
export function condition(ctx: GenContext): Value {
  const r = ctx.rand;
  const t = randomScalarType(ctx);
  if (t.kind === 'float') {
    if (ctx.chance('floatConditionClassify')) return classify(ctx);
    const a = operand(ctx, t, exactOnly(ctx));
    const b = operand(ctx, t, exactOnly(ctx));
    return ctx.value('arith.cmpf', [a, b], i1, { range: [-1n, 0n] }, { predicate: intAttr(r.int(0, CMPF_PREDICATES - 1), i64) });
  }
  if (t.kind === 'index' && ctx.chance('indexDialectCompare')) return indexCompare(ctx);
  const a = operand(ctx, t, exactOnly(ctx));
  const b = operand(ctx, t, exactOnly(ctx));
  let preds = CMPI_PREDICATES;
  if (t.kind === 'index' && !(nonNegative(ctx.rangeOf(a)) && nonNegative(ctx.rangeOf(b)))) preds = preds.filter((p) => p[0] !== 'u');
  return cmpi(ctx, r.pick(preds), a, b);
}

export function selectOf(ctx: GenContext, t: ScalarType): Value {
  const c = operand(ctx, i1, exactOnly(ctx));
  return select(ctx, c, operand(ctx, t, t.kind === 'float' ? () => true : exactOnly(ctx)), operand(ctx, t, t.kind === 'float' ? () => true : exactOnly(ctx)));
}

/** addui_extended / mulsi_extended / mului_extended: two results, the second consumed later as a value. */
export function extendedArith(ctx: GenContext, t: IntType): Value {
  const name = ctx.rand.pick(['arith.addui_extended', 'arith.mulsi_extended', 'arith.mului_extended']);
  const a = operand(ctx, t, exactOnly(ctx));
  const b = operand(ctx, t, exactOnly(ctx));
  const second = name === 'arith.addui_extended' ? i1 : t;
  const [lo, hi] = ctx.op(name, [a, b], [t, second]);
  ctx.setFacts(lo!, { range: fullRange(t.width) });
  ctx.setFacts(hi!, { range: fullRange(second.kind === 'int' ? second.width : 1) });
  return ctx.rand.chance(0.5) ? lo! : convert(ctx, hi!, t);
}

/** One new scalar value of type t, built by a randomly chosen op. */
export function scalarValue(ctx: GenContext, t: ScalarType): Value {
  const r = ctx.rand;
  const ws = ctx.weights;
  if (t.kind === 'float') {
    const w = ws.floatValue;
    return r.weighted<() => Value>([
      [w.binary, () => floatBinary(ctx, t)],
      [w.unary, () => floatUnary(ctx, t)],
      [w.fma, () => floatFma(ctx, t)],
      [w.powi, () => floatPowi(ctx, t)],
      [w.clamp, () => floatClamp(ctx, t)],
      [w.sincos, () => sinCos(ctx, t)],
      [w.select, () => selectOf(ctx, t)],
      [w.constant, () => floatConstant(ctx, t)],
      [w.operand, () => operand(ctx, t)],
    ])();
  }
  if (t.kind === 'index') {
    const w = ws.indexValue;
    return r.weighted<() => Value>([
      [w.binary, () => intBinary(ctx, index)],
      [w.select, () => selectOf(ctx, index)],
      [w.operand, () => operand(ctx, index)],
      [w.dialect, () => indexBinary(ctx)],
      [w.dialectConstant, () => indexConstant(ctx, BigInt(r.int(-16, 64)))],
      [w.fromInt, () => indexFromInt(ctx)],
      [w.sizeof, () => indexSizeof(ctx)],
    ])();
  }
  if (t.width === 1) {
    const w = ws.boolValue;
    return r.weighted<() => Value>([
      [w.compare, () => condition(ctx)],
      [w.classify, () => classify(ctx)],
      [w.binary, () => intBinary(ctx, t)],
      [w.constant, () => intConstant(ctx, t)],
      [w.indexCompare, () => indexCompare(ctx)],
      [w.indexConstant, () => indexBoolConstant(ctx)],
    ])();
  }
  const w = ws.intValue;
  return r.weighted<() => Value>([
    [w.binary, () => intBinary(ctx, t)],
    [w.unary, () => intUnary(ctx, t)],
    [w.power, () => intPower(ctx, t)],
    [w.exactRoundTrip, () => exactRoundTrip(ctx, t) ?? intBinary(ctx, t)],
    [w.extended, () => extendedArith(ctx, t)],
    [w.select, () => selectOf(ctx, t)],
    [w.constant, () => intConstant(ctx, t)],
    [w.operand, () => operand(ctx, t)],
    [w.fromIndex, () => intFromIndex(ctx, t)],
  ])();
}

