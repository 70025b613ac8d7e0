// Runs a run of steps in the opposite order.
import type { PipelineMutator } from './context.ts';
import { changed } from './context.ts';
import { drawSlice } from './slice.ts';

export const reverseSlice: PipelineMutator = {
  name: 'reverse-slice',
  mutate(p, ctx) {
    const s = drawSlice(ctx.random, p.length, 2);
    if (!s) return undefined;
    return changed(p, [...p.slice(0, s.start), ...p.slice(s.start, s.end).reverse(), ...p.slice(s.end)]);
  },
};
