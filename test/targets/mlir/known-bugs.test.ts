// Miscompiles of MLIR 22 that tcfuzz found, kept as fixtures (fixtures/backends/bugs/README.md): each still gives
// the wrong value it was found with, so a toolchain that fixes one shows here (and `triage verify` marks it fixed).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { main } from '../../../cli/main.ts';
import { FIXTURES, toolchainSkip } from './helpers.ts';

describe('known miscompiles', { skip: toolchainSkip() }, () => {
  it('canonicalize-affine-for-max-bound-mod.mlir: native stores 6 where the reference stores 7', async () => {
    let out = '';
    const code = await main(['check', `${FIXTURES}/bugs/canonicalize-affine-for-max-bound-mod.mlir`, '--backends', 'interp,native', '--json'], { out: (t) => void (out += t), err: () => {} });
    assert.equal(code, 77);
    const [d] = JSON.parse(out).disagreements;
    assert.deepEqual([d.buffer, d.index, d.values], [0, 4, ['7', '6']]);
  });

  it('math-atan2-fold-zero.mlir: native stores NaN where the reference (C atan2) stores 0', async () => {
    let out = '';
    const code = await main(['check', `${FIXTURES}/bugs/math-atan2-fold-zero.mlir`, '--backends', 'interp,native', '--json'], { out: (t) => void (out += t), err: () => {} });
    assert.equal(code, 77);
    const [d] = JSON.parse(out).disagreements;
    assert.deepEqual([d.buffer, d.index, d.values], [0, 0, ['0 (0x0)', 'NaN (0x7fc00000)']]);
  });
});
