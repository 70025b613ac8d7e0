// The outcomes a program can have besides finishing, and the signals that carry them out of the closures.
// Signals are plain objects, not Errors: they are thrown on hot paths only once per run, but Error's stack
// capture would still dominate a fuzz loop that discards many UB cases.
import type { Loc, Operation } from '../ir/core.ts';

/** Undefined behaviour and other outcomes that make a result untrustworthy (the case is discarded, never reported). */
export type UbKind =
  | 'div-by-zero' // integer division or remainder by zero
  | 'div-overflow' // INT_MIN / -1 and INT_MIN % -1, incl. ceildivsi/floordivsi
  | 'shift-overflow' // shift amount >= bit width (poison)
  | 'nsw-overflow' // signed wrap under `nsw`
  | 'nuw-overflow' // unsigned wrap under `nuw`
  | 'inexact' // `exact` shift or division that drops nonzero bits
  | 'out-of-bounds' // memref or vector access outside the bounds
  | 'uninit-read' // read of alloc/alloca memory never written
  | 'use-after-free' // access through a deallocated buffer (or a stack buffer after its scope)
  | 'write-to-constant' // store into a constant memref.global
  | 'overlapping-copy' // memref.copy whose source and target overlap
  | 'scatter-conflict' // vector.scatter with two active lanes on one element (their order is undefined)
  | 'invalid-free' // dealloc of memory not from memref.alloc, or a double free
  | 'fp-to-int-range' // fptosi/fptoui of NaN or of a value out of the target range
  | 'index-range' // an index value outside int32: not portable to wasm32
  | 'nondeterministic-nan' // NaN bits observed: payload and sign differ by target
  | 'invalid-affine' // affine floordiv/ceildiv/mod by a non-positive symbol value
  | 'invalid-shape' // negative dynamic size, or a view that does not match its type
  | 'poison' // any other poison value (e.g. vector.extract at a dynamic out-of-range position)
  | 'assert-failed' // cf.assert with a false condition: the compiled program aborts
  | 'stack-overflow'; // call depth or live memref.alloca bytes beyond the interpreter's limits

export class UbSignal {
  op: Operation | undefined;
  constructor(
    readonly ub: UbKind,
    readonly message: string,
  ) {}
}

export class HangSignal {
  constructor(readonly steps: number) {}
}

export class UnsupportedSignal {
  constructor(
    readonly op: string,
    readonly message: string,
    readonly loc?: Loc,
  ) {}
}

export function ub(kind: UbKind, message: string): never {
  throw new UbSignal(kind, message);
}

export function unsupported(op: Operation | string, message: string): never {
  if (typeof op === 'string') throw new UnsupportedSignal(op, message);
  throw new UnsupportedSignal(op.name, message, op.loc);
}
