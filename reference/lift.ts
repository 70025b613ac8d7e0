// Lifts scalar functions to ops: one closure per op, elementwise over vectors when the result is a vector.
import type { Operation } from '../ir/core.ts';
import type { Type } from '../ir/types.ts';
import { elementOf } from '../ir/types.ts';
import type { Cx, Instr } from './engine.ts';
import type { ElemKind, Scalar, Val, Vec } from './values.ts';
import { elemKind } from './values.ts';

export const elemKindOf = (t: Type): ElemKind => elemKind(elementOf(t));

export function liftUnary(op: Operation, cx: Cx, f: (a: Scalar) => Scalar): Instr {
  const a = cx.slot(op.operands[0]!);
  const d = cx.slot(op.results[0]!);
  if (op.operands[0]!.type.kind === 'vector')
    return (fr) => {
      const x = fr.r[a] as Vec;
      const n = x.length;
      const out = new Array<Scalar>(n);
      for (let k = 0; k < n; k++) out[k] = f(x[k]!);
      fr.r[d] = out;
    };
  return (fr) => {
    fr.r[d] = f(fr.r[a] as Scalar);
  };
}

export function liftBinary(op: Operation, cx: Cx, f: (a: Scalar, b: Scalar) => Scalar): Instr {
  const a = cx.slot(op.operands[0]!);
  const b = cx.slot(op.operands[1]!);
  const d = cx.slot(op.results[0]!);
  if (op.operands[0]!.type.kind === 'vector')
    return (fr) => {
      const x = fr.r[a] as Vec;
      const y = fr.r[b] as Vec;
      const n = x.length;
      const out = new Array<Scalar>(n);
      for (let k = 0; k < n; k++) out[k] = f(x[k]!, y[k]!);
      fr.r[d] = out;
    };
  return (fr) => {
    fr.r[d] = f(fr.r[a] as Scalar, fr.r[b] as Scalar);
  };
}

export function liftTernary(op: Operation, cx: Cx, f: (a: Scalar, b: Scalar, c: Scalar) => Scalar): Instr {
  const [a, b, c] = cx.slotsOf(op.operands) as [number, number, number];
  const d = cx.slot(op.results[0]!);
  if (op.results[0]!.type.kind === 'vector')
    return (fr) => {
      const x = fr.r[a] as Vec;
      const y = fr.r[b] as Vec;
      const z = fr.r[c] as Vec;
      const n = x.length;
      const out = new Array<Scalar>(n);
      for (let k = 0; k < n; k++) out[k] = f(x[k]!, y[k]!, z[k]!);
      fr.r[d] = out;
    };
  return (fr) => {
    fr.r[d] = f(fr.r[a] as Scalar, fr.r[b] as Scalar, fr.r[c] as Scalar);
  };
}

/** An op with several scalar results computed together (the *_extended ops, math.sincos). */
export function liftMulti(op: Operation, cx: Cx, f: (args: Scalar[]) => Scalar[]): Instr {
  const as = cx.slotsOf(op.operands);
  const ds = cx.slotsOf(op.results);
  if (op.operands[0]!.type.kind === 'vector')
    return (fr) => {
      const xs = as.map((s) => fr.r[s] as Vec);
      const n = xs[0]!.length;
      const outs = ds.map(() => new Array<Scalar>(n));
      for (let k = 0; k < n; k++) {
        const rs = f(xs.map((x) => x[k]!));
        for (let j = 0; j < ds.length; j++) outs[j]![k] = rs[j]!;
      }
      for (let j = 0; j < ds.length; j++) fr.r[ds[j]!] = outs[j]!;
    };
  return (fr) => {
    const rs = f(as.map((s) => fr.r[s] as Scalar));
    for (let j = 0; j < ds.length; j++) fr.r[ds[j]!] = rs[j]! as Val;
  };
}
