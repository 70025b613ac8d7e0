// Each oracle on synthetic runs: the exact findings it returns (every field), and none for what is not its kind.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TestCase } from '../../contracts/case.ts';
import type { CaseRun, Finding, Oracle } from '../../contracts/oracle.ts';
import type { CrashInfo, ExecOutcome } from '../../contracts/outcome.ts';
import type { PassStep } from '../../contracts/pipeline.ts';
import type { PortabilityLimits } from '../../contracts/target.ts';
import { compileFailure } from '../../oracles/compile-failure.ts';
import { crash } from '../../oracles/crash.ts';
import { hang } from '../../oracles/hang.ts';
import { DEFAULT_ORACLES } from '../../oracles/index.ts';
import { invalidIr } from '../../oracles/invalid-ir.ts';
import { miscompile } from '../../oracles/miscompile.ts';
import { passFailure } from '../../oracles/pass-failure.ts';
import { runtimeTrap } from '../../oracles/runtime-trap.ts';

/** @main writes arg0[0], then arg0 through a cast view in a loop (affine.store), then arg1[0]; prints one i32. */
const PROGRAM = `"builtin.module"() ({
  "func.func"() <{function_type = (memref<4xi32>, memref<2xf32>) -> (), sym_name = "main"}> ({
  ^bb0(%arg0: memref<4xi32>, %arg1: memref<2xf32>):
    %0 = "arith.constant"() <{value = 0 : index}> : () -> index
    %1 = "arith.constant"() <{value = 7 : i32}> : () -> i32
    "memref.store"(%1, %arg0, %0) : (i32, memref<4xi32>, index) -> ()
    %2 = "memref.cast"(%arg0) : (memref<4xi32>) -> memref<?xi32>
    "affine.for"() <{lowerBoundMap = affine_map<() -> (0)>, operandSegmentSizes = array<i32: 0, 0, 0>, step = 1 : index, upperBoundMap = affine_map<() -> (2)>}> ({
    ^bb1(%i: index):
      "affine.store"(%1, %2, %i) <{map = affine_map<(d0) -> (d0)>}> : (i32, memref<?xi32>, index) -> ()
      "affine.yield"() : () -> ()
    }) : () -> ()
    %3 = "arith.constant"() <{value = 1.0 : f32}> : () -> f32
    "memref.store"(%3, %arg1, %0) : (f32, memref<2xf32>, index) -> ()
    "vector.print"(%1) <{punctuation = #vector.punctuation<newline>}> : (i32) -> ()
    "func.return"() : () -> ()
  }) : () -> ()
}) : () -> ()
`;

const step = (pass: string): PassStep => ({ pass, nest: [] });
const PIPELINE = [step('canonicalize'), { pass: 'buffer-loop-hoisting', nest: ['func.func'], options: { x: 1 } }];

const i32s = (...v: number[]): Uint8Array => new Uint8Array(Int32Array.from(v).buffer);
const f32s = (...v: number[]): Uint8Array => new Uint8Array(Float32Array.from(v).buffer);
const text = (s: string): Uint8Array => new TextEncoder().encode(s);

const GOOD = [i32s(7, 7, 0, 0), f32s(1, 0)];
const ok = (buffers = GOOD, stdout = '7\n'): ExecOutcome => ({ kind: 'ok', buffers, stdout: text(stdout), ms: {} });
const L64: PortabilityLimits = { indexBits: 64 };
const L32: PortabilityLimits = { indexBits: 32 };

function caseRun(outcomes: Record<string, ExecOutcome>, pipeline: readonly PassStep[] = PIPELINE): CaseRun {
  const c: TestCase = {
    name: 't.mlir',
    program: { text: PROGRAM, entry: { name: 'main', args: [{ shape: [4], element: 'i32' }, { shape: [2], element: 'f32' }] } },
    pipeline,
    inputSeed: 0,
  };
  return {
    case: c,
    reference: { kind: 'ok', buffers: GOOD, stdout: text('7\n'), taint: [null, null], opsExecuted: new Set(), steps: 1, ms: {} },
    referenceLayout: L64,
    outcomes: new Map(Object.entries(outcomes).map(([e, outcome]) => [e, { outcome, limits: e.startsWith('wasm') ? L32 : L64 }])),
  };
}

const tool = (cmd: string, stderr = '') => ({ argv: [`/usr/lib/llvm-22/bin/${cmd}`, '-'], exitCode: 1, signal: null, stderr, durationMs: 1 });

