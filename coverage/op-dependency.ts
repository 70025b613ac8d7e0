// Program-side features (MLIRod's op-dependency coverage, DESIGN §8): which ops a program holds and which feed
// which. Computed on the *input* program in the fuzz worker, not on mlir-opt's output: after the lowering suffix
// the output holds only llvm.* ops, whose def-use pairs say little about what the pipeline under test was given.
import type { Operation } from '../ir/core.ts';

/**
 * `op:<name>` per op, `dep:<a>><b>` per operand of op b defined by op a, and `dep:^<a>><b>` per operand of b
 * that is a block argument of a region of op a (a loop's induction variable, a function's argument), with counts.
 * The module op itself is left out.
 */
export function opDependencyFeatures(module: Operation, into: Map<string, number> = new Map()): Map<string, number> {
  const add = (f: string): void => void into.set(f, (into.get(f) ?? 0) + 1);
  const visit = (op: Operation): void => {
    for (const r of op.regions) {
      for (const b of r.blocks) {
        for (const inner of b.ops) {
          add(`op:${inner.name}`);
          for (const v of inner.operands) {
            const def = v.definingOp;
            if (def) add(`dep:${def.name}>${inner.name}`);
            else {
              const owner = v.parentBlock?.parentOp;
              if (owner) add(`dep:^${owner.name}>${inner.name}`);
            }
          }
          visit(inner);
        }
      }
    }
  };
  visit(module);
  return into;
}
