// The native and WASM backends run the same hand-written programs and must produce the values worked out below by
// hand from each program's text, and the same vector.print text. One batch per backend, so this also covers batching.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ExecOutcome } from '../../../contracts/outcome.ts';
import { NativeExecutor } from '../../../targets/mlir/native/executor.ts';
import { WasmExecutor } from '../../../targets/mlir/wasm/executor.ts';
import type { MemRefType } from '../../../ir/types.ts';
import { latin1, normaliseStdoutText, STDOUT_NORMALISERS } from '../../../oracles/normalise.ts';
import type { TestProgram } from './helpers.ts';
import { decode, encode, loadProgram, runner, toolchainSkip, ulpDistance } from './helpers.ts';

type V = number | bigint;
type Case = {
  readonly file: string;
  readonly inputs: readonly (readonly V[])[];
  readonly expected: readonly (readonly V[])[];
  readonly stdout?: string;
  /** Allowed ulp distance from `expected` for float buffers (transcendental results); 0 means bit-exact. */
  readonly ulps?: number;
};

const p2 = (e: number): number => 2 ** e;
const rows = (f: (i: number, j: number) => number, n: number, m: number): number[] =>
  Array.from({ length: n * m }, (_, k) => f(Math.floor(k / m), k % m));

// Inputs are chosen so that every expected value can be derived by hand; the reasoning is in the comments.
const CASES: Case[] = [
  {
    file: 'odd-width-ints.mlir',
    inputs: [[3, 2, -3, -2], [300, -7, 20, 6], [5, 10], [1, 0, 1, 1]],
    expected: [
      // i3: 3+2 = 5 wraps to -3; (-3)(-2) = 6 wraps to -2; -2 >>s 1 = -1.
      [-3n, 2n, -2n, -1n],
      // i17: 300·(-7) = -2100; -7 /s 20 = 0; 20 %u 6 = 2; sext(i3 -3) = -3.
      [-2100n, 0n, 2n, -3n],
      // i33: 5-10 = -5; 10·3e9 = 3e10, minus 3·2^33 = 4230196224 (< 2^32, so positive as i33).
      [-5n, 4230196224n],
      // i1: 1^0 = 1; 3 <s 2 = 0; 1&1 = 1; trunc(300) = low bit 0.
      [1n, 0n, 1n, 0n],
    ],
    stdout: '-3\n-2100\n-5\n1\n',
  },
  {
    file: 'half-floats.mlir',
    inputs: [[1.5, 0.0999755859375, 65504, -2], [1, 3, 0.5, -1.25], [Math.fround(100.3), Math.fround(Math.PI)]],
    expected: [
      // 1.5 + 0.0999755859375 = 1.5999755859375 = 1638.375 ulps of 2^-10 → 1638·2^-10; 65504·-2 overflows f16;
      // f32 π = 3.14159274 = 1608.4955 ulps of 2^-9 → 1608·2^-9 = 3.140625.
      [1.599609375, 0.0999755859375, -Infinity, 3.140625],
      // 1+3 = 4; 3·0.5 = 1.5; 0.5/-1.25 = -0.4 = -1.6·2^-2, 1.6·128 = 204.8 → 205/128·2^-2 = 0.400390625;
      // 100.3 = 1.5671875·64, ·128 = 200.6 → 201/128·64 = 100.5.
      [4, 1.5, -0.400390625, 100.5],
      [0.0999755859375, Math.fround(Math.PI)],
    ],
    stdout: '1.59961\n-0.400391\n',
  },
  {
    file: 'index-arith.mlir',
    inputs: [[3, -2, 7, 10], [0, 0]],
    // 3·-2 = -6; floor(7/-2) = -4; ceil(10/3) = 4; 7 rem 3 = 1; Σ_{i<10} i = 45.
    expected: [[-6n, -4n, 4n, 1n], [-6n, 45n]],
    stdout: '45\n',
  },
  {
    file: 'exact-math.mlir',
    inputs: [[2, -2.5, 3.5, 0.25, 0, 16, -0, 5.5], [9, 0.5, 1e300, 3], [1 + p2(-12), 1 + p2(-12), -(1 + p2(-11))]],
    expected: [
      // sqrt 16; round(-2.5) away from zero; roundeven(-2.5); fma(2, 3.5, 0.25); ceil 3.5; |-2.5|;
      // copysign(2, -0); fmod(5.5, 2).
      [4, -3, -2, 7.25, 4, 2.5, -2, 1.5],
      // sqrt 9; fma(0.5, 3, 0.5); max(1e300, 9); 3/9 rounds to the double nearest 1/3.
      [3, 2, 1e300, 1 / 3],
      // (1+2^-12)² - (1+2^-11) = 2^-24 exactly; rounding the product first would give 0.
      [p2(-24), 1 + p2(-12), -(1 + p2(-11))],
    ],
    stdout: '7.25\n0.333333\n',
  },
  {
    file: 'transcendental.mlir',
    inputs: [[1, 0.5, 10, 2, 0, 0, 0, 0], [0.5, 0]],
    expected: [
      // erf(0.5) = 0.5204998778130465 (tabulated); the others are the libm identities below.
      [Math.E, Math.tanh(0.5), Math.LN10, 1024, Math.sin(1), Math.PI / 4, 0.5204998778130465, 1024].map(Math.fround),
      [Math.log1p(0.5), Math.cos(0.5)],
    ],
    ulps: 2,
  },
  {
    file: 'vector-ops.mlir',
    inputs: [[1, 2, 3, 4, 0.5, 0.5, 2, -1], [5, -3, 9, 0, 7, 2, -8, 1]],
    expected: [
      // s = v·w + v = (1.5, 3, 9, 0); Σs = 13.5 broadcast, lane 0 replaced by s[2] = 9.
      [1.5, 3, 9, 0, 9, 13.5, 13.5, 13.5],
      // reverse(i) - max(i) = (1, -8, 2, 7, 0, 9, -3, 5) - 9.
      [-8n, -17n, -7n, -2n, -9n, 0n, -12n, -4n],
    ],
    stdout: '( 1.5, 3, 9, 0 )\n( ( 5, -3 ), ( 9, 0 ) )\n9\n',
  },
  {
    file: 'scf-loops.mlir',
    inputs: [[6, 2, 3, 4], [0, 0, 0, 0]],
    expected: [
      [6n, 2n, 3n, 4n],
      // Collatz 6→3→10→5→16→8→4→2→1 is 8 steps; 2·3·4 = 24; 6+2+3+4 = 15; 24 < 15 is false → 15.
      [8n, 24n, 15n, 15n],
    ],
    stdout: '8\n',
  },
  {
    file: 'affine-loops.mlir',
    inputs: [rows((i, j) => 10 * i + j, 4, 4), [0, 0, 0, 0]],
    expected: [
      // Columns 0 and 2 absorb their right neighbours; rows i ≥ 2 add 100 to column 3.
      rows((i, j) => [20 * i + 1, 10 * i + 1, 20 * i + 5, 10 * i + 3 + (i >= 2 ? 100 : 0)][j]!, 4, 4).map(BigInt),
      // 5·3 + 2 floordiv 2 = 16; min(5, 7, 5 mod 4 + 10) = 5; max(5-2, 2·2) = 4; 5 ceildiv 2 = 3.
      [16n, 5n, 4n, 3n],
    ],
  },
  {
    file: 'memref-views.mlir',
    inputs: [rows((i, j) => 6 * i + j, 4, 6), [0, 0, 0, 0]],
    expected: [
      // The [1,2][2,2][1,2] view holds m[1][2]=8, m[1][4]=10, m[2][2]=14, m[2][4]=16; row 0 gets 8, 10 and
      // m[3][0] gets 14+16.
      rows((i, j) => (i === 0 && j < 2 ? [8, 10][j]! : i === 3 && j === 0 ? 30 : 6 * i + j), 4, 6),
      // The global table, then dim 1 of a 4x6 memref in slot 0.
      [6n, -20n, 30n, -40n],
    ],
  },
  {
    file: 'cf-blocks.mlir',
    inputs: [[20, 0]],
    // Σ 1..20 = 210, 20! = 2432902008176640000 (fits in i64), and 20! > 210.
    expected: [[210n, 2432902008176640000n]],
    stdout: '2432902008176640000\n',
  },
  {
    file: 'print-format.mlir',
    inputs: [],
    expected: [],
    // %g with 6 significant digits: f32 123456789 is 123456792; 1234565 is a tie and glibc rounds it to even;
    // f16 0.1 is 0.0999755859375, bf16 0.1 is 0.10009765625, bf16 3e38 is 226/128·2^127.
    stdout:
      '( 0, -0, 1e-07, 1.23457e+08, 0.1, 1e+20, 100000, 1e+06, 1.23456e+06, -2.5 )\n' +
      'inf\n-inf\nnan\n' +
      '( 0.1, 1e-300, 4.94066e-324, 12345.7, 0.000123456 )\n' +
      '( 0.0999756, 65504, -3 )\n' +
      '( 0.100098, 3.00406e+38, -0 )\n' +
      '( ( 1, -2 ), ( 3, -4 ) )\n' +
      '( 1, 0, 1 )\n' +
      '-9223372036854775808\n' +
      '-3\n' +
      '7, 7\n' +
      'done\n',
  },
  {
    file: 'math-lowering.mlir',
    inputs: [[3, 4], [2.5, 0]],
    // 3^4 = 81; clamp(2.5, -1, 1) = 1; 2.5^4 = 39.0625 (exact in f32); step = 0, 1, 2, 3.
    expected: [[81n, 4n], [1, 39.0625]],
    stdout: '( 0, 1, 2, 3 )\n',
  },
  {
    file: 'print-memref.mlir',
    inputs: [[1.5, 2, -0.1, 4, 5, 6], [1, 2, 3, 4, 5, 6, 7, 8]],
    expected: [[1.5, 2, -0.1, 4, 5, 6], [1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n]],
    // Elements are separated by ", " plus (rank - dim + 1) spaces; rows by ",\n" plus the same padding. The data
    // address differs between runs and backends, so it is compared as 0xADDR.
    stdout:
      'Unranked Memref base@ = 0xADDR rank = 2 offset = 0 sizes = [2, 3] strides = [3, 1] data = \n' +
      '[[1.5,   2,   -0.1], \n [4,   5,   6]]\n' +
      'Unranked Memref base@ = 0xADDR rank = 3 offset = 0 sizes = [2, 2, 2] strides = [4, 2, 1] data = \n' +
      '[[[1,    2], \n  [3,    4]], \n [[5,    6], \n  [7,    8]]]\n' +
      'Unranked Memref base@ = 0xADDR rank = 2 offset = 1 sizes = [2, 2] strides = [3, 1] data = \n' +
      '[[2,   -0.1], \n [5,   6]]\n',
  },
  {
    file: 'wide-ints.mlir',
    inputs: [[3000000000, -5000000000], [0, 0, 0, 0]],
    expected: (() => {
      const p = 3000000000n * -5000000000n;
      const k = 1000000007n;
      // BigInt division truncates toward zero and % takes the dividend's sign, like divsi/remsi.
      return [
        [3000000000n, -5000000000n],
        [BigInt.asIntN(64, p), BigInt.asIntN(64, p >> 64n), BigInt.asIntN(64, p / k), BigInt.asIntN(64, p % k)],
      ];
    })(),
  },
];

