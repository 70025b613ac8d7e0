// coverage/: feature ids, AFL buckets, the coverage map's novelty accounting and its stored form, op-dependency
// features of a program, and the check unit handing back the features of the one executor asked for them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkCases } from '../../check/check-cases.ts';
import type { TestCase } from '../../contracts/case.ts';
import type { CompiledBatch, CompileRequest, ExecOptions, Executor } from '../../contracts/target.ts';
import { BUCKET_FLOORS, bucketOf } from '../../coverage/buckets.ts';
import { compilerFeatureId, featureId, hashFeatures, isProgramFeature, programFeatureId } from '../../coverage/feature-id.ts';
import { CoverageMap } from '../../coverage/feature-map.ts';
import { opDependencyFeatures } from '../../coverage/op-dependency.ts';
import { parseModule } from '../../ir/parser/index.ts';
import { NativeExecutor } from '../../targets/mlir/native/executor.ts';
import { parsePipeline } from '../../targets/mlir/passes/pipeline.ts';
import { reference } from '../../targets/registry.ts';
import { toolchainSkip } from '../helpers/toolchain.ts';

const program = `"builtin.module"() ({
  "func.func"() <{function_type = (memref<4xi32>) -> (), sym_name = "main"}> ({
  ^bb0(%arg0: memref<4xi32>):
    %0 = "arith.constant"() <{value = 0 : index}> : () -> index
    %1 = "memref.load"(%arg0, %0) : (memref<4xi32>, index) -> i32
    %2 = "arith.addi"(%1, %1) : (i32, i32) -> i32
    "memref.store"(%2, %arg0, %0) : (i32, memref<4xi32>, index) -> ()
    "func.return"() : () -> ()
  }) : () -> ()
}) : () -> ()
`;

describe('feature ids and buckets', () => {
  it('hashes with 32-bit FNV-1a (ASCII strings as their bytes)', () => {
    assert.equal(featureId(''), 0x811c9dc5);
    assert.equal(featureId('a'), 0xe40c292c);
    assert.equal(featureId('foobar'), 0xbf9cf968);
    assert.notEqual(featureId('pass:CSE'), featureId('pass:CSF'));
    assert.deepEqual(hashFeatures([['a', 2], ['b', 0]]), new Map([[0x640c292c, 2]]), 'compiler features: the top bit cleared');
  });

  it('tells compiler features from the program\'s own by the top bit, and counts them apart', () => {
    assert.equal(compilerFeatureId('a'), 0x640c292c);
    assert.equal(programFeatureId('a'), 0xe40c292c);
    assert.ok(isProgramFeature(programFeatureId('dep:arith.addi>memref.store')) && !isProgramFeature(compilerFeatureId('pass:CSE')));
    const m = new CoverageMap();
    m.observe(new Map([[compilerFeatureId('pass:CSE'), 1], [programFeatureId('dep:a>b'), 1], [programFeatureId('dep:b>c'), 1]]));
    m.observe(new Map([[compilerFeatureId('pass:CSE'), 3]]));
    assert.equal(m.size, 4);
    assert.equal(m.compilerSize, 2);
    assert.equal(CoverageMap.restore(m.serialise()).compilerSize, 2, 'the split survives a resume');
  });

  it('buckets hit counts the AFL way', () => {
    const at = (n: number) => bucketOf(n);
    assert.deepEqual([0, 1, 2, 3, 4, 7, 8, 15, 16, 31, 32, 127, 128, 1e6].map(at), [-1, 0, 1, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7]);
    assert.deepEqual(BUCKET_FLOORS.map(at), [0, 1, 2, 3, 4, 5, 6, 7]);
  });
});

