// Changes the bounds and step of an existing scf.for or affine.for with constant bounds. Code in the body was
// proven UB-free for induction values in the old [first, last] interval, so a used induction variable keeps its new
// values inside that interval (zero trips included); an unused one may get any small bounds the work limit allows.
// Loops that write an allocation made outside them are left alone: they may be what initialises it.
import { affineMap, cst } from '../../ir/affine.ts';
import { intAttr, mapAttr } from '../../ir/attributes.ts';
import type { Attr } from '../../ir/attributes.ts';
import { deferEditChecks, Operation } from '../../ir/core.ts';
import type { IntType } from '../../ir/types.ts';
import { index } from '../../ir/types.ts';
import { funcsOf, loopIvBounds, MAX_ADDED_STEPS, opCost, viewRoot, workAt } from './context.ts';
import type { IrMutator } from './mutator.ts';

const WRITES = new Set(['memref.store', 'affine.store', 'vector.store', 'affine.vector_store', 'vector.transfer_write', 'vector.maskedstore', 'memref.copy', 'memref.atomic_rmw', 'memref.generic_atomic_rmw', 'func.call']);

/** Whether the loop may write an allocation made outside it. */
function writesOuterAllocation(loop: Operation): boolean {
  for (const op of loop.walk()) {
    if (!WRITES.has(op.name)) continue;
    for (const v of op.operands) {
      const d = v.type.kind === 'memref' ? viewRoot(v).definingOp : undefined;
      if ((d?.name === 'memref.alloc' || d?.name === 'memref.alloca') && !loop.isAncestorOf(d)) return true;
    }
  }
  return false;
}

const constantBounds = (op: Operation): boolean =>
  op.name === 'scf.for' || (op.name === 'affine.for' && op.operands.length === op.results.length);

export const changeLoopBounds: IrMutator = {
  name: 'change-loop-bounds',
  mutate(input, { random }) {
    const module = input.module.clone();
    const loops = funcsOf(module).flatMap((f) => [...f.walk()].filter((op) => (op.name === 'scf.for' || op.name === 'affine.for') && constantBounds(op) && loopIvBounds(op) && !writesOuterAllocation(op)));
    if (!loops.length) return undefined;
    const loop = random.pick(loops);
    const old = loopIvBounds(loop)![0]!;
    const iv = loop.regions[0]!.blocks[0]!.args[0]!;
    const step = random.pick([1, 1, 2, 3]);
    let lb: number;
    let trips: number;
    if (iv.hasUses) {
      // Stay inside the old interval of induction values.
      const [lo, hi] = [Number(old.lo), Number(old.hi)];
      lb = random.int(lo, hi);
      trips = random.int(0, Math.floor((hi - lb) / step) + 1);
    } else {
      lb = random.pick([0, 1, 2, -3]);
      trips = random.pick([0, 1, 2, 3, 5, 7]);
    }
    // A bound inside the last step keeps the trip count with an odd span.
    const ub = trips === 0 ? lb - random.int(0, 1) : lb + (trips - 1) * step + random.int(1, step);
    if (rawBounds(loop).join() === [lb, ub, step].join()) return undefined;
    const body = loop.regions[0]!.blocks[0]!.ops.reduce((a, op) => a + opCost(module, op), 0);
    const at = { block: loop.parent!, index: loop.parent!.ops.indexOf(loop) };
    if (workAt(module, at) * Math.max(1, trips) * body > MAX_ADDED_STEPS && trips > old.trips) return undefined;
    deferEditChecks(() => {
      if (loop.name === 'affine.for') {
        loop.props = { ...loop.props, lowerBoundMap: mapAttr(affineMap(0, 0, [cst(lb)])), upperBoundMap: mapAttr(affineMap(0, 0, [cst(ub)])), step: intAttr(step, index) };
        return;
      }
      const t = iv.type as IntType | typeof index;
      [lb, ub, step].forEach((v, k) => {
        const c = new Operation('arith.constant', [], [t], { value: intAttr(v, t) });
        c.insertBefore(loop);
        loop.setOperand(k, c.result);
      });
    });
    return { module, args: input.args };
  },
};

/** The loop's [lb, ub, step] (constant bounds, as loopIvBounds checked; affine bounds are the max and min of their maps). */
function rawBounds(loop: Operation): number[] {
  const intOf = (a: Attr | undefined): number => (a?.kind === 'int' ? Number(a.value) : NaN);
  if (loop.name === 'scf.for') return loop.operands.slice(0, 3).map((v) => intOf(v.definingOp?.props.value));
  const consts = (a: Attr | undefined): number[] => (a?.kind === 'affine_map' ? a.map.results.map((e) => (e.k === 'const' ? Number(e.v) : NaN)) : []);
  return [Math.max(...consts(loop.props.lowerBoundMap)), Math.min(...consts(loop.props.upperBoundMap)), intOf(loop.props.step)];
}
