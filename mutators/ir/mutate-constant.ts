// Changes the value of an arith.constant to a boundary value compilers get wrong (0, ±1, min, max, powers of two,
// small deltas; for floats ±0, ±inf, NaN, denormals, the largest finite), element-wise in dense vectors. Only
// constants no sensitive op relies on (op-safety.ts) change, so the new value cannot cause UB.
import type { Attr } from '../../ir/attributes.ts';
import { denseAttr, floatAttrBits, intAttr } from '../../ir/attributes.ts';
import type { FloatType, Type } from '../../ir/types.ts';
import { numElements } from '../../ir/types.ts';
import type { Rand } from '../generate/rand.ts';
import { boundaryInts } from '../generate/constants.ts';
import type { IrMutator } from './mutator.ts';
import { constrainedValues } from './op-safety.ts';
import { allOps, cloneProgram, pickOne } from './structural-edit.ts';

/** Exponent and mantissa widths, for special bit patterns. */
const LAYOUT: Record<FloatType['name'], readonly [exp: number, mant: number]> = { f16: [5, 10], bf16: [8, 7], f32: [8, 23], f64: [11, 52] };

/** Special float bit patterns of `t`, and small neighbours of `old` (sign flip, next bit patterns). */
function floatCandidates(t: FloatType, old: bigint): bigint[] {
  const [e, m] = LAYOUT[t.name];
  const mant = BigInt(m);
  const sign = 1n << BigInt(e + m);
  const inf = ((1n << BigInt(e)) - 1n) << mant;
  const maxFinite = inf - 1n;
  const minNormal = 1n << mant;
  const one = ((1n << BigInt(e - 1)) - 1n) << mant;
  const mask = (sign << 1n) - 1n;
  const specials = [0n, sign, one, one | sign, inf, inf | sign, inf | (1n << (mant - 1n)), 1n, minNormal - 1n, minNormal, maxFinite, maxFinite | sign, one + (1n << mant)];
  return [...specials, old ^ sign, (old + 1n) & mask, (old - 1n) & mask];
}

function intCandidates(width: number, old: bigint): bigint[] {
  const pow2 = Array.from({ length: Math.min(width, 64) }, (_, k) => 1n << BigInt(k));
  return [...boundaryInts(width), ...pow2.slice(0, 8), old + 1n, old - 1n, old + 2n, old - 2n, -old, old * 2n];
}

/** A new scalar element (a signed integer or float bits) of element type `t`, different from `old`. */
function newElement(r: Rand, t: Type, old: bigint): bigint | undefined {
  if (t.kind === 'int') {
    const norm = (v: bigint) => BigInt.asIntN(t.width, v);
    return pickOne(r, [...new Set(intCandidates(t.width, old).map(norm))].filter((v) => v !== norm(old)));
  }
  if (t.kind === 'float') return pickOne(r, [...new Set(floatCandidates(t, old))].filter((v) => v !== old));
  return undefined;
}

function newValue(r: Rand, a: Attr): Attr | undefined {
  if (a.kind === 'int' && a.type.kind === 'int') {
    const v = newElement(r, a.type, a.value);
    return v === undefined ? undefined : intAttr(v, a.type);
  }
  if (a.kind === 'float') {
    const v = newElement(r, a.type, a.bits);
    return v === undefined ? undefined : floatAttrBits(v, a.type);
  }
  if (a.kind === 'dense' && a.type.kind === 'vector') {
    const n = numElements(a.type.shape);
    const values = a.splat ? Array.from({ length: n }, () => a.values[0]!) : [...a.values];
    const k = r.int(0, n - 1);
    const v = newElement(r, a.type.elem, values[k]!);
    if (v === undefined) return undefined;
    // Sometimes the whole splat changes, sometimes one lane (which breaks the splat).
    if (a.splat && r.chance(0.5)) values.fill(v);
    else values[k] = v;
    return denseAttr(a.type, values);
  }
  return undefined;
}

export const mutateConstant: IrMutator = {
  name: 'mutate-constant',
  mutate(input, ctx) {
    const p = cloneProgram(input);
    const constrained = constrainedValues(p.module);
    const op = pickOne(ctx.random, allOps(p.module).filter((o) => o.name === 'arith.constant' && !constrained.has(o.result)));
    if (!op) return undefined;
    const value = newValue(ctx.random, op.props.value!);
    if (!value) return undefined;
    op.props = { ...op.props, value };
    return p;
  },
};