describe('CoverageMap', () => {
  it('counts new (feature, bucket) pairs, and only those', () => {
    const m = new CoverageMap();
    assert.equal(m.wouldAdd(new Map([[1, 1], [2, 5]])), 2);
    assert.equal(m.size, 0, 'wouldAdd records nothing');
    assert.equal(m.observe(new Map([[1, 1], [2, 5]])), 2);
    assert.equal(m.observe(new Map([[1, 1], [2, 6]])), 0, 'same buckets');
    assert.equal(m.wouldAdd(new Map([[1, 2], [2, 7], [3, 0]])), 1);
    assert.equal(m.observe(new Map([[1, 2], [2, 7], [3, 0]])), 1, 'feature 1 reached bucket 2; a zero count is no hit');
    assert.equal(m.observe(new Map([[1, 200]])), 1);
    assert.deepEqual([m.size, m.features, m.executions], [4, 2, 4]);
    assert.deepEqual([m.frequency(1), m.frequency(2), m.frequency(3), m.frequency(99)], [4, 3, 0, 0]);
    assert.equal(m.buckets(1), 0b10000011);
  });

  it('serialises compactly and restores exactly', () => {
    const m = new CoverageMap();
    for (let k = 0; k < 1000; k++) m.observe(new Map([[featureId(`f${k}`), (k % 150) + 1], [featureId('common'), 1], [0xffffffff, k + 1]]));
    const bytes = m.serialise();
    assert.ok(bytes.length < 1002 * 9, `${bytes.length} bytes`);
    const r = CoverageMap.restore(bytes);
    assert.deepEqual([r.size, r.features, r.executions], [m.size, m.features, m.executions]);
    for (const id of [featureId('f7'), featureId('common'), 0xffffffff]) {
      assert.deepEqual([r.frequency(id), r.buckets(id)], [m.frequency(id), m.buckets(id)]);
    }
    assert.deepEqual(r.serialise(), bytes);
    const next = new Map([[featureId('f3'), 100]]);
    assert.equal(r.observe(next), m.observe(next));
    assert.throws(() => CoverageMap.restore(bytes.subarray(0, bytes.length - 1)), /truncated|trailing/);
    assert.throws(() => CoverageMap.restore(new Uint8Array([1, 2, 3])), /bad magic/);
  });
});

describe('op-dependency features', () => {
  it('names each op and each def-use pair, block arguments by the op that owns them', () => {
    const f = opDependencyFeatures(parseModule(program, 'p.mlir'));
    assert.deepEqual([...f].sort(), [
      ['dep:^func.func>memref.load', 1],
      ['dep:^func.func>memref.store', 1],
      ['dep:arith.addi>memref.store', 1],
      ['dep:arith.constant>memref.load', 1],
      ['dep:arith.constant>memref.store', 1],
      ['dep:memref.load>arith.addi', 2],
      ['op:arith.addi', 1],
      ['op:arith.constant', 1],
      ['op:func.func', 1],
      ['op:func.return', 1],
      ['op:memref.load', 1],
      ['op:memref.store', 1],
    ]);
  });
});

/** A real native executor under another name that remembers which requests asked for coverage. */
class Recording implements Executor {
  readonly asked: boolean[] = [];
  private readonly inner = new NativeExecutor();
  readonly limits = this.inner.limits;
  constructor(readonly name: string) {}
  unavailableReason() {
    return this.inner.unavailableReason();
  }
  compile(requests: readonly CompileRequest[], opts?: ExecOptions): Promise<CompiledBatch> {
    for (const r of requests) this.asked.push(r.coverage === true);
    return this.inner.compile(requests, opts);
  }
  run(batch: CompiledBatch, inputs: readonly (readonly Uint8Array[])[], opts?: ExecOptions) {
    return this.inner.run(batch as never, inputs, opts);
  }
  close() {
    return this.inner.close();
  }
}

describe('checkCases with coverageFrom', { skip: toolchainSkip() }, () => {
  it("returns the features of the named executor's compilation, and asks only it", async () => {
    const a = new Recording('native-a');
    const b = new Recording('native-b');
    const c: TestCase = { name: 'p', program: { text: program, entry: { name: 'main', args: [{ shape: [4], element: 'i32' }] } }, pipeline: parsePipeline('builtin.module(cse)'), inputSeed: 1 };
    const results = [];
    for await (const r of checkCases([c, { ...c, name: 'q' }], { reference, executors: [a, b], oracles: [], coverageFrom: 'native-b' })) results.push(r);
    assert.deepEqual(a.asked, [false, false]);
    assert.deepEqual(b.asked, [true, true]);
    for (const r of results) {
      assert.deepEqual([...r.outcomes.values()].map((o) => o.outcome.kind), ['ok', 'ok']);
      assert.ok(r.features && r.features.get('pass:CSE') === 1, JSON.stringify([...(r.features ?? [])]));
    }
    await assert.rejects(checkCases([c], { reference, executors: [a], oracles: [], coverageFrom: 'wasm' }).next(), /no executor named 'wasm'/);
  });
});
