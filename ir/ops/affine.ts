// affine: loops, conditionals and memory accesses whose indices are affine maps of dims and symbols.
import type { AffineMap, IntegerSet } from '../affine.ts';
import type { Operation, Region, Value } from '../core.ts';
import type { MemRefType, Type } from '../types.ts';
import { index, typeEq } from '../types.ts';
import { checkRegionArgs, checkYields, first, group, intList, sameTypes, types } from './constraints.ts';
import { lookupOp } from './registry.ts';
import type { OpSpec } from './spec.ts';

const hasTrait = (op: Operation | undefined, t: 'affine-scope' | 'isolated-from-above' | 'constant-like'): boolean =>
  !!op && !!lookupOp(op.name)?.traits?.includes(t);

/** The region of the closest affine scope (func.func, builtin.module) holding `op`. */
export function affineScope(op: Operation): Region | undefined {
  for (let cur = op; ; ) {
    const p = cur.parentOp;
    if (!p) return undefined;
    if (hasTrait(p, 'affine-scope')) return cur.parent?.parent;
    cur = p;
  }
}

/** Defined directly in an affine scope: an argument of its body, or the result of an op at its top level. */
function isTopLevel(v: Value, region?: Region): boolean {
  const r = v.parentBlock?.parent;
  return region ? r === region : hasTrait(r?.parent, 'affine-scope');
}

/** Look through the enclosing op's region when it is not isolated, as MLIR does for values defined above. */
function viaParent(region: Region | undefined, v: Value, visiting: Set<Value>): boolean {
  const regionOp = region?.parent;
  const outer = regionOp?.parent?.parent;
  if (!regionOp || !outer || hasTrait(regionOp, 'isolated-from-above')) return false;
  return isValidSymbol(v, outer, visiting);
}

/**
 * The rules of mlir::affine::isValidSymbol: an index value that is defined at the top level of the affine
 * scope, is a constant, is an affine.apply of symbols, or is a memref.dim whose size is itself symbolic.
 */
export function isValidSymbol(v: Value, region?: Region, visiting = new Set<Value>()): boolean {
  if (v.type.kind !== 'index') return false;
  if (region && isTopLevel(v, region)) return true;
  // Invalid IR may hold use-def cycles (dominance is checked later); a cycle proves nothing.
  if (visiting.has(v)) return false;
  visiting.add(v);
  try {
    const def = v.definingOp;
    if (def) {
      if (hasTrait(def, 'constant-like')) return true;
      if (def.name === 'affine.apply') return def.operands.every((o) => isValidSymbol(o, region, visiting));
      if (def.name === 'memref.dim') return isDimValidSymbol(def, region, visiting);
    }
  } finally {
    visiting.delete(v);
  }
  return viaParent(region, v, visiting);
}

function isDimValidSymbol(dim: Operation, region: Region | undefined, visiting: Set<Value>): boolean {
  const src = dim.operands[0]!;
  if (isTopLevel(src)) return true;
  if (!src.definingOp) return false;
  const c = dim.operands[1]!.definingOp;
  const cv = c?.name === 'arith.constant' ? c.props.value : undefined;
  if (cv?.kind !== 'int') return false;
  let def: Operation | undefined = src.definingOp;
  while (def?.name === 'memref.cast') {
    if (def.operands[0]!.type.kind !== 'memref') return false;
    def = def.operands[0]!.definingOp;
  }
  if (def?.name !== 'memref.alloc' && def?.name !== 'memref.subview') return false;
  const t = def.results[0]!.type as MemRefType;
  const k = Number(cv.value);
  if (k < 0 || k >= t.shape.length) return false;
  if (t.shape[k] !== -1) return true;
  const pos = t.shape.slice(0, k).filter((d) => d === -1).length;
  const sizes = group(def, def.name === 'memref.alloc' ? 'dynamicSizes' : 'sizes');
  return !!sizes[pos] && isValidSymbol(sizes[pos], region, visiting);
}

