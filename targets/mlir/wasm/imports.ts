// Everything a wasm32 module lowered from MLIR imports from its host: memory management, the harness buffer calls,
// libm, the compiler-rt builtins llc emits for f16 and 128-bit integers, and the runner-utils print functions
// (formatted by numeric/runner-utils-print.ts, which the reference interpreter prints through too). IEEE-exact
// operations (fma, fmod, sqrt, rounding, conversions) are exact here; transcendental functions are computed in
// double and rounded, which the oracles compare with a ULP tolerance.
import { bf16Bits, bf16FromBits, f16Bits, f16FromBits, fma } from '../../../numeric/float.ts';
import { erf, erfc } from '../../../numeric/c-math.ts';
import type { MemrefElem, MemrefPrinter, PrintedBytes } from '../../../numeric/runner-utils-print.ts';
import { MEMREF_PRINTERS, memrefBytes, PUNCTUATION, printFloatText, printI64Text, printU64Text } from '../../../numeric/runner-utils-print.ts';
import { int128ToFloat, scalbn, scalbnf } from '../../../numeric/softfloat.ts';

export type HostState = {
  memory: WebAssembly.Memory;
  /** Next free byte of the bump allocator; starts at __heap_base. */
  heapTop: number;
  /** Live allocations: start → size. `free` of anything else traps, as glibc aborts. */
  live: Map<number, number>;
  /** Blocks freed so far (memory is never reused, so a second free of one is always a double free). */
  freed: Set<number>;
  /** What the program printed. */
  stdout: PrintedBytes;
  /** Argument buffers still to be handed to the program, in order. */
  pendingInputs: Uint8Array[];
  /** Buffers the harness handed back. */
  outputs: Uint8Array[];
};

const PAGE = 65536;

export class WasmTrap extends Error {
  override name = 'WasmTrap';
}

function bytes(s: HostState): Uint8Array {
  return new Uint8Array(s.memory.buffer);
}
function view(s: HostState): DataView {
  return new DataView(s.memory.buffer);
}

/** What freed memory is filled with, so that a use after free reads garbage (NaNs, huge integers) instead of the old values. */
export const FREED_BYTE = 0xdd;

/**
 * Bump allocation: memory is never reused, so a freed block stays poisoned and a use after free shows in the
 * results. Every block is recorded live until freed, and 8 bytes lie between blocks, so a pointer just past one
 * never names another. Traps when full.
 */
function alloc(s: HostState, size: number, align = 16): number {
  const a = Math.max(align, 16);
  const start = Math.ceil((s.heapTop + 8) / a) * a;
  const end = start + Math.max(size, 1);
  const have = s.memory.buffer.byteLength;
  if (end > have) {
    try {
      s.memory.grow(Math.ceil((end - have) / PAGE));
    } catch {
      // Lowered MLIR never checks malloc's result: a null here would be written through silently (address 0 is
      // valid wasm memory), where native code would fault. Trap instead, like the native run.
      throw new WasmTrap(`out of memory allocating ${size} bytes`);
    }
  }
  s.live.set(start, size);
  s.heapTop = end;
  return start;
}

/**
 * glibc's free, strict: the program aborts on freeing a block twice ("double free or corruption") or a pointer
 * malloc never returned ("free(): invalid pointer"), so natively such a program dies with SIGABRT; here it traps.
 * `what` names the caller in the message (free, realloc).
 */
function release(s: HostState, p: number, what = 'free'): void {
  const size = s.live.get(p);
  if (size === undefined) {
    const hex = `0x${p.toString(16)}`;
    if (s.freed.has(p)) throw new WasmTrap(`double free or corruption: ${what}(${hex}) of a block already freed`);
    throw new WasmTrap(`${what}(): invalid pointer ${hex}: not a live allocation`);
  }
  s.live.delete(p);
  s.freed.add(p);
  bytes(s).fill(FREED_BYTE, p, p + size);
}

const u64 = (v: bigint): bigint => BigInt.asUintN(64, v);
const i128 = (lo: bigint, hi: bigint): bigint => BigInt.asIntN(128, (u64(hi) << 64n) | u64(lo));
const u128 = (lo: bigint, hi: bigint): bigint => (u64(hi) << 64n) | u64(lo);