const CRASH: CrashInfo = {
  signal: 'SIGSEGV',
  context: [],
  frames: [
    { index: 4, module: '/usr/lib/llvm-22/bin/../lib/libMLIR.so.22.1', offset: '0x28983ea' },
    { index: 5, fn: 'mlir::dataflow::IntegerRangeAnalysis::visitNonControlFlowArguments(mlir::Operation*, mlir::RegionSuccessor const&, llvm::ArrayRef<mlir::dataflow::IntegerValueRangeLattice*>, unsigned int)', module: '/usr/lib/llvm-22/bin/../lib/libMLIR.so.22.1' },
    { index: 6, fn: '(anonymous namespace)::Visitor::visit<mlir::Block>(mlir::Block*) const', module: '/usr/lib/llvm-22/bin/../lib/libMLIR.so.22.1' },
    { index: 7, fn: 'mlir::DataFlowSolver::initializeAndRun(mlir::Operation*)' },
  ],
};
const TOP3 = ['libMLIR.so', 'mlir::dataflow::IntegerRangeAnalysis::visitNonControlFlowArguments', 'Visitor::visit'];

/** Only `oracle` of the default list reports anything on `run`. */
function onlyFrom(oracle: Oracle, run: CaseRun): readonly Finding[] {
  for (const o of DEFAULT_ORACLES) if (o !== oracle) assert.deepEqual(o.judge(run), [], `${o.name} reported on a ${oracle.name} run`);
  return oracle.judge(run);
}

describe('crash', () => {
  it('reports each executor whose tool died, agreeing when the stacks match', () => {
    const c = { kind: 'crash', stage: 'mlir-opt', crash: CRASH, tool: tool('mlir-opt'), ms: {} } as const;
    const got = onlyFrom(crash, caseRun({ native: c, wasm: c }));
    const sig = `crash|mlir-opt|${TOP3.join(' < ')}`;
    const detail = 'mlir-opt crashed: SIGSEGV ? < mlir::dataflow::IntegerRangeAnalysis::visitNonControlFlowArguments(mlir::Operation*, mlir::RegionSuccessor const&, llvm::ArrayRef<mlir::dataflow::IntegerValueRangeLattice*>, unsigned int) < (anonymous namespace)::Visitor::visit<mlir::Block>(mlir::Block*) const';
    assert.deepEqual(got, [
      { kind: 'crash', executor: 'native', stage: 'mlir-opt', tool: 'mlir-opt', frames: TOP3, detail, signature: sig, agreeing: ['wasm'] },
      { kind: 'crash', executor: 'wasm', stage: 'mlir-opt', tool: 'mlir-opt', frames: TOP3, detail, signature: sig, agreeing: ['native'] },
    ]);
  });
  it('without frames, is keyed by the normalised LLVM ERROR', () => {
    const c: ExecOutcome = { kind: 'crash', stage: 'llc', crash: { message: 'Cannot select: t12: bf16 = fp_round t10, TargetConstant:i32<0>', context: [], frames: [] }, tool: tool('llc'), ms: {} };
    const [f] = onlyFrom(crash, caseRun({ wasm: c, native: ok() }));
    assert.equal(f!.signature, 'crash|llc|Cannot select: tN: bfN = fp_round tN, TargetConstant:iN<N>');
    assert.deepEqual(f!.frames, []);
    assert.deepEqual(f!.agreeing, []);
  });
});

