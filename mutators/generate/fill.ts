// Initialises a fresh allocation with a loop nest (scf or affine), since reading uninitialised memory is UB.
import { affineMap, cst } from '../../ir/affine.ts';
import { denseArray, intAttr, mapAttr } from '../../ir/attributes.ts';
import { Block, Region } from '../../ir/core.ts';
import type { Value } from '../../ir/core.ts';
import { i32, index } from '../../ir/types.ts';
import type { Buffer, GenContext } from './context.ts';
import { convert } from './convert.ts';
import { scalarConstant } from './constants.ts';

export function fillBuffer(ctx: GenContext, b: Buffer): void {
  const useAffine = ctx.chance('fillAffine');
  const constant = ctx.chance('fillConstant') ? scalarConstant(ctx, b.elem as never) : undefined;
  const nest = (d: number, ivs: Value[]): void => {
    if (d === b.shape.length) {
      // Either one constant everywhere, or a value derived from the position (distinct elements catch index bugs).
      const v = constant ?? convert(ctx, ivs[ivs.length - 1]!, b.elem);
      if (useAffine) ctx.op('affine.store', [v, b.value, ...ivs], [], { map: mapAttr(affineMap(ivs.length, 0, ivs.map((_, k) => ({ k: 'dim', i: k }) as const))) });
      else ctx.op('memref.store', [v, b.value, ...ivs], []);
      return;
    }
    const n = b.shape[d]!;
    const block = new Block([index]);
    ctx.inScope(block, () => {
      const iv = block.args[0]!;
      ctx.setFacts(iv, { range: [0n, BigInt(Math.max(0, n - 1))], ...(useAffine && { affine: 'dim' as const }) });
      ctx.define(iv);
      nest(d + 1, [...ivs, iv]);
      ctx.b.create(useAffine ? 'affine.yield' : 'scf.yield');
    });
    if (useAffine) {
      ctx.b.create('affine.for', {
        regions: [new Region([block])],
        props: {
          lowerBoundMap: mapAttr(affineMap(0, 0, [cst(0)])),
          upperBoundMap: mapAttr(affineMap(0, 0, [cst(n)])),
          step: intAttr(1, index),
          operandSegmentSizes: denseArray(i32, [0, 0, 0]),
        },
      });
    } else {
      ctx.b.create('scf.for', { operands: [ctx.constIndex(0), ctx.constIndex(n), ctx.constIndex(1)], regions: [new Region([block])] });
    }
    ctx.limits.budget--;
  };
  nest(0, []);
}
