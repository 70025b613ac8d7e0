// The WASM host runtime in isolation (no toolchain): printf %g, exact fma, 128-bit conversions, f16 builtins.
// Each expected value is derived in the comment next to it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatG } from '../../../numeric/c-math.ts';
import { int128ToFloat, scalbn } from '../../../numeric/softfloat.ts';
import { fma } from '../../../numeric/float.ts';
import { PrintedBytes } from '../../../numeric/runner-utils-print.ts';
import { createImports, WasmTrap } from '../../../targets/mlir/wasm/imports.ts';
import type { HostState } from '../../../targets/mlir/wasm/imports.ts';
import { importedMemoryPages } from '../../../targets/mlir/wasm/runner.ts';
import { bf16AsI16 } from '../../../targets/mlir/wasm/executor.ts';
import { blamedProgram } from '../../../targets/mlir/llvm-merge.ts';

const p2 = (e: number): number => 2 ** e;

describe('formatG matches glibc printf("%g")', () => {
  const cases: [number, string][] = [
    [0.1, '0.1'],
    [100000, '100000'], // exponent 5 < precision 6: fixed notation
    [1000000, '1e+06'], // exponent 6: scientific, trailing zeros and point removed
    [123456789, '1.23457e+08'],
    [1234565, '1.23456e+06'], // an exact tie: half to even keeps the 6
    [1234575, '1.23458e+06'], // an exact tie rounding up to the even 8
    [2.5, '2.5'],
    [0.0001, '0.0001'], // exponent -4 is still fixed notation
    [0.00001, '1e-05'],
    [-0, '-0'],
    [Infinity, 'inf'],
    [-Infinity, '-inf'],
    [NaN, 'nan'],
    [5e-324, '4.94066e-324'],
    [999999.5, '1e+06'], // rounds up into the next decade
    [12345.678, '12345.7'],
  ];
  for (const [x, s] of cases) it(`${x} → ${s}`, () => assert.equal(formatG(x), s));
  it('prints a negative NaN as -nan', () => {
    const dv = new DataView(new ArrayBuffer(8));
    dv.setBigUint64(0, 0xfff8000000000000n);
    assert.equal(formatG(dv.getFloat64(0)), '-nan');
  });
});

describe('exact fma', () => {
  it('fmaf keeps the bit a rounded product loses', () => {
    // (1+2^-12)² = 1 + 2^-11 + 2^-24; minus (1+2^-11) leaves 2^-24.
    assert.equal(fma('f32', 1 + p2(-12), 1 + p2(-12), -(1 + p2(-11))), p2(-24));
  });
  it('fmaf rounds once, not through double', () => {
    // 1 + 2^-11 + 2^-24 is halfway between two floats; adding 2^-80 puts it above, so it rounds up to
    // 1 + 2^-11 + 2^-23. In double the 2^-80 is lost first and the tie then rounds to even, 1 + 2^-11.
    assert.equal(fma('f32', 1 + p2(-12), 1 + p2(-12), p2(-80)), 1 + p2(-11) + p2(-23));
  });
  it('fma (double) is exact where a×b+c in doubles is not', () => {
    // (1+2^-30)² = 1 + 2^-29 + 2^-60; minus (1+2^-29) leaves 2^-60.
    assert.equal(fma('f64', 1 + p2(-30), 1 + p2(-30), -(1 + p2(-29))), p2(-60));
  });
  it('follows IEEE for infinities and zeros', () => {
    assert.ok(Number.isNaN(fma('f64', Infinity, 0, 1)));
    assert.ok(Object.is(fma('f64', -0, 1, -0), -0));
    assert.ok(Object.is(fma('f64', 1, 1, -1), 0));
  });
});

describe('128-bit integer to float conversion rounds once', () => {
  it('to f32', () => {
    // 2^64 + 2^40 + 1: the f32 neighbours are 2^64 and 2^64 + 2^41; 2^40 + 1 is just above half, so round up.
    // Going through a double first drops the +1 and the tie then rounds to even, 2^64.
    const v = (1n << 64n) + (1n << 40n) + 1n;
    assert.equal(int128ToFloat(v & 0xffffffffffffffffn, v >> 64n, true, true), 2 ** 64 + 2 ** 41);
  });
  it('signed and unsigned read the same bits differently', () => {
    // All ones: -1 signed, 2^128 - 1 unsigned (which rounds to 2^128 in double).
    const ones = 0xffffffffffffffffn;
    assert.equal(int128ToFloat(ones, ones, true, false), -1);
    assert.equal(int128ToFloat(ones, ones, false, false), 2 ** 128);
  });
});

describe('scalbn', () => {
  it('rounds a subnormal result once', () => {
    // (1 + 2^-52) × 2^-1074 lies between the smallest subnormal and zero... it is 2^-1074 + 2^-1126: rounds to 2^-1074.
    assert.equal(scalbn(1 + p2(-52), -1074), 5e-324);
    assert.equal(scalbn(3, 1023 + 1), Infinity);
    assert.equal(scalbn(1, -1075), 0); // exactly half the smallest subnormal: ties to even (zero)
  });
});

function host(): { s: HostState; imp: Record<string, (...a: never[]) => unknown> } {
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 16 });
  const s: HostState = { memory, heapTop: 1024, live: new Map(), freed: new Set(), stdout: new PrintedBytes(), pendingInputs: [], outputs: [] };
  return { s, imp: createImports(s) as Record<string, (...a: never[]) => unknown> };
}

