// Inserts memory traffic at a random point: loads and stores on the buffers visible there, copies, atomic
// read-modify-writes, and new allocations (initialised at once: reading uninitialised memory is UB).
import { fillBuffer } from '../generate/fill.ts';
import { allocate, atomicRmw, copy, load, store } from '../generate/memory.ts';
import { recentValue } from '../generate/statements.ts';
import type { StatementKinds } from './context.ts';
import { insertStatements } from './context.ts';
import type { IrMutator } from './mutator.ts';

const KINDS: StatementKinds = [
  [4, (ctx) => load(ctx) !== undefined],
  [4, (ctx) => store(ctx, recentValue(ctx))],
  [2, (ctx) => allocate(ctx, (b) => fillBuffer(ctx, b)) !== undefined],
  [1, copy],
  [1, atomicRmw],
];

export const insertMemoryOps: IrMutator = {
  name: 'insert-memory-ops',
  mutate: (input, { random, weights }) => insertStatements(input, random, weights, KINDS),
};
