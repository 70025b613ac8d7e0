// The generator's named weights: defaults replay the same programs, overrides take effect, bad overrides are errors.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_WEIGHTS, generateFromSeed, programArbitrary, programSeed, programText, resolveWeights, WEIGHT_GROUPS } from '../../mutators/generate/index.ts';
import type { WeightOverrides } from '../../mutators/generate/index.ts';

const texts = (n: number, weights?: WeightOverrides): string[] => Array.from({ length: n }, (_, k) => programText(generateFromSeed(programSeed(9, k), { weights })));
const count = (ts: readonly string[], op: string): number => ts.reduce((a, t) => a + t.split(`"${op}"`).length - 1, 0);

describe('generator weights', () => {
  it('are a full, JSON-serialisable set with documented groups', () => {
    assert.deepEqual(Object.keys(DEFAULT_WEIGHTS), Object.keys(WEIGHT_GROUPS));
    for (const [g, def] of Object.entries(WEIGHT_GROUPS)) {
      assert.ok(def.doc.length > 10, `group ${g} has no doc`);
      assert.equal(Object.keys(DEFAULT_WEIGHTS[g as keyof typeof WEIGHT_GROUPS]).length, def.entries.length, `duplicate names in ${g}`);
    }
    assert.deepEqual(JSON.parse(JSON.stringify(DEFAULT_WEIGHTS)), DEFAULT_WEIGHTS);
    assert.equal(DEFAULT_WEIGHTS.statement.scfFor, 2.5);
  });

  it('replay the same programs when an override restates a default', () => {
    assert.deepEqual(texts(10, { statement: { scfFor: 2.5 }, chance: { alloca: 0.4 } }), texts(10));
  });

  it('take effect: a zero weight turns a statement kind off, a large one makes it common', () => {
    const base = texts(30);
    assert.ok(count(base, 'cf.assert') > 0);
    assert.equal(count(texts(30, { statement: { cfAssert: 0 } }), 'cf.assert'), 0);
    assert.ok(count(texts(30, { statement: { cfAssert: 40 } }), 'cf.assert') > 5 * count(base, 'cf.assert'));
    assert.equal(count(texts(30, { chance: { alloca: 0 }, statement: { allocate: 20 } }), 'memref.alloca'), 0);
    const allStack = texts(30, { chance: { alloca: 1 }, statement: { allocate: 20 } });
    assert.equal(count(allStack, 'memref.alloc'), 0);
    assert.ok(count(allStack, 'memref.alloca') > 0);
    // A numeric group: only 1-D arguments.
    for (let k = 0; k < 10; k++) {
      const p = generateFromSeed(programSeed(9, k), { weights: { argRank: { 2: 0, 3: 0 } } });
      assert.ok(p.args.every((t) => t.shape.length === 1));
    }
  });

  it('reject unknown groups and names, bad values and empty distributions, with a clear message', () => {
    const bad = (w: unknown) => () => resolveWeights(w as WeightOverrides);
    assert.throws(bad({ statment: { scfFor: 1 } }), /unknown group 'statment' \(groups: statement, /);
    assert.throws(bad({ statement: { scffor: 1 } }), /unknown name 'statement.scffor' \(names: scalar, load, /);
    assert.throws(bad({ statement: { scfFor: -1 } }), /'statement.scfFor' must be a finite number >= 0, got -1/);
    assert.throws(bad({ statement: { scfFor: '2' } }), /must be a finite number/);
    assert.throws(bad({ chance: { alloca: 1.5 } }), /'chance.alloca' is a probability, at most 1/);
    assert.throws(bad({ argRank: { 1: 0, 2: 0, 3: 0 } }), /every weight of group 'argRank' is 0/);
    assert.throws(() => programArbitrary({ weights: { nope: {} } as WeightOverrides }), /unknown group 'nope'/);
  });
});
