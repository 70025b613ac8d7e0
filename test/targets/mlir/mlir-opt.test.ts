// Batched mlir-opt: per-module results from one process, diagnostics mapped back, crashing and hanging batches
// bisected, and verifier failures told apart from pass failures.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { hang } from '../../../oracles/hang.ts';
import { runMlirOpt } from '../../../targets/mlir/mlir-opt.ts';
import { parsePipeline } from '../../../targets/mlir/passes/pipeline.ts';
import type { Toolchain } from '../../../targets/mlir/toolchain.ts';
import { wrappedToolchain } from '../../helpers/toolchain.ts';
import { FIXTURES, toolchainSkip } from './helpers.ts';

const good = (op: string): string =>
  `func.func @main(%a: memref<4xi32>) {\n  %c0 = arith.constant 0 : index\n  %x = memref.load %a[%c0] : memref<4xi32>\n  %y = arith.${op} %x, %x : i32\n  memref.store %y, %a[%c0] : memref<4xi32>\n  return\n}\n`;
// The type error is on line 3 of this module, whatever its position in the batch.
const bad = 'func.func @main(%a: memref<4xi32>) {\n  %c0 = arith.constant 0 : index\n  %y = arith.addi %c0, %c0 : i32\n  return\n}\n';

/** A toolchain whose mlir-opt crashes or hangs on inputs holding a marker and otherwise is the real one. */
function fakeToolchain(): Toolchain {
  return wrappedToolchain('mlir-opt', [
    'case "$input" in *CRASH-ME*) echo "PLEASE submit a bug report" >&2; kill -SEGV $$;; esac',
    'case "$input" in *HANG-ME*) sleep 60;; esac',
  ]);
}

