// Coverage from mlir-opt's action log: the streaming splitter on real output, features attributed to the right
// module of a batch, the printed IR unchanged by logging, diagnostics as features, and both executors passing
// features through.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ActionLogSplitter, normaliseDiagnostic, opName } from '../../../targets/mlir/action-log.ts';
import { runMlirOpt, SPLIT_MARKER } from '../../../targets/mlir/mlir-opt.ts';
import { NativeExecutor } from '../../../targets/mlir/native/executor.ts';
import { parsePipeline } from '../../../targets/mlir/passes/pipeline.ts';
import { WasmExecutor } from '../../../targets/mlir/wasm/executor.ts';
import { toolchainSkip } from './helpers.ts';

// Module A: affine loops and memory ops. Module B: arith and scf only, with an scf.index_switch, whose pattern
// records span several lines of the log.
const affineModule = `func.func @main(%a: memref<8xi32>) {
  affine.for %i = 0 to 8 {
    %x = affine.load %a[%i] : memref<8xi32>
    %y = arith.addi %x, %x : i32
    affine.store %y, %a[%i] : memref<8xi32>
  }
  return
}
`;
const arithModule = `func.func @main(%a: memref<4xi32>) {
  %c1 = arith.constant 1 : index
  %c0 = arith.constant 0 : index
  %x = memref.load %a[%c0] : memref<4xi32>
  %r = scf.index_switch %c1 -> i32
  case 1 {
    %m = arith.muli %x, %x : i32
    scf.yield %m : i32
  }
  case 2 {
    scf.yield %x : i32
  }
  default {
    %s = arith.subi %x, %x : i32
    scf.yield %s : i32
  }
  memref.store %r, %a[%c0] : memref<4xi32>
  return
}
`;
const badModule = 'func.func @main(%a: memref<4xi32>) {\n  %c0 = arith.constant 0 : index\n  %y = arith.addi %c0, %c0 : i32\n  return\n}\n';

const pipeline = parsePipeline('builtin.module(canonicalize,cse,func.func(affine-loop-unroll))');
const features = (r: { features?: ReadonlyMap<string, number> }): Map<string, number> => new Map(r.features ?? []);
const keys = (m: ReadonlyMap<string, number>, re: RegExp): string[] => [...m.keys()].filter((k) => re.test(k)).sort();

describe('mlir-opt coverage (--log-actions-to=-)', { skip: toolchainSkip() }, () => {
  it('attributes each module its own passes and patterns, and prints the same IR as without the log (generic form)', async () => {
    const mods = [affineModule, arithModule, affineModule];
    const [logged, plain] = await Promise.all([runMlirOpt(mods, pipeline, { coverage: 'log' }), runMlirOpt(mods, pipeline, { extraArgs: ['--mlir-print-op-generic'] })]);
    assert.deepEqual(
      logged.map((r) => r.kind),
      ['ok', 'ok', 'ok'],
    );
    assert.deepEqual(
      logged.map((r) => (r.kind === 'ok' ? r.output : '')),
      plain.map((r) => (r.kind === 'ok' ? r.output : '')),
    );
    assert.equal(plain[0]!.features, undefined, 'no features unless asked');
    const [a, b, a2] = logged.map(features);
    for (const f of [a!, b!]) {
      assert.ok(f.get('pass:Canonicalizer')! >= 1);
      assert.ok(f.get('pass:CSE')! >= 1);
      assert.ok(f.get('pass:AffineLoopUnroll')! >= 1);
    }
    // Patterns tried on affine ops appear for A only; B's index_switch patterns for B only.
    assert.ok(keys(a!, /^pat:.*@affine\./).length > 0, [...a!.keys()].join('\n'));
    assert.deepEqual(keys(b!, /^pat:.*@affine\./), []);
    assert.ok(keys(b!, /^pat:.*@scf\.index_switch$/).length > 0, [...b!.keys()].join('\n'));
    assert.deepEqual(keys(a!, /@scf\.index_switch$/), []);
    assert.ok(keys(a!, /^iter:Canonicalizer:1$/).length === 1);
    // The same module gets the same features wherever it stands in the batch.
    assert.deepEqual([...a2!].sort(), [...a!].sort());
  });

  it('gives a module that fails its diagnostics as features, and the others theirs', async () => {
    const r = await runMlirOpt([affineModule, badModule], pipeline, { coverage: 'log' });
    assert.deepEqual(
      r.map((x) => x.kind),
      ['ok', 'error'],
    );
    const bad = features(r[1]!);
    assert.deepEqual(keys(bad, /^diag:/), ["diag:error:use of value '?' expects different type than prior uses: 'i32' vs 'index'"], [...bad.keys()].join('\n'));
    assert.deepEqual(keys(features(r[0]!), /^diag:/), []);
  });

  it('passes features through both executors, only for requests that ask', async () => {
    const program = { text: affineModule, entry: { name: 'main', args: [{ shape: [8], element: 'i32' }] } };
    for (const e of [new NativeExecutor(), new WasmExecutor()]) {
      const batch = await e.compile([
        { program, pipeline, coverage: true },
        { program, pipeline },
      ]);
      assert.deepEqual(batch.failures, [undefined, undefined], e.name);
      const f = batch.features?.[0];
      assert.ok(f && f.get('pass:AffineLoopUnroll')! >= 1, e.name);
      // The lowering suffix is logged too.
      assert.ok([...f.keys()].some((k) => /^pass:.*LLVM/i.test(k)), `${e.name}: ${[...f.keys()].join(' ')}`);
      assert.equal(batch.features?.[1], undefined);
      await e.close();
    }
  });
});

