// Reduction: ddmin over program and pipeline against a stand-in question (fast, exact expectations), then
// `tcfuzz triage reduce` on findings recorded from real runs of known MLIR bugs, padded with passes and ops that
// have nothing to do with them: fewer ops, lines and passes, the reduced case stored beside the original, and
// the reduced case still reproducing when replayed.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { replay } from '../../cli/triage-replay.ts';
import { openCorpus } from '../../corpus/index.ts';
import { mlirCatalog } from '../../targets/mlir/target.ts';
import type { Candidate } from '../../triage/candidate.ts';
import { reduce, sizeOf } from '../../triage/reduce.ts';
import { toolchainSkip } from '../helpers/toolchain.ts';
import { bug, cli, PADDED_UNROLL_CRASH, PADDED_UNROLL_PIPELINE, recordRealFinding, storedText } from './real-finding.ts';

const root = mkdtempSync(join(tmpdir(), 'tcfuzz-reduce-'));

/** scf-for-loop-peeling's empty loop that runs once, after a loop over another buffer that has nothing to do with it. */
const PADDED_PEELING_MISCOMPILE = bug('scf-for-loop-peeling-empty-loop')
  .replace('func.func @main(%a: memref<1xi64>) {', `func.func @main(%a: memref<1xi64>, %b: memref<4xi32>) {
  %p0 = arith.constant 0 : index
  %p1 = arith.constant 1 : index
  %p4 = arith.constant 4 : index
  %k = arith.constant 7 : i32
  scf.for %j = %p0 to %p4 step %p1 {
    %x = memref.load %b[%j] : memref<4xi32>
    %y = arith.xori %x, %k : i32
    memref.store %y, %b[%j] : memref<4xi32>
  }`);
after(() => rmSync(root, { recursive: true, force: true }));

describe('reduce (ddmin over program and pipeline)', () => {
  it('keeps exactly what the question needs: an op, a pass, a non-default option', async () => {
    const program = storedText(PADDED_UNROLL_CRASH);
    const pipeline = mlirCatalog.parse(PADDED_UNROLL_PIPELINE);
    // "The bug" needs an arith.muli, and sccp, and the unroll pass with its option.
    const needs = (c: Candidate): boolean =>
      c.program.includes('"arith.muli"') && c.pipeline.some((s) => s.pass === 'sccp') && c.pipeline.some((s) => s.options?.['unroll-up-to-factor'] === true);
    let calls = 0;
    const r = await reduce({ program, pipeline }, {
      reproduces: async (cs) => {
        calls++;
        assert.ok(cs.length <= 8, 'batches of at most 8');
        return cs.map(needs);
      },
      catalog: mlirCatalog,
      deadline: Date.now() + 60_000,
    });
    assert.ok(needs(r));
    assert.deepEqual(r.pipeline.map((s) => s.pass), ['affine-loop-unroll', 'sccp']);
    // The muli stays with what it needs to verify: its two operands (zero constants once their producers go).
    assert.equal(r.after.ops, 5, r.program);
    assert.deepEqual([r.before.ops, r.before.passes, r.after.passes], [sizeOf({ program, pipeline }).ops, 5, 2]);
    assert.equal(r.timedOut, false);
    assert.ok(calls < r.tried, 'candidates go in batches');
  });

  it('halves buffer shapes and runs an else branch in place of its if, when the question allows', async () => {
    const program = storedText(`func.func @main(%a: memref<8x4xi32>, %b: memref<3xf32>) {
  %c0 = arith.constant 0 : index
  %t = arith.constant true
  %buf = memref.alloc() : memref<16xi8>
  scf.if %t {
    %one = arith.constant 1 : i32
    memref.store %one, %a[%c0, %c0] : memref<8x4xi32>
  } else {
    %two = arith.constant 2.0 : f32
    memref.store %two, %b[%c0] : memref<3xf32>
  }
  memref.dealloc %buf : memref<16xi8>
  return
}`);
    // "The bug" needs a store of an f32 constant; shapes and the if are free to go.
    const needs = (c: Candidate): boolean => /"memref\.store"\([^)]*\) : \(f32, memref</.test(c.program);
    const r = await reduce({ program, pipeline: [] }, { reproduces: async (cs) => cs.map(needs), catalog: mlirCatalog, deadline: Date.now() + 60_000 });
    assert.ok(needs(r), r.program);
    assert.ok(!r.program.includes('"scf.if"'), `the else branch stands in for the if:\n${r.program}`);
    assert.match(r.program, /function_type = \(memref<1x1xi32>, memref<1xf32>\) -> \(\)/, 'entry buffers halved down to one element');
    assert.doesNotMatch(r.program, /memref<16xi8>|memref<8x4xi32>/);
  });

  it('drops the arguments of other functions that the question does not need, at every call', async () => {
    const program = storedText(`func.func private @g(%x: i32, %m: memref<2xf32>, %y: f32) {
  %c0 = arith.constant 0 : index
  %z = arith.sitofp %x : i32 to f32
  %s = arith.addf %z, %y : f32
  memref.store %s, %m[%c0] : memref<2xf32>
  return
}
func.func @main(%m: memref<2xf32>) {
  %a = arith.constant 3 : i32
  %b = arith.constant 2.0 : f32
  func.call @g(%a, %m, %b) : (i32, memref<2xf32>, f32) -> ()
  func.call @g(%a, %m, %b) : (i32, memref<2xf32>, f32) -> ()
  return
}`);
    // "The bug" needs @g to store into the buffer it is passed.
    const needs = (c: Candidate): boolean => /"func\.call"/.test(c.program) && /"memref\.store"\([^)]*\) : \([^,]*, memref<\d*xf32>/.test(c.program);
    const r = await reduce({ program, pipeline: [] }, { reproduces: async (cs) => cs.map(needs), catalog: mlirCatalog, deadline: Date.now() + 60_000 });
    assert.ok(needs(r), r.program);
    assert.match(r.program, /function_type = \(memref<\d*xf32>\) -> \(\), sym_name = "g"/, `only the buffer is left:\n${r.program}`);
    assert.doesNotMatch(r.program, /"func\.call"\([^)]*,[^)]*\)/, 'each call passes the one buffer');
  });

  it('resets options the bug does not need, and stops at the deadline', async () => {
    const program = storedText(PADDED_UNROLL_CRASH);
    const pipeline = mlirCatalog.parse('builtin.module(func.func(affine-loop-unroll{unroll-factor=2 unroll-up-to-factor=true}))');
    const r = await reduce({ program, pipeline }, { reproduces: async (cs) => cs.map((c) => c.pipeline.length === 1), catalog: mlirCatalog, deadline: Date.now() + 60_000 });
    assert.deepEqual(r.pipeline, [{ pass: 'affine-loop-unroll', nest: ['func.func'] }]);
    let t = 0;
    const stopped = await reduce({ program, pipeline }, { reproduces: async (cs) => cs.map(() => true), catalog: mlirCatalog, deadline: 3, now: () => t++ });
    assert.equal(stopped.timedOut, true);
    assert.ok(stopped.tried <= 16, `${stopped.tried} candidates after the deadline`);
  });
});

