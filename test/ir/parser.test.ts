// Unit tests of the generic-form parser: IR structure, name scoping, locations, types and attribute values.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AffineMapAttr, Attr, DenseAttr, DictAttr } from '../../ir/attributes.ts';
import { printAttr } from '../../ir/attributes.ts';
import { Block } from '../../ir/core.ts';
import type { Operation } from '../../ir/core.ts';
import { IrError } from '../../ir/diagnostic.ts';
import { parseAttrText, parseModule, parseTypeText } from '../../ir/parser/index.ts';
import { printOp } from '../../ir/printer.ts';
import { printType } from '../../ir/types.ts';

const unreg = { allowUnregistered: true };
const ops = (m: Operation): Operation[] => [...m.walk()].slice(1);
const find = (m: Operation, name: string): Operation => ops(m).find((o) => o.name === name)!;

test('top-level ops without a module are wrapped in one; an explicit module is returned as is', () => {
  const wrapped = parseModule('%0 = "test.a"() : () -> i32\n"test.b"(%0) : (i32) -> ()\n', 'w.mlir', unreg);
  assert.equal(wrapped.name, 'builtin.module');
  assert.deepEqual(wrapped.regions[0]!.blocks[0]!.ops.map((o) => o.name), ['test.a', 'test.b']);
  assert.equal(wrapped.regions[0]!.blocks[0]!.ops[1]!.operands[0], wrapped.regions[0]!.blocks[0]!.ops[0]!.result);

  const explicit = parseModule('"builtin.module"() <{sym_name = "m"}> ({\n}) : () -> ()\n');
  assert.equal(explicit.name, 'builtin.module');
  assert.equal(explicit.parent, undefined);
  assert.deepEqual(explicit.props, { sym_name: { kind: 'string', value: 'm' } });
  assert.equal(explicit.regions[0]!.blocks.length, 0);

  const empty = parseModule('// only a comment\n#m = affine_map<(d0) -> (d0)>\n');
  assert.equal(empty.name, 'builtin.module');
  assert.equal(empty.regions[0]!.blocks[0]!.ops.length, 0);
});

test('multi-result definitions, `#N` uses and result groups bind the right values', () => {
  const m = parseModule(
    `%a:3 = "test.three"() : () -> (i32, f32, i64)
%x, %y:2 = "test.groups"() : () -> (i1, i8, i16)
"test.use"(%a#2, %a#0, %y#1, %x, %a) : (i64, i32, i16, i1, i32) -> ()
`,
    'm.mlir',
    unreg,
  );
  const [three, groups, use] = m.regions[0]!.blocks[0]!.ops as [Operation, Operation, Operation];
  assert.deepEqual(use.operands, [three.results[2], three.results[0], groups.results[2], groups.results[0], three.results[0]]);
});

test('successors, block arguments and forward references to blocks and values', () => {
  const m = parseModule(`"func.func"() <{function_type = (i1) -> i32, sym_name = "f"}> ({
^bb0(%p: i1):
  "cf.cond_br"(%p)[^second, ^first] <{operandSegmentSizes = array<i32: 1, 0, 0>}> : (i1) -> ()
^first:
  "cf.br"(%late)[^exit] : (i32) -> ()
^second:
  %late = "arith.constant"() <{value = 7 : i32}> : () -> i32
  "cf.br"()[^first] : () -> ()
^exit(%r: i32):
  "func.return"(%r) : (i32) -> ()
}) : () -> ()
`);
  const region = find(m, 'func.func').regions[0]!;
  const [entry, first, second, exit] = region.blocks as [Block, Block, Block, Block];
  assert.equal(region.blocks.length, 4);
  assert.deepEqual(entry.ops[0]!.successors, [second, first]);
  assert.equal(entry.ops[0]!.operands[0], entry.args[0]);
  const late = second.ops[0]!.result;
  assert.equal(first.ops[0]!.operands[0], late, 'the forward use resolves to the later definition');
  assert.deepEqual(first.ops[0]!.successors, [exit]);
  assert.equal(exit.args.length, 1);
  assert.equal(exit.ops[0]!.operands[0], exit.args[0]);
});

