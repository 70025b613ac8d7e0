// Deletes an op: an arith/math op whose result nothing sensitive relies on (op-safety.ts) gives its uses one of
// its operands of the same type; an scf.if is replaced by one of its branches; an scf.for or affine.for by its
// first iteration with the induction variable at the lower bound.
//
// Why hoisting is safe: the generator builds each scf.if branch without assuming its condition. A loop is only
// cut to one iteration when its constant bounds prove it ran at least once: that iteration (IV = lb, iter args =
// inits) is the one the program already ran, whatever other mutators did to the bounds. What one iteration cannot
// replace is a loop that initialises a fresh allocation (reading the elements it no longer writes would be UB), so
// loops that write a buffer allocated outside them stay.
import { Operation } from '../../ir/core.ts';
import type { Value } from '../../ir/core.ts';
import type { Attr } from '../../ir/attributes.ts';
import { intAttr } from '../../ir/attributes.ts';
import { index, typeEq } from '../../ir/types.ts';
import type { Rand } from '../generate/rand.ts';
import type { IrMutator } from './mutator.ts';
import { constrainedValues, resultsFree } from './op-safety.ts';
import { allOps, allocationOf, cloneProgram, hoistBody } from './structural-edit.ts';

/** Ops that write through their memref operand (the first memref operand). */
const WRITES = new Set(['memref.store', 'affine.store', 'vector.store', 'affine.vector_store', 'vector.transfer_write', 'vector.maskedstore', 'memref.atomic_rmw', 'memref.copy']);

/** Whether `loop` writes a buffer allocated by memref.alloc/alloca outside it. */
function writesOuterAllocation(loop: Operation): boolean {
  for (const op of loop.walk()) {
    if (!WRITES.has(op.name)) continue;
    const target = op.name === 'memref.copy' ? op.operands[1] : op.operands.find((v) => v.type.kind === 'memref');
    const alloc = target && allocationOf(target);
    if (alloc && !loop.isAncestorOf(alloc)) return true;
  }
  return false;
}

type Deletion = (r: Rand) => void;

function constantOf(v: Value): bigint | undefined {
  const a = v.definingOp?.name === 'arith.constant' ? v.definingOp.props.value : undefined;
  return a?.kind === 'int' ? a.value : undefined;
}

/** The results of a bound map without operands whose results are all constants. */
function constantMap(a: Attr | undefined): bigint[] | undefined {
  if (a?.kind !== 'affine_map' || a.map.dims + a.map.syms !== 0 || !a.map.results.length) return undefined;
  const vs = a.map.results.map((e) => (e.k === 'const' ? e.v : undefined));
  return vs.every((v) => v !== undefined) ? (vs as bigint[]) : undefined;
}

function deletionsOf(op: Operation, free: (o: Operation) => boolean): Deletion[] {
  if ((op.dialect === 'arith' || op.dialect === 'math') && op.results.length === 1 && free(op)) {
    const same = op.operands.filter((v) => typeEq(v.type, op.result.type));
    if (!same.length) return [];
    return [
      (r) => {
        op.result.replaceAllUsesWith(r.pick(same));
        op.erase();
      },
    ];
  }
  if (op.name === 'scf.if') {
    const branches = op.regions.map((_, k) => k).filter((k) => op.regions[k]!.blocks.length > 0);
    return [(r) => hoistBody(op, r.pick(branches), [])];
  }
  if (op.name === 'scf.for' && !writesOuterAllocation(op)) {
    const [lb, ub] = [constantOf(op.operands[0]!), constantOf(op.operands[1]!)];
    if (lb === undefined || ub === undefined || lb >= ub) return [];
    return [() => hoistBody(op, 0, [op.operands[0]!, ...op.operands.slice(3)])];
  }
  if (op.name === 'affine.for' && !writesOuterAllocation(op)) {
    const lb = constantMap(op.props.lowerBoundMap);
    const ub = constantMap(op.props.upperBoundMap);
    if (lb === undefined || ub === undefined || lb.length !== 1 || lb[0]! >= ub.reduce((a, b) => (a < b ? a : b))) return [];
    return [
      () => {
        const c = new Operation('arith.constant', [], [index], { value: intAttr(lb[0]!, index) });
        c.insertBefore(op);
        hoistBody(op, 0, [c.result, ...op.operands.slice(op.operands.length - op.results.length)]);
      },
    ];
  }
  return [];
}

export const deleteOp: IrMutator = {
  name: 'delete-op',
  mutate(input, ctx) {
    const p = cloneProgram(input);
    const constrained = constrainedValues(p.module);
    const free = (o: Operation) => resultsFree(o, constrained);
    const ds = allOps(p.module).flatMap((op) => deletionsOf(op, free));
    if (!ds.length) return undefined;
    ctx.random.pick(ds)(ctx.random);
    return p;
  },
};