describe('hang', () => {
  it('a run that times out on one backend while another finishes suspects that backend', () => {
    const got = onlyFrom(hang, caseRun({ native: ok(), wasm: { kind: 'hang', stage: 'run', stdout: new Uint8Array(0), ms: {} } }));
    assert.deepEqual(got, [
      { kind: 'hang', executor: 'wasm', stage: 'run', tool: 'v8', frames: [], detail: 'run timed out', signature: 'hang|v8|canonicalize,buffer-loop-hoisting', agreeing: [], suspect: 'executor' },
    ]);
  });
  it('a compiler tool that times out names no suspect', () => {
    const h: ExecOutcome = { kind: 'hang', stage: 'mlir-opt', tool: tool('mlir-opt'), ms: {} };
    const got = onlyFrom(hang, caseRun({ native: h }));
    assert.deepEqual(got, [
      { kind: 'hang', executor: 'native', stage: 'mlir-opt', tool: 'mlir-opt', frames: [], detail: 'mlir-opt timed out', signature: 'hang|mlir-opt|canonicalize,buffer-loop-hoisting', agreeing: [] },
    ]);
  });
  it('a tool that printed its stack when stopped is signed by where it was, whatever the pipeline', () => {
    const frames = ['mlir::Operation::fold(x)', 'mlir::OpBuilder::tryFold(y)', 'mlir::OperationConverter::convert(z)'].map((fn, index) => ({ index, fn, module: 'libMLIR.so.22.1' }));
    const h: ExecOutcome = { kind: 'hang', stage: 'mlir-opt', tool: tool('mlir-opt'), stack: { context: [], frames }, ms: {} };
    const [got] = onlyFrom(hang, caseRun({ native: h }));
    assert.equal(got!.signature, 'hang|mlir-opt|mlir::Operation::fold < mlir::OpBuilder::tryFold < mlir::OperationConverter::convert');
    assert.deepEqual(got!.frames, ['mlir::Operation::fold', 'mlir::OpBuilder::tryFold', 'mlir::OperationConverter::convert']);
  });
  it('a tool that said which pass it was stopped in is signed by that pass, wherever in the loop its stack was caught', () => {
    const at = (fns: string[]) => fns.map((fn, index) => ({ index, fn, module: 'libMLIR.so.22.1' }));
    const stopped = (fns: string[]): ExecOutcome => ({ kind: 'hang', stage: 'mlir-opt', tool: tool('mlir-opt'), stack: { context: [], frames: at(fns) }, pass: 'memref-expand', ms: {} });
    const [a] = onlyFrom(hang, caseRun({ native: stopped(['mlir::vector::MaskOp::fold(x)', 'mlir::Operation::fold(y)', 'mlir::OpBuilder::tryFold(z)']) }));
    const [b] = onlyFrom(hang, caseRun({ native: stopped(['mlir::OpBuilder::tryFold(z)', 'mlir::OperationConverter::convert(w)', 'mlir::OperationConverter::applyConversion(v)']) }));
    assert.equal(a!.signature, 'hang|mlir-opt|memref-expand');
    assert.equal(b!.signature, a!.signature);
    assert.equal(a!.pass, 'memref-expand');
    assert.deepEqual(a!.frames, ['mlir::vector::MaskOp::fold', 'mlir::Operation::fold', 'mlir::OpBuilder::tryFold'], 'the stack is kept for the report');
  });
});

describe('invalid-ir', () => {
  it('a pass that leaves IR failing verification, keyed by pass and normalised message', () => {
    const o: ExecOutcome = {
      kind: 'compile-failure',
      stage: 'mlir-opt',
      reason: 'verifier',
      pass: 'canonicalize',
      diagnostics: [{ severity: 'error', message: "'affine.for' op operand #0 does not dominate this use of %12 in @main", file: '<stdin>', line: 3, col: 5, notes: [] }],
      ms: {},
    };
    const got = onlyFrom(invalidIr, caseRun({ native: o }));
    assert.deepEqual(got, [
      {
        kind: 'invalid-ir',
        executor: 'native',
        stage: 'mlir-opt',
        pass: 'canonicalize',
        tool: 'mlir-opt',
        frames: [],
        detail: "mlir-opt verifier in canonicalize: 'affine.for' op operand #0 does not dominate this use of %12 in @main",
        signature: "invalid-ir|mlir-opt|canonicalize|'affine.for' op operand #N does not dominate this use of % in @",
        agreeing: [],
      },
    ]);
  });
});

