// Backend behaviour around the happy path: traps and hangs inside a batch, input-ABI checks, pipelines that break
// @main's signature or the IR, a crashing compiler stage inside a batch, V8 tiers and llc options.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { ExecOutcome } from '../../../contracts/outcome.ts';
import { entryArgProblem } from '../../../ir/entry-abi.ts';
import { NativeExecutor } from '../../../targets/mlir/native/executor.ts';
import { parsePipeline } from '../../../targets/mlir/passes/pipeline.ts';
import { WasmExecutor } from '../../../targets/mlir/wasm/executor.ts';
import { fillBuffer } from '../../../ir/inputs.ts';
import { i, memref } from '../../../ir/types.ts';
import { strided as stridedAttr } from '../../../ir/attributes.ts';
import { wrappedToolchain } from '../../helpers/toolchain.ts';
import type { TestProgram } from './helpers.ts';
import { FIXTURES, encode, loadProgram, runner, toolchainSkip, withoutMs } from './helpers.ts';

const A = [memref([4], i(32))];
const prog = (body: string): TestProgram => ({
  text: `func.func @main(%a: memref<4xi32>) {\n  %c0 = arith.constant 0 : index\n  %c1 = arith.constant 1 : index\n${body}\n  return\n}\n`,
  args: A,
});
// a[0] = a[0] * a[0], printed.
const square = prog(
  '  %x = memref.load %a[%c0] : memref<4xi32>\n  %y = arith.muli %x, %x : i32\n  memref.store %y, %a[%c0] : memref<4xi32>\n  vector.print %y : i32',
);
// Prints a[0], then divides by a[1] = 0: SIGFPE natively, a "divide by zero" trap in wasm.
const trap = prog(
  '  %x = memref.load %a[%c0] : memref<4xi32>\n  vector.print %x : i32\n  %z = memref.load %a[%c1] : memref<4xi32>\n  %d = arith.divsi %x, %z : i32\n  memref.store %d, %a[%c1] : memref<4xi32>\n  vector.print %d : i32',
);
// Increments a[0] forever: the store keeps the loop from being deleted.
const hang = prog(
  '  %t = arith.constant true\n  %one = arith.constant 1 : i32\n  scf.while : () -> () {\n    %x = memref.load %a[%c0] : memref<4xi32>\n    %y = arith.addi %x, %one : i32\n    memref.store %y, %a[%c0] : memref<4xi32>\n    scf.condition(%t)\n  } do {\n    scf.yield\n  }',
);
const input = (): Uint8Array => encode(A[0]!, [5, 0, 2, 3], 8);

function okValues(o: ExecOutcome): { first: number; stdout: string } {
  assert.equal(o.kind, 'ok', JSON.stringify(o).slice(0, 600));
  if (o.kind !== 'ok') return { first: NaN, stdout: '' };
  return { first: new DataView(o.buffers[0]!.buffer, o.buffers[0]!.byteOffset).getInt32(0, true), stdout: Buffer.from(o.stdout).toString('utf8') };
}

