// Coverage feedback (DESIGN §8): targets report features as strings with hit counts (`Features`); coverage/
// hashes them to 32-bit ids and keeps the map of what a campaign has seen, hits bucketed the AFL way.

export type FeatureId = number;

/**
 * One execution's features as a target reports them: `pass:Canonicalizer`, `pat:CombineIfs@scf.if`,
 * `dep:arith.addi>memref.store`, `diag:error:...`, each with how often it was hit.
 */
export type Features = ReadonlyMap<string, number>;

export interface FeatureMap {
  /** Number of distinct (feature, bucket) pairs seen so far. */
  readonly size: number;
  /** Number of distinct features seen so far, whatever their buckets. */
  readonly features: number;
  /** Number of executions observed. */
  readonly executions: number;
  /** Adds one execution's features and hit counts; returns how many (feature, bucket) pairs were new. */
  observe(hits: ReadonlyMap<FeatureId, number>): number;
  /** What `observe` would return, without recording anything. */
  wouldAdd(hits: ReadonlyMap<FeatureId, number>): number;
  /** How many observed executions hit `id` (0 if none): rare features make a seed worth more energy. */
  frequency(id: FeatureId): number;
  /** A compact form to store (the corpus keeps it for resume); coverage/ reads it back. */
  serialise(): Uint8Array;
}
