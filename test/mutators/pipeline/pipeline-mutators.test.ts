// The pipeline mutators' laws on MLIR's catalog: each changes its input without touching it, replays from its seed,
// stays within the catalog's passes and option domains, and what it returns mlir-opt accepts as a pipeline.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OptionDomain, OptionValue, PassCatalog, Pipeline } from '../../../contracts/pipeline.ts';
import { generateFromSeed, programSeed, programText } from '../../../mutators/generate/index.ts';
import { Rand } from '../../../mutators/generate/rand.ts';
import type { PipelineMutationContext, PipelineMutator } from '../../../mutators/pipeline/index.ts';
import { DEFAULT_MAX_LENGTH, mutatePipeline, PIPELINE_MUTATORS, randomPipeline, resolveMutatorWeights } from '../../../mutators/pipeline/index.ts';
import { runMlirOpt } from '../../../targets/mlir/mlir-opt.ts';
import { mlirCatalog } from '../../../targets/mlir/target.ts';
import { toolchainSkip } from '../../helpers/toolchain.ts';

const catalog: PassCatalog = mlirCatalog;
/** Seeds are hashed first: a fresh xoroshiro stream from small consecutive seeds starts with near-equal draws. */
const ctx = (seed: number, donorSeed?: number): PipelineMutationContext => ({
  catalog,
  random: Rand.seeded(programSeed(77, seed)),
  ...(donorSeed !== undefined && { donor: () => start(donorSeed) }),
});
/** A seeded random start of 1 to 8 steps. */
const start = (seed: number): Pipeline => randomPipeline(ctx(seed));
const text = (p: Pipeline): string => catalog.print(p);

const TRIALS = 40;

/** The mutator's outputs over seeded starts; asserts the per-output laws on the way. */
function outputs(m: PipelineMutator): Pipeline[] {
  const out: Pipeline[] = [];
  for (let k = 0; k < TRIALS; k++) {
    const input = start(1000 + k);
    const before = JSON.stringify(input);
    const r = m.mutate(input, ctx(k, 2000 + k));
    assert.equal(JSON.stringify(input), before, `${m.name} modified its input (trial ${k})`);
    if (!r) continue;
    assert.notEqual(text(r), text(input), `${m.name} returned an unchanged pipeline (trial ${k})`);
    const again = m.mutate(start(1000 + k), ctx(k, 2000 + k));
    assert.equal(again && text(again), text(r), `${m.name} is not deterministic under its seed (trial ${k})`);
    assert.ok(r.length <= DEFAULT_MAX_LENGTH, `${m.name} made a pipeline of ${r.length} steps (trial ${k})`);
    out.push(r);
  }
  return out;
}

function inDomain(d: OptionDomain, v: OptionValue): boolean {
  switch (d.kind) {
    case 'bool':
      return typeof v === 'boolean';
    case 'int':
      return typeof v === 'number' && Number.isInteger(v) && v >= d.min && v <= d.max;
    case 'int-list':
      return Array.isArray(v) && v.length >= 1 && v.length <= d.maxLen && v.every((x) => Number.isInteger(x) && x >= d.min && x <= d.max);
    case 'number':
    case 'enum':
    case 'string':
      return (d.values as readonly OptionValue[]).includes(v);
  }
}

function assertInCatalog(p: Pipeline, who: string): void {
  for (const s of p) {
    const info = catalog.lookup(s.pass);
    assert.ok(info, `${who}: ${s.pass} is not a catalog pass`);
    for (const [k, v] of Object.entries(s.options ?? {})) {
      const d = info!.options[k];
      assert.ok(d, `${who}: ${s.pass} has no option ${k}`);
      assert.ok(inDomain(d!, v), `${who}: ${s.pass}{${k}=${JSON.stringify(v)}} is outside its domain`);
    }
    for (const k of Object.keys(info!.required ?? {})) assert.ok(s.options && k in s.options, `${who}: ${s.pass} lost its required option ${k}`);
  }
}

/** Every mutator's outputs, gathered once for the mlir-opt check. */
const all = new Map<string, Pipeline[]>();

