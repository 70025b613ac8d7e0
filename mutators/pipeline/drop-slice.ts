// Removes a run of two or more steps, keeping at least one.
import type { PipelineMutator } from './context.ts';
import { drawSlice } from './slice.ts';

export const dropSlice: PipelineMutator = {
  name: 'drop-slice',
  mutate(p, ctx) {
    const s = drawSlice(ctx.random, p.length - 1, 2);
    if (!s) return undefined;
    const shift = ctx.random.int(0, 1); // the kept step may be the first or the last
    return [...p.slice(0, s.start + shift), ...p.slice(s.end + shift)];
  },
};
