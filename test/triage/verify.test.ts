// `tcfuzz triage verify` re-runs every open finding on the installed toolchain. Tested honestly: findings recorded
// from real runs of known MLIR bugs, then verified with the real toolchain (nothing is fixed), and with one whose
// mlir-opt no longer runs the crashing pass (a toolchain where that bug is fixed): only that finding becomes
// fixed, with the toolchain it was verified on; the other stays open, and a finding marked invalid is not re-run.
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { openCorpus } from '../../corpus/index.ts';
import { findToolchain, TOOLS } from '../../targets/mlir/toolchain.ts';
import { FIXED_IN } from '../../triage/verify.ts';
import { toolchainSkip } from '../helpers/toolchain.ts';
import { bug, cli, PADDED_UNROLL_CRASH, PADDED_UNROLL_PIPELINE, recordRealFinding, UNROLL } from './real-finding.ts';

const root = mkdtempSync(join(tmpdir(), 'tcfuzz-verify-'));
after(() => rmSync(root, { recursive: true, force: true }));

/**
 * A toolchain directory (for TCFUZZ_LLVM_BIN) of the real tools, but whose mlir-opt drops the crashing unroll
 * from every pipeline it is given: what a release with that bug fixed does to this finding.
 */
function fixedToolchain(): string {
  const real = findToolchain();
  const dir = mkdtempSync(join(root, 'fixed-'));
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  symlinkSync(real.libDir, join(dir, 'lib'));
  for (const t of TOOLS) if (t !== 'mlir-opt') symlinkSync(real.path(t), join(bin, t));
  writeFileSync(join(bin, 'mlir-opt'), [
    '#!/bin/sh',
    // Rebuilds "$@" with the unroll step cut out of --pass-pipeline (and the nesting it leaves empty).
    'for a in "$@"; do',
    `  case "$a" in --pass-pipeline=*) a=$(printf '%s' "$a" | sed -e 's/${UNROLL}//g' -e 's/func\\.func()//g' -e 's/,,*/,/g' -e 's/(,/(/g' -e 's/,)/)/g') ;; esac`,
    '  set -- "$@" "$a"',
    '  shift',
    'done',
    `exec ${real.path('mlir-opt')} "$@"`,
    '',
  ].join('\n'));
  chmodSync(join(bin, 'mlir-opt'), 0o755);
  return bin;
}

describe('tcfuzz triage verify', { skip: toolchainSkip() }, () => {
  it('marks fixed only what no longer reproduces, with the toolchain; the rest stays open', async () => {
    const db = join(root, 'findings.db');
    const crash = await recordRealFinding(db, { program: PADDED_UNROLL_CRASH, pipeline: PADDED_UNROLL_PIPELINE, kind: 'crash' });
    const invalidIr = await recordRealFinding(db, { program: bug('scf-extract-fixed-outer-loops-iter-args'), pipeline: 'builtin.module(func.func(test-extract-fixed-outer-loops{test-outer-loop-sizes=2}))', kind: 'invalid-ir' });
    const dismissed = await recordRealFinding(db, { program: bug('canonicalize-affine-for-empty-lower-bound'), pipeline: 'builtin.module(canonicalize)', kind: 'invalid-ir' });
    const c = openCorpus(db);
    c.updateFinding(dismissed, { status: 'invalid' });
    c.close();

    const before = await cli(['triage', 'verify', '--db', db]);
    assert.equal(before.code, 0, before.err);
    assert.match(before.out, /verified 2 open findings with toolchain \S+: 2 still reproduce, 0 fixed\n$/);

    const bin = fixedToolchain();
    const saved = process.env.TCFUZZ_LLVM_BIN;
    process.env.TCFUZZ_LLVM_BIN = bin;
    let r;
    try {
      r = await cli(['triage', 'verify', '--db', db]);
    } finally {
      if (saved === undefined) delete process.env.TCFUZZ_LLVM_BIN;
      else process.env.TCFUZZ_LLVM_BIN = saved;
    }
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, new RegExp(`^#${crash} crash \\(new\\): fixed: no longer reproduces with toolchain \\S+$`, 'm'));
    assert.match(r.out, new RegExp(`^#${invalidIr} invalid-ir \\(new\\): still reproduces$`, 'm'));
    assert.match(r.out, /verified 2 open findings with toolchain \S+: 1 still reproduce, 1 fixed\n$/);

    const after = openCorpus(db, { readonly: true });
    try {
      const fixed = after.finding(crash)!;
      assert.equal(fixed.status, 'fixed');
      assert.equal(fixed.toolchain?.[FIXED_IN], /toolchain (\S+):/.exec(r.out)![1]);
      assert.equal(fixed.toolchain?.toolchain, '22.1.8', 'what it was found with is kept');
      assert.equal(after.finding(invalidIr)!.status, 'new');
      assert.equal(after.finding(dismissed)!.status, 'invalid');
    } finally {
      after.close();
    }
    // Fixed findings are not re-run: the real toolchain again verifies only the open one.
    const again = await cli(['triage', 'verify', '--db', db]);
    assert.match(again.out, /verified 1 open finding with toolchain \S+: 1 still reproduce, 0 fixed\n$/);
  });

  it('a finding that still fails the same way under another signature (an older signing rule) is not marked fixed', async () => {
    const db = join(root, 'resigned.db');
    const id = await recordRealFinding(db, { program: bug('scf-extract-fixed-outer-loops-iter-args'), pipeline: 'builtin.module(func.func(test-extract-fixed-outer-loops{test-outer-loop-sizes=2}))', kind: 'invalid-ir' });
    const raw = new Database(db);
    raw.prepare("UPDATE findings SET signature = signature || ' (signed by an older rule)' WHERE id = ?").run(id);
    raw.close();
    const r = await cli(['triage', 'verify', '--db', db]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, new RegExp(`^#${id} invalid-ir \\(new\\): not verified: it still fails as a invalid-ir on native, signed invalid-ir\\|`, 'm'));
    const after = openCorpus(db, { readonly: true });
    assert.equal(after.finding(id)!.status, 'new');
    after.close();
  });
});