function store128(s: HostState, ptr: number, v: bigint): void {
  const dv = view(s);
  const w = BigInt.asUintN(128, v);
  dv.setBigUint64(ptr, w & 0xffffffffffffffffn, true);
  dv.setBigUint64(ptr + 8, w >> 64n, true);
}

/** C99 pow special cases JS's Math.pow gets wrong: pow(1, y) = 1 and pow(-1, ±inf) = 1, even for NaN y. */
function cpow(x: number, y: number): number {
  if (x === 1 || y === 0) return 1;
  if (x === -1 && !Number.isFinite(y) && !Number.isNaN(y)) return 1;
  return Math.pow(x, y);
}

/** C round(): halfway cases away from zero (Math.round rounds them up). */
function cround(x: number): number {
  if (!Number.isFinite(x)) return x;
  const t = Math.trunc(x);
  const r = Math.abs(x - t) >= 0.5 ? t + Math.sign(x) : t;
  return r === 0 ? (Object.is(x, -0) || x < 0 ? -0 : 0) : r;
}

/** roundeven / rint / nearbyint in the default rounding mode. */
function roundEven(x: number): number {
  if (!Number.isFinite(x)) return x;
  const f = Math.floor(x);
  const d = x - f;
  const r = d > 0.5 || (d === 0.5 && f % 2 !== 0) ? f + 1 : f;
  return r === 0 ? (x < 0 || Object.is(x, -0) ? -0 : 0) : r;
}

function copysign(x: number, y: number): number {
  const neg = y < 0 || Object.is(y, -0) || (Number.isNaN(y) && signOfNaN(y));
  return neg ? -Math.abs(x) : Math.abs(x);
}
const nanView = new DataView(new ArrayBuffer(8));
function signOfNaN(x: number): boolean {
  nanView.setFloat64(0, x);
  return (nanView.getUint8(0) & 0x80) !== 0;
}

function cfmin(x: number, y: number): number {
  if (Number.isNaN(x)) return y;
  if (Number.isNaN(y)) return x;
  return Math.min(x, y);
}
function cfmax(x: number, y: number): number {
  if (Number.isNaN(x)) return y;
  if (Number.isNaN(y)) return x;
  return Math.max(x, y);
}


/** libgcc's __powisf2/__powidf2: repeated squaring in the operand's precision (not a correctly rounded pow). */
function powi(x: number, m: number, single: boolean): number {
  const r = (v: number): number => (single ? Math.fround(v) : v);
  let n = m < 0 ? -m : m;
  let y = n % 2 ? x : 1;
  let b = x;
  while ((n = Math.floor(n / 2))) {
    b = r(b * b);
    if (n % 2) y = r(y * b);
  }
  return m < 0 ? r(1 / y) : y;
}

type Fn = (...args: never[]) => unknown;

/** libm in double and float flavours: each f64 function `f` also exists as `ff` rounding its result to f32. */
function libm(): Record<string, Fn> {
  const d: Record<string, (...a: number[]) => number> = {
    exp: Math.exp,
    exp2: (x) => 2 ** x,
    exp10: (x) => cpow(10, x),
    expm1: Math.expm1,
    log: Math.log,
    log2: Math.log2,
    log10: Math.log10,
    log1p: Math.log1p,
    pow: cpow,
    sin: Math.sin,
    cos: Math.cos,
    tan: Math.tan,
    asin: Math.asin,
    acos: Math.acos,
    atan: Math.atan,
    atan2: Math.atan2,
    sinh: Math.sinh,
    cosh: Math.cosh,
    tanh: Math.tanh,
    asinh: Math.asinh,
    acosh: Math.acosh,
    atanh: Math.atanh,
    cbrt: Math.cbrt,
    erf,
    erfc,
    hypot: Math.hypot,
    sqrt: Math.sqrt,
    fabs: Math.abs,
    ceil: Math.ceil,
    floor: Math.floor,
    trunc: Math.trunc,
    round: cround,
    roundeven: roundEven,
    rint: roundEven,
    nearbyint: roundEven,
    copysign,
    fmin: cfmin,
    fmax: cfmax,
    // JS % on doubles is exactly C's fmod; the result of fmod is always representable, so fmodf is exact too.
    fmod: (x, y) => x % y,
  };
  const out: Record<string, Fn> = {};
  for (const [name, f] of Object.entries(d)) {
    out[name] = f;
    out[name + 'f'] = (...a: number[]) => Math.fround(f(...a));
  }
  out.fma = (a: number, b: number, c: number) => fma('f64', a, b, c);
  out.fmaf = (a: number, b: number, c: number) => fma('f32', a, b, c);
  out.ldexp = (x: number, n: number) => scalbn(x, n);
  out.scalbn = out.ldexp;
  out.ldexpf = (x: number, n: number) => scalbnf(x, n);
  out.scalbnf = out.ldexpf;
  out.__powisf2 = (x: number, m: number) => powi(x, m, true);
  out.__powidf2 = (x: number, m: number) => powi(x, m, false);
  return out;
}

