// The index dialect (IndexOps.td): arithmetic, comparisons, casts and constants on `index`. Index values stay
// provably within int32 (a 32-bit target computes the same), so unsigned ops and shifts only see non-negative
// operands and small amounts, and divisors are guarded as for arith. index.sizeof is width-dependent by
// definition: it appears rarely, clamped to 32 with minu, and a run judged for a 32-bit index counts it unportable.
import type { Value } from '../../ir/core.ts';
import { dialectAttr, boolAttr, intAttr } from '../../ir/attributes.ts';
import type { IntType } from '../../ir/types.ts';
import { i1, index } from '../../ir/types.ts';
import type { GenContext } from './context.ts';
import { guardDivisor } from './guards.ts';
import type { Range } from './ranges.ts';
import { addRange, fits, maxRange, minRange, mulRange, nonNegative, point, subRange } from './ranges.ts';
import { exactOnly, INT_TYPES, operand } from './scalar.ts';

type Row = { readonly name: string; readonly kind: 'plain' | 'div' | 'shift'; readonly signed?: boolean; readonly unsigned?: boolean; readonly range: (a: Range, b: Range) => Range | undefined };

const absMax = (r: Range): bigint => (-r[0] > r[1] ? -r[0] : r[1]);
const nn = (a: Range, b: Range): boolean => nonNegative(a) && nonNegative(b);
const pow2Above = (x: bigint): bigint => {
  let p = 1n;
  while (p <= x) p <<= 1n;
  return p - 1n;
};

const ROWS: readonly Row[] = [
  { name: 'index.add', kind: 'plain', range: addRange },
  { name: 'index.sub', kind: 'plain', range: subRange },
  { name: 'index.mul', kind: 'plain', range: mulRange },
  { name: 'index.divs', kind: 'div', signed: true, range: (a) => [-absMax(a), absMax(a)] },
  { name: 'index.divu', kind: 'div', unsigned: true, range: (a) => [0n, a[1]] },
  { name: 'index.ceildivs', kind: 'div', signed: true, range: (a) => [-absMax(a), absMax(a)] },
  { name: 'index.ceildivu', kind: 'div', unsigned: true, range: (a) => [0n, a[1]] },
  { name: 'index.floordivs', kind: 'div', signed: true, range: (a) => [-absMax(a), absMax(a)] },
  { name: 'index.rems', kind: 'div', signed: true, range: (a, b) => [a[0] >= 0n ? 0n : -absMax(b), a[1] <= 0n ? 0n : absMax(b)] },
  { name: 'index.remu', kind: 'div', unsigned: true, range: (a, b) => [0n, b[1] < a[1] ? b[1] : a[1]] },
  { name: 'index.maxs', kind: 'plain', range: maxRange },
  { name: 'index.maxu', kind: 'plain', unsigned: true, range: maxRange },
  { name: 'index.mins', kind: 'plain', range: minRange },
  { name: 'index.minu', kind: 'plain', unsigned: true, range: minRange },
  { name: 'index.shl', kind: 'shift', range: (a, b) => mulRange(a, [1n, 1n << b[1]]) },
  { name: 'index.shrs', kind: 'shift', range: (a) => [a[0] < 0n ? a[0] : 0n, a[1] > 0n ? a[1] : 0n] },
  { name: 'index.shru', kind: 'shift', unsigned: true, range: (a) => [0n, a[1]] },
  { name: 'index.and', kind: 'plain', unsigned: true, range: (a, b) => [0n, a[1] < b[1] ? a[1] : b[1]] },
  { name: 'index.or', kind: 'plain', unsigned: true, range: (a, b) => [0n, pow2Above(a[1] > b[1] ? a[1] : b[1])] },
  { name: 'index.xor', kind: 'plain', unsigned: true, range: (a, b) => [0n, pow2Above(a[1] > b[1] ? a[1] : b[1])] },
];

/** Every op name this file can create (the op-coverage test's reach). */
export const INDEX_DIALECT_OPS = [...ROWS.map((r) => r.name), 'index.constant', 'index.bool.constant', 'index.cmp', 'index.casts', 'index.castu', 'index.sizeof'];

