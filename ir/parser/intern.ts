// Interns op names and attribute keys straight from the source text. A plain `src.slice` of 13+ chars is a V8
// sliced string that pins the whole source in memory for as long as the IR lives; interned copies do not, and
// a hit costs a hash over the chars instead of an allocation.
const table = new Map<number, string[]>();
let count = 0;
const MAX = 100_000;

export function intern(src: string, start: number, end: number): string {
  let h = 0x811c9dc5;
  for (let k = start; k < end; k++) h = Math.imul(h ^ src.charCodeAt(k), 0x01000193);
  const len = end - start;
  let bucket = table.get(h);
  if (bucket) {
    for (const s of bucket) if (s.length === len && src.startsWith(s, start)) return s;
  }
  const s = flatCopy(src.slice(start, end));
  if (count >= MAX) return s;
  count++;
  if (bucket) bucket.push(s);
  else table.set(h, (bucket = [s]));
  return s;
}

/** A copy that does not point into the source string. */
function flatCopy(s: string): string {
  return s.length < 13 ? s : Buffer.from(s, 'utf16le').toString('utf16le');
}
