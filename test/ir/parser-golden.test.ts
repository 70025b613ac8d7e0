// Golden tests: fixtures/golden/X.mlir (generic form, hand-written) parses and prints as X.generic.mlir.
// TCFUZZ_UPDATE_GOLDEN=1 rewrites the expected files instead of comparing.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseModule } from '../../ir/parser/index.ts';
import { printOp } from '../../ir/printer.ts';
import { mlirOptGeneric, toolchainSkip } from '../helpers/toolchain.ts';

const dir = new URL('../../fixtures/golden/', import.meta.url).pathname;
const update = process.env.TCFUZZ_UPDATE_GOLDEN === '1';
const inputs = readdirSync(dir)
  .filter((f) => f.endsWith('.mlir') && !f.endsWith('.generic.mlir'))
  .sort();
// The fixtures use unregistered `test.*` ops to hold types and attributes.
const opts = { allowUnregistered: true };


test('golden fixtures exist', () => {
  assert.ok(inputs.length >= 5, `found ${inputs.join(', ')}`);
});

for (const f of inputs) {
  test(`golden ${f}`, () => {
    const out = printOp(parseModule(readFileSync(join(dir, f), 'utf8'), f, opts));
    const expectedPath = join(dir, f.replace(/\.mlir$/, '.generic.mlir'));
    if (update) writeFileSync(expectedPath, out);
    else assert.equal(out, readFileSync(expectedPath, 'utf8'), `${f}: output changed; rerun with TCFUZZ_UPDATE_GOLDEN=1 if intended`);
    // Printer output is a fixed point of parse-then-print.
    assert.equal(printOp(parseModule(out, `${f} (printed)`, opts)), out);
  });
}

test('golden outputs mean to mlir-opt what their inputs mean', { skip: toolchainSkip(['mlir-opt']) }, () => {
  const sources = inputs.map((f) => readFileSync(join(dir, f), 'utf8'));
  const printed = sources.map((s, k) => printOp(parseModule(s, inputs[k], opts)));
  const sep = '\n// -----\n';
  // File metadata is dropped by design (see ir/parser/README.md), so mlir-opt's copy of it is not compared.
  const original = mlirOptGeneric(sources.join(sep), ['--allow-unregistered-dialect']).replace(/\n*\{-#[\s\S]*?#-\}\n/g, '\n');
  assert.equal(mlirOptGeneric(printed.join(sep), ['--allow-unregistered-dialect']), original);
});
