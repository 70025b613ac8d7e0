// Text exactly as mlir-runner prints it through libmlir_runner_utils / libmlir_c_runner_utils /
// libmlir_float16_utils: C's "%g" for floats (also what std::ostream prints at its default precision),
// vector.print's "( a, b )" nesting, and RunnerUtils.h's MemRefDataPrinter layout for printMemref*.
// stdout is a latin1 string: one char per output byte (printMemrefI8 writes raw bytes, like the C++ stream).
import { formatG } from './c-math.ts';
import type { Operation } from '../ir/core.ts';
import type { Type } from '../ir/types.ts';
import { printType } from '../ir/types.ts';
import type { Frame } from '../reference/engine.ts';
import type { MemRef } from '../reference/memory.ts';
import { ub, unsupported } from '../reference/ub.ts';
import type { ElemKind, Scalar, Val } from '../reference/values.ts';
import { elemKind } from '../reference/values.ts';



/**
 * Makes printed output comparable across targets: the sign of a NaN is not specified (x86 computes 0/0 as a
 * negative NaN, constant folders and wasm give a positive one), so `-nan` and `nan` are the same observation.
 */
export function normaliseNanSigns(stdout: string): string {
  return stdout.replace(/-nan\b/g, 'nan');
}

/** One scalar as vector.print prints it: i1 and index unsigned (printU64), other ints signed (printI64). */
export function formatVectorScalar(k: ElemKind, v: Scalar): string {
  switch (k.k) {
    case 'f':
      return formatG(v as number);
    case 'x':
      return BigInt.asUintN(64, BigInt(v)).toString();
    case 'n':
      return k.w === 1 ? (v !== 0 ? '1' : '0') : String(v);
    case 'b':
      return (v as bigint).toString();
  }
}

/** vector.print of a value with its punctuation. */
export function formatVectorPrint(t: Type | undefined, v: Val | undefined, punctuation: string, literal?: string): string {
  // The lowering emits printString and nothing else for a literal: its punctuation is ignored.
  if (literal !== undefined) return latin1(literal);
  let s = '';
  if (t !== undefined && v !== undefined) {
    if (t.kind === 'vector') {
      const k = elemKind(t.elem);
      const flat = v as Scalar[];
      const shape = t.shape.length === 0 ? [1] : t.shape;
      let pos = 0;
      const nest = (d: number): string => {
        const parts: string[] = [];
        for (let i = 0; i < shape[d]!; i++) parts.push(d === shape.length - 1 ? formatVectorScalar(k, flat[pos++]!) : nest(d + 1));
        return '( ' + parts.join(', ') + ' )';
      };
      s += nest(0);
    } else s += formatVectorScalar(elemKind(t), v as Scalar);
  }
  switch (punctuation) {
    case 'newline':
      return s + '\n';
    case 'comma':
      return s + ', ';
    case 'open':
      return s + '( ';
    case 'close':
      return s + ' )';
    default:
      return s;
  }
}

/** UTF-8 bytes of a string as latin1 chars (how stdout is represented). */
export function latin1(s: string): string {
  return Buffer.from(s, 'utf8').toString('latin1');
}

let nextAddress = new WeakMap<object, number>();
let addressCounter = 0;
/** A stable fake address per allocation; tests normalise `base@ = 0x...` on both sides. */
function addressOf(buf: object, elemBytes: number, offsetless = 0): string {
  let a = nextAddress.get(buf);
  if (a === undefined) {
    a = 0x10000 + 0x1000 * ++addressCounter;
    nextAddress.set(buf, a);
  }
  return '0x' + (a + offsetless * elemBytes).toString(16);
}
/** Restarts fake addresses (each run prints the same text). */
export function resetAddresses(): void {
  nextAddress = new WeakMap();
  addressCounter = 0;
}

type ElemFormat = (v: Scalar) => string;

function memrefMeta(m: MemRef, ranked: boolean): string {
  return `${ranked ? 'Memref' : 'Unranked Memref'} base@ = ${addressOf(m.buf, 1)} rank = ${m.rank} offset = ${m.offset} sizes = [${m.sizes.join(', ')}] strides = [${m.strides.join(', ')}]`;
}

