// One-point crossover with a donor from the pool: this pipeline's head, the donor's tail.
import type { PipelineMutator } from './context.ts';
import { changed, maxLength } from './context.ts';

export const crossover: PipelineMutator = {
  name: 'crossover',
  mutate(p, ctx) {
    const donor = ctx.donor?.();
    if (!donor || donor.length === 0) return undefined;
    const cut = ctx.random.int(0, p.length);
    const from = ctx.random.int(0, donor.length - 1);
    const child = [...p.slice(0, cut), ...donor.slice(from)].slice(0, maxLength(ctx));
    return changed(p, child);
  },
};
