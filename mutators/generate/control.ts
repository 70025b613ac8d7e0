// Structured (scf) and unstructured (cf) control flow with bounded trip counts.
import { denseArray, denseAttr, strAttr } from '../../ir/attributes.ts';
import { Block, Operation, Region } from '../../ir/core.ts';
import type { Value } from '../../ir/core.ts';
import type { ScalarType, Type } from '../../ir/types.ts';
import { i1, i32, i64, index, vector } from '../../ir/types.ts';
import type { Buffer, GenContext } from './context.ts';
import { cmpi } from './guards.ts';
import { pickBuffer } from './memory.ts';
import type { Range } from './ranges.ts';
import { fullRange, unionRange } from './ranges.ts';
import { condition, exactOnly, operand, randomScalarType } from './scalar.ts';

/** Generates statements into the current block. */
export type Body = (count: number) => void;

/** Loop-carried types: scalars other than index (index values must carry a provable range). */
function carriedTypes(ctx: GenContext, max: number): ScalarType[] {
  const n = ctx.rand.int(0, max);
  const out: ScalarType[] = [];
  while (out.length < n) {
    const t = randomScalarType(ctx);
    if (t.kind !== 'index') out.push(t);
  }
  return out;
}

/** Values to yield for `types`: approximate values only where the carried value already is approximate. */
function yieldValues(ctx: GenContext, types: readonly Type[], approxAllowed: readonly boolean[]): Value[] {
  return types.map((t, k) => operand(ctx, t, approxAllowed[k] ? () => true : exactOnly(ctx)));
}

function carriedFacts(ctx: GenContext, v: Value, init: Value): void {
  const t = v.type;
  ctx.setFacts(v, { ...(t.kind === 'int' && { range: fullRange(t.width) }), ...(ctx.factsOf(init).approx && { approx: true }) });
}

type Bounds = { lb: Value; ub: Value; step: Value; trips: number; ivRange: Range };

/** Constant-ish loop bounds: zero-trip loops and trip counts that are not a multiple of a vector width included. */
function loopBounds(ctx: GenContext, ivType: Type = index): Bounds {
  const r = ctx.rand;
  const lb = r.weighted(ctx.tables.forLowerBound);
  const span = r.weighted(ctx.tables.forSpan);
  const step = r.weighted(ctx.tables.forStep);
  const ub = lb + span;
  const trips = Math.max(0, Math.ceil((ub - lb) / step));
  const mk = (v: number): Value => (ivType.kind === 'index' ? ctx.constIndex(v) : ctx.constInt(ivType as typeof i32, BigInt(v)));
  // Sometimes the upper bound is a value computed at run time, with the same known range.
  let ubv = mk(ub);
  if (ivType.kind === 'index' && ctx.chance('runtimeLoopBound') && ub > 0) {
    ubv = ctx.value('arith.addi', [ctx.constIndex(ub - 1), ctx.constIndex(1)], index, { range: [BigInt(ub), BigInt(ub)] });
  }
  const hi = trips > 0 ? lb + (trips - 1) * step : lb;
  return { lb: mk(lb), ub: ubv, step: mk(step), trips, ivRange: [BigInt(lb), BigInt(hi)] };
}

export function scfFor(ctx: GenContext, body: Body): boolean {
  const r = ctx.rand;
  const ivType = ctx.chance('intInductionVar') ? r.pick([i32, i64]) : index;
  const bounds = loopBounds(ctx, ivType);
  if (!ctx.canNest(bounds.trips)) return false;
  const types = carriedTypes(ctx, 2);
  const inits = types.map((t) => operand(ctx, t));
  const block = new Block([ivType, ...types]);
  ctx.nested(bounds.trips, () =>
    ctx.inScope(block, () => {
      const [iv, ...carried] = block.args;
      ctx.setFacts(iv!, { range: bounds.ivRange });
      ctx.define(iv!);
      carried.forEach((c, k) => {
        carriedFacts(ctx, c, inits[k]!);
        ctx.define(c);
      });
      body(r.int(2, 6));
      const ys = yieldValues(ctx, types, inits.map((v) => !!ctx.factsOf(v).approx));
      ctx.emitDeallocs();
      ctx.b.create('scf.yield', { operands: ys });
    }),
  );
  const op = ctx.b.create('scf.for', { operands: [bounds.lb, bounds.ub, bounds.step, ...inits], results: types, regions: [new Region([block])] });
  ctx.limits.budget--;
  op.results.forEach((v, k) => {
    carriedFacts(ctx, v, inits[k]!);
    ctx.define(v);
  });
  return true;
}