describe('pass-failure and compile-failure', () => {
  const failure = (pass: string, message?: string): ExecOutcome => ({
    kind: 'compile-failure',
    stage: 'mlir-opt',
    reason: 'pass-failure',
    pass,
    diagnostics: message === undefined ? [] : [{ severity: 'error', message, file: '<stdin>', line: 9, col: 3, notes: [] }],
    ms: {},
  });
  it('a pipeline pass that refuses valid IR with a diagnostic is a pass-failure', () => {
    const got = onlyFrom(passFailure, caseRun({ native: failure('buffer-loop-hoisting', "failed to legalize operation 'arith.addi' that was explicitly marked illegal") }));
    assert.deepEqual(got, [
      {
        kind: 'pass-failure',
        executor: 'native',
        stage: 'mlir-opt',
        pass: 'buffer-loop-hoisting',
        tool: 'mlir-opt',
        frames: [],
        detail: "mlir-opt pass-failure in buffer-loop-hoisting: failed to legalize operation 'arith.addi' that was explicitly marked illegal",
        signature: "pass-failure|mlir-opt|buffer-loop-hoisting|failed to legalize operation 'arith.addi' that was explicitly marked illegal",
        agreeing: [],
      },
    ]);
  });
  it('a lowering pass of the executor failing is a compile-failure', () => {
    const got = onlyFrom(compileFailure, caseRun({ wasm: failure('convert-to-llvm', "failed to legalize operation 'vector.step'") }));
    assert.deepEqual(got, [
      {
        kind: 'compile-failure',
        executor: 'wasm',
        stage: 'mlir-opt',
        pass: 'convert-to-llvm',
        tool: 'mlir-opt',
        frames: [],
        detail: "mlir-opt pass-failure in convert-to-llvm: failed to legalize operation 'vector.step'",
        signature: "compile-failure|mlir-opt|convert-to-llvm|failed to legalize operation 'vector.step'",
        agreeing: [],
      },
    ]);
  });
  it('a pipeline pass failing without a diagnostic is a compile-failure', () => {
    const [f] = onlyFrom(compileFailure, caseRun({ native: failure('canonicalize') }));
    assert.equal(f!.signature, 'compile-failure|mlir-opt|canonicalize|pass failed without a diagnostic');
  });
  it('a pipeline pass failing with an internal error (the verifier\'s words) is a compile-failure', () => {
    const [f] = onlyFrom(compileFailure, caseRun({ native: failure('buffer-loop-hoisting', 'null operand found') }));
    assert.equal(f!.signature, 'compile-failure|mlir-opt|buffer-loop-hoisting|null operand found');
  });
  it('llc rejecting its input is a compile-failure of llc', () => {
    const o: ExecOutcome = { kind: 'compile-failure', stage: 'llc', reason: 'error', diagnostics: [{ severity: 'error', message: "<stdin>:12:7: use of undefined value '%17'", notes: [] }], tool: tool('llc'), ms: {} };
    const got = onlyFrom(compileFailure, caseRun({ wasm: o, native: ok() }));
    assert.deepEqual(got, [
      {
        kind: 'compile-failure',
        executor: 'wasm',
        stage: 'llc',
        tool: 'llc',
        frames: [],
        detail: "llc error: <stdin>:12:7: use of undefined value '%17'",
        signature: "compile-failure|llc|<stdin>:N:N: use of undefined value '…'",
        agreeing: [],
      },
    ]);
  });
});

describe('runtime-trap', () => {
  it('both backends trapping on a double free: one class, agreeing, the pipeline suspected', () => {
    const native: ExecOutcome = { kind: 'trap', message: 'killed by SIGABRT: double free or corruption (!prev)', stdout: new Uint8Array(0), tool: tool('mlir-runner'), ms: {} };
    const wasm: ExecOutcome = { kind: 'trap', message: 'double free or corruption: free(0x8002a0) of a block already freed', stdout: new Uint8Array(0), ms: {} };
    const got = onlyFrom(runtimeTrap, caseRun({ native, wasm }));
    assert.deepEqual(got, [
      {
        kind: 'runtime-trap',
        executor: 'native',
        stage: 'run',
        tool: 'mlir-runner',
        frames: [],
        detail: 'killed by SIGABRT: double free or corruption (!prev)',
        signature: 'runtime-trap|mlir-runner|canonicalize,buffer-loop-hoisting|double free',
        agreeing: ['wasm'],
        suspect: 'pipeline',
      },
      {
        kind: 'runtime-trap',
        executor: 'wasm',
        stage: 'run',
        tool: 'v8',
        frames: [],
        detail: 'double free or corruption: free(0x8002a0) of a block already freed',
        signature: 'runtime-trap|v8|canonicalize,buffer-loop-hoisting|double free',
        agreeing: ['native'],
        suspect: 'pipeline',
      },
    ]);
  });
  it('a trap on one backend while the other runs to the end suspects the backend', () => {
    const wasm: ExecOutcome = { kind: 'trap', message: 'memory access out of bounds', stdout: new Uint8Array(0), ms: {} };
    const [f] = onlyFrom(runtimeTrap, caseRun({ native: ok(), wasm }, []));
    assert.equal(f!.signature, 'runtime-trap|v8||memory fault');
    assert.equal(f!.suspect, 'executor');
  });
});