/** mlir::affine::isValidDim: a valid symbol, an affine.for/parallel induction variable, or an apply of dims. */
export function isValidDim(v: Value, region?: Region, visiting = new Set<Value>()): boolean {
  if (v.type.kind !== 'index') return false;
  if (isValidSymbol(v, region)) return true;
  const def = v.definingOp;
  if (!def) {
    const owner = v.parentBlock?.parent?.parent;
    return owner?.name === 'affine.for' || owner?.name === 'affine.parallel';
  }
  if (def.name === 'memref.dim') return isTopLevel(def.operands[0]!);
  if (def.name !== 'affine.apply' || visiting.has(v)) return false;
  visiting.add(v);
  const ok = def.operands.every((o) => isValidDim(o, region, visiting));
  visiting.delete(v);
  return ok;
}

/** isValidDim without a given scope: the scope is that of the value's own definition. */
function isValidDimHere(v: Value): boolean {
  if (v.type.kind !== 'index') return false;
  const def = v.definingOp;
  if (def) return isValidDim(v, affineScope(def));
  const owner = v.parentBlock?.parent?.parent;
  return !!owner && (hasTrait(owner, 'affine-scope') || owner.name === 'affine.for' || owner.name === 'affine.parallel');
}

/** isValidSymbol without a given scope, likewise. */
function isValidSymbolHere(v: Value): boolean {
  if (v.type.kind !== 'index') return false;
  if (isTopLevel(v)) return true;
  const def = v.definingOp;
  return !!def && isValidSymbol(v, affineScope(def));
}

/** Operand count must match the map's inputs, and each operand must be a valid dim or symbol for its position. */
function checkMapOperands(op: Operation, m: { dims: number; syms: number }, operands: readonly Value[], what: string): string | undefined {
  if (operands.length !== m.dims + m.syms) return `${what} operand count (${operands.length}) must equal its map's dimension and symbol count (${m.dims + m.syms})`;
  const scope = affineScope(op);
  for (let k = 0; k < operands.length; k++) {
    if (k < m.dims ? !isValidDim(operands[k]!, scope) : !isValidSymbol(operands[k]!, scope)) {
      return k < m.dims ? 'operand cannot be used as a dimension id' : 'operand cannot be used as a symbol';
    }
  }
  return undefined;
}

const mapOf = (op: Operation, name: string): AffineMap => (op.props[name] as { map: AffineMap }).map;
const setOf = (op: Operation, name: string): IntegerSet => (op.props[name] as { set: IntegerSet }).set;

/** affine.load/store/vector_load/vector_store: map results index the memref, map inputs are the indices. */
function checkAccess(op: Operation, memref: Value, indices: readonly Value[]): string | undefined {
  const t = memref.type as MemRefType;
  const m = mapOf(op, 'map');
  if (m.results.length !== t.shape.length) return 'affine map num results must equal memref rank';
  if (m.dims + m.syms !== indices.length) return 'expects as many subscripts as affine map inputs';
  return checkMapOperands(op, m, indices, 'map');
}

function verifyFor(op: Operation): string | undefined {
  const lb = mapOf(op, 'lowerBoundMap');
  const ub = mapOf(op, 'upperBoundMap');
  const inits = types(group(op, 'inits'));
  const step = op.props.step as { value: bigint };
  return first(
    () => (step.value > 0n ? undefined : 'expected step to be representable as a positive signed integer'),
    () => (lb.results.length && ub.results.length ? undefined : 'lower and upper bound maps must have at least one result'),
    () => checkMapOperands(op, lb, group(op, 'lowerBoundOperands'), 'lower bound'),
    () => checkMapOperands(op, ub, group(op, 'upperBoundOperands'), 'upper bound'),
    () => (sameTypes(inits, types(op.results)) ? undefined : 'mismatch between the number of loop-carried values and results'),
    () => checkRegionArgs(op, 0, [index, ...inits], 'the body'),
    () => checkYields(op, 0, inits, 'affine.yield'),
  );
}