describe('tcfuzz triage reduce', { skip: toolchainSkip() }, () => {
  it('a crash: fewer ops, lines and passes; the reduced case stored beside the original, and it still crashes', async () => {
    const db = join(root, 'crash.db');
    const id = await recordRealFinding(db, { program: PADDED_UNROLL_CRASH, pipeline: PADDED_UNROLL_PIPELINE, kind: 'crash' });
    const r = await cli(['triage', 'reduce', String(id), '--db', db, '--time', '60s']);
    assert.equal(r.code, 0, r.err);
    const m = /ops (\d+) → (\d+), lines (\d+) → (\d+), passes (\d+) → (\d+)/.exec(r.out);
    assert.ok(m, r.out);
    const [ops0, ops1, lines0, lines1, passes0, passes1] = m.slice(1).map(Number);
    assert.ok(ops1! < ops0! / 2, r.out);
    assert.ok(lines1! < lines0!, r.out);
    assert.deepEqual([passes0, passes1], [5, 1]);
    const c = openCorpus(db);
    try {
      const f = c.finding(id)!;
      assert.notEqual(f.reducedCase, undefined);
      const reduced = c.case(f.reducedCase!)!;
      assert.equal(reduced.pipeline.text, 'builtin.module(func.func(affine-loop-unroll{unroll-up-to-factor=true}))');
      assert.ok(c.case(f.case)!.program.text.includes('@helper'), 'the original case is kept');
      assert.ok(!reduced.program.text.includes('helper'), 'the unused function is gone');
      const again = await replay(c, id, { programText: reduced.program.text, pipelineText: reduced.pipeline.text });
      assert.equal(again.reproduces, true, JSON.stringify(again.findings));
    } finally {
      c.close();
    }
  });

  it('a miscompile: the innocent passes go, and the reduced case is still a UB-free wrong result', async () => {
    const db = join(root, 'miscompile.db');
    const id = await recordRealFinding(db, { program: PADDED_PEELING_MISCOMPILE, pipeline: 'builtin.module(cse,func.func(scf-for-loop-peeling),loop-invariant-code-motion)', kind: 'miscompile' });
    const r = await cli(['triage', 'reduce', String(id), '--db', db, '--time', '30s']);
    assert.equal(r.code, 0, r.err);
    const [ops0, ops1] = /ops (\d+) → (\d+)/.exec(r.out)!.slice(1).map(Number);
    assert.ok(ops1! <= ops0! - 8, r.out);
    assert.match(r.out, /passes 3 → 1/);
    const c = openCorpus(db);
    try {
      const reduced = c.case(c.finding(id)!.reducedCase!)!;
      assert.equal(reduced.pipeline.text, 'builtin.module(func.func(scf-for-loop-peeling))');
      const again = await replay(c, id, { programText: reduced.program.text, pipelineText: reduced.pipeline.text });
      assert.deepEqual([again.reproduces, again.ubFree], [true, true]);
      assert.ok(again.findings.some((f) => f.kind === 'miscompile' && f.executor === 'native'));
    } finally {
      c.close();
    }
  });
});
