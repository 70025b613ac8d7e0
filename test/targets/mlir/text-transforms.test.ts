// The text-level steps between tools: module attributes on any module spelling, merging lowered modules under
// renamed symbols, the harness wrapper, padding masks. No toolchain needed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { harnessFunction, loweredEntryTypes, loweredSignature, maskPadding } from '../../../targets/mlir/abi.ts';
import { addModuleAttribute, unconvertedOps } from '../../../targets/mlir/lower.ts';
import { mergeGroups, mergeLowered, splitLowered, stripArithFastmath } from '../../../targets/mlir/llvm-merge.ts';
import { entryArgProblem } from '../../../ir/entry-abi.ts';
import { bf16, f32, i, index, memref } from '../../../ir/types.ts';

const ATTR = 'dlti.dl_spec = #dlti.dl_spec<index = 32 : i64>';

describe('addModuleAttribute', () => {
  it('adds to an explicit module with or without attributes', () => {
    assert.equal(addModuleAttribute('module {\n}\n', ATTR), `module attributes {${ATTR}} {\n}\n`);
    assert.equal(addModuleAttribute('module @m attributes {a.b = 1} {\n}', ATTR), `module @m attributes {${ATTR}, a.b = 1} {\n}`);
  });
  it('adds to a generic-form module', () => {
    assert.equal(addModuleAttribute('"builtin.module"() ({\n}) : () -> ()\n', ATTR), `"builtin.module"() ({\n}) {${ATTR}} : () -> ()\n`);
    assert.equal(addModuleAttribute('"builtin.module"() ({\n}) {x.y} : () -> ()', ATTR), `"builtin.module"() ({\n}) {${ATTR}, x.y} : () -> ()`);
  });
  it('wraps top-level ops, keeping aliases outside and line numbers unchanged', () => {
    const text = '// c\n#set = affine_set<(d0) : (d0 >= 0)>\nfunc.func @main() {\n  return\n}\n';
    const out = addModuleAttribute(text, ATTR);
    assert.equal(out, `// c\n#set = affine_set<(d0) : (d0 >= 0)>\nmodule attributes {${ATTR}} { func.func @main() {\n  return\n}\n\n}\n`);
    assert.equal(out.split('\n')[2]!.includes('func.func @main'), true);
  });
});

