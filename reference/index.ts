// The reference interpreter: exact semantics plus UB detection (DESIGN §3, §5).
// Entry points: `runMain` (run @main on ABI input buffers) and `compileModule` + `runCompiled` (compile once,
// run many inputs). Program behaviour never throws: it comes back as an InterpOutcome.
import './arith.ts';
import './math.ts';
import './memref.ts';
import './scf.ts';
import './affine.ts';
import './vector.ts';
import './func.ts';
import './cf.ts';
import './ub-dialect.ts';
import './index-dialect.ts';
import type { Loc, Operation } from '../ir/core.ts';
import type { EntryResult } from '../ir/entry-abi.ts';
import { ENTRY_RESULT_TYPES } from '../ir/entry-abi.ts';
import { elementBytes } from '../ir/inputs.ts';
import { entryResultText } from '../numeric/runner-utils-print.ts';
import { contiguousStrides, numElements, printType } from '../ir/types.ts';
import { prop } from './attrs.ts';
import { Program, State } from './engine.ts';
import { invoke } from './func.ts';
import type { Allocation } from './memory.ts';
import { allocationFromBytes, allocationToBytes, MemRef } from './memory.ts';
import { resetAddresses } from './runner-utils.ts';
import { HangSignal, UbSignal, UnsupportedSignal } from './ub.ts';
import type { UbKind } from './ub.ts';
import type { Val } from './values.ts';
import { setIndexBits } from './values.ts';

export type { UbKind } from './ub.ts';
export { supportedOps } from './engine.ts';
export { formatG } from '../numeric/c-math.ts';

export type InterpOptions = {
  /** Ops executed (counted per block entry) before the run is a hang. Default 2,000,000. */
  stepBudget?: number;
  /**
   * The target's `index` width. Arithmetic is 64-bit either way (index buffers are 8 bytes); at 32 an index value
   * outside int32 is `index-range` (not portable to that target), at 64 only one beyond ±(2^53-1), which the
   * interpreter does not model. Default 32: the portable answer.
   */
  indexBits?: 32 | 64;
  /** The function to run; default 'main'. */
  entry?: string;
};

export type InterpOk = {
  kind: 'ok';
  /** Every argument buffer after the run, in the input ABI's layout. */
  buffers: Uint8Array[];
  /** Per buffer, per element: 1 where the value depends on a transcendental or otherwise inexact op; null if none. */
  taint: (Uint8Array | null)[];
  /** Per buffer: whether any element is tainted. */
  taintedBuffers: boolean[];
  /** The bytes the program printed (vector.print, runner-utils calls), as mlir-runner prints them. */
  stdout: Uint8Array;
  opsExecuted: Set<string>;
  steps: number;
};
export type InterpOutcome =
  | InterpOk
  | { kind: 'ub'; ub: UbKind; op: string; loc?: Loc; message: string; stdout: Uint8Array; steps: number }
  | { kind: 'hang'; steps: number; stdout: Uint8Array }
  | { kind: 'unsupported'; op: string; loc?: Loc; message: string };

export const DEFAULT_STEP_BUDGET = 2_000_000;

/** Compiles a module once; functions compile lazily on first call, so this never fails. */
export function compileModule(module: Operation): Program {
  return new Program(module);
}

export function runMain(module: Operation, inputs: readonly Uint8Array[], opts: InterpOptions = {}): InterpOutcome {
  return runCompiled(compileModule(module), inputs, opts);
}

/** The stdio buffer of a piped stdout (glibc sizes it by st_blksize, 4096 for a pipe or a file). */
const STDIO_BUFFER = 4096;

/**
 * mlir-runner prints the entry's result through llvm::outs(), whose buffer is flushed at exit before the C stdio
 * buffer holding what the program printed: piped (as tools and tests read it), the result comes first, after only
 * the whole buffers stdio already wrote out (it flushes a full buffer on the next write that does not fit).
 */
function withEntryResult(printed: Uint8Array, result: string): Uint8Array {
  const flushed = printed.length === 0 ? 0 : Math.floor((printed.length - 1) / STDIO_BUFFER) * STDIO_BUFFER;
  const r = Buffer.from(result, 'latin1');
  const out = new Uint8Array(printed.length + r.length);
  out.set(printed.subarray(0, flushed), 0);
  out.set(r, flushed);
  out.set(printed.subarray(flushed), flushed + r.length);
  return out;
}

