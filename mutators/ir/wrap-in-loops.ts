// Wraps a run of statements in one to three new loops (scf.for, affine.for, and scf.parallel / affine.parallel
// when the run has no effects), with zero-trip and odd trip counts. The run's code does not use the new induction
// variables, so running it any number of times keeps it UB-free (context.ts `wrappable` says which runs may).
import { affineMap, cst } from '../../ir/affine.ts';
import { arrayAttr, denseArray, denseAttr, intAttr, mapAttr } from '../../ir/attributes.ts';
import { Block, deferEditChecks, Operation, Region } from '../../ir/core.ts';
import type { Value } from '../../ir/core.ts';
import { i32, i64, index, tensor } from '../../ir/types.ts';
import type { IntType } from '../../ir/types.ts';
import type { Rand } from '../generate/rand.ts';
import { hasEffects, MAX_ADDED_STEPS, opCost, pickRun, runOps, workAt } from './context.ts';
import type { IrMutator } from './mutator.ts';

type Loop = { readonly lb: number; readonly ub: number; readonly step: number; readonly trips: number };

function drawLoop(random: Rand): Loop {
  const lb = random.pick([0, 0, 1, 3, -2]);
  const step = random.pick([1, 1, 2, 3]);
  const trips = random.pick([0, 1, 2, 3, 3, 5]);
  // An upper bound inside the last step gives the same trip count with an odd span; below lb, zero trips.
  const ub = trips === 0 && random.chance(0.5) ? lb - random.int(0, 2) : lb + trips * step - random.int(0, step - 1);
  return { lb, ub, step, trips };
}

const constant = (v: number, t: IntType | typeof index, anchor: Operation): Value => {
  const op = new Operation('arith.constant', [], [t], { value: intAttr(v, t) });
  op.insertBefore(anchor);
  return op.result;
};

/** Creates an empty loop before `anchor` and returns the op its body ends with (code goes before it). */
function emptyLoop(kind: string, l: Loop, anchor: Operation, random: Rand): Operation {
  const block = new Block();
  let op: Operation;
  let end: Operation;
  if (kind === 'scf.for') {
    const t = random.chance(0.7) ? index : random.pick([i32, i64]);
    block.addArg(t);
    const [lb, ub, step] = [l.lb, l.ub, l.step].map((v) => constant(v, t, anchor));
    end = new Operation('scf.yield', [], []);
    op = new Operation('scf.for', [lb!, ub!, step!], [], {}, [new Region([block])]);
  } else if (kind === 'affine.for') {
    block.addArg(index);
    end = new Operation('affine.yield', [], []);
    op = new Operation('affine.for', [], [], {
      lowerBoundMap: mapAttr(affineMap(0, 0, [cst(l.lb)])),
      upperBoundMap: mapAttr(affineMap(0, 0, [cst(l.ub)])),
      step: intAttr(l.step, index),
      operandSegmentSizes: denseArray(i32, [0, 0, 0]),
    }, [new Region([block])]);
  } else if (kind === 'scf.parallel') {
    block.addArg(index);
    const vs = [l.lb, l.ub, l.step].map((v) => constant(v, index, anchor));
    end = new Operation('scf.reduce', [], []);
    op = new Operation('scf.parallel', vs, [], { operandSegmentSizes: denseArray(i32, [1, 1, 1, 0]) }, [new Region([block])]);
  } else {
    block.addArg(index);
    const groups = denseAttr(tensor([1], i32), [1n]);
    end = new Operation('affine.yield', [], []);
    op = new Operation('affine.parallel', [], [], {
      lowerBoundsGroups: groups,
      lowerBoundsMap: mapAttr(affineMap(0, 0, [cst(l.lb)])),
      upperBoundsGroups: groups,
      upperBoundsMap: mapAttr(affineMap(0, 0, [cst(l.ub)])),
      reductions: arrayAttr([]),
      steps: arrayAttr([intAttr(l.step, i64)]),
    }, [new Region([block])]);
  }
  block.append(end);
  op.insertBefore(anchor);
  return end;
}

export const wrapInLoops: IrMutator = {
  name: 'wrap-in-loops',
  mutate(input, { random }) {
    const module = input.module.clone();
    const run = pickRun(module, random, 6);
    if (!run) return undefined;
    const ops = runOps(run);
    const depth = random.int(1, 3);
    const loops = Array.from({ length: depth }, () => drawLoop(random));
    const work = workAt(module, { block: run.block, index: run.start }) * loops.reduce((a, l) => a * Math.max(1, l.trips), 1);
    if (work * ops.reduce((a, op) => a + opCost(module, op), 0) > MAX_ADDED_STEPS) return undefined;
    const kinds = ['scf.for', 'affine.for', ...(hasEffects(ops) ? [] : ['scf.parallel', 'affine.parallel'])];
    deferEditChecks(() => {
      let anchor = ops[0]!;
      for (const l of loops) anchor = emptyLoop(random.pick(kinds), l, anchor, random);
      for (const op of ops) op.moveBefore(anchor);
    });
    return { module, args: input.args };
  },
};
