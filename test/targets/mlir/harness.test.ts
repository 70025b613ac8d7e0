// Backend behaviour around the happy path: traps and hangs inside a batch, input-ABI checks, pipelines that break
// @main's signature or the IR, a crashing compiler stage inside a batch, V8 tiers and llc options.
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { AbiError } from '../../../targets/mlir/abi.ts';
import type { Backend, BackendOutcome, Program } from '../../../targets/mlir/backend.ts';
import { NativeBackend } from '../../../targets/mlir/native/executor.ts';
import { parsePipeline } from '../../../targets/mlir/passes/pipeline.ts';
import type { Toolchain, ToolName } from '../../../targets/mlir/toolchain.ts';
import { findToolchain } from '../../../targets/mlir/toolchain.ts';
import { WasmBackend } from '../../../targets/mlir/wasm/executor.ts';
import { fillBuffer } from '../../../ir/inputs.ts';
import { i, memref } from '../../../ir/types.ts';
import { strided as stridedAttr } from '../../../ir/attributes.ts';
import { FIXTURES, encode, loadProgram, toolchainSkip } from './helpers.ts';

const A = [memref([4], i(32))];
const prog = (body: string): Program => ({
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

function okValues(o: BackendOutcome): { first: number; stdout: string } {
  assert.equal(o.kind, 'ok', JSON.stringify(o).slice(0, 600));
  if (o.kind !== 'ok') return { first: NaN, stdout: '' };
  return { first: new DataView(o.buffers[0]!.buffer, o.buffers[0]!.byteOffset).getInt32(0, true), stdout: o.stdout };
}

describe('backend harness', { skip: toolchainSkip() }, () => {
  const native = new NativeBackend();
  const wasm = new WasmBackend();
  after(() => wasm.close());

  for (const [name, b] of [
    ['native', native],
    ['wasm', wasm],
  ] as [string, Backend][]) {
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
        if (name === 'wasm') assert.equal(t.stdout, '5\n');
      }
    });
  }

  it('checks inputs against the input ABI before running anything', async () => {
    await assert.rejects(native.run(square, [new Uint8Array(3)]), AbiError);
    await assert.rejects(wasm.run({ text: square.text, args: [memref([4], i(32))] }, []), AbiError);
    const strided = { text: square.text, args: [memref([4], i(32), stridedAttr([2], 0))] };
    await assert.rejects(native.run(strided, [input()]), AbiError);
  });

  it('a pipeline that removes @main is a harness failure, not a wrong answer', async () => {
    // Without its required exclusion, symbol-privatize makes @main private and symbol-dce then deletes it.
    const o = await native.run(square, [input()], { pipeline: parsePipeline('symbol-privatize{exclude=""},symbol-dce') });
    assert.ok(o.kind === 'compile-failure' && o.stage === 'harness' && o.reason === 'abi', JSON.stringify(o).slice(0, 400));
  });

  it('reports a pass that produces invalid IR as a verifier failure with the pass name', async () => {
    const text = readFileSync(join(FIXTURES, 'bugs', 'scf-extract-fixed-outer-loops-iter-args.mlir'), 'utf8');
    const p: Program = { text, args: [memref([8], { kind: 'index' })] };
    const o = await wasm.run(p, [fillBuffer(p.args[0]!, 1, 0, 4)], {
      pipeline: parsePipeline('func.func(test-extract-fixed-outer-loops{test-outer-loop-sizes=2})'),
    });
    assert.ok(o.kind === 'compile-failure' && o.stage === 'mlir-opt' && o.reason === 'verifier', JSON.stringify(o).slice(0, 400));
    assert.equal(o.kind === 'compile-failure' && o.pass, 'test-extract-fixed-outer-loops');
  });

  it('wasm: an llc crash in a merged batch is bisected to its program', async () => {
    // llc wrapper: crashes on IR that mentions @crash_me, otherwise runs the real llc.
    const real = findToolchain();
    const dir = mkdtempSync(join(tmpdir(), 'tcfuzz-fake-llc-'));
    const llc = join(dir, 'llc');
    writeFileSync(
      llc,
      `#!/bin/sh\ninput=$(cat)\ncase "$input" in *crash_me*) echo "LLVM ERROR: fake" >&2; kill -ABRT $$;; esac\nprintf '%s\\n' "$input" | exec ${real.path('llc')} "$@"\n`,
    );
    chmodSync(llc, 0o755);
    const tc: Toolchain = { binDir: dir, libDir: real.libDir, path: (t: ToolName) => (t === 'llc' ? llc : real.path(t)) };
    const fake = new WasmBackend({ toolchain: tc });
    const crashy: Program = { text: 'func.func @crash_me() {\n  return\n}\n' + square.text, args: A };
    const r = await fake.runBatch([square, crashy, square].map((program) => ({ program, inputs: [encode(A[0]!, [5, 0, 2, 3], 4)] })));
    await fake.close();
    assert.deepEqual(
      r.map((x) => x.kind),
      ['ok', 'crash', 'ok'],
    );
    const c = r[1]!;
    assert.ok(c.kind === 'crash' && c.stage === 'llc' && c.crash.message === 'fake');
  });

  it('batched and unbatched runs agree, and so do V8 tiers and llc options', async () => {
    const programs = ['odd-width-ints.mlir', 'vector-ops.mlir', 'exact-math.mlir'].map(loadProgram);
    const items = programs.map((program) => ({ program, inputs: program.args.map((t, k) => fillBuffer(t, 42, k, 4)) }));
    const batched = await wasm.runBatch(items);
    const single = await wasm.run(items[1]!.program, items[1]!.inputs);
    assert.deepEqual(single, batched[1]);
    for (const opts of [{ tier: 'liftoff' as const }, { tier: 'turbofan' as const, optLevel: 0 as const, simd128: true }]) {
      const b = new WasmBackend(opts);
      const r = await b.runBatch(items);
      await b.close();
      assert.deepEqual(r, batched, JSON.stringify(opts));
    }
  });
});