/** An element of a printMemref* memref, read from linear memory (f16/bf16 widened, index sign-extended from i32). */
const READ_ELEMENT: Record<MemrefElem, (dv: DataView, addr: number) => number | bigint> = {
  I8: (dv, a) => dv.getInt8(a),
  I16: (dv, a) => dv.getInt16(a, true),
  I32: (dv, a) => dv.getInt32(a, true),
  I64: (dv, a) => dv.getBigInt64(a, true),
  Ind: (dv, a) => dv.getInt32(a, true),
  F16: (dv, a) => f16FromBits(dv.getUint16(a, true)),
  BF16: (dv, a) => bf16FromBits(dv.getUint16(a, true)),
  F32: (dv, a) => dv.getFloat32(a, true),
  F64: (dv, a) => dv.getFloat64(a, true),
};
const ELEM_BYTES: Record<MemrefElem, number> = { I8: 1, I16: 2, I32: 4, I64: 8, Ind: 4, F16: 2, BF16: 2, F32: 4, F64: 8 };

/**
 * One printMemref* call: reads the ranked descriptor at `desc` (wasm32: {ptr allocated, ptr aligned, i32 offset,
 * i32 sizes[rank], i32 strides[rank]}) and prints through the shared formatter. The address is this instance's.
 */
function printMemref(s: HostState, p: MemrefPrinter, rank: number, desc: number): void {
  const dv = view(s);
  const aligned = dv.getUint32(desc + 4, true);
  const sizes: number[] = [];
  const strides: number[] = [];
  for (let k = 0; k < rank; k++) {
    sizes.push(dv.getInt32(desc + 12 + 4 * k, true));
    strides.push(dv.getInt32(desc + 12 + 4 * (rank + k), true));
  }
  const read = READ_ELEMENT[p.elem];
  const eb = ELEM_BYTES[p.elem];
  s.stdout.bytes(memrefBytes(p, { address: aligned, offset: dv.getInt32(desc + 8, true), sizes, strides }, (off) => read(dv, aligned + off * eb)));
}

/** The printMemref* imports, exactly the symbols libmlir_runner_utils exports, with their calling conventions. */
function memrefPrinters(s: HostState): Record<string, Fn> {
  const out: Record<string, Fn> = {};
  for (const p of MEMREF_PRINTERS.values()) {
    // 'c': (rank, descriptor*). Unranked ciface: a pointer to {rank, descriptor*}. Ranked ciface: the descriptor itself.
    if (p.abi === 'c') out[p.symbol] = (rank: number, desc: number) => printMemref(s, p, rank, desc);
    else if (p.rank !== undefined) out[p.symbol] = (desc: number) => printMemref(s, p, p.rank!, desc);
    else out[p.symbol] = (u: number) => printMemref(s, p, view(s).getInt32(u, true), view(s).getUint32(u + 4, true));
  }
  return out;
}

