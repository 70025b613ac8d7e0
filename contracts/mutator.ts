// Mutators change a program or a pipeline (libFuzzer's named table, Stryker's one-per-file registry).

/** A seeded source of randomness; every mutation replays from its seed. */
export interface Random {
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  pick<T>(xs: readonly T[]): T;
}

/** What a mutator may draw on besides its input. */
export interface MutationContext<T> {
  readonly random: Random;
  /** Another member of the pool, for crossover; undefined when the pool has no other. */
  readonly donor?: () => T | undefined;
}

export interface Mutator<T, C extends MutationContext<T> = MutationContext<T>> {
  readonly name: string;
  /** A new value (the input is never modified), or undefined when the mutation does not apply here. */
  mutate(input: T, ctx: C): T | undefined;
}
