// The verifier: one small invalid module per rule, each with the message we expect, cross-checked against
// mlir-opt (which must reject them too); and valid modules built with the builder, which must verify clean.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { affineMap, dim, sym } from '../../ir/affine.ts';
import { denseArray, intAttr, mapAttr, strAttr, symbolRef, typeAttr } from '../../ir/attributes.ts';
import { Builder, newModule, singleBlockRegion } from '../../ir/builder.ts';
import { Block, Operation, Region } from '../../ir/core.ts';
import { parseModule } from '../../ir/parser/index.ts';
import { printOp } from '../../ir/printer.ts';
import { f32, fn, i1, i32, index, memref } from '../../ir/types.ts';
import type { Type } from '../../ir/types.ts';
import { verifyModule } from '../../ir/verifier.ts';
import { mlirOptErrors } from './ops-harness.ts';
import { mlirOptPath } from '../helpers/toolchain.ts';

/** A generic-form function `@f` with the given `%name: type` arguments and body (which must end it). */
function fn_(args: string, body: string, results = ''): string {
  const types = args ? args.split(',').map((a) => a.slice(a.indexOf(':') + 1).trim()) : [];
  return `"func.func"() <{function_type = (${types.join(', ')}) -> (${results}), sym_name = "f"}> ({\n^bb0${args ? `(${args})` : ''}:\n${body}\n}) : () -> ()`;
}
const RET = '  "func.return"() : () -> ()';

type Case = {
  name: string;
  text: string;
  /** A substring of the first error the verifier must report. */
  error: string;
  /** Why mlir-opt accepts a module we reject; absent means mlir-opt must reject it too. */
  stricter?: string;
};