describe('backend harness', { skip: toolchainSkip() }, () => {
  const native = runner(new NativeExecutor());
  const wasm = runner(new WasmExecutor());
  after(() => wasm.close());

  for (const [name, b] of [
    ['native', native],
    ['wasm', wasm],
  ] as const) {
    it(`${name}: a trap and a hang end only their own program; the batch resumes after them`, async () => {
      const r = await b.runBatch(
        [square, trap, square, hang, square].map((program) => ({ program, inputs: [input()] })),
        { timeoutMs: 1500 },
      );
      assert.deepEqual(
        r.map((x) => x.kind),
        ['ok', 'trap', 'ok', 'hang', 'ok'],
      );
      for (const k of [0, 2, 4]) assert.deepEqual(okValues(r[k]!), { first: 25, stdout: '25\n' });
      const t = r[1]!;
      assert.ok(t.kind === 'trap');
      if (t.kind === 'trap') {
        assert.match(t.message, name === 'native' ? /SIGFPE/ : /divide by zero/);
        // Output printed before the trap survives natively too (stdout is unbuffered there).
        if (name === 'wasm') assert.equal(Buffer.from(t.stdout).toString('utf8'), '5\n');
      }
    });
  }

  it('checks inputs against the input ABI before running anything', async () => {
    await assert.rejects(native.run(square, [new Uint8Array(3)]), /input 0 has 3 bytes, 16 expected/);
    await assert.rejects(wasm.run({ text: square.text, args: [memref([4], i(32))] }, []), /takes 1 buffers, 0 inputs given/);
    assert.match(entryArgProblem(memref([4], i(32), stridedAttr([2], 0)), 0) ?? '', /non-contiguous layout/);
  });

  it('a pipeline that removes @main is a harness failure, not a wrong answer', async () => {
    // Without its required exclusion, symbol-privatize makes @main private and symbol-dce then deletes it.
    const o = await native.run(square, [input()], { pipeline: parsePipeline('symbol-privatize{exclude=""},symbol-dce') });
    assert.ok(o.kind === 'compile-failure' && o.stage === 'harness' && o.reason === 'abi', JSON.stringify(o).slice(0, 400));
  });

  it('reports a pass that produces invalid IR as a verifier failure with the pass name', async () => {
    const text = readFileSync(join(FIXTURES, 'bugs', 'scf-extract-fixed-outer-loops-iter-args.mlir'), 'utf8');
    const p: TestProgram = { text, args: [memref([8], { kind: 'index' })] };
    const o = await wasm.run(p, [fillBuffer(p.args[0]!, 1, 0, 4)], {
      pipeline: parsePipeline('func.func(test-extract-fixed-outer-loops{test-outer-loop-sizes=2})'),
    });
    assert.ok(o.kind === 'compile-failure' && o.stage === 'mlir-opt' && o.reason === 'verifier', JSON.stringify(o).slice(0, 400));
    assert.equal(o.kind === 'compile-failure' && o.pass, 'test-extract-fixed-outer-loops');
  });

  it('wasm: an llc crash in a merged batch is bisected to its program', async () => {
    // llc wrapper: crashes on IR that mentions @crash_me, otherwise runs the real llc.
    const tc = wrappedToolchain('llc', ['case "$input" in *crash_me*) echo "LLVM ERROR: fake" >&2; kill -ABRT $$;; esac']);
    const fake = runner(new WasmExecutor({ toolchain: tc }));
    const crashy: TestProgram = { text: 'func.func @crash_me() {\n  return\n}\n' + square.text, args: A };
    const r = await fake.runBatch([square, crashy, square].map((program) => ({ program, inputs: [encode(A[0]!, [5, 0, 2, 3], 4)] })));
    await fake.close();
    assert.deepEqual(
      r.map((x) => x.kind),
      ['ok', 'crash', 'ok'],
    );
    const c = r[1]!;
    assert.ok(c.kind === 'crash' && c.stage === 'llc' && c.crash.message === 'fake');
  });

  it('wasm: a linked module exports only its entries (V8 refuses modules with over 100,000 exports)', async () => {
    const many: TestProgram = { text: square.text + Array.from({ length: 40 }, (_, k) => `func.func @f${k}(%x: i32) -> i32 {\n  return %x : i32\n}\n`).join(''), args: A };
    const e = new WasmExecutor();
    const batch = await e.compile([square, many].map((p) => ({ program: { text: p.text, entry: { name: 'main', args: [{ shape: [4], element: 'i32' }] } }, pipeline: [] })));
    await e.close();
    assert.deepEqual(batch.failures, [undefined, undefined]);
    const exports = batch.modules.flatMap((m) => WebAssembly.Module.exports(new WebAssembly.Module(m.bytes)).map((x) => x.name));
    assert.deepEqual(exports.filter((n) => n !== '__wasm_call_ctors').sort(), ['__heap_base', '__tcfuzz_entry_0', '__tcfuzz_entry_1']);
  });

  it('batched and unbatched runs agree, and so do V8 tiers and llc options', async () => {
    const programs = ['odd-width-ints.mlir', 'vector-ops.mlir', 'exact-math.mlir'].map(loadProgram);
    const items = programs.map((program) => ({ program, inputs: program.args.map((t, k) => fillBuffer(t, 42, k, 4)) }));
    const batched = await wasm.runBatch(items);
    const single = await wasm.run(items[1]!.program, items[1]!.inputs);
    assert.deepEqual(withoutMs(single), withoutMs(batched[1]!));
    for (const opts of [{ tier: 'liftoff' as const }, { tier: 'turbofan' as const, optLevel: 0 as const, simd128: true }]) {
      const b = runner(new WasmExecutor(opts));
      const r = await b.runBatch(items);
      await b.close();
      assert.deepEqual(r.map(withoutMs), batched.map(withoutMs), JSON.stringify(opts));
    }
  });
});
