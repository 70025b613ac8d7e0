// Takes one step out and puts it back elsewhere: the same passes, run in another order.
import type { PipelineMutator } from './context.ts';
import { changed } from './context.ts';

export const movePass: PipelineMutator = {
  name: 'move-pass',
  mutate(p, ctx) {
    if (p.length < 2) return undefined;
    const from = ctx.random.int(0, p.length - 1);
    const rest = [...p.slice(0, from), ...p.slice(from + 1)];
    let to = ctx.random.int(0, rest.length - 1);
    if (to >= from) to++; // never the place it came from
    return changed(p, [...rest.slice(0, to), p[from]!, ...rest.slice(to)]);
  },
};
