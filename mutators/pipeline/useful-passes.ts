// Tzer's useful-pass shrinking: after a run, a pipeline keeps only the steps that brought new coverage, and at
// most `maxLength` of them. The first ones are kept, since what a later pass does depends on those before it.
import type { PassStep, Pipeline } from '../../contracts/pipeline.ts';
import { DEFAULT_MAX_LENGTH } from './context.ts';

/**
 * The steps for which `useful(step, index)` holds, in order, cut to `maxLength`. Undefined when nothing was useful:
 * the pipeline is not worth keeping at all.
 */
export function usefulPasses(
  p: Pipeline,
  useful: (step: PassStep, index: number) => boolean,
  maxLength: number = DEFAULT_MAX_LENGTH,
): Pipeline | undefined {
  const kept = p.filter((s, k) => useful(s, k)).slice(0, maxLength);
  return kept.length > 0 ? kept : undefined;
}

/** `useful` from the feature names that were new in a run: a step is useful when `pass:<its pass>` is among them. */
export function usefulByFeature(newFeatures: Iterable<string>): (step: PassStep) => boolean {
  const passes = new Set<string>();
  for (const f of newFeatures) if (f.startsWith(PASS_FEATURE)) passes.add(f.slice(PASS_FEATURE.length));
  return (s) => passes.has(s.pass);
}

/** The prefix of a per-pass coverage feature (`pass:canonicalize`). */
export const PASS_FEATURE = 'pass:';
