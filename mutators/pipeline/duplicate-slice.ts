// Repeats a run of steps right after itself: passes that interact often do so only when run again.
import type { PipelineMutator } from './context.ts';
import { maxLength } from './context.ts';

export const duplicateSlice: PipelineMutator = {
  name: 'duplicate-slice',
  mutate(p, ctx) {
    const most = Math.min(p.length, maxLength(ctx) - p.length);
    if (most < 1) return undefined;
    const size = ctx.random.int(1, most);
    const start = ctx.random.int(0, p.length - size);
    const end = start + size;
    return [...p.slice(0, end), ...p.slice(start, end), ...p.slice(end)];
  },
};
