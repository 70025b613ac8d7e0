// Raises an scf.for with constant index bounds to an affine.for with constant bound maps. Same trip count, same
// induction values, same body, so nothing new can be UB; the induction variable only gains validity as an affine
// dim, and values valid as symbols stay valid (affine.for opens no new affine scope).
import { affineMap, cst } from '../../ir/affine.ts';
import { denseArray, intAttr, mapAttr } from '../../ir/attributes.ts';
import { Operation, Region } from '../../ir/core.ts';
import type { Value } from '../../ir/core.ts';
import { i32, index } from '../../ir/types.ts';
import type { IrMutator } from './mutator.ts';
import { allOps, cloneProgram, pickOne } from './structural-edit.ts';

function constantOf(v: Value): bigint | undefined {
  const d = v.definingOp;
  const a = d?.name === 'arith.constant' ? d.props.value : undefined;
  return a?.kind === 'int' ? a.value : undefined;
}

function convertible(op: Operation): boolean {
  return op.name === 'scf.for' && op.operands[0]!.type.kind === 'index' && op.operands.slice(0, 3).every((v) => constantOf(v) !== undefined) && constantOf(op.operands[2]!)! > 0n;
}

export const scfToAffine: IrMutator = {
  name: 'scf-to-affine',
  mutate(input, ctx) {
    const p = cloneProgram(input);
    const op = pickOne(ctx.random, allOps(p.module).filter(convertible));
    if (!op) return undefined;
    const [lb, ub, step] = op.operands.slice(0, 3).map((v) => constantOf(v)!) as [bigint, bigint, bigint];
    const inits = op.operands.slice(3);
    const loop = new Operation('affine.for', [...inits], op.results.map((r) => r.type), {
      lowerBoundMap: mapAttr(affineMap(0, 0, [cst(lb)])),
      upperBoundMap: mapAttr(affineMap(0, 0, [cst(ub)])),
      step: intAttr(step, index),
      operandSegmentSizes: denseArray(i32, [0, 0, inits.length]),
    }, [new Region()]);
    loop.insertBefore(op);
    loop.regions[0]!.takeBody(op.regions[0]!);
    const y = loop.regions[0]!.blocks[0]!.terminator!;
    new Operation('affine.yield', [...y.operands], []).insertBefore(y);
    y.erase();
    op.results.forEach((r, k) => r.replaceAllUsesWith(loop.results[k]!));
    op.erase();
    return p;
  },
};
