// Constants, biased toward the boundary values compilers get wrong.
import type { Value } from '../../ir/core.ts';
import { floatFromBits } from '../../numeric/float.ts';
import type { FloatType, IntType, ScalarType } from '../../ir/types.ts';
import type { GenContext } from './context.ts';

export function boundaryInts(width: number): bigint[] {
  const w = BigInt(width);
  const min = -(1n << (w - 1n));
  const max = (1n << (w - 1n)) - 1n;
  // Shift amounts next to the width matter for shifts; the others for overflow and division.
  return [0n, 1n, -1n, min, max, min + 1n, max - 1n, w - 1n, w, w + 1n, 2n];
}

export function intConstant(ctx: GenContext, t: IntType): Value {
  const r = ctx.rand;
  const v = ctx.chance('boundaryInt') ? r.pick(boundaryInts(t.width)) : BigInt(r.int(-9, 9));
  return ctx.constInt(t, v);
}

const SPECIAL_F32 = [0x7f7fffff, 0x00800000, 0x00000001, 0x7f800000, 0xff800000, 0x7fc00000];

export function floatConstant(ctx: GenContext, t: FloatType): Value {
  const r = ctx.rand;
  const choice = r.int(0, 9);
  let x: number;
  if (choice === 0) x = -0.0;
  else if (choice === 1) x = r.pick([0.0, 1.0, -1.0, 0.5, 2.0, -2.5]);
  else if (choice === 2 && t.name !== 'f16' && t.name !== 'bf16') x = floatFromBits('f32', BigInt(r.pick(SPECIAL_F32)));
  else x = r.int(-32, 32) / 8;
  const v = ctx.constFloat(t, x);
  if (!Number.isNaN(x)) ctx.setFacts(v, { noNaN: true });
  return v;
}

export function scalarConstant(ctx: GenContext, t: ScalarType): Value {
  if (t.kind === 'float') return floatConstant(ctx, t);
  if (t.kind === 'index') return ctx.constIndex(ctx.rand.int(0, 8));
  return intConstant(ctx, t);
}
