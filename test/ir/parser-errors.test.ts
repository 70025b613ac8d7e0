// Parse errors are one-line IrErrors pointing at the offending token: file:line:col: error: message.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { IrError } from '../../ir/diagnostic.ts';
import { parseAttrText, parseModule, parseTypeText } from '../../ir/parser/index.ts';

const FUNC_OPEN = '"func.func"() <{function_type = () -> (), sym_name = "f"}> ({';
const FUNC_CLOSE = '}) : () -> ()';

function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof IrError, `expected an IrError, got ${String(e)}`);
    const line = e.format();
    assert.ok(!line.includes('\n'), `error spans several lines: ${line}`);
    return line;
  }
  return assert.fail('no error was thrown');
}

const cases: [string, string, string][] = [
  [
    'syntax error: properties not closed',
    `${FUNC_OPEN}\n  %0 = "arith.constant"() <{value = 1 : i32} : () -> i32\n${FUNC_CLOSE}`,
    "bad.mlir:2:46: error: expected '>' after properties to close '<{', found ':'",
  ],
  [
    'unknown op',
    `${FUNC_OPEN}\n  %0 = "arith.constant"() <{value = 1 : i32}> : () -> i32\n  %1 = "arith.frobnicate"(%0) : (i32) -> i32\n${FUNC_CLOSE}`,
    "bad.mlir:3:8: error: unknown operation 'arith.frobnicate'",
  ],
  [
    'wrong type annotation on a use',
    `${FUNC_OPEN}\n  %0 = "arith.constant"() <{value = 1 : i32}> : () -> i32\n  %1 = "arith.addi"(%0, %0) : (i32, i64) -> i32\n${FUNC_CLOSE}`,
    "bad.mlir:3:25: error: use of '%0' with type 'i64', but it has type 'i32'",
  ],
  [
    'wrong type annotation on a forward use, found at the definition',
    `"func.return"(%9) : (i8) -> ()\n%9 = "arith.constant"() <{value = 1 : i16}> : () -> i16`,
    "bad.mlir:1:15: error: use of '%9' with type 'i8', but it has type 'i16'",
  ],
  [
    'undefined value',
    `${FUNC_OPEN}\n  %1 = "arith.addi"(%0, %0) : (i32, i32) -> i32\n  "func.return"() : () -> ()\n${FUNC_CLOSE}`,
    "bad.mlir:2:21: error: use of undefined value '%0'",
  ],
  [
    'result number out of range',
    `%0 = "arith.constant"() <{value = 1 : i8}> : () -> i8\n"func.return"(%0#1) : (i8) -> ()`,
    "bad.mlir:2:15: error: '%0' has 1 result, so '%0#1' does not exist",
  ],
  ['undefined block', `${FUNC_OPEN}\n  "cf.br"()[^bb7] : () -> ()\n${FUNC_CLOSE}`, "bad.mlir:2:13: error: reference to an undefined block '^bb7'"],
  [
    'redefinition',
    `%0 = "arith.constant"() <{value = 1 : i8}> : () -> i8\n%0 = "arith.constant"() <{value = 2 : i8}> : () -> i8`,
    "bad.mlir:2:1: error: redefinition of SSA value '%0'",
  ],
  [
    'custom syntax',
    'func.func @f() {\n  return\n}',
    "bad.mlir:1:1: error: custom operation syntax is not supported ('func.func'): the parser reads the generic form; normalise the input with 'mlir-opt --mlir-print-op-generic'",
  ],
  ['unterminated region', `${FUNC_OPEN}\n  "func.return"() : () -> ()\n`, "bad.mlir:1:61: error: unexpected end of input: expected '}' to close the region"],
  [
    'result count mismatch',
    '%0:2 = "arith.constant"() <{value = 1 : i8}> : () -> i8',
    "bad.mlir:1:1: error: 'arith.constant' defines 1 result but 2 names were given",
  ],
  [
    'operand count mismatch',
    '%0 = "arith.constant"() <{value = 1 : i8}> : () -> i8\n%1 = "arith.addi"(%0) : (i8, i8) -> i8',
    "bad.mlir:2:25: error: 'arith.addi' has 1 operand but its type lists 2",
  ],
  ['integer out of range', '"arith.constant"() <{value = 300 : i8}> : () -> i8', 'bad.mlir:1:30: error: integer literal 300 does not fit in 8 bits'],
  ['unsupported type', '"arith.constant"() <{value = 3.0 : tf32}> : () -> tf32', "bad.mlir:1:36: error: unsupported type 'tf32'"],
  ['undefined alias', '"arith.constant"() <{value = #nope}> : () -> i8', "bad.mlir:1:30: error: undefined attribute alias '#nope'"],
  ['bad character', '"arith.constant"() <{value = 1 : i8}> : () -> i8 $', "bad.mlir:1:50: error: unexpected character '$'"],
  ['unterminated string', '"arith.constant"() <{value = "abc}> : () -> i8', 'bad.mlir:1:30: error: unterminated string'],
  [
    'non-affine map',
    '"affine.apply"() <{map = affine_map<(d0) -> (d0 * d0)>}> : () -> index',
    'bad.mlir:1:49: error: non-affine expression: at least one of the multiply operands has to be either a constant or symbolic',
  ],
  [
    'ragged dense literal',
    '"arith.constant"() <{value = dense<[[1, 2], [3]]> : tensor<2x2xi32>}> : () -> tensor<2x2xi32>',
    'bad.mlir:1:45: error: dense literal has a ragged shape (1 vs 2 elements)',
  ],
  [
    'dense shape differs from its type',
    '"arith.constant"() <{value = dense<[1, 2]> : tensor<3xi32>}> : () -> tensor<3xi32>',
    "bad.mlir:1:30: error: dense literal of shape [2] does not match type 'tensor<3xi32>'",
  ],
  [
    'decimal integer for a float',
    '"arith.constant"() <{value = 3 : f32}> : () -> f32',
    'bad.mlir:1:30: error: unexpected decimal integer literal for a floating point value (add a trailing dot)',
  ],
  ['unterminated metadata', '{-# x: 1 ', "bad.mlir:1:10: error: unterminated file metadata: expected '#-}'"],
  [
    'duplicate dictionary key',
    '"arith.constant"() <{value = 1 : i8, value = 2 : i8}> : () -> i8',
    "bad.mlir:1:38: error: duplicate key 'value' in dictionary attribute",
  ],
  [
    'block redefinition',
    `${FUNC_OPEN}\n^bb0:\n  "cf.br"()[^bb0] : () -> ()\n^bb0:\n  "func.return"() : () -> ()\n${FUNC_CLOSE}`,
    "bad.mlir:4:1: error: redefinition of block '^bb0'",
  ],
];

