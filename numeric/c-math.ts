// C library functions JavaScript lacks, with the results the native toolchain gives: printf("%g") as glibc prints
// it (exact decimal expansion, ties to even; JS's toPrecision rounds ties away from zero), erf and erfc.
// Shared by the interpreter (reference output) and the WASM runtime (its libc imports), so both print and compute
// exactly alike.

const view = new DataView(new ArrayBuffer(8));

function signBit(x: number): boolean {
  view.setFloat64(0, x);
  return (view.getUint8(0) & 0x80) !== 0;
}

/** The exact decimal expansion of a finite, non-zero |x|: value = 0.DIGITS × 10^point. */
function exactDecimal(x: number): { digits: string; point: number } {
  view.setFloat64(0, Math.abs(x));
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const bexp = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e: number;
  if (bexp === 0) e = -1074;
  else {
    mant |= 1n << 52n;
    e = bexp - 1075;
  }
  if (e >= 0) {
    const digits = (mant << BigInt(e)).toString();
    return { digits, point: digits.length };
  }
  // m × 2^e = m × 5^-e × 10^e
  const digits = (mant * 5n ** BigInt(-e)).toString();
  return { digits, point: digits.length + e };
}

/** Round a digit string to `n` significant digits, half to even; may carry into a new leading digit. */
function roundDigits(digits: string, point: number, n: number): { digits: string; point: number } {
  if (digits.length <= n) return { digits: digits.padEnd(n, '0'), point };
  const head = digits.slice(0, n);
  const next = digits.charCodeAt(n) - 48;
  const restNonZero = /[1-9]/.test(digits.slice(n + 1));
  const lastOdd = (head.charCodeAt(n - 1) - 48) % 2 === 1;
  const up = next > 5 || (next === 5 && (restNonZero || lastOdd));
  if (!up) return { digits: head, point };
  const bumped = (BigInt(head) + 1n).toString();
  return bumped.length > n ? { digits: bumped.slice(0, n), point: point + 1 } : { digits: bumped, point };
}

function trimZeros(s: string): string {
  if (!s.includes('.')) return s;
  return s.replace(/0+$/, '').replace(/\.$/, '');
}

/** printf("%.<precision>g", x) as glibc prints it, including "nan", "-nan", "inf", "-0". */
export function formatG(x: number, precision = 6): string {
  const neg = signBit(x);
  if (Number.isNaN(x)) return neg ? '-nan' : 'nan';
  if (!Number.isFinite(x)) return neg ? '-inf' : 'inf';
  if (x === 0) return neg ? '-0' : '0';
  const p = precision === 0 ? 1 : precision;
  const exact = exactDecimal(x);
  const r = roundDigits(exact.digits.replace(/0+$/, '') || '0', exact.point, p);
  const X = r.point - 1;
  let body: string;
  if (X < -4 || X >= p) {
    const mant = trimZeros(r.digits.length > 1 ? `${r.digits[0]}.${r.digits.slice(1)}` : r.digits);
    const ae = Math.abs(X);
    body = `${mant}e${X < 0 ? '-' : '+'}${ae < 10 ? '0' + ae : String(ae)}`;
  } else if (X >= 0) {
    const intPart = r.digits.slice(0, X + 1);
    const frac = r.digits.slice(X + 1);
    body = trimZeros(frac ? `${intPart}.${frac}` : intPart);
  } else {
    body = trimZeros(`0.${'0'.repeat(-X - 1)}${r.digits}`);
  }
  return neg ? '-' + body : body;
}

/** printf("%.<precision>e", x) as glibc prints it (exact expansion, ties to even). */
export function formatE(x: number, precision = 6): string {
  const neg = signBit(x);
  if (Number.isNaN(x)) return neg ? '-nan' : 'nan';
  if (!Number.isFinite(x)) return neg ? '-inf' : 'inf';
  let digits: string;
  let X: number;
  if (x === 0) {
    digits = '0'.repeat(precision + 1);
    X = 0;
  } else {
    const exact = exactDecimal(x);
    const r = roundDigits(exact.digits.replace(/0+$/, '') || '0', exact.point, precision + 1);
    digits = r.digits;
    X = r.point - 1;
  }
  const ae = Math.abs(X);
  const body = `${digits[0]}${precision ? '.' + digits.slice(1) : ''}e${X < 0 ? '-' : '+'}${ae < 10 ? '0' + ae : String(ae)}`;
  return neg ? '-' + body : body;
}

/** erf to about 1e-15 relative: a positive-term series near 0, Lentz's continued fraction for erfc beyond. */
export function erf(x: number): number {
  if (x !== x) return x;
  const a = Math.abs(x);
  if (a === 0) return x;
  if (a < 2.5) {
    // erf(x) = 2/sqrt(pi) * exp(-x^2) * sum_n (2x^2)^n x / (1*3*...*(2n+1))
    let term = a;
    let sum = a;
    const x2 = 2 * a * a;
    for (let n = 1; n < 200; n++) {
      term *= x2 / (2 * n + 1);
      sum += term;
      if (term < sum * 1e-17) break;
    }
    const v = (2 / Math.sqrt(Math.PI)) * Math.exp(-a * a) * sum;
    return x < 0 ? -v : v;
  }
  const v = 1 - erfcLarge(a);
  return x < 0 ? -v : v;
}

/** erfc(a) for a >= 2.5: exp(-a^2)/sqrt(pi) * 1/(a + 1/2 / (a + 1 / (a + 3/2 / (a + ...)))). */
function erfcLarge(a: number): number {
  const tiny = 1e-300;
  let f = a;
  let c = a;
  let d = 0;
  for (let n = 1; n < 500; n++) {
    const an = n / 2;
    d = a + an * d;
    d = d === 0 ? tiny : d;
    c = a + an / c;
    c = c === 0 ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-a * a) / Math.sqrt(Math.PI) / f;
}

export function erfc(x: number): number {
  if (x !== x) return x;
  if (x < 2.5) return 1 - erf(x);
  return erfcLarge(x);
}
