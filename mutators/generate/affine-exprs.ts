// Affine maps over valid dim/symbol operands, with interval ranges so accesses stay in bounds by construction.
import type { AffineExpr, AffineMap } from '../../ir/affine.ts';
import { add, affineMap, cst, dim, floordiv, mod, mul, sym } from '../../ir/affine.ts';
import { mapAttr } from '../../ir/attributes.ts';
import type { Attr } from '../../ir/attributes.ts';
import type { Value } from '../../ir/core.ts';
import { index } from '../../ir/types.ts';
import type { GenContext } from './context.ts';
import type { Range } from './ranges.ts';
import { addRange, mulRange, within } from './ranges.ts';

/** Collects operands as dims or symbols, reusing a position when the same value appears twice. */
export class AffineOperands {
  readonly dims: Value[] = [];
  readonly syms: Value[] = [];
  dim(v: Value): AffineExpr {
    let k = this.dims.indexOf(v);
    if (k < 0) k = this.dims.push(v) - 1;
    return dim(k);
  }
  sym(v: Value): AffineExpr {
    let k = this.syms.indexOf(v);
    if (k < 0) k = this.syms.push(v) - 1;
    return sym(k);
  }
  map(results: readonly AffineExpr[]): AffineMap {
    return affineMap(this.dims.length, this.syms.length, results);
  }
  get operands(): Value[] {
    return [...this.dims, ...this.syms];
  }
}

/** Interval of an expression built by `linear` (add, mul by constant, mod and floordiv by positive constants). */
export function exprRange(e: AffineExpr, ops: AffineOperands, rangeOf: (v: Value) => Range): Range {
  switch (e.k) {
    case 'dim':
      return rangeOf(ops.dims[e.i]!);
    case 'sym':
      return rangeOf(ops.syms[e.i]!);
    case 'const':
      return [e.v, e.v];
    case 'add':
      return addRange(exprRange(e.l, ops, rangeOf), exprRange(e.r, ops, rangeOf));
    case 'mul':
      return mulRange(exprRange(e.l, ops, rangeOf), exprRange(e.r, ops, rangeOf));
    case 'mod':
      return e.r.k === 'const' ? [0n, e.r.v - 1n] : fail();
    case 'floordiv': {
      if (e.r.k !== 'const') return fail();
      const [lo, hi] = exprRange(e.l, ops, rangeOf);
      const d = e.r.v;
      return [lo >= 0n ? lo / d : (lo - d + 1n) / d, hi >= 0n ? hi / d : (hi - d + 1n) / d];
    }
    case 'ceildiv':
      return fail();
  }
}
function fail(): never {
  throw new Error('exprRange: unsupported affine expression');
}

/** Operands stay small so no intermediate of an expression leaves int32, where 32-bit targets would wrap. */
const SMALL = 1n << 16n;

/** A valid affine operand: a dim (loop variable, apply result) or a symbol (constant, top-level value). */
function pickAffineValue(ctx: GenContext): Value | undefined {
  const vs = ctx.visibleValues((v) => ctx.isAffineDim(v) && within(ctx.rangeOf(v), -SMALL, SMALL));
  return vs.length ? ctx.rand.pick(vs.slice(0, 8)) : undefined;
}

/** A linear expression `a*x + b*y + c` over valid operands, sometimes wrapped in mod or floordiv. */
export function linear(ctx: GenContext, ops: AffineOperands): AffineExpr {
  const r = ctx.rand;
  let e: AffineExpr | undefined;
  const terms = r.int(1, 2);
  for (let k = 0; k < terms; k++) {
    const v = pickAffineValue(ctx);
    if (!v) break;
    let t = ctx.isAffineSymbol(v) && ctx.chance('affineSymbolOperand') ? ops.sym(v) : ops.dim(v);
    const c = r.weighted(ctx.tables.affineCoefficient);
    if (c !== 1) t = mul(t, cst(c));
    e = e ? add(e, t) : t;
  }
  const c = r.int(-2, 4);
  e = e ? (c !== 0 ? add(e, cst(c)) : e) : cst(r.int(0, 4));
  if (ctx.chance('affineFloorDiv')) e = floordiv(e, cst(r.int(2, 3)));
  return e;
}

/** A map from valid operands to an in-bounds index for each dimension of `shape`. */
export function affineAccessMap(ctx: GenContext, shape: readonly number[]): { map: Attr; operands: Value[] } | undefined {
  if (shape.some((n) => n <= 0)) return undefined;
  const r = ctx.rand;
  const ops = new AffineOperands();
  const results = shape.map((n) => {
    if (ctx.chance('affineConstIndex')) return cst(r.int(0, n - 1));
    const v = pickAffineValue(ctx);
    if (v && within(ctx.rangeOf(v), 0n, BigInt(n - 1)) && ctx.chance('affineDirectIndex')) return ops.dim(v);
    const e = linear(ctx, ops);
    // mod keeps any value in [0, n); skip it when the range already proves the bound.
    return within(exprRange(e, ops, (x) => ctx.rangeOf(x)), 0n, BigInt(n - 1)) ? e : mod(e, cst(n));
  });
  return { map: mapAttr(ops.map(results)), operands: ops.operands };
}

/** affine.apply, affine.min or affine.max: a new index value with a known range. */
export function affineIndexOp(ctx: GenContext): Value {
  const r = ctx.rand;
  const ops = new AffineOperands();
  const kind = r.weighted(ctx.tables.affineIndexOp);
  const n = kind === 'affine.apply' ? 1 : r.int(2, 3);
  const results = Array.from({ length: n }, () => {
    const e = linear(ctx, ops);
    return within(exprRange(e, ops, (x) => ctx.rangeOf(x)), -64n, 64n) ? e : mod(e, cst(16));
  });
  const ranges = results.map((e) => exprRange(e, ops, (x) => ctx.rangeOf(x)));
  let range = ranges[0]!;
  for (const q of ranges.slice(1)) {
    range = kind === 'affine.min'
      ? [q[0] < range[0] ? q[0] : range[0], q[1] < range[1] ? q[1] : range[1]]
      : [q[0] > range[0] ? q[0] : range[0], q[1] > range[1] ? q[1] : range[1]];
  }
  // Only affine.apply results are valid dims; min/max results are valid only as top-level symbols.
  return ctx.value(kind, ops.operands, index, kind === 'affine.apply' ? { range, affine: 'dim' } : { range }, { map: mapAttr(ops.map(results)) });
}
