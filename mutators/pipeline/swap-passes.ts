// Exchanges two steps that differ.
import type { PipelineMutator } from './context.ts';
import { sameStep } from './context.ts';

export const swapPasses: PipelineMutator = {
  name: 'swap-passes',
  mutate(p, ctx) {
    if (p.length < 2) return undefined;
    const i = ctx.random.int(0, p.length - 1);
    const others = p.map((_, k) => k).filter((k) => !sameStep(p[k]!, p[i]!));
    if (others.length === 0) return undefined;
    const j = ctx.random.pick(others);
    const out = [...p];
    [out[i], out[j]] = [p[j]!, p[i]!];
    return out;
  },
};
