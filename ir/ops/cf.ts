// cf: unstructured control flow between the blocks of one region.
import type { Value } from '../core.ts';
import { group, intList } from './constraints.ts';
import type { OpSpec } from './spec.ts';

export const cfOps: readonly OpSpec[] = [
  {
    name: 'cf.br',
    operands: [{ name: 'destOperands', arity: 'variadic' }],
    results: [],
    successors: 1,
    successorOperands: ['destOperands'],
    traits: ['terminator', 'pure'],
  },
  {
    name: 'cf.cond_br',
    operands: [
      { name: 'condition', type: 'i1' },
      { name: 'trueDestOperands', arity: 'variadic' },
      { name: 'falseDestOperands', arity: 'variadic' },
    ],
    results: [],
    successors: 2,
    successorOperands: ['trueDestOperands', 'falseDestOperands'],
    traits: ['terminator', 'pure', 'attr-sized-operands'],
  },
  {
    name: 'cf.switch',
    operands: [
      { name: 'flag', type: 'int' },
      { name: 'defaultOperands', arity: 'variadic' },
      { name: 'caseOperands', arity: 'variadic' },
    ],
    results: [],
    props: {
      case_values: { required: false, kind: 'dense' },
      case_operand_segments: { required: true, kind: 'dense_array', type: 'i32' },
    },
    successors: 'variadic',
    successorOperands: (op) => {
      const out: Value[][] = [group(op, 'defaultOperands')];
      const cases = group(op, 'caseOperands');
      let pos = 0;
      for (const n of intList(op.props.case_operand_segments) ?? []) {
        out.push(cases.slice(pos, pos + n));
        pos += n;
      }
      return out;
    },
    traits: ['terminator', 'pure', 'attr-sized-operands'],
    verify: (op) => {
      const cv = op.props.case_values;
      const values = cv?.kind === 'dense' ? cv : undefined;
      const n = values ? (values.splat ? values.type.shape.reduce((a, b) => a * b, 1) : values.values.length) : 0;
      const segs = intList(op.props.case_operand_segments) ?? [];
      if (values && values.type.elem.kind === 'int' && op.operands[0]!.type.kind === 'int' && values.type.elem.width !== op.operands[0]!.type.width)
        return `'flag' type (${op.operands[0]!.type.kind === 'int' ? 'i' + op.operands[0]!.type.width : ''}) should match case value type (i${values.type.elem.width})`;
      if (op.successors.length !== n + 1) return `number of case values (${n}) should match number of case destinations (${op.successors.length - 1})`;
      if (segs.length !== n) return `number of case operand segments (${segs.length}) should match number of case values (${n})`;
      if (segs.reduce((a, b) => a + b, 0) !== group(op, 'caseOperands').length) return 'case operand segments do not add up to the case operands';
      return undefined;
    },
  },
  {
    name: 'cf.assert',
    operands: [{ name: 'arg', type: 'i1' }],
    results: [],
    props: { msg: { required: true, kind: 'string' } },
  },
];
