// index dialect semantics (IndexOps.td). Index ops compute at the target's index width; the interpreter computes at
// 64 bits, and at a 32-bit index (a run judged for 32- and 64-bit targets alike) treats every answer that depends
// on the width as `index-range` (not portable): shift amounts of 32 or more, index.sizeof, and remu of a dividend
// at or above 2^31 (unsigned). Division by zero and shifts by 64 or more are UB, as for arith.
import type { Operation } from '../ir/core.ts';
import { index as indexType } from '../ir/types.ts';
import { prop } from './attrs.ts';
import type { OpSem } from './engine.ts';
import { defineOps } from './engine.ts';
import type { IntBinName } from './int-semantics.ts';
import { CMPI, intBinary, intCmp } from './int-semantics.ts';
import { elemKindOf, liftBinary, liftUnary } from './lift.ts';
import { ub, unsupported } from './ub.ts';
import type { Scalar } from './values.ts';
import { checkIndex, elemKind, indexIsWide, sextN } from './values.ts';

const X = elemKind(indexType);

/** Not portable: the answer differs between a 32- and a 64-bit index. */
function widthDependent(what: string): never {
  ub('index-range', `${what} differs between 32- and 64-bit index (not portable to 32-bit targets)`);
}

function binary(name: IntBinName): OpSem {
  const f = intBinary(name, X);
  const shift = name === 'shli' || name === 'shrsi' || name === 'shrui';
  const unsignedRem = name === 'remui';
  return {
    compile: (op, cx) =>
      liftBinary(op, cx, (a, b) => {
        if (!indexIsWide()) {
          if (shift && (b as number) >= 32 && (b as number) < 64) widthDependent(`${op.name} by ${b}`);
          if (unsignedRem && (a as number) < 0 && (b as number) !== 0) widthDependent(`${op.name} of ${a} (unsigned)`);
        }
        return f(a, b);
      }),
  };
}

const BINARY: Record<string, IntBinName> = {
  add: 'addi',
  sub: 'subi',
  mul: 'muli',
  divs: 'divsi',
  divu: 'divui',
  ceildivs: 'ceildivsi',
  ceildivu: 'ceildivui',
  floordivs: 'floordivsi',
  rems: 'remsi',
  remu: 'remui',
  maxs: 'maxsi',
  maxu: 'maxui',
  mins: 'minsi',
  minu: 'minui',
  shl: 'shli',
  shrs: 'shrsi',
  shru: 'shrui',
  and: 'andi',
  or: 'ori',
  xor: 'xori',
};

/** index.casts / index.castu: sign- or zero-extension, or truncation, between index (64-bit here) and iN. */
function cast(signed: boolean): OpSem {
  return {
    compile: (op, cx) => {
      const from = elemKindOf(op.operands[0]!.type);
      const to = elemKindOf(op.results[0]!.type);
      if (from.k === 'f' || to.k === 'f') unsupported(op, `${op.name} between non-integer types`);
      const wf = from.w;
      const wt = to.w;
      const ext = (x: Scalar): bigint => {
        const v = typeof x === 'bigint' ? x : BigInt(x);
        return signed ? BigInt.asIntN(wf, v) : BigInt.asUintN(wf, v);
      };
      if (to.k === 'x') return liftUnary(op, cx, (x) => checkIndex(Number(BigInt.asIntN(64, ext(x)))));
      // Zero-extending a negative index into more than 32 bits depends on the width it extends from.
      if (!signed && from.k === 'x' && wt > 32) {
        const f = (x: Scalar): Scalar => {
          if (!indexIsWide() && (x as number) < 0) widthDependent(`${op.name} of ${x} to i${wt}`);
          return BigInt.asIntN(wt, ext(x));
        };
        return liftUnary(op, cx, wt <= 32 ? (x) => Number(f(x)) : f);
      }
      if (to.k === 'n') return liftUnary(op, cx, wt === 32 && from.k === 'x' ? (x) => sextN(32, x as number) : (x) => Number(BigInt.asIntN(wt, ext(x))));
      return liftUnary(op, cx, (x) => BigInt.asIntN(wt, ext(x)));
    },
  };
}

function cmpPredicate(op: Operation): number {
  const a = prop(op, 'pred');
  const m = a?.kind === 'dialect' ? /^cmp_predicate\s+(\w+)$/.exec(a.body.trim()) : null;
  const k = m ? (CMPI as readonly string[]).indexOf(m[1]!) : -1;
  if (k < 0) unsupported(op, 'index.cmp without a known predicate');
  return k;
}

defineOps({
  ...Object.fromEntries(Object.entries(BINARY).map(([n, f]) => [`index.${n}`, binary(f)])),
  'index.constant': {
    compile: (op, cx) => {
      const a = prop(op, 'value');
      if (a?.kind !== 'int') unsupported(op, 'index.constant without an integer value');
      const v = BigInt.asIntN(64, a.value);
      const d = cx.slot(op.results[0]!);
      return (fr) => {
        fr.r[d] = checkIndex(Number(v));
      };
    },
  },
  'index.bool.constant': {
    compile: (op, cx) => {
      const a = prop(op, 'value');
      if (a?.kind !== 'int') unsupported(op, 'index.bool.constant without a boolean value');
      const v = a.value !== 0n ? -1 : 0;
      const d = cx.slot(op.results[0]!);
      return (fr) => {
        fr.r[d] = v;
      };
    },
  },
  'index.cmp': { compile: (op, cx) => liftBinary(op, cx, intCmp(cmpPredicate(op), X)) },
  'index.casts': cast(true),
  'index.castu': cast(false),
  'index.sizeof': {
    compile: (op, cx) => {
      const d = cx.slot(op.results[0]!);
      return (fr) => {
        if (!indexIsWide()) widthDependent('index.sizeof');
        fr.r[d] = 64;
      };
    },
  },
});