test('names are scoped per region: sibling regions may reuse them, isolated regions see nothing outside', () => {
  const m = parseModule(`"func.func"() <{function_type = () -> (), sym_name = "f"}> ({
  %c = "test.op"() : () -> index
  "test.region"() ({
    %n = "test.op"(%c) : (index) -> index
  }, {
    %n = "test.op"() : () -> f32
    "test.use"(%n) : (f32) -> ()
  }) : () -> ()
  "func.return"() : () -> ()
}) : () -> ()
"func.func"() <{function_type = () -> (), sym_name = "g"}> ({
  %c = "test.op"() : () -> i1
  "func.return"() : () -> ()
}) : () -> ()
`, 'scopes.mlir', unreg);
  const uses = ops(m).filter((o) => o.name === 'test.use');
  assert.equal(uses[0]!.operands[0]!.type.kind, 'float');

  // func.func is isolated from above (registry trait), so a module-level value is not visible inside it.
  assert.throws(
    () => parseModule(`%v = "arith.constant"() <{value = 1 : i32}> : () -> i32
"func.func"() <{function_type = () -> (), sym_name = "f"}> ({
  "test.use"(%v) : (i32) -> ()
  "func.return"() : () -> ()
}) : () -> ()
`, 'iso.mlir', unreg),
    (e: unknown) => e instanceof IrError && e.format() === "iso.mlir:3:14: error: use of undefined value '%v'",
  );
});

test('op.loc is the file, line and column where the op starts (its result list, if any)', () => {
  const m = parseModule(`"builtin.module"() ({
  %0 = "arith.constant"() <{value = 1 : i32}> : () -> i32   loc("elsewhere.mlir":9:9)
    "test.use"(%0) : (i32) -> ()
}) : () -> ()
`, 'locs.mlir', unreg);
  assert.deepEqual(m.loc, { file: 'locs.mlir', line: 1, col: 1 });
  assert.deepEqual(ops(m).map((o) => o.loc), [
    { file: 'locs.mlir', line: 2, col: 3 },
    { file: 'locs.mlir', line: 3, col: 5 },
  ]);
});

test('aliases, trailing locations, location aliases, comments and file metadata', () => {
  const m = parseModule(`// leading comment
#map = affine_map<(d0) -> (d0 + 1)>
!vec = vector<4xf32>
#loc0 = loc("a.mlir":1:1)
"test.op"() {m = #map, t = !vec} : () -> !vec loc(#loc0) // trailing comment
"test.op"() ({
^bb0(%a: !vec loc(fused["a.mlir":1:2, callsite("f" at "b.mlir":3:4)])):
  "test.use"(%a) : (vector<4xf32>) -> ()
}) : () -> ()
#loc1 = loc(unknown)
{-#
  dialect_resources: { builtin: { blob: "0x04000000010203" } }
#-}
`, 'aliases.mlir', unreg);
  const [first, second] = m.regions[0]!.blocks[0]!.ops as [Operation, Operation];
  assert.equal(printAttr(first.attrs['m']!), 'affine_map<(d0) -> (d0 + 1)>');
  assert.equal(printAttr(first.attrs['t']!), 'vector<4xf32>');
  assert.equal(printType(first.result.type), 'vector<4xf32>');
  assert.equal(printType(second.regions[0]!.blocks[0]!.args[0]!.type), 'vector<4xf32>');
});

