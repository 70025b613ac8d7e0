// `tcfuzz fmt` end to end, in-process: good files print, bad files get one error line each, the rest go on.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { main } from '../../cli/main.ts';
import { parseModule } from '../../ir/parser/index.ts';
import { printOp } from '../../ir/printer.ts';
import { mlirOptGeneric, toolchainSkip } from '../helpers/toolchain.ts';

const dir = mkdtempSync(join(tmpdir(), 'tcfuzz-fmt-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => void (out += t), err: (t) => void (err += t) });
  return { code, out, err };
}

// Aliases, a forward reference and mlir-opt's comments: fmt prints all of it back in the printer's form.
const GOOD = `#map = affine_map<(d0) -> (d0 + 1)>
"builtin.module"() ({
  "func.func"() <{function_type = (index) -> index, sym_name = "inc"}> ({
  ^bb0(%arg0: index):
    %0 = "affine.apply"(%arg0) <{map = #map}> : (index) -> index
    "cf.br"()[^bb1] : () -> ()
  ^bb1:  // pred: ^bb0
    "func.return"(%0) : (index) -> ()
  }) : () -> ()
}) : () -> ()
`;
const GOOD_PRINTED = `"builtin.module"() ({
  "func.func"() <{function_type = (index) -> index, sym_name = "inc"}> ({
  ^bb0(%arg0: index):
    %0 = "affine.apply"(%arg0) <{map = affine_map<(d0) -> (d0 + 1)>}> : (index) -> index
    "cf.br"()[^bb1] : () -> ()
  ^bb1:
    "func.return"(%0) : (index) -> ()
  }) : () -> ()
}) : () -> ()
`;
const FN = (body: string, type = '() -> ()'): string =>
  `"builtin.module"() ({\n  "func.func"() <{function_type = ${type}, sym_name = "f"}> ({\n${body}  }) : () -> ()\n}) : () -> ()\n`;

const good = write('good.mlir', GOOD);
const syntax = write('syntax.mlir', FN('    "func.return"() : () -> (\n'));
const unknown = write('unknown.mlir', FN('    "arith.frobnicate"() : () -> ()\n    "func.return"() : () -> ()\n'));
const wrongType = write(
  'wrongtype.mlir',
  FN('    %0 = "arith.constant"() <{value = 1 : i32}> : () -> i32\n    "func.return"(%0) : (i64) -> ()\n', '() -> i64'),
);
const invalid = write(
  'invalid.mlir',
  FN('    %0 = "arith.constant"() <{value = 1 : i64}> : () -> i64\n    "func.return"(%0) : (i64) -> ()\n', '() -> i32'),
);

test('fmt prints a good file in canonical generic form and exits 0', async () => {
  const r = await run('fmt', good);
  assert.equal(r.err, '');
  assert.equal(r.code, 0);
  assert.equal(r.out, GOOD_PRINTED);
  assert.equal(r.out, printOp(parseModule(GOOD)));
});

test('fmt reports each bad file on one line with its position, keeps going, and exits 2', async () => {
  const r = await run('fmt', syntax, good, unknown, wrongType, invalid, join(dir, 'missing.mlir'));
  assert.equal(r.code, 2);
  assert.equal(r.out, GOOD_PRINTED, 'the good file in the middle is still printed');
  assert.deepEqual(r.err.split('\n').filter(Boolean), [
    `${syntax}:4:3: error: expected a type here, found '}'`,
    `${unknown}:3:5: error: unknown operation 'arith.frobnicate'`,
    `${wrongType}:4:19: error: use of '%0' with type 'i64', but it has type 'i32'`,
    `${invalid}:4:5: error: 'func.return' op type of return operand 0 ('i64') doesn't match function result type ('i32') in function @f`,
    `${join(dir, 'missing.mlir')}: error: cannot read: ENOENT`,
  ]);
});

test('fmt --out writes DIR/<basename> and refuses to overwrite its own output', async () => {
  const outDir = join(dir, 'out');
  const other = join(dir, 'sub');
  const twin = join(other, 'good.mlir');
  const r1 = await run('fmt', '--out', outDir, good);
  assert.equal(r1.code, 0);
  assert.equal(r1.out, '');
  assert.equal(readFileSync(join(outDir, 'good.mlir'), 'utf8'), GOOD_PRINTED);
  mkdirSync(other, { recursive: true });
  writeFileSync(twin, GOOD);
  const r2 = await run('fmt', '--out', outDir, good, twin);
  assert.equal(r2.code, 2);
  assert.match(r2.err, /^.*sub\/good\.mlir: error: not written: .*out\/good\.mlir already holds the output for .*good\.mlir\n$/);
});

test('fmt separates several modules on stdout so mlir-opt --split-input-file can read them', async () => {
  const r = await run('fmt', good, good);
  assert.equal(r.code, 0);
  assert.equal(r.out, `${GOOD_PRINTED}// -----\n${GOOD_PRINTED}`);
});


test('fmt output means to mlir-opt what the input means', { skip: toolchainSkip(['mlir-opt']) }, async () => {
  const r = await run('fmt', good, good);
  assert.equal(mlirOptGeneric(r.out), mlirOptGeneric(`${GOOD}// -----\n${GOOD}`));
});
