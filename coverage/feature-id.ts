// Feature strings → 32-bit ids (DESIGN §8). FNV-1a over UTF-16 code units: a few operations per character, no
// allocation, and the same id in every process and every run, so ids can be stored and compared across campaigns.
import type { FeatureId } from '../contracts/coverage.ts';

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

export function featureId(feature: string): FeatureId {
  let h = FNV_OFFSET;
  for (let i = 0; i < feature.length; i++) {
    const c = feature.charCodeAt(i);
    // One byte per Latin-1 code unit (ASCII strings hash as their bytes), two for the rest.
    h = Math.imul(h ^ (c & 0xff), FNV_PRIME);
    if (c > 0xff) h = Math.imul(h ^ (c >>> 8), FNV_PRIME);
  }
  return h >>> 0;
}

/** An execution's features as hit counts by id; two strings that collide add up. */
export function hashFeatures(features: Iterable<readonly [string, number]>, into: Map<FeatureId, number> = new Map()): Map<FeatureId, number> {
  for (const [f, n] of features) {
    if (n <= 0) continue;
    const id = featureId(f);
    into.set(id, (into.get(id) ?? 0) + n);
  }
  return into;
}