export function createImports(s: HostState): Record<string, Fn> {
  const print = (t: string): void => s.stdout.text(t);
  const sincos = (single: boolean) => (x: number, sp: number, cp: number) => {
    const dv = view(s);
    if (single) {
      dv.setFloat32(sp, Math.sin(x), true);
      dv.setFloat32(cp, Math.cos(x), true);
    } else {
      dv.setFloat64(sp, Math.sin(x), true);
      dv.setFloat64(cp, Math.cos(x), true);
    }
  };
  const imports: Record<string, Fn> = {
    ...libm(),
    sincos: sincos(false),
    sincosf: sincos(true),

    malloc: (n: number) => alloc(s, n >>> 0),
    calloc: (n: number, m: number) => alloc(s, (n >>> 0) * (m >>> 0)), // bump memory is never reused: already zero
    aligned_alloc: (a: number, n: number) => alloc(s, n >>> 0, a >>> 0),
    realloc: (ptr: number, n: number) => {
      const p = ptr >>> 0;
      if (p === 0) return alloc(s, n >>> 0);
      const old = s.live.get(p);
      if (old === undefined) release(s, p, 'realloc'); // traps
      const q = alloc(s, n >>> 0);
      bytes(s).copyWithin(q, p, p + Math.min(old!, n >>> 0));
      release(s, p, 'realloc');
      return q;
    },
    free: (p: number) => {
      if (p !== 0) release(s, p >>> 0);
    },
    memcpy: (d: number, src: number, n: number) => {
      bytes(s).copyWithin(d, src, src + (n >>> 0));
      return d;
    },
    memmove: (d: number, src: number, n: number) => {
      bytes(s).copyWithin(d, src, src + (n >>> 0));
      return d;
    },
    memset: (d: number, c: number, n: number) => {
      bytes(s).fill(c & 0xff, d, d + (n >>> 0));
      return d;
    },
    abort: () => {
      throw new WasmTrap('abort() called');
    },

    // The harness (see targets/mlir/abi.ts): JS decides which program runs, so begin always says yes.
    __tcfuzz_begin: () => 1,
    __tcfuzz_arg: (n: number) => {
      const input = s.pendingInputs.shift();
      if (!input || input.length !== n) throw new WasmTrap(`harness: argument buffer of ${n} bytes has no matching input`);
      const p = alloc(s, n, 64);
      bytes(s).set(input, p);
      return p;
    },
    __tcfuzz_out: (p: number, n: number) => {
      s.outputs.push(bytes(s).slice(p, p + n));
    },
    __tcfuzz_end: () => {},

    // f16 and bf16 travel as their bit patterns in i32.
    __extendhfsf2: (h: number) => f16FromBits(h & 0xffff),
    __gnu_h2f_ieee: (h: number) => f16FromBits(h & 0xffff),
    __truncsfhf2: (f: number) => f16Bits(f),
    __gnu_f2h_ieee: (f: number) => f16Bits(f),
    __truncdfhf2: (d: number) => f16Bits(d),
    __extendbfsf2: (h: number) => bf16FromBits(h & 0xffff),
    __truncsfbf2: (f: number) => bf16Bits(f),
    __truncdfbf2: (d: number) => bf16Bits(d),

    // 128-bit integer builtins: results go through the sret pointer in the first argument (wasm32 C ABI).
    __multi3: (r: number, al: bigint, ah: bigint, bl: bigint, bh: bigint) => store128(s, r, i128(al, ah) * i128(bl, bh)),
    __divti3: (r: number, al: bigint, ah: bigint, bl: bigint, bh: bigint) => store128(s, r, i128(al, ah) / i128(bl, bh)),
    __modti3: (r: number, al: bigint, ah: bigint, bl: bigint, bh: bigint) => store128(s, r, i128(al, ah) % i128(bl, bh)),
    __udivti3: (r: number, al: bigint, ah: bigint, bl: bigint, bh: bigint) => store128(s, r, u128(al, ah) / u128(bl, bh)),
    __umodti3: (r: number, al: bigint, ah: bigint, bl: bigint, bh: bigint) => store128(s, r, u128(al, ah) % u128(bl, bh)),
    __ashlti3: (r: number, l: bigint, h: bigint, n: number) => store128(s, r, u128(l, h) << BigInt(n & 127)),
    __lshrti3: (r: number, l: bigint, h: bigint, n: number) => store128(s, r, u128(l, h) >> BigInt(n & 127)),
    __ashrti3: (r: number, l: bigint, h: bigint, n: number) => store128(s, r, i128(l, h) >> BigInt(n & 127)),
    __mulodi4: (a: bigint, b: bigint, ov: number) => {
      const p = BigInt.asIntN(64, a) * BigInt.asIntN(64, b);
      view(s).setInt32(ov, BigInt.asIntN(64, p) === p ? 0 : 1, true);
      return BigInt.asIntN(64, p);
    },
    __muloti4: (r: number, al: bigint, ah: bigint, bl: bigint, bh: bigint, ov: number) => {
      const p = i128(al, ah) * i128(bl, bh);
      view(s).setInt32(ov, BigInt.asIntN(128, p) === p ? 0 : 1, true);
      store128(s, r, p);
    },
    __floattisf: (l: bigint, h: bigint) => int128ToFloat(l, h, true, true),
    __floattidf: (l: bigint, h: bigint) => int128ToFloat(l, h, true, false),
    __floatuntisf: (l: bigint, h: bigint) => int128ToFloat(l, h, false, true),
    __floatuntidf: (l: bigint, h: bigint) => int128ToFloat(l, h, false, false),
    __fixsfti: (r: number, f: number) => store128(s, r, BigInt(Math.trunc(f))),
    __fixdfti: (r: number, f: number) => store128(s, r, BigInt(Math.trunc(f))),
    __fixunssfti: (r: number, f: number) => store128(s, r, BigInt(Math.trunc(f))),
    __fixunsdfti: (r: number, f: number) => store128(s, r, BigInt(Math.trunc(f))),

    // memref.copy between non-contiguous memrefs calls this runner-utils function with unranked descriptors:
    // {index rank, ptr ranked}, the ranked one being {ptr allocated, ptr aligned, index offset, sizes[], strides[]}.
    // On wasm32 pointers and index are both 4 bytes.
    memrefCopy: (elemSize: number, src: number, dst: number) => {
      const dv = view(s);
      const desc = (u: number): { base: number; offset: number; sizes: number[]; strides: number[] } => {
        const rank = dv.getInt32(u, true);
        const d = dv.getUint32(u + 4, true);
        const sizes: number[] = [];
        const strides: number[] = [];
        for (let k = 0; k < rank; k++) {
          sizes.push(dv.getInt32(d + 12 + 4 * k, true));
          strides.push(dv.getInt32(d + 12 + 4 * (rank + k), true));
        }
        return { base: dv.getUint32(d + 4, true), offset: dv.getInt32(d + 8, true), sizes, strides };
      };
      const a = desc(src);
      const b = desc(dst);
      const mem = bytes(s);
      const total = a.sizes.reduce((n, d) => n * d, 1);
      const idx = a.sizes.map(() => 0);
      for (let n = 0; n < total; n++) {
        let sa = a.offset;
        let sb = b.offset;
        idx.forEach((v, k) => {
          sa += v * a.strides[k]!;
          sb += v * b.strides[k]!;
        });
        mem.copyWithin(b.base + sb * elemSize, a.base + sa * elemSize, a.base + sa * elemSize + elemSize);
        for (let k = idx.length - 1; k >= 0; k--) {
          if (++idx[k]! < a.sizes[k]!) break;
          idx[k] = 0;
        }
      }
    },

    ...memrefPrinters(s),

    // libmlir_c_runner_utils' print functions, byte for byte.
    printI64: (v: bigint) => print(printI64Text(v)),
    printU64: (v: bigint) => print(printU64Text(v)),
    printF32: (f: number) => print(printFloatText(f)),
    printF64: (f: number) => print(printFloatText(f)),
    printF16: (h: number) => print(printFloatText(f16FromBits(h & 0xffff))),
    printBF16: (h: number) => print(printFloatText(bf16FromBits(h & 0xffff))),
    printOpen: () => print(PUNCTUATION.printOpen),
    printClose: () => print(PUNCTUATION.printClose),
    printComma: () => print(PUNCTUATION.printComma),
    printNewline: () => print(PUNCTUATION.printNewline),
    // fputs: the bytes up to the NUL, whatever their encoding.
    printString: (p: number) => s.stdout.bytes(cString(bytes(s), p)),
    // C's puts, which cf.assert's lowering calls with its message before abort(): the string and a newline. Without
    // it a failing assertion trapped as "call to unresolved import puts" on wasm, and as abort natively.
    puts: (p: number) => {
      s.stdout.bytes(cString(bytes(s), p));
      print(PUNCTUATION.printNewline);
    },
  };
  return imports;
}

/** The bytes of the NUL-terminated string at `p`, whatever their encoding. */
function cString(b: Uint8Array, p: number): Uint8Array {
  let e = p;
  while (e < b.length && b[e] !== 0) e++;
  return b.subarray(p, e);
}
