// Mutators change a program or a pipeline (libFuzzer's named table, Stryker's one-per-file registry).

/** A seeded source of randomness; every mutation replays from its seed. */
export interface Random {
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
}

export interface Mutator<T> {
  readonly name: string;
  /** A new value (the input is never modified), or undefined when the mutation does not apply here. */
  mutate(input: T, random: Random): T | undefined;
}