/** Printed bytes as text, memref addresses normalised (the only normaliser applied here: NaN signs must match too). */
const withoutAddresses = (b: Uint8Array): string => normaliseStdoutText(latin1(b), STDOUT_NORMALISERS.filter((n) => n.name === 'memref-address'));

function check(c: Case, program: TestProgram, o: ExecOutcome, indexBytes: number, who: string): void {
  assert.equal(o.kind, 'ok', `${who}: ${JSON.stringify(o).slice(0, 800)}`);
  if (o.kind !== 'ok') return;
  program.args.forEach((t: MemRefType, a) => {
    const got = decode(t, o.buffers[a]!, indexBytes);
    const want = c.expected[a]!;
    assert.equal(got.length, want.length);
    got.forEach((g, k) => {
      const w = want[k]!;
      const where = `${who} ${c.file} arg ${a} [${k}]`;
      if (t.elem.kind === 'float') {
        const single = t.elem.name !== 'f64';
        const d = ulpDistance(Number(g), Number(w), single);
        assert.ok(d <= (c.ulps ?? 0), `${where}: got ${g}, expected ${w} (${d} ulps)`);
      } else assert.equal(g, BigInt(w), where);
    });
  });
  if (c.stdout !== undefined) assert.equal(withoutAddresses(o.stdout), c.stdout, `${who} ${c.file} stdout`);
}

