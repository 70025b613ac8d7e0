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
/** Picks between two recomputations of every energy (they drift with every pick and every seed added). */
const REBUILD_EVERY = 32;

export class SeedPool {
  private readonly seeds: Seed[] = [];
  /**
   * Each seed's features as dense slots, and per slot how many seeds hit its feature: energies are recomputed over
   * the whole pool, and typed-array reads keep that a fraction of what Map lookups by id cost (0.67 ms a pick over a
   * 120-s campaign's pool of 1,600 seeds of 375 features each, when every added seed forced a recomputation).
   */
  private readonly slots: Uint32Array[] = [];
  private readonly slotOf = new Map<number, number>();
  private holders = new Uint32Array(1024);
  /** Running sums of the seeds' energies, in pool order; a seed added since the last rebuild is appended. */
  private cumulative: number[] = [];
  private picksSinceRebuild = 0;

  get size(): number {
    return this.seeds.length;
  }
  all(): readonly Seed[] {
    return this.seeds;
  }

  add(s: Seed): void {
    this.place(s);
    // The others' energies wait for the next rebuild; the new seed gets its own at once.
    if (this.cumulative.length === this.seeds.length - 1) this.cumulative.push((this.cumulative.at(-1) ?? 0) + this.energyAt(this.seeds.length - 1));
  }

  /** Adds `s` to the seeds and its features to the holder counts, leaving energies alone. */
  private place(s: Seed): void {
    const slots = new Uint32Array(s.features.length);
    for (let k = 0; k < slots.length; k++) {
      let slot = this.slotOf.get(s.features[k]!);
      if (slot === undefined) {
        slot = this.slotOf.size;
        this.slotOf.set(s.features[k]!, slot);
        if (slot === this.holders.length) {
          const grown = new Uint32Array(slot * 2);
          grown.set(this.holders);
          this.holders = grown;
        }
      }
      slots[k] = slot;
      this.holders[slot]!++;
    }
    this.seeds.push(s);
    this.slots.push(slots);
  }

  /** A seed drawn by energy; undefined when the pool is empty. */
  pick(random: Random): Seed | undefined {
    if (this.seeds.length === 0) return undefined;
    if (++this.picksSinceRebuild >= REBUILD_EVERY || this.cumulative.length !== this.seeds.length) this.rebuild();
    const table = this.cumulative;
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
  private energyAt(k: number): number {
    const s = this.seeds[k]!;
    const slots = this.slots[k]!;
    let rarity = 0;
    for (let j = 0; j < slots.length; j++) rarity += 1 / this.holders[slots[j]!]!;
    return ((0.1 + rarity) * (1 + s.wins) * SIZE_SCALE) / (SIZE_SCALE + s.text.length) / Math.sqrt(1 + s.picks / 8);
  }

  private rebuild(): void {
    let acc = 0;
    this.cumulative = this.seeds.map((_, k) => (acc += this.energyAt(k)));
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
    this.slots.length = 0;
    this.slotOf.clear();
    this.holders.fill(0);
    // Energies once every kept seed is counted: appended one by one, each saw only the holders placed before it.
    for (const s of kept) this.place(s);
    this.rebuild();
    return dropped;
  }
}