/** The then/else pair of scf.if and affine.if: each branch yields values of `types`; else is optional without results. */
export function ifBranches(ctx: GenContext, body: Body, types: readonly Type[], terminator: 'scf.yield' | 'affine.yield'): { regions: Region[]; define: (results: readonly Value[]) => void } {
  const r = ctx.rand;
  const branch = (): { block: Block; yields: Value[] } => {
    const block = new Block();
    const yields = ctx.nested(1, () =>
      ctx.inScope(block, () => {
        body(r.int(1, 3));
        const ys = types.map((t) => operand(ctx, t));
        ctx.emitDeallocs();
        ctx.b.create(terminator, { operands: ys });
        return ys;
      }),
    );
    return { block, yields };
  };
  const then = branch();
  const other = types.length > 0 || ctx.chance('elseBranch') ? branch() : undefined;
  const define = (results: readonly Value[]) =>
    results.forEach((v, k) => {
      const fa = ctx.factsOf(then.yields[k]!);
      const fb = ctx.factsOf(other!.yields[k]!);
      ctx.setFacts(v, { ...(fa.range && fb.range && { range: unionRange(fa.range, fb.range) }), ...((fa.approx || fb.approx) && { approx: true }) });
      ctx.define(v);
    });
  return { regions: [new Region([then.block]), other ? new Region([other.block]) : new Region()], define };
}

export function scfIf(ctx: GenContext, body: Body): boolean {
  if (!ctx.canNest(1)) return false;
  const cond = operand(ctx, i1, exactOnly(ctx));
  const types = carriedTypes(ctx, 2);
  const { regions, define } = ifBranches(ctx, body, types, 'scf.yield');
  const op = ctx.b.create('scf.if', { operands: [cond], results: types, regions });
  ctx.limits.budget--;
  define(op.results);
  return true;
}

/** A counted scf.while: `before` tests the counter, `after` runs the body and steps it. */
export function scfWhile(ctx: GenContext, body: Body): boolean {
  const r = ctx.rand;
  const start = r.int(0, 2);
  const limit = start + r.weighted(ctx.tables.whileSpan);
  const step = r.int(1, 2);
  const trips = Math.max(0, Math.ceil((limit - start) / step));
  if (!ctx.canNest(trips)) return false;
  const types = carriedTypes(ctx, 1);
  const inits = [ctx.constIndex(start), ...types.map((t) => operand(ctx, t))];
  const all: Type[] = [index, ...types];
  const before = new Block(all);
  const after = new Block(all);
  const limitV = ctx.constIndex(limit);
  const stepV = ctx.constIndex(step);
  const beforeRange: Range = [BigInt(start), BigInt(Math.max(start, limit + step - 1))];
  ctx.nested(trips, () => {
    ctx.inScope(before, () => {
      ctx.setFacts(before.args[0]!, { range: beforeRange });
      before.args.slice(1).forEach((a, k) => carriedFacts(ctx, a, inits[k + 1]!));
      // `ne` only terminates when the counter hits the limit exactly.
      const preds = (limit - start) % step === 0 ? (['slt', 'ult', 'ne'] as const) : (['slt', 'ult'] as const);
      const c = cmpi(ctx, r.pick(preds), before.args[0]!, limitV);
      ctx.b.create('scf.condition', { operands: [c, ...before.args] });
    });
    ctx.inScope(after, () => {
      const [iv, ...carried] = after.args;
      ctx.setFacts(iv!, { range: [BigInt(start), BigInt(Math.max(start, limit - 1))] });
      ctx.define(iv!);
      carried.forEach((c, k) => {
        carriedFacts(ctx, c, inits[k + 1]!);
        ctx.define(c);
      });
      body(r.int(1, 5));
      const next = ctx.value('arith.addi', [iv!, stepV], index, { range: [BigInt(start + step), BigInt(limit + step)] });
      const ys = yieldValues(ctx, types, inits.slice(1).map((v) => !!ctx.factsOf(v).approx));
      ctx.emitDeallocs();
      ctx.b.create('scf.yield', { operands: [next, ...ys] });
    });
  });
  const op = ctx.b.create('scf.while', { operands: inits, results: all, regions: [new Region([before]), new Region([after])] });
  ctx.limits.budget--;
  ctx.setFacts(op.results[0]!, { range: beforeRange });
  ctx.define(op.results[0]!);
  op.results.slice(1).forEach((v, k) => {
    carriedFacts(ctx, v, inits[k + 1]!);
    ctx.define(v);
  });
  return true;
}

