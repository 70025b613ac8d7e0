// Points an operand at another dominating value of the same type. Only free uses are rewired (op-safety.ts: a total
// position, with nsw/nuw/exact dropped from the op, whose effect nothing sensitive relies on), so what changes
// downstream never reaches a divisor, an index, a bound or a flag.
import { typeEq } from '../../ir/types.ts';
import type { IrMutator } from './mutator.ts';
import { constrainedValues, dropPoisonFlags, isFreeUse } from './op-safety.ts';
import { allOps, cloneProgram, dominatingValues, pickOne } from './structural-edit.ts';

export const rewireOperand: IrMutator = {
  name: 'rewire-operand',
  mutate(input, ctx) {
    const r = ctx.random;
    const p = cloneProgram(input);
    const constrained = constrainedValues(p.module);
    const slots = allOps(p.module).flatMap((op) => op.operands.map((v, k) => ({ op, k, v })).filter(({ op, k }) => isFreeUse(op, k, constrained)));
    // Rewiring a random slot often finds no other value of its type: try a few.
    for (let tries = 0; tries < 8 && slots.length; tries++) {
      const { op, k, v } = r.pick(slots);
      const to = pickOne(r, dominatingValues(op).filter((x) => x !== v && typeEq(x.type, v.type)));
      if (!to) continue;
      dropPoisonFlags(op);
      op.setOperand(k, to);
      return p;
    }
    return undefined;
  },
};
