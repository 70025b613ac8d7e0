// cf dialect semantics: unstructured branches between the blocks of a region, and assert.
// A branch on a tainted condition taints the rest of the function invocation (frame.pc stays set): without
// post-dominator information there is no reconvergence point to reset it at.
import { denseElements, denseInts, prop } from './attrs.ts';
import type { Frame } from './engine.ts';
import { defineOps, parallelCopy } from './engine.ts';
import { segments } from './memref.ts';
import { ub } from './ub.ts';
import type { Scalar } from './values.ts';

function branchTo(fr: Frame, vals: readonly number[], dst: readonly number[], target: number): number {
  if (dst.length) parallelCopy(fr, vals, dst);
  return target;
}

defineOps({
  'cf.br': {
    term: (op, cx, rc, target) => {
      const t = target(op.successors[0]!);
      const vals = cx.slotsOf(op.operands);
      return (fr) => branchTo(fr, vals, rc.blocks[t]!.argSlots, t);
    },
  },
  'cf.cond_br': {
    term: (op, cx, rc, target) => {
      const [[c] = [], tv = [], fv = []] = segments(op, cx);
      const tt = target(op.successors[0]!);
      const ft = target(op.successors[1]!);
      const cond = c!;
      return (fr): number => {
        if (fr.t !== null && fr.t[cond]) fr.pc = 1;
        return fr.r[cond] !== 0 ? branchTo(fr, tv, rc.blocks[tt]!.argSlots, tt) : branchTo(fr, fv, rc.blocks[ft]!.argSlots, ft);
      };
    },
  },
  'cf.switch': {
    term: (op, cx, rc, target) => {
      const [[flag] = [], defOps = [], caseOps = []] = segments(op, cx);
      const cases = denseInts(op, 'case_values') ?? [];
      const caseSeg = denseInts(op, 'case_operand_segments') ?? cases.map(() => 0);
      const targets = op.successors.map(target);
      const caseVals: number[][] = [];
      let pos = 0;
      for (const n of caseSeg) {
        caseVals.push(caseOps.slice(pos, pos + n));
        pos += n;
      }
      const cv = prop(op, 'case_values');
      // Exact case values (denseInts would round wide ones through Number).
      const exact = cv && cv.kind === 'dense' ? denseElements(cv, cases.length).map((x) => BigInt(x)) : cases.map((x) => BigInt(x));
      const f = flag!;
      return (fr): number => {
        if (fr.t !== null && fr.t[f]) fr.pc = 1;
        const v = BigInt(fr.r[f] as Scalar);
        const k = exact.indexOf(v);
        if (k < 0) return branchTo(fr, defOps, rc.blocks[targets[0]!]!.argSlots, targets[0]!);
        const t = targets[k + 1]!;
        return branchTo(fr, caseVals[k]!, rc.blocks[t]!.argSlots, t);
      };
    },
  },
  'cf.assert': {
    compile: (op, cx) => {
      const c = cx.slot(op.operands[0]!);
      const msg = prop(op, 'msg');
      const text = msg?.kind === 'string' ? msg.value : '';
      return (fr) => {
        if (fr.r[c] === 0) ub('assert-failed', `cf.assert failed: ${text}`);
      };
    },
  },
});

