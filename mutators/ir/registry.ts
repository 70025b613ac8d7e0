// Every IR mutator, with its weight (libFuzzer's named table). Weights are data: a campaign may tune them.
import { addIterArgs } from './add-iter-args.ts';
import { affineToScf } from './affine-to-scf.ts';
import { changeLoopBounds } from './change-loop-bounds.ts';
import { crossover } from './crossover.ts';
import { deleteOp } from './delete-op.ts';
import { inlineCall } from './inline-call.ts';
import { insertMemoryOps } from './insert-memory-ops.ts';
import { insertSubtree } from './insert-subtree.ts';
import { insertVectorOps } from './insert-vector-ops.ts';
import { mutateAttribute } from './mutate-attribute.ts';
import { mutateConstant } from './mutate-constant.ts';
import type { IrMutationContext, IrMutator, IrProgram } from './mutator.ts';
import { outlineRegion } from './outline-region.ts';
import { replaceOp } from './replace-op.ts';
import { rewireOperand } from './rewire-operand.ts';
import { scfToAffine } from './scf-to-affine.ts';
import { wrapInIf } from './wrap-in-if.ts';
import { wrapInLoops } from './wrap-in-loops.ts';

export const IR_MUTATORS: readonly (readonly [weight: number, mutator: IrMutator])[] = [
  [3, insertSubtree],
  [2, wrapInLoops],
  [1.5, wrapInIf],
  [2, changeLoopBounds],
  [1.5, addIterArgs],
  [2, insertMemoryOps],
  [2, insertVectorOps],
  [2, mutateConstant],
  [1.5, mutateAttribute],
  [2, rewireOperand],
  [2, replaceOp],
  [2, deleteOp],
  [1.5, crossover],
  [0.5, inlineCall],
  [1, outlineRegion],
  [1, affineToScf],
  [1, scfToAffine],
];

/**
 * Applies up to `count` mutators in a row (each drawn by weight; one that does not apply is skipped) and names those
 * that did, in order: the lineage stored with the program. Undefined when none applied.
 */
export function mutateProgram(p: IrProgram, ctx: IrMutationContext, count: number): { program: IrProgram; mutators: string[] } | undefined {
  let program = p;
  const mutators: string[] = [];
  for (let tries = 0; mutators.length < count && tries < count * 4; tries++) {
    const m = ctx.random.weighted(IR_MUTATORS);
    const out = m.mutate(program, ctx);
    if (!out) continue;
    program = out;
    mutators.push(m.name);
  }
  return mutators.length ? { program, mutators } : undefined;
}
