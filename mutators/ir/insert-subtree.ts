// Inserts a generated subtree (the generator's statement mix) at a random point of @main or a private callee.
import { statements } from '../generate/statements.ts';
import { contextAt, insertionPoints } from './context.ts';
import type { IrMutator } from './mutator.ts';

export const insertSubtree: IrMutator = {
  name: 'insert-subtree',
  mutate(input, { random, weights }) {
    const module = input.module.clone();
    const pc = contextAt(module, random.pick(insertionPoints(module)), random, weights, random.int(4, 24));
    statements(pc.ctx, random.int(1, 4));
    if (pc.ctx.block.ops.length === 0) return undefined;
    pc.commit();
    return { module, args: input.args };
  },
};