const CASES: Case[] = [
  // Counts, types and props from the spec.
  { name: 'operand count', text: fn_('%a: i32', `  %0 = "arith.addi"(%a) : (i32) -> i32\n${RET}`), error: "'arith.addi' op expected 2 operands, but found 1" },
  { name: 'result count', text: fn_('%a: i32', `  "arith.addi"(%a, %a) : (i32, i32) -> ()\n${RET}`), error: 'expected 1 results, but found 0' },
  { name: 'operand type constraint', text: fn_('%a: f32', `  %0 = "arith.addi"(%a, %a) : (f32, f32) -> f32\n${RET}`), error: "operand #0 must be signless-integer-or-index-like, but got 'f32'" },
  { name: 'same operand and result type', text: fn_('%a: i32', `  %0 = "arith.addi"(%a, %a) : (i32, i32) -> i64\n${RET}`), error: 'requires the same type for all operands and results' },
  { name: 'required prop', text: fn_('%a: i32', `  %0 = "arith.cmpi"(%a, %a) : (i32, i32) -> i1\n${RET}`), error: "requires attribute 'predicate'" },
  { name: 'unknown prop', text: fn_('%a: i32', `  %0 = "arith.andi"(%a, %a) <{foo = 1 : i32}> : (i32, i32) -> i32\n${RET}`), error: "does not accept property 'foo'" },
  {
    name: 'unknown prop on an op with properties',
    text: fn_('%a: i32', `  %0 = "arith.cmpi"(%a, %a) <{predicate = 0 : i64, foo = 1 : i32}> : (i32, i32) -> i1\n${RET}`),
    error: "does not accept property 'foo'",
    stricter: 'mlir-opt silently drops unknown entries of an op that has properties; we reject them so no prop is lost unseen',
  },
  { name: 'prop kind', text: fn_('%a: i32', `  %0 = "arith.cmpi"(%a, %a) <{predicate = "eq"}> : (i32, i32) -> i1\n${RET}`), error: "attribute 'predicate' must be a int attribute" },
  { name: 'prop enum range', text: fn_('%a: i32', `  %0 = "arith.cmpi"(%a, %a) <{predicate = 10 : i64}> : (i32, i32) -> i1\n${RET}`), error: 'must be in [0, 9]' },
  { name: 'dialect attr body', text: fn_('%a: i32', `  %0 = "arith.addi"(%a, %a) <{overflowFlags = #arith.overflow<nsz>}> : (i32, i32) -> i32\n${RET}`), error: 'has an invalid value #arith.overflow<nsz>' },
  { name: 'compare result shape', text: fn_('%a: vector<4xi32>', `  %0 = "arith.cmpi"(%a, %a) <{predicate = 0 : i64}> : (vector<4xi32>, vector<4xi32>) -> i1\n${RET}`), error: "'arith.cmpi' op result type must be 'vector<4xi1>'" },
  { name: 'ext must widen', text: fn_('%a: i32', `  %0 = "arith.extsi"(%a) : (i32) -> i16\n${RET}`), error: "operand type 'i32' and result type 'i16' are cast incompatible" },
  { name: 'extf f16 to bf16', text: fn_('%a: f16', `  %0 = "arith.extf"(%a) : (f16) -> bf16\n${RET}`), error: 'are cast incompatible' },
  { name: 'index_cast needs one index', text: fn_('%a: index', `  %0 = "arith.index_cast"(%a) : (index) -> index\n${RET}`), error: 'are cast incompatible' },
  { name: 'constant type', text: fn_('', `  %0 = "arith.constant"() <{value = 1 : i64}> : () -> i32\n${RET}`), error: 'result and attribute have the same type' },
  { name: 'select condition shape', text: fn_('%c: vector<2xi1>, %a: vector<4xi32>', `  %0 = "arith.select"(%c, %a, %a) : (vector<2xi1>, vector<4xi32>, vector<4xi32>) -> vector<4xi32>\n${RET}`), error: 'expected condition type to have the same shape as the result type' },
  { name: 'segment sizes', text: fn_('%c: i1', `  "cf.cond_br"(%c)[^bb1, ^bb1] <{operandSegmentSizes = array<i32: 1, 1, 0>}> : (i1) -> ()\n^bb1:\n${RET}`), error: 'does not match with the total size' },
  { name: 'absent segment sizes read as zeros', text: fn_('%i: index', `  %0 = "memref.alloc"(%i) : (index) -> memref<?xf32>\n${RET}`), error: 'operand count (1) does not match with the total size (0)' },
  {
    name: 'transfer element type',
    text: fn_('%m: memref<8xf32>, %i: index, %x: f32', `  %0 = "vector.transfer_read"(%m, %i, %x) <{in_bounds = [false], operandSegmentSizes = array<i32: 1, 1, 1, 0>, permutation_map = affine_map<(d0) -> (d0)>}> : (memref<8xf32>, index, f32) -> vector<4xi32>\n${RET}`),
    error: 'requires source and vector element types to match',
    stricter: 'MLIR lets a transfer reinterpret elements when the bit widths divide; tcfuzz keeps transfers type-preserving so its interpreter need not model that',
  },
  { name: 'math classify result', text: fn_('%x: f32', `  %0 = "math.isnan"(%x) : (f32) -> i32\n${RET}`), error: "result #0 must be bool-like, but got 'i32'" },

  // Regions, blocks and terminators.
  { name: 'region count', text: fn_('%c: i1', `  "scf.if"(%c) ({\n    "scf.yield"() : () -> ()\n  }) : (i1) -> ()\n${RET}`), error: "'scf.if' op requires 2 regions, but found 1" },
  { name: 'single block', text: fn_('%i: index', `  "scf.for"(%i, %i, %i) ({\n  ^bb0(%j: index):\n    "cf.br"()[^bb1] : () -> ()\n  ^bb1:\n    "scf.yield"() : () -> ()\n  }) : (index, index, index) -> ()\n${RET}`), error: 'expects region #0 to have 0 or 1 blocks' },
  { name: 'missing terminator', text: fn_('%a: i32', `  %0 = "arith.addi"(%a, %a) : (i32, i32) -> i32`), error: "block must end with a terminator, found 'arith.addi'" },
  { name: 'terminator not last', text: fn_('%a: i32', `${RET}\n  %0 = "arith.addi"(%a, %a) : (i32, i32) -> i32\n${RET}`), error: "'func.return' op must be the last operation in the parent block" },
  { name: 'wrong terminator', text: fn_('%i: index', `  "scf.for"(%i, %i, %i) ({\n  ^bb0(%j: index):\n  ${RET}\n  }) : (index, index, index) -> ()\n${RET}`), error: "'scf.for' op expects regions to end with 'scf.yield', found 'func.return'" },
  { name: 'parent constraint', text: fn_('', `  "scf.yield"() : () -> ()`), error: "'scf.yield' op expects parent op to be one of" },
  { name: 'symbol outside a symbol table', text: fn_('', `  "func.func"() <{function_type = () -> (), sym_name = "g"}> ({\n    "func.return"() : () -> ()\n  }) : () -> ()\n${RET}`), error: "symbol's parent must have the SymbolTable trait" },
  { name: 'entry block predecessor', text: fn_('', `  "cf.br"()[^bb0] : () -> ()`), error: 'entry block of region #0 may not have predecessors' },

  // Dominance.
  { name: 'use before def', text: fn_('%a: i32', `  %0 = "arith.addi"(%1, %a) : (i32, i32) -> i32\n  %1 = "arith.addi"(%a, %a) : (i32, i32) -> i32\n${RET}`), error: "'arith.addi' op operand #0 does not dominate this use" },
  { name: 'use of own result', text: fn_('%a: i32', `  %0 = "arith.addi"(%0, %a) : (i32, i32) -> i32\n${RET}`), error: 'operand #0 does not dominate this use' },
  {
    name: 'def in a sibling block',
    text: fn_('%c: i1, %a: i32', `  "cf.cond_br"(%c)[^bb1, ^bb2] <{operandSegmentSizes = array<i32: 1, 0, 0>}> : (i1) -> ()\n^bb1:\n  %0 = "arith.addi"(%a, %a) : (i32, i32) -> i32\n  "cf.br"()[^bb3] : () -> ()\n^bb2:\n  "cf.br"()[^bb3] : () -> ()\n^bb3:\n  %1 = "arith.addi"(%0, %a) : (i32, i32) -> i32\n${RET}`),
    error: 'operand #0 does not dominate this use',
  },

  // Successors.
  { name: 'successor operand count', text: fn_('', `  "cf.br"()[^bb1] : () -> ()\n^bb1(%x: i32):\n${RET}`), error: 'branch has 0 operands for successor #0, but target block has 1' },
  { name: 'successor operand type', text: fn_('%a: i64', `  "cf.br"(%a)[^bb1] : (i64) -> ()\n^bb1(%x: i32):\n${RET}`), error: 'type mismatch for bb argument #0 of successor #0' },
  {
    // MLIR 22 crashes here (SwitchOp::verify reads the absent case_values); the harness counts a crash as a rejection.
    name: 'cf.switch destinations without case values',
    text: fn_('%a: i32', `  "cf.switch"(%a, %a)[^bb1, ^bb2] <{case_operand_segments = array<i32: 0>, operandSegmentSizes = array<i32: 1, 1, 0>}> : (i32, i32) -> ()\n^bb1(%x: i32):\n${RET}\n^bb2:\n${RET}`),
    error: 'number of case values (0) should match number of case destinations (1)',
  },
  { name: 'cond_br condition type', text: fn_('%a: i32', `  "cf.cond_br"(%a)[^bb1, ^bb1] <{operandSegmentSizes = array<i32: 1, 0, 0>}> : (i32) -> ()\n^bb1:\n${RET}`), error: "operand #0 must be 1-bit signless integer, but got 'i32'" },

  // func.
  { name: 'entry args vs signature', text: `"func.func"() <{function_type = (i32) -> (), sym_name = "f"}> ({\n^bb0(%a: i64):\n${RET}\n}) : () -> ()`, error: "expects entry block arguments to be (i32), but found (i64)" },
  { name: 'return arity', text: fn_('%a: i32', `  "func.return"() : () -> ()`, 'i32'), error: 'has 0 operands, but enclosing function (@f) returns 1' },
  { name: 'return type', text: fn_('%a: i64', `  "func.return"(%a) : (i64) -> ()`, 'i32'), error: "type of return operand 0 ('i64') doesn't match function result type ('i32')" },
  { name: 'call of an unknown function', text: fn_('', `  "func.call"() <{callee = @nope}> : () -> ()\n${RET}`), error: "'nope' does not reference a valid function" },
  {
    name: 'call operand types',
    text: `${fn_('%a: i64', `  "func.call"(%a) <{callee = @g}> : (i64) -> ()\n${RET}`)}\n"func.func"() <{function_type = (i32) -> (), sym_name = "g", sym_visibility = "private"}> ({\n}) : () -> ()`,
    error: "operand type mismatch: expected operand type 'i32', but provided 'i64' for operand number 0",
  },
  { name: 'public declaration', text: `"func.func"() <{function_type = (i32) -> (), sym_name = "g"}> ({\n}) : () -> ()`, error: 'symbol declaration cannot have public visibility' },
  { name: 'symbol redefinition', text: `${fn_('', RET)}\n${fn_('', RET)}`, error: "redefinition of symbol named 'f'" },

  // scf.
  { name: 'scf.for yield types', text: fn_('%i: index, %x: f32', `  %0 = "scf.for"(%i, %i, %i, %x) ({\n  ^bb0(%j: index, %a: f32):\n    "scf.yield"(%j) : (index) -> ()\n  }) : (index, index, index, f32) -> f32\n${RET}`), error: "expects region #0 to yield (f32), but 'scf.yield' yields (index)" },
  { name: 'scf.for body arguments', text: fn_('%i: index, %x: f32', `  %0 = "scf.for"(%i, %i, %i, %x) ({\n  ^bb0(%j: index):\n    "scf.yield"(%x) : (f32) -> ()\n  }) : (index, index, index, f32) -> f32\n${RET}`), error: 'expects the body arguments to be (index, f32), but found (index)' },
  { name: 'scf.if results need an else', text: fn_('%c: i1, %x: f32', `  %0 = "scf.if"(%c) ({\n    "scf.yield"(%x) : (f32) -> ()\n  }, {\n  }) : (i1) -> f32\n${RET}`), error: 'must have an else block if defining values' },
  {
    name: 'scf.while condition arguments',
    text: fn_('%c: i1, %x: f32', `  %0 = "scf.while"(%x) ({\n  ^bb0(%a: f32):\n    "scf.condition"(%c) : (i1) -> ()\n  }, {\n  ^bb0(%b: f32):\n    "scf.yield"(%b) : (f32) -> ()\n  }) : (f32) -> f32\n${RET}`),
    error: "expects the 'scf.condition' arguments () to match the result types (f32)",
  },
  {
    name: 'scf.reduce regions',
    text: fn_('%i: index, %x: f32', `  %0 = "scf.parallel"(%i, %i, %i, %x) <{operandSegmentSizes = array<i32: 1, 1, 1, 1>}> ({\n  ^bb0(%j: index):\n    "scf.reduce"(%x) : (f32) -> ()\n  }) : (index, index, index, f32) -> f32\n${RET}`),
    error: 'expects one region per operand, but found 0 regions for 1 operands',
  },

  {
    name: 'scf.parallel init types',
    text: fn_('%i: index, %x: f32, %y: i32', `  %0 = "scf.parallel"(%i, %i, %i, %y) <{operandSegmentSizes = array<i32: 1, 1, 1, 1>}> ({\n  ^bb0(%j: index):\n    "scf.reduce"(%x) ({\n    ^bb1(%l: f32, %r: f32):\n      "scf.reduce.return"(%l) : (f32) -> ()\n    }) : (f32) -> ()\n  }) : (index, index, index, i32) -> f32\n${RET}`),
    error: 'expects the init values to have the result types',
    stricter: "MLIR 22's scf.parallel verifier compares the reductions with the results but never the init values",
  },

  // affine.
  { name: 'affine.load map inputs', text: fn_('%m: memref<8xf32>, %i: index', `  %0 = "affine.load"(%m, %i) <{map = affine_map<(d0, d1) -> (d0)>}> : (memref<8xf32>, index) -> f32\n${RET}`), error: 'expects as many subscripts as affine map inputs' },
  { name: 'affine.load map results', text: fn_('%m: memref<8xf32>, %i: index', `  %0 = "affine.load"(%m, %i) <{map = affine_map<(d0) -> (d0, d0)>}> : (memref<8xf32>, index) -> f32\n${RET}`), error: 'affine map num results must equal memref rank' },
  {
    name: 'affine.load index from scf.for',
    text: fn_('%m: memref<8xf32>, %i: index', `  "scf.for"(%i, %i, %i) ({\n  ^bb0(%j: index):\n    %0 = "affine.load"(%m, %j) <{map = affine_map<(d0) -> (d0)>}> : (memref<8xf32>, index) -> f32\n    "scf.yield"() : () -> ()\n  }) : (index, index, index) -> ()\n${RET}`),
    error: 'operand cannot be used as a dimension id',
  },
  {
    name: 'affine.for symbol from inside a loop',
    text: fn_('%m: memref<8xindex>', `  "affine.for"() <{lowerBoundMap = affine_map<() -> (0)>, operandSegmentSizes = array<i32: 0, 0, 0>, step = 1 : index, upperBoundMap = affine_map<() -> (8)>}> ({\n  ^bb0(%i: index):\n    %n = "memref.load"(%m, %i) : (memref<8xindex>, index) -> index\n    "affine.for"(%n) <{lowerBoundMap = affine_map<() -> (0)>, operandSegmentSizes = array<i32: 0, 1, 0>, step = 1 : index, upperBoundMap = affine_map<()[s0] -> (s0)>}> ({\n    ^bb0(%j: index):\n      "affine.yield"() : () -> ()\n    }) : (index) -> ()\n    "affine.yield"() : () -> ()\n  }) : () -> ()\n${RET}`),
    error: 'operand cannot be used as a symbol',
  },
  {
    name: 'affine.for bound map inputs',
    text: fn_('%n: index', `  "affine.for"(%n) <{lowerBoundMap = affine_map<() -> (0)>, operandSegmentSizes = array<i32: 0, 1, 0>, step = 1 : index, upperBoundMap = affine_map<() -> (8)>}> ({\n  ^bb0(%j: index):\n    "affine.yield"() : () -> ()\n  }) : (index) -> ()\n${RET}`),
    error: 'upper bound operand count (1) must equal its map',
    stricter: "MLIR 22's affine.for verifier does not compare bound operands with the bound maps; the custom printer then shows the extra operand as iter_args",
  },
  {
    name: 'affine.for zero step',
    text: fn_('', `  "affine.for"() <{lowerBoundMap = affine_map<() -> (0)>, operandSegmentSizes = array<i32: 0, 0, 0>, step = 0 : index, upperBoundMap = affine_map<() -> (3)>}> ({\n  ^bb0(%j: index):\n    "affine.yield"() : () -> ()\n  }) : () -> ()\n${RET}`),
    error: 'expected step to be representable as a positive signed integer',
    stricter: 'only the custom-form parser of MLIR 22 rejects a zero step; the generic form reaches no check, and the loop never ends',
  },
  {
    name: 'affine.if set inputs',
    text: fn_('%n: index', `  "affine.if"() <{condition = affine_set<(d0) : (d0 >= 0)>}> ({\n    "affine.yield"() : () -> ()\n  }, {\n  }) : () -> ()\n${RET}`),
    error: 'integer set operand count (0) must equal',
  },
  { name: 'affine.apply results', text: fn_('%n: index', `  %0 = "affine.apply"(%n) <{map = affine_map<(d0) -> (d0, d0)>}> : (index) -> index\n${RET}`), error: 'mapping must produce one value' },
  {
    name: 'affine.apply symbol from a loop',
    text: fn_('%n: index', `  "affine.for"() <{lowerBoundMap = affine_map<() -> (0)>, operandSegmentSizes = array<i32: 0, 0, 0>, step = 1 : index, upperBoundMap = affine_map<() -> (8)>}> ({\n  ^bb0(%i: index):\n    %0 = "affine.apply"(%n, %i) <{map = affine_map<(d0)[s0] -> (d0 + s0)>}> : (index, index) -> index\n    "affine.yield"() : () -> ()\n  }) : () -> ()\n${RET}`),
    error: 'dimensional operand cannot be used as a symbol',
  },
  { name: 'affine.min arity', text: fn_('%n: index', `  %0 = "affine.min"(%n) <{map = affine_map<(d0, d1) -> (d0, d1)>}> : (index) -> index\n${RET}`), error: 'operand count and affine map dimension and symbol count must match' },

  // memref.
  { name: 'memref.load indices', text: fn_('%m: memref<8x8xf32>, %i: index', `  %0 = "memref.load"(%m, %i) : (memref<8x8xf32>, index) -> f32\n${RET}`), error: 'incorrect number of indices for load, expected 2 but got 1' },
  { name: 'memref.store value type', text: fn_('%m: memref<8xf32>, %i: index, %x: i32', `  "memref.store"(%x, %m, %i) : (i32, memref<8xf32>, index) -> ()\n${RET}`), error: "type of 'value' matches element type of 'memref'" },
  { name: 'memref.alloc dynamic sizes', text: fn_('', `  %0 = "memref.alloc"() <{operandSegmentSizes = array<i32: 0, 0>}> : () -> memref<?xf32>\n${RET}`), error: 'dimension operand count does not equal memref dynamic dimension count' },
  { name: 'memref.alloc alignment', text: fn_('', `  %0 = "memref.alloc"() <{alignment = 3 : i64, operandSegmentSizes = array<i32: 0, 0>}> : () -> memref<4xf32>\n${RET}`), error: 'power of two' },
  {
    name: 'memref.subview layout',
    text: fn_('%m: memref<8x8xf32>', `  %0 = "memref.subview"(%m) <{operandSegmentSizes = array<i32: 1, 0, 0, 0>, static_offsets = array<i64: 1, 2>, static_sizes = array<i64: 4, 3>, static_strides = array<i64: 1, 2>}> : (memref<8x8xf32>) -> memref<4x3xf32>\n${RET}`),
    error: "expected result type to be 'memref<4x3xf32, strided<[8, 2], offset: 10>>' or a rank-reduced version. (mismatch of result layout)",
  },
  {
    name: 'memref.subview sizes',
    text: fn_('%m: memref<8x8xf32>', `  %0 = "memref.subview"(%m) <{operandSegmentSizes = array<i32: 1, 0, 0, 0>, static_offsets = array<i64: 0, 0>, static_sizes = array<i64: 4, 3>, static_strides = array<i64: 1, 1>}> : (memref<8x8xf32>) -> memref<4x4xf32, strided<[8, 1]>>\n${RET}`),
    error: '(mismatch of result sizes)',
  },
  {
    name: 'memref.subview out of bounds',
    text: fn_('%m: memref<8x8xf32>', `  %0 = "memref.subview"(%m) <{operandSegmentSizes = array<i32: 1, 0, 0, 0>, static_offsets = array<i64: 1, 2>, static_sizes = array<i64: 4, 4>, static_strides = array<i64: 1, 2>}> : (memref<8x8xf32>) -> memref<4x4xf32, strided<[8, 2], offset: 10>>\n${RET}`),
    error: 'slice along dimension 1 runs out-of-bounds: 8 >= 8',
  },
  {
    name: 'memref.subview dynamic operand count',
    text: fn_('%m: memref<8x8xf32>', `  %0 = "memref.subview"(%m) <{operandSegmentSizes = array<i32: 1, 0, 0, 0>, static_offsets = array<i64: -9223372036854775808, 0>, static_sizes = array<i64: 4, 4>, static_strides = array<i64: 1, 1>}> : (memref<8x8xf32>) -> memref<4x4xf32, strided<[8, 1], offset: ?>>\n${RET}`),
    error: 'expected 1 dynamic offsets values',
  },
  { name: 'memref.cast shapes', text: fn_('%m: memref<8xf32>', `  %0 = "memref.cast"(%m) : (memref<8xf32>) -> memref<4xf32>\n${RET}`), error: 'are cast incompatible' },
  { name: 'memref.cast unranked to unranked', text: fn_('%m: memref<*xf32>', `  %0 = "memref.cast"(%m) : (memref<*xf32>) -> memref<*xf32>\n${RET}`), error: 'are cast incompatible' },
  {
    name: 'memref.reinterpret_cast size',
    text: fn_('%m: memref<8x8xf32>, %i: index', `  %0 = "memref.reinterpret_cast"(%m, %i) <{operandSegmentSizes = array<i32: 1, 0, 1, 0>, static_offsets = array<i64: 0>, static_sizes = array<i64: -9223372036854775808>, static_strides = array<i64: 1>}> : (memref<8x8xf32>, index) -> memref<64xf32>\n${RET}`),
    error: 'expected result type with size = dynamic instead of 64 in dim = 0',
  },
  {
    name: 'memref.get_global type',
    text: `"memref.global"() <{initial_value, sym_name = "g", type = memref<4xf32>}> : () -> ()\n${fn_('', `  %0 = "memref.get_global"() <{name = @g}> : () -> memref<8xf32>\n${RET}`)}`,
    error: "result type 'memref<8xf32>' does not match type 'memref<4xf32>' of the global memref @g",
  },
  {
    name: 'memref.global initial value type',
    text: `"memref.global"() <{initial_value = dense<1> : tensor<3xi32>, sym_name = "g", type = memref<4xi32>}> : () -> ()`,
    error: "initial value expected to be of type 'tensor<4xi32>', but was of type 'tensor<3xi32>'",
  },
  { name: 'memref.atomic_rmw kind', text: fn_('%m: memref<4xi32>, %i: index, %x: i32', `  %0 = "memref.atomic_rmw"(%x, %m, %i) <{kind = 0 : i64}> : (i32, memref<4xi32>, index) -> i32\n${RET}`), error: "with kind 'addf' expects a floating-point type" },

  // vector.
  { name: 'vector.extract position', text: fn_('%v: vector<4xf32>', `  %0 = "vector.extract"(%v) <{static_position = array<i64: 4>}> : (vector<4xf32>) -> f32\n${RET}`), error: 'expected position attribute #1 to be a non-negative integer smaller than the corresponding vector dimension' },
  { name: 'vector.extract result', text: fn_('%v: vector<2x4xf32>', `  %0 = "vector.extract"(%v) <{static_position = array<i64: 1>}> : (vector<2x4xf32>) -> f32\n${RET}`), error: "expected result type 'vector<4xf32>'" },
  { name: 'vector.insert value', text: fn_('%v: vector<2x4xf32>, %x: f32', `  %0 = "vector.insert"(%x, %v) <{static_position = array<i64: 1>}> : (f32, vector<2x4xf32>) -> vector<2x4xf32>\n${RET}`), error: "expected the value to store to have type 'vector<4xf32>'" },
  { name: 'vector.broadcast dims', text: fn_('%v: vector<3xf32>', `  %0 = "vector.broadcast"(%v) : (vector<3xf32>) -> vector<2x4xf32>\n${RET}`), error: 'dimension mismatch (3 vs. 4)' },
  {
    name: 'vector.transfer_read in_bounds rank',
    text: fn_('%m: memref<8x8xf32>, %i: index, %x: f32', `  %0 = "vector.transfer_read"(%m, %i, %i, %x) <{in_bounds = [true, true], operandSegmentSizes = array<i32: 1, 2, 1, 0>, permutation_map = affine_map<(d0, d1) -> (d1)>}> : (memref<8x8xf32>, index, index, f32) -> vector<4xf32>\n${RET}`),
    error: 'expects the in_bounds attr of same rank as permutation_map results',
  },
  {
    name: 'vector.transfer_read mask type',
    text: fn_('%m: memref<8x8xf32>, %i: index, %x: f32, %k: vector<8xi1>', `  %0 = "vector.transfer_read"(%m, %i, %i, %x, %k) <{in_bounds = [false], operandSegmentSizes = array<i32: 1, 2, 1, 1>, permutation_map = affine_map<(d0, d1) -> (d1)>}> : (memref<8x8xf32>, index, index, f32, vector<8xi1>) -> vector<4xf32>\n${RET}`),
    error: "expects mask type 'vector<4xi1>'",
  },
  {
    name: 'vector.transfer_write broadcast',
    text: fn_('%m: memref<8x8xf32>, %i: index, %v: vector<4xf32>', `  "vector.transfer_write"(%v, %m, %i, %i) <{in_bounds = [true], operandSegmentSizes = array<i32: 1, 1, 2, 0>, permutation_map = affine_map<(d0, d1) -> (0)>}> : (vector<4xf32>, memref<8x8xf32>, index, index) -> ()\n${RET}`),
    error: 'should not have broadcast dimensions',
  },
  { name: 'vector.reduction kind', text: fn_('%v: vector<4xi32>', `  %0 = "vector.reduction"(%v) <{kind = #vector.kind<maxnumf>}> : (vector<4xi32>) -> i32\n${RET}`), error: "unsupported reduction type ''i32'' for kind 'maxnumf'" },
  { name: 'vector.reduction rank', text: fn_('%v: vector<2x4xf32>', `  %0 = "vector.reduction"(%v) <{kind = #vector.kind<add>}> : (vector<2x4xf32>) -> f32\n${RET}`), error: 'unsupported reduction rank: 2' },
  { name: 'vector.shuffle mask', text: fn_('%v: vector<4xf32>', `  %0 = "vector.shuffle"(%v, %v) <{mask = array<i64: 0, 8>}> : (vector<4xf32>, vector<4xf32>) -> vector<2xf32>\n${RET}`), error: 'mask index #2 out of range' },
  { name: 'vector.from_elements count', text: fn_('%x: f32', `  %0 = "vector.from_elements"(%x) : (f32) -> vector<2xf32>\n${RET}`), error: 'expected 2 operands, but found 1' },
];

