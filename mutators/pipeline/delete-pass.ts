// Removes one step; a pipeline keeps at least one (the empty pipeline is every executor's baseline already).
import type { PipelineMutator } from './context.ts';

export const deletePass: PipelineMutator = {
  name: 'delete-pass',
  mutate(p, ctx) {
    if (p.length < 2) return undefined;
    const at = ctx.random.int(0, p.length - 1);
    return [...p.slice(0, at), ...p.slice(at + 1)];
  },
};
