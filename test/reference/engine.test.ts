// The entry points: the buffer ABI in and out, outcomes other than 'ok', executed-op sets, reuse of a compiled
// module, and taint (which output elements depend on transcendental math, through memory and control flow).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fillBuffer } from '../../ir/inputs.ts';
import { parseModule } from '../../ir/parser/index.ts';
import { compileModule, runCompiled, runMain } from '../../reference/index.ts';
import type { InterpOutcome } from '../../reference/index.ts';
import { genericForms, mainArgs, mainInputs } from './fixtures.ts';

/** Parses custom-syntax MLIR (normalised by mlir-opt). */
function parse(text: string) {
  return parseModule(genericForms([text])[0]!, 'test.mlir', { allowUnregistered: true });
}

function ok(r: InterpOutcome) {
  assert.equal(r.kind, 'ok', JSON.stringify(r));
  if (r.kind !== 'ok') throw new Error('unreachable');
  return r;
}

describe('buffer ABI', () => {
  test('untouched buffers come back byte for byte, for every element type', () => {
    const m = parse(`func.func @main(%a: memref<2x3xf32>, %b: memref<5xi3>, %c: memref<2xindex>, %d: memref<3xf16>, %e: memref<4xi1>,
                                     %f: memref<2xbf16>, %g: memref<3xi64>, %h: memref<2xi33>, %i: memref<2xf64>, %j: memref<3xi100>) { return }`);
    const inputs = mainInputs(m, 7);
    const r = ok(runMain(m, inputs));
    assert.deepEqual(r.buffers, inputs);
    assert.deepEqual(r.taintedBuffers, inputs.map(() => false));
  });

  test('results are written in the ABI layout (little-endian, odd widths zero-extended)', () => {
    const m = parse(`func.func @main(%a: memref<3xi5>, %b: memref<2xf32>) {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %m = arith.constant -3 : i5
      memref.store %m, %a[%c0] : memref<3xi5>
      %x = memref.load %b[%c0] : memref<2xf32>
      %y = arith.divf %x, %x : f32
      %t = arith.constant 0.1 : f32
      memref.store %t, %b[%c1] : memref<2xf32>
      return }`);
    const inputs = mainInputs(m, 1);
    const r = ok(runMain(m, inputs));
    assert.equal(r.buffers[0]![0], 0b11101); // -3 in 5 bits
    assert.deepEqual([...r.buffers[0]!.subarray(1)], [...inputs[0]!.subarray(1)]);
    assert.equal(new DataView(r.buffers[1]!.buffer).getFloat32(4, true), Math.fround(0.1));
  });

  test('a buffer of the wrong size is a caller error', () => {
    const m = parse('func.func @main(%a: memref<4xi32>) { return }');
    assert.throws(() => runMain(m, [new Uint8Array(15)]), /16/);
  });

  test('@main with a non-ABI signature is unsupported, not a crash', () => {
    const m = parse('func.func @main(%a: memref<?xi32>) { return }');
    const r = runMain(m, [new Uint8Array(0)]);
    assert.equal(r.kind, 'unsupported');
  });
});

