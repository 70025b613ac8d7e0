// math: elementwise float and integer functions beyond arith, on scalars and vectors.
import { boolLike, ty } from './constraints.ts';
import { typeEq } from '../types.ts';
import type { OpSpec, PropSpec, TypeConstraint } from './spec.ts';

const FASTMATH: Record<string, PropSpec> = { fastmath: { required: false, kind: 'dialect', dialect: 'arith.fastmath' } };

/** An op whose operands and results all share one type. */
function uniform(name: string, type: TypeConstraint, operands: readonly string[], results: readonly string[] = ['result']): OpSpec {
  return {
    name: `math.${name}`,
    operands: operands.map((n) => ({ name: n, type })),
    results: results.map((n) => ({ name: n, type })),
    props: type === 'float-like' ? FASTMATH : {},
    sameType: [[...operands, ...results]],
    traits: ['pure'],
  };
}

export const FLOAT_UNARY = [
  'exp', 'exp2', 'expm1', 'log', 'log2', 'log10', 'log1p', 'sqrt', 'rsqrt', 'cbrt', 'tanh', 'sin', 'cos', 'tan', 'atan', 'asin',
  'acos', 'sinh', 'cosh', 'asinh', 'acosh', 'atanh', 'erf', 'erfc', 'absf', 'ceil', 'floor', 'round', 'roundeven', 'trunc',
] as const;
export const FLOAT_BINARY = ['atan2', 'copysign', 'powf'] as const;
export const INT_UNARY = ['absi', 'ctlz', 'cttz', 'ctpop'] as const;
export const FLOAT_CLASSIFY = ['isnan', 'isinf', 'isfinite', 'isnormal'] as const;

export const mathOps: readonly OpSpec[] = [
  ...FLOAT_UNARY.map((n) => uniform(n, 'float-like', ['operand'])),
  ...FLOAT_BINARY.map((n) => uniform(n, 'float-like', ['lhs', 'rhs'])),
  uniform('fma', 'float-like', ['a', 'b', 'c']),
  uniform('clampf', 'float-like', ['value', 'min', 'max']),
  uniform('sincos', 'float-like', ['operand'], ['sin', 'cos']),
  ...INT_UNARY.map((n) => uniform(n, 'int-or-index-like', ['operand'])),
  uniform('ipowi', 'int-or-index-like', ['lhs', 'rhs']),
  {
    name: 'math.fpowi',
    operands: [{ name: 'lhs', type: 'float-like' }, { name: 'rhs', type: 'int-like' }],
    results: [{ name: 'result', type: 'float-like' }],
    props: FASTMATH,
    sameType: [['lhs', 'result']],
    sameShape: [['lhs', 'rhs']],
    traits: ['pure'],
  },
  ...FLOAT_CLASSIFY.map(
    (n): OpSpec => ({
      name: `math.${n}`,
      operands: [{ name: 'operand', type: 'float-like' }],
      results: [{ name: 'result', type: 'i1-like' }],
      props: FASTMATH,
      traits: ['pure'],
      verify: (op) => (typeEq(op.results[0]!.type, boolLike(op.operands[0]!.type)) ? undefined : `result type must be ${ty(boolLike(op.operands[0]!.type))}`),
    }),
  ),
];
