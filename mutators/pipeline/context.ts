// What every pipeline mutator works with: the compiler's pass catalog, the seeded random source, a donor for
// crossover, and the campaign's pass weights. Nothing here knows which compiler the catalog belongs to.
import type { Mutator, MutationContext, Random } from '../../contracts/mutator.ts';
import type { PassCatalog, PassStep, Pipeline } from '../../contracts/pipeline.ts';
import type { PassChoiceWeights } from './pass-choice.ts';

export interface PipelineMutationContext extends MutationContext<Pipeline> {
  readonly catalog: PassCatalog;
  /**
   * A campaign's weight for a pass, multiplied into its stage weight: e.g. 1 / (1 + times used), so rarely used
   * passes come up more often. Default 1.
   */
  readonly passWeight?: (name: string) => number;
  /** Stage weights and the like; default `DEFAULT_PASS_CHOICE`. */
  readonly choice?: PassChoiceWeights;
  /** Mutators that grow a pipeline never make it longer than this; default `DEFAULT_MAX_LENGTH`. */
  readonly maxLength?: number;
}

export type PipelineMutator = Mutator<Pipeline, PipelineMutationContext>;

/** Tzer keeps pass sequences short; longer ones mostly repeat what a prefix already did. */
export const DEFAULT_MAX_LENGTH = 8;

export const maxLength = (ctx: PipelineMutationContext): number => ctx.maxLength ?? DEFAULT_MAX_LENGTH;

/** A uniform draw in [0, 1) from the contract's integer source (it has no float draw). */
function unit(random: Random): number {
  return random.int(0, 0x3fffffff) / 0x40000000;
}

/** Picks by weight; entries with weight 0 are never chosen. Undefined when every weight is 0. */
export function pickWeighted<T>(random: Random, entries: readonly (readonly [number, T])[]): T | undefined {
  let total = 0;
  for (const [w] of entries) if (w > 0) total += w;
  if (total <= 0) return undefined;
  let x = unit(random) * total;
  let last: T | undefined;
  for (const [w, v] of entries) {
    if (w <= 0) continue;
    if (x < w) return v;
    x -= w;
    last = v;
  }
  return last;
}

/** Steps are equal when they print the same: same pass, nest and options (option order aside). */
export function sameStep(a: PassStep, b: PassStep): boolean {
  return a.pass === b.pass && a.nest.join('/') === b.nest.join('/') && optionKey(a) === optionKey(b);
}

export function samePipeline(a: Pipeline, b: Pipeline): boolean {
  return a.length === b.length && a.every((s, k) => sameStep(s, b[k]!));
}

function optionKey(s: PassStep): string {
  const o = s.options ?? {};
  return JSON.stringify(Object.keys(o).sort().map((k) => [k, o[k]]));
}

/** The result when it differs from the input, else undefined: a mutator never returns an unchanged pipeline. */
export function changed(input: Pipeline, out: Pipeline): Pipeline | undefined {
  return samePipeline(input, out) ? undefined : out;
}
