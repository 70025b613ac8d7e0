// A generator context (generate/context.ts) positioned inside an existing program, so generator functions can
// emit UB-free code there. Existing values carry no recorded facts, so they get facts that hold for any program
// the generator or a fact-preserving mutator made: exact ranges only for constants and loop variables with constant
// bounds, the full range of the type otherwise (index: int32, which generated programs never leave), and every
// pre-existing float is approximate (never compared, converted to an int, printed or used as an index).
import type { Attr } from '../../ir/attributes.ts';
import { denseAttr, strAttr, typeAttr, unit } from '../../ir/attributes.ts';
import { Block, Operation } from '../../ir/core.ts';
import type { Value } from '../../ir/core.ts';
import type { FunctionType, MemRefType, Type } from '../../ir/types.ts';
import { contiguousStrides, tensor } from '../../ir/types.ts';
import type { Buffer, Callee, Facts, ModuleScope } from '../generate/context.ts';
import { GenContext } from '../generate/context.ts';
import type { Rand } from '../generate/rand.ts';
import type { Range } from '../generate/ranges.ts';
import { fullRange, point } from '../generate/ranges.ts';
import type { Weights } from '../generate/weights.ts';
import type { IrProgram } from './mutator.ts';
import { holdsShape } from './op-safety.ts';

/** Insert before `block.ops[index]` (at most the terminator's index: nothing goes after a terminator). */
export type InsertionPoint = { readonly block: Block; readonly index: number };

/** Trip count assumed for loops whose bounds are not constant: large, so nothing nests under them. */
export const UNKNOWN_TRIPS = 1000;
/** The most interpreter work (product of trip counts) generated code may reach, as in the generator's @main. */
export const MAX_WORK = 400;
/** The most interpreter steps an edit that repeats existing code may add (work times the code's cost), far below the step budget. */
export const MAX_ADDED_STEPS = 50 * MAX_WORK;
const MAX_DEPTH = 4;

const PARALLEL = new Set(['scf.parallel', 'affine.parallel']);
const VIEWS = new Set(['memref.cast', 'memref.subview', 'memref.reinterpret_cast', 'memref.expand_shape', 'memref.collapse_shape', 'memref.transpose', 'memref.view']);

export function funcsOf(module: Operation): Operation[] {
  return module.regions[0]!.blocks[0]!.ops.filter((op) => op.name === 'func.func' && op.regions[0]!.blocks.length > 0);
}
const symName = (op: Operation): string | undefined => (op.props.sym_name?.kind === 'string' ? op.props.sym_name.value : undefined);

export function funcOf(op: Operation | undefined): Operation | undefined {
  let cur = op;
  while (cur && cur.name !== 'func.func') cur = cur.parentOp;
  return cur;
}

/** Ops whose regions hold a fixed shape of ops: a reduction's combiner, vector.mask's one masked op. */
const CLOSED_REGIONS = new Set(['scf.reduce', 'vector.mask']);

/** Every insertion point in the functions of `module`, except inside regions of a fixed shape. */
export function insertionPoints(module: Operation): InsertionPoint[] {
  const out: InsertionPoint[] = [];
  const visit = (b: Block) => {
    for (let k = 0; k < b.ops.length; k++) {
      out.push({ block: b, index: k });
      for (const r of b.ops[k]!.regions) if (!CLOSED_REGIONS.has(b.ops[k]!.name)) for (const inner of r.blocks) visit(inner);
    }
  };
  for (const f of funcsOf(module)) for (const b of f.regions[0]!.blocks) visit(b);
  return out;
}

/** The (block, index) pairs from the point outward to the function body. */
export function ancestry(p: InsertionPoint): InsertionPoint[] {
  const out: InsertionPoint[] = [p];
  for (let op = p.block.parentOp; op && op.name !== 'func.func'; op = op.parentOp) out.push({ block: op.parent!, index: op.parent!.ops.indexOf(op) });
  return out;
}

export function isTopLevel(b: Block): boolean {
  return b.parentOp?.name === 'func.func';
}

