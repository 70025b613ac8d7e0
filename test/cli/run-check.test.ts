import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { main } from '../../cli/main.ts';
import { loadPrograms } from '../../cli/program-files.ts';
import { fillBuffer } from '../../ir/inputs.ts';
import { i32, memref } from '../../ir/types.ts';

function capture() {
  const io = { stdout: '', stderr: '', out: (t: string) => void (io.stdout += t), err: (t: string) => void (io.stderr += t) };
  return io;
}
const fx = (f: string) => new URL(`../../fixtures/cli/${f}`, import.meta.url).pathname;

describe('tcfuzz run', () => {
  it('writes exactly what a print-style program prints, on the interpreter and natively', async () => {
    for (const backend of ['interp', 'native']) {
      const io = capture();
      assert.equal(await main(['run', fx('print.mlir'), '--backend', backend], io), 0, io.stderr);
      assert.equal(io.stdout, '( 1, -2, 3 )\n49\n', backend);
      assert.match(io.stderr, /^outcome: ok$/m);
    }
  });

  it('reports each output buffer with its sha256, computed independently here', async () => {
    const t = memref([4], i32);
    const x = fillBuffer(t, 3, 0);
    const y = fillBuffer(t, 3, 1);
    const xv = new Int32Array(x.buffer);
    const yv = new Int32Array(y.buffer.slice(0));
    for (let k = 0; k < 4; k++) yv[k] = (2 * xv[k]! + yv[k]!) | 0;
    const expected = [x, new Uint8Array(yv.buffer)].map((b) => createHash('sha256').update(b).digest('hex'));
    for (const backend of ['interp', 'wasm']) {
      const io = capture();
      assert.equal(await main(['run', fx('axpy.mlir'), '--backend', backend, '--input-seed', '3', '--json'], io), 0, io.stderr);
      const r = JSON.parse(io.stdout);
      assert.equal(r.outcome, 'ok');
      assert.deepEqual(r.buffers.map((b: { sha256: string }) => b.sha256), expected, backend);
      assert.deepEqual(r.buffers[1].shape, [4]);
    }
  });

  it('reports UB as an outcome with the op, and exits 1', async () => {
    const io = capture();
    assert.equal(await main(['run', fx('div-by-zero.mlir')], io), 77);
    assert.match(io.stderr, /outcome: ub \(div-by-zero in arith.divsi at .*div-by-zero.mlir:\d+:\d+/);
  });

  it('applies --pipeline before interpreting, and rejects a malformed one', async () => {
    const io = capture();
    assert.equal(await main(['run', fx('print.mlir'), '--pipeline', 'builtin.module(canonicalize,cse)'], io), 0, io.stderr);
    assert.equal(io.stdout, '( 1, -2, 3 )\n49\n');
    const bad = capture();
    assert.equal(await main(['run', fx('print.mlir'), '--pipeline', 'builtin.module(canonicalize'], bad), 2);
  });
});

describe('tcfuzz run --dump', () => {
  it('prints every output element as the oracles read it', async () => {
    const io = capture();
    assert.equal(await main(['run', fx('axpy.mlir'), '--input-seed', '3', '--dump'], io), 0, io.stderr);
    const t = memref([4], i32);
    const show = (bytes: Uint8Array) => Array.from(new Int32Array(bytes.buffer, bytes.byteOffset, 4)).join(' ');
    // axpy leaves its first buffer as it was and writes y = 2x + y into the second; the dump shows both.
    const lines = io.stderr.split('\n').filter((l) => /^ {4}-?\d/.test(l));
    assert.equal(lines.length, 2);
    const x = fillBuffer(t, 3, 0);
    const y = fillBuffer(t, 3, 1);
    assert.equal(lines[0]!.trim(), show(x));
    const xs = new Int32Array(x.buffer, x.byteOffset, 4);
    assert.equal(lines[1]!.trim(), Array.from(new Int32Array(y.buffer, y.byteOffset, 4), (v, k) => 2 * xs[k]! + v).join(' '));
  });
});

describe('program files', () => {
  it('locate ops in the original custom-syntax file, also for the second file of a batch', async () => {
    const { programs, invalid } = await loadPrograms([fx('axpy.mlir'), fx('div-by-zero.mlir')], () => {});
    assert.equal(invalid.length, 0);
    const divsi = [...programs[1]!.module.walk()].find((op) => op.name === 'arith.divsi');
    // `%q = arith.divsi %a, %z : i32` is line 6 of div-by-zero.mlir; the op name starts at column 8.
    assert.deepEqual(divsi?.loc, { file: fx('div-by-zero.mlir'), line: 6, col: 8 });
  });
});

describe('tcfuzz check', () => {
  it('discards UB, agrees on a clean program, and rejects bad input with file:line:col', async () => {
    const io = capture();
    const code = await main(['check', fx('axpy.mlir'), fx('div-by-zero.mlir'), fx('bad-type.mlir'), '--backends', 'interp,native,wasm', '--json'], io);
    assert.equal(code, 2, 'an invalid input file makes the exit code 2');
    const r = JSON.parse(io.stdout);
    assert.equal(r.cases, 2);
    assert.equal(r.ub_discarded, 1);
    assert.equal(r.agree, 1);
    assert.deepEqual(r.disagreements, []);
    assert.equal(r.invalid_inputs.length, 1);
    assert.match(r.invalid_inputs[0].file, /bad-type\.mlir$/);
    assert.equal(r.invalid_inputs[0].line, 4);
    assert.match(io.stderr, /bad-type\.mlir:4:\d+: error: .*/);
    assert.ok(r.interp_ops.includes('arith.muli') && r.interp_ops.includes('scf.for'));
  });

  it('says how to install a missing toolchain, and exits 2', async () => {
    const saved = process.env.TCFUZZ_LLVM_BIN;
    process.env.TCFUZZ_LLVM_BIN = mkdtempSync(join(tmpdir(), 'tcfuzz-no-llvm-'));
    try {
      for (const argv of [['check', fx('axpy.mlir'), '--backends', 'interp,native'], ['run', fx('axpy.mlir')]]) {
        const io = capture();
        assert.equal(await main(argv, io), 2, argv.join(' '));
        assert.match(io.stderr, /apt-get install -y mlir-22-tools llvm-22 lld-22/);
      }
    } finally {
      if (saved === undefined) delete process.env.TCFUZZ_LLVM_BIN;
      else process.env.TCFUZZ_LLVM_BIN = saved;
    }
  });

  it('rejects unknown backends with exit code 2', async () => {
    const io = capture();
    assert.equal(await main(['check', fx('axpy.mlir'), '--backends', 'interp,tpu'], io), 2);
    assert.match(io.stderr, /unknown backend 'tpu'/);
  });
});
