// Signatures: frame and message normalisation on LLVM's own spellings, and on real mlir-opt crashes, two programs
// crashing the same way share one signature while a different crash gets another.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { CaseRun } from '../../contracts/oracle.ts';
import type { ExecOutcome } from '../../contracts/outcome.ts';
import { crash } from '../../oracles/crash.ts';
import { normaliseFrame, normaliseFrames, normaliseMessage, signature, trapClass } from '../../oracles/signature.ts';
import { runMlirOpt } from '../../targets/mlir/mlir-opt.ts';
import { parsePipeline } from '../../targets/mlir/passes/pipeline.ts';
import { REPO_ROOT } from '../helpers/repo-files.ts';
import { toolchainSkip } from '../helpers/toolchain.ts';

describe('normaliseFrame', () => {
  const cases: [string, string][] = [
    ['mlir::detail::OpToOpPassAdaptor::run(mlir::Pass*, mlir::Operation*, mlir::AnalysisManager, bool, unsigned int)', 'mlir::detail::OpToOpPassAdaptor::run'],
    ['(anonymous namespace)::CSEDriver::simplify(mlir::Operation*, bool*) [clone .isra.0]', 'CSEDriver::simplify'],
    [
      'void llvm::function_ref<void (mlir::Operation*)>::callback_fn<mlir::detail::walk<(mlir::ForwardIterator)1>(mlir::Operation*, llvm::function_ref<void (mlir::Operation*)>, mlir::WalkOrder)::{lambda(mlir::Operation*)#1}>(long, mlir::Operation*)',
      'llvm::function_ref::callback_fn',
    ],
    ['mlir::Foo::operator<<(llvm::raw_ostream&) const', 'mlir::Foo::operator<<'],
    ['llvm::SmallVector<int, 4u>::operator[](unsigned long) const', 'llvm::SmallVector::operator[]'],
    ['mlir::foo(mlir::Operation*)::$_12::operator()(mlir::Value) const', 'mlir::foo(mlir::Operation*)::$_::operator()'],
  ];
  for (const [raw, want] of cases) it(want, () => assert.equal(normaliseFrame(raw), want));
  it('a frame without a symbol is its library, unversioned', () => {
    assert.equal(normaliseFrame(undefined), undefined);
    assert.deepEqual(normaliseFrames([{ module: '/usr/lib/llvm-22/bin/../lib/libMLIR.so.22.1' }, { fn: 'a::b(int)' }, { fn: 'c()' }, { fn: 'd()' }]), ['libMLIR.so', 'a::b', 'c']);
  });
  it('a crash signs alike with and without the action log (the fuzzer logs, triage does not)', () => {
    const lib = { module: 'libMLIR.so.22.1' };
    const crashed = { fn: 'mlir::affine::loopUnrollByFactor(mlir::affine::AffineForOp, unsigned long)' };
    const adaptor = { fn: 'mlir::detail::OpToOpPassAdaptor::run(mlir::Pass*, mlir::Operation*)' };
    const logged = [crashed, lib, lib, { fn: 'mlir::tracing::ExecutionContext::operator()(llvm::function_ref<void ()>, mlir::tracing::Action const&)' }, { fn: 'mlir::MLIRContext::executeActionInternal(llvm::function_ref<void ()>, mlir::tracing::Action const&)' }, lib, adaptor];
    const plain = [crashed, lib, adaptor];
    assert.deepEqual(normaliseFrames(logged), normaliseFrames(plain));
    assert.deepEqual(normaliseFrames(plain), ['mlir::affine::loopUnrollByFactor', 'libMLIR.so', 'mlir::detail::OpToOpPassAdaptor::run']);
  });
  it('a crash signs alike with and without the coverage plugin, whose handler wraps every pass (seen in a campaign)', () => {
    const lib = { module: '/usr/lib/llvm-22/bin/../lib/libMLIR.so.22.1' };
    const plugin = { module: '/work/main/build/libtcfuzz_mlir_coverage-73e5c0d28cb0.so' };
    const adaptor = { fn: 'mlir::detail::OpToOpPassAdaptor::run(mlir::Pass*, mlir::Operation*)' };
    const counted = [lib, plugin, plugin, lib, { fn: 'mlir::MLIRContext::executeActionInternal(llvm::function_ref<void ()>, mlir::tracing::Action const&)' }, lib, adaptor, { fn: 'mlir::PassManager::run(mlir::Operation*)' }];
    const plain = [lib, adaptor, { fn: 'mlir::PassManager::run(mlir::Operation*)' }];
    assert.deepEqual(normaliseFrames(counted), normaliseFrames(plain));
    assert.deepEqual(normaliseFrames(plain), ['libMLIR.so', 'mlir::detail::OpToOpPassAdaptor::run', 'mlir::PassManager::run']);
  });
});