const have = mlirOptPath() !== undefined;

describe('verifier: invalid modules', () => {
  for (const c of CASES) {
    test(c.name, () => {
      const errors = verifyModule(parseModule(c.text, `${c.name}.mlir`));
      assert.ok(errors.length > 0, 'expected an error');
      assert.ok(errors[0]!.message.includes(c.error), `got: ${errors[0]!.message}`);
    });
  }

  test('mlir-opt rejects each of them too', { skip: !have && 'mlir-opt not found' }, () => {
    const errors = mlirOptErrors(CASES.map((c) => c.text));
    const disagree = CASES.filter((c, k) => (errors[k]!.length > 0) === !!c.stricter).map((c) => c.name);
    assert.deepEqual(disagree, []);
  });

  test('an unregistered op', () => {
    const m = parseModule(`"test.foo"() : () -> ()`, 'u.mlir', { allowUnregistered: true });
    assert.deepEqual(
      verifyModule(m).map((e) => e.message),
      ["unregistered operation 'test.foo'"],
    );
  });

  test('errors carry the op location', () => {
    const [e] = verifyModule(parseModule(fn_('%a: i32', `  %0 = "arith.addi"(%a) : (i32) -> i32\n${RET}`), 'loc.mlir'));
    assert.match(e!.format(), /^loc\.mlir:3:\d+: error: 'arith.addi' op/);
  });
});