describe('ActionLogSplitter', () => {
  const log = [
    '[thread mlir-opt] begins (no breakpoint) Action `pass-execution` running `Canonicalizer` on Operation `builtin.module` (module {...})`',
    '[thread mlir-opt] begins (no breakpoint) Action GreedyPatternRewriteIteration(1) (Region #0 for op module {...})`',
    '[thread mlir-opt] begins (no breakpoint) Action `apply-pattern pattern: (anonymous namespace)::FoldConstantCase (scf.index_switch %c3 ',
    'case 2 {...}',
    'default {...})`',
    '[thread mlir-opt] completed `apply-pattern`',
    '[thread mlir-opt] begins (no breakpoint) Action `apply-pattern pattern: mlir::VectorConvertToLLVMPattern<mlir::arith::AddIOp, mlir::LLVM::AddOp> (%0:2 = arith.addi %a, %b : i32)`',
    '[thread mlir-opt] completed `apply-pattern`',
    '[thread mlir-opt] begins (no breakpoint) Action `apply-pattern pattern:  (cf.br ^bb1)`',
    '[thread mlir-opt] completed `apply-pattern`',
    '[thread mlir-opt] completed `GreedyPatternRewriteIteration`',
    '[thread mlir-opt] completed `pass-execution`',
  ];
  const stdout = [...log, 'module {', '  "test.op"() : () -> ()', '}', SPLIT_MARKER, '[thread mlir-opt] begins (no breakpoint) Action `pass-execution` running `CSE` on Operation `builtin.module` (module {...})`', '[thread mlir-opt] completed `pass-execution`', 'module {', '}', ''].join('\n');

  it('splits modules and strips every record, at any chunk size', () => {
    const bytes = Buffer.from(stdout);
    for (let size = 1; size <= bytes.length; size += size < 40 ? 1 : 37) {
      const s = new ActionLogSplitter(SPLIT_MARKER);
      for (let i = 0; i < bytes.length; i += size) s.push(bytes.subarray(i, i + size));
      const mods = s.finish();
      assert.deepEqual(
        mods.map((m) => m.output),
        ['module {\n  "test.op"() : () -> ()\n}', 'module {\n}\n'],
        `chunk size ${size}`,
      );
      assert.deepEqual(
        [...mods[0]!.features].sort(),
        [
          ['iter:Canonicalizer:1', 1],
          ['pass:Canonicalizer', 1],
          ['pat:<anonymous>@cf.br', 1],
          ['pat:FoldConstantCase@scf.index_switch', 1],
          ['pat:mlir::VectorConvertToLLVMPattern<mlir::arith::AddIOp, mlir::LLVM::AddOp>@arith.addi', 1],
        ],
      );
      assert.deepEqual([...mods[1]!.features], [['pass:CSE', 1]]);
    }
  });

  it('reads op names in custom and generic form', () => {
    assert.equal(opName('%0 = arith.addi %a, %b : i32', 0), 'arith.addi');
    assert.equal(opName('%0:2 = scf.while (%x = %c) : ...', 0), 'scf.while');
    assert.equal(opName('"arith.addi"(%a, %b)', 0), 'arith.addi');
    assert.equal(opName('affine.for %i = 0 to 8 {...}', 0), 'affine.for');
    assert.equal(opName('func.func @main(%arg0: memref<4xi8>) {...}', 0), 'func.func');
  });

  it('normalises diagnostics: numbers, values, symbols and shapes go, op names stay', () => {
    assert.equal(normaliseDiagnostic("'arith.addi' op operand #1 must be signless-integer-like, but got 'f32'"), "'arith.addi' op operand #N must be signless-integer-like, but got 'f32'");
    assert.equal(normaliseDiagnostic("symbol 'f0' not found: 'vector<4x8xf32>'"), "symbol '?' not found: 'vector<NxNxf32>'");
    assert.equal(normaliseDiagnostic("'memref.load' op 3 indices for memref<4x3xf32> at %arg0 in @main"), "'memref.load' op N indices for memref<NxNxf32> at % in @");
  });
});