const INT_REDUCERS = ['arith.addi', 'arith.muli', 'arith.andi', 'arith.ori', 'arith.xori', 'arith.maxsi', 'arith.minsi', 'arith.maxui', 'arith.minui'];
/** Order-independent float reductions only: the lowering may combine in any order. */
const FLOAT_REDUCERS = ['arith.maximumf', 'arith.minimumf'];

/** What a parallel loop writes (one element of `out` per iteration), its bounds, and the types it reduces. */
export type ParallelShape = { readonly out: Buffer; readonly rank: number; readonly ubs: readonly number[]; readonly trips: number; readonly types: readonly ScalarType[] };

export function parallelShape(ctx: GenContext, reduced: () => ScalarType[]): ParallelShape | undefined {
  const r = ctx.rand;
  if (ctx.parallelReadOnly) return undefined;
  const out = pickBuffer(ctx, ctx.writableBuffers().filter((b) => b.elem.kind === 'int' || b.elem.kind === 'float'));
  if (!out) return undefined;
  const rank = Math.min(out.shape.length, r.int(1, 2));
  const ubs = out.shape.slice(0, rank).map((n) => r.int(Math.min(1, n), n));
  const trips = ubs.reduce((a, b) => a * b, 1);
  if (!ctx.canNest(trips)) return undefined;
  // Order-independent reductions only: f32/f64 min/max, integer ops (associative and commutative mod 2^n).
  const types = reduced().filter((t) => t.kind === 'int' || (t.kind === 'float' && (t.name === 'f32' || t.name === 'f64')));
  return { out, rank, ubs, trips, types };
}

/**
 * The body of scf.parallel / affine.parallel: nothing in it writes memory but the loop's own store to its element
 * of `out`, which nothing in it reads, so every schedule agrees. `finish` gets the values to reduce and ends the block.
 */
export function parallelBody(ctx: GenContext, body: Body, p: ParallelShape, block: Block, affine: boolean, finish: (reduced: Value[]) => void): void {
  const r = ctx.rand;
  const saved = [ctx.parallelReadOnly, ctx.parallelOut] as const;
  ctx.parallelReadOnly = true;
  ctx.parallelOut = p.out.root;
  try {
    ctx.nested(p.trips, () =>
      ctx.inScope(block, () => {
        block.args.forEach((iv, k) => {
          ctx.setFacts(iv, { range: [0n, BigInt(p.ubs[k]! - 1)], ...(affine && { affine: 'dim' as const }) });
          ctx.define(iv);
        });
        body(r.int(1, 4));
        const idx = p.out.shape.map((n, k) => (k < p.rank ? block.args[k]! : ctx.constIndex(r.int(0, n - 1))));
        const v = operand(ctx, p.out.elem, p.out.elem.kind === 'float' ? () => true : exactOnly(ctx));
        ctx.op('memref.store', [v, p.out.value, ...idx], []);
        const reduced = p.types.map((t) => operand(ctx, t, exactOnly(ctx)));
        ctx.emitDeallocs();
        finish(reduced);
      }),
    );
  } finally {
    [ctx.parallelReadOnly, ctx.parallelOut] = saved;
  }
}

