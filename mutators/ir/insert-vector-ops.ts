// Inserts vector code at a random point: transfers (out-of-bounds lanes padded or masked off), in-bounds vector
// loads and stores, masked accesses, reductions and the generator's other vector ops.
import type { GenContext } from '../generate/context.ts';
import { reduction, vectorOp, vectorValue } from '../generate/vector.ts';
import { maskedAccess, transferRead, transferWrite, vectorLoad, vectorStore } from '../generate/vector-memory.ts';
import { contextAt, insertionPoints } from './context.ts';
import type { IrMutator } from './mutator.ts';

const KINDS: readonly (readonly [number, (ctx: GenContext) => boolean])[] = [
  [3, (ctx) => transferRead(ctx) !== undefined],
  [3, transferWrite],
  [2, (ctx) => vectorLoad(ctx) !== undefined],
  [2, vectorStore],
  [2, maskedAccess],
  [2, (ctx) => {
    const v = vectorValue(ctx);
    return v !== undefined && reduction(ctx, v) !== undefined;
  }],
  [4, vectorOp],
];

export const insertVectorOps: IrMutator = {
  name: 'insert-vector-ops',
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