function verifyIf(op: Operation): string | undefined {
  const s = setOf(op, 'condition');
  const rt = types(op.results);
  return first(
    () => (op.regions[0]!.blocks.length === 1 ? undefined : "region #0 ('thenRegion') failed to verify constraint: region with 1 blocks"),
    () => (rt.length && op.regions[1]!.blocks.length === 0 ? 'must have an else block if defining values' : undefined),
    () => checkMapOperands(op, s, op.operands, 'integer set'),
    () => checkRegionArgs(op, 0, []) ?? checkRegionArgs(op, 1, []),
    () => checkYields(op, 0, rt, 'affine.yield') ?? checkYields(op, 1, rt, 'affine.yield'),
  );
}

/** arith::AtomicRMWKind values allowed as affine.parallel reductions, and the element types they take. */
const PARALLEL_REDUCTIONS: Record<number, 'float' | 'int'> = { 0: 'float', 1: 'int', 2: 'int', 4: 'float', 5: 'float', 6: 'int', 7: 'int', 8: 'float', 9: 'float', 10: 'int', 11: 'int', 12: 'float', 13: 'int', 14: 'int', 15: 'int' };

function verifyParallel(op: Operation): string | undefined {
  const steps = intList(op.props.steps) ?? [];
  const n = steps.length;
  const lb = mapOf(op, 'lowerBoundsMap');
  const ub = mapOf(op, 'upperBoundsMap');
  const lbg = intList(op.props.lowerBoundsGroups) ?? [];
  const ubg = intList(op.props.upperBoundsGroups) ?? [];
  const reds = intList(op.props.reductions) ?? [];
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  return first(
    () => (lbg.length === n && ubg.length === n ? undefined : 'the number of region arguments, lower bound groups, upper bound groups and steps must match'),
    () => (sum(lbg) === lb.results.length && sum(ubg) === ub.results.length && [...lbg, ...ubg].every((g) => g > 0) ? undefined : 'bound groups must be positive and cover every bound map result'),
    () => (steps.every((s) => s > 0) ? undefined : 'steps must be positive'),
    () => (op.operands.length === lb.dims + lb.syms + ub.dims + ub.syms ? undefined : 'expects as many operands as lower and upper bound map inputs'),
    () => checkMapOperands(op, lb, op.operands.slice(0, lb.dims + lb.syms), 'lower bound'),
    () => checkMapOperands(op, ub, op.operands.slice(lb.dims + lb.syms), 'upper bound'),
    () => checkRegionArgs(op, 0, Array.from({ length: n }, () => index), 'the body'),
    () => (reds.length === op.results.length ? undefined : 'a reduction must be specified for each output'),
    () => {
      for (let k = 0; k < reds.length; k++) {
        const want = PARALLEL_REDUCTIONS[reds[k]!];
        const t: Type = op.results[k]!.type;
        if (!want || (want === 'float') !== (t.kind === 'float')) return `result type cannot match reduction attribute`;
      }
      return undefined;
    },
    () => checkYields(op, 0, types(op.results), 'affine.yield'),
  );
}

const MAP = { required: true, kind: 'affine_map' } as const;

