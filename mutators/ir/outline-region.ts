// Outlines a run of consecutive ops into a new private callee: values the run uses from outside become its
// arguments, values used after the run its results, and the run becomes one func.call. The same ops run on the
// same values, so nothing new can be UB; arguments of a function are valid affine symbols, so affine ops inside
// stay valid. Runs whose results include a memref are left alone (an alloca would die with the callee's frame), and
// so are runs whose results feed affine ops (a call result is never an affine dim).
import { strAttr, symbolRef, typeAttr } from '../../ir/attributes.ts';
import { Block, IrMapping, Operation, Region } from '../../ir/core.ts';
import type { Value } from '../../ir/core.ts';
import { DYNAMIC, fn } from '../../ir/types.ts';
import type { Type } from '../../ir/types.ts';
import { constrainedValues } from './op-safety.ts';
import type { IrMutator } from './mutator.ts';
import { allOps, allocationOf, cloneProgram, pickOne } from './structural-edit.ts';

/** Whether `v` is defined by one of `run`'s ops or inside one of them. */
function definedIn(run: readonly Operation[], v: Value): boolean {
  const def = v.definingOp ?? v.parentBlock?.parentOp;
  return def !== undefined && run.some((op) => op.isAncestorOf(def));
}

const isIntOrFloat = (t: Type): boolean => t.kind === 'int' || t.kind === 'float';

function freshName(module: Operation): string {
  const taken = new Set(module.regions[0]!.blocks[0]!.ops.map((op) => (op.props.sym_name?.kind === 'string' ? op.props.sym_name.value : '')));
  let k = 0;
  while (taken.has(`outlined${k}`)) k++;
  return `outlined${k}`;
}

export const outlineRegion: IrMutator = {
  name: 'outline-region',
  mutate(input, ctx) {
    const r = ctx.random;
    const p = cloneProgram(input);
    const blocks = allOps(p.module).filter((op) => op.name !== 'builtin.module').flatMap((op) => op.regions.flatMap((rg) => rg.blocks)).filter((b) => b.ops.length > 1);
    for (let tries = 0; tries < 4; tries++) {
      const block = pickOne(r, blocks);
      if (!block) return undefined;
      const n = block.ops.length - 1; // the terminator stays
      const start = r.int(0, n - 1);
      const run = block.ops.slice(start, start + r.int(1, Math.min(6, n - start)));
      const inputs: Value[] = [];
      for (const op of run) for (const inner of op.walk()) for (const v of inner.operands) if (!definedIn(run, v) && !inputs.includes(v)) inputs.push(v);
      const outputs = run.flatMap((op) => op.results).filter((v) => v.uses.some((u) => !run.some((op) => op.isAncestorOf(u.owner))));
      // A call result is an affine symbol only at a function's top level, never a dim: affine users stay put.
      if (outputs.some((v) => v.type.kind === 'memref' || v.type.kind === 'umemref' || v.users.some((u) => u.dialect === 'affine'))) continue;
      // A loop that initialises an allocation stays beside it: mutators that shorten loops (delete-op,
      // change-loop-bounds) recognise initialisers by the allocation they write, which a callee sees as an argument.
      if (inputs.some((v) => allocationOf(v) !== undefined)) continue;
      const name = freshName(p.module);
      const entry = new Block(inputs.map((v) => v.type));
      const mapping = new IrMapping();
      inputs.forEach((v, k) => mapping.map(v, entry.args[k]!));
      for (const op of run) entry.append(op.clone(mapping));
      entry.append(new Operation('func.return', outputs.map((v) => mapping.lookup(v)), []));
      const type = fn(inputs.map((v) => v.type), outputs.map((v) => v.type));
      const callee = new Operation('func.func', [], [], { function_type: typeAttr(type), sym_name: strAttr(name), sym_visibility: strAttr('private') }, [new Region([entry])]);
      // Like a generated callee, it must rely on no scalar argument and index its buffers by their static type:
      // other mutators (crossover, insert-subtree's calls) call private callees with any values of those types.
      // Its signature stays one the generator could have drawn: int and float scalars, static buffers.
      const relied = constrainedValues(callee);
      if (entry.args.some((a) => (a.type.kind === 'memref' ? a.type.shape.includes(DYNAMIC) : !isIntOrFloat(a.type) || relied.has(a)))) continue;
      if (!outputs.every((v) => isIntOrFloat(v.type))) continue;
      // The callee goes right before the function holding the run, so the module still reads callees first.
      let fnOp = run[0]!;
      while (fnOp.parentOp && fnOp.parentOp.name !== 'builtin.module') fnOp = fnOp.parentOp;
      callee.insertBefore(fnOp);
      const call = new Operation('func.call', [...inputs], type.results, { callee: symbolRef(name) });
      call.insertBefore(run[0]!);
      outputs.forEach((v, k) => v.replaceAllUsesWith(call.results[k]!));
      for (const op of [...run].reverse()) op.erase();
      return p;
    }
    return undefined;
  },
};