describe('outcomes', () => {
  test('a loop past the step budget is a hang', () => {
    const m = parse(`func.func @main() {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %n = arith.constant 1000000 : index
      scf.for %i = %c0 to %n step %c1 { }
      return }`);
    const r = runMain(m, [], { stepBudget: 5000 });
    assert.equal(r.kind, 'hang');
    if (r.kind === 'hang') assert.ok(r.steps > 5000 && r.steps < 5100);
    assert.equal(runMain(m, [], { stepBudget: 10_000_000 }).kind, 'ok');
  });

  test('an op without semantics is unsupported, naming the op', () => {
    const m = parse(`func.func @main() {
      %t = "test.unknown_op"() : () -> i32
      return }`);
    const r = runMain(m, []);
    assert.equal(r.kind, 'unsupported');
    if (r.kind === 'unsupported') assert.equal(r.op, 'test.unknown_op');
  });

  test('UB in a branch that is not taken is not reported', () => {
    const m = parse(`func.func @main(%a: memref<1xi32>) {
      %c0 = arith.constant 0 : index
      %f = arith.constant false
      %z = arith.constant 0 : i32
      scf.if %f {
        %q = arith.divsi %z, %z : i32
        memref.store %q, %a[%c0] : memref<1xi32>
      }
      return }`);
    const r = ok(runMain(m, mainInputs(m)));
    assert.ok(!r.opsExecuted.has('arith.divsi'));
    assert.ok(r.opsExecuted.has('scf.if') && r.opsExecuted.has('arith.constant'));
  });

  test('a compiled module runs many times; each run starts from fresh globals', () => {
    const m = parse(`memref.global "private" @g : memref<1xi32> = dense<5>
      func.func @main(%a: memref<1xi32>) {
        %c0 = arith.constant 0 : index
        %g = memref.get_global @g : memref<1xi32>
        %v = memref.load %g[%c0] : memref<1xi32>
        %x = memref.load %a[%c0] : memref<1xi32>
        %s = arith.addi %v, %x : i32
        memref.store %s, %g[%c0] : memref<1xi32>
        memref.store %s, %a[%c0] : memref<1xi32>
        vector.print %s : i32
        return }`);
    const prog = compileModule(m);
    const [t] = mainArgs(m);
    const input = fillBuffer(t!, 1, 0);
    const a = ok(runCompiled(prog, [input]));
    const b = ok(runCompiled(prog, [input]));
    assert.deepEqual(a.buffers, b.buffers);
    assert.deepEqual(a.stdout, b.stdout);
    assert.equal(Buffer.from(a.stdout).toString('utf8'), `${5 + new DataView(input.buffer).getInt32(0, true)}\n`);
  });
});

describe('taint', () => {
  const program = `func.func @main(%out: memref<6xf32>, %iout: memref<2xi32>) {
    %c0 = arith.constant 0 : index
    %c1 = arith.constant 1 : index
    %c2 = arith.constant 2 : index
    %c3 = arith.constant 3 : index
    %c4 = arith.constant 4 : index
    %c5 = arith.constant 5 : index
    %x = memref.load %out[%c0] : memref<6xf32>
    %t = math.tanh %x : f32
    %e = arith.addf %x, %x : f32
    memref.store %t, %out[%c0] : memref<6xf32>
    memref.store %e, %out[%c1] : memref<6xf32>
    // Through memory: a scratch buffer carries the taint to element 2.
    %s = memref.alloca() : memref<1xf32>
    memref.store %t, %s[%c0] : memref<1xf32>
    %back = memref.load %s[%c0] : memref<1xf32>
    %b2 = arith.mulf %back, %e : f32
    memref.store %b2, %out[%c2] : memref<6xf32>
    // Overwriting a tainted element with an exact value clears it.
    memref.store %t, %out[%c3] : memref<6xf32>
    memref.store %e, %out[%c3] : memref<6xf32>
    // Control dependence: a store under a tainted condition.
    %zero = arith.constant 0.0 : f32
    %pos = arith.cmpf ogt, %t, %zero : f32
    scf.if %pos {
      memref.store %e, %out[%c4] : memref<6xf32>
    }
    // select: only the chosen operand (and the condition) taint the result.
    %one = arith.constant true
    %sel = arith.select %one, %e, %t : f32
    memref.store %sel, %out[%c5] : memref<6xf32>
    // Integers derived from a transcendental are tainted too.
    %i = arith.fptosi %t : f32 to i32
    memref.store %i, %iout[%c1] : memref<2xi32>
    return
  }`;
  test('follows values through arithmetic, memory, control flow and select', () => {
    const m = parse(program);
    const inputs = mainInputs(m, 2);
    new DataView(inputs[0]!.buffer).setFloat32(0, 0.5, true); // tanh(0.5) > 0: the scf.if runs
    const r = ok(runMain(m, inputs));
    assert.deepEqual([...r.taint[0]!], [1, 0, 1, 0, 1, 0]);
    assert.deepEqual([...r.taint[1]!], [0, 1]);
    assert.deepEqual(r.taintedBuffers, [true, true]);
  });
  test('no transcendental ops: no taint tracking at all', () => {
    const m = parse(program.replace('math.tanh %x : f32', 'math.absf %x : f32'));
    const r = ok(runMain(m, mainInputs(m, 2)));
    assert.deepEqual(r.taint, [null, null]);
  });
});
