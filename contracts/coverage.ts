// Coverage feedback (DESIGN §8): features are strings hashed to 32-bit ids; hits are bucketed the AFL way.

export type FeatureId = number;

export interface FeatureMap {
  /** Number of distinct (feature, bucket) pairs seen so far. */
  readonly size: number;
  /** Adds one execution's features and hit counts; returns how many (feature, bucket) pairs were new. */
  observe(hits: ReadonlyMap<FeatureId, number>): number;
}
