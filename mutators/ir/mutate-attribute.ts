// Changes an attribute: a cmpi/cmpf predicate, a vector reduction kind, or fastmath flags of a float op whose
// result nothing sensitive relies on (op-safety.ts); or drops nsw/nuw/exact anywhere (a dropped flag leaves every
// defined result as it was). Fastmath flags that make results poison (nnan, ninf) are never added: only the ones
// that allow another rounding, which the reference marks as tainted.
import { dialectAttr, intAttr } from '../../ir/attributes.ts';
import type { Operation, Value } from '../../ir/core.ts';
import { CMPF_PREDICATES, CMPI_PREDICATES } from '../../ir/ops/arith.ts';
import type { Rand } from '../generate/rand.ts';
import type { IrMutator } from './mutator.ts';
import { constrainedValues, hasFastmath, resultsFree } from './op-safety.ts';
import { allOps, cloneProgram, pickOne } from './structural-edit.ts';

type Edit = (r: Rand) => void;

const LOOSE_FASTMATH = ['reassoc', 'nsz', 'arcp', 'contract', 'afn'];
/** Float ops that take fastmath and are defined on every input. */
const FASTMATH_OPS = new Set(['arith.addf', 'arith.subf', 'arith.mulf', 'arith.divf', 'arith.remf', 'arith.negf', 'math.sqrt', 'math.absf', 'math.fma', 'math.exp', 'math.log', 'math.sin', 'math.cos', 'math.tanh', 'math.powf']);
const INT_KINDS = ['add', 'mul', 'minui', 'minsi', 'maxui', 'maxsi', 'and', 'or', 'xor'];
/** vector.reduction combines lanes in order, so add and mul are as deterministic as min and max. */
const FLOAT_KINDS = ['add', 'mul', 'minimumf', 'maximumf'];

const predicate = (op: Operation): number => Number(op.props.predicate?.kind === 'int' ? op.props.predicate.value : -1n);
const isIndexCompare = (op: Operation): boolean => op.operands[0]!.type.kind === 'index';

/** Every attribute edit that is safe on `op`. */
function editsOf(op: Operation, constrained: ReadonlySet<Value>): Edit[] {
  const edits: Edit[] = [];
  const flags = op.props.overflowFlags;
  if (flags?.kind === 'dialect' && flags.body.trim() !== 'none') {
    const words = flags.body.split(/[\s,]+/).filter((w) => w && w !== 'none');
    edits.push((r) => {
      const keep = words.length > 1 && r.chance(0.5) ? [r.pick(words)] : [];
      if (keep.length) op.props = { ...op.props, overflowFlags: dialectAttr('arith', 'overflow', keep.join(', ')) };
      else delete op.props.overflowFlags;
    });
  }
  if (op.props.isExact) edits.push(() => delete op.props.isExact);
  if (!resultsFree(op, constrained)) return edits;
  if (op.name === 'arith.cmpi') {
    // 32- and 64-bit index disagree on unsigned views of negative values.
    const preds = CMPI_PREDICATES.map((_, k) => k).filter((k) => k !== predicate(op) && !(isIndexCompare(op) && k >= 6));
    edits.push((r) => (op.props = { ...op.props, predicate: intAttr(r.pick(preds), op.props.predicate!.kind === 'int' ? op.props.predicate.type : { kind: 'int', width: 64 }) }));
  }
  if (op.name === 'arith.cmpf') {
    const preds = CMPF_PREDICATES.map((_, k) => k).filter((k) => k !== predicate(op));
    edits.push((r) => (op.props = { ...op.props, predicate: intAttr(r.pick(preds), { kind: 'int', width: 64 }) }));
  }
  if (FASTMATH_OPS.has(op.name) && !hasFastmath(op)) {
    edits.push((r) => {
      const fm = LOOSE_FASTMATH.filter(() => r.chance(0.4));
      op.props = { ...op.props, fastmath: dialectAttr('arith', 'fastmath', (fm.length ? fm : [r.pick(LOOSE_FASTMATH)]).join(',')) };
    });
  }
  if (op.name === 'vector.reduction' && op.props.kind?.kind === 'dialect' && !hasFastmath(op)) {
    const old = op.props.kind.body;
    const kinds = (op.results[0]!.type.kind === 'float' ? FLOAT_KINDS : INT_KINDS).filter((k) => k !== old);
    edits.push((r) => (op.props = { ...op.props, kind: dialectAttr('vector', 'kind', r.pick(kinds)) }));
  }
  return edits;
}

export const mutateAttribute: IrMutator = {
  name: 'mutate-attribute',
  mutate(input, ctx) {
    const p = cloneProgram(input);
    const constrained = constrainedValues(p.module);
    const edit = pickOne(ctx.random, allOps(p.module).flatMap((op) => editsOf(op, constrained)));
    if (!edit) return undefined;
    edit(ctx.random);
    return p;
  },
};
