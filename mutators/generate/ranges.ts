// Signed integer intervals: enough value-range knowledge to add nsw/nuw flags and index math without UB.
export type Range = readonly [lo: bigint, hi: bigint];

export function fullRange(width: number): Range {
  const h = 1n << BigInt(width - 1);
  return [-h, h - 1n];
}

export const point = (v: bigint): Range => [v, v];

export function fits(r: Range, width: number): boolean {
  const [lo, hi] = fullRange(width);
  return r[0] >= lo && r[1] <= hi;
}

/** A result interval, or the full range of the width when the exact result might wrap. */
export function clampToWidth(r: Range, width: number): Range {
  return fits(r, width) ? r : fullRange(width);
}

export const within = (r: Range, lo: bigint, hi: bigint): boolean => r[0] >= lo && r[1] <= hi;
export const nonNegative = (r: Range): boolean => r[0] >= 0n;

export function addRange(a: Range, b: Range): Range {
  return [a[0] + b[0], a[1] + b[1]];
}
export function subRange(a: Range, b: Range): Range {
  return [a[0] - b[1], a[1] - b[0]];
}
export function mulRange(a: Range, b: Range): Range {
  const ps = [a[0] * b[0], a[0] * b[1], a[1] * b[0], a[1] * b[1]];
  return [ps.reduce((x, y) => (y < x ? y : x)), ps.reduce((x, y) => (y > x ? y : x))];
}
export function unionRange(a: Range, b: Range): Range {
  return [a[0] < b[0] ? a[0] : b[0], a[1] > b[1] ? a[1] : b[1]];
}
export function minRange(a: Range, b: Range): Range {
  return [a[0] < b[0] ? a[0] : b[0], a[1] < b[1] ? a[1] : b[1]];
}
export function maxRange(a: Range, b: Range): Range {
  return [a[0] > b[0] ? a[0] : b[0], a[1] > b[1] ? a[1] : b[1]];
}
