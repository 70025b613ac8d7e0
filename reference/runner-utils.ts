// The runtime functions a program may call (the runner-utils printers, printFlops) and vector.print, on interpreter
// values. The text itself comes from numeric/runner-utils-print.ts, the copy the wasm host prints through too.
import type { Operation } from '../ir/core.ts';
import type { Type } from '../ir/types.ts';
import { printType } from '../ir/types.ts';
import type { PrintedBytes } from '../numeric/runner-utils-print.ts';
import { MEMREF_ELEM_TYPES, MEMREF_PRINTERS, memrefBytes, PUNCTUATION, printFloatText, printI64Text, printU64Text, vectorText } from '../numeric/runner-utils-print.ts';
import type { Frame } from './engine.ts';
import type { MemRef } from './memory.ts';
import { ub, unsupported } from './ub.ts';
import type { ElemKind, Scalar, Val } from './values.ts';
import { elemKind, uN } from './values.ts';

/**
 * One scalar as vector.print prints it: uiN zero-extended through printU64, i1 and si1 zero-extended through
 * printI64, index through printU64, other ints sign-extended through printI64 (convert-vector-to-llvm's PrintOp).
 */
function scalarText(k: ElemKind, v: Scalar): string {
  switch (k.k) {
    case 'f':
      return printFloatText(v as number);
    case 'x':
      return printU64Text(v);
    case 'n':
      if (k.u) return String(uN(k.w, v as number));
      return k.w === 1 ? (v !== 0 ? '1' : '0') : printI64Text(v);
    case 'b':
      return k.u ? BigInt.asUintN(k.w, v as bigint).toString() : printI64Text(v);
  }
}

const PUNCTUATION_TEXT: Record<string, string> = { newline: PUNCTUATION.printNewline, comma: PUNCTUATION.printComma, open: PUNCTUATION.printOpen, close: PUNCTUATION.printClose };

/** vector.print of a value (or of a string literal) with its punctuation. */
export function printVector(out: PrintedBytes, t: Type | undefined, v: Val | undefined, punctuation: string, literal?: string): void {
  // The lowering emits printString and nothing else for a literal: its punctuation is ignored.
  if (literal !== undefined) {
    out.bytes(new TextEncoder().encode(literal));
    return;
  }
  let s = '';
  if (t !== undefined && v !== undefined) {
    if (t.kind === 'vector') {
      const k = elemKind(t.elem);
      s = vectorText(t.shape, v as Scalar[], (x) => scalarText(k, x));
    } else s = scalarText(elemKind(t), v as Scalar);
  }
  out.text(s + (PUNCTUATION_TEXT[punctuation] ?? ''));
}

let addresses = new WeakMap<object, number>();
let addressCounter = 0;
/** A stable fake address per allocation; oracles/normalise.ts masks `base@ = ...` on every backend. */
function addressOf(buf: object): number {
  let a = addresses.get(buf);
  if (a === undefined) {
    a = 0x10000 + 0x1000 * ++addressCounter;
    addresses.set(buf, a);
  }
  return a;
}
/** Restarts fake addresses (each run prints the same text). */
export function resetAddresses(): void {
  addresses = new WeakMap();
  addressCounter = 0;
}

export type Builtin = (fr: Frame, args: Val[]) => void;

/** Implementation of an external function declared in the program, or 'unsupported'. */
export function runtimeBuiltin(name: string, decl: Operation | undefined, call: Operation): Builtin {
  switch (name) {
    case 'printF32':
    case 'printF64':
    case 'printF16':
    case 'printBF16':
      return (fr, [v]) => fr.st.out.text(printFloatText(v as number));
    case 'printI64':
      return (fr, [v]) => fr.st.out.text(printI64Text(v as Scalar));
    case 'printU64':
      return (fr, [v]) => fr.st.out.text(printU64Text(v as Scalar));
    case 'printNewline':
    case 'printComma':
    case 'printOpen':
    case 'printClose': {
      const s = PUNCTUATION[name];
      return (fr) => fr.st.out.text(s);
    }
    case 'printFlops':
      // Writes "<x> GFLOPS" to stderr only: nothing on the stdout we reproduce.
      return () => undefined;
  }
  if (name.startsWith('printMemref')) return memrefPrinter(name, decl, call);
  unsupported(call, `call to external function @${name}, which the interpreter does not implement`);
}

function memrefPrinter(name: string, decl: Operation | undefined, call: Operation): Builtin {
  const cInterface = decl !== undefined && (decl.attrs['llvm.emit_c_interface'] !== undefined || decl.props['llvm.emit_c_interface'] !== undefined);
  const symbol = cInterface ? `_mlir_ciface_${name}` : name;
  const p = MEMREF_PRINTERS.get(symbol);
  if (p === undefined) {
    const other = cInterface ? name : `_mlir_ciface_${name}`;
    unsupported(
      call,
      MEMREF_PRINTERS.has(other)
        ? `@${name} only exists as ${other}: ${cInterface ? 'drop' : 'declare it with'} llvm.emit_c_interface`
        : `the runner utils have no @${symbol}`,
    );
  }
  const at = call.operands[0]?.type;
  const elem = at && (at.kind === 'memref' || at.kind === 'umemref') ? at.elem : undefined;
  const rankOk = p.rank === undefined ? at?.kind === 'umemref' : at?.kind === 'memref' && at.shape.length === p.rank;
  if (!elem || !rankOk || printType(elem) !== MEMREF_ELEM_TYPES[p.elem]) unsupported(call, `@${name} called with ${at ? printType(at) : 'no argument'}`);
  return (fr, [arg]) => {
    const m = arg as MemRef;
    const element = (offset: number): Scalar => {
      if (!(offset >= 0 && offset < m.buf.length) || m.buf.freed) ub('out-of-bounds', `printMemref reads element ${offset} outside its allocation`);
      if (m.buf.init !== null && m.buf.init[offset] === 0) ub('uninit-read', 'printMemref of uninitialised memory');
      return m.buf.data[offset]!;
    };
    fr.st.out.bytes(memrefBytes(p, { address: addressOf(m.buf), offset: m.offset, sizes: m.sizes, strides: m.strides }, element));
  };
}