function constValue(v: Value): bigint | undefined {
  const d = v.definingOp;
  const a = d?.name === 'arith.constant' ? d.props.value : undefined;
  return a?.kind === 'int' ? a.value : undefined;
}

const mapConsts = (a: Attr | undefined): bigint[] | undefined => {
  if (a?.kind !== 'affine_map') return undefined;
  const out: bigint[] = [];
  for (const e of a.map.results) {
    if (e.k !== 'const') return undefined;
    out.push(e.v);
  }
  return out.length ? out : undefined;
};

/** Per induction variable of a loop op: [first, last] value and trip count, when the bounds are constant. */
export function loopIvBounds(op: Operation): { lo: bigint; hi: bigint; trips: number }[] | undefined {
  const span = (lb: bigint, ub: bigint, step: bigint) => {
    const trips = ub > lb && step > 0n ? (ub - lb + step - 1n) / step : 0n;
    return { lo: lb, hi: trips > 0n ? lb + (trips - 1n) * step : lb, trips: Number(trips) };
  };
  if (op.name === 'scf.for') {
    const [lb, ub, st] = op.operands.slice(0, 3).map(constValue);
    return lb !== undefined && ub !== undefined && st !== undefined ? [span(lb, ub, st)] : undefined;
  }
  if (op.name === 'affine.for') {
    const lbs = mapConsts(op.props.lowerBoundMap);
    const ubs = mapConsts(op.props.upperBoundMap);
    const st = op.props.step;
    if (!lbs || !ubs || st?.kind !== 'int') return undefined;
    return [span(lbs.reduce((a, b) => (a > b ? a : b)), ubs.reduce((a, b) => (a < b ? a : b)), st.value)];
  }
  if (op.name === 'scf.parallel') {
    const n = op.regions[0]!.blocks[0]!.args.length;
    const cs = op.operands.slice(0, 3 * n).map(constValue);
    if (cs.some((c) => c === undefined)) return undefined;
    return Array.from({ length: n }, (_, k) => span(cs[k]!, cs[n + k]!, cs[2 * n + k]!));
  }
  if (op.name === 'affine.parallel') {
    const lbs = mapConsts(op.props.lowerBoundsMap);
    const ubs = mapConsts(op.props.upperBoundsMap);
    const steps = op.props.steps;
    const n = op.regions[0]!.blocks[0]!.args.length;
    if (!lbs || !ubs || lbs.length !== n || ubs.length !== n || steps?.kind !== 'array') return undefined;
    return lbs.map((lb, k) => {
      const s = steps.elems[k];
      return span(lb, ubs[k]!, s?.kind === 'int' ? s.value : 0n);
    });
  }
  return undefined;
}

const LOOPS = new Set(['scf.for', 'affine.for', 'scf.parallel', 'affine.parallel', 'scf.while']);

/** How often one execution of `op` runs its regions' code: the trip count product, or UNKNOWN_TRIPS. */
export function regionRepeats(op: Operation): number {
  if (!LOOPS.has(op.name)) return 1;
  const b = loopIvBounds(op);
  return b ? b.reduce((acc, x) => acc * Math.max(1, x.trips), 1) : UNKNOWN_TRIPS;
}

/** Blocks of a multi-block region that lie on a cycle (cf loops): their code runs an unknown number of times. */
function onCycle(b: Block): boolean {
  const seen = new Set<Block>();
  const stack = [...(b.terminator?.successors ?? [])];
  while (stack.length) {
    const x = stack.pop()!;
    if (x === b) return true;
    if (seen.has(x)) continue;
    seen.add(x);
    stack.push(...(x.terminator?.successors ?? []));
  }
  return false;
}