test('every builtin type parses to its structure and prints back canonically', () => {
  const cases: [string, string][] = [
    ['i1', 'i1'],
    ['i65535', 'i65535'],
    ['index', 'index'],
    ['bf16', 'bf16'],
    ['none', 'none'],
    ['memref<4x?xf32, strided<[?, 1], offset: ?>, 1>', 'memref<4x?xf32, strided<[?, 1], offset: ?>, 1 : i64>'],
    ['memref<*xf32>', 'memref<*xf32>'],
    ['memref<*xf32, 2>', 'memref<*xf32, 2 : i64>'],
    ['memref<f32>', 'memref<f32>'],
    ['memref<2x3xf32, affine_map<(d0, d1) -> (d1, d0)>>', 'memref<2x3xf32, affine_map<(d0, d1) -> (d1, d0)>>'],
    ['vector<4x[8]xf32>', 'vector<4x[8]xf32>'],
    ['vector<[4]x[4]xi1>', 'vector<[4]x[4]xi1>'],
    ['tensor<?x2xindex>', 'tensor<?x2xindex>'],
    ['(i32, (f32) -> f16) -> (i1, i2)', '(i32, (f32) -> f16) -> (i1, i2)'],
    ['() -> (i1)', '() -> i1'],
    ['() -> ((i1) -> i1)', '() -> ((i1) -> i1)'],
  ];
  for (const [text, printed] of cases) assert.equal(printType(parseTypeText(text)), printed, text);
  const v = parseTypeText('vector<2x[4]xf32>');
  assert.deepEqual(v, { kind: 'vector', shape: [2, 4], scalable: [false, true], elem: { kind: 'float', name: 'f32' } });
  const mr = parseTypeText('memref<?x4xi8>');
  assert.deepEqual(mr, { kind: 'memref', shape: [-1, 4], elem: { kind: 'int', width: 8 } });
  // Signatures with the same text share one type object, which makes typeEq an identity check.
  const m = parseModule('"test.a"() : () -> memref<4xf32>\n"test.b"() : () -> memref<4xf32>\n', 't', unreg);
  const [a, b] = m.regions[0]!.blocks[0]!.ops as [Operation, Operation];
  assert.equal(a.result.type, b.result.type);
});

const attr = (text: string): Attr => parseAttrText(text);

test('integer attributes hold the signed value for their width; bare integers are i64', () => {
  assert.deepEqual(attr('255 : i8'), { kind: 'int', type: { kind: 'int', width: 8 }, value: -1n });
  assert.deepEqual(attr('0xFF : i16'), { kind: 'int', type: { kind: 'int', width: 16 }, value: 255n });
  assert.deepEqual(attr('18446744073709551615 : i64'), { kind: 'int', type: { kind: 'int', width: 64 }, value: -1n });
  assert.deepEqual(attr('-128 : i8'), { kind: 'int', type: { kind: 'int', width: 8 }, value: -128n });
  assert.deepEqual(attr('42'), { kind: 'int', type: { kind: 'int', width: 64 }, value: 42n });
  assert.deepEqual(attr('true'), { kind: 'int', type: { kind: 'int', width: 1 }, value: -1n });
  assert.deepEqual(attr('false'), { kind: 'int', type: { kind: 'int', width: 1 }, value: 0n });
  assert.deepEqual(attr('-3 : index'), { kind: 'int', type: { kind: 'index' }, value: -3n });
});

test('float attributes round to their type (as MLIR does, through the nearest double) and keep bit patterns', () => {
  const bits = (text: string): bigint => {
    const a = attr(text);
    assert.equal(a.kind, 'float');
    return (a as { bits: bigint }).bits;
  };
  assert.equal(bits('0.1 : f32'), 0x3dcccccdn);
  assert.equal(bits('0.1 : f16'), 0x2e66n);
  assert.equal(bits('0.1 : bf16'), 0x3dcdn);
  assert.equal(bits('0.1 : f64'), 0x3fb999999999999an);
  assert.equal(bits('0.1'), 0x3fb999999999999an);
  assert.equal(bits('1.000000e-01 : f32'), 0x3dcccccdn);
  assert.equal(bits('-0.0 : f32'), 0x80000000n);
  assert.equal(bits('0x7FC00001 : f32'), 0x7fc00001n);
  assert.equal(bits('0xFC00 : f16'), 0xfc00n);
  assert.equal(bits('1.0e+300 : f32'), 0x7f800000n);
  assert.equal(bits('65520.0 : f16'), 0x7c00n);
  assert.equal(bits('65519.0 : f16'), 0x7bffn);
  assert.equal(bits('1.0e-45 : f32'), 1n);
  assert.equal(bits('2. : f32'), 0x40000000n);
});