describe('pipeline mutators', () => {
  for (const m of PIPELINE_MUTATORS) {
    it(`${m.name}: changes, never touches its input, replays, stays in the catalog`, () => {
      const out = outputs(m);
      assert.ok(out.length >= TRIALS / 2, `${m.name} applied on only ${out.length} of ${TRIALS} trials`);
      out.forEach((p, k) => assertInCatalog(p, `${m.name} #${k}`));
      all.set(m.name, out);
    });
  }

  it('mlir-opt accepts every mutated pipeline', { skip: toolchainSkip(['mlir-opt']) }, async () => {
    // mlir-opt builds the whole pipeline (names, options, nesting) before it reads any IR, so the outputs of every
    // mutator, concatenated, are checked by one process; a rejection is narrowed down to the pipelines at fault.
    const pipelines = [...all.values()].flat();
    assert.ok(pipelines.length >= 200, `only ${pipelines.length} pipelines to check`);
    const rejected = async (ps: readonly Pipeline[]): Promise<string[]> => {
      const [r] = await runMlirOpt(['module {}\n'], ps.flat(), { timeoutMs: 60_000 });
      // 'error' is a refusal before any pass ran; a pass failing (transform-interpreter without a library) is not.
      if (r!.kind !== 'error') return [];
      if (ps.length === 1) return [`${text(ps[0]!)}: ${JSON.stringify(r!.diagnostics).slice(0, 400)}`];
      const half = ps.length >> 1;
      return [...(await rejected(ps.slice(0, half))), ...(await rejected(ps.slice(half)))];
    };
    assert.deepEqual(await rejected(pipelines), []);
    // And some run on a small real program: a pass may fail on it, but nothing is refused as a pipeline.
    const program = programText(generateFromSeed(programSeed(3, 0), { mainOps: [10, 30], maxCallees: 1 }));
    const sample = pipelines.filter((_, k) => k % 25 === 0);
    for (const p of sample) {
      const [r] = await runMlirOpt([program], p, { timeoutMs: 30_000 });
      assert.notEqual(r!.kind, 'error', `${text(p)} was refused: ${JSON.stringify(r).slice(0, 600)}`);
    }
  });

  it('mutatePipeline names the mutator that applied and replays from its seed', () => {
    const names = new Set<string>();
    for (let k = 0; k < 60; k++) {
      const a = mutatePipeline(start(k), ctx(500 + k, 900 + k));
      const b = mutatePipeline(start(k), ctx(500 + k, 900 + k));
      assert.ok(a, `no mutation applied (trial ${k})`);
      assert.equal(a!.mutator, b!.mutator);
      assert.equal(text(a!.pipeline), text(b!.pipeline));
      names.add(a!.mutator);
    }
    assert.ok(names.size >= 8, `only ${[...names].join(', ')} ever applied`);
  });

  it('weights are data: a zero weight turns a mutator off, bad overrides are errors', () => {
    const onlyDelete = resolveMutatorWeights(Object.fromEntries(PIPELINE_MUTATORS.map((m) => [m.name, m.name === 'delete-pass' ? 1 : 0])));
    for (let k = 0; k < 20; k++) {
      const m = mutatePipeline([catalog.step('cse'), catalog.step('canonicalize')], ctx(k), onlyDelete);
      assert.equal(m?.mutator, 'delete-pass');
    }
    assert.throws(() => resolveMutatorWeights({ 'no-such': 1 }), /unknown pipeline mutator/);
    assert.throws(() => resolveMutatorWeights({ crossover: -1 }), /weight -1/);
  });
});

describe('random pipelines', () => {
  const steps = Array.from({ length: 400 }, (_, k) => start(k)).flat();

  it('have 1 to 8 steps, replay from their seed, and stay in the catalog', () => {
    for (let k = 0; k < 50; k++) {
      const p = start(k);
      assert.ok(p.length >= 1 && p.length <= DEFAULT_MAX_LENGTH);
      assert.equal(text(start(k)), text(p));
      assertInCatalog(p, `random #${k}`);
    }
  });

  it('reach every optimisation and test pass, keep lowering rare, and never change the entry ABI', () => {
    const seen = new Set(steps.map((s) => s.pass));
    const missing = catalog.passes.filter((p) => p.stage !== 'lowering' && !p.changesEntryAbi && !seen.has(p.name)).map((p) => p.name);
    assert.deepEqual(missing, []);
    const stage = (name: string) => catalog.lookup(name)!.stage;
    const lowering = steps.filter((s) => stage(s.pass) === 'lowering').length;
    assert.ok(lowering > 0 && lowering < steps.length * 0.05, `${lowering} of ${steps.length} steps are lowering passes`);
    assert.ok(steps.filter((s) => stage(s.pass) === 'test').length > steps.length * 0.2, 'test passes are not weighted in');
    assert.ok(!steps.some((s) => catalog.lookup(s.pass)!.changesEntryAbi));
    assert.ok(steps.some((s) => s.nest.length === 0 && catalog.lookup(s.pass)!.anchors.includes('any')), 'op-agnostic passes never run at the root');
    assert.ok(steps.filter((s) => Object.keys(s.options ?? {}).length > 0).length > steps.length * 0.2, 'options are rarely set');
  });

  it('follow the campaign weight of each pass', () => {
    const boosted = (name: string) => (name === 'affine-scalrep' ? 200 : name === 'canonicalize' ? 0 : 1);
    const ps = Array.from({ length: 100 }, (_, k) => randomPipeline({ ...ctx(k), passWeight: boosted })).flat();
    assert.ok(!ps.some((s) => s.pass === 'canonicalize'));
    assert.ok(ps.filter((s) => s.pass === 'affine-scalrep').length > ps.length / 2);
  });
});
