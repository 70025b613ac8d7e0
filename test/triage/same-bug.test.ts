// Whether a replayed finding is the bug being triaged, when its pipeline has lost passes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mlirCatalog } from '../../targets/mlir/target.ts';
import { sameBug } from '../../triage/same-bug.ts';

const p = (text: string) => mlirCatalog.parse(text);
const full = p('builtin.module(func.func(cse,test-scf-uplift-while-to-for,canonicalize))');
const short = p('builtin.module(func.func(test-scf-uplift-while-to-for))');

test('a pass list field matches each run its own pass list', () => {
  assert.ok(sameBug({ signature: 'miscompile|native|cse,test-scf-uplift-while-to-for,canonicalize|memref.store', pipeline: full }, { signature: 'miscompile|native|test-scf-uplift-while-to-for|memref.store', pipeline: short }));
  assert.ok(!sameBug({ signature: 'miscompile|native|cse,test-scf-uplift-while-to-for,canonicalize|memref.store', pipeline: full }, { signature: 'miscompile|native|test-scf-uplift-while-to-for|vector.store', pipeline: short }), 'another op is another bug');
});

test('a field blamed on one pass matches pipelines that still run it', () => {
  const blamed = { signature: 'miscompile|native|test-scf-uplift-while-to-for|memref.store', pipeline: full };
  assert.ok(sameBug(blamed, { signature: 'miscompile|native|cse,test-scf-uplift-while-to-for|memref.store', pipeline: p('builtin.module(func.func(cse,test-scf-uplift-while-to-for))') }));
  assert.ok(!sameBug(blamed, { signature: 'miscompile|native|cse|memref.store', pipeline: p('builtin.module(func.func(cse))') }), 'without the blamed pass it is not the same bug');
  const lowering = { signature: 'miscompile|wasm|(lowering)|memref.store', pipeline: full };
  assert.ok(sameBug(lowering, { signature: 'miscompile|wasm||memref.store', pipeline: [] }), "the backend's lowering matches the empty pipeline");
});

test('a hang matches any hang of the same tool, wherever the stack sample fell', () => {
  const hang = { signature: 'hang|mlir-opt|mlir::Operation::fold < mlir::OpBuilder::tryFold < mlir::OperationConverter::convert', pipeline: full };
  assert.ok(sameBug(hang, { signature: 'hang|mlir-opt|mlir::OperationConverter::legalize < mlir::OperationConverter::convert', pipeline: short }));
  assert.ok(sameBug(hang, { signature: 'hang|mlir-opt|test-scf-uplift-while-to-for', pipeline: short }), 'a hang whose tool printed no stack');
  assert.ok(!sameBug(hang, { signature: 'hang|llc|llvm::SelectionDAG::Combine', pipeline: short }), 'another tool');
  assert.ok(!sameBug(hang, { signature: 'crash|mlir-opt|mlir::Operation::fold < mlir::OpBuilder::tryFold < mlir::OperationConverter::convert', pipeline: short }), 'a crash is not a hang');
});
