// arith dialect semantics.
import type { Operation } from '../ir/core.ts';
import { bf16Bits, bf16FromBits, f16Bits, f16FromBits, f32Bits, f32FromBits, f64Bits, f64FromBits } from '../numeric/float.ts';
import type { FloatName } from '../ir/types.ts';
import { numElements } from '../ir/types.ts';
import { denseElements, intProp, overflowFlags, prop, scalarFromAttrValue } from './attrs.ts';
import type { Cx, Instr, OpSem } from './engine.ts';
import { defineOps } from './engine.ts';
import {
  floatCmp,
  floatToInt,
  intToFloat,
  maximumf,
  maxnumf,
  minimumf,
  minnumf,
  rounder,
  signedZeroTie,
} from './float-semantics.ts';
import type { IntBinName } from './int-semantics.ts';
import { intBinary, intCmp } from './int-semantics.ts';
import { elemKindOf, liftBinary, liftMulti, liftUnary } from './lift.ts';
import { ub, UbSignal, unsupported } from './ub.ts';
import type { ElemKind, Scalar, Val, Vec } from './values.ts';
import { checkIndex, sextN, uN } from './values.ts';

function floatName(op: Operation, k: ElemKind): FloatName {
  if (k.k !== 'f') unsupported(op, `${op.name} on a non-float type`);
  return k.name;
}

function intOp(name: IntBinName): OpSem {
  return {
    compile: (op, cx) => {
      const k = elemKindOf(op.results[0]!.type);
      if (k.k === 'f') unsupported(op, `${op.name} on a float type`);
      return liftBinary(op, cx, intBinary(name, k, overflowFlags(op)));
    },
  };
}

function floatOp(f: (a: number, b: number) => number): OpSem {
  return {
    compile: (op, cx) => {
      const r = rounder(floatName(op, elemKindOf(op.results[0]!.type)));
      return liftBinary(op, cx, (a, b) => r(f(a as number, b as number)));
    },
  };
}

/** maxnumf/minnumf: +0 vs -0 may come out either way on a target, so such results are tainted. */
function numOp(f: (a: number, b: number) => number): OpSem {
  return {
    enablesTaint: () => true,
    compile: (op, cx) => {
      floatName(op, elemKindOf(op.results[0]!.type));
      const [a, b] = cx.slotsOf(op.operands) as [number, number];
      const d = cx.slot(op.results[0]!);
      if (op.operands[0]!.type.kind === 'vector')
        return (fr) => {
          const x = fr.r[a] as number[];
          const y = fr.r[b] as number[];
          const out = new Array<number>(x.length);
          for (let k = 0; k < x.length; k++) {
            if (signedZeroTie(x[k]!, y[k]!)) fr.st.extraT = 1;
            out[k] = f(x[k]!, y[k]!);
          }
          fr.r[d] = out;
        };
      return (fr) => {
        const x = fr.r[a] as number;
        const y = fr.r[b] as number;
        if (signedZeroTie(x, y)) fr.st.extraT = 1;
        fr.r[d] = f(x, y);
      };
    },
  };
}

function constantValue(op: Operation): () => Val {
  const t = op.results[0]!.type;
  const a = prop(op, 'value');
  if (a === undefined) unsupported(op, 'arith.constant without a value');
  let v: Val;
  try {
    if (t.kind === 'vector') {
      if (a.kind !== 'dense') unsupported(op, 'vector constant that is not a dense attribute');
      v = denseElements(a, numElements(t.shape));
    } else if (a.kind === 'int') v = scalarFromAttrValue(t, a.value);
    else if (a.kind === 'float') v = scalarFromAttrValue(t, a.bits);
    else unsupported(op, `arith.constant with a ${a.kind} attribute`);
  } catch (e) {
    // An index constant outside int32 is UB only if it executes.
    if (e instanceof UbSignal) return () => ub(e.ub, e.message);
    throw e;
  }
  return () => v;
}

const T = -1;

function castSem(conv: (op: Operation, from: ElemKind, to: ElemKind) => (x: Scalar) => Scalar): OpSem {
  return {
    compile: (op, cx) => {
      const from = elemKindOf(op.operands[0]!.type);
      const to = elemKindOf(op.results[0]!.type);
      return liftUnary(op, cx, conv(op, from, to));
    },
  };
}

