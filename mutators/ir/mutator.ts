// The interface every IR mutator implements (one mutator per file, collected in `registry.ts`).
import type { Mutator } from '../../contracts/mutator.ts';
import type { GeneratedProgram } from '../generate/index.ts';
import type { Rand } from '../generate/rand.ts';
import type { Weights } from '../generate/weights.ts';

/** A program as mutators see it: its module (entry `@main`) and the entry's argument buffers. */
export type IrProgram = GeneratedProgram;

export type IrMutationContext = {
  readonly random: Rand;
  /** Weights for code the mutator generates (the campaign's generator weights). */
  readonly weights: Weights;
  /** Another pool program, for crossover. */
  readonly donor?: () => IrProgram | undefined;
};

/**
 * Returns a new program (it clones; the input is never modified) that verifies and stays UB-free by construction,
 * or undefined when it found nothing to change.
 */
export type IrMutator = Mutator<IrProgram, IrMutationContext>;
