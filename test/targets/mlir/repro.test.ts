// `tcfuzz repro ID --out DIR` on findings made by the real check unit (the reference, the native and wasm
// executors, the default oracles) from the compiler bugs in fixtures/backends/bugs/, stored through the Corpus API.
// Each written repro.sh runs from a copy outside the repository under an empty environment (PATH=/usr/bin:/bin):
// exit 1 while the bug is there, 0 once the guilty pass is taken out of its pipeline line (or the pipeline is made to
// avoid it), 2 when it cannot run. A wasm finding's wrong run replays on the wasm path, in V8.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { checkCases } from '../../../check/check-cases.ts';
import { testCase } from '../../../cli/check.ts';
import { formatInvalid, loadPrograms } from '../../../cli/program-files.ts';
import type { FindingRecord } from '../../../contracts/corpus.ts';
import { openCorpus } from '../../../corpus/index.ts';
import { defaultOracles } from '../../../oracles/index.ts';
import { parsePipeline } from '../../../targets/mlir/passes/pipeline.ts';
import { mlirCatalog } from '../../../targets/mlir/target.ts';
import { createExecutor, reference } from '../../../targets/registry.ts';
import { toolchainSkip } from '../../helpers/toolchain.ts';
import { cli } from '../../helpers/cli.ts';

const skip = toolchainSkip(['mlir-opt', 'mlir-runner', 'mlir-translate', 'llc', 'wasm-ld']);
const BUGS = join(import.meta.dirname, '../../../fixtures/backends/bugs');
const root = mkdtempSync(join(tmpdir(), 'tcfuzz-repro-'));
after(() => rmSync(root, { recursive: true, force: true }));

const UNROLL = 'affine-loop-unroll{unroll-up-to-factor=true}';
const EXTRACT = 'test-extract-fixed-outer-loops{test-outer-loop-sizes=2}';
const PEELING = 'scf-for-loop-peeling';
const CASES: readonly (readonly [file: string, pipeline: string])[] = [
  ['affine-loop-unroll-up-to-factor-zero-trip.mlir', `builtin.module(func.func(${UNROLL}))`],
  ['canonicalize-affine-for-empty-lower-bound.mlir', 'builtin.module(canonicalize)'],
  ['scf-for-loop-peeling-empty-loop.mlir', `builtin.module(func.func(${PEELING}))`],
  ['scf-extract-fixed-outer-loops-iter-args.mlir', `builtin.module(func.func(${EXTRACT}))`],
  ['canonicalize-affine-for-max-bound-mod.mlir', 'builtin.module(canonicalize)'],
];

async function load(files: readonly string[]) {
  return (await loadPrograms(files, (bad) => assert.fail(formatInvalid(bad)))).programs;
}

/** Every finding of checking `cases` (files in BUGS, or absolute) on `backends`, stored as `tcfuzz fuzz` stores them; id by kind/executor/file. */
async function findingsStore(db: string, backends: readonly string[], cases: readonly (readonly [string, string])[]): Promise<Map<string, number>> {
  const programs = await load(cases.map(([f]) => resolve(BUGS, f)));
  const executors = backends.map(createExecutor);
  const corpus = openCorpus(db, { create: true });
  const ids = new Map<string, number>();
  try {
    const tests = programs.map((p, k) => testCase(p, parsePipeline(cases[k]![1]), 3));
    for await (const r of checkCases(tests, { reference, executors, oracles: defaultOracles(mlirCatalog) })) {
      const k = tests.indexOf(r.case);
      const stored = corpus.storeCase({ text: r.case.program.text, pipeline: cases[k]![1], inputSeed: r.case.inputSeed });
      for (const f of r.findings) ids.set(`${f.kind}/${f.executor}/${cases[k]![0]}`, corpus.recordFinding(f, { case: stored }).id);
    }
  } finally {
    corpus.close();
    await Promise.all(executors.map((e) => e.close()));
  }
  return ids;
}


