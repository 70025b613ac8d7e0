// The edits reduction makes to a program, each on one op of a freshly parsed copy: delete it, hoist a loop's or
// an if's body (or an if's else) out of it, replace its results with constants, halve a constant, a loop's trip
// count or a buffer's shape, drop a function's last argument. Each kind
// lists its sites in walk order, so the same text gives the same list and a site is named by its position.
// An edit may leave IR that no longer verifies; the reducer checks before it asks the compiler.
import { cst } from '../ir/affine.ts';
import type { Attr } from '../ir/attributes.ts';
import { intAttr, mapAttr } from '../ir/attributes.ts';
import { Operation } from '../ir/core.ts';
import type { Value } from '../ir/core.ts';
import type { MemRefType, Type } from '../ir/types.ts';
import { fn, index, memref, typeEq } from '../ir/types.ts';
import { callSites } from '../mutators/ir/context.ts';
import { hoistBody } from '../mutators/ir/structural-edit.ts';

export type EditKind = {
  readonly name: string;
  /** The ops this edit may apply to, in walk order. */
  sites(module: Operation): Operation[];
  /** Edits `op` in place; false when it cannot (the op is left as it was). */
  apply(op: Operation): boolean;
};

/** The last op of a block is its terminator, except in a module's body, which has none. */
const isTerminator = (op: Operation): boolean => op.parent?.terminator === op && op.parentOp?.name !== 'builtin.module';
const symbolOf = (op: Operation): string | undefined => (op.props.sym_name?.kind === 'string' ? op.props.sym_name.value : undefined);
const isEntry = (op: Operation): boolean => op.name === 'func.func' && symbolOf(op) === 'main';
const isScalar = (t: Type): boolean => t.kind === 'int' || t.kind === 'index' || t.kind === 'float';

function zeroOf(t: Type): Attr | undefined {
  if (t.kind === 'float') return { kind: 'float', type: t, bits: 0n };
  if (t.kind === 'int' || t.kind === 'index') return intAttr(0, t);
  return undefined;
}

function constantBefore(op: Operation, t: Type, value: Attr): Value {
  const c = new Operation('arith.constant', [], [t], { value });
  c.insertBefore(op);
  return c.result;
}

/** Symbols some op of the module refers to (calls, global reads). */
function referencedSymbols(module: Operation): Set<string> {
  const out = new Set<string>();
  for (const op of module.walk()) {
    for (const a of Object.values(op.props)) if (a.kind === 'symbol') out.add(a.path[0]!);
  }
  return out;
}

/** Deletes the op: each used result takes an operand of its type, else a zero constant. */
export const deleteOps: EditKind = {
  name: 'delete ops',
  sites: (module) => [...module.walk()].filter((op) => op !== module && !isEntry(op) && !isTerminator(op)),
  apply(op) {
    if (op.name === 'func.func' || op.name === 'memref.global') {
      const name = symbolOf(op);
      if (name !== undefined && referencedSymbols(rootOf(op)).has(name)) return false;
      op.erase();
      return true;
    }
    const replacements: Value[] = [];
    for (const r of op.results) {
      if (!r.hasUses) {
        replacements.push(r);
        continue;
      }
      const forward = op.operands.find((v) => typeEq(v.type, r.type));
      const zero = forward ? undefined : zeroOf(r.type);
      if (!forward && !zero) return false;
      replacements.push(forward ?? constantBefore(op, r.type, zero!));
    }
    op.results.forEach((r, k) => {
      if (replacements[k] !== r) r.replaceAllUsesWith(replacements[k]!);
    });
    op.erase();
    return true;
  },
};

/** The constant lower bound of an affine.for, if it has one. */
function affineLowerBound(op: Operation): bigint | undefined {
  const a = op.props.lowerBoundMap;
  if (a?.kind !== 'affine_map' || a.map.dims + a.map.syms !== 0 || a.map.results.length !== 1) return undefined;
  const e = a.map.results[0]!;
  return e.k === 'const' ? e.v : undefined;
}

/** Runs a loop's body once, at its first iteration, or an if's then-branch, in place of the op. */
export const hoistBodies: EditKind = {
  name: 'hoist bodies',
  sites: (module) =>
    [...module.walk()].filter((op) => {
      if (op.regions[0]?.blocks.length !== 1) return false;
      return op.name === 'scf.for' || op.name === 'scf.if' || op.name === 'affine.if' || (op.name === 'affine.for' && affineLowerBound(op) !== undefined);
    }),
  apply(op) {
    const inits = op.operands.slice(op.operands.length - op.results.length);
    if (op.name === 'scf.for') hoistBody(op, 0, [op.operands[0]!, ...op.operands.slice(3)]);
    else if (op.name === 'affine.for') hoistBody(op, 0, [constantBefore(op, index, intAttr(affineLowerBound(op)!, index)), ...inits]);
    else hoistBody(op, 0, []);
    return true;
  },
};

/** Runs an if's else-branch in place of the op (the then-branch is hoistBodies'). */
export const hoistElses: EditKind = {
  name: 'hoist else branches',
  sites: (module) => [...module.walk()].filter((op) => (op.name === 'scf.if' || op.name === 'affine.if') && op.regions[1]?.blocks.length === 1),
  apply(op) {
    hoistBody(op, 1, []);
    return true;
  },
};

