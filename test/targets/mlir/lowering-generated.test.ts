// Every op the generator can emit must lower completely on every backend: a program the suffix cannot lower is a
// gap in tcfuzz, not a compiler bug, and would otherwise show up as a false "compile failure" finding. The only
// failures allowed are known compiler bugs, each with a reduced fixture that the last test checks still reproduces.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
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