export function indexConstant(ctx: GenContext, v: bigint): Value {
  return ctx.value('index.constant', [], index, { range: point(v) }, { value: intAttr(v, index) });
}

/** An index value from one index-dialect binary op on int32-safe operands. */
export function indexBinary(ctx: GenContext): Value {
  const r = ctx.rand;
  for (let attempt = 0; attempt < 6; attempt++) {
    const row = r.pick(ROWS);
    const a = operand(ctx, index, exactOnly(ctx));
    let b = row.kind === 'shift' ? indexConstant(ctx, BigInt(r.int(0, 8))) : operand(ctx, index, exactOnly(ctx));
    const ra = ctx.rangeOf(a);
    let rb = ctx.rangeOf(b);
    if (row.unsigned && !nn(ra, rb)) continue;
    if (row.name === 'index.shl' && !nonNegative(ra)) continue;
    if (row.kind === 'div') {
      b = guardDivisor(ctx, index, a, b, row.signed ?? false);
      rb = ctx.rangeOf(b);
      if (row.unsigned && !nonNegative(rb)) continue;
    }
    const range = row.range(ra, rb);
    if (!range || !fits(range, 32)) continue;
    return ctx.value(row.name, [a, b], index, { range });
  }
  return indexConstant(ctx, BigInt(r.int(-8, 8)));
}

/** index.cmp: unsigned predicates only on non-negative operands (32- and 64-bit agree there). */
export function indexCompare(ctx: GenContext): Value {
  const a = operand(ctx, index, exactOnly(ctx));
  const b = operand(ctx, index, exactOnly(ctx));
  let preds = ['eq', 'ne', 'slt', 'sle', 'sgt', 'sge', 'ult', 'ule', 'ugt', 'uge'];
  if (!nn(ctx.rangeOf(a), ctx.rangeOf(b))) preds = preds.filter((p) => p[0] !== 'u');
  return ctx.value('index.cmp', [a, b], i1, { range: [-1n, 0n] }, { pred: dialectAttr('index', '', `cmp_predicate ${ctx.rand.pick(preds)}`) });
}

export function indexBoolConstant(ctx: GenContext): Value {
  const v = ctx.rand.chance(0.5);
  return ctx.value('index.bool.constant', [], i1, { range: v ? [-1n, -1n] : [0n, 0n] }, { value: boolAttr(v) });
}

/** index.casts / index.castu from an integer whose value provably fits int32 (castu: and is non-negative). */
export function indexFromInt(ctx: GenContext): Value {
  const r = ctx.rand;
  const t: IntType = r.pick(INT_TYPES.filter((x) => x.width > 1));
  const x = operand(ctx, t, exactOnly(ctx));
  const rx = ctx.rangeOf(x);
  // castu zero-extends (a negative value becomes large); anything beyond int32 differs by index width.
  const unsigned = nonNegative(rx) && r.chance(0.5);
  if (!fits(rx, 32)) return indexBinary(ctx);
  return ctx.value(unsigned ? 'index.castu' : 'index.casts', [x], index, { range: rx });
}

/** An integer from an index with index.casts or index.castu (truncation keeps the low bits at either width). */
export function intFromIndex(ctx: GenContext, t: IntType): Value {
  const x = operand(ctx, index, exactOnly(ctx));
  const rx = ctx.rangeOf(x);
  const unsigned = ctx.rand.chance(0.5);
  // Widening castu of a negative index differs by index width (zero-extension from 32 or from 64 bits).
  const name = unsigned && (nonNegative(rx) || t.width <= 32) ? 'index.castu' : 'index.casts';
  const range: Range = fits(rx, t.width) && (name === 'index.casts' || nonNegative(rx)) ? rx : [-(1n << BigInt(t.width - 1)), (1n << BigInt(t.width - 1)) - 1n];
  return ctx.value(name, [x], t, { range });
}

/** min(index.sizeof, 32): 32 on every target, reached rarely (a 32-bit judged run counts sizeof unportable). */
export function indexSizeof(ctx: GenContext): Value {
  const s = ctx.value('index.sizeof', [], index, { range: [32n, 64n] });
  return ctx.value('index.minu', [s, indexConstant(ctx, 32n)], index, { range: [32n, 32n] });
}
