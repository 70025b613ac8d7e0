// Validated option types shared by commands: a bad value is a usage error (exit 2), never NaN downstream, and an
// option given twice is an error rather than an array nobody expects.

function once(name: string, v: unknown): unknown {
  if (Array.isArray(v)) throw new Error(`--${name} is given more than once`);
  return v;
}

export function nonNegativeInt(name: string) {
  return (raw: unknown): number => {
    const v = once(name, raw);
    const n = Number(v);
    if (typeof v === 'boolean' || v === '' || !Number.isSafeInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer, got '${String(v)}'`);
    return n;
  };
}

export function positiveInt(name: string) {
  const base = nonNegativeInt(name);
  return (raw: unknown): number => {
    const n = base(raw);
    if (n === 0) throw new Error(`--${name} must be at least 1`);
    return n;
  };
}

/** Seeds are 32-bit signed integers, as fast-check takes them. */
export function seed(name: string) {
  return (raw: unknown): number => {
    const v = once(name, raw);
    const n = Number(v);
    if (typeof v === 'boolean' || v === '' || !Number.isInteger(n) || n < -(2 ** 31) || n >= 2 ** 32) throw new Error(`--${name} must be a 32-bit integer, got '${String(v)}'`);
    return n | 0;
  };
}

/** A string given at most once, and not empty. */
export function text(name: string) {
  return (raw: unknown): string => {
    const v = once(name, raw);
    if (typeof v !== 'string' || v === '') throw new Error(`--${name} needs a non-empty value`);
    return v;
  };
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A duration in milliseconds: `500ms`, `30s`, `2m`, `8h`, or a bare number of seconds. Zero is refused. */
export function duration(name: string) {
  return (raw: unknown): number => {
    const v = String(once(name, raw));
    const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(v.trim());
    const ms = m ? Number(m[1]) * UNITS[m[2] ?? 's']! : NaN;
    if (!(ms >= 1)) throw new Error(`--${name} must be a positive duration such as 500ms, 30s or 2m, got '${v}'`);
    return Math.round(ms);
  };
}