/** The blocks of b's region that dominate b (b excluded), outermost first. */
export function dominators(b: Block): Block[] {
  const region = b.parent!;
  if (region.blocks.length === 1) return [];
  const blocks = region.blocks;
  const preds = new Map<Block, Block[]>(blocks.map((x) => [x, []]));
  for (const x of blocks) for (const s of x.terminator?.successors ?? []) preds.get(s)?.push(x);
  const dom = new Map<Block, Set<Block>>(blocks.map((x, k) => [x, new Set(k === 0 ? [x] : blocks)]));
  for (let changed = true; changed; ) {
    changed = false;
    for (const x of blocks.slice(1)) {
      const ps = preds.get(x)!;
      const next = new Set<Block>(ps.length ? [...dom.get(ps[0]!)!].filter((d) => ps.every((p) => dom.get(p)!.has(d))) : []);
      next.add(x);
      if (next.size !== dom.get(x)!.size) {
        dom.set(x, next);
        changed = true;
      }
    }
  }
  return [...dom.get(b)!].filter((d) => d !== b).sort((x, y) => dom.get(x)!.size - dom.get(y)!.size);
}

/** Product of the trip counts around the point, including every call site of its function. */
export function workAt(module: Operation, p: InsertionPoint, seen: Set<Operation> = new Set()): number {
  let w = 1;
  for (const { block } of ancestry(p)) {
    if (block.parent!.blocks.length > 1 && onCycle(block)) w *= UNKNOWN_TRIPS;
    const op = block.parentOp;
    if (op && op.name !== 'func.func') w *= regionRepeats(op);
  }
  return w * callerWork(module, funcOf(p.block.parentOp)!, seen);
}

/** The `func.call`s of `f` in the module's functions. */
export function callSites(module: Operation, f: Operation): Operation[] {
  const name = symName(f);
  const out: Operation[] = [];
  for (const g of funcsOf(module)) for (const op of g.walk()) if (op.name === 'func.call' && op.props.callee?.kind === 'symbol' && op.props.callee.path[0] === name) out.push(op);
  return out;
}

function callerWork(module: Operation, f: Operation, seen: Set<Operation>): number {
  if (seen.has(f)) return UNKNOWN_TRIPS;
  const sites = callSites(module, f);
  let w = 1;
  for (const c of sites) w = Math.max(w, workAt(module, { block: c.parent!, index: c.parent!.ops.indexOf(c) }, new Set([...seen, f])));
  return w;
}

/** Whether code at the point may run inside a parallel loop (directly or through a call). */
export function inParallel(module: Operation, p: InsertionPoint, seen: Set<Operation> = new Set()): boolean {
  if (ancestry(p).some(({ block }) => PARALLEL.has(block.parentOp?.name ?? ''))) return true;
  const f = funcOf(p.block.parentOp)!;
  if (seen.has(f)) return true;
  return callSites(module, f).some((c) => inParallel(module, { block: c.parent!, index: c.parent!.ops.indexOf(c) }, new Set([...seen, f])));
}

/** The allocation a view of a memref comes from. */
export function viewRoot(v: Value): Value {
  let cur = v;
  while (cur.definingOp && VIEWS.has(cur.definingOp.name)) cur = cur.definingOp.operands[0]!;
  return cur;
}

/** Whether `op` or anything nested in it uses `v`. */
export function usesValue(op: Operation, v: Value): boolean {
  for (const o of op.walk()) if (o.operands.includes(v)) return true;
  return false;
}

/** Index, in the block holding `v`'s definition, of the op after which `v` has been initialised (its first non-constant user). */
function initOpIndex(v: Value): number {
  const b = v.parentBlock!;
  const start = b.ops.indexOf(v.definingOp!);
  for (let k = start + 1; k < b.ops.length; k++) {
    const op = b.ops[k]!;
    if (op.name !== 'arith.constant' && usesValue(op, v)) return k;
  }
  return Number.POSITIVE_INFINITY;
}

/** The position the point has in `b` (b is the point's block or holds one of its ancestors), or past the end for a dominating block. */
function positionIn(chain: readonly InsertionPoint[], b: Block): number {
  return chain.find((c) => c.block === b)?.index ?? b.ops.length;
}

/** An allocation is usable once its initialising op has run and until a dealloc of it may have run. */
function allocUsable(v: Value, chain: readonly InsertionPoint[]): boolean {
  if (initOpIndex(v) >= positionIn(chain, v.parentBlock!)) return false;
  const views = [v];
  for (let k = 0; k < views.length; k++) for (const u of views[k]!.users) if (VIEWS.has(u.name) && u.results.length) views.push(u.results[0]!);
  for (const w of views)
    for (const u of w.users) {
      if (u.name !== 'memref.dealloc') continue;
      const at = chain.find((c) => c.block === u.parent);
      // Only a dealloc still ahead of the point at some nesting level is harmless.
      const ahead = at && u.parent!.ops.indexOf(u) >= (at === chain[0] ? at.index : at.index + 1);
      if (!ahead) return false;
    }
  return true;
}

