// Miscompiles of MLIR 22 that tcfuzz found, kept as fixtures (fixtures/backends/bugs/README.md): each still gives
// the wrong value it was found with, so a toolchain that fixes one shows here (and `triage verify` marks it fixed).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cli } from '../../helpers/cli.ts';
import { FIXTURES, toolchainSkip } from './helpers.ts';

/** Fixture → the first wrong element: buffer, index, reference's value, native's value; and the pipeline, if any. */
const KNOWN: readonly (readonly [string, number, number, string, string, string?])[] = [
  ['canonicalize-affine-for-max-bound-mod.mlir', 0, 4, '7', '6'],
  ['math-atan2-fold-zero.mlir', 0, 0, '0 (0x0)', 'NaN (0x7fc00000)'],
  ['vector-unroll-reduction-drops-accumulator.mlir', 0, 0, '20 (0x41a00000)', '10 (0x41200000)', 'builtin.module(func.func(test-vector-unrolling-patterns))'],
  ['scf-parallel-unroll-drops-reduction.mlir', 0, 0, '2', '1', 'builtin.module(test-parallel-loop-unrolling{unroll-factors=2})'],
];

describe('known miscompiles', { skip: toolchainSkip() }, () => {
  for (const [file, buffer, index, expected, actual, pipeline] of KNOWN) {
    it(`${file}: native stores ${actual} where the reference stores ${expected}`, async () => {
      const { code, out } = await cli(['check', `${FIXTURES}/bugs/${file}`, '--backends', 'interp,native', ...(pipeline ? ['--pipeline', pipeline] : []), '--json']);
      assert.equal(code, 77);
      const [d] = JSON.parse(out).disagreements;
      assert.deepEqual([d.buffer, d.index, d.values], [buffer, index, [expected, actual]]);
    });
  }
});
