// The seed pool (libFuzzer's InputCorpus): the cases that reached new behaviour, each with the features it hit.
// Energy favours seeds with rare features, and seeds picked often without finding anything lose some; from time to
// time the pool is culled to a minimal cover of its features.
import type { Pipeline } from '../contracts/pipeline.ts';
import type { Random } from '../contracts/mutator.ts';

export type Seed = {
  /** Unique within the pool (and the id the parent uses to name it in the corpus). */
  readonly key: string;
  readonly name: string;
  readonly text: string;
  readonly pipeline: Pipeline;
  /** Distinct feature ids it hit. */
  readonly features: Uint32Array;
  /** The mutators that made it from its parent, e.g. 'wrap-in-loops>rewire-operand'. */
  readonly lineage: string;
  picks: number;
  /** Children of this seed that were kept: a productive seed stays attractive. */
  wins: number;
};

/** Program size (characters) at which a seed's energy is halved. */
const SIZE_SCALE = 4096;

export class SeedPool {
  private readonly seeds: Seed[] = [];
  private readonly frequency = new Map<number, number>();
  private cumulative: number[] | undefined;
  private picksSinceRebuild = 0;

  get size(): number {
    return this.seeds.length;
  }
  all(): readonly Seed[] {
    return this.seeds;
  }

  add(s: Seed): void {
    this.seeds.push(s);
    for (const f of s.features) this.frequency.set(f, (this.frequency.get(f) ?? 0) + 1);
    this.cumulative = undefined;
  }

  /** A seed drawn by energy; undefined when the pool is empty. */
  pick(random: Random): Seed | undefined {
    if (this.seeds.length === 0) return undefined;
    // Energies drift with every pick; rebuilding the table every few picks keeps a pick O(log n).
    if (!this.cumulative || ++this.picksSinceRebuild >= 32) this.rebuild();
    const table = this.cumulative!;
    const total = table[table.length - 1]!;
    const x = (random.int(0, 1_000_000_000) / 1_000_000_000) * total;
    let lo = 0;
    let hi = table.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (table[mid]! <= x) lo = mid + 1;
      else hi = mid;
    }
    const s = this.seeds[lo]!;
    s.picks++;
    return s;
  }

  /**
   * Rarity: a feature only this seed has counts 1, one shared by n seeds 1/n. Smaller programs get more: a case
   * costs mlir-opt time in proportion to its size (AFL favours fast seeds the same way; size, unlike time, keeps the
   * campaign deterministic).
   */
  energy(s: Seed): number {
    let rarity = 0;
    for (const f of s.features) rarity += 1 / (this.frequency.get(f) ?? 1);
    return ((0.1 + rarity) * (1 + s.wins) * SIZE_SCALE) / (SIZE_SCALE + s.text.length) / Math.sqrt(1 + s.picks / 8);
  }

  private rebuild(): void {
    let acc = 0;
    this.cumulative = this.seeds.map((s) => (acc += this.energy(s)));
    this.picksSinceRebuild = 0;
  }

  /**
   * Keeps a cover of the pool's features and returns the seeds it dropped. One greedy pass, largest
   * feature set first and the shorter program on ties: a seed stays if it hits a feature no kept seed hits. Not the
   * smallest cover, but linear in the pool's features, so it can run often.
   */
  cull(): Seed[] {
    const covered = new Set<number>();
    const order = [...this.seeds].sort((a, b) => b.features.length - a.features.length || a.text.length - b.text.length);
    const kept: Seed[] = [];
    const dropped: Seed[] = [];
    for (const s of order) {
      let adds = false;
      for (const f of s.features) if (!covered.has(f)) (adds = true), covered.add(f);
      if (adds) kept.push(s);
      else dropped.push(s);
    }
    this.seeds.length = 0;
    this.frequency.clear();
    for (const s of kept) this.add(s);
    return dropped;
  }
}
