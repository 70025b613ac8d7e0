// Replaces an op with another of the same shape (addi -> xori, divsi -> remui, addf -> maximumf, sqrt -> floor...)
// where nothing sensitive relies on its result (op-safety.ts). Groups keep UB-freedom: the integer ops of one
// group are total; shifts keep their proven amount; a signed division's divisor was proven non-zero and safe
// from INT_MIN / -1, so it may become any division, but an unsigned one only another unsigned one.
import { Operation } from '../../ir/core.ts';
import type { IrMutator } from './mutator.ts';
import { constrainedValues, resultsFree } from './op-safety.ts';
import { allOps, cloneProgram, pickOne } from './structural-edit.ts';

const INT_BINARY = ['arith.addi', 'arith.subi', 'arith.muli', 'arith.andi', 'arith.ori', 'arith.xori', 'arith.maxsi', 'arith.minsi', 'arith.maxui', 'arith.minui'];
const SHIFTS = ['arith.shli', 'arith.shrsi', 'arith.shrui'];
const UNSIGNED_DIV = ['arith.divui', 'arith.ceildivui', 'arith.remui'];
const SIGNED_DIV = ['arith.divsi', 'arith.ceildivsi', 'arith.floordivsi', 'arith.remsi'];
const FLOAT_BINARY = ['arith.addf', 'arith.subf', 'arith.mulf', 'arith.divf', 'arith.remf', 'arith.maximumf', 'arith.minimumf', 'arith.maxnumf', 'arith.minnumf', 'math.copysign', 'math.powf', 'math.atan2'];
const FLOAT_UNARY = ['arith.negf', 'math.absf', 'math.sqrt', 'math.ceil', 'math.floor', 'math.round', 'math.roundeven', 'math.trunc', 'math.exp', 'math.log', 'math.sin', 'math.tanh', 'math.atan', 'math.cbrt'];
const INT_UNARY = ['math.absi', 'math.ctlz', 'math.cttz', 'math.ctpop'];

/** What `op` may become. Index types are left alone: their results must stay in int32. */
function replacements(op: Operation): string[] {
  const t = op.operands[0]?.type;
  if (!t || t.kind === 'index' || (t.kind === 'vector' && t.elem.kind === 'index')) return [];
  const others = (group: readonly string[]) => group.filter((n) => n !== op.name);
  for (const group of [INT_BINARY, SHIFTS, UNSIGNED_DIV, FLOAT_BINARY, FLOAT_UNARY, INT_UNARY]) if (group.includes(op.name)) return others(group);
  if (SIGNED_DIV.includes(op.name)) return [...others(SIGNED_DIV), ...UNSIGNED_DIV];
  return [];
}

export const replaceOp: IrMutator = {
  name: 'replace-op',
  mutate(input, ctx) {
    const p = cloneProgram(input);
    const constrained = constrainedValues(p.module);
    const op = pickOne(ctx.random, allOps(p.module).filter((o) => o.props.fastmath === undefined && replacements(o).length > 0 && resultsFree(o, constrained)));
    if (!op) return undefined;
    // nsw/nuw/exact held for the old op's inputs and meaning, not the new one's: they are dropped.
    const { overflowFlags: _o, isExact: _e, ...props } = op.props;
    const next = new Operation(ctx.random.pick(replacements(op)), [...op.operands], op.results.map((r) => r.type), props);
    next.loc = op.loc;
    next.insertBefore(op);
    op.results.forEach((r, k) => r.replaceAllUsesWith(next.results[k]!));
    op.erase();
    return p;
  },
};