const staticIdentity = (t: Type): t is MemRefType => t.kind === 'memref' && t.layout === undefined && t.shape.every((d) => d >= 0);

class ModuleGlobals implements ModuleScope {
  constructor(private readonly module: Operation) {}
  declareGlobal(t: MemRefType, constant: boolean, values: bigint[]): string {
    const body = this.module.regions[0]!.blocks[0]!;
    const taken = new Set(body.ops.map(symName));
    let n = 0;
    while (taken.has(`g${n}`)) n++;
    const props: Record<string, Attr> = { sym_name: strAttr(`g${n}`), sym_visibility: strAttr('private'), type: typeAttr(t), initial_value: denseAttr(tensor(t.shape, t.elem), values) };
    if (constant) props.constant = unit;
    body.insert(0, new Operation('memref.global', [], [], props));
    return `g${n}`;
  }
}

/** Callees the function `f` may call without creating recursion. */
function calleesFor(module: Operation, f: Operation): Callee[] {
  const funcs = funcsOf(module);
  const byName = new Map(funcs.map((g) => [symName(g), g]));
  const reaches = (from: Operation, to: Operation, seen = new Set<Operation>()): boolean => {
    if (from === to) return true;
    if (seen.has(from)) return false;
    seen.add(from);
    for (const op of from.walk()) {
      const c = op.name === 'func.call' && op.props.callee?.kind === 'symbol' ? byName.get(op.props.callee.path[0]) : undefined;
      if (c && reaches(c, to, seen)) return true;
    }
    return false;
  };
  const out: Callee[] = [];
  for (const g of funcs) {
    const ft = g.props.function_type;
    if (g === f || symName(g) === 'main' || ft?.kind !== 'type' || ft.type.kind !== 'function' || reaches(g, f)) continue;
    const type: FunctionType = ft.type;
    out.push({ name: symName(g)!, type, touchesMemory: type.inputs.some((t) => t.kind === 'memref'), approxResults: type.results.map((t) => t.kind === 'float') });
  }
  return out;
}

/** Facts that hold for a pre-existing value whatever program it comes from (see the header). */
function existingFacts(v: Value): Facts | undefined {
  const t = v.type;
  if (t.kind === 'float' || (t.kind === 'vector' && t.elem.kind === 'float')) return { approx: true };
  if (t.kind === 'vector') return t.elem.kind === 'int' ? {} : undefined;
  if (t.kind !== 'int' && t.kind !== 'index') return undefined;
  const c = constValue(v);
  if (c !== undefined) return t.kind === 'index' ? { range: point(c), affine: 'sym' } : { range: point(c) };
  const owner = v.definingOp ? undefined : v.parentBlock!.parentOp;
  const affineIv = owner?.name === 'affine.for' ? v.index === 0 : owner?.name === 'affine.parallel';
  const isIv = affineIv || (owner?.name === 'scf.for' && v.index === 0) || owner?.name === 'scf.parallel';
  const bounds = isIv ? loopIvBounds(owner!)?.[v.index] : undefined;
  const range: Range = bounds ? [bounds.lo, bounds.hi] : t.kind === 'int' ? fullRange(t.width) : fullRange(32);
  return affineIv ? { range, affine: 'dim' } : { range };
}

export type PointContext = {
  readonly ctx: GenContext;
  readonly point: InsertionPoint;
  /** Moves what `ctx` generated (plus the deallocations it deferred) to the point. */
  commit(): void;
};