export function runCompiled(prog: Program, inputs: readonly Uint8Array[], opts: InterpOptions = {}): InterpOutcome {
  const entry = opts.entry ?? 'main';
  const fn = prog.funcOps.get(entry);
  if (!fn) return { kind: 'unsupported', op: 'func.func', message: `no function @${entry}` };
  const ft = prop(fn, 'function_type');
  if (!ft || ft.kind !== 'type' || ft.type.kind !== 'function') return { kind: 'unsupported', op: 'func.func', message: `@${entry} has no function type` };
  const argTypes = ft.type.inputs;
  const results = ft.type.results.map(printType);
  // mlir-runner's -entry-point-result: one i32, i64 or f32 from an entry without arguments, printed once it returns.
  const printed = results.length === 1 && argTypes.length === 0 && (ENTRY_RESULT_TYPES as readonly string[]).includes(results[0]!) ? (results[0] as EntryResult) : undefined;
  if (results.length && !printed)
    return { kind: 'unsupported', op: 'func.func', message: `@${entry} returns ${results.join(', ')}; an entry returns nothing, or one i32, i64 or f32 and takes no arguments` };
  if (inputs.length !== argTypes.length) throw new Error(`@${entry} takes ${argTypes.length} buffers, ${inputs.length} given`);
  const bufs: Allocation[] = [];
  const args: Val[] = [];
  for (let k = 0; k < argTypes.length; k++) {
    const t = argTypes[k]!;
    if (t.kind !== 'memref' || t.shape.some((d) => d < 0) || t.layout !== undefined)
      return { kind: 'unsupported', op: 'func.func', message: `@${entry} argument ${k} is ${printType(t)}; the ABI needs statically shaped identity-layout memrefs` };
    if (t.elem.kind !== 'int' && t.elem.kind !== 'index' && t.elem.kind !== 'float')
      return { kind: 'unsupported', op: 'func.func', message: `@${entry} argument ${k} has element type ${printType(t.elem)}` };
    const want = numElements(t.shape) * elementBytes(t.elem);
    if (inputs[k]!.length !== want) throw new Error(`buffer ${k} has ${inputs[k]!.length} bytes, ${printType(t)} needs ${want}`);
    const buf = allocationFromBytes(t.elem, inputs[k]!, 'arg', `arg${k}`);
    bufs.push(buf);
    args.push(new MemRef(buf, 0, t.shape, contiguousStrides(t.shape)));
  }
  const st = new State(prog, opts.stepBudget ?? DEFAULT_STEP_BUDGET);
  setIndexBits(opts.indexBits ?? 32);
  resetAddresses();
  let result: string | undefined;
  const stdout = (): Uint8Array => (result === undefined ? st.out.toBytes() : withEntryResult(st.out.toBytes(), result));
  try {
    const f = prog.func(entry);
    const top = prog.newFrame(f, st, 0);
    invoke(top, f, args, null);
    if (printed) result = entryResultText(printed, f.body.out[0] as number | bigint);
  } catch (e) {
    if (e instanceof UbSignal) {
      const o: InterpOutcome = { kind: 'ub', ub: e.ub, op: e.op?.name ?? 'unknown', message: e.message, stdout: stdout(), steps: st.steps };
      if (e.op?.loc) o.loc = e.op.loc;
      return o;
    }
    if (e instanceof HangSignal) return { kind: 'hang', steps: e.steps, stdout: stdout() };
    if (e instanceof UnsupportedSignal) {
      const o: InterpOutcome = { kind: 'unsupported', op: e.op, message: e.message };
      if (e.loc) o.loc = e.loc;
      return o;
    }
    if (e instanceof RangeError && /call stack/i.test(e.message))
      return { kind: 'ub', ub: 'stack-overflow', op: 'func.call', message: 'recursion too deep for the interpreter', stdout: stdout(), steps: st.steps };
    throw e;
  }
  for (let k = 0; k < bufs.length; k++) {
    const init = bufs[k]!.init;
    if (init !== null) {
      const at = init.indexOf(0);
      if (at >= 0)
        return {
          kind: 'ub',
          ub: 'uninit-read',
          op: 'func.return',
          message: `output buffer ${k} element ${at} holds uninitialised memory (copied in from an alloc)`,
          stdout: stdout(),
          steps: st.steps,
        };
    }
  }
  const taint = bufs.map((b) => (b.taint !== null && b.taint.includes(1) ? b.taint : null));
  return {
    kind: 'ok',
    buffers: bufs.map(allocationToBytes),
    taint,
    taintedBuffers: taint.map((t) => t !== null),
    stdout: stdout(),
    opsExecuted: st.executed,
    steps: st.steps,
  };
}
