// affine.for with map bounds (max/min of several results) and affine.if with integer sets.
import type { AffineExpr } from '../../ir/affine.ts';
import { add, affineMap, cst, mod, mul } from '../../ir/affine.ts';
import { arrayAttr, denseArray, denseAttr, intAttr, mapAttr, setAttr } from '../../ir/attributes.ts';
import { Block, Region } from '../../ir/core.ts';
import type { Value } from '../../ir/core.ts';
import { i32, i64, index, tensor } from '../../ir/types.ts';
import { AffineOperands, exprRange, linear } from './affine-exprs.ts';
import type { GenContext } from './context.ts';
import type { Body } from './control.ts';
import { ifBranches, parallelBody, parallelShape } from './control.ts';
import { fullRange } from './ranges.ts';
import { exactOnly, operand, randomScalarType } from './scalar.ts';

export function affineFor(ctx: GenContext, body: Body): boolean {
  const r = ctx.rand;
  const rangeOf = (v: Value) => ctx.rangeOf(v);
  // Lower bound: a constant, a small expression over valid operands, or the max of both.
  const lbOps = new AffineOperands();
  const lbResults: AffineExpr[] = [];
  if (ctx.chance('affineLowerConst')) lbResults.push(cst(r.int(0, 2)));
  if (lbResults.length === 0 || ctx.chance('affineLowerExpr')) {
    let e = linear(ctx, lbOps);
    const [lo, hi] = exprRange(e, lbOps, rangeOf);
    if (lo < -4n || hi > 8n) e = mod(e, cst(4));
    lbResults.push(e);
  }
  const lbLo = lbResults.map((e) => exprRange(e, lbOps, rangeOf)[0]).reduce((a, b) => (a > b ? a : b));
  // Upper bound: always capped by a constant, so the trip count is bounded whatever the operands hold.
  const span = r.weighted(ctx.tables.affineForSpan);
  const cap = lbLo + BigInt(span);
  const ubOps = new AffineOperands();
  const ubResults: AffineExpr[] = [cst(cap)];
  if (ctx.chance('affineUpperExpr')) {
    const e = linear(ctx, ubOps);
    ubResults.push(r.chance(0.5) ? add(e, cst(r.int(1, 4))) : mul(e, cst(2)));
  }
  const step = r.weighted(ctx.tables.affineForStep);
  const trips = Math.max(0, Math.ceil(span / step));
  if (!ctx.canNest(trips)) return false;
  const types = randomCarried(ctx);
  const inits = types.map((t) => operand(ctx, t));
  const block = new Block([index, ...types]);
  ctx.nested(trips, () =>
    ctx.inScope(block, () => {
      const [iv, ...carried] = block.args;
      ctx.setFacts(iv!, { range: [lbLo, cap - 1n > lbLo ? cap - 1n : lbLo], affine: 'dim' });
      ctx.define(iv!);
      carried.forEach((c, k) => {
        ctx.setFacts(c, { ...(c.type.kind === 'int' && { range: fullRange(c.type.width) }), ...(ctx.factsOf(inits[k]!).approx && { approx: true }) });
        ctx.define(c);
      });
      body(r.int(2, 6));
      const ys = types.map((t, k) => operand(ctx, t, ctx.factsOf(inits[k]!).approx ? () => true : exactOnly(ctx)));
      ctx.emitDeallocs();
      ctx.b.create('affine.yield', { operands: ys });
    }),
  );
  const op = ctx.b.create('affine.for', {
    operands: [...lbOps.operands, ...ubOps.operands, ...inits],
    results: types,
    regions: [new Region([block])],
    props: {
      lowerBoundMap: mapAttr(lbOps.map(lbResults)),
      upperBoundMap: mapAttr(ubOps.map(ubResults)),
      step: intAttr(step, index),
      operandSegmentSizes: denseArray(i32, [lbOps.operands.length, ubOps.operands.length, inits.length]),
    },
  });
  ctx.limits.budget--;
  op.results.forEach((v, k) => {
    ctx.setFacts(v, { ...(v.type.kind === 'int' && { range: fullRange(v.type.width) }), ...(ctx.factsOf(inits[k]!).approx && { approx: true }) });
    ctx.define(v);
  });
  return true;
}

function randomCarried(ctx: GenContext) {
  const n = ctx.rand.int(0, 1);
  return Array.from({ length: n }, () => {
    const t = randomScalarType(ctx);
    return t.kind === 'index' ? i32 : t;
  });
}

/** affine.if on an integer set of `expr >= 0` / `expr == 0` constraints, optionally yielding values. */
export function affineIf(ctx: GenContext, body: Body): boolean {
  if (!ctx.canNest(1)) return false;
  const r = ctx.rand;
  const ops = new AffineOperands();
  const constraints = Array.from({ length: r.int(1, 3) }, () => {
    const e = linear(ctx, ops);
    const c = BigInt(r.int(-2, 5));
    const kind = r.int(0, 3);
    if (kind === 0) return { expr: add(e, cst(-c)), eq: false }; // e >= c
    if (kind === 1) return { expr: add(mul(e, cst(-1)), cst(c)), eq: false }; // e <= c
    if (kind === 2) return { expr: mod(e, cst(2)), eq: true }; // e is even
    return { expr: add(e, cst(-c)), eq: true }; // e == c
  });
  const set = { dims: ops.dims.length, syms: ops.syms.length, constraints };
  const types = randomCarried(ctx);
  const { regions, define } = ifBranches(ctx, body, types, 'affine.yield');
  const op = ctx.b.create('affine.if', { operands: ops.operands, results: types, regions, props: { condition: setAttr(set) } });
  ctx.limits.budget--;
  define(op.results);
  return true;
}

/** AtomicRMWKind numbers MLIR 22 accepts for affine.parallel reductions (order-independent kinds only). */
const INT_REDUCTIONS = [1, 2, 13, 14]; // addi, andi, muli, ori
const FLOAT_REDUCTIONS = [4, 8]; // maximumf, minimumf

/** affine.parallel with reductions (see parallelBody for why every schedule agrees). */
export function affineParallel(ctx: GenContext, body: Body): boolean {
  const r = ctx.rand;
  const p = parallelShape(ctx, () => randomCarried(ctx));
  if (!p) return false;
  const { ubs, rank, types } = p;
  const kinds = types.map((t) => r.pick(t.kind === 'float' ? FLOAT_REDUCTIONS : INT_REDUCTIONS));
  const block = new Block(ubs.map(() => index));
  parallelBody(ctx, body, p, block, true, (reduced) => ctx.b.create('affine.yield', { operands: reduced }));
  const groups = denseAttr(tensor([rank], i32), ubs.map(() => 1n));
  const op = ctx.b.create('affine.parallel', {
    results: types,
    regions: [new Region([block])],
    props: {
      lowerBoundsGroups: groups,
      lowerBoundsMap: mapAttr(affineMap(0, 0, ubs.map(() => cst(0)))),
      upperBoundsGroups: groups,
      upperBoundsMap: mapAttr(affineMap(0, 0, ubs.map((u) => cst(u)))),
      reductions: arrayAttr(kinds.map((k) => intAttr(k, i64))),
      steps: arrayAttr(ubs.map(() => intAttr(1, i64))),
    },
  });
  ctx.limits.budget--;
  op.results.forEach((v) => {
    ctx.setFacts(v, v.type.kind === 'int' ? { range: fullRange(v.type.width) } : {});
    ctx.define(v);
  });
  return true;
}