test('strings, symbols, unit, arrays, dicts, strided layouts and dialect attributes', () => {
  assert.deepEqual(attr('"a\\n\\t\\"\\\\\\41\\E2\\82\\AC"'), { kind: 'string', value: 'a\n\t"\\A€' });
  assert.deepEqual(attr('@a::@"b c"::@d'), { kind: 'symbol', path: ['a', 'b c', 'd'] });
  assert.deepEqual(attr('unit'), { kind: 'unit' });
  assert.deepEqual(attr('[1 : i8, "x"]'), {
    kind: 'array',
    elems: [{ kind: 'int', type: { kind: 'int', width: 8 }, value: 1n }, { kind: 'string', value: 'x' }],
  });
  const d = attr('{b, "a key" = i32, c = {}}') as DictAttr;
  assert.deepEqual(Object.keys(d.entries), ['b', 'a key', 'c']);
  assert.deepEqual(d.entries['b'], { kind: 'unit' });
  assert.deepEqual(d.entries['a key'], { kind: 'type', type: { kind: 'int', width: 32 } });
  assert.deepEqual(attr('strided<[?, 1], offset: ?>'), { kind: 'strided', strides: [-1, 1], offset: -1 });
  assert.deepEqual(attr('strided<[4]>'), { kind: 'strided', strides: [4], offset: 0 });
  assert.deepEqual(attr('#arith.fastmath<nnan,ninf>'), { kind: 'dialect', dialect: 'arith', mnemonic: 'fastmath', body: 'nnan,ninf' });
  assert.deepEqual(attr('#x.y<(i32) -> i32, "a>b", <c>>'), { kind: 'dialect', dialect: 'x', mnemonic: 'y', body: '(i32) -> i32, "a>b", <c>' });
  assert.deepEqual(attr('array<i32: 1, -2>'), { kind: 'dense_array', elem: { kind: 'int', width: 32 }, values: [1n, -2n] });
  assert.deepEqual(attr('array<i64>'), { kind: 'dense_array', elem: { kind: 'int', width: 64 }, values: [] });
  assert.deepEqual(attr('array<i1: true, false>'), { kind: 'dense_array', elem: { kind: 'int', width: 1 }, values: [-1n, 0n] });
});

test('dense elements: nested lists, splats, empty, hex form with little-endian and bit-packed i1 data', () => {
  const dense = (text: string): { values: readonly bigint[]; splat: boolean } => {
    const a = attr(text) as DenseAttr;
    assert.equal(a.kind, 'dense');
    return { values: a.values, splat: a.splat };
  };
  assert.deepEqual(dense('dense<[[1, 2], [3, -4]]> : tensor<2x2xi8>'), { values: [1n, 2n, 3n, -4n], splat: false });
  assert.deepEqual(dense('dense<[200, 200]> : vector<2xi8>'), { values: [-56n], splat: true });
  assert.deepEqual(dense('dense<1.5> : vector<4xf32>'), { values: [0x3fc00000n], splat: true });
  assert.deepEqual(dense('dense<> : tensor<0xi32>'), { values: [], splat: false });
  assert.deepEqual(dense('dense<[true, false, true]> : tensor<3xi1>'), { values: [-1n, 0n, -1n], splat: false });
  assert.deepEqual(dense('dense<"0x0100000002000000"> : tensor<2xi32>'), { values: [1n, 2n], splat: false });
  assert.deepEqual(dense('dense<"0xFFFF"> : tensor<3xi16>'), { values: [-1n], splat: true });
  assert.deepEqual(dense('dense<"0x05"> : tensor<3xi1>'), { values: [-1n, 0n, -1n], splat: false });
  assert.deepEqual(dense('dense<"0x0000C07F"> : tensor<1xf32>'), { values: [0x7fc00000n], splat: true });
  assert.deepEqual(dense('dense<[0x7FC00000, -1.0]> : tensor<2xf32>'), { values: [0x7fc00000n, 0xbf800000n], splat: false });
});

