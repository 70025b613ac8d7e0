// The reproducer's own entry for a wrong run: an LLVM-dialect function appended to the lowered module (as the
// fuzzer's harness is, so no pass under test ever sees it) that passes @main buffers holding the exact input bytes,
// then prints every element's raw bits with the runner-utils printers (mlir-runner loads them; tcfuzz's wasm host
// has them too). expected.txt is the reference's result written by `expectedText` in the very same format, so the
// two compare line by line. Both are written for the backend's index width: 64 natively, 32 on wasm32.
import { bufferBytes } from '../../../ir/entry-abi.ts';
import { elementBytes } from '../../../ir/inputs.ts';
import type { MemRefType } from '../../../ir/types.ts';
import { contiguousStrides, numElements } from '../../../ir/types.ts';
import { loweredEntryTypes } from '../abi.ts';
import type { IndexWidth } from '../abi.ts';

export const REPRO_ENTRY = 'tcfuzz_repro_main';

/** The printers the entry calls; the script declares each one the lowered module does not declare already. */
export const PRINTERS: readonly (readonly [name: string, declaration: string])[] = [
  ['printU64', '  llvm.func @printU64(i64)'],
  ['printNewline', '  llvm.func @printNewline()'],
];

/**
 * How one element is printed: `words` lines of at most 64 bits each, little-endian word first, with the bits above
 * the element's width cleared (LLVM leaves an i5's padding bits unspecified; the fuzzer's comparison masks them too).
 */
export type ElementLayout = { readonly bytes: number; readonly words: number; readonly wordBits: number; readonly width: number };

export function elementLayout(t: MemRefType, index: IndexWidth): ElementLayout {
  const bytes = elementBytes(t.elem, index / 8);
  const width = t.elem.kind === 'int' ? t.elem.width : bytes * 8;
  return bytes <= 8 ? { bytes, words: 1, wordBits: bytes * 8, width } : { bytes, words: bytes / 8, wordBits: 64, width };
}

/** Bits of word `k` of an element that belong to its value. */
function wordWidth(l: ElementLayout, k: number): number {
  return Math.max(0, Math.min(l.wordBits, l.width - 64 * k));
}