/** Sign- or zero-extension and truncation between integer kinds (index counts as 64 bits). */
function intResize(op: Operation, from: ElemKind, to: ElemKind, signed: boolean): (x: Scalar) => Scalar {
  if (from.k === 'f' || to.k === 'f') unsupported(op, `${op.name} between non-integer types`);
  const flags = overflowFlags(op);
  const wf = from.w;
  const wt = to.w;
  if (wt >= wf) {
    if (signed) {
      if (to.k === 'b') return (x) => (typeof x === 'bigint' ? x : BigInt(x));
      if (to.k === 'x') return (x) => checkIndex(Number(x));
      return (x) => x;
    }
    if (from.k === 'n') {
      if (to.k === 'n') return (x) => uN(wf, x as number);
      if (to.k === 'x') return (x) => checkIndex(uN(wf, x as number));
      return (x) => BigInt(uN(wf, x as number));
    }
    // Zero-extended into 64 bits: from i64 that is the same bits, read as index's signed value.
    if (to.k === 'x') return (x) => checkIndex(Number(BigInt.asIntN(64, BigInt.asUintN(wf, BigInt(x)))));
    return (x) => BigInt.asUintN(wf, BigInt(x));
  }
  // Truncation: nsw requires the dropped bits to copy the sign bit, nuw requires them to be zero.
  const check = (x: Scalar, r: Scalar): void => {
    if (flags.nsw && BigInt(r) !== BigInt(x)) ub('nsw-overflow', `${op.name}: ${x} does not fit i${wt} under nsw`);
    if (flags.nuw && BigInt.asUintN(wf, BigInt(x)) !== BigInt.asUintN(wt, BigInt(x)))
      ub('nuw-overflow', `${op.name}: ${x} does not fit unsigned i${wt} under nuw`);
  };
  const any = flags.nsw || flags.nuw;
  let f: (x: Scalar) => Scalar;
  if (to.k === 'n') f = from.k === 'b' ? (x) => Number(BigInt.asIntN(wt, x as bigint)) : (x) => sextN(wt, x as number);
  else if (to.k === 'b') f = (x) => BigInt.asIntN(wt, BigInt(x));
  else f = (x) => checkIndex(Number(BigInt.asIntN(64, BigInt(x))));
  if (!any) return f;
  return (x) => {
    const r = f(x);
    check(x, r);
    return r;
  };
}

function bitcast(_op: Operation, from: ElemKind, to: ElemKind): (x: Scalar) => Scalar {
  const nan = (): never => ub('nondeterministic-nan', 'arith.bitcast of a NaN: its sign and payload differ between targets');
  const toBits = (k: ElemKind): ((x: Scalar) => bigint) => {
    if (k.k !== 'f') return (x) => BigInt.asUintN(k.w, BigInt(x));
    const name = k.name;
    return (x) => {
      const v = x as number;
      if (v !== v) nan();
      return name === 'f64' ? f64Bits(v) : BigInt(name === 'f32' ? f32Bits(v) : name === 'f16' ? f16Bits(v) : bf16Bits(v));
    };
  };
  const fromBits = (k: ElemKind): ((b: bigint) => Scalar) => {
    if (k.k === 'f') {
      const name = k.name;
      return (b) => (name === 'f64' ? f64FromBits(b) : name === 'f32' ? f32FromBits(Number(b)) : name === 'f16' ? f16FromBits(Number(b)) : bf16FromBits(Number(b)));
    }
    if (k.k === 'n') return (b) => sextN(k.w, Number(b));
    if (k.k === 'x') return (b) => checkIndex(Number(BigInt.asIntN(64, b)));
    return (b) => BigInt.asIntN(k.w, b);
  };
  if (from.k !== 'f' && to.k !== 'f' && from.w === to.w && from.k === to.k) return (x) => x;
  if (from.k === 'f' && to.k === 'n' && from.name === 'f32')
    return (x) => {
      const v = x as number;
      if (v !== v) nan();
      return f32Bits(v) | 0;
    };
  if (from.k === 'n' && to.k === 'f' && to.name === 'f32') return (x) => f32FromBits((x as number) >>> 0);
  const tb = toBits(from);
  const fb = fromBits(to);
  return (x) => fb(tb(x));
}

function selectSem(op: Operation, cx: Cx): Instr {
  const [c, a, b] = cx.slotsOf(op.operands) as [number, number, number];
  const d = cx.slot(op.results[0]!);
  if (op.operands[0]!.type.kind === 'vector')
    return (fr) => {
      const cv = fr.r[c] as Vec;
      const x = fr.r[a] as Vec;
      const y = fr.r[b] as Vec;
      const out = new Array<Scalar>(cv.length);
      for (let k = 0; k < cv.length; k++) out[k] = cv[k] !== 0 ? x[k]! : y[k]!;
      fr.r[d] = out;
    };
  if (!cx.taint)
    return (fr) => {
      fr.r[d] = fr.r[c] !== 0 ? fr.r[a]! : fr.r[b]!;
    };
  // With taint, only the chosen operand (and the condition) taints the result.
  return (fr) => {
    const pick = fr.r[c] !== 0 ? a : b;
    fr.r[d] = fr.r[pick]!;
    const t = fr.t!;
    t[d] = t[pick]! | t[c]! | fr.pc;
  };
}

