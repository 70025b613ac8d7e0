// The round-trip law against the real toolchain: for g = mlir-opt's generic form of a hand-written program,
// mlir-opt --mlir-print-op-generic (printOp(parseModule(g))) === g, byte for byte. One mlir-opt call per side.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseModule } from '../../ir/parser/index.ts';
import { printOp } from '../../ir/printer.ts';
import { mlirOptGeneric, toolchainSkip } from '../helpers/toolchain.ts';

const dir = new URL('../../fixtures/golden/roundtrip/', import.meta.url).pathname;
const files = readdirSync(dir).filter((f) => f.endsWith('.mlir')).sort();

const skip = toolchainSkip(['mlir-opt']);

const generic = (text: string, ...flags: string[]): string => mlirOptGeneric(text, flags);

/** mlir-opt separates split outputs with this line. */
const SEP = /^\/\/ -----\n/m;

/**
 * mlir-opt's own output is not always a fixed point: it simplifies affine expressions as it builds them, so
 * `d0 + (d0 floordiv 3) * -3 + s0 * 2` re-parses as `d0 mod 3 + s0 * 2`. The law is stated on the fixed point.
 */
let fixedPoint: string | undefined;
function g(): string {
  if (fixedPoint === undefined) {
    const once = generic(files.map((f) => readFileSync(join(dir, f), 'utf8')).join('\n// -----\n'));
    fixedPoint = generic(once);
    assert.equal(generic(fixedPoint), fixedPoint, 'mlir-opt did not reach a fixed point in two steps');
  }
  return fixedPoint;
}

test('round trip: mlir-opt generic output survives parse + print byte for byte', { skip }, () => {
  const g0 = g();
  const chunks = g0.split(SEP);
  assert.ok(chunks.length >= 8, `expected several modules, got ${chunks.length}`);
  const dialects = new Set<string>();
  const reprinted = chunks.map((c, k) => {
    // Registered ops must parse as registered; only ops the registry lacks are let through, so this law
    // tests the parser and printer, not how far the op specs have come.
    const m = parseModule(c, `chunk${k}`, { allowUnregistered: true });
    for (const op of m.walk()) dialects.add(op.dialect);
    return printOp(m);
  });
  for (const d of ['func', 'cf', 'arith', 'math', 'memref', 'scf', 'affine', 'vector']) assert.ok(dialects.has(d), `no ${d} op covered`);
  const again = generic(reprinted.join('// -----\n'));
  if (again !== g0) {
    const a = again.split('\n');
    const b = g0.split('\n');
    const k = a.findIndex((line, i) => line !== b[i]);
    assert.fail(`first difference at output line ${k + 1}:\n  mlir-opt: ${b[k]}\n  ours:     ${a[k]}`);
  }
});

test('round trip: printing a parsed module twice gives the same text', { skip }, () => {
  for (const c of g().split(SEP)) {
    const once = printOp(parseModule(c, '<g>', { allowUnregistered: true }));
    assert.equal(printOp(parseModule(once, '<printed>', { allowUnregistered: true })), once);
  }
});

test('round trip: debug locations and hex dense literals parse to the same IR as the plain output', { skip }, () => {
  const plain = g().split(SEP);
  const decorated = generic(g(), '--mlir-print-debuginfo', '--mlir-print-elementsattrs-with-hex-if-larger=0').split(SEP);
  assert.equal(decorated.length, plain.length);
  assert.ok(decorated.some((c) => c.includes('dense<"0x')) && decorated.some((c) => c.includes('loc(')), 'the flags had no effect');
  plain.forEach((c, k) => {
    const want = printOp(parseModule(c, `plain${k}`, { allowUnregistered: true }));
    assert.equal(printOp(parseModule(decorated[k]!, `decorated${k}`, { allowUnregistered: true })), want);
  });
});