describe('native and wasm agree with hand-computed results', { skip: toolchainSkip() }, () => {
  const native = runner(new NativeExecutor());
  const wasm = runner(new WasmExecutor());
  const programs = CASES.map((c) => loadProgram(c.file));
  let nat: ExecOutcome[] = [];
  let was: ExecOutcome[] = [];

  before(async () => {
    const items = (indexBytes: number) =>
      CASES.map((c, k) => ({ program: programs[k]!, inputs: programs[k]!.args.map((t, a) => encode(t, c.inputs[a]!, indexBytes)) }));
    [nat, was] = await Promise.all([native.runBatch(items(8)), wasm.runBatch(items(4))]);
  });
  after(() => wasm.close());

  CASES.forEach((c, k) => {
    it(c.file, () => {
      check(c, programs[k]!, nat[k]!, 8, 'native');
      check(c, programs[k]!, was[k]!, 4, 'wasm');
      const n = nat[k]!;
      const w = was[k]!;
      if (n.kind === 'ok' && w.kind === 'ok') {
        assert.equal(withoutAddresses(n.stdout), withoutAddresses(w.stdout), 'printed text differs between native and wasm');
        // Without a tolerance the two backends must also agree bit for bit on every buffer but index ones.
        if (!c.ulps) programs[k]!.args.forEach((t, a) => t.elem.kind !== 'index' && assert.deepEqual(n.buffers[a], w.buffers[a]));
      }
    });
  });
});
