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

/**
 * The top bit of an id says whose feature it is: clear for the compiler's (what it did: passes, patterns,
 * diagnostics), set for the program's own (its op dependencies). Coverage of the compiler is the campaign's measure;
 * the program's shape only helps choose seeds, and counting it would credit the generator, not the search.
 */
const PROGRAM_BIT = 0x80000000;

export function compilerFeatureId(feature: string): FeatureId {
  return (featureId(feature) & ~PROGRAM_BIT) >>> 0;
}

export function programFeatureId(feature: string): FeatureId {
  return (featureId(feature) | PROGRAM_BIT) >>> 0;
}

export function isProgramFeature(id: FeatureId): boolean {
  return id >= PROGRAM_BIT;
}

/** An execution's compiler features as hit counts by id; two strings that collide add up. */
export function hashFeatures(features: Iterable<readonly [string, number]>, into: Map<FeatureId, number> = new Map()): Map<FeatureId, number> {
  for (const [f, n] of features) {
    if (n <= 0) continue;
    const id = compilerFeatureId(f);
    into.set(id, (into.get(id) ?? 0) + n);
  }
  return into;
}
