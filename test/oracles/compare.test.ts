import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { f32Bits } from '../../numeric/float.ts';
import { f32, i, index, memref } from '../../ir/types.ts';
import { DEFAULT_TOLERANCE, firstDifference, toleranceFor, ulpDistance } from '../../oracles/compare.ts';

const f32Buf = (...xs: number[]) => new Uint8Array(new Float32Array(xs).buffer);
const side = (buffers: Uint8Array[], stdout: string | Uint8Array = '', indexBytes = 8) => ({
  buffers,
  stdout: typeof stdout === 'string' ? new TextEncoder().encode(stdout) : stdout,
  indexBytes,
});

describe('output comparison', () => {
  const t = memref([3], f32);

  it('agrees on identical buffers and on NaNs with different payloads', () => {
    const nan1 = new Uint8Array(new Uint32Array([0x7fc00000]).buffer);
    const nan2 = new Uint8Array(new Uint32Array([0xffc00001]).buffer);
    assert.equal(firstDifference([memref([1], f32)], side([nan1]), side([nan2])), undefined);
    assert.equal(firstDifference([t], side([f32Buf(1, 2, 3)]), side([f32Buf(1, 2, 3)])), undefined);
  });

  it('compares exact floats bit for bit: -0 vs +0 and 1 ulp are differences', () => {
    const d = firstDifference([t], side([f32Buf(1, -0, 3)]), side([f32Buf(1, 0, 3)]));
    assert.deepEqual(d && d.kind === 'buffer' && [d.buffer, d.index, d.tainted], [0, 1, false]);
    const next = new Float32Array([3]);
    new Uint32Array(next.buffer)[0]! += 1;
    assert.notEqual(firstDifference([t], side([f32Buf(1, 2, 3)]), side([f32Buf(1, 2, next[0]!)])), undefined);
  });

  it('allows a tolerance only on elements tainted by transcendental math', () => {
    const a = f32Buf(1, 2, Math.fround(Math.exp(1)));
    const bumped = f32Bits(Math.fround(Math.exp(1))) + 3;
    const b = new Uint8Array(a);
    new DataView(b.buffer).setUint32(8, bumped, true);
    const taint = [new Uint8Array([0, 0, 1])];
    assert.equal(firstDifference([t], side([a]), side([b]), taint), undefined);
    const d = firstDifference([t], side([a]), side([b]), [new Uint8Array([0, 0, 0])]);
    assert.equal(d?.kind, 'buffer');
    // a NaN against a number is never within tolerance
    const c = f32Buf(1, 2, NaN);
    assert.equal(firstDifference([t], side([a]), side([c]), taint)?.kind, 'buffer');
  });

  it('gives every float type the relative tolerance of the loosest type a program computes in', () => {
    assert.deepEqual(toleranceFor([]), DEFAULT_TOLERANCE);
    assert.deepEqual(toleranceFor(['f64']), DEFAULT_TOLERANCE);
    assert.deepEqual(toleranceFor(['f32', 'f64']).rel, { f16: 4e-3, bf16: 3e-2, f32: 1e-5, f64: 1e-5 });
    assert.deepEqual(toleranceFor(['f16', 'f32']).rel, { f16: 4e-3, bf16: 3e-2, f32: 4e-3, f64: 4e-3 });
  });

  it('masks the padding bits of odd-width integers (LLVM leaves them unspecified)', () => {
    const i3 = memref([2], i(3));
    assert.equal(firstDifference([i3], side([new Uint8Array([0x03, 0x05])]), side([new Uint8Array([0xfb, 0x05])])), undefined);
    const d = firstDifference([i3], side([new Uint8Array([0x03, 0x05])]), side([new Uint8Array([0x03, 0x04])]));
    assert.deepEqual(d && d.kind === 'buffer' && d.values, ['-3', '-4']);
  });

  it('compares index buffers across 64- and 32-bit targets at the narrower width', () => {
    const ix = memref([2], index);
    const native = new Uint8Array(new BigInt64Array([5n, -1n]).buffer);
    const wasm = new Uint8Array(new Int32Array([5, -1]).buffer);
    assert.equal(firstDifference([ix], side([native]), side([wasm], '', 4)), undefined);
  });

  it('reports the first differing line of printed output', () => {
    const d = firstDifference([], side([], '( 1, 2 )\n( 3, 4 )\n'), side([], '( 1, 2 )\n( 3, 5 )\n'));
    assert.deepEqual(d, { kind: 'stdout', offset: 14, values: ['( 3, 4 )', '( 3, 5 )'] });
  });

  it('ignores the sign of a printed NaN, and nothing else', () => {
    assert.equal(firstDifference([], side([], '( -nan, 1 )\n'), side([], '( nan, 1 )\n')), undefined);
    assert.equal(firstDifference([], side([], '-1\n'), side([], '1\n'))?.kind, 'stdout');
  });

  it('ignores printMemref data addresses, and nothing else on that line', () => {
    const line = (addr: string, rank = 1) => `Unranked Memref base@ = ${addr} rank = ${rank} offset = 0 sizes = [2] strides = [1] data = \n[1,  2]\n`;
    assert.equal(firstDifference([], side([], line('0x11000')), side([], line('0x7f3a2c0011e0'))), undefined);
    assert.equal(firstDifference([], side([], line('0x11000')), side([], line('0'))), undefined);
    assert.equal(firstDifference([], side([], line('0x11000')), side([], line('0x11000', 2)))?.kind, 'stdout');
  });

  it('compares printed bytes exactly, UTF-8 or not', () => {
    const raw = (...b: number[]) => new Uint8Array(b);
    assert.equal(firstDifference([], side([], raw(0x41, 0xff, 0x0a)), side([], raw(0x41, 0xff, 0x0a))), undefined);
    const d = firstDifference([], side([], raw(0x41, 0xfe, 0x0a)), side([], raw(0x41, 0xff, 0x0a)));
    assert.equal(d?.kind === 'stdout' && d.offset, 1);
  });

  it('measures ulp distance across zero', () => {
    assert.equal(ulpDistance('f32', BigInt(f32Bits(-0)), BigInt(f32Bits(0))), 0n);
    assert.equal(ulpDistance('f32', BigInt(f32Bits(1.401298464324817e-45)), BigInt(f32Bits(-1.401298464324817e-45))), 2n);
  });
});
