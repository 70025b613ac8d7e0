// Part of a tcfuzz reproducer, copied beside repro.sh; plain node, no packages.
// usage: node compare.mjs expected.txt actual.txt compare.json
// Compares a run of the reproducer's entry with the reference's result as tcfuzz's oracle does: integers bit for
// bit, floats bit for bit with NaN matching NaN, values that depend on transcendental math (listed as tainted in
// compare.json) within a ULP / relative tolerance, and the program's own stdout after the same normalisations.
// Exit 1: they differ (the bug reproduces); 0: they agree; 2: the files cannot be compared.
import { readFileSync } from 'node:fs';

const [expectedPath, actualPath, specPath] = process.argv.slice(2);
const fail = (message) => {
  process.stderr.write(`compare.mjs: ${message}\n`);
  process.exit(2);
};
if (!specPath) fail('usage: node compare.mjs expected.txt actual.txt compare.json');
const spec = JSON.parse(readFileSync(specPath, 'utf8'));
const words = spec.buffers.reduce((n, b) => n + b.count * b.words, 0);

/** stdout (as latin1 text) and the printed words, split as the entry prints them. */
function parse(path) {
  const text = readFileSync(path).toString('latin1');
  if (!text.endsWith('\n')) fail(`${path}: the run did not finish printing`);
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < words + 1) fail(`${path}: ${lines.length} lines, the buffers alone take ${words}`);
  return { stdout: lines.slice(0, lines.length - words).join('\n'), words: lines.slice(lines.length - words).map((w) => BigInt(w)) };
}

const WIDTH = { f16: 16n, bf16: 16n, f32: 32n, f64: 64n };

function floatOf(name, bits) {
  const view = new DataView(new ArrayBuffer(8));
  if (name === 'f64') {
    view.setBigUint64(0, bits);
    return view.getFloat64(0);
  }
  if (name === 'f32' || name === 'bf16') {
    view.setUint32(0, Number(name === 'bf16' ? bits << 16n : bits));
    return view.getFloat32(0);
  }
  const b = Number(bits);
  const sign = b & 0x8000 ? -1 : 1;
  const exp = (b >> 10) & 0x1f;
  const frac = b & 0x3ff;
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return exp === 0 ? sign * frac * 2 ** -24 : sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** Distance in representable steps between two non-NaN floats (sign-magnitude mapped to a line). */
function ulps(name, x, y) {
  const sign = 1n << (WIDTH[name] - 1n);
  const line = (v) => (v & sign ? -(v & (sign - 1n)) : v);
  const d = line(x) - line(y);
  return d < 0n ? -d : d;
}

function floatsAgree(name, x, y, tainted) {
  const fx = floatOf(name, x);
  const fy = floatOf(name, y);
  if (Number.isNaN(fx) || Number.isNaN(fy)) return Number.isNaN(fx) && Number.isNaN(fy);
  if (!tainted) return false;
  if (fx === fy || ulps(name, x, y) <= BigInt(spec.tolerance.ulps)) return true;
  return Number.isFinite(fx) && Number.isFinite(fy) && Math.abs(fx - fy) <= spec.tolerance.rel[name] * Math.max(1, Math.abs(fx), Math.abs(fy));
}

const show = (b, bits) => (b.float ? `${floatOf(b.float, bits)} (0x${bits.toString(16)})` : bits.toString());

const expected = parse(expectedPath);
const actual = parse(actualPath);
const differences = [];
let at = 0;
for (const b of spec.buffers) {
  const tainted = new Set(b.tainted);
  for (let e = 0; e < b.count; e++, at += b.words) {
    // Multi-word elements (i65 … i128) print low word first; put them together to show one value.
    let x = 0n;
    let y = 0n;
    for (let k = b.words - 1; k >= 0; k--) {
      x = (x << 64n) | expected.words[at + k];
      y = (y << 64n) | actual.words[at + k];
    }
    if (x === y || (b.float && floatsAgree(b.float, x, y, tainted.has(e)))) continue;
    differences.push(`${b.name}[${e}] ${b.dtype}: expected ${show(b, x)}, actual ${show(b, y)}`);
  }
}
// The normalisations of tcfuzz's oracles/normalise.ts: printMemref's data address, and the sign of a NaN.
const normalise = (s) => s.replace(/base@ = (?:0x[0-9a-f]+|0)(?= rank = )/g, 'base@ = 0xADDR').replace(/-nan\b/g, 'nan');
if (normalise(expected.stdout) !== normalise(actual.stdout)) differences.push('the program printed something else than the reference (compare the top of expected.txt and actual.txt)');
if (differences.length === 0) {
  process.stdout.write('compare.mjs: every buffer and the printed output match the reference\n');
  process.exit(0);
}
process.stdout.write(`compare.mjs: ${differences.length} difference(s) from the reference:\n${differences.slice(0, 10).map((d) => `  ${d}\n`).join('')}`);
process.exit(1);
