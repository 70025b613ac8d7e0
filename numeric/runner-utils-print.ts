// The bytes mlir-runner prints through libmlir_runner_utils / libmlir_c_runner_utils / libmlir_float16_utils
// (LLVM 22): C's "%g" for floats (also what std::ostream prints at its default precision), printI64/printU64,
// vector.print's "( a, b )" nesting, and RunnerUtils.h's printMemref* (metadata line, MemRefDataPrinter layout).
// The one copy: the reference interpreter and the wasm host both format through here, each reading elements
// from its own memory. Output is bytes: printMemrefI8 writes raw chars (std::ostream << int8_t).
import { formatE, formatG } from './c-math.ts';

/** printed output as the C stdout receives it; parts are ASCII text or raw bytes. */
export class PrintedBytes {
  private readonly parts: (string | Uint8Array)[] = [];

  /** Text whose chars are all below 256, one byte each (every formatter here yields ASCII). */
  text(s: string): void {
    this.parts.push(s);
  }

  /** Raw bytes, copied (callers pass views of memory that changes later). */
  bytes(b: Uint8Array): void {
    this.parts.push(Uint8Array.from(b));
  }

  /** Everything printed so far. */
  toBytes(): Uint8Array {
    const chunks = this.parts.map((p) => (typeof p === 'string' ? latin1Bytes(p) : p));
    const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const c of chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}

// libmlir_c_runner_utils' scalar printers (printf "%ld", "%lu", "%g"; f16/bf16 are widened to float first).

export function printI64Text(v: number | bigint): string {
  return typeof v === 'number' ? String(v) : BigInt.asIntN(64, v).toString();
}
export function printU64Text(v: number | bigint): string {
  return typeof v === 'number' && v >= 0 ? String(v) : BigInt.asUintN(64, BigInt(v)).toString();
}
/** printF32, printF64, printF16, printBF16. */
export function printFloatText(v: number): string {
  return formatG(v);
}
/**
 * What `mlir-runner -entry-point-result=i32|i64|f32` prints after the entry returns: `llvm::outs() << result`, which
 * for a float is llvm::write_double's exponent style ("%.6e", but "nan" whatever the sign and "INF"/"-INF").
 */
export function entryResultText(type: 'i32' | 'i64' | 'f32', v: number | bigint): string {
  if (type !== 'f32') return printI64Text(v) + '\n';
  const x = Number(v);
  if (Number.isNaN(x)) return 'nan\n';
  if (!Number.isFinite(x)) return (x < 0 ? '-INF' : 'INF') + '\n';
  return formatE(x) + '\n';
}
/** The punctuation functions vector.print lowers to. */
export const PUNCTUATION = { printOpen: '( ', printClose: ' )', printComma: ', ', printNewline: '\n' } as const;

/**
 * vector.print of a vector: convert-vector-to-llvm emits printOpen, the elements separated by printComma and
 * printClose per dimension. `shape` [] prints a 0-d vector as one element in parentheses.
 */
export function vectorText<T>(shape: readonly number[], flat: readonly T[], scalar: (v: T) => string): string {
  const dims = shape.length === 0 ? [1] : shape;
  let pos = 0;
  const nest = (d: number): string => {
    const parts: string[] = [];
    for (let i = 0; i < dims[d]!; i++) parts.push(d === dims.length - 1 ? scalar(flat[pos++]!) : nest(d + 1));
    return PUNCTUATION.printOpen + parts.join(PUNCTUATION.printComma) + PUNCTUATION.printClose;
  };
  return nest(0);
}

/** Element type suffix of the printMemref* family, and the MLIR element type each takes. */
export const MEMREF_ELEM_TYPES = { I8: 'i8', I16: 'i16', I32: 'i32', I64: 'i64', Ind: 'index', F16: 'f16', BF16: 'bf16', F32: 'f32', F64: 'f64' } as const;
export type MemrefElem = keyof typeof MEMREF_ELEM_TYPES;

export type MemrefPrinter = {
  /** The symbol the program links against. */
  readonly symbol: string;
  readonly elem: MemrefElem;
  /** StridedMemRefType<T, rank> printers ("Memref ..."); undefined for unranked ones ("Unranked Memref ..."). */
  readonly rank?: number;
  /** printMemrefShape*: the metadata line only. */
  readonly shapeOnly: boolean;
  /**
   * 'c': printMemrefF32(int64 rank, void *descriptor). 'ciface': _mlir_ciface_*(pointer), to {rank, descriptor}
   * for unranked printers and to the descriptor itself for ranked ones.
   */
  readonly abi: 'c' | 'ciface';
};

/** Exactly the printMemref* symbols libmlir_runner_utils 22 exports (complex and vector elements left out). */
export const MEMREF_PRINTERS: ReadonlyMap<string, MemrefPrinter> = (() => {
  const m = new Map<string, MemrefPrinter>();
  const add = (symbol: string, p: Omit<MemrefPrinter, 'symbol'>): void => void m.set(symbol, { symbol, ...p });
  for (const elem of ['F32', 'F64', 'I32', 'I64', 'Ind'] as const) add(`printMemref${elem}`, { elem, shapeOnly: false, abi: 'c' });
  for (const elem of Object.keys(MEMREF_ELEM_TYPES) as MemrefElem[]) add(`_mlir_ciface_printMemref${elem}`, { elem, shapeOnly: false, abi: 'ciface' });
  for (const elem of ['I8', 'I32', 'I64', 'F32', 'F64', 'Ind'] as const) add(`_mlir_ciface_printMemrefShape${elem}`, { elem, shapeOnly: true, abi: 'ciface' });
  for (const rank of [0, 1, 2, 3, 4]) add(`_mlir_ciface_printMemref${rank}dF32`, { elem: 'F32', rank, shapeOnly: false, abi: 'ciface' });
  for (const elem of ['I8', 'I32', 'I64', 'F64', 'Ind'] as const) add(`_mlir_ciface_printMemref1d${elem}`, { elem, rank: 1, shapeOnly: false, abi: 'ciface' });
  return m;
})();

/** A strided memref descriptor; `address` is its aligned data pointer. */
export type MemrefView = {
  readonly address: number | bigint;
  readonly offset: number;
  readonly sizes: readonly number[];
  readonly strides: readonly number[];
};

/** `os << element` for each element type, as one byte-string (chars < 256). */
const ELEMENT_TEXT: Record<MemrefElem, (v: number | bigint) => string> = {
  // std::ostream prints int8_t as a character: one raw byte.
  I8: (v) => String.fromCharCode(Number(BigInt.asUintN(8, BigInt(v)))),
  I16: (v) => String(BigInt.asIntN(16, BigInt(v))),
  I32: (v) => String(BigInt.asIntN(32, BigInt(v))),
  I64: (v) => BigInt.asIntN(64, BigInt(v)).toString(),
  // impl::index_type is uint64_t.
  Ind: (v) => BigInt.asUintN(64, BigInt(v)).toString(),
  F16: (v) => formatG(Number(v)),
  BF16: (v) => formatG(Number(v)),
  F32: (v) => formatG(Number(v)),
  F64: (v) => formatG(Number(v)),
};

/** `os << (void *)p` in libstdc++: hex with 0x, but a null pointer prints as 0. */
function pointerText(p: number | bigint): string {
  const v = BigInt(p);
  return v === 0n ? '0' : '0x' + v.toString(16);
}

/** printMemRefMetaData plus the "Memref " / "Unranked Memref " prefix. */
function metadataText(p: MemrefPrinter, m: MemrefView): string {
  const prefix = p.rank === undefined ? 'Unranked Memref ' : 'Memref ';
  return `${prefix}base@ = ${pointerText(m.address)} rank = ${m.sizes.length} offset = ${m.offset} sizes = [${m.sizes.join(', ')}] strides = [${m.strides.join(', ')}]`;
}

/** MemRefDataPrinter<T>::print, including its quirk of printing one element of an empty dimension. */
function dataText(m: MemrefView, elem: (offset: number) => string): string {
  const rank = m.sizes.length;
  const out: string[] = [];
  const space = (n: number): void => void out.push(' '.repeat(Math.max(0, n)));
  const print = (dim: number, offset: number, d: number): void => {
    if (dim === 0) {
      out.push(elem(offset));
      return;
    }
    const size = m.sizes[d]!;
    const stride = m.strides[d]!;
    // printFirst
    out.push('[');
    print(dim - 1, offset, d + 1);
    if (size <= 1) {
      out.push(']');
      return;
    }
    out.push(', ');
    if (dim > 1) out.push('\n');
    for (let i = 1; i + 1 < size; i++) {
      space(rank - dim + 1);
      print(dim - 1, offset + i * stride, d + 1);
      out.push(', ');
      if (dim > 1) out.push('\n');
    }
    // printLast
    space(rank - dim + 1);
    print(dim - 1, offset + (size - 1) * stride, d + 1);
    out.push(']');
  };
  if (rank === 0) out.push('[');
  print(rank, m.offset, 0);
  if (rank === 0) out.push(']');
  return out.join('');
}

/**
 * What one printMemref* call prints. `element(offset)` reads the element at `offset` (in elements from the
 * aligned pointer) as a number or bigint: the value itself for floats (f16/bf16 already widened), any
 * representation of the integer for the others (only its low bits are used, index is sign-extended from them).
 */
export function memrefBytes(p: MemrefPrinter, m: MemrefView, element: (offset: number) => number | bigint): Uint8Array {
  const head = metadataText(p, m);
  if (p.shapeOnly) return latin1Bytes(head + '\n');
  const fmt = ELEMENT_TEXT[p.elem];
  return latin1Bytes(`${head} data = \n${dataText(m, (o) => fmt(element(o)))}\n`);
}

/** One byte per char of a byte-string (every char below 256). */
function latin1Bytes(s: string): Uint8Array {
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
  return b;
}