let dirs = 0;
/** Writes finding `id`'s reproducer with the CLI; tcfuzz's own check run of it must say it reproduces. */
async function repro(id: number, db: string): Promise<string> {
  const dir = join(root, `out${dirs++}`);
  const r = await cli(['repro', String(id), '--out', dir, '--db', db]);
  assert.equal(r.code, 0, r.out + r.err);
  assert.match(r.out, new RegExp(`^finding #${id} reproduces with ${dir}/repro\\.sh$`, 'm'));
  return dir;
}

/**
 * repro.sh of a copy of `dir` in a fresh folder, optionally with `drop` taken out of its pipeline line (or `swap`'s
 * first pass replaced by its second), run by bash with PATH=/usr/bin:/bin and nothing else (plus `env`): no
 * node_modules, no build/, no tcfuzz.
 */
function runCopy(dir: string, opts: { drop?: string; swap?: readonly [string, string]; env?: Record<string, string> } = {}): { status: number | null; out: string; copy: string } {
  const copy = mkdtempSync(join(root, 'copy-'));
  cpSync(dir, copy, { recursive: true });
  const [from, to] = opts.swap ?? (opts.drop !== undefined ? [opts.drop, ''] : []);
  if (from !== undefined) {
    const script = join(copy, 'repro.sh');
    const text = readFileSync(script, 'utf8');
    const edited = text.replace(/^pipeline='.*'$/m, (line) => line.replace(from + ',', to ? to + ',' : ''));
    assert.notEqual(edited, text, `no ${from} in the pipeline line`);
    writeFileSync(script, edited);
  }
  const r = spawnSync('env', ['-i', 'PATH=/usr/bin:/bin', ...Object.entries(opts.env ?? {}).map(([k, v]) => `${k}=${v}`), 'bash', join(copy, 'repro.sh')], { encoding: 'utf8' });
  return { status: r.status, out: r.stdout + r.stderr, copy };
}