/** An identity-layout memref with every dimension of 2 or more halved, or undefined when none is. */
function halvedShape(t: Type): MemRefType | undefined {
  if (t.kind !== 'memref' || t.layout || !t.shape.some((d) => d >= 2)) return undefined;
  return memref(
    t.shape.map((d) => (d >= 2 ? Math.floor(d / 2) : d)),
    t.elem,
    undefined,
    t.memorySpace,
  );
}

/**
 * Halves the shape of a statically shaped allocation or of the entry's buffers (the harness fills whatever the
 * entry takes). Ops whose types follow the buffer's (views, calls) then fail to verify, and the candidate is dropped;
 * an access now out of bounds is UB, which the reducer rejects for a wrong result.
 */
export const shrinkShapes: EditKind = {
  name: 'shrink shapes',
  sites: (module) =>
    [...module.walk()].filter((op) =>
      isEntry(op)
        ? (op.regions[0]?.blocks[0]?.args ?? []).some((a) => halvedShape(a.type))
        : (op.name === 'memref.alloc' || op.name === 'memref.alloca') && op.operands.length === 0 && halvedShape(op.results[0]!.type) !== undefined,
    ),
  apply(op) {
    if (!isEntry(op)) {
      op.results[0]!.type = halvedShape(op.results[0]!.type)!;
      return true;
    }
    const ft = op.props.function_type;
    if (ft?.kind !== 'type' || ft.type.kind !== 'function') return false;
    const args = op.regions[0]!.blocks[0]!.args;
    for (const a of args) a.type = halvedShape(a.type) ?? a.type;
    op.props = { ...op.props, function_type: { ...ft, type: fn(args.map((a) => a.type), ft.type.results) } };
    return true;
  },
};

/** Replaces a computation with constant zeros of its result types. */
export const constantResults: EditKind = {
  name: 'constant results',
  sites: (module) =>
    [...module.walk()].filter(
      (op) => op.name !== 'arith.constant' && !isTerminator(op) && op.results.length > 0 && op.results.some((r) => r.hasUses) && op.results.every((r) => isScalar(r.type)),
    ),
  apply(op) {
    for (const r of op.results) if (r.hasUses) r.replaceAllUsesWith(constantBefore(op, r.type, zeroOf(r.type)!));
    op.erase();
    return true;
  },
};

/** Halves an integer constant (towards zero) or an affine.for's constant trip count. */
export const halveConstants: EditKind = {
  name: 'halve constants',
  sites: (module) =>
    [...module.walk()].filter((op) => {
      if (op.name === 'arith.constant') {
        const v = op.props.value;
        return v?.kind === 'int' && (v.value >= 2n || v.value <= -2n);
      }
      return op.name === 'affine.for' && tripBounds(op) !== undefined && tripBounds(op)!.trips >= 2n;
    }),
  apply(op) {
    if (op.name === 'arith.constant') {
      const v = op.props.value as Extract<Attr, { kind: 'int' }>;
      op.props = { ...op.props, value: intAttr(v.value / 2n, v.type) };
      return true;
    }
    const { lo, trips } = tripBounds(op)!;
    op.props = { ...op.props, upperBoundMap: mapAttr({ dims: 0, syms: 0, results: [cst(lo + trips / 2n)] }) };
    return true;
  },
};

function tripBounds(op: Operation): { lo: bigint; trips: bigint } | undefined {
  const lo = affineLowerBound(op);
  const ub = op.props.upperBoundMap;
  if (lo === undefined || ub?.kind !== 'affine_map' || ub.map.dims + ub.map.syms !== 0 || ub.map.results.length !== 1) return undefined;
  const e = ub.map.results[0]!;
  return e.k === 'const' ? { lo, trips: e.v - lo } : undefined;
}

/**
 * Drops the last argument of a function other than the entry that can go: one unused, or a scalar whose uses take
 * a zero constant (a buffer in use stays). Every call passes one operand less.
 */
export const dropArguments: EditKind = {
  name: 'drop arguments',
  sites: (module) => [...module.walk()].filter((op) => op.name === 'func.func' && !isEntry(op) && (op.regions[0]?.blocks[0]?.ops.length ?? 0) > 0 && op.regions[0]!.blocks[0]!.args.length > 0),
  apply(func) {
    const name = symbolOf(func);
    const ft = func.props.function_type;
    const block = func.regions[0]!.blocks[0]!;
    let k = block.args.length - 1;
    while (k >= 0 && block.args[k]!.hasUses && zeroOf(block.args[k]!.type) === undefined) k--;
    if (name === undefined || k < 0 || ft?.kind !== 'type' || ft.type.kind !== 'function') return false;
    const arg = block.args[k]!;
    if (arg.hasUses) arg.replaceAllUsesWith(constantBefore(block.ops[0]!, arg.type, zeroOf(arg.type)!));
    block.eraseArg(k);
    func.props = { ...func.props, function_type: { ...ft, type: fn(ft.type.inputs.filter((_, j) => j !== k), ft.type.results) } };
    for (const call of callSites(rootOf(func), func)) call.setOperands(call.operands.filter((_, j) => j !== k));
    return true;
  },
};

/** The module an op belongs to. */
function rootOf(op: Operation): Operation {
  let root = op;
  while (root.parentOp) root = root.parentOp;
  return root;
}