/** A generator context at `p`: visible values with their facts, usable buffers, callees, and the work around it. */
export function contextAt(module: Operation, p: InsertionPoint, rand: Rand, weights: Weights, budget: number): PointContext {
  const chain = ancestry(p);
  const f = funcOf(p.block.parentOp)!;
  const scratch = new Block();
  const ctx = new GenContext(rand, scratch, { budget, maxDepth: MAX_DEPTH, maxWork: MAX_WORK }, new ModuleGlobals(module), weights);
  for (const b of f.regions[0]!.blocks) ctx.topLevelBlocks.add(b);
  if (isTopLevel(p.block)) ctx.topLevelBlocks.add(scratch);
  ctx.callees.push(...calleesFor(module, f));
  ctx.depth = chain.length - 1;
  ctx.work = workAt(module, p);
  const parallel = inParallel(module, p);
  ctx.parallelReadOnly = parallel;

  const globals = new Map(module.regions[0]!.blocks[0]!.ops.filter((o) => o.name === 'memref.global').map((g) => [symName(g), g.props.constant !== undefined]));
  const roots = new Map<string, object>();
  const rootOf = (key: string) => roots.get(key) ?? (roots.set(key, {}), roots.get(key)!);
  const isMain = symName(f) === 'main';
  const addBuffer = (v: Value) => {
    const t = v.type;
    if (parallel || !staticIdentity(t)) return;
    const d = v.definingOp;
    let root: object;
    let readOnly = false;
    if (!d) {
      if (v.parentBlock !== f.regions[0]!.blocks[0]) return;
      // A callee's buffer arguments may be the caller's buffers or its mutable globals: one root, may alias.
      root = isMain ? rootOf(`arg${v.index}`) : rootOf('external');
    } else if (d.name === 'memref.alloc' || d.name === 'memref.alloca') {
      if (!allocUsable(v, chain)) return;
      root = {};
    } else if (d.name === 'memref.get_global' && d.props.name?.kind === 'symbol') {
      const name = d.props.name.path[0]!;
      readOnly = globals.get(name) ?? true;
      root = readOnly || isMain ? rootOf(`@${name}`) : rootOf('external');
    } else return;
    const buf: Buffer = { value: v, shape: t.shape, elem: t.elem, readOnly, root, layout: { strides: contiguousStrides(t.shape), offset: 0 } };
    ctx.addBuffer(buf);
  };
  const define = (v: Value) => {
    if (v.type.kind === 'memref') return addBuffer(v);
    const facts = existingFacts(v);
    if (!facts) return;
    ctx.setFacts(v, facts);
    ctx.define(v);
  };
  for (const at of [...chain].reverse()) {
    for (const d of dominators(at.block)) {
      d.args.forEach(define);
      for (const op of d.ops) op.results.forEach(define);
    }
    at.block.args.forEach(define);
    for (const op of at.block.ops.slice(0, at.index)) op.results.forEach(define);
  }
  return {
    ctx,
    point: p,
    commit() {
      ctx.emitDeallocs();
      const anchor = p.block.ops[p.index]!;
      for (const op of [...scratch.ops]) op.moveBefore(anchor);
    },
  };
}

/** A contiguous run `block.ops[start..end)` of non-terminator ops. */
export type Run = { readonly block: Block; readonly start: number; readonly end: number };

export const runOps = (r: Run): Operation[] => r.block.ops.slice(r.start, r.end);

/** Ops that write memory or have an observable effect: a parallel loop may not repeat them. */
const EFFECTS = new Set([
  'memref.store', 'affine.store', 'vector.store', 'affine.vector_store', 'vector.transfer_write', 'vector.maskedstore', 'memref.copy',
  'memref.atomic_rmw', 'memref.generic_atomic_rmw', 'memref.dealloc', 'memref.alloc', 'memref.alloca', 'vector.print', 'func.call', 'cf.assert',
]);
export const hasEffects = (ops: readonly Operation[]): boolean => ops.some((op) => [...op.walk()].some((o) => EFFECTS.has(o.name)));

/** Whether `op` is one of the run's ops or nested in one. */
function inRun(r: Run, op: Operation): boolean {
  for (let cur: Operation | undefined = op; cur; cur = cur.parentOp) {
    if (cur.parent === r.block) {
      const k = r.block.ops.indexOf(cur);
      return k >= r.start && k < r.end;
    }
  }
  return false;
}