export const affineOps: readonly OpSpec[] = [
  {
    name: 'affine.for',
    operands: [
      { name: 'lowerBoundOperands', arity: 'variadic', type: 'index' },
      { name: 'upperBoundOperands', arity: 'variadic', type: 'index' },
      { name: 'inits', arity: 'variadic' },
    ],
    results: [{ name: 'results', arity: 'variadic' }],
    props: { lowerBoundMap: MAP, upperBoundMap: MAP, step: { required: true, kind: 'int', type: 'index' } },
    regions: 1,
    terminators: ['affine.yield'],
    traits: ['single-block', 'attr-sized-operands'],
    verify: verifyFor,
  },
  {
    name: 'affine.if',
    operands: [{ name: 'operands', arity: 'variadic', type: 'index' }],
    results: [{ name: 'results', arity: 'variadic' }],
    props: { condition: { required: true, kind: 'integer_set' } },
    regions: 2,
    terminators: ['affine.yield'],
    traits: ['single-block'],
    verify: verifyIf,
  },
  {
    name: 'affine.parallel',
    operands: [{ name: 'mapOperands', arity: 'variadic', type: 'index' }],
    results: [{ name: 'results', arity: 'variadic' }],
    props: {
      reductions: { required: true, kind: 'array' },
      lowerBoundsMap: MAP,
      lowerBoundsGroups: { required: true, kind: 'dense' },
      upperBoundsMap: MAP,
      upperBoundsGroups: { required: true, kind: 'dense' },
      steps: { required: true, kind: 'array' },
    },
    regions: 1,
    terminators: ['affine.yield'],
    traits: ['single-block'],
    verify: verifyParallel,
  },
  {
    name: 'affine.yield',
    operands: [{ name: 'operands', arity: 'variadic' }],
    results: [],
    parents: ['affine.for', 'affine.if', 'affine.parallel'],
    traits: ['terminator', 'pure'],
  },
  {
    name: 'affine.load',
    operands: [{ name: 'memref', type: 'memref' }, { name: 'indices', arity: 'variadic', type: 'index' }],
    results: [{ name: 'result' }],
    props: { map: MAP },
    verify: (op) =>
      checkAccess(op, op.operands[0]!, op.operands.slice(1)) ??
      (typeEq(op.results[0]!.type, (op.operands[0]!.type as MemRefType).elem) ? undefined : 'result type must match element type of memref'),
  },
  {
    name: 'affine.store',
    operands: [{ name: 'value' }, { name: 'memref', type: 'memref' }, { name: 'indices', arity: 'variadic', type: 'index' }],
    results: [],
    props: { map: MAP },
    verify: (op) =>
      checkAccess(op, op.operands[1]!, op.operands.slice(2)) ??
      (typeEq(op.operands[0]!.type, (op.operands[1]!.type as MemRefType).elem) ? undefined : 'value to store must have the same type as memref element type'),
  },
  {
    name: 'affine.vector_load',
    operands: [{ name: 'memref', type: 'memref' }, { name: 'indices', arity: 'variadic', type: 'index' }],
    results: [{ name: 'result', type: 'vector' }],
    props: { map: MAP },
    verify: (op) =>
      checkAccess(op, op.operands[0]!, op.operands.slice(1)) ??
      (typeEq((op.results[0]!.type as { elem: Type }).elem, (op.operands[0]!.type as MemRefType).elem) ? undefined : 'requires memref and vector types of the same elemental type'),
  },
  {
    name: 'affine.vector_store',
    operands: [{ name: 'value', type: 'vector' }, { name: 'memref', type: 'memref' }, { name: 'indices', arity: 'variadic', type: 'index' }],
    results: [],
    props: { map: MAP },
    verify: (op) =>
      checkAccess(op, op.operands[1]!, op.operands.slice(2)) ??
      (typeEq((op.operands[0]!.type as { elem: Type }).elem, (op.operands[1]!.type as MemRefType).elem) ? undefined : 'requires memref and vector types of the same elemental type'),
  },
  {
    name: 'affine.apply',
    operands: [{ name: 'mapOperands', arity: 'variadic', type: 'index' }],
    results: [{ name: 'result', type: 'index' }],
    props: { map: MAP },
    traits: ['pure'],
    verify: (op) => {
      const m = mapOf(op, 'map');
      if (op.operands.length !== m.dims + m.syms) return 'operand count and affine map dimension and symbol count must match';
      if (m.results.length !== 1) return 'mapping must produce one value';
      // apply checks symbols only loosely: an operand in a symbol position may be anything but a loop-like dim.
      const bad = op.operands.slice(m.dims).some((v) => isValidDimHere(v) && !isValidSymbolHere(v));
      return bad ? 'dimensional operand cannot be used as a symbol' : undefined;
    },
  },
  ...['min', 'max'].map(
    (n): OpSpec => ({
      name: `affine.${n}`,
      operands: [{ name: 'operands', arity: 'variadic', type: 'index' }],
      results: [{ name: 'result', type: 'index' }],
      props: { map: MAP },
      traits: ['pure'],
      verify: (op) => {
        const m = mapOf(op, 'map');
        if (op.operands.length !== m.dims + m.syms) return 'operand count and affine map dimension and symbol count must match';
        return m.results.length > 0 ? undefined : 'affine map expect at least one result';
      },
    }),
  ),
];
