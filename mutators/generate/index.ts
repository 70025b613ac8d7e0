// Program generation as a fast-check arbitrary: programs replay from a seed, and property tests draw from it.
import fc from 'fast-check';
import type { GenerateOptions, GeneratedProgram } from './program.ts';
import { generateProgram } from './program.ts';
import { Rand } from './rand.ts';
import type { Weights } from './weights.ts';
import { DEFAULT_WEIGHTS, resolveWeights } from './weights.ts';

export type { GenerateOptions, GeneratedProgram } from './program.ts';
export { programText } from './program.ts';
export type { WeightGroup, WeightName, WeightOverrides, Weights } from './weights.ts';
export { DEFAULT_WEIGHTS, resolveWeights, WEIGHT_GROUPS } from './weights.ts';

class ProgramArbitrary extends fc.Arbitrary<GeneratedProgram> {
  private readonly weights: Weights;
  constructor(private readonly opts: GenerateOptions) {
    super();
    // Resolved once, so a bad override fails here rather than inside a property run.
    this.weights = opts.weights ? resolveWeights(opts.weights) : DEFAULT_WEIGHTS;
  }
  generate(mrng: fc.Random): fc.Value<GeneratedProgram> {
    return new fc.Value(generateProgram(new Rand(mrng), this.opts, this.weights), undefined);
  }
  canShrinkWithoutContext(_value: unknown): _value is GeneratedProgram {
    return false;
  }
  // Programs are reduced by the IR reducer (structure-aware, UB-checked), not by fast-check's shrinker.
  shrink(): fc.Stream<fc.Value<GeneratedProgram>> {
    return fc.Stream.nil();
  }
}

export function programArbitrary(opts: GenerateOptions = {}): fc.Arbitrary<GeneratedProgram> {
  return new ProgramArbitrary(opts);
}

/** The seed of the k-th program of a campaign seeded with `seed` (a 32-bit mix, so neighbours differ). */
export function programSeed(seed: number, k: number): number {
  let h = (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(k + 1, 0xc2b2ae35)) | 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) | 0;
}

export function generateFromSeed(seed: number, opts: GenerateOptions = {}): GeneratedProgram {
  return fc.sample(programArbitrary(opts), { seed, numRuns: 1 })[0]!;
}
