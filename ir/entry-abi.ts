// The entry-point ABI of a test case (DESIGN §3), in one place: the entry is a `func.func` with no results whose
// arguments are statically shaped, contiguous memrefs of scalars; every buffer is an input and an output.
// The reference, the program loader and every executor ask this module, and nothing else decides.
import { printAttr } from './attributes.ts';
import type { Operation } from './core.ts';
import { IrError } from './diagnostic.ts';
import { elementBytes, fillBuffer } from './inputs.ts';
import { parseTypeText } from './parser/index.ts';
import type { MemRefType } from './types.ts';
import { contiguousStrides, numElements, printType } from './types.ts';

/** Structurally the `BufferType` of contracts/case.ts (ir imports nothing of ours but numeric/). */
export type EntryBuffer = { readonly shape: readonly number[]; readonly element: string };

/** Why argument `k` cannot be an ABI buffer, or undefined when it can. */
export function entryArgProblem(t: MemRefType, k: number, entry = 'main'): string | undefined {
  const what = `@${entry} argument ${k} (${printType(t)})`;
  if (t.shape.some((d) => d < 0)) return `${what} is not statically shaped`;
  if (t.memorySpace) return `${what} has a memory space`;
  if (t.elem.kind !== 'int' && t.elem.kind !== 'index' && t.elem.kind !== 'float') return `${what} has no scalar element type`;
  const l = t.layout;
  if (!l) return undefined;
  if (l.kind === 'strided' && l.offset === 0 && l.strides.join(',') === contiguousStrides(t.shape).join(',')) return undefined;
  if (l.kind === 'affine_map' && /^affine_map<\((.*)\) -> \(\1\)>$/.test(printAttr(l))) return undefined;
  return `${what} has a non-contiguous layout the input ABI cannot fill`;
}

/** The scalar results an entry may return: what mlir-runner's `-entry-point-result` prints. */
export const ENTRY_RESULT_TYPES = ['i32', 'i64', 'f32'] as const;
export type EntryResult = (typeof ENTRY_RESULT_TYPES)[number];

/** An entry's ABI: its buffers, or (MLIR's integration-test style) no arguments and one printed scalar result. */
export type EntrySignature = { readonly args: MemRefType[]; readonly result?: EntryResult };

/** The entry function's ABI buffers; throws IrError (at the function) when the module has no valid entry. */
export function entryArgs(module: Operation, entry = 'main', file = '<input>'): MemRefType[] {
  return entrySignature(module, entry, file).args;
}

/**
 * The entry's signature. With `scalarResult`, a no-argument entry returning one i32, i64 or f32 is accepted (its
 * value is printed as `mlir-runner -entry-point-result` prints it); otherwise an entry returns nothing.
 */
export function entrySignature(module: Operation, entry = 'main', file = '<input>', opts: { scalarResult?: boolean } = {}): EntrySignature {
  for (const op of module.regions[0]?.blocks[0]?.ops ?? []) {
    const name = op.props.sym_name;
    if (op.name !== 'func.func' || name?.kind !== 'string' || name.value !== entry) continue;
    const at = op.loc ?? { file, line: 1, col: 1 };
    const ft = op.props.function_type;
    if (ft?.kind !== 'type' || ft.type.kind !== 'function') throw new IrError(`@${entry} has no function type`, at);
    if (op.regions[0]?.blocks.length === 0) throw new IrError(`@${entry} is a declaration`, at);
    const results = ft.type.results.map(printType);
    let result: EntryResult | undefined;
    if (results.length) {
      const scalar = results.length === 1 && ft.type.inputs.length === 0 && (ENTRY_RESULT_TYPES as readonly string[]).includes(results[0]!);
      if (!opts.scalarResult) throw new IrError(`@${entry} returns ${results.join(', ')}; outputs go in its argument buffers${scalar ? ' (tcfuzz run prints a returned scalar)' : ''}`, at);
      if (!scalar) throw new IrError(`@${entry} returns ${results.join(', ')}; an entry may return one i32, i64 or f32 (as mlir-runner's -entry-point-result), and only with no arguments`, at);
      result = results[0] as EntryResult;
    }
    const args = ft.type.inputs.map((t, k) => {
      if (t.kind !== 'memref') throw new IrError(`@${entry} takes ${printType(t)}; the test ABI takes statically shaped memrefs only`, at);
      const why = entryArgProblem(t, k, entry);
      if (why) throw new IrError(why, at);
      return t;
    });
    return result ? { args, result } : { args };
  }
  throw new IrError(`no func.func @${entry}`, { file, line: 1, col: 1 });
}

/** Most bytes a case's buffers may take together (at the widest index): inputs are materialised in memory. */
export const MAX_BUFFER_BYTES = 256 << 20;

/** Why the entry's buffers are too big to materialise, or undefined when they fit. */
export function buffersTooBig(args: readonly MemRefType[]): string | undefined {
  let total = 0;
  for (const t of args) total += bufferBytes(t, 64);
  return total > MAX_BUFFER_BYTES ? `unsupported: the entry's buffers take ${total} bytes, over the harness limit of ${MAX_BUFFER_BYTES}` : undefined;
}

export function entryBuffer(t: MemRefType): EntryBuffer {
  return { shape: t.shape, element: printType(t.elem) };
}

const memrefCache = new Map<string, MemRefType>();

/** The memref type of an ABI buffer (the inverse of entryBuffer). */
export function bufferMemRef(b: EntryBuffer): MemRefType {
  const text = `memref<${b.shape.map((d) => `${d}x`).join('')}${b.element}>`;
  let t = memrefCache.get(text);
  if (!t) {
    const parsed = parseTypeText(text);
    if (parsed.kind !== 'memref') throw new Error(`not a buffer type: ${text}`);
    memrefCache.set(text, (t = parsed));
  }
  return t;
}

export function bufferBytes(t: MemRefType, indexBits: 32 | 64): number {
  return numElements(t.shape) * elementBytes(t.elem, indexBits / 8);
}

/** The entry's input buffers for `inputSeed`, laid out with an `index` of `indexBits`. */
export function fillInputs(args: readonly MemRefType[], inputSeed: number, indexBits: 32 | 64): Uint8Array[] {
  return args.map((t, k) => fillBuffer(t, inputSeed, k, indexBits / 8));
}

/** Why `inputs` cannot be passed to an entry taking `args`, or undefined when they fit. */
export function inputsProblem(args: readonly MemRefType[], inputs: readonly Uint8Array[], indexBits: 32 | 64): string | undefined {
  if (inputs.length !== args.length) return `the entry takes ${args.length} buffers, ${inputs.length} inputs given`;
  for (let k = 0; k < args.length; k++) {
    const want = bufferBytes(args[k]!, indexBits);
    if (inputs[k]!.length !== want) return `input ${k} has ${inputs[k]!.length} bytes, ${want} expected (index is ${indexBits}-bit)`;
  }
  return undefined;
}