describe('runMlirOpt', { skip: toolchainSkip() }, () => {
  // cse leaves these ops alone (canonicalize would fold x^x and friends).
  const canon = parsePipeline('builtin.module(cse)');

  it('maps outputs and diagnostics back to each module of a batch', async () => {
    const r = await runMlirOpt([good('addi'), bad, good('muli')], canon);
    assert.deepEqual(
      r.map((x) => x.kind),
      ['ok', 'error', 'ok'],
    );
    assert.match(r[0]!.kind === 'ok' ? r[0]!.output : '', /arith\.addi/);
    assert.match(r[2]!.kind === 'ok' ? r[2]!.output : '', /arith\.muli/);
    const e = r[1]!;
    assert.ok(e.kind === 'error');
    if (e.kind !== 'error') return;
    assert.equal(e.diagnostics.length, 1);
    assert.equal(e.diagnostics[0]!.line, 3, 'diagnostic lines are relative to the module, not the batch');
  });

  it('bisects a batch that crashes to the module that crashes it', async () => {
    const tc = fakeToolchain();
    const mods = [good('addi'), good('muli') + '// CRASH-ME\n', good('subi'), good('xori')];
    const r = await runMlirOpt(mods, canon, { toolchain: tc });
    assert.deepEqual(
      r.map((x) => x.kind),
      ['ok', 'crash', 'ok', 'ok'],
    );
    const c = r[1]!;
    assert.equal(c.kind === 'crash' && c.crash.signal, 'SIGSEGV');
    assert.match(r[3]!.kind === 'ok' ? r[3]!.output : '', /arith\.xori/);
  });

  it('bisects a real mlir-opt crash out of a batch (fixtures/backends/bugs/int-range-optimizations-affine-for-ssa-bound.mlir)', async () => {
    const crashing = readFileSync(join(FIXTURES, 'bugs', 'int-range-optimizations-affine-for-ssa-bound.mlir'), 'utf8');
    const r = await runMlirOpt([good('addi'), crashing, good('muli')], parsePipeline('func.func(int-range-optimizations)'));
    assert.deepEqual(
      r.map((x) => x.kind),
      ['ok', 'crash', 'ok'],
    );
    const c = r[1]!;
    if (c.kind === 'crash') {
      assert.ok(['SIGBUS', 'SIGSEGV'].includes(c.crash.signal ?? ''), c.crash.signal);
      assert.ok(c.crash.frames.slice(0, 4).some((f) => /IntegerRangeAnalysis/.test(f.fn ?? '')), JSON.stringify(c.crash.frames.slice(0, 4)));
    }
  });

  it('gives a crash to the module after the last output, and runs no module again', async () => {
    const crashing = readFileSync(join(FIXTURES, 'bugs', 'affine-loop-unroll-up-to-factor-zero-trip.mlir'), 'utf8');
    const runs = join(mkdtempSync(join(tmpdir(), 'tcfuzz-runs-')), 'runs');
    const tc = wrappedToolchain('mlir-opt', [`echo run >> ${runs}`]);
    const r = await runMlirOpt([good('addi'), good('muli'), crashing, good('subi')], parsePipeline('func.func(affine-loop-unroll{unroll-up-to-factor=true})'), { toolchain: tc });
    assert.deepEqual(
      r.map((x) => x.kind),
      ['ok', 'ok', 'crash', 'ok'],
    );
    const c = r[2]!;
    assert.ok(c.kind === 'crash' && c.crash.signal === 'SIGFPE');
    assert.ok(c.kind === 'crash' && c.crash.frames.some((f) => /loopUnrollByFactor/.test(f.fn ?? '')), 'the unsymbolized stack still names the function');
    assert.match(r[3]!.kind === 'ok' ? r[3]!.output : '', /arith\.subi/);
    assert.equal(readFileSync(runs, 'utf8').split('\n').filter(Boolean).length, 2, 'one run for the batch, one for the module after the crash');
  });

  it('bisects a batch that hangs', async () => {
    const tc = fakeToolchain();
    const r = await runMlirOpt([good('addi') + '// HANG-ME\n', good('muli')], canon, { toolchain: tc, timeoutMs: 1500, perModuleMs: 0 });
    assert.deepEqual(
      r.map((x) => x.kind),
      ['hang', 'ok'],
    );
  });

  it('stops a hang with SIGABRT, so its stack says where mlir-opt was looping and signs the hang', async () => {
    const looping = readFileSync(join(FIXTURES, 'bugs', 'conversion-empty-vector-mask-hang.mlir'), 'utf8');
    const [h] = await runMlirOpt([looping], parsePipeline('builtin.module(memref-expand)'), { timeoutMs: 1500 });
    assert.equal(h!.kind, 'hang');
    const stack = h!.kind === 'hang' ? (h!.stack?.frames ?? []) : [];
    assert.ok(stack.length >= 1, 'a stack is printed');
    // The signal lands on an arbitrary instruction of the loop, and from a few of them (1 to 3 runs in 30) the
    // unwinder gets no further than that first, unnamed frame; the hang is then signed by the pipeline, as one
    // with no stack is. Otherwise the stack reaches the conversion driver.
    if (stack.length === 1) return;
    assert.ok(stack.some((f) => /applyPartialConversion/.test(f.fn ?? '')), stack.map((f) => f.fn).join('\n'));
    // Signed as the hang oracle signs it: whichever part of the loop the signal hit, the named frames are MLIR's.
    const [found] = hang.judge({ case: { name: 'c', program: { text: looping, entry: { name: 'main', args: [] } }, pipeline: parsePipeline('builtin.module(memref-expand)'), inputSeed: 0 }, reference: { kind: 'ok', buffers: [], stdout: new Uint8Array(), taint: [], opsExecuted: new Set(), steps: 1, ms: {} }, referenceLayout: { indexBits: 64 }, outcomes: new Map([['native', { outcome: { kind: 'hang', stage: 'mlir-opt', tool: h!.tool, ...(h!.kind === 'hang' && h!.stack && { stack: h!.stack }), ms: {} }, limits: { indexBits: 64 } }]]) });
    assert.match(found!.signature, /^hang\|mlir-opt\|mlir::[\w:]+ < mlir::[\w:]+ < mlir::[\w:]+$/);
    assert.doesNotMatch(found!.signature, /memref-expand/, 'named by its stack, not by the pipeline');
  });

  it('gives a hang its stack and the modules around it their results, and runs neither the hang nor a module before it again', async () => {
    // The conversion logs a record per arith op of the functions before the looping one, so mlir-opt's buffered
    // output brings the first module's marker while the second runs: the log then shows the second had its budget.
    const looping = Array.from({ length: 60 }, (_, k) => good('addi').replace('@main', `@f${k}`)).join('') + readFileSync(join(FIXTURES, 'bugs', 'conversion-empty-vector-mask-hang.mlir'), 'utf8');
    const runs = join(mkdtempSync(join(tmpdir(), 'tcfuzz-runs-')), 'runs');
    const tc = wrappedToolchain('mlir-opt', [`echo run >> ${runs}`]);
    const opts = { toolchain: tc, timeoutMs: 1500, perModuleMs: 300, coverage: true };
    const r = await runMlirOpt([good('addi'), looping, good('muli')], parsePipeline('builtin.module(convert-arith-to-llvm)'), opts);
    assert.deepEqual(
      r.map((x) => x.kind),
      ['ok', 'hang', 'ok'],
    );
    const h = r[1]!;
    // The stack of the batch run says where it looped, unless the unwinder stopped at the first frame (see above).
    assert.ok(h.kind === 'hang' && h.stack && h.stack.frames.length >= 1, 'a stack is printed');
    assert.ok(h.stack.frames.length === 1 || h.stack.frames.some((f) => /applyPartialConversion/.test(f.fn ?? '')), h.stack.frames.map((f) => f.fn).join('\n'));
    assert.ok([...(h.features?.keys() ?? [])].some((f) => f.startsWith('pass:')), 'what the log had for the hanging module');
    assert.match(r[2]!.kind === 'ok' ? r[2]!.output : '', /llvm\.mul/);
    assert.equal(readFileSync(runs, 'utf8').split('\n').filter(Boolean).length, 2, 'one run for the batch, one for the module after the hang');
  });

  it('resumes a batch at a module that ran out of time without a budget of its own, so the modules before it run once', async () => {
    // Tiny outputs stay in mlir-opt's buffer, so no marker says when the looping module began: it may only be slow.
    const looping = readFileSync(join(FIXTURES, 'bugs', 'conversion-empty-vector-mask-hang.mlir'), 'utf8');
    const batches = join(mkdtempSync(join(tmpdir(), 'tcfuzz-runs-')), 'batches');
    const tc = wrappedToolchain('mlir-opt', [`printf '%s\\n' "$input" | grep -c 'tcfuzz-split' >> ${batches}`]);
    const r = await runMlirOpt([good('addi'), looping, good('muli')], parsePipeline('builtin.module(memref-expand)'), { toolchain: tc, timeoutMs: 1500, perModuleMs: 300, coverage: true });
    assert.deepEqual(
      r.map((x) => x.kind),
      ['ok', 'hang', 'ok'],
    );
    // Split markers per run: all three modules, then the looping one first with the last, then the last alone.
    assert.deepEqual(readFileSync(batches, 'utf8').split('\n').filter(Boolean), ['2', '1', '0']);
  });

  it('tells a verifier failure after a pass from a pass failure', async () => {
    const buggy = readFileSync(join(FIXTURES, 'bugs', 'scf-extract-fixed-outer-loops-iter-args.mlir'), 'utf8');
    const [v] = await runMlirOpt([buggy], parsePipeline('func.func(test-extract-fixed-outer-loops{test-outer-loop-sizes=2})'));
    assert.equal(v!.kind, 'verifier');
    if (v!.kind === 'verifier') {
      assert.equal(v!.pass, 'test-extract-fixed-outer-loops');
      assert.match(v!.diagnostics[0]!.message, /does not dominate/);
      assert.match(v!.ir, /scf\.for/, 'the invalid IR is recovered');
    }
    const [f] = await runMlirOpt([good('addi')], parsePipeline('func.func(cse,test-pass-failure)'));
    assert.equal(f!.kind, 'pass-failure');
    assert.equal(f!.kind === 'pass-failure' && f!.pass, 'test-pass-failure');
  });

  it('finds which instance of a repeated pass broke the IR', async () => {
    // The first instance runs on valid IR and succeeds; the second sees the same IR and also succeeds, so only the
    // third (after test-pass-create-invalid-ir) fails. The verdict must still be "verifier", pass cse.
    const [v] = await runMlirOpt([good('addi')], parsePipeline('func.func(cse,cse,test-pass-create-invalid-ir{emit-invalid-ir=true},cse)'));
    assert.equal(v!.kind, 'verifier');
    assert.equal(v!.kind === 'verifier' && v!.pass, 'test-pass-create-invalid-ir');
  });

  it('classifies several failing modules of one batch independently', async () => {
    const buggy = readFileSync(join(FIXTURES, 'bugs', 'scf-extract-fixed-outer-loops-iter-args.mlir'), 'utf8');
    const r = await runMlirOpt([bad, good('addi'), buggy], parsePipeline('func.func(test-extract-fixed-outer-loops{test-outer-loop-sizes=2})'));
    assert.deepEqual(
      r.map((x) => x.kind),
      ['error', 'ok', 'verifier'],
    );
  });
});
