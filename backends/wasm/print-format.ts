// C's printf("%g") reproduced exactly, so the WASM runtime prints what libmlir_c_runner_utils prints natively.
// JS's toPrecision rounds exact ties away from zero; glibc rounds the exact binary value half to even. The digits
// here come from the exact decimal expansion of the double, so ties are seen and broken the glibc way.

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
