// Which pipelines may be judged for miscompiles, from the catalog's semantics marks; and Tzer's useful-pass
// shrinking.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { usefulByFeature, usefulPasses } from '../../../mutators/pipeline/index.ts';
import { firstUnjudgedStep, noPromiseReason } from '../../../oracles/semantics-promise.ts';
import { mlirCatalog as catalog } from '../../../targets/mlir/target.ts';

describe('semantics promises', () => {
  it('a pipeline of passes that preserve semantics is judged', () => {
    assert.equal(firstUnjudgedStep(catalog, catalog.parse('func.func(cse,canonicalize),strip-debuginfo,func.func(test-loop-unrolling{unroll-factor=2})')), undefined);
    assert.equal(firstUnjudgedStep(catalog, []), undefined);
  });

  it('a pass without a promise voids the whole pipeline, and says why', () => {
    const u = firstUnjudgedStep(catalog, catalog.parse('func.func(cse,test-vector-chained-reduction-folding-patterns,canonicalize)'));
    assert.equal(u?.index, 1);
    assert.match(u!.reason, /bit-identical/);
  });

  it('an option voids the promise only at its breaking value, and a left-out option counts as its default', () => {
    const perm = (opts: string) => noPromiseReason(catalog, catalog.parse(`func.func(test-loop-permutation{permutation-map=1,0${opts}})`)[0]!);
    assert.equal(perm(' check-validity=true'), undefined);
    assert.match(perm(' check-validity=false') ?? '', /^check-validity=false: .*isValidLoopInterchangePermutation/);
    assert.match(perm('') ?? '', /^check-validity=false/, 'check-validity is off by default');
    // The catalog's step carries the required check, so pipelines the mutators build are judged.
    assert.equal(noPromiseReason(catalog, catalog.step('test-loop-permutation')), undefined);
    const copy = (opts: string) => noPromiseReason(catalog, catalog.parse(`func.func(test-affine-data-copy${opts})`)[0]!);
    assert.equal(copy(''), undefined);
    assert.equal(copy('{memref-filter}'), undefined);
    assert.match(copy('{for-memref-region}') ?? '', /generateCopyForMemRegion/);
  });

  it('an unknown pass promises nothing either way: it is judged', () => {
    assert.equal(firstUnjudgedStep(catalog, [{ pass: 'no-such-pass', nest: [] }]), undefined);
  });
});

describe('useful-pass shrinking', () => {
  const p = catalog.parse('func.func(cse,canonicalize,sccp,cse,affine-scalrep)');

  it('keeps only the steps that brought new coverage, in order', () => {
    assert.deepEqual(usefulPasses(p, (_, k) => k === 1 || k === 4)?.map((s) => s.pass), ['canonicalize', 'affine-scalrep']);
  });

  it('keeps at most maxLength of them, the first ones', () => {
    assert.deepEqual(usefulPasses(p, () => true, 2)?.map((s) => s.pass), ['cse', 'canonicalize']);
  });

  it('drops a pipeline where nothing was useful', () => {
    assert.equal(usefulPasses(p, () => false), undefined);
  });

  it('reads usefulness from pass:<name> features', () => {
    const useful = usefulByFeature(['op:arith.addi', 'pass:sccp', 'pass:affine-scalrep']);
    assert.deepEqual(usefulPasses(p, useful)?.map((s) => s.pass), ['sccp', 'affine-scalrep']);
  });
});
