// Inlines a call of a private single-block callee: the body is copied in front of the call with the arguments
// mapped to the call's operands, and the call's results become the returned values. The same ops run on the same
// values, so nothing new can be UB. A callee with affine ops is inlined only at a function's top level: its
// top-level values may be affine symbols, which they stay only at the top level of the caller.
import { IrMapping } from '../../ir/core.ts';
import type { Operation } from '../../ir/core.ts';
import type { IrMutator } from './mutator.ts';
import { calleeOf } from './op-safety.ts';
import { allOps, cloneProgram, pickOne } from './structural-edit.ts';

function inlinable(call: Operation): Operation | undefined {
  if (call.name !== 'func.call') return undefined;
  const f = calleeOf(call);
  if (!f || f.props.sym_visibility?.kind !== 'string' || f.regions[0]!.blocks.length !== 1) return undefined;
  const topLevel = call.parentOp?.name === 'func.func';
  for (const op of f.walk()) {
    // Allocas die when the callee returns; inlined, they would live on in the caller's frame.
    if (op.name === 'memref.alloca') return undefined;
    if (op.dialect === 'affine' && !topLevel) return undefined;
  }
  return f;
}

export const inlineCall: IrMutator = {
  name: 'inline-call',
  mutate(input, ctx) {
    const p = cloneProgram(input);
    const call = pickOne(ctx.random, allOps(p.module).filter((op) => inlinable(op) !== undefined));
    if (!call) return undefined;
    const body = inlinable(call)!.regions[0]!.blocks[0]!;
    const mapping = new IrMapping();
    body.args.forEach((a, k) => mapping.map(a, call.operands[k]!));
    for (const op of body.ops.slice(0, -1)) op.clone(mapping).insertBefore(call);
    const ret = body.terminator!;
    call.results.forEach((r, k) => r.replaceAllUsesWith(mapping.lookup(ret.operands[k]!)));
    call.erase();
    return p;
  },
};