for (const [name, text, expected] of cases) {
  test(`parse error: ${name}`, () => {
    assert.equal(errorOf(() => parseModule(text, 'bad.mlir')), expected);
  });
}

test('attribute and type entry points report trailing garbage and position', () => {
  assert.equal(errorOf(() => parseAttrText('1 : i32 x', 'a')), "a:1:9: error: expected end of input after the attribute, found 'x'");
  assert.equal(errorOf(() => parseTypeText('memref<4xf32', 't')), "t:1:13: error: expected '>' to close the memref type, found end of input");
  assert.equal(errorOf(() => parseTypeText('vector<4x?xf32>', 't')), 't:1:1: error: vector dimensions must be static');
  assert.equal(errorOf(() => parseTypeText('memref<4xf32, 1, 2, 3>', 't')), 't:1:18: error: too many parameters in memref type');
  assert.equal(errorOf(() => parseTypeText('tensor<*xf32>', 't')), 't:1:1: error: unranked tensor types are not supported');
  assert.equal(errorOf(() => parseTypeText('memref<4x4>', 't')), "t:1:11: error: expected 'x' in memref dimension list");
});

test('the error names the file given to parseModule, and <input> by default', () => {
  assert.equal(errorOf(() => parseModule('%0 = ')), "<input>:1:6: error: expected an operation name in quotes after '=', found end of input");
});

test('deep nesting is an IrError, not a JS stack overflow', () => {
  assert.match(errorOf(() => parseAttrText('['.repeat(100_000), 'deep')), /^deep:1:\d+: error: nesting too deep$/);
  assert.match(errorOf(() => parseModule('"a.b"() ({'.repeat(50_000), 'deep', { allowUnregistered: true })), /^deep:1:\d+: error: nesting too deep$/);
});

// The fuzzer parses tool output it does not control: damaged text must fail as an IrError, never as a TypeError.
const goldenDir = new URL('../../fixtures/golden/', import.meta.url).pathname;
const seeds = readdirSync(goldenDir)
  .filter((f) => f.endsWith('.mlir'))
  .map((f) => readFileSync(join(goldenDir, f), 'utf8'));
const PIECES = ['(', ')', '{', '}', '<', '>', '[', ']', ',', ':', '=', '->', '%0', '%1#3', '^bb1', '"', '0x', '-', '#', '!', '@',
  '?', '*', '99999999999999999999999', '1.5e', 'dense<', 'array<i8:', 'affine_map<(d0) -> (', '{-#', '#-}', 'loc(', '\\', '\n'];
const mutation = fc.tuple(fc.nat(), fc.nat(24), fc.constantFrom(0, 1, 2), fc.constantFrom(...PIECES));

test('property: damaged input either parses or raises IrError', () => {
  fc.assert(
    fc.property(fc.nat(seeds.length - 1), fc.array(mutation, { minLength: 1, maxLength: 4 }), (which, muts) => {
      let t = seeds[which]!;
      for (const [at, len, kind, piece] of muts) {
        const a = at % (t.length + 1);
        const b = Math.min(t.length, a + len);
        t = kind === 0 ? t.slice(0, a) + t.slice(b) : kind === 1 ? t.slice(0, a) + piece + t.slice(a) : t.slice(0, a) + t.slice(a, b) + t.slice(a);
      }
      try {
        parseModule(t, 'damaged.mlir', { allowUnregistered: true });
      } catch (e) {
        if (!(e instanceof IrError)) throw e;
      }
    }),
    { numRuns: 1000, seed: 7 },
  );
});