describe('lowered module handling', () => {
  const lowered = (k: number): string =>
    [
      'module {',
      '  llvm.func @printF32(f32)',
      `  llvm.mlir.global private constant @cst(${k}.0 : f32) {addr_space = 0 : i32} : f32`,
      '  llvm.func @helper(%arg0: f32) attributes {sym_visibility = "private"} {',
      '    llvm.call @printF32(%arg0) : (f32) -> ()',
      '    llvm.return',
      '  }',
      '  llvm.func @main(%arg0: !llvm.ptr) {',
      '    %0 = llvm.mlir.addressof @cst : !llvm.ptr',
      '    %1 = llvm.load %0 : !llvm.ptr -> f32',
      '    llvm.call @helper(%1) : (f32) -> ()',
      '    llvm.return',
      '  }',
      '}',
      '',
    ].join('\n');

  it('splits definitions from shared declarations', () => {
    const p = splitLowered(lowered(1));
    assert.deepEqual([...p.decls.keys()], ['printF32']);
    assert.deepEqual([...p.defined].sort(), ['cst', 'helper', 'main']);
    assert.equal(p.defs.length, 3);
  });

  it('merges modules with their symbols renamed apart and declarations kept once', () => {
    const merged = mergeLowered(
      [
        { k: 0, parts: splitLowered(lowered(0)) },
        { k: 5, parts: splitLowered(lowered(5)) },
      ],
      '  // harness',
    );
    assert.equal((merged.match(/llvm\.func @printF32\(f32\)/g) ?? []).length, 1);
    for (const s of ['@main__k0(', '@main__k5(', '@helper__k5(%arg0', 'llvm.call @helper__k5(', 'addressof @cst__k5', '@cst__k0(0.0']) {
      assert.ok(merged.includes(s), `missing ${s}`);
    }
    assert.ok(!/@main\(|@helper\(|@cst\b/.test(merged), 'an unrenamed definition or use is left');
    assert.ok(merged.includes('llvm.call @printF32(%arg0)'), 'external calls keep their names');
  });

  it('keeps modules with conflicting declarations or attributes apart', () => {
    const other = lowered(2).replace('llvm.func @printF32(f32)', 'llvm.func @printF32(f64)');
    const attrs = lowered(3).replace('module {', 'module attributes {x.y = 1} {');
    const groups = mergeGroups([0, 1, 2].map((k) => ({ k, parts: splitLowered([lowered(0), other, attrs][k]!) })));
    assert.deepEqual(
      groups.map((g) => g.map((m) => m.k)),
      [[0], [1], [2]],
    );
    assert.deepEqual(
      mergeGroups([0, 1, 2].map((k) => ({ k, parts: splitLowered(lowered(k)) })), 2).map((g) => g.length),
      [2, 1],
    );
  });

  it('strips the arith fastmath attribute convert-arith-to-llvm leaks', () => {
    assert.equal(stripArithFastmath('%1 = llvm.fpext %0 {fastmath = #arith.fastmath<contract>} : f16 to f32'), '%1 = llvm.fpext %0 : f16 to f32');
    assert.equal(stripArithFastmath('op {a = 1, fastmath = #arith.fastmath<fast>}'), 'op {a = 1}');
  });

  it('lists ops a partial conversion left behind', () => {
    assert.deepEqual(unconvertedOps('module {\n  llvm.func @f() {\n    %0 = vector.step : vector<4xindex>\n    "vector.print"(%0) : (vector<4xindex>) -> ()\n    llvm.return\n  }\n}\n'), [
      'vector.print',
      'vector.step',
    ]);
  });
});

describe('harness ABI', () => {
  const args = [memref([2, 3], f32), memref([], i(5))];
  it('passes each memref as (ptr, ptr, offset, sizes..., strides...) in the index width', () => {
    assert.deepEqual(loweredEntryTypes(args, 32), ['!llvm.ptr', '!llvm.ptr', 'i32', 'i32', 'i32', 'i32', 'i32', '!llvm.ptr', '!llvm.ptr', 'i32']);
    const fn = harnessFunction('entry', [{ k: 0, entry: 'main__k4', args }], 64);
    // Row-major strides of 2x3 are (3, 1); a rank-0 memref has only the offset.
    assert.match(fn, /%s0_0_0 = llvm\.mlir\.constant\(2 : i64\)/);
    assert.match(fn, /%t0_0_0 = llvm\.mlir\.constant\(3 : i64\)/);
    assert.match(fn, /%n0_0 = llvm\.mlir\.constant\(24 : i64\)/);
    assert.match(fn, /%n0_1 = llvm\.mlir\.constant\(1 : i64\)/);
    assert.match(fn, /llvm\.call @main__k4\(%p0_0, %p0_0, %o0_0, %s0_0_0, %s0_0_1, %t0_0_0, %t0_0_1, %p0_1, %p0_1, %o0_1\)/);
  });
  it('reads the lowered signature back', () => {
    const text = '  llvm.func @main(%arg0: !llvm.ptr, %arg1: !llvm.ptr {llvm.noalias}, %arg2: i64) -> i32 {';
    assert.deepEqual(loweredSignature(text, 'main'), { args: ['!llvm.ptr', '!llvm.ptr', 'i64'], returnsValue: true });
    assert.equal(loweredSignature(text, 'other'), undefined);
  });
  it('clears the padding bits of odd-width integers only', () => {
    assert.deepEqual(maskPadding(memref([2], i(5)), new Uint8Array([0xff, 0x35]), 64), new Uint8Array([0x1f, 0x15]));
    assert.deepEqual(maskPadding(memref([1], i(17)), new Uint8Array([0xff, 0xff, 0xff, 0xff]), 64), new Uint8Array([0xff, 0xff, 0x01, 0x00]));
    const same = new Uint8Array([0xff, 0xff]);
    assert.equal(maskPadding(memref([1], bf16), same, 64), same);
    assert.equal(maskPadding(memref([1], index), new Uint8Array(8).fill(0xff), 64)[7], 0xff);
  });
  it('accepts statically shaped contiguous buffers as @main arguments, and nothing else', () => {
    assert.equal(entryArgProblem(memref([4, 2], i(3)), 0), undefined);
    assert.equal(entryArgProblem(memref([], { kind: 'float', name: 'f16' }), 1), undefined);
    assert.match(entryArgProblem(memref([-1], f32), 0) ?? '', /not statically shaped/);
  });
});