/** A module with `func.func @main(args)` whose body the callback fills; returns the module. */
function withMain(args: readonly Type[], body: (b: Builder, args: readonly import('../../ir/core.ts').Value[]) => void): Operation {
  const { module, body: top } = newModule();
  const region = singleBlockRegion(args);
  new Builder(top).create('func.func', { props: { sym_name: strAttr('main'), function_type: typeAttr(fn(args, [])) }, regions: [region] });
  const b = new Builder(region.entry!);
  body(b, region.entry!.args);
  return module;
}

describe('verifier: IR only the builder can make', () => {
  test('a value used across an isolated-from-above op', () => {
    const m = withMain([i32], (b, [a]) => {
      const inner = singleBlockRegion();
      b.create('builtin.module', { regions: [inner] });
      new Builder(inner.entry!).value('arith.addi', [a!, a!], i32);
      b.create('func.return');
    });
    assert.deepEqual(
      verifyModule(m).map((e) => e.message),
      ["'arith.addi' op using value defined outside the region"],
    );
  });

  test('a successor in another region', () => {
    const m = withMain([i1], (b) => {
      const inner = new Region([new Block(), new Block()]);
      b.create('scf.execute_region', { regions: [inner] });
      new Builder(inner.blocks[1]!).create('scf.yield');
      b.create('cf.br', { successors: [inner.blocks[1]!] });
    });
    assert.ok(verifyModule(m).some((e) => e.message === "'cf.br' op reference to block defined in another region"));
  });

  test('an operand defined outside the IR', () => {
    const stray = new Operation('arith.constant', [], [i32], { value: intAttr(1, i32) });
    const m = withMain([], (b) => {
      b.value('arith.addi', [stray.result, stray.result], i32);
      b.create('func.return');
    });
    assert.deepEqual(
      verifyModule(m).map((e) => e.message),
      ["'arith.addi' op operand #0 is not attached to the IR"],
    );
  });
});