describe('runtime imports', () => {
  it('f16 conversions round to nearest even', () => {
    const { imp } = host();
    const trunc = imp.__truncsfhf2 as (f: number) => number;
    const ext = imp.__extendhfsf2 as (h: number) => number;
    // 65520 is halfway between 65504 (max f16) and 65536 (which overflows): even is 65536 → +inf.
    assert.equal(trunc(65520), 0x7c00);
    // 0.1 = 1.6·2^-4; 1.6·1024 = 1638.4 → 1638 = 0x666, exponent -4+15 = 11 → 0x2c00 | 0x266.
    assert.equal(trunc(0.1), 0x2e66);
    assert.equal(ext(0x3c00), 1);
    assert.equal(ext(0xfc00), -Infinity);
  });
  it('libm keeps C semantics where Math differs', () => {
    const { imp } = host();
    const call = (name: string, ...a: number[]): number => (imp[name] as (...x: number[]) => number)(...a);
    assert.equal(call('round', -2.5), -3); // Math.round(-2.5) is -2
    assert.equal(call('roundevenf', 2.5), 2);
    assert.equal(call('pow', 1, NaN), 1); // Math.pow(1, NaN) is NaN
    assert.equal(call('fmin', NaN, 3), 3);
    assert.equal(call('fmodf', 5.5, 2), 1.5);
    assert.ok(Object.is(call('copysign', 2, -0), -2));
  });
  it('128-bit multiply writes its result through the return pointer', () => {
    const { s, imp } = host();
    const mul = imp.__multi3 as (r: number, al: bigint, ah: bigint, bl: bigint, bh: bigint) => void;
    // (2^63)·(-2) = -2^64: low word 0, high word -1.
    mul(64, 1n << 63n, 0n, -2n, -1n);
    const dv = new DataView(s.memory.buffer);
    assert.equal(dv.getBigUint64(64, true), 0n);
    assert.equal(dv.getBigInt64(72, true), -1n);
  });
  it('malloc returns aligned, disjoint blocks and grows memory', () => {
    const { s, imp } = host();
    const malloc = imp.malloc as (n: number) => number;
    const a = malloc(100);
    const b = malloc(200000); // more than the one page the memory started with
    assert.equal(a % 16, 0);
    assert.ok(b >= a + 100);
    assert.ok(s.memory.buffer.byteLength >= b + 200000);
    // The memory's maximum is 16 pages (1 MiB): running out traps instead of handing back a null pointer.
    assert.throws(() => malloc(2 << 20), WasmTrap);
  });
  it('prints like the runner utils', () => {
    const { s, imp } = host();
    (imp.printOpen as () => void)();
    (imp.printI64 as (v: bigint) => void)(-5n);
    (imp.printComma as () => void)();
    (imp.printU64 as (v: bigint) => void)(-1n);
    (imp.printComma as () => void)();
    (imp.printF16 as (h: number) => void)(0x2e66);
    (imp.printClose as () => void)();
    (imp.printNewline as () => void)();
    assert.equal(Buffer.from(s.stdout.toBytes()).toString('utf8'), '( -5, 18446744073709551615, 0.0999756 )\n');
  });
  it("says a failing cf.assert's message, as its lowering does natively: puts, then abort", () => {
    const { s, imp } = host();
    new Uint8Array(s.memory.buffer).set(Buffer.from('assertion 7\0'), 64);
    (imp.puts as (p: number) => void)(64);
    assert.throws(() => (imp.abort as () => void)(), WasmTrap);
    assert.equal(Buffer.from(s.stdout.toBytes()).toString('utf8'), 'assertion 7\n');
  });
});

describe('bf16AsI16', () => {
  it('renames storage-only bfloat to i16, constants included', () => {
    const ll = 'define i16 @f(ptr %p, i1 %c) {\n  %x = load bfloat, ptr %p\n  %y = phi bfloat [ 0xR3F80, %a ], [ %x, %b ]\n  %z = select i1 %c, bfloat 0xR0000, bfloat %y\n  %w = bitcast bfloat %z to i16\n  ret i16 %w\n}\n';
    assert.equal(
      bf16AsI16(ll),
      'define i16 @f(ptr %p, i1 %c) {\n  %x = load i16, ptr %p\n  %y = phi i16 [ 16256, %a ], [ %x, %b ]\n  %z = select i1 %c, i16 0, i16 %y\n  %w = bitcast i16 %z to i16\n  ret i16 %w\n}\n',
    );
  });
  it('leaves IR with bfloat arithmetic or conversions alone', () => {
    for (const ll of ['%y = fpext bfloat %x to double', '%y = fptrunc double %x to bfloat', '%y = fadd bfloat %a, %b']) {
      assert.equal(bf16AsI16(ll), ll);
    }
  });
});

describe('blamedProgram', () => {
  it('finds the merged program an LLVM error names', () => {
    assert.equal(blamedProgram('LLVM ERROR: Cannot select: x\nIn function: main__k7\n', [3, 7, 9]), 7);
    assert.equal(blamedProgram('In function: helper.fn__k12', [12]), 12);
    assert.equal(blamedProgram('In function: main__k7', [3, 9]), undefined, 'a program outside the group is no hint');
    assert.equal(blamedProgram('LLVM ERROR: out of memory', [1, 2]), undefined);
  });
});

describe('wasm binary reader', () => {
  it('reads the memory import minimum after other imports', () => {
    // magic+version; type section (one () -> () type); import section: env.f (func, type 0), env.memory (min 130).
    const bytes = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x04, 0x01, 0x60, 0x00, 0x00];
    const env = [0x03, 0x65, 0x6e, 0x76];
    const body = [0x02, ...env, 0x01, 0x66, 0x00, 0x00, ...env, 0x06, 0x6d, 0x65, 0x6d, 0x6f, 0x72, 0x79, 0x02, 0x00, 0x82, 0x01];
    const section = [0x02, body.length, ...body];
    assert.equal(importedMemoryPages(new Uint8Array([...bytes, ...section])), 130);
  });
});
