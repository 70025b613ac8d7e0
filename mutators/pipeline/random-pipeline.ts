// A fresh pipeline of 1 to `maxLength` drawn steps: initial seeds, and every case under --no-feedback.
import type { Pipeline } from '../../contracts/pipeline.ts';
import type { PipelineMutationContext } from './context.ts';
import { maxLength } from './context.ts';
import { newStep } from './pass-choice.ts';

export function randomPipeline(ctx: PipelineMutationContext): Pipeline {
  const n = ctx.random.int(1, maxLength(ctx));
  const out = [];
  for (let k = 0; k < n; k++) {
    const s = newStep(ctx);
    if (s) out.push(s);
  }
  return out;
}
