// func dialect semantics: calls (to compiled functions or to runner-utils builtins), return, constants.
import type { Operation } from '../ir/core.ts';
import { prop } from './attrs.ts';
import type { CompiledFunc, Cx, Frame, Instr } from './engine.ts';
import { defineOps, exitTerm } from './engine.ts';
import { releaseAllocas } from './memref.ts';
import { runtimeBuiltin } from './runner-utils.ts';
import { ub, unsupported } from './ub.ts';
import type { FuncRef, Val } from './values.ts';

/** Calls deeper than this are reported as stack overflow (native stacks overflow too, nondeterministically). */
export const MAX_CALL_DEPTH = 400;

function calleeName(op: Operation): string {
  const a = prop(op, 'callee');
  if (!a || a.kind !== 'symbol') unsupported(op, `${op.name} without a callee symbol`);
  return a.path[a.path.length - 1]!;
}

function isDeclaration(fn: Operation | undefined): boolean {
  return fn !== undefined && (fn.regions.length === 0 || fn.regions[0]!.blocks.length === 0);
}

/** Runs f with the given arguments; results are left in f.body.out/outT. */
export function invoke(fr: Frame, f: CompiledFunc, args: readonly Val[], argT: ArrayLike<number> | null): void {
  const st = fr.st;
  if (++st.depth > MAX_CALL_DEPTH) {
    st.depth--;
    ub('stack-overflow', `call depth exceeds ${MAX_CALL_DEPTH}`);
  }
  const nf = st.prog.newFrame(f, st, fr.pc);
  const a = f.body.argSlots;
  for (let k = 0; k < a.length; k++) nf.r[a[k]!] = args[k]!;
  if (nf.t !== null && argT !== null) for (let k = 0; k < a.length; k++) nf.t[a[k]!] = argT[k]!;
  try {
    f.body.exec(nf);
  } finally {
    st.depth--;
    releaseAllocas(nf);
  }
}

function callTo(op: Operation, cx: Cx, name: string, argSlots: readonly number[]): Instr {
  const ds = cx.slotsOf(op.results);
  const prog = cx.prog;
  const decl = prog.funcOps.get(name);
  if (decl === undefined || isDeclaration(decl)) {
    const builtin = runtimeBuiltin(name, decl, op);
    return (fr) => {
      builtin(
        fr,
        argSlots.map((s) => fr.r[s]!),
      );
    };
  }
  let f: CompiledFunc | undefined;
  return (fr) => {
    f ??= prog.func(name);
    const args = argSlots.map((s) => fr.r[s]!);
    const argT = fr.t === null ? null : argSlots.map((s) => fr.t![s]! | fr.pc);
    invoke(fr, f, args, argT);
    const out = f.body.out;
    for (let k = 0; k < ds.length; k++) fr.r[ds[k]!] = out[k]!;
    if (fr.t !== null) for (let k = 0; k < ds.length; k++) fr.t[ds[k]!] = f.body.outT[k]! | fr.pc;
  };
}

defineOps({
  'func.call': {
    taint: 'self',
    compile: (op, cx) => callTo(op, cx, calleeName(op), cx.slotsOf(op.operands)),
  },
  'func.call_indirect': {
    taint: 'self',
    compile: (op, cx) => {
      const [callee, ...args] = cx.slotsOf(op.operands) as [number, ...number[]];
      const ds = cx.slotsOf(op.results); // assigned now: callTo runs after the function is compiled
      const cache = new Map<string, Instr>();
      return (fr) => {
        const name = (fr.r[callee] as FuncRef).fn;
        let call = cache.get(name);
        if (!call) {
          call = callTo(op, cx, name, args);
          cache.set(name, call);
        }
        call(fr);
        if (fr.t !== null && fr.t[callee]) for (const d of ds) fr.t[d] = 1;
      };
    },
  },
  'func.constant': {
    compile: (op, cx) => {
      const a = prop(op, 'value');
      if (!a || a.kind !== 'symbol') unsupported(op, 'func.constant without a symbol');
      const ref: FuncRef = { fn: a.path[a.path.length - 1]! };
      const d = cx.slot(op.results[0]!);
      return (fr) => {
        fr.r[d] = ref;
      };
    },
  },
  'func.return': { term: (op, cx, rc) => exitTerm(op, cx, rc) },
});