/** RunnerUtils.h MemRefDataPrinter, including its quirk of printing one element of an empty dimension. */
function memrefData(m: MemRef, fmt: ElemFormat): string {
  const out: string[] = [];
  const rank = m.rank;
  const elem = (offset: number): string => {
    if (!(offset >= 0 && offset < m.buf.length) || m.buf.freed) ub('out-of-bounds', `printMemref reads element ${offset} outside its allocation`);
    if (m.buf.init !== null && m.buf.init[offset] === 0) ub('uninit-read', 'printMemref of uninitialised memory');
    return fmt(m.buf.data[offset]!);
  };
  const space = (n: number): void => {
    out.push(' '.repeat(Math.max(0, n)));
  };
  const print = (dim: number, offset: number, sizes: readonly number[], strides: readonly number[]): void => {
    if (dim === 0) {
      out.push(elem(offset));
      return;
    }
    // printFirst
    out.push('[');
    print(dim - 1, offset, sizes.slice(1), strides.slice(1));
    if (sizes[0]! <= 1) {
      out.push(']');
      return;
    }
    out.push(', ');
    if (dim > 1) out.push('\n');
    for (let i = 1; i + 1 < sizes[0]!; i++) {
      space(rank - dim + 1);
      print(dim - 1, offset + i * strides[0]!, sizes.slice(1), strides.slice(1));
      out.push(', ');
      if (dim > 1) out.push('\n');
    }
    // printLast
    space(rank - dim + 1);
    print(dim - 1, offset + (sizes[0]! - 1) * strides[0]!, sizes.slice(1), strides.slice(1));
    out.push(']');
  };
  if (rank === 0) out.push('[');
  print(rank, m.offset, m.sizes, m.strides);
  if (rank === 0) out.push(']');
  return out.join('');
}

function elemFormat(name: string, t: Type): ElemFormat {
  const k = elemKind(t);
  switch (name) {
    case 'I8':
      // std::ostream prints int8_t as a character.
      return (v) => String.fromCharCode((v as number) & 0xff);
    case 'Ind':
      return (v) => BigInt.asUintN(64, BigInt(v)).toString();
    default:
      return k.k === 'f' ? (v) => formatG(v as number) : (v) => String(v);
  }
}

/** Element type names of the runner-utils printMemref* family and the MLIR types they take. */
const MEMREF_ELEM: Record<string, string> = {
  F32: 'f32',
  F64: 'f64',
  I32: 'i32',
  I64: 'i64',
  Ind: 'index',
  I8: 'i8',
  I16: 'i16',
  F16: 'f16',
  BF16: 'bf16',
};
/** Printers only exported as _mlir_ciface_*: callable only through `llvm.emit_c_interface` declarations. */
const CIFACE_ONLY = new Set(['I8', 'I16', 'F16', 'BF16']);

export type Builtin = (fr: Frame, args: Val[]) => void;

function emit(fr: Frame, s: string): void {
  fr.st.out.push(s);
}

/** Implementation of an external function declared in the program, or 'unsupported'. */
export function runtimeBuiltin(name: string, decl: Operation | undefined, call: Operation): Builtin {
  const cInterface = decl !== undefined && (decl.attrs['llvm.emit_c_interface'] !== undefined || decl.props['llvm.emit_c_interface'] !== undefined);
  const argTypes = call.operands.map((v) => v.type);
  switch (name) {
    case 'printF32':
    case 'printF64':
    case 'printF16':
    case 'printBF16':
      return (fr, [v]) => emit(fr, formatG(v as number));
    case 'printI64':
      return (fr, [v]) => emit(fr, BigInt.asIntN(64, BigInt(v as Scalar)).toString());
    case 'printU64':
      return (fr, [v]) => emit(fr, BigInt.asUintN(64, BigInt(v as Scalar)).toString());
    case 'printNewline':
      return (fr) => emit(fr, '\n');
    case 'printComma':
      return (fr) => emit(fr, ', ');
    case 'printOpen':
      return (fr) => emit(fr, '( ');
    case 'printClose':
      return (fr) => emit(fr, ' )');
    case 'printFlops':
      // Writes "<x> GFLOPS" to stderr only: nothing on the stdout we reproduce.
      return () => undefined;
  }
  const mm = /^printMemref(Shape)?(\d+d)?(F32|F64|I32|I64|Ind|I8|I16|F16|BF16)$/.exec(name);
  if (mm) {
    const [, shapeOnly, rankedDims, ek] = mm as unknown as [string, string | undefined, string | undefined, string];
    if ((CIFACE_ONLY.has(ek) || shapeOnly || rankedDims) && !cInterface)
      unsupported(call, `@${name} only exists as _mlir_ciface_${name}: declare it with llvm.emit_c_interface`);
    const at = argTypes[0];
    const elem = at && (at.kind === 'memref' || at.kind === 'umemref') ? at.elem : undefined;
    if (!elem || printType(elem) !== MEMREF_ELEM[ek]) unsupported(call, `@${name} called with ${at ? printType(at) : 'no argument'}`);
    const fmt = elemFormat(ek, elem);
    const ranked = rankedDims !== undefined;
    if (shapeOnly) return (fr, [m]) => emit(fr, memrefMeta(m as MemRef, ranked) + '\n');
    return (fr, [m]) => {
      const mr = m as MemRef;
      emit(fr, memrefMeta(mr, ranked) + ' data = \n' + memrefData(mr, fmt) + '\n');
    };
  }
  unsupported(call, `call to external function @${name}, which the interpreter does not implement`);
}
