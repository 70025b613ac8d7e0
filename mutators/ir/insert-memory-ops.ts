// Inserts memory traffic at a random point: loads and stores on the buffers visible there, copies, atomic
// read-modify-writes, and new allocations (initialised at once: reading uninitialised memory is UB).
import type { GenContext } from '../generate/context.ts';
import { fillBuffer } from '../generate/fill.ts';
import { allocate, atomicRmw, copy, load, store } from '../generate/memory.ts';
import { recentValue } from '../generate/statements.ts';
import { contextAt, insertionPoints } from './context.ts';
import type { IrMutator } from './mutator.ts';

const KINDS: readonly (readonly [number, (ctx: GenContext) => boolean])[] = [
  [4, (ctx) => load(ctx) !== undefined],
  [4, (ctx) => store(ctx, recentValue(ctx))],
  [2, (ctx) => allocate(ctx, (b) => fillBuffer(ctx, b)) !== undefined],
  [1, copy],
  [1, atomicRmw],
];

export const insertMemoryOps: IrMutator = {
  name: 'insert-memory-ops',
  mutate(input, { random, weights }) {
    const module = input.module.clone();
    const pc = contextAt(module, random.pick(insertionPoints(module)), random, weights, 40);
    const n = random.int(1, 4);
    for (let k = 0, tries = 0; k < n && tries < 12; tries++) if (random.weighted(KINDS)(pc.ctx)) k++;
    if (pc.ctx.block.ops.length === 0) return undefined;
    pc.commit();
    return { module, args: input.args };
  },
};
