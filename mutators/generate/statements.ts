// The statement dispatcher: picks what to emit next, by weight, among the kinds that fit the current context.
import type { Value } from '../../ir/core.ts';
import { affineFor, affineIf, affineParallel } from './affine-control.ts';
import { affineIndexOp } from './affine-exprs.ts';
import { call } from './calls.ts';
import type { GenContext } from './context.ts';
import type { Body } from './control.ts';
import { cfAssert, cfDiamond, cfLoop, cfSwitch, executeRegion, scfFor, scfIf, scfIndexSwitch, scfParallel, scfWhile } from './control.ts';
import { fillBuffer } from './fill.ts';
import { allocate, atomicRmw, castAndDim, copy, globalBuffer, load, rank, reinterpretCast, store, subview } from './memory.ts';
import { randomScalarType, scalarValue } from './scalar.ts';
import { vectorOp, vectorPrint } from './vector.ts';
import { maskedAccess, vectorLoad, vectorStore } from './vector-memory.ts';

type Kind = readonly [weight: number, emit: (ctx: GenContext, body: Body) => boolean];

const KINDS: readonly Kind[] = [
  [10, (ctx) => (scalarValue(ctx, randomScalarType(ctx)), true)],
  [5, (ctx) => load(ctx) !== undefined],
  [7, (ctx) => store(ctx, recentValue(ctx))],
  [2.5, scfFor],
  [1.5, scfIf],
  [0.8, scfWhile],
  [0.8, scfParallel],
  [0.4, (ctx, body) => executeRegion(ctx, body, cfDiamond)],
  [2, affineFor],
  [1, affineIf],
  [1.2, (ctx) => (affineIndexOp(ctx), true)],
  [2.5, (ctx) => vectorOp(ctx)],
  [1.5, (ctx) => call(ctx)],
  [0.8, (ctx) => allocate(ctx, (b) => fillBuffer(ctx, b)) !== undefined],
  [0.6, (ctx) => subview(ctx) !== undefined],
  [0.5, (ctx) => castAndDim(ctx) !== undefined],
  [0.4, (ctx) => copy(ctx)],
  [0.3, (ctx) => globalBuffer(ctx, (t, c, v) => ctx.module.declareGlobal(t, c, v)) !== undefined],
  [0.5, cfDiamond],
  [0.3, cfLoop],
  [0.3, (ctx) => cfAssert(ctx)],
  [0.15, (ctx) => vectorPrint(ctx)],
  [0.6, (ctx) => vectorLoad(ctx) !== undefined],
  [0.5, (ctx) => vectorStore(ctx)],
  [0.5, (ctx) => maskedAccess(ctx)],
  [0.3, (ctx) => atomicRmw(ctx)],
  [0.2, (ctx) => rank(ctx)],
  [0.3, (ctx) => reinterpretCast(ctx) !== undefined],
  [0.3, cfSwitch],
  [0.4, scfIndexSwitch],
  [0.6, affineParallel],
];

/** Emits up to `count` statements into the current block, within the function's op budget. */
export function statements(ctx: GenContext, count: number): void {
  const body: Body = (n) => statements(ctx, n);
  for (let k = 0; k < count && ctx.limits.budget > 0; k++) {
    for (let tries = 0; tries < 4; tries++) if (ctx.rand.weighted(KINDS)(ctx, body)) break;
  }
}

/** A recently computed scalar, so stores make the latest computations observable. */
export function recentValue(ctx: GenContext): Value | undefined {
  const vs = ctx.visibleValues((v) => v.type.kind === 'int' || v.type.kind === 'float' || v.type.kind === 'index');
  return vs.length ? vs[ctx.rand.int(0, Math.min(3, vs.length - 1))] : undefined;
}
