// A contiguous run of steps, [start, end), drawn for the subsequence operators.
import type { Random } from '../../contracts/mutator.ts';

export type Slice = { readonly start: number; readonly end: number };

/** A slice of at least `min` steps of a pipeline of `length` (undefined when it is shorter). */
export function drawSlice(random: Random, length: number, min: number): Slice | undefined {
  if (length < min) return undefined;
  const size = random.int(min, length);
  const start = random.int(0, length - size);
  return { start, end: start + size };
}