describe('tcfuzz repro', { skip }, () => {
  const db = join(root, 'findings.db');
  let ids: Map<string, number>;
  const id = (key: string): number => {
    const n = ids.get(key);
    assert.ok(n !== undefined, `no finding ${key} among ${[...ids.keys()].join(', ')}`);
    return n;
  };
  before(async () => {
    ids = await findingsStore(db, ['native', 'wasm'], CASES.slice(0, 3));
  });

  it('an mlir-opt crash: the same pipeline crashes in the same function; without the pass it does not', async () => {
    const dir = await repro(id('crash/native/affine-loop-unroll-up-to-factor-zero-trip.mlir'), db);
    assert.deepEqual(['input.mlir', 'repro.sh'].map((f) => existsSync(join(dir, f))), [true, true]);
    const script = readFileSync(join(dir, 'repro.sh'), 'utf8');
    assert.match(script, /^# Reproduces when mlir-opt crashes \(a signal, or LLVM's crash banner\) with `loopUnrollByFactor` on its stack\.$/m);
    const r = runCopy(dir);
    assert.equal(r.status, 1, r.out);
    assert.match(r.out, /^repro\.sh: REPRODUCES: mlir-opt crashed in loopUnrollByFactor \(exit 136\)$/m);
    const fixed = runCopy(dir, { drop: UNROLL });
    assert.equal(fixed.status, 0, fixed.out);
    assert.match(fixed.out, /^repro\.sh: does not reproduce: mlir-opt exited 0 without crashing$/m);
  });

  it('invalid IR: the same message from the same pass; the same message from another pass is another bug', async () => {
    const dir = await repro(id('invalid-ir/native/canonicalize-affine-for-empty-lower-bound.mlir'), db);
    const r = runCopy(dir);
    assert.equal(r.status, 1, r.out);
    assert.match(r.out, /REPRODUCES: mlir-opt failed in canonicalize: 'affine\.for' op expected lower bound map to have at least one result$/m);
    // The suffix's lower-vector-multi-reduction runs the same greedy rewriter and breaks the IR the same way.
    const other = runCopy(dir, { drop: 'canonicalize' });
    assert.equal(other.status, 0, other.out);
    assert.match(other.out, /does not reproduce: mlir-opt failed, but not in pass canonicalize/);
    assert.match(readFileSync(join(other.copy, 'mlir-opt.stderr'), 'utf8'), /IR Dump After \w+ Failed \(lower-vector-multi-reduction\)/);
  });

  it('a miscompile: the program runs with the exact inputs and its buffers are compared with the reference', async () => {
    const dir = await repro(id('miscompile/native/scf-for-loop-peeling-empty-loop.mlir'), db);
    for (const f of ['input.mlir', 'entry.mlir', 'input-arg0.bin', 'expected.txt', 'actual.txt', 'compare.json', 'compare.mjs']) assert.ok(existsSync(join(dir, f)), f);
    assert.equal(readFileSync(join(dir, 'input-arg0.bin')).length, 8);
    const r = runCopy(dir);
    assert.equal(r.status, 1, r.out);
    assert.match(r.out, /^ {2}arg0\[0\] i64: expected \d+, actual 0$/m);
    const fixed = runCopy(dir, { drop: PEELING });
    assert.equal(fixed.status, 0, fixed.out);
    assert.equal(readFileSync(join(fixed.copy, 'actual.txt'), 'utf8'), readFileSync(join(fixed.copy, 'expected.txt'), 'utf8'));
  });

  it('exits 2 with a message when a tool is missing', async () => {
    const dir = await repro(id('crash/native/affine-loop-unroll-up-to-factor-zero-trip.mlir'), db);
    const r = runCopy(dir, { env: { TCFUZZ_LLVM_BIN: join(root, 'no-such-dir') } });
    assert.equal(r.status, 2);
    assert.match(r.out, /^repro\.sh: cannot run: mlir-opt not found in .*no-such-dir: install LLVM 22/m);
  });

  it('refuses bad input with exit 2 and one line', async () => {
    const file = join(root, 'a-file');
    writeFileSync(file, 'not a folder');
    const used = await repro(id('crash/native/affine-loop-unroll-up-to-factor-zero-trip.mlir'), db);
    const corrupt = join(root, 'corrupt.db');
    writeFileSync(corrupt, 'SQLite format 3\0 and then garbage');
    for (const [argv, message] of [
      [['repro', '99', '--out', join(root, 'x'), '--db', db], /^tcfuzz: no finding 99 in /],
      [['repro', '1', '--out', join(root, 'x'), '--db', join(root, 'missing.db')], /missing\.db/],
      [['repro', '1', '--out', join(root, 'x'), '--db', corrupt], /corrupt\.db/],
      [['repro', '1', '--out', join(file, 'sub'), '--db', db], /^tcfuzz: cannot make --out .*a-file\/sub/],
      [['repro', '1', '--out', file, '--db', db], /^tcfuzz: --out .*a-file is not a folder$/],
      [['repro', '1', '--out', used, '--db', db], /^tcfuzz: --out .* already holds a repro\.sh/],
      [['repro', 'one', '--out', join(root, 'x'), '--db', db], /a finding ID is a positive integer/],
      [['repro', '1', '--db', db], /out/],
    ] as const) {
      const r = await cli([...argv]);
      assert.equal(r.code, 2, `${argv.join(' ')}: ${r.out}${r.err}`);
      assert.match(r.err.split('\n')[0]!, message, argv.join(' '));
      assert.doesNotMatch(r.err, /^\s+at /m, 'a stack trace');
    }
    assert.equal(existsSync(join(root, 'x')), false, 'a refused repro made its folder');
  });
});

describe('tcfuzz repro of wasm findings', { skip }, () => {
  const db = join(root, 'wasm.db');
  let ids: Map<string, number>;
  before(async () => {
    ids = await findingsStore(db, ['wasm'], CASES.slice(3));
  });

  it('at mlir-opt: carries the 32-bit-index module attribute and the transform library the wasm lowering reads', async () => {
    const dir = await repro(ids.get('invalid-ir/wasm/scf-extract-fixed-outer-loops-iter-args.mlir')!, db);
    assert.match(readFileSync(join(dir, 'input.mlir'), 'utf8'), /dlti\.dl_spec = #dlti\.dl_spec<index = 32 : i64>/);
    assert.match(readFileSync(join(dir, 'repro.sh'), 'utf8'), /transform-library-paths=wasm-vector-lowering\.mlir/);
    assert.ok(existsSync(join(dir, 'wasm-vector-lowering.mlir')));
    const r = runCopy(dir);
    assert.equal(r.status, 1, r.out);
    assert.match(r.out, /REPRODUCES: mlir-opt failed in test-extract-fixed-outer-loops: does not dominate this use$/m);
    assert.equal(runCopy(dir, { drop: EXTRACT }).status, 0);
  });

  it("a miscompile is replayed on the wasm path, in V8 with tcfuzz's host and nothing but node", async () => {
    const dir = await repro(ids.get('miscompile/wasm/canonicalize-affine-for-max-bound-mod.mlir')!, db);
    const script = readFileSync(join(dir, 'repro.sh'), 'utf8');
    assert.match(script, /^# This script replays the wasm path: mlir-opt, mlir-translate, llc \(wasm32\), wasm-ld \(tcfuzz links a batch of$/m);
    assert.doesNotMatch(script, /mlir_runner|mlir-runner/);
    assert.match(readFileSync(join(dir, 'input.mlir'), 'utf8'), /dlti\.dl_spec = #dlti\.dl_spec<index = 32 : i64>/);
    const r = runCopy(dir);
    assert.equal(r.status, 1, r.out);
    assert.match(r.out, /^ {2}arg0\[4\] i32: expected 7, actual 6$/m);
    // The entry went through the wasm32 lowering (an i32 index in its descriptor), wasm-ld, and V8 without a trap.
    assert.match(readFileSync(join(r.copy, 'run.mlir'), 'utf8'), /llvm\.call @main\(%p0, %p0, %o0, %s0_0, %t0_0\) : \(!llvm\.ptr, !llvm\.ptr, i32, i32, i32\) -> \(\)/);
    assert.ok(existsSync(join(r.copy, 'lowered.wasm')));
    assert.equal(readFileSync(join(r.copy, 'run.stderr'), 'utf8'), '');
    // Without canonicalize the suffix's convert-vector-to-scf applies the same rewrite (see the fixture); lowering
    // affine first leaves it no affine.for to break.
    const fixed = runCopy(dir, { swap: ['canonicalize', 'lower-affine'] });
    assert.equal(fixed.status, 0, fixed.out);
    assert.match(fixed.out, /^repro\.sh: does not reproduce: the result matches the reference$/m);
  });
});

describe('the reproducer entry prints every element type exactly', { skip }, () => {
  // Natively, and on wasm32 (4-byte index) in V8 through tcfuzz's host: its f16, bf16 and i128 builtins, its printers.
  for (const [executor, tool, indexBytes] of [['native', 'mlir-runner', 8], ['wasm', 'v8', 4]] as const) {
    it(`${executor}: a program the backend runs right matches the reference, to the bit where the oracle is exact`, async () => {
      const dir = mkdtempSync(join(root, 'types-'));
      const program = join(dir, 'types.mlir');
      writeFileSync(program, TYPES);
      const programs = await load([program]);
      const db = join(dir, 'types.db');
      const corpus = openCorpus(db, { create: true });
      const stored = corpus.storeCase({ text: programs[0]!.text, pipeline: 'builtin.module(canonicalize)', inputSeed: 11 });
      // A miscompile record for a program the backend runs right: what the oracle would say if it went wrong.
      const fake: FindingRecord = {
        kind: 'miscompile', executor, tool, frames: [], agreeing: [], detail: 'arg2[1] i128: 1 vs 2',
        difference: { kind: 'buffer', buffer: 2, index: 1, dtype: 'i128', values: ['1', '2'], tainted: false }, signature: `miscompile|${executor}|canonicalize|memref.store`,
      };
      const fid = corpus.recordFinding(fake, { case: stored }).id;
      corpus.close();
      const out = join(dir, 'repro');
      const r = await cli(['repro', String(fid), '--out', out, '--db', db]);
      assert.equal(r.code, 2, r.out + r.err);
      assert.match(r.err, /^tcfuzz: warning: .*repro\.sh was written, but it does not reproduce here \(does not reproduce: the result matches the reference\)$/m);
      assert.equal(readFileSync(join(out, 'input-arg4.bin')).length, 2 * indexBytes);
      // 3 i1, 2 i5, 2 i128 (two words each), 2 f16, 2 index, 3 f32, 2 bf16 after the program's own line.
      const actual = readFileSync(join(out, 'actual.txt'), 'utf8').split('\n');
      assert.equal(actual.length, 1 + 1 + 3 + 2 + 4 + 2 + 2 + 3 + 2 + 1);
      // Every element's bits, except f32's NaN (its sign differs) and sin (within the tolerance): change one and it counts.
      const expected = join(out, 'expected.txt');
      const lines = readFileSync(expected, 'utf8').split('\n');
      lines[3] = String(1 - Number(lines[3]));
      lines[13] = String(BigInt(lines[13]!) ^ 1n);
      writeFileSync(expected, lines.join('\n'));
      const wrong = runCopy(out);
      assert.equal(wrong.status, 1, wrong.out);
      assert.match(wrong.out, /^ {2}arg0\[1\] i1: expected \d, actual \d$/m);
      assert.match(wrong.out, /^ {2}arg4\[0\] index: expected \d+, actual \d+$/m);
    });
  }
});

describe('paths no fixture bug takes', { skip }, () => {
  it('a trap and a hang while running (native, then wasm) and an llc crash on wasm: on a program that compiles and runs right, each says gone', async () => {
    const dir = mkdtempSync(join(root, 'paths-'));
    writeFileSync(join(dir, 'types.mlir'), TYPES);
    const [program] = await load([join(dir, 'types.mlir')]);
    const db = join(dir, 'paths.db');
    const corpus = openCorpus(db, { create: true });
    const stored = corpus.storeCase({ text: program!.text, pipeline: 'builtin.module(cse)', inputSeed: 4 });
    const record = (f: Omit<FindingRecord, 'frames' | 'agreeing'> & { frames?: string[] }) => corpus.recordFinding({ frames: [], agreeing: [], ...f }, { case: stored }).id;
    const expectations = [
      [record({ kind: 'runtime-trap', executor: 'native', stage: 'run', tool: 'mlir-runner', detail: 'killed by SIGSEGV', signature: 'runtime-trap|mlir-runner|cse|memory fault' }), /does not reproduce: the program ran to the end/],
      [record({ kind: 'hang', executor: 'native', stage: 'run', tool: 'mlir-runner', detail: 'ran past 10 s', signature: 'hang|mlir-runner|cse' }), /does not reproduce: the program finished \(exit 0\) within the time limit/],
      // The wasm path up to llc: translate, the bfloat renaming (the program stores bf16), llc for wasm32.
      [record({ kind: 'crash', executor: 'wasm', stage: 'llc', tool: 'llc', frames: ['llvm::SelectionDAGISel::CodeGenAndEmitDAG', 'libLLVM.so'], detail: 'llc crashed', signature: 'crash|llc|llvm::SelectionDAGISel::CodeGenAndEmitDAG' }), /does not reproduce: llc exited 0 without crashing/],
      [record({ kind: 'runtime-trap', executor: 'wasm', stage: 'run', tool: 'v8', detail: 'memory access out of bounds', signature: 'runtime-trap|v8|cse|memory fault' }), /does not reproduce: the program ran to the end/],
      [record({ kind: 'hang', executor: 'wasm-liftoff', stage: 'run', tool: 'v8', detail: 'ran past 10 s', signature: 'hang|v8|cse' }), /does not reproduce: the program finished \(exit 0\) within the time limit/],
    ] as const;
    corpus.close();
    for (const [id, said] of expectations) {
      const out = join(dir, `repro-${id}`);
      const r = await cli(['repro', String(id), '--out', out, '--db', db]);
      assert.equal(r.code, 2, r.out + r.err);
      assert.match(r.err, said);
    }
    assert.ok(existsSync(join(dir, 'repro-3', 'lowered.o')), 'llc did not run');
    assert.match(readFileSync(join(dir, 'repro-3', 'lowered.ll'), 'utf8'), /\bbfloat\b/);
    assert.doesNotMatch(readFileSync(join(dir, 'repro-3', 'lowered-wasm.ll'), 'utf8'), /\bbfloat\b/);
    // The wasm runs went through V8, the Liftoff one with V8's flags for it.
    for (const wasm of ['repro-4', 'repro-5']) assert.deepEqual(['lowered.wasm', 'run.stderr', 'mlir-runner.stderr'].map((f) => existsSync(join(dir, wasm, f))), [true, true, false]);
    assert.match(readFileSync(join(dir, 'repro-5', 'repro.sh'), 'utf8'), /^timeout "\$\{TCFUZZ_REPRO_TIMEOUT:-60\}" "\$node" --liftoff --no-wasm-tier-up --max-old-space-size=2048 run\.mjs /m);
  });
});

describe('tcfuzz repro of a wasm trap', { skip }, () => {
  it('a program that traps in V8 reproduces with the trap message; the runtime-trap finding is the real check run\'s', async () => {
    // buffer-loop-hoisting moves the loop's alloc out of it and leaves the dealloc in, so the block is freed on
    // every iteration (reduced from a fuzz campaign's finding); the wasm host traps on the second free.
    const dir = mkdtempSync(join(root, 'trap-'));
    const file = join(dir, 'loop-dealloc.mlir');
    writeFileSync(file, HOISTED_DEALLOC);
    const db = join(dir, 'trap.db');
    const ids = await findingsStore(db, ['wasm'], [[file, 'builtin.module(func.func(buffer-loop-hoisting))']]);
    const id = ids.get(`runtime-trap/wasm/${file}`);
    assert.ok(id !== undefined, [...ids.keys()].join(', '));
    const r = runCopy(await repro(id, db));
    assert.equal(r.status, 1, r.out);
    assert.match(r.out, /^repro\.sh: REPRODUCES: the program trapped in V8: double free or corruption: free\(0x[0-9a-f]+\) of a block already freed \(see run\.stderr\)$/m);
  });
});

const HOISTED_DEALLOC = `func.func @main(%m: memref<1xi64>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  scf.for %i = %c0 to %c3 step %c1 {
    %a = memref.alloc() : memref<1xi64>
    memref.dealloc %a : memref<1xi64>
  }
  return
}
`;

const TYPES = `func.func @main(%a: memref<3xi1>, %b: memref<2xi5>, %c: memref<2xi128>, %d: memref<2xf16>, %e: memref<2xindex>, %f: memref<3xf32>, %g: memref<2xbf16>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %x = memref.load %c[%c0] : memref<2xi128>
  %y = arith.muli %x, %x : i128
  memref.store %y, %c[%c1] : memref<2xi128>
  %b0 = memref.load %b[%c0] : memref<2xi5>
  %b1 = arith.addi %b0, %b0 : i5
  memref.store %b1, %b[%c1] : memref<2xi5>
  %f0 = memref.load %f[%c0] : memref<3xf32>
  %s = math.sin %f0 : f32
  memref.store %s, %f[%c1] : memref<3xf32>
  %zero = arith.constant 0.0 : f32
  %nan = arith.divf %zero, %zero : f32
  memref.store %nan, %f[%c2] : memref<3xf32>
  vector.print %f0 : f32
  %d0 = memref.load %d[%c0] : memref<2xf16>
  %d1 = arith.mulf %d0, %d0 : f16
  memref.store %d1, %d[%c1] : memref<2xf16>
  %e0 = memref.load %e[%c0] : memref<2xindex>
  %e1 = arith.addi %e0, %c2 : index
  memref.store %e1, %e[%c1] : memref<2xindex>
  %a0 = memref.load %a[%c0] : memref<3xi1>
  %a1 = arith.xori %a0, %a0 : i1
  memref.store %a1, %a[%c1] : memref<3xi1>
  %g0 = memref.load %g[%c0] : memref<2xbf16>
  memref.store %g0, %g[%c1] : memref<2xbf16>
  return
}
`;
