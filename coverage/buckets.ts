// AFL's hit-count buckets (DESIGN §8): a feature hit 1, 2, 3, 4–7, 8–15, 16–31, 32–127 or 128+ times. Moving to
// another bucket is new behaviour; a count that changes within its bucket is not.

/** Bucket 0..7 of a hit count ≥ 1 (−1 for 0: not hit). */
export function bucketOf(hits: number): number {
  if (hits <= 0) return -1;
  if (hits <= 3) return hits - 1;
  if (hits < 8) return 3;
  if (hits < 16) return 4;
  if (hits < 32) return 5;
  if (hits < 128) return 6;
  return 7;
}

/** The bucket as a bit of a byte: a feature's buckets seen so far fit in one mask. */
export function bucketBit(hits: number): number {
  const b = bucketOf(hits);
  return b < 0 ? 0 : 1 << b;
}

/** The smallest hit count in each bucket, for tests and reports. */
export const BUCKET_FLOORS: readonly number[] = [1, 2, 3, 4, 8, 16, 32, 128];