describe('verifier: valid modules built with the builder', () => {
  const buf = memref([8], f32);
  /** for i in 0..8 step 1: buf[i] = buf[i] * 2 (scf), then affine.for over the same buffer, then a CFG diamond. */
  const program = (): Operation =>
    withMain([buf, i1], (b, [m, c]) => {
      const c0 = b.value('arith.constant', [], index, { value: intAttr(0, index) });
      const c8 = b.value('arith.constant', [], index, { value: intAttr(8, index) });
      const c1 = b.value('arith.constant', [], index, { value: intAttr(1, index) });
      const two = b.value('arith.constant', [], f32, { value: { kind: 'float', type: f32, bits: 0x40000000n } });
      const loop = singleBlockRegion([index]);
      b.create('scf.for', { operands: [c0, c8, c1], regions: [loop] });
      b.inBlock(loop.entry!, (lb) => {
        const iv = loop.entry!.args[0]!;
        const x = lb.value('memref.load', [m!, iv], f32);
        const y = lb.value('arith.mulf', [x, two], f32);
        lb.create('memref.store', { operands: [y, m!, iv] });
        lb.create('scf.yield');
      });
      const body = singleBlockRegion([index]);
      b.create('affine.for', {
        props: {
          lowerBoundMap: mapAttr(affineMap(0, 0, [{ k: 'const', v: 0n }])),
          upperBoundMap: mapAttr(affineMap(0, 1, [sym(0)])),
          step: intAttr(1, index),
          operandSegmentSizes: denseArray(i32, [0, 1, 0]),
        },
        operands: [c8],
        regions: [body],
      });
      b.inBlock(body.entry!, (ab) => {
        const x = ab.value('affine.load', [m!, body.entry!.args[0]!], f32, { map: mapAttr(affineMap(1, 0, [dim(0)])) });
        ab.create('affine.store', { operands: [x, m!, body.entry!.args[0]!], props: { map: mapAttr(affineMap(1, 0, [dim(0)])) } });
        ab.create('affine.yield');
      });
      const region = b.block.parent!;
      const [t, e, join] = [new Block(), new Block(), new Block([f32])];
      for (const blk of [t, e, join]) region.addBlock(blk);
      b.create('cf.cond_br', { operands: [c!], successors: [t, e], props: { operandSegmentSizes: denseArray(i32, [1, 0, 0]) } });
      new Builder(t).create('cf.br', { operands: [two], successors: [join] });
      const neg = new Builder(e).value('arith.negf', [two], f32);
      new Builder(e).create('cf.br', { operands: [neg], successors: [join] });
      const jb = new Builder(join);
      jb.create('memref.store', { operands: [join.args[0]!, m!, c0] });
      jb.create('func.return');
    });

  test('verifies clean', () => {
    assert.deepEqual(
      verifyModule(program()).map((e) => e.message),
      [],
    );
  });

  test('mlir-opt accepts what the printer makes of it', { skip: !have && 'mlir-opt not found' }, () => {
    assert.deepEqual(mlirOptErrors([printOp(program())]), [[]]);
  });

  test('a call to a private declaration with matching types', () => {
    const m = withMain([i32], (b, [a]) => {
      b.create('func.call', { operands: [a!], results: [i32], props: { callee: symbolRef('ext') } });
      b.create('func.return');
    });
    const top = m.regions[0]!.entry!;
    new Builder(top).create('func.func', {
      props: { sym_name: strAttr('ext'), function_type: typeAttr(fn([i32], [i32])), sym_visibility: strAttr('private') },
      regions: [new Region()],
    });
    assert.deepEqual(
      verifyModule(m).map((e) => e.message),
      [],
    );
  });
});