/** scf.parallel with scf.reduce (see parallelBody for why every schedule agrees). */
export function scfParallel(ctx: GenContext, body: Body): boolean {
  const r = ctx.rand;
  const p = parallelShape(ctx, () => carriedTypes(ctx, 2));
  if (!p) return false;
  const { ubs, rank, types } = p;
  const inits = types.map((t) => operand(ctx, t, exactOnly(ctx)));
  const lbs = ubs.map(() => ctx.constIndex(0));
  const ubVals = ubs.map((u) => ctx.constIndex(u));
  const steps = ubs.map(() => ctx.constIndex(1));
  const block = new Block(ubs.map(() => index));
  parallelBody(ctx, body, p, block, false, (reduced) => {
    const regions = types.map((t) => {
      const rb = new Block([t, t]);
      const name = r.pick(t.kind === 'float' ? FLOAT_REDUCERS : INT_REDUCERS);
      const res = ctx.b.inBlock(rb, (b) => b.value(name, [rb.args[0]!, rb.args[1]!], t));
      rb.append(new Operation('scf.reduce.return', [res], []));
      return new Region([rb]);
    });
    ctx.b.create('scf.reduce', { operands: reduced, regions });
  });
  const op = ctx.b.create('scf.parallel', {
    operands: [...lbs, ...ubVals, ...steps, ...inits],
    results: types,
    regions: [new Region([block])],
    props: { operandSegmentSizes: denseArray(i32, [rank, rank, rank, inits.length]) },
  });
  ctx.limits.budget--;
  op.results.forEach((v, k) => {
    carriedFacts(ctx, v, inits[k]!);
    ctx.define(v);
  });
  return true;
}

/** scf.execute_region whose body may branch (cf) before yielding. */
export function executeRegion(ctx: GenContext, body: Body, branchy: (c: GenContext, body: Body) => boolean): boolean {
  if (!ctx.canNest(1)) return false;
  const types = carriedTypes(ctx, 1);
  const entry = new Block();
  const region = new Region([entry]);
  const yields = ctx.nested(1, () =>
    ctx.inScope(entry, () => {
      body(ctx.rand.int(1, 3));
      branchy(ctx, body);
      body(ctx.rand.int(0, 2));
      const ys = types.map((t) => operand(ctx, t));
      ctx.emitDeallocs();
      ctx.b.create('scf.yield', { operands: ys });
      return ys;
    }),
  );
  const op = ctx.b.create('scf.execute_region', { results: types, regions: [region] });
  ctx.limits.budget--;
  op.results.forEach((v, k) => {
    ctx.setFacts(v, ctx.factsOf(yields[k]!));
    ctx.define(v);
  });
  return true;
}

/**
 * A cf diamond in a multi-block region: cond_br to two blocks (one taking an argument), both branching to a join
 * block with arguments. Generation continues in the join block.
 */
