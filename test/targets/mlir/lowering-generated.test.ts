// Every op the generator can emit must lower completely on every backend: a program the suffix cannot lower is a
// gap in tcfuzz, not a compiler bug, and would otherwise show up as a false "compile failure" finding. The only
// failures allowed are known compiler bugs, each with a reduced fixture that the last test checks still reproduces.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { loweredSignature } from '../../../targets/mlir/abi.ts';
import { mergeGroups, mergeLowered, splitLowered } from '../../../targets/mlir/llvm-merge.ts';
import { addModuleAttribute, unconvertedOps } from '../../../targets/mlir/lower.ts';
import type { OptResult } from '../../../targets/mlir/mlir-opt.ts';
import { runMlirOpt } from '../../../targets/mlir/mlir-opt.ts';
import { NATIVE_SUFFIX, WASM_INDEX_DLTI, WASM_SUFFIX } from '../../../targets/mlir/passes/lowering.ts';
import { parsePipeline } from '../../../targets/mlir/passes/pipeline.ts';
import { generateFromSeed, programSeed, programText } from '../../../mutators/generate/index.ts';

const KNOWN_BUGS = [{ fixture: 'canonicalize-affine-for-empty-lower-bound.mlir', message: /'affine.for' op expected (lower|upper) bound map to have at least one result/ }];

const knownBug = (r: OptResult): boolean => r.kind === 'verifier' && r.diagnostics.some((d) => KNOWN_BUGS.some((b) => b.message.test(d.message)));

describe('lowering suffixes on generated programs', () => {
  const texts = Array.from({ length: 120 }, (_, k) => programText(generateFromSeed(programSeed(77, k))));

  for (const [name, suffix, prepare] of [
    ['native', NATIVE_SUFFIX, (t: string) => t],
    ['wasm', WASM_SUFFIX, (t: string) => addModuleAttribute(t, WASM_INDEX_DLTI)],
  ] as const) {
    it(`${name} lowers every generated program to the LLVM dialect, but for known compiler bugs`, async () => {
      const results = await runMlirOpt(texts.map(prepare), suffix);
      const problems = results.flatMap((r, k) => {
        if (knownBug(r)) return [];
        if (r.kind !== 'ok') return [`program ${k}: ${r.kind} ${JSON.stringify(r).slice(0, 300)}`];
        const left = unconvertedOps(r.output);
        return left.length ? [`program ${k}: left ${left.join(', ')}`] : [];
      });
      assert.deepEqual(problems, []);
    });
  }

  it('the known bugs still reproduce on the installed MLIR (drop them from the list once fixed)', async () => {
    const fixtures = KNOWN_BUGS.map((b) => readFileSync(new URL(`../../../fixtures/backends/bugs/${b.fixture}`, import.meta.url), 'utf8'));
    const results = await runMlirOpt(fixtures, parsePipeline('builtin.module(canonicalize)'));
    results.forEach((r, k) => assert.ok(knownBug(r), `${KNOWN_BUGS[k]!.fixture}: ${r.kind}`));
  });
});

// Coverage runs print generic form (mlir-opt.ts): merging and the ABI check must read it as they read custom form.
describe('lowered output in generic form', () => {
  const texts = Array.from({ length: 12 }, (_, k) => addModuleAttribute(programText(generateFromSeed(programSeed(78, k))), WASM_INDEX_DLTI));
  const lowered = async (generic: boolean) =>
    (await runMlirOpt(texts, WASM_SUFFIX, generic ? { extraArgs: ['--mlir-print-op-generic'] } : {})).map((r) => {
      assert.equal(r.kind, 'ok', JSON.stringify(r).slice(0, 300));
      return r.kind === 'ok' ? r.output : '';
    });

  it('splits into the same declarations, symbols and definitions, and reads the same entry signature', async () => {
    const [custom, generic] = await Promise.all([lowered(false), lowered(true)]);
    custom.forEach((c, k) => {
      const g = generic[k]!;
      assert.match(g, /^"builtin\.module"\(\) \(\{$/m);
      const [pc, pg] = [splitLowered(c), splitLowered(g)];
      assert.equal(pg.attrs, pc.attrs);
      assert.deepEqual([...pg.decls.keys()].sort(), [...pc.decls.keys()].sort());
      assert.deepEqual([...pg.defined].sort(), [...pc.defined].sort());
      assert.equal(pg.defs.length, pc.defs.length);
      assert.deepEqual(loweredSignature(g, 'main'), loweredSignature(c, 'main'));
      assert.ok(loweredSignature(g, 'main')!.args.length > 0);
    });
  });

  it('merges into one module that mlir-opt accepts, with the symbols of every program renamed apart', async () => {
    const generic = await lowered(true);
    const groups = mergeGroups(generic.map((g, k) => ({ k, parts: splitLowered(g) })));
    assert.equal(groups.length, 1, 'one wasm module attribute, shared declarations');
    const merged = mergeLowered(groups[0]!, '');
    for (let k = 0; k < texts.length; k++) assert.ok(merged.includes('sym_name = "main__k' + k + '"'), `main of program ${k}`);
    assert.ok(!merged.includes('sym_name = "main"'));
    const [check] = await runMlirOpt([merged], parsePipeline('builtin.module(canonicalize)'));
    assert.equal(check!.kind, 'ok', JSON.stringify(check).slice(0, 600));
  });
});