/** The entry's globals and function, as top-level LLVM-dialect text for the lowered module's body. */
export function reproEntry(entry: string, args: readonly MemRefType[], inputs: readonly Uint8Array[], index: IndexWidth): string {
  const i = `i${index}`;
  const L: string[] = [];
  args.forEach((t, a) => {
    // A zero-sized buffer still gets a byte: LLVM has no empty globals with an address worth passing.
    const data = Buffer.alloc(Math.max(1, bufferBytes(t, index)));
    data.set(inputs[a]!);
    L.push(`  llvm.mlir.global internal @__tcfuzz_repro_arg${a}(dense<"0x${data.toString('hex').toUpperCase()}"> : tensor<${data.length}xi8>) {addr_space = 0 : i32, alignment = 64 : i64} : !llvm.array<${data.length} x i8>`);
  });
  L.push(`  llvm.func @${REPRO_ENTRY}() {`);
  const c = (name: string, v: number | bigint, ty: string): string => {
    L.push(`    %${name} = llvm.mlir.constant(${v} : ${ty}) : ${ty}`);
    return `%${name}`;
  };
  const operands: string[] = [];
  args.forEach((t, a) => {
    L.push(`    %p${a} = llvm.mlir.addressof @__tcfuzz_repro_arg${a} : !llvm.ptr`);
    const sizes = t.shape.map((d, j) => c(`s${a}_${j}`, d, i));
    const strides = contiguousStrides(t.shape).map((s, j) => c(`t${a}_${j}`, s, i));
    operands.push(`%p${a}`, `%p${a}`, c(`o${a}`, 0, i), ...sizes, ...strides);
  });
  L.push(`    llvm.call @${entry}(${operands.join(', ')}) : (${loweredEntryTypes(args, index).join(', ')}) -> ()`);
  // Whatever the program printed may not end its last line; this newline keeps the values on lines of their own.
  L.push('    llvm.call @printNewline() : () -> ()');
  const zero = c('zero', 0, 'i64');
  const one = c('one', 1, 'i64');
  L.push(`    llvm.br ^loop0(${zero} : i64)`);
  args.forEach((t, a) => {
    const l = elementLayout(t, index);
    const w = `i${l.wordBits}`;
    L.push(`  ^loop${a}(%e${a}: i64):`);
    const n = c(`n${a}`, numElements(t.shape), 'i64');
    L.push(`    %done${a} = llvm.icmp "uge" %e${a}, ${n} : i64`);
    L.push(`    llvm.cond_br %done${a}, ^loop${a + 1}(${zero} : i64), ^body${a}`);
    L.push(`  ^body${a}:`);
    for (let k = 0; k < l.words; k++) {
      const v = `${a}_${k}`;
      let at = `%e${a}`;
      if (l.words > 1) {
        L.push(`    %m${v} = llvm.mul %e${a}, ${c(`w${v}`, l.words, 'i64')} : i64`);
        L.push(`    %at${v} = llvm.add %m${v}, ${c(`k${v}`, k, 'i64')} : i64`);
        at = `%at${v}`;
      }
      L.push(`    %q${v} = llvm.getelementptr %p${a}[${at}] : (!llvm.ptr, i64) -> !llvm.ptr, ${w}`);
      L.push(`    %raw${v} = llvm.load %q${v} : !llvm.ptr -> ${w}`);
      let value = `%raw${v}`;
      const bits = wordWidth(l, k);
      if (bits < l.wordBits) {
        L.push(`    %val${v} = llvm.and %raw${v}, ${c(`mask${v}`, (1n << BigInt(bits)) - 1n, w)} : ${w}`);
        value = `%val${v}`;
      }
      if (l.wordBits < 64) {
        L.push(`    %x${v} = llvm.zext ${value} : ${w} to i64`);
        value = `%x${v}`;
      }
      L.push(`    llvm.call @printU64(${value}) : (i64) -> ()`);
      L.push('    llvm.call @printNewline() : () -> ()');
    }
    L.push(`    %next${a} = llvm.add %e${a}, ${one} : i64`);
    L.push(`    llvm.br ^loop${a}(%next${a} : i64)`);
  });
  L.push(`  ^loop${args.length}(%end: i64):`);
  L.push('    llvm.return');
  L.push('  }');
  return L.join('\n') + '\n';
}

/**
 * A buffer the reference laid out with a 64-bit index, laid out for `index`: under a 32-bit one (wasm32) an index
 * element keeps its low 4 bytes, as the oracle compares an index across targets at the narrower width.
 */
export function atIndexWidth(t: MemRefType, bytes: Uint8Array, index: IndexWidth): Uint8Array {
  if (index === 64 || t.elem.kind !== 'index') return bytes;
  const out = new Uint8Array(bytes.length / 2);
  for (let e = 0; e < out.length / 4; e++) out.set(bytes.subarray(e * 8, e * 8 + 4), e * 4);
  return out;
}

/** One line per word of every element, as the entry prints them: unsigned decimal of the value bits. */
export function bufferLines(t: MemRefType, bytes: Uint8Array, index: IndexWidth): string[] {
  const l = elementLayout(t, index);
  const out: string[] = [];
  for (let off = 0; off + l.bytes <= bytes.length; off += l.bytes) {
    for (let k = 0; k < l.words; k++) {
      let v = 0n;
      const start = off + (k * l.wordBits) / 8;
      for (let b = l.wordBits / 8 - 1; b >= 0; b--) v = (v << 8n) | BigInt(bytes[start + b]!);
      out.push(BigInt.asUintN(wordWidth(l, k), v).toString());
    }
  }
  return out;
}

/** What a run of the entry prints: the program's own stdout, the entry's newline, then every buffer's lines. */
export function expectedText(args: readonly MemRefType[], buffers: readonly Uint8Array[], stdout: Uint8Array, index: IndexWidth): Buffer {
  const lines = args.flatMap((t, a) => bufferLines(t, buffers[a]!, index));
  return Buffer.concat([Buffer.from(stdout), Buffer.from('\n' + lines.map((s) => s + '\n').join(''), 'latin1')]);
}