export function cfDiamond(ctx: GenContext, body: Body): boolean {
  const region = ctx.block.parent;
  if (!region || ctx.block !== region.blocks[region.blocks.length - 1] || !ctx.canNest(1)) return false;
  const r = ctx.rand;
  const cond = operand(ctx, i1, exactOnly(ctx));
  const types = carriedTypes(ctx, 2).filter((t) => t.kind !== 'index');
  const passT = randomScalarType(ctx);
  const passed = passT.kind === 'index' ? ctx.constIndex(r.int(0, 4)) : operand(ctx, passT, exactOnly(ctx));
  const thenB = new Block([passed.type]);
  const elseB = new Block();
  const join = new Block(types);
  const isTop = ctx.topLevelBlocks.has(ctx.block);
  for (const b of [thenB, elseB, join]) {
    region.addBlock(b);
    if (isTop) ctx.topLevelBlocks.add(b);
  }
  ctx.b.create('cf.cond_br', { operands: [cond, passed], successors: [thenB, elseB], props: { operandSegmentSizes: denseArray(i32, [1, 1, 0]) } });
  const incoming: Value[][] = [];
  for (const b of [thenB, elseB]) {
    ctx.nested(1, () =>
      ctx.inScope(b, () => {
        b.args.forEach((a) => {
          ctx.setFacts(a, ctx.factsOf(passed));
          ctx.define(a);
        });
        body(r.int(1, 3));
        const vs = types.map((t) => operand(ctx, t, exactOnly(ctx)));
        incoming.push(vs);
        ctx.emitDeallocs();
        ctx.b.create('cf.br', { operands: vs, successors: [join] });
      }),
    );
  }
  ctx.b.block = join;
  join.args.forEach((a, k) => {
    const ra = ctx.factsOf(incoming[0]![k]!).range;
    const rb = ctx.factsOf(incoming[1]![k]!).range;
    ctx.setFacts(a, ra && rb ? { range: unionRange(ra, rb) } : {});
    ctx.define(a);
  });
  ctx.limits.budget -= 3;
  return true;
}

/** A counted loop built from blocks: header(counter, carried) → body → header, exiting to a fresh block. */
export function cfLoop(ctx: GenContext, body: Body): boolean {
  const region = ctx.block.parent;
  if (!region || ctx.block !== region.blocks[region.blocks.length - 1]) return false;
  const r = ctx.rand;
  const n = r.weighted(ctx.tables.cfLoopTrips);
  if (!ctx.canNest(n)) return false;
  const types = carriedTypes(ctx, 1);
  const inits = types.map((t) => operand(ctx, t, exactOnly(ctx)));
  const header = new Block([index, ...types]);
  const loopBody = new Block();
  const exit = new Block();
  const isTop = ctx.topLevelBlocks.has(ctx.block);
  for (const b of [header, loopBody, exit]) {
    region.addBlock(b);
    if (isTop) ctx.topLevelBlocks.add(b);
  }
  ctx.b.create('cf.br', { operands: [ctx.constIndex(0), ...inits], successors: [header] });
  // Header values dominate the body and the exit, so they live in the enclosing scope.
  ctx.b.block = header;
  ctx.setFacts(header.args[0]!, { range: [0n, BigInt(n)] });
  ctx.define(header.args[0]!);
  header.args.slice(1).forEach((a, k) => {
    carriedFacts(ctx, a, inits[k]!);
    ctx.define(a);
  });
  const c = cmpi(ctx, 'slt', header.args[0]!, ctx.constIndex(n));
  ctx.b.create('cf.cond_br', { operands: [c], successors: [loopBody, exit], props: { operandSegmentSizes: denseArray(i32, [1, 0, 0]) } });
  ctx.nested(n, () =>
    ctx.inScope(loopBody, () => {
      body(r.int(1, 4));
      const next = ctx.value('arith.addi', [header.args[0]!, ctx.constIndex(1)], index, { range: [1n, BigInt(n + 1)] });
      const ys = types.map((t) => operand(ctx, t, exactOnly(ctx)));
      ctx.emitDeallocs();
      ctx.b.create('cf.br', { operands: [next, ...ys], successors: [header] });
    }),
  );
  ctx.b.block = exit;
  ctx.limits.budget -= 3;
  return true;
}