describe('normaliseMessage', () => {
  const cases: [string, string][] = [
    ["'memref.load' op operand #1 must be index, but got 'i32'", "'memref.load' op operand #N must be index, but got '…'"],
    ['failed to legalize operation \'arith.addi\' marked as erased in @main__k7', "failed to legalize operation 'arith.addi' marked as erased in @"],
    ['use of value %arg0#2 expects different type than prior uses: vector<4x8xf32> vs vector<8xi64>', 'use of value % expects different type than prior uses: vector<NxNxfN> vs vector<NxiN>'],
    ['<stdin>:12:3: error: null operand found', 'null operand found'],
    ['Cannot select: t7: bf16 = fp_round t5, TargetConstant:i32<0> "x.y z"', "Cannot select: tN: bfN = fp_round tN, TargetConstant:iN<N> '…'"],
  ];
  for (const [raw, want] of cases) it(want, () => assert.equal(normaliseMessage(raw), want));
  it('keeps an assertion as written', () => {
    const a = "mlir-opt: /build/Casting.h:566: decltype(auto) llvm::cast(From *) [To = mlir::IntegerAttr]: Assertion `isa<To>(Val) && \"cast<Ty>() argument of incompatible type!\"' failed.";
    assert.equal(normaliseMessage(a), "Assertion `isa<To>(Val) && \"cast<Ty>() argument of incompatible type!\"' failed");
  });
});

describe('trapClass', () => {
  it('puts glibc and wasm spellings of one failure together', () => {
    assert.equal(trapClass('killed by SIGABRT: double free or corruption (fasttop) | malloc_consolidate(): unaligned fastbin chunk detected'), 'double free');
    assert.equal(trapClass('killed by SIGABRT: free(): double free detected in tcache 2'), 'double free');
    assert.equal(trapClass('double free or corruption: free(0x8002a0) of a block already freed'), 'double free');
    assert.equal(trapClass('killed by SIGABRT: free(): invalid pointer'), 'invalid free');
    assert.equal(trapClass('free(): invalid pointer 0x10: not a live allocation'), 'invalid free');
    assert.equal(trapClass('killed by SIGSEGV'), 'memory fault');
    assert.equal(trapClass('memory access out of bounds'), 'memory fault');
    assert.equal(trapClass('integer divide by zero'), 'arithmetic');
  });
});

describe('signature', () => {
  it('miscompile: backend, pass names, op', () => {
    assert.equal(signature({ kind: 'miscompile', executor: 'wasm', passes: ['cse', 'canonicalize'], op: 'vector.transfer_write' }), 'miscompile|wasm|cse,canonicalize|vector.transfer_write');
  });
  it('a crash in unexported code under the pass manager is told apart by the pipeline', () => {
    const frames = ['libMLIR.so', 'mlir::detail::OpToOpPassAdaptor::run', 'mlir::detail::OpToOpPassAdaptor::runPipeline'];
    assert.equal(signature({ kind: 'crash', tool: 'mlir-opt', frames, passes: ['a', 'b'] }), `crash|mlir-opt|${frames.join(' < ')}|a,b`);
    assert.equal(signature({ kind: 'crash', tool: 'mlir-opt', frames: ['x::y', ...frames], passes: ['a'] }), `crash|mlir-opt|x::y < libMLIR.so < mlir::detail::OpToOpPassAdaptor::run`);
  });
});

const PIPELINE = 'builtin.module(int-range-optimizations,sccp,remove-dead-values)';

describe('real mlir-opt crashes', { skip: toolchainSkip(['mlir-opt']) }, () => {
  it(`two programs crashing the same way share a signature; another crash differs (${PIPELINE})`, async () => {
    const files = ['range-crash-a', 'range-crash-b', 'dead-values-crash'];
    const pipeline = parsePipeline(PIPELINE);
    const texts = files.map((f) => readFileSync(join(REPO_ROOT, 'fixtures', 'oracles', `${f}.mlir`), 'utf8'));
    const results = await runMlirOpt(texts, pipeline);
    const sigs = results.map((r, k) => {
      assert.equal(r.kind, 'crash', `${files[k]} should crash mlir-opt 22`);
      if (r.kind !== 'crash') return '';
      const outcome: ExecOutcome = { kind: 'crash', stage: 'mlir-opt', crash: r.crash, tool: r.tool, ms: {} };
      const run: CaseRun = {
        case: { name: files[k]!, program: { text: texts[k]!, entry: { name: 'main', args: [] } }, pipeline, inputSeed: 0 },
        reference: { kind: 'ok', buffers: [], stdout: new Uint8Array(0), taint: [], opsExecuted: new Set(), steps: 0, ms: {} },
        referenceLayout: { indexBits: 64 },
        outcomes: new Map([['native', { outcome, limits: { indexBits: 64 } }]]),
      };
      const [f] = crash.judge(run);
      return f!.signature;
    });
    assert.equal(sigs[0], sigs[1]);
    assert.match(sigs[0]!, /^crash\|mlir-opt\|.*IntegerRangeAnalysis::visitNonControlFlowArguments/);
    assert.notEqual(sigs[2], sigs[0]);
    assert.match(sigs[2]!, /^crash\|mlir-opt\|/);
  });
});
