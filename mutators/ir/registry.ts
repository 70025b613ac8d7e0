// Every IR mutator, with its weight (libFuzzer's named table). Weights are data: a campaign may tune them.
import { addIterArgs } from './add-iter-args.ts';
import { changeLoopBounds } from './change-loop-bounds.ts';
import { insertMemoryOps } from './insert-memory-ops.ts';
import { insertSubtree } from './insert-subtree.ts';
import { insertVectorOps } from './insert-vector-ops.ts';
import type { IrMutationContext, IrMutator, IrProgram } from './mutator.ts';
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
