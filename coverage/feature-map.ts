// The campaign's coverage map (DESIGN §8, libFuzzer's feature set): for each feature id, the AFL buckets its hit
// counts have reached and how many executions hit it. A case is interesting when it adds a (feature, bucket) pair.
// One Map of numbers, each packing `frequency * 256 + bucket mask`: no object per feature.
import type { FeatureId, FeatureMap } from '../contracts/coverage.ts';
import { bucketBit } from './buckets.ts';
import { isProgramFeature } from './feature-id.ts';

const MAGIC = [0x54, 0x43, 0x46, 0x4d]; // "TCFM"
const VERSION = 1;

export class CoverageMap implements FeatureMap {
  private readonly seen = new Map<FeatureId, number>();
  private pairs = 0;
  private programPairs = 0;
  private runs = 0;

  /** (feature, bucket) pairs reached. */
  get size(): number {
    return this.pairs;
  }
  /** Of `size`, the pairs of compiler features (feature-id.ts). */
  get compilerSize(): number {
    return this.pairs - this.programPairs;
  }
  get features(): number {
    return this.seen.size;
  }
  get executions(): number {
    return this.runs;
  }

  observe(hits: ReadonlyMap<FeatureId, number>): number {
    let added = 0;
    for (const [id, n] of hits) {
      const bit = bucketBit(n);
      if (bit === 0) continue;
      const v = this.seen.get(id) ?? 0;
      const fresh = (v & 0xff & bit) === 0;
      if (fresh) {
        added++;
        if (isProgramFeature(id)) this.programPairs++;
      }
      this.seen.set(id, v + 256 + (fresh ? bit : 0));
    }
    this.pairs += added;
    this.runs++;
    return added;
  }

  wouldAdd(hits: ReadonlyMap<FeatureId, number>): number {
    let added = 0;
    for (const [id, n] of hits) {
      const bit = bucketBit(n);
      if (bit !== 0 && ((this.seen.get(id) ?? 0) & bit) === 0) added++;
    }
    return added;
  }

  frequency(id: FeatureId): number {
    return Math.floor((this.seen.get(id) ?? 0) / 256);
  }

  /** The buckets `id` has reached, as a bit mask (bit b: bucket b of buckets.ts). */
  buckets(id: FeatureId): number {
    return (this.seen.get(id) ?? 0) & 0xff;
  }

  /**
   * `TCFM`, version, executions, count, then per feature in id order: the id's distance from the previous one,
   * its bucket mask (one byte) and its frequency, integers as LEB128. About 4 bytes a feature.
   */
  serialise(): Uint8Array {
    const ids = [...this.seen.keys()].sort((a, b) => a - b);
    const out: number[] = [...MAGIC, VERSION];
    writeVarint(out, this.runs);
    writeVarint(out, ids.length);
    let prev = 0;
    for (const id of ids) {
      const v = this.seen.get(id)!;
      writeVarint(out, id - prev);
      out.push(v & 0xff);
      writeVarint(out, Math.floor(v / 256));
      prev = id;
    }
    return Uint8Array.from(out);
  }

  /** A map from `serialise`'s bytes. Throws on bytes that are not one. */
  static restore(bytes: Uint8Array): CoverageMap {
    for (let i = 0; i < MAGIC.length; i++) if (bytes[i] !== MAGIC[i]) throw new Error('coverage map: not a serialised map (bad magic)');
    if (bytes[4] !== VERSION) throw new Error(`coverage map: unknown version ${bytes[4]}`);
    const at = { i: 5 };
    const m = new CoverageMap();
    m.runs = readVarint(bytes, at);
    const n = readVarint(bytes, at);
    let id = 0;
    for (let k = 0; k < n; k++) {
      id += readVarint(bytes, at);
      if (at.i >= bytes.length) throw new Error('coverage map: truncated');
      const mask = bytes[at.i++]!;
      const freq = readVarint(bytes, at);
      if (id > 0xffffffff) throw new Error('coverage map: feature id out of range');
      m.seen.set(id, freq * 256 + mask);
      m.pairs += popcount(mask);
      if (isProgramFeature(id)) m.programPairs += popcount(mask);
    }
    if (at.i !== bytes.length) throw new Error('coverage map: trailing bytes');
    return m;
  }
}

function popcount(x: number): number {
  let n = 0;
  for (; x; x &= x - 1) n++;
  return n;
}

/** Unsigned LEB128 for integers up to 2^53 (arithmetic, not 32-bit shifts). */
function writeVarint(out: number[], v: number): void {
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
}

function readVarint(bytes: Uint8Array, at: { i: number }): number {
  let v = 0;
  let scale = 1;
  for (;;) {
    if (at.i >= bytes.length) throw new Error('coverage map: truncated');
    const b = bytes[at.i++]!;
    v += (b & 0x7f) * scale;
    if (b < 0x80) return v;
    scale *= 0x80;
    if (scale > 2 ** 56) throw new Error('coverage map: varint too long');
  }
}