describe('miscompile', () => {
  it('two backends wrong the same way: agreeing, none matching the reference, the pipeline suspected, op = last store to the buffer, with its value\'s producer', () => {
    const bad = ok([i32s(7, 9, 0, 0), f32s(1, 0)]);
    const got = onlyFrom(miscompile, caseRun({ native: bad, wasm: bad }));
    const difference = { kind: 'buffer', buffer: 0, index: 1, dtype: 'i32', values: ['7', '9'], tainted: false } as const;
    const common = { kind: 'miscompile', frames: [], detail: 'arg0[1] i32: 7 vs 9', difference, matchingReference: [], op: 'affine.store(arith.constant)', suspect: 'pipeline' } as const;
    assert.deepEqual(got, [
      { ...common, executor: 'native', tool: 'mlir-runner', signature: 'miscompile|native|canonicalize,buffer-loop-hoisting|affine.store(arith.constant)', agreeing: ['wasm'] },
      { ...common, executor: 'wasm', tool: 'v8', signature: 'miscompile|wasm|canonicalize,buffer-loop-hoisting|affine.store(arith.constant)', agreeing: ['native'] },
    ]);
  });
  it('one backend wrong while another is right suspects it; different wrong results do not agree', () => {
    const got = miscompile.judge(caseRun({ native: ok([i32s(7, 7, 0, 0), f32s(2, 0)]), wasm: ok(), 'wasm-liftoff': ok([i32s(7, 7, 0, 0), f32s(3, 0)]) }));
    assert.deepEqual(
      got.map((f) => [f.executor, f.op, f.agreeing, f.matchingReference, f.suspect]),
      [
        ['native', 'memref.store(arith.constant)', [], ['wasm'], 'executor'],
        ['wasm-liftoff', 'memref.store(arith.constant)', [], ['wasm'], 'executor'],
      ],
    );
  });
  it('holds a tainted value to the tolerance of the narrowest float type the program computes in', () => {
    // exp computed in `ty`, stored as f64; the backend's value is one f32 ulp from the reference's.
    const program = (ty: string) => `"builtin.module"() ({
  "func.func"() <{function_type = (memref<1xf64>) -> (), sym_name = "main"}> ({
  ^bb0(%arg0: memref<1xf64>):
    %0 = "arith.constant"() <{value = 0 : index}> : () -> index
    %1 = "arith.constant"() <{value = 0.5 : ${ty}}> : () -> ${ty}
    %2 = "math.exp"(%1) : (${ty}) -> ${ty}
    ${ty === 'f64' ? '%3 = "arith.addf"(%2, %2) : (f64, f64) -> f64' : '%3 = "arith.extf"(%2) : (f32) -> f64'}
    "memref.store"(%3, %arg0, %0) : (f64, memref<1xf64>, index) -> ()
    "func.return"() : () -> ()
  }) : () -> ()
}) : () -> ()
`;
    const e = Math.fround(Math.exp(0.5));
    const bits = new Float32Array([e]);
    new Uint32Array(bits.buffer)[0]! += 1;
    const f64s = (v: number) => new Uint8Array(Float64Array.from([v]).buffer);
    const judge = (ty: string) => {
      const run = caseRun({ native: ok([f64s(bits[0]!)], '') });
      const c = { ...run.case, program: { text: program(ty), entry: { name: 'main', args: [{ shape: [1], element: 'f64' }] } } };
      return miscompile.judge({ ...run, case: c, reference: { ...run.reference, buffers: [f64s(e)], stdout: text(''), taint: [new Uint8Array([1])] } } as CaseRun);
    };
    assert.deepEqual(judge('f32'), [], 'computed in f32: within f32 tolerance');
    assert.equal(judge('f64')[0]?.kind, 'miscompile', 'computed in f64 only: a difference of 1e-7 is wrong');
  });
  it('a stdout difference is pinned on the printing op', () => {
    const [f] = miscompile.judge(caseRun({ native: ok(GOOD, '8\n') }));
    assert.equal(f!.op, 'vector.print');
    assert.equal(f!.signature, 'miscompile|native|canonicalize,buffer-loop-hoisting|vector.print');
    assert.equal(f!.suspect, undefined);
  });
});

describe('what is never a finding', () => {
  it('agreement, and executors that could not try', () => {
    const run = caseRun({ native: ok(), wasm: { kind: 'unavailable', reason: 'no V8', ms: {} } });
    for (const o of DEFAULT_ORACLES) assert.deepEqual(o.judge(run), [], o.name);
  });
});