function extended(op: Operation, cx: Cx, kind: 'addui' | 'mului' | 'mulsi'): Instr {
  const k = elemKindOf(op.operands[0]!.type);
  if (k.k === 'f') unsupported(op, `${op.name} on floats`);
  const w = BigInt(k.w);
  const out = (v: bigint): Scalar => (k.k === 'b' ? BigInt.asIntN(k.w, v) : k.k === 'x' ? checkIndex(Number(BigInt.asIntN(64, v))) : Number(BigInt.asIntN(k.w, v)));
  const u = (x: Scalar): bigint => BigInt.asUintN(k.w, BigInt(x));
  return liftMulti(op, cx, ([a, b]) => {
    if (kind === 'addui') {
      const s = u(a!) + u(b!);
      return [out(s), s >> w !== 0n ? T : 0];
    }
    const full = kind === 'mului' ? u(a!) * u(b!) : BigInt(a!) * BigInt(b!);
    return [out(full), out(full >> w)];
  });
}

defineOps({
  'arith.constant': {
    compile: (op, cx) => {
      const d = cx.slot(op.results[0]!);
      const get = constantValue(op);
      const v = (() => {
        try {
          return get();
        } catch {
          return undefined;
        }
      })();
      if (v !== undefined)
        return (fr) => {
          fr.r[d] = v;
        };
      return (fr) => {
        fr.r[d] = get();
      };
    },
  },
  'arith.addi': intOp('addi'),
  'arith.subi': intOp('subi'),
  'arith.muli': intOp('muli'),
  'arith.divsi': intOp('divsi'),
  'arith.divui': intOp('divui'),
  'arith.remsi': intOp('remsi'),
  'arith.remui': intOp('remui'),
  'arith.ceildivsi': intOp('ceildivsi'),
  'arith.ceildivui': intOp('ceildivui'),
  'arith.floordivsi': intOp('floordivsi'),
  'arith.andi': intOp('andi'),
  'arith.ori': intOp('ori'),
  'arith.xori': intOp('xori'),
  'arith.shli': intOp('shli'),
  'arith.shrsi': intOp('shrsi'),
  'arith.shrui': intOp('shrui'),
  'arith.maxsi': intOp('maxsi'),
  'arith.maxui': intOp('maxui'),
  'arith.minsi': intOp('minsi'),
  'arith.minui': intOp('minui'),
  'arith.addui_extended': { compile: (op, cx) => extended(op, cx, 'addui') },
  'arith.mului_extended': { compile: (op, cx) => extended(op, cx, 'mului') },
  'arith.mulsi_extended': { compile: (op, cx) => extended(op, cx, 'mulsi') },
  'arith.cmpi': {
    compile: (op, cx) => {
      const k = elemKindOf(op.operands[0]!.type);
      return liftBinary(op, cx, intCmp(intProp(op, 'predicate'), k));
    },
  },
  'arith.cmpf': {
    compile: (op, cx) => liftBinary(op, cx, floatCmp(intProp(op, 'predicate')) as (a: Scalar, b: Scalar) => Scalar),
  },
  'arith.select': { compile: selectSem, taint: 'self' },
  'arith.addf': floatOp((a, b) => a + b),
  'arith.subf': floatOp((a, b) => a - b),
  'arith.mulf': floatOp((a, b) => a * b),
  'arith.divf': floatOp((a, b) => a / b),
  // fmod is exact, so the result is representable and rounding is the identity.
  'arith.remf': floatOp((a, b) => a % b),
  'arith.maximumf': floatOp(maximumf),
  'arith.minimumf': floatOp(minimumf),
  'arith.maxnumf': numOp(maxnumf),
  'arith.minnumf': numOp(minnumf),
  'arith.negf': { compile: (op, cx) => liftUnary(op, cx, (a) => -(a as number)) },
  'arith.extsi': castSem((op, f, t) => intResize(op, f, t, true)),
  'arith.extui': castSem((op, f, t) => intResize(op, f, t, false)),
  'arith.trunci': castSem((op, f, t) => intResize(op, f, t, true)),
  'arith.index_cast': castSem((op, f, t) => intResize(op, f, t, true)),
  'arith.index_castui': castSem((op, f, t) => intResize(op, f, t, false)),
  'arith.sitofp': castSem((op, f, t) => {
    const name = floatName(op, t);
    return (x) => intToFloat(f, name, x, false);
  }),
  'arith.uitofp': castSem((op, f, t) => {
    const name = floatName(op, t);
    return (x) => intToFloat(f, name, x, true);
  }),
  'arith.fptosi': castSem((op, f, t) => {
    floatName(op, f);
    return (x) => floatToInt(t, x as number, false, 'arith.fptosi');
  }),
  'arith.fptoui': castSem((op, f, t) => {
    floatName(op, f);
    return (x) => floatToInt(t, x as number, true, 'arith.fptoui');
  }),
  'arith.extf': castSem((op, f, t) => {
    floatName(op, f);
    floatName(op, t);
    return (x) => x;
  }),
  'arith.truncf': castSem((op, f, t) => {
    floatName(op, f);
    const mode = prop(op, 'roundingmode');
    if (mode !== undefined && !(mode.kind === 'dialect' && /to_nearest_even/.test(mode.body)) && !(mode.kind === 'int' && mode.value === 0n))
      unsupported(op, 'arith.truncf with a rounding mode other than to_nearest_even');
    const r = rounder(floatName(op, t));
    return (x) => r(x as number);
  }),
  'arith.bitcast': castSem(bitcast),
});