test('affine expressions follow MLIR precedence: a - b is a + b * -1, unary minus binds tightest', () => {
  const map = (text: string): string => {
    const a = attr(text) as AffineMapAttr;
    return JSON.stringify(a.map.results, (_k, v) => (typeof v === 'bigint' ? Number(v) : v));
  };
  const d0 = { k: 'dim', i: 0 };
  const d1 = { k: 'dim', i: 1 };
  const s0 = { k: 'sym', i: 0 };
  const c = (v: number): object => ({ k: 'const', v });
  const j = (x: object[]): string => JSON.stringify(x);
  assert.equal(map('affine_map<(d0, d1) -> (d0 - d1)>'), j([{ k: 'add', l: d0, r: { k: 'mul', l: d1, r: c(-1) } }]));
  assert.equal(map('affine_map<(d0) -> (d0 - 3)>'), j([{ k: 'add', l: d0, r: c(-3) }]));
  assert.equal(map('affine_map<(d0) -> (-d0 * 2)>'), j([{ k: 'mul', l: { k: 'mul', l: d0, r: c(-1) }, r: c(2) }]));
  assert.equal(map('affine_map<(d0)[s0] -> (d0 + s0 * 2)>'), j([{ k: 'add', l: d0, r: { k: 'mul', l: s0, r: c(2) } }]));
  assert.equal(map('affine_map<(d0) -> (d0 floordiv 2 mod 3)>'), j([{ k: 'mod', l: { k: 'floordiv', l: d0, r: c(2) }, r: c(3) }]));
  assert.equal(map('affine_map<(d0, d1) -> (d0 - d1 - 1)>'), j([{ k: 'add', l: { k: 'add', l: d0, r: { k: 'mul', l: d1, r: c(-1) } }, r: c(-1) }]));
  assert.equal(map('affine_map<(i)[N] -> (i ceildiv N, -5)>'), j([{ k: 'ceildiv', l: d0, r: s0 }, c(-5)]));
  const set = attr('affine_set<(d0)[s0] : (d0 >= s0, d0 <= 4, d0 == 2, d0 >= 0)>');
  assert.equal(printAttr(set), 'affine_set<(d0)[s0] : (d0 - s0 >= 0, 4 - d0 >= 0, d0 - 2 == 0, d0 >= 0)>');
});

test('ops keep properties and discardable attributes apart, and print back as parsed', () => {
  const text = `"builtin.module"() ({
  %0 = "arith.constant"() <{value = 3 : i32}> {tag = "x", u} : () -> i32
  %1 = "arith.addi"(%0, %0) <{overflowFlags = #arith.overflow<nsw>}> : (i32, i32) -> i32
}) : () -> ()
`;
  const m = parseModule(text);
  const [c, add] = m.regions[0]!.blocks[0]!.ops as [Operation, Operation];
  assert.deepEqual(Object.keys(c.props), ['value']);
  assert.deepEqual(Object.keys(c.attrs), ['tag', 'u']);
  assert.deepEqual(add.props['overflowFlags'], { kind: 'dialect', dialect: 'arith', mnemonic: 'overflow', body: 'nsw' });
  assert.equal(printOp(m), text);
});

test('unknown ops are rejected unless allowUnregistered is set', () => {
  assert.throws(() => parseModule('"foo.bar"() : () -> ()', 'u.mlir'), (e: unknown) => e instanceof IrError && e.format() === "u.mlir:1:1: error: unknown operation 'foo.bar'");
  assert.equal(ops(parseModule('"foo.bar"() : () -> ()', 'u.mlir', unreg))[0]!.name, 'foo.bar');
});

test('a file holding several top-level modules wraps them all', () => {
  const m = parseModule('"builtin.module"() ({\n}) : () -> ()\n"builtin.module"() ({\n}) : () -> ()\n');
  assert.equal(m.regions[0]!.blocks[0]!.ops.length, 2);
  assert.ok(m.regions[0]!.blocks[0]! instanceof Block);
});

test('the type cache never shares a type whose text names an alias between files', () => {
  const sig = '"test.a"() : () -> memref<4xf32, #m>\n"test.b"() : () -> (!t, memref<4xf32, #m>)\n';
  const one = parseModule(`#m = affine_map<(d0) -> (d0 + 1)>\n!t = i8\n${sig}`, 'one', unreg);
  const two = parseModule(`#m = affine_map<(d0) -> (d0 + 2)>\n!t = f16\n${sig}`, 'two', unreg);
  const types = (m: Operation): string[] => ops(m).flatMap((o) => o.results.map((r) => printType(r.type)));
  assert.deepEqual(types(one), ['memref<4xf32, affine_map<(d0) -> (d0 + 1)>>', 'i8', 'memref<4xf32, affine_map<(d0) -> (d0 + 1)>>']);
  assert.deepEqual(types(two), ['memref<4xf32, affine_map<(d0) -> (d0 + 2)>>', 'f16', 'memref<4xf32, affine_map<(d0) -> (d0 + 2)>>']);
});
