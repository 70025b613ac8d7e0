// Wraps a run of statements in scf.if or affine.if on a generated condition, sometimes with a generated else
// branch. The run may now not execute at all, so context.ts `wrappable` picks the runs for which that is fine.
import { add, cst, mod, mul } from '../../ir/affine.ts';
import { setAttr } from '../../ir/attributes.ts';
import { Block, deferEditChecks, Operation, Region } from '../../ir/core.ts';
import { i1 } from '../../ir/types.ts';
import { AffineOperands, linear } from '../generate/affine-exprs.ts';
import type { GenContext } from '../generate/context.ts';
import { condition, exactOnly, operand } from '../generate/scalar.ts';
import { statements } from '../generate/statements.ts';
import { contextAt, pickRun, runOps } from './context.ts';
import type { IrMutator } from './mutator.ts';

/** An else branch of generated statements, or an empty region. */
function elseRegion(ctx: GenContext, terminator: string): Region {
  if (!ctx.canNest(1) || !ctx.rand.chance(0.4)) return new Region();
  const block = new Block();
  ctx.nested(1, () =>
    ctx.inScope(block, () => {
      statements(ctx, ctx.rand.int(1, 3));
      ctx.emitDeallocs();
      ctx.b.create(terminator);
    }),
  );
  return new Region([block]);
}

/** Up to three `expr >= c`, `expr <= c`, `expr even` or `expr == c` constraints, as the generator's affine.if. */
function integerSet(ctx: GenContext): { set: ReturnType<typeof setAttr>; operands: AffineOperands } {
  const r = ctx.rand;
  const ops = new AffineOperands();
  const constraints = Array.from({ length: r.int(1, 3) }, () => {
    const e = linear(ctx, ops);
    const c = BigInt(r.int(-2, 5));
    const kind = r.int(0, 3);
    if (kind === 0) return { expr: add(e, cst(-c)), eq: false };
    if (kind === 1) return { expr: add(mul(e, cst(-1)), cst(c)), eq: false };
    if (kind === 2) return { expr: mod(e, cst(2)), eq: true };
    return { expr: add(e, cst(-c)), eq: true };
  });
  return { set: setAttr({ dims: ops.dims.length, syms: ops.syms.length, constraints }), operands: ops };
}

export const wrapInIf: IrMutator = {
  name: 'wrap-in-if',
  mutate(input, { random, weights }) {
    const module = input.module.clone();
    const run = pickRun(module, random, 6);
    if (!run) return undefined;
    const ops = runOps(run);
    deferEditChecks(() => {
      const pc = contextAt(module, { block: run.block, index: run.start }, random, weights, 12);
      const ctx = pc.ctx;
      const then = new Block();
      const affine = random.chance(0.4);
      const terminator = affine ? 'affine.yield' : 'scf.yield';
      then.append(new Operation(terminator, [], []));
      if (affine) {
        const { set, operands } = integerSet(ctx);
        ctx.b.create('affine.if', { operands: operands.operands, regions: [new Region([then]), elseRegion(ctx, terminator)], props: { condition: set } });
      } else {
        const c = random.chance(0.5) ? condition(ctx) : operand(ctx, i1, exactOnly(ctx));
        ctx.b.create('scf.if', { operands: [c], regions: [new Region([then]), elseRegion(ctx, terminator)] });
      }
      pc.commit();
      for (const op of ops) op.moveBefore(then.terminator!);
    });
    return { module, args: input.args };
  },
};
