// The generator's randomness, drawn from fast-check's Random so programs replay from (seed, path).
import fc from 'fast-check';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

export class Rand {
  constructor(private readonly r: fc.Random) {}

  /** A stream of its own from a 32-bit seed: mutators replay from (seed, mutator lineage). */
  static seeded(seed: number): Rand {
    return new Rand(new fc.Random(xoroshiro128plus(seed | 0)));
  }

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
