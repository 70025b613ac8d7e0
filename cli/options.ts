// Validated option types shared by commands: a bad value is a usage error (exit 2), never NaN downstream.
export function nonNegativeInt(name: string) {
  return (v: unknown): number => {
    const n = Number(v);
    if (typeof v === 'boolean' || !Number.isSafeInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer, got '${String(v)}'`);
    return n;
  };
}

/** Seeds are 32-bit signed integers, as fast-check takes them. */
export function seed(name: string) {
  return (v: unknown): number => {
    const n = Number(v);
    if (typeof v === 'boolean' || !Number.isInteger(n) || n < -(2 ** 31) || n >= 2 ** 32) throw new Error(`--${name} must be a 32-bit integer, got '${String(v)}'`);
    return n | 0;
  };
}
