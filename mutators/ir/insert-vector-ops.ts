// Inserts vector code at a random point: transfers (out-of-bounds lanes padded or masked off), in-bounds vector
// loads and stores, masked accesses, reductions and the generator's other vector ops.
import { reduction, vectorOp, vectorValue } from '../generate/vector.ts';
import { maskedAccess, transferRead, transferWrite, vectorLoad, vectorStore } from '../generate/vector-memory.ts';
import type { StatementKinds } from './context.ts';
import { insertStatements } from './context.ts';
import type { IrMutator } from './mutator.ts';

const KINDS: StatementKinds = [
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
  mutate: (input, { random, weights }) => insertStatements(input, random, weights, KINDS),
};