/** Interpreter steps one execution of `op` may take (calls include the callee's body). */
export function opCost(module: Operation, op: Operation, seen: Set<string> = new Set()): number {
  let c = 1;
  const rep = regionRepeats(op);
  for (const r of op.regions) for (const b of r.blocks) for (const o of b.ops) c += rep * opCost(module, o, seen);
  if (op.name === 'func.call' && op.props.callee?.kind === 'symbol') {
    const name = op.props.callee.path[0]!;
    const f = funcsOf(module).find((g) => symName(g) === name);
    if (!f || seen.has(name)) return UNKNOWN_TRIPS * UNKNOWN_TRIPS;
    for (const o of f.regions[0]!.blocks.flatMap((b) => b.ops)) c += opCost(module, o, new Set([...seen, name]));
  }
  return c;
}


/** Ops that store their first operand through their second. */
const STORES = new Set(['memref.store', 'affine.store', 'vector.store', 'affine.vector_store']);

/**
 * Whether the run may be moved into a new region that runs it any number of times, zero included: nothing it
 * defines is used after it, it frees nothing allocated before it, it does not initialise (or touch before its
 * initialisation) an allocation made before it, and at the top level nothing it defines is an affine symbol.
 */
export function wrappable(r: Run): boolean {
  const ops = runOps(r);
  if (ops.length === 0 || ops.some((op) => op === r.block.terminator)) return false;
  const chain = ancestry({ block: r.block, index: r.start });
  const top = isTopLevel(r.block);
  for (const op of ops) {
    if (top && op.results.some((v) => v.users.some((u) => u.name.startsWith('affine.')))) return false;
    for (const o of op.walk()) {
      const defs = [...o.results, ...o.regions.flatMap((g) => g.blocks.flatMap((b) => b.args))];
      if (defs.some((v) => v.uses.some((u) => !inRun(r, u.owner)))) return false;
      if (o.name === 'memref.dealloc' && !inRun(r, viewRoot(o.operands[0]!).definingOp ?? r.block.parentOp!)) return false;
      // A reshape's shape must be written exactly once before the reshape reads it.
      if (STORES.has(o.name) && holdsShape(o.operands[1]!)) return false;
      for (const v of o.operands) {
        if (v.type.kind !== 'memref') continue;
        const root = viewRoot(v);
        const d = root.definingOp;
        if ((d?.name === 'memref.alloc' || d?.name === 'memref.alloca') && !inRun(r, d) && initOpIndex(root) >= positionIn(chain, root.parentBlock!)) return false;
      }
    }
  }
  return true;
}

/** A random wrappable run of up to `maxLen` ops, from up to `tries` random starting points. */
export function pickRun(module: Operation, random: Rand, maxLen: number, tries = 30): Run | undefined {
  const points = insertionPoints(module).filter((p) => p.index < p.block.ops.length - 1);
  if (!points.length) return undefined;
  for (let t = 0; t < tries; t++) {
    const p = random.pick(points);
    const longest = Math.min(maxLen, p.block.ops.length - 1 - p.index);
    for (let len = random.int(1, longest); len >= 1; len--) {
      const run = { block: p.block, start: p.index, end: p.index + len };
      if (wrappable(run)) return run;
    }
  }
  return undefined;
}

/** Statement makers with weights: each emits into the context and says whether it emitted anything. */
export type StatementKinds = readonly (readonly [number, (ctx: GenContext) => boolean])[];

/** A copy of `input` with 1–4 statements drawn from `kinds` at a random point; undefined when none fit there. */
export function insertStatements(input: IrProgram, random: Rand, weights: Weights, kinds: StatementKinds): IrProgram | undefined {
  const module = input.module.clone();
  const pc = contextAt(module, random.pick(insertionPoints(module)), random, weights, 40);
  const n = random.int(1, 4);
  for (let k = 0, tries = 0; k < n && tries < 12; tries++) if (random.weighted(kinds)(pc.ctx)) k++;
  if (pc.ctx.block.ops.length === 0) return undefined;
  pc.commit();
  return { module, args: input.args };
}
