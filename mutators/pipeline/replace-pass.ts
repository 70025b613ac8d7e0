// Puts a different drawn pass in one step's place.
import type { PipelineMutator } from './context.ts';
import { newStep } from './pass-choice.ts';

export const replacePass: PipelineMutator = {
  name: 'replace-pass',
  mutate(p, ctx) {
    if (p.length === 0) return undefined;
    const at = ctx.random.int(0, p.length - 1);
    const s = newStep(ctx, p[at]!.pass);
    if (!s) return undefined;
    return [...p.slice(0, at), s, ...p.slice(at + 1)];
  },
};
