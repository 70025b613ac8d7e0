// The seed templates: for every template, its default instance and three seeded random ones parse, verify, run
// UB-free on the reference (two input seeds), and agree across interp, native and wasm in one batched `check`
// (which also runs real mlir-opt on each); names are unique, record every parameter, and replay.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { main } from '../../cli/main.ts';
import { entryArgs, fillInputs } from '../../ir/entry-abi.ts';
import { SplitMix64 } from '../../ir/inputs.ts';
import { parseModule } from '../../ir/parser/index.ts';
import { numElements } from '../../ir/types.ts';
import { verifyModule } from '../../ir/verifier.ts';
import { runMain } from '../../reference/index.ts';
import { MAX_BUFFER_ELEMENTS, randomInstance, SEED_TEMPLATES, seedPool, seedPrograms } from '../../seeds/index.ts';
import type { SeedInstance, SeedRandom } from '../../seeds/index.ts';
import { toolchainSkip } from '../helpers/toolchain.ts';

function random(seed: number): SeedRandom {
  const r = new SplitMix64(seed);
  return { int: (lo, hi) => r.int(lo, hi), pick: (xs) => xs[r.int(0, xs.length - 1)]! };
}

/** Per template: the default instance and three random ones, from a fixed seed. */
function instances(seed: number): SeedInstance[][] {
  const rnd = random(seed);
  return SEED_TEMPLATES.map((t) => [t.instantiate(), ...[0, 1, 2].map(() => randomInstance(t, rnd))]);
}
const ALL = instances(2026);
const unique = [...new Map(ALL.flat().map((i) => [i.name, i])).values()];

describe('seed templates', () => {
  it('cover the operator families, with unique names and documented parameters', () => {
    assert.ok(SEED_TEMPLATES.length >= 30, `${SEED_TEMPLATES.length} templates`);
    const names = SEED_TEMPLATES.map((t) => t.name);
    assert.equal(new Set(names).size, names.length, 'template names repeat');
    for (const want of ['matmul', 'batch_matmul', 'conv2d_nchw', 'conv2d_nhwc_hwcf', 'depthwise_conv2d_nhwc', 'maxpool2d_nchw', 'avgpool2d_nchw', 'softmax', 'layernorm', 'batchnorm_inference', 'reduce_sum', 'reduce_max', 'reduce_mean', 'broadcast_add', 'broadcast_mul', 'broadcast_sub', 'transpose2d', 'gather', 'concat', 'pad2d', 'gelu', 'relu', 'clamp']) {
      assert.ok(names.includes(want), `no template ${want}`);
    }
    for (const t of SEED_TEMPLATES) {
      assert.ok(t.doc.length > 0, t.name);
      for (const [k, p] of Object.entries(t.params)) assert.ok(p.values.includes(p.default), `${t.name}.${k}: default outside its values`);
    }
  });

  it('name each instance by template and every parameter, and rebuild it from its params alone', () => {
    for (const [k, t] of SEED_TEMPLATES.entries()) {
      for (const inst of ALL[k]!) {
        assert.deepEqual(Object.keys(inst.params), Object.keys(t.params));
        assert.equal(inst.name, `${t.name}{${Object.entries(inst.params).map(([p, v]) => `${p}=${v}`).join(',')}}`);
        assert.equal(t.instantiate(inst.params).text, inst.text, `${inst.name} does not replay`);
        assert.ok(inst.text.startsWith(`// ${inst.name}\n`));
      }
    }
    const texts = new Map<string, string>();
    for (const i of ALL.flat()) {
      const seen = texts.get(i.name);
      assert.ok(seen === undefined || seen === i.text, `two programs named ${i.name}`);
      texts.set(i.name, i.text);
    }
  });

  it('replay random instances from the same seed, and refuse values outside the parameter space', () => {
    assert.deepEqual(instances(2026).flat().map((i) => i.name), ALL.flat().map((i) => i.name));
    const mm = SEED_TEMPLATES.find((t) => t.name === 'matmul')!;
    assert.throws(() => mm.instantiate({ m: 999 }), /m=999 is not one of/);
    assert.throws(() => mm.instantiate({ q: 1 }), /no parameter q/);
    assert.throws(() => SEED_TEMPLATES.find((t) => t.name === 'maxpool2d_nchw')!.instantiate({ ks: 1, pad: 1 }), /padding/);
    assert.equal(seedPrograms().length, SEED_TEMPLATES.length);
    assert.equal(seedPrograms((t) => (t.name === 'matmul' ? { m: 2 } : {}))[0]!.name, 'matmul{m=2,n=5,k=3,dtype=f32}');
    const pool = seedPool(random(1), 2);
    assert.equal(new Set(pool.map((i) => i.name)).size, pool.length);
  });

  it('parse, verify, stay small, and run UB-free on the reference', () => {
    for (const inst of unique) {
      const m = parseModule(inst.text, inst.name);
      assert.deepEqual(verifyModule(m).map((e) => e.format()), [], inst.name);
      const args = entryArgs(m, 'main', inst.name);
      for (const a of args) assert.ok(numElements(a.shape) <= MAX_BUFFER_ELEMENTS, `${inst.name}: a buffer of ${numElements(a.shape)} elements`);
      for (const seed of [0, 1]) {
        const r = runMain(m, fillInputs(args, seed, 64));
        assert.equal(r.kind, 'ok', `${inst.name}, input seed ${seed}: ${JSON.stringify(r.kind === 'ok' ? {} : r)}`);
      }
    }
  });

  describe('on real backends', { skip: toolchainSkip() }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'tcfuzz-seeds-'));
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('agree on interp, native and wasm (one batched check of every instance)', async () => {
      unique.forEach((inst, k) => writeFileSync(join(dir, `${String(k).padStart(3, '0')}.mlir`), inst.text));
      const io = { stdout: '', stderr: '', out: (t: string) => void (io.stdout += t), err: (t: string) => void (io.stderr += t) };
      const code = await main(['check', dir, '--backends', 'interp,native,wasm', '--json'], io);
      const r = JSON.parse(io.stdout);
      const brief = JSON.stringify({ disagreements: r.disagreements, backend_failures: r.backend_failures, invalid: r.invalid_inputs, outcomes: r.outcomes }).slice(0, 4000);
      assert.equal(code, 0, brief);
      assert.equal(r.cases, unique.length, brief);
      assert.equal(r.agree, unique.length, brief);
      assert.equal(r.ub_discarded + r.hang_discarded + r.unsupported + r.unportable, 0, brief);
      for (const b of ['interp', 'native', 'wasm']) assert.deepEqual(r.outcomes[b], { ok: unique.length }, brief);
    });
  });
});