/** cf.assert on a fact the value ranges prove, so it never fires (and checks the generator's range analysis). */
export function cfAssert(ctx: GenContext): boolean {
  const r = ctx.rand;
  const known = ctx.visibleValues((v) => (v.type.kind === 'int' || v.type.kind === 'index') && !!ctx.factsOf(v).range && !ctx.factsOf(v).approx);
  const v = known.length ? r.pick(known.slice(0, 10)) : undefined;
  let c: Value;
  if (v) {
    const [lo, hi] = ctx.rangeOf(v);
    const t = v.type as typeof index;
    c = r.chance(0.5) ? cmpi(ctx, 'sge', v, ctx.constInt(t, lo)) : cmpi(ctx, 'sle', v, ctx.constInt(t, hi));
  } else {
    c = condition(ctx);
    const t = c.type;
    c = ctx.value('arith.ori', [c, ctx.value('arith.xori', [c, ctx.constInt(i1, -1n)], t)], t);
  }
  ctx.op('cf.assert', [c], [], { msg: strAttr(`tcfuzz: generated assertion ${ctx.limits.budget}`) });
  return true;
}


/** cf.switch on an integer: a default and up to three cases (boundary values included), all joining after. */
export function cfSwitch(ctx: GenContext, body: Body): boolean {
  const region = ctx.block.parent;
  if (!region || ctx.block !== region.blocks[region.blocks.length - 1] || !ctx.canNest(1)) return false;
  const r = ctx.rand;
  const t = r.pick([i32, i64, { kind: 'int', width: 8 } as const]);
  const flag = operand(ctx, t, exactOnly(ctx));
  const cases = [...new Set(Array.from({ length: r.int(1, 3) }, () => BigInt(r.pick([0, 1, -1, 2, 3, -128, 127]))))];
  const isTop = ctx.topLevelBlocks.has(ctx.block);
  const targets = [new Block(), ...cases.map(() => new Block())];
  const join = new Block();
  for (const b of [...targets, join]) {
    region.addBlock(b);
    if (isTop) ctx.topLevelBlocks.add(b);
  }
  ctx.b.create('cf.switch', {
    operands: [flag],
    successors: targets,
    props: {
      case_values: denseAttr(vector([cases.length], t), cases),
      case_operand_segments: denseArray(i32, cases.map(() => 0)),
      operandSegmentSizes: denseArray(i32, [1, 0, 0]),
    },
  });
  for (const b of targets) {
    ctx.nested(1, () =>
      ctx.inScope(b, () => {
        body(r.int(0, 2));
        ctx.emitDeallocs();
        ctx.b.create('cf.br', { successors: [join] });
      }),
    );
  }
  ctx.b.block = join;
  ctx.limits.budget -= 2;
  return true;
}

/** scf.index_switch on a clamped index, each case yielding a value. */
export function scfIndexSwitch(ctx: GenContext, body: Body): boolean {
  if (!ctx.canNest(1)) return false;
  const r = ctx.rand;
  const idxs = ctx.visibleValues((v) => v.type.kind === 'index');
  const sel = idxs.length ? r.pick(idxs.slice(0, 6)) : ctx.constIndex(r.int(0, 3));
  const cases = [...new Set(Array.from({ length: r.int(1, 3) }, () => r.int(0, 4)))].sort((a, b) => a - b);
  const types = carriedTypes(ctx, 1);
  const yields: Value[][] = [];
  const regions = [...cases, 'default'].map(() => {
    const block = new Block();
    ctx.nested(1, () =>
      ctx.inScope(block, () => {
        body(r.int(0, 2));
        const ys = types.map((t) => operand(ctx, t));
        yields.push(ys);
        ctx.emitDeallocs();
        ctx.b.create('scf.yield', { operands: ys });
      }),
    );
    return new Region([block]);
  });
  // The default region comes first in the op's region list.
  regions.unshift(regions.pop()!);
  const op = ctx.b.create('scf.index_switch', { operands: [sel], results: types, regions, props: { cases: denseArray(i64, cases) } });
  ctx.limits.budget--;
  op.results.forEach((v, k) => {
    const approx = yields.some((ys) => ctx.factsOf(ys[k]!).approx);
    ctx.setFacts(v, { ...(v.type.kind === 'int' && { range: fullRange(v.type.width) }), ...(approx && { approx }) });
    ctx.define(v);
  });
  return true;
}
