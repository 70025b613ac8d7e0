// Lookups keyed by a range of the source text, without slicing it: a hash over the chars finds the bucket and
// `startsWith` confirms. Used to intern op names and attribute keys, and to cache types by their text.
// Interning also matters for memory: a plain `src.slice` of 13+ chars is a V8 sliced string that pins the whole
// source for as long as the IR lives; the strings stored here are flat copies.

/** FNV-1a over the length, the first 24 and the last 24 chars: buckets compare the full text anyway. */
export function hashRange(src: string, start: number, end: number): number {
  let h = Math.imul(0x811c9dc5 ^ (end - start), 0x01000193);
  if (end - start > 48) {
    for (let k = start; k < start + 24; k++) h = Math.imul(h ^ src.charCodeAt(k), 0x01000193);
    start = end - 24;
  }
  for (let k = start; k < end; k++) h = Math.imul(h ^ src.charCodeAt(k), 0x01000193);
  return h;
}

/** A copy that does not point into the source string, for text that outlives the parse. */
export function flatCopy(s: string): string {
  return s.length < 13 ? s : Buffer.from(s, 'utf16le').toString('utf16le');
}

export class TextTable<T> {
  private readonly buckets = new Map<number, { text: string; value: T }[]>();
  private count = 0;

  constructor(private readonly max: number) {}

  get(src: string, start: number, end: number, h = hashRange(src, start, end)): T | undefined {
    const bucket = this.buckets.get(h);
    if (!bucket) return undefined;
    const len = end - start;
    for (const e of bucket) if (e.text.length === len && src.startsWith(e.text, start)) return e.value;
    return undefined;
  }

  /** Stores `value` under the text; a full table is emptied first, so memory stays bounded. */
  set(src: string, start: number, end: number, value: T, text = flatCopy(src.slice(start, end)), h = hashRange(src, start, end)): void {
    if (this.count >= this.max) {
      this.buckets.clear();
      this.count = 0;
    }
    const bucket = this.buckets.get(h);
    if (bucket) bucket.push({ text, value });
    else this.buckets.set(h, [{ text, value }]);
    this.count++;
  }
}

const names = new TextTable<string>(100_000);

/** The string src[start, end), shared with every earlier request for the same text. */
export function intern(src: string, start: number, end: number): string {
  const hit = names.get(src, start, end);
  if (hit !== undefined) return hit;
  const s = flatCopy(src.slice(start, end));
  names.set(src, start, end, s, s);
  return s;
}
