// The statement dispatcher: picks what to emit next, by weight (weights.ts, group `statement`), among the kinds that
// fit the current context.
import type { Value } from '../../ir/core.ts';
import { affineFor, affineIf, affineParallel } from './affine-control.ts';
import { affineIndexOp } from './affine-exprs.ts';
import { call } from './calls.ts';
import type { GenContext } from './context.ts';
import type { Body } from './control.ts';
import { cfAssert, cfDiamond, cfLoop, cfSwitch, executeRegion, scfFor, scfIf, scfIndexSwitch, scfParallel, scfWhile } from './control.ts';
import { fillBuffer } from './fill.ts';
import { allocate, atomicRmw, castAndDim, copy, globalBuffer, load, rank, reinterpretCast, reshape, store, subview } from './memory.ts';
import { randomScalarType, scalarValue } from './scalar.ts';
import { vectorOp, vectorPrint } from './vector.ts';
import { indexedAccess, maskedAccess, maskedTransfer, vectorLoad, vectorStore } from './vector-memory.ts';
import type { WeightName, WeightTables } from './weights.ts';

type Emit = (ctx: GenContext, body: Body) => boolean;

/** What each statement kind emits; its weight is `weights.statement[kind]`. Returns false when it does not fit. */
const EMIT: { readonly [K in WeightName<'statement'>]: Emit } = {
  scalar: (ctx) => (scalarValue(ctx, randomScalarType(ctx)), true),
  load: (ctx) => load(ctx) !== undefined,
  store: (ctx) => store(ctx, recentValue(ctx)),
  scfFor,
  scfIf,
  scfWhile,
  scfParallel,
  executeRegion: (ctx, body) => executeRegion(ctx, body, cfDiamond),
  affineFor,
  affineIf,
  affineIndexOp: (ctx) => (affineIndexOp(ctx), true),
  vectorOp: (ctx) => vectorOp(ctx),
  call: (ctx) => call(ctx),
  allocate: (ctx) => allocate(ctx, (b) => fillBuffer(ctx, b)) !== undefined,
  subview: (ctx) => subview(ctx) !== undefined,
  castAndDim: (ctx) => castAndDim(ctx) !== undefined,
  copy: (ctx) => copy(ctx),
  globalBuffer: (ctx) => globalBuffer(ctx, (t, c, v) => ctx.module.declareGlobal(t, c, v)) !== undefined,
  cfDiamond,
  cfLoop,
  cfAssert: (ctx) => cfAssert(ctx),
  vectorPrint: (ctx) => vectorPrint(ctx),
  vectorLoad: (ctx) => vectorLoad(ctx) !== undefined,
  vectorStore: (ctx) => vectorStore(ctx),
  maskedAccess: (ctx) => maskedAccess(ctx),
  indexedAccess: (ctx) => indexedAccess(ctx),
  maskedTransfer: (ctx) => maskedTransfer(ctx),
  atomicRmw: (ctx) => atomicRmw(ctx),
  rank: (ctx) => rank(ctx),
  reinterpretCast: (ctx) => reinterpretCast(ctx) !== undefined,
  reshape: (ctx) => reshape(ctx) !== undefined,
  cfSwitch,
  scfIndexSwitch,
  affineParallel,
};

const kindTables = new WeakMap<WeightTables, readonly (readonly [number, Emit])[]>();

/** Emits up to `count` statements into the current block, within the function's op budget. */
export function statements(ctx: GenContext, count: number): void {
  const body: Body = (n) => statements(ctx, n);
  let kinds = kindTables.get(ctx.tables);
  if (!kinds) kindTables.set(ctx.tables, (kinds = ctx.tables.statement.map(([w, name]) => [w, EMIT[name]] as const)));
  for (let k = 0; k < count && ctx.limits.budget > 0; k++) {
    for (let tries = 0; tries < 4; tries++) if (ctx.rand.weighted(kinds)(ctx, body)) break;
  }
}

/** A recently computed scalar, so stores make the latest computations observable. */
export function recentValue(ctx: GenContext): Value | undefined {
  const vs = ctx.visibleValues((v) => v.type.kind === 'int' || v.type.kind === 'float' || v.type.kind === 'index');
  return vs.length ? vs[ctx.rand.int(0, Math.min(3, vs.length - 1))] : undefined;
}
