// Converts a scalar to another scalar type with arith casts, so any value can reach any buffer or operand.
import type { Value } from '../../ir/core.ts';
import type { FloatType, IntType, Type } from '../../ir/types.ts';
import { bitWidth, i, index, printType, typeEq } from '../../ir/types.ts';
import type { GenContext } from './context.ts';
import { clampForIntConversion } from './guards.ts';
import { clampToWidth, fits, fullRange, nonNegative } from './ranges.ts';

const FLOAT_ORDER = { f16: 0, bf16: 0, f32: 1, f64: 2 } as const;

export function convert(ctx: GenContext, v: Value, to: Type): Value {
  const from = v.type;
  if (typeEq(from, to)) return v;
  if (to.kind !== 'int' && to.kind !== 'index' && to.kind !== 'float') throw new Error(`convert to ${printType(to)}`);
  if (from.kind === 'index') return convert(ctx, indexToInt(ctx, v, to.kind === 'int' ? to : i(64)), to);
  if (to.kind === 'index') return intToIndex(ctx, from.kind === 'int' ? v : convert(ctx, v, i(32)));
  if (from.kind === 'int' && to.kind === 'int') return intToInt(ctx, v, from, to);
  if (from.kind === 'int' && to.kind === 'float') return intToFloat(ctx, v, from, to);
  if (from.kind === 'float' && to.kind === 'int') return floatToInt(ctx, v, from, to);
  if (from.kind === 'float' && to.kind === 'float') return floatToFloat(ctx, v, from, to);
  throw new Error(`convert ${printType(from)} to ${printType(to)}`);
}

function intToInt(ctx: GenContext, v: Value, from: IntType, to: IntType): Value {
  const r = ctx.rangeOf(v);
  if (to.width > from.width) {
    // extui of a possibly negative value is fine: it just reinterprets; its range is only known when non-negative.
    const unsigned = ctx.chance('extendUnsigned');
    const range = unsigned ? (nonNegative(r) ? r : [0n, (1n << BigInt(from.width)) - 1n] as const) : r;
    return ctx.value(unsigned ? 'arith.extui' : 'arith.extsi', [v], to, { range: clampToWidth(range, to.width) });
  }
  return ctx.value('arith.trunci', [v], to, { range: fits(r, to.width) ? r : fullRange(to.width) });
}

function intToFloat(ctx: GenContext, v: Value, from: IntType, to: FloatType): Value {
  const unsigned = ctx.chance('intToFloatUnsigned') && from.width > 1;
  return ctx.value(unsigned ? 'arith.uitofp' : 'arith.sitofp', [v], to, { noNaN: true });
}

function floatToInt(ctx: GenContext, v: Value, from: FloatType, to: IntType): Value {
  // A bitcast keeps every bit (NaN payloads would leak, so only for NaN-free values), else a guarded conversion.
  if (ctx.factsOf(v).noNaN && bitWidth(from) === to.width && ctx.chance('floatBitcast')) return ctx.value('arith.bitcast', [v], to);
  const signed = to.width === 1 || ctx.chance('floatToIntSigned');
  const safe = clampForIntConversion(ctx, v, from, to.width, signed);
  const range = signed ? fullRange(to.width) : undefined;
  return ctx.value(signed ? 'arith.fptosi' : 'arith.fptoui', [safe], to, range ? { range } : {});
}

function floatToFloat(ctx: GenContext, v: Value, from: FloatType, to: FloatType): Value {
  const f = ctx.factsOf(v);
  const keep = f.noNaN ? { noNaN: true } : {};
  if (FLOAT_ORDER[to.name] > FLOAT_ORDER[from.name]) return ctx.value('arith.extf', [v], to, keep);
  if (FLOAT_ORDER[to.name] < FLOAT_ORDER[from.name]) return ctx.value('arith.truncf', [v], to, keep);
  // f16 <-> bf16 have the same width: go through f32.
  return convert(ctx, convert(ctx, v, { kind: 'float', name: 'f32' }), to);
}

function intToIndex(ctx: GenContext, v: Value): Value {
  const t = v.type as IntType;
  let r = ctx.rangeOf(v);
  let x = v;
  if (!fits(r, 32) || t.width > 32) {
    // Index values must fit int32 on every target (wasm32), so wide values are narrowed first.
    if (!fits(r, 32)) {
      x = ctx.value('arith.trunci', [v], i(32), { range: fullRange(32) });
      r = fullRange(32);
    }
  }
  const castUi = nonNegative(r) && ctx.rand.chance(0.5);
  return ctx.value(castUi ? 'arith.index_castui' : 'arith.index_cast', [x], index, { range: r });
}

function indexToInt(ctx: GenContext, v: Value, to: IntType): Value {
  const r = ctx.rangeOf(v);
  const castUi = nonNegative(r) && ctx.rand.chance(0.5);
  return ctx.value(castUi ? 'arith.index_castui' : 'arith.index_cast', [v], to, { range: fits(r, to.width) ? r : fullRange(to.width) });
}
