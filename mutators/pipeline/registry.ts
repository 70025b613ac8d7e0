// The pipeline mutators as a named, weighted table (libFuzzer's table, Csmith's named weights): a campaign records
// the weights and may override any, and every mutated pipeline records the name of the mutator that made it.
import type { Pipeline } from '../../contracts/pipeline.ts';
import { addPass } from './add-pass.ts';
import type { PipelineMutationContext, PipelineMutator } from './context.ts';
import { pickWeighted } from './context.ts';
import { crossover } from './crossover.ts';
import { deletePass } from './delete-pass.ts';
import { dropSlice } from './drop-slice.ts';
import { duplicateSlice } from './duplicate-slice.ts';
import { movePass } from './move-pass.ts';
import { mutateOptions } from './mutate-options.ts';
import { replacePass } from './replace-pass.ts';
import { reverseSlice } from './reverse-slice.ts';
import { swapPasses } from './swap-passes.ts';

// Fresh pipelines come from the same place as mutated ones.
export { randomPipeline } from './random-pipeline.ts';

export const PIPELINE_MUTATORS: readonly PipelineMutator[] = [
  addPass,
  deletePass,
  replacePass,
  swapPasses,
  movePass,
  duplicateSlice,
  reverseSlice,
  dropSlice,
  crossover,
  mutateOptions,
];

/** Relative weights by mutator name. Options get as much as adding passes: non-default values reach new code. */
export const DEFAULT_MUTATOR_WEIGHTS: Readonly<Record<string, number>> = {
  'add-pass': 3,
  'delete-pass': 1.5,
  'replace-pass': 2,
  'swap-passes': 1,
  'move-pass': 1,
  'duplicate-slice': 0.5,
  'reverse-slice': 0.5,
  'drop-slice': 0.5,
  crossover: 1,
  'mutate-options': 3,
};

/** Overrides merged over the defaults; unknown names and negative weights are errors. */
export function resolveMutatorWeights(overrides: Readonly<Record<string, number>> = {}): Readonly<Record<string, number>> {
  for (const [name, w] of Object.entries(overrides)) {
    if (!(name in DEFAULT_MUTATOR_WEIGHTS)) throw new Error(`unknown pipeline mutator '${name}' (known: ${Object.keys(DEFAULT_MUTATOR_WEIGHTS).join(', ')})`);
    if (!(w >= 0)) throw new Error(`pipeline mutator '${name}' has weight ${w}; weights are numbers >= 0`);
  }
  const all = { ...DEFAULT_MUTATOR_WEIGHTS, ...overrides };
  if (!Object.values(all).some((w) => w > 0)) throw new Error('every pipeline mutator has weight 0');
  return all;
}

export type PipelineMutation = { readonly pipeline: Pipeline; readonly mutator: string };

/** Attempts before giving up: most mutators apply to most pipelines, and one that does not is just skipped. */
const ATTEMPTS = 16;

/**
 * One mutation of `p` by a mutator drawn by weight; a mutator that does not apply is skipped for another draw.
 * Undefined only when none applied in `ATTEMPTS` draws.
 */
export function mutatePipeline(
  p: Pipeline,
  ctx: PipelineMutationContext,
  weights: Readonly<Record<string, number>> = DEFAULT_MUTATOR_WEIGHTS,
): PipelineMutation | undefined {
  const table = PIPELINE_MUTATORS.map((m) => [weights[m.name] ?? 0, m] as const);
  for (let k = 0; k < ATTEMPTS; k++) {
    const m = pickWeighted(ctx.random, table);
    if (!m) return undefined;
    const out = m.mutate(p, ctx);
    if (out) return { pipeline: out, mutator: m.name };
  }
  return undefined;
}
