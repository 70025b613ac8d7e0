// Inserts a drawn pass at a random position.
import type { PipelineMutator } from './context.ts';
import { maxLength } from './context.ts';
import { newStep } from './pass-choice.ts';

export const addPass: PipelineMutator = {
  name: 'add-pass',
  mutate(p, ctx) {
    if (p.length >= maxLength(ctx)) return undefined;
    const s = newStep(ctx);
    if (!s) return undefined;
    const at = ctx.random.int(0, p.length);
    return [...p.slice(0, at), s, ...p.slice(at)];
  },
};
