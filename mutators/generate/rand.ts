// The generator's randomness, drawn from fast-check's Random so programs replay from (seed, path).
import type { Random } from 'fast-check';

export class Rand {
  constructor(private readonly r: Random) {}

  /** Uniform integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return this.r.nextInt(lo, hi);
  }
  chance(p: number): boolean {
    return this.r.nextDouble() < p;
  }
  pick<T>(xs: readonly T[]): T {
    if (xs.length === 0) throw new Error('pick from an empty list');
    return xs[this.r.nextInt(0, xs.length - 1)]!;
  }
  /** Picks by weight; entries with weight 0 are never chosen. */
  weighted<T>(entries: readonly (readonly [number, T])[]): T {
    let total = 0;
    for (const [w] of entries) total += w;
    let x = this.r.nextDouble() * total;
    for (const [w, v] of entries) {
      if (x < w) return v;
      x -= w;
    }
    return entries[entries.length - 1]![1];
  }
}
