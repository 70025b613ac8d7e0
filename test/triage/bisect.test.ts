// `tcfuzz triage bisect` on findings recorded from real runs of known MLIR bugs (fixtures/backends/bugs/), their
// pipelines padded with innocent passes before and after the guilty one: the guilty pass is named and stored; a bug
// that shows with no pass at all is called not pipeline-dependent; pattern bisection names the rewrite that makes
// a failure appear. Bad input exits 2.
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { mlirPatternBisect } from '../../cli/triage-pattern.ts';
import { openCorpus } from '../../corpus/index.ts';
import { mlirCatalog } from '../../targets/mlir/target.ts';
import { findToolchain } from '../../targets/mlir/toolchain.ts';
import { toolchainSkip } from '../helpers/toolchain.ts';
import { bug, cli, PADDED_UNROLL_CRASH, PADDED_UNROLL_PIPELINE, recordRealFinding, storedText } from './real-finding.ts';

const root = mkdtempSync(join(tmpdir(), 'tcfuzz-bisect-'));
after(() => rmSync(root, { recursive: true, force: true }));

describe('tcfuzz triage bisect', { skip: toolchainSkip() }, () => {
  it('names the pass that crashes among innocent ones and records it on the finding', async () => {
    const db = join(root, 'crash.db');
    const id = await recordRealFinding(db, { program: PADDED_UNROLL_CRASH, pipeline: PADDED_UNROLL_PIPELINE, kind: 'crash' });
    const r = await cli(['triage', 'bisect', String(id), '--db', db]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^first bad pass: affine-loop-unroll\{unroll-up-to-factor=true\} \(prefix of 3 of 5 passes\)\n/);
    assert.match(r.out, /^no pattern named: no rewrite pattern is applied before the failure$/m);
    const c = openCorpus(db, { readonly: true });
    assert.equal(c.finding(id)!.pass, 'affine-loop-unroll');
    c.close();
  });

  it('names the pass behind a miscompile, its signature naming the whole pipeline', async () => {
    const db = join(root, 'miscompile.db');
    const id = await recordRealFinding(db, { program: bug('scf-for-loop-peeling-empty-loop'), pipeline: 'builtin.module(cse,func.func(scf-for-loop-peeling),loop-invariant-code-motion)', kind: 'miscompile' });
    const c = openCorpus(db, { readonly: true });
    assert.equal(c.finding(id)!.pass, undefined, 'a miscompile names no pass until bisection');
    c.close();
    const r = await cli(['triage', 'bisect', String(id), '--db', db]);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, 'first bad pass: scf-for-loop-peeling (prefix of 2 of 3 passes)\n');
    const after = openCorpus(db, { readonly: true });
    assert.equal(after.finding(id)!.pass, 'scf-for-loop-peeling');
    after.close();
  });

  it('a bug that shows with no pass at all (in the native lowering) is not pipeline-dependent', async () => {
    const db = join(root, 'lowering.db');
    const id = await recordRealFinding(db, { program: bug('canonicalize-affine-for-empty-lower-bound'), pipeline: 'builtin.module(cse,func.func(loop-invariant-code-motion))', kind: 'invalid-ir' });
    const r = await cli(['triage', 'bisect', String(id), '--db', db]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^finding #\d+ is not pipeline-dependent: it reproduces with none of its 2 passes/);
  });

  it('pattern bisection names the N-th pattern application, the first after which mlir-opt fails the same way', async () => {
    // A stand-in failure that a known pattern causes: this mlir-opt fails once `arith.subi` is gone from its output,
    // which canonicalize's SubIRHSAddConstant does ((x + 3) - 1 → x + 2). Runs that log actions pass through.
    const real = findToolchain().path('mlir-opt');
    const bin = mkdtempSync(join(root, 'fail-without-subi-'));
    const script = join(bin, 'mlir-opt');
    writeFileSync(script, [
      '#!/bin/sh',
      'case "$*" in *--log-actions-to*) exec ' + real + ' "$@" ;; esac',
      `out=$(${real} "$@") || exit $?`,
      'case "$out" in *arith.subi*) printf "%s\\n" "$out"; exit 0 ;; esac',
      'echo "<stdin>:1:1: error: arith.subi is gone" >&2',
      'exit 1',
      '',
    ].join('\n'));
    chmodSync(script, 0o755);
    const program = storedText(`func.func @main(%m: memref<8xindex>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %l = memref.load %m[%c0] : memref<8xindex>
  %a = arith.addi %l, %c1 : index
  %b = arith.addi %a, %c2 : index
  %d = arith.subi %b, %c1 : index
  memref.store %d, %m[%c0] : memref<8xindex>
  return
}
`);
    const toolchain = { binDir: dirname(script), libDir: findToolchain().libDir, path: () => script };
    const blame = await mlirPatternBisect({ toolchain })({ program, pipeline: mlirCatalog.parse('builtin.module(cse,canonicalize)') });
    assert.equal(blame.kind, 'pattern', JSON.stringify(blame));
    if (blame.kind !== 'pattern') return;
    assert.deepEqual([blame.pattern, blame.op], ['SubIRHSAddConstant', 'arith.subi']);
    assert.ok(blame.application > 1 && blame.application <= blame.applications, JSON.stringify(blame));
  });

  it('bad input: an unknown finding, a missing or corrupt store, an id where none is taken exit 2', async () => {
    const db = join(root, 'crash.db');
    for (const [argv, message] of [
      [['triage', 'bisect', '99', '--db', db], /^tcfuzz: no finding 99 in /],
      [['triage', 'reduce', '99', '--db', db], /^tcfuzz: no finding 99 in /],
      [['triage', 'bisect', '--db', db], /^tcfuzz: bisect needs a finding ID/],
      [['triage', 'verify', '1', '--db', db], /^tcfuzz: verify takes no finding id/],
      [['triage', 'bisect', '1', '--db', join(root, 'missing.db')], /^tcfuzz: .*missing\.db/],
      [['triage', 'verify', '--db', join(root, 'missing.db')], /^tcfuzz: .*missing\.db/],
      [['triage', 'reduce', '1', '--db', db, '--time', 'soon'], /--time must be a positive duration/],
    ] as const) {
      const r = await cli([...argv]);
      assert.equal(r.code, 2, `${argv.join(' ')}: ${r.out}${r.err}`);
      assert.match(r.err.split('\n')[0]!, message, argv.join(' '));
      assert.doesNotMatch(r.err, /^\s+at /m, 'a stack trace');
    }
    const corrupt = join(root, 'corrupt.db');
    writeFileSync(corrupt, 'not a database, just text that is long enough to look like a file header'.repeat(20));
    for (const action of [['bisect', '1'], ['reduce', '1'], ['verify']]) {
      const r = await cli(['triage', ...action, '--db', corrupt]);
      assert.equal(r.code, 2, `${action.join(' ')}: ${r.err}`);
      assert.match(r.err, /^tcfuzz: /);
    }
  });
});
