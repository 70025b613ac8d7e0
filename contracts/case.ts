// The unit of work (DESIGN §3): a program with an entry that reads and writes argument buffers, the pipeline that
// compiles it, and the seed its inputs come from.
import type { Pipeline } from './pipeline.ts';

/**
 * An element type, spelled as MLIR spells it: 'i1' … 'i128', 'si8', 'ui8', 'f16', 'bf16', 'f32', 'f64', 'index'.
 * Other compilers map these names to their own (TIR's 'int32', ONNX's INT32).
 */
export type ElementType = string;

/** One argument buffer of the entry: a statically shaped, contiguous, row-major array. */
export type BufferType = { readonly shape: readonly number[]; readonly element: ElementType };

/** The entry-point ABI: the function a case runs and its buffers, which are both its inputs and its outputs. */
export type EntryAbi = { readonly name: string; readonly args: readonly BufferType[] };

/**
 * A program in the source language of tcfuzz (MLIR text, any syntax) with its entry.
 * `ir` is the parsed form when the producer already holds it (an `ir/core.ts` module); consumers that need IR use it
 * instead of parsing `text` again, and must give the same answer either way.
 */
export type Program = { readonly text: string; readonly entry: EntryAbi; readonly ir?: object };

export type TestCase = {
  /** Where the case came from, for people: a file path, `seed:matmul{m=4}`, `gen:7:12`. */
  readonly name: string;
  readonly program: Program;
  /** Passes before each executor's own lowering; each target parses and prints its own. */
  readonly pipeline: Pipeline;
  /** Fills the input buffers deterministically (DESIGN §3). */
  readonly inputSeed: number;
  /**
   * The executors that run this case, by name; every executor of the check when absent. The fuzzer spreads its
   * cases over the executors this way, and runs a case on all of them to confirm what one found.
   */
  readonly executors?: readonly string[];
};
