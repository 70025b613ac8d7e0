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
import type { Loc, Operation } from '../ir/core.ts';
import { elementBytes } from '../ir/inputs.ts';
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

export type { UbKind } from './ub.ts';
export { supportedOps } from './engine.ts';
export { formatG } from '../numeric/c-math.ts';

export type InterpOptions = {
  /** Ops executed (counted per block entry) before the run is a hang. Default 2,000,000. */
  stepBudget?: number;
  /** Width of `index`; only 64 is modelled (values must also fit int32, see UbKind 'index-range'). */
  indexBits?: 64;
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

export function runCompiled(prog: Program, inputs: readonly Uint8Array[], opts: InterpOptions = {}): InterpOutcome {
  const entry = opts.entry ?? 'main';
  const fn = prog.funcOps.get(entry);
  if (!fn) return { kind: 'unsupported', op: 'func.func', message: `no function @${entry}` };
  const ft = prop(fn, 'function_type');
  if (!ft || ft.kind !== 'type' || ft.type.kind !== 'function') return { kind: 'unsupported', op: 'func.func', message: `@${entry} has no function type` };
  const argTypes = ft.type.inputs;
  if (ft.type.results.length) return { kind: 'unsupported', op: 'func.func', message: `@${entry} returns values; the ABI has outputs in argument buffers only` };
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
  resetAddresses();
  const stdout = (): Uint8Array => st.out.toBytes();
  try {
    const f = prog.func(entry);
    const top = prog.newFrame(f, st, 0);
    invoke(top, f, args, null);
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
