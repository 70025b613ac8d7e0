// index: integer arithmetic on `index` values of the target's width (IndexOps.td), comparisons, casts between index
// and signless integers, constants and sizeof.
import { ty } from './constraints.ts';
import type { OpSpec } from './spec.ts';

/** The binary ops, all (index, index) -> index; divisions and remainders are not speculatable (UB on zero). */
export const INDEX_BINARY = ['add', 'sub', 'mul', 'divs', 'divu', 'ceildivs', 'ceildivu', 'floordivs', 'rems', 'remu', 'maxs', 'maxu', 'mins', 'minu', 'shl', 'shrs', 'shru', 'and', 'or', 'xor'] as const;
const TRAPPING = new Set<string>(['divs', 'divu', 'ceildivs', 'ceildivu', 'floordivs', 'rems', 'remu']);

export const INDEX_CMP_PREDICATES = ['eq', 'ne', 'slt', 'sle', 'sgt', 'sge', 'ult', 'ule', 'ugt', 'uge'] as const;

function binary(name: string): OpSpec {
  return {
    name: `index.${name}`,
    operands: [{ name: 'lhs', type: 'index' }, { name: 'rhs', type: 'index' }],
    results: [{ name: 'result', type: 'index' }],
    traits: TRAPPING.has(name) ? [] : ['pure'],
  };
}

/** index.casts / index.castu: one side index, the other a signless integer (no vectors). */
function cast(name: string): OpSpec {
  return {
    name: `index.${name}`,
    operands: [{ name: 'input', type: 'int-or-index' }],
    results: [{ name: 'output', type: 'int-or-index' }],
    traits: ['pure'],
    verify: (op) => {
      const a = op.operands[0]!.type;
      const b = op.results[0]!.type;
      return (a.kind === 'index') !== (b.kind === 'index') ? undefined : `operand type ${ty(a)} and result type ${ty(b)} are cast incompatible`;
    },
  };
}

export const indexOps: readonly OpSpec[] = [
  ...INDEX_BINARY.map(binary),
  {
    name: 'index.constant',
    operands: [],
    results: [{ name: 'result', type: 'index' }],
    props: { value: { required: true, kind: 'int', type: 'index' } },
    traits: ['pure', 'constant-like'],
  },
  {
    name: 'index.bool.constant',
    operands: [],
    results: [{ name: 'result', type: 'i1' }],
    props: { value: { required: true, kind: 'int', type: 'i1' } },
    traits: ['pure', 'constant-like'],
  },
  {
    name: 'index.cmp',
    operands: [{ name: 'lhs', type: 'index' }, { name: 'rhs', type: 'index' }],
    results: [{ name: 'result', type: 'i1' }],
    props: { pred: { required: true, kind: 'dialect', dialect: 'index' } },
    traits: ['pure'],
  },
  cast('casts'),
  cast('castu'),
  {
    name: 'index.sizeof',
    operands: [],
    results: [{ name: 'result', type: 'index' }],
    traits: ['pure'],
  },
];
