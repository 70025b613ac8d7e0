// Adds a loop-carried value to an existing scf.for or affine.for: a generated init, an update in the body that
// combines the carried value with another (wrapping int ops without flags, float ops: never UB), and a store of
// the loop's new result after it, so the carried value is observable.
import { denseArray } from '../../ir/attributes.ts';
import { deferEditChecks, Operation, Region } from '../../ir/core.ts';
import type { Value } from '../../ir/core.ts';
import type { ScalarType } from '../../ir/types.ts';
import { i32 } from '../../ir/types.ts';
import { fullRange } from '../generate/ranges.ts';
import { store } from '../generate/memory.ts';
import { exactOnly, operand, randomScalarType } from '../generate/scalar.ts';
import { contextAt, funcsOf } from './context.ts';
import type { IrMutator } from './mutator.ts';

const INT_UPDATES = ['arith.addi', 'arith.subi', 'arith.muli', 'arith.xori', 'arith.ori', 'arith.andi', 'arith.maxsi', 'arith.minui'];
const FLOAT_UPDATES = ['arith.addf', 'arith.mulf', 'arith.subf', 'arith.maximumf', 'arith.minnumf'];

/** Rebuilds `loop` with one more init operand and result of type t; returns the new loop. */
function withCarried(loop: Operation, init: Value, t: ScalarType): Operation {
  const props = { ...loop.props };
  const seg = props.operandSegmentSizes;
  if (seg?.kind === 'dense_array') props.operandSegmentSizes = denseArray(seg.elem, seg.values.map((v, k) => (k === seg.values.length - 1 ? v + 1n : v)));
  const region = new Region();
  const next = new Operation(loop.name, [...loop.operands, init], [...loop.results.map((v) => v.type), t], props, [region]);
  region.takeBody(loop.regions[0]!);
  region.blocks[0]!.addArg(t);
  next.insertBefore(loop);
  loop.results.forEach((v, k) => v.replaceAllUsesWith(next.results[k]!));
  loop.erase();
  return next;
}

export const addIterArgs: IrMutator = {
  name: 'add-iter-args',
  mutate(input, { random, weights }) {
    const module = input.module.clone();
    const loops = funcsOf(module).flatMap((f) => [...f.walk()].filter((op) => op.name === 'scf.for' || op.name === 'affine.for'));
    if (!loops.length) return undefined;
    const loop = random.pick(loops);
    deferEditChecks(() => {
      const before = contextAt(module, { block: loop.parent!, index: loop.parent!.ops.indexOf(loop) }, random, weights, 8);
      // The type of a buffer it can be stored into, when there is one.
      const bufs = before.ctx.writableBuffers().filter((b) => b.elem.kind === 'int' || b.elem.kind === 'float');
      const buf = bufs.length ? random.pick(bufs) : undefined;
      let t = (buf?.elem as ScalarType | undefined) ?? randomScalarType(before.ctx);
      if (t.kind === 'index') t = i32;
      const init = operand(before.ctx, t, t.kind === 'float' ? () => true : exactOnly(before.ctx));
      before.commit();
      const next = withCarried(loop, init, t);
      const body = next.regions[0]!.blocks[0]!;
      const carried = body.args[body.args.length - 1]!;
      const inside = contextAt(module, { block: body, index: body.ops.length - 1 }, random, weights, 8);
      const ctx = inside.ctx;
      const other = operand(ctx, t, t.kind === 'float' ? () => true : exactOnly(ctx));
      const name = random.pick(t.kind === 'float' ? FLOAT_UPDATES : INT_UPDATES);
      const update = ctx.value(name, random.chance(0.5) ? [carried, other] : [other, carried], t, t.kind === 'int' ? { range: fullRange(t.width) } : {});
      inside.commit();
      const yieldOp = body.terminator!;
      yieldOp.setOperands([...yieldOp.operands, update]);
      const after = contextAt(module, { block: next.parent!, index: next.parent!.ops.indexOf(next) + 1 }, random, weights, 8);
      const result = next.results[next.results.length - 1]!;
      const target = after.ctx.writableBuffers().find((b) => b.value === buf?.value);
      if (target) store(after.ctx, result, target);
      after.commit();
    });
    return { module, args: input.args };
  },
};
