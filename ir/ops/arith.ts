// arith: integer, index and float arithmetic, comparisons, select and casts, on scalars and vectors.
import type { Operation } from '../core.ts';
import type { Type } from '../types.ts';
import { elementOf, printType, typeEq } from '../types.ts';
import { bitsOf, boolLike, sameShape, shapeOf, ty } from './constraints.ts';
import type { OpSpec, PropSpec, TypeConstraint } from './spec.ts';

const OVERFLOW: Record<string, PropSpec> = { overflowFlags: { required: false, kind: 'dialect', dialect: 'arith.overflow' } };
const EXACT: Record<string, PropSpec> = { isExact: { required: false, kind: 'unit' } };
const FASTMATH: Record<string, PropSpec> = { fastmath: { required: false, kind: 'dialect', dialect: 'arith.fastmath' } };
/** llvm::RoundingMode as arith spells it: to_nearest_even, downward, upward, toward_zero, to_nearest_away. */
const ROUNDING: Record<string, PropSpec> = { roundingmode: { required: false, kind: 'int', type: 'i32', range: [0, 4] } };

export const CMPI_PREDICATES = ['eq', 'ne', 'slt', 'sle', 'sgt', 'sge', 'ult', 'ule', 'ugt', 'uge'] as const;
export const CMPF_PREDICATES = ['false', 'oeq', 'ogt', 'oge', 'olt', 'ole', 'one', 'ord', 'ueq', 'ugt', 'uge', 'ult', 'ule', 'une', 'uno', 'true'] as const;

function binary(name: string, type: TypeConstraint, props: Record<string, PropSpec> = {}, pure = true): OpSpec {
  return {
    name: `arith.${name}`,
    operands: [{ name: 'lhs', type }, { name: 'rhs', type }],
    results: [{ name: 'result', type }],
    props,
    sameType: [['lhs', 'rhs', 'result']],
    traits: pure ? ['pure'] : [],
  };
}
const intOp = (name: string, props: Record<string, PropSpec> = {}) => binary(name, 'int-or-index-like', props);
/** Division and remainder have no memory effects but are not speculatable (they trap on zero). */
const intDivOp = (name: string, props: Record<string, PropSpec> = {}) => binary(name, 'int-or-index-like', props, false);
const floatOp = (name: string) => binary(name, 'float-like', FASTMATH);

type WidthRule = (from: Type, to: Type) => boolean;
const wider: WidthRule = (a, b) => bitsOf(b) > bitsOf(a);
const narrower: WidthRule = (a, b) => bitsOf(b) < bitsOf(a);
const anyWidth: WidthRule = () => true;

function cast(name: string, from: TypeConstraint, to: TypeConstraint, rule: WidthRule, props: Record<string, PropSpec> = {}): OpSpec {
  return {
    name: `arith.${name}`,
    operands: [{ name: 'in', type: from }],
    results: [{ name: 'out', type: to }],
    props,
    sameShape: [['in', 'out']],
    traits: ['pure'],
    verify: (op) => {
      const a = op.operands[0]!.type;
      const b = op.results[0]!.type;
      return rule(elementOf(a), elementOf(b)) ? undefined : `operand type ${ty(a)} and result type ${ty(b)} are cast incompatible`;
    },
  };
}

/** arith.constant accepts an int, float or dense attribute whose type is exactly the result type. */
function verifyConstant(op: Operation): string | undefined {
  const a = op.props.value!;
  const t = op.results[0]!.type;
  const attrType = a.kind === 'int' || a.kind === 'float' || a.kind === 'dense' ? a.type : undefined;
  if (!attrType) return 'value must be an integer, float, or elements attribute';
  if (!typeEq(attrType, t)) return `failed to verify that result and attribute have the same type (${printType(attrType)} vs ${printType(t)})`;
  if (t.kind === 'int' && t.signedness) return 'integer return type must be signless';
  if (t.kind === 'vector' && t.scalable?.some((s) => s) && a.kind === 'dense' && !a.splat) return 'intializing scalable vectors with elements attribute is not supported unless it\'s a vector splat';
  return undefined;
}

const oneIndex: WidthRule = (a, b) => (a.kind === 'index') !== (b.kind === 'index');

export const arithOps: readonly OpSpec[] = [
  {
    name: 'arith.constant',
    operands: [],
    results: [{ name: 'result', type: 'any-scalar-like' }],
    props: { value: { required: true } },
    traits: ['pure', 'constant-like'],
    verify: verifyConstant,
  },
  intOp('addi', OVERFLOW),
  intOp('subi', OVERFLOW),
  intOp('muli', OVERFLOW),
  intOp('shli', OVERFLOW),
  intDivOp('divsi', EXACT),
  intDivOp('divui', EXACT),
  intDivOp('ceildivsi'),
  intDivOp('ceildivui'),
  intDivOp('floordivsi'),
  intDivOp('remsi'),
  intDivOp('remui'),
  intOp('shrsi', EXACT),
  intOp('shrui', EXACT),
  intOp('andi'),
  intOp('ori'),
  intOp('xori'),
  intOp('maxsi'),
  intOp('maxui'),
  intOp('minsi'),
  intOp('minui'),
  floatOp('addf'),
  floatOp('subf'),
  floatOp('mulf'),
  floatOp('divf'),
  floatOp('remf'),
  floatOp('maximumf'),
  floatOp('minimumf'),
  floatOp('maxnumf'),
  floatOp('minnumf'),
  {
    name: 'arith.negf',
    operands: [{ name: 'operand', type: 'float-like' }],
    results: [{ name: 'result', type: 'float-like' }],
    props: FASTMATH,
    sameType: [['operand', 'result']],
    traits: ['pure'],
  },
  {
    name: 'arith.addui_extended',
    operands: [{ name: 'lhs', type: 'int-like' }, { name: 'rhs', type: 'int-like' }],
    results: [{ name: 'sum', type: 'int-like' }, { name: 'overflow', type: 'i1-like' }],
    sameType: [['lhs', 'rhs', 'sum']],
    sameShape: [['sum', 'overflow']],
    traits: ['pure'],
  },
  ...['mulsi_extended', 'mului_extended'].map(
    (n): OpSpec => ({
      name: `arith.${n}`,
      operands: [{ name: 'lhs', type: 'int-like' }, { name: 'rhs', type: 'int-like' }],
      results: [{ name: 'low', type: 'int-like' }, { name: 'high', type: 'int-like' }],
      sameType: [['lhs', 'rhs', 'low', 'high']],
      traits: ['pure'],
    }),
  ),
  ...(
    [
      ['cmpi', 'int-or-index-like', CMPI_PREDICATES.length, {}],
      ['cmpf', 'float-like', CMPF_PREDICATES.length, FASTMATH],
    ] as const
  ).map(
    ([n, type, count, extra]): OpSpec => ({
      name: `arith.${n}`,
      operands: [{ name: 'lhs', type }, { name: 'rhs', type }],
      results: [{ name: 'result', type: 'i1-like' }],
      props: { predicate: { required: true, kind: 'int', type: 'i64', range: [0, count - 1] }, ...extra },
      sameType: [['lhs', 'rhs']],
      traits: ['pure'],
      verify: (op) => (typeEq(op.results[0]!.type, boolLike(op.operands[0]!.type)) ? undefined : `result type must be ${ty(boolLike(op.operands[0]!.type))}`),
    }),
  ),
  {
    name: 'arith.select',
    operands: [{ name: 'condition', type: 'i1-like' }, { name: 'true_value' }, { name: 'false_value' }],
    results: [{ name: 'result' }],
    sameType: [['true_value', 'false_value', 'result']],
    traits: ['pure'],
    verify: (op) => {
      const c = op.operands[0]!.type;
      const r = op.results[0]!.type;
      if (!shapeOf(c)) return undefined;
      return r.kind === 'vector' && sameShape(c, r) ? undefined : 'expected condition type to have the same shape as the result type';
    },
  },
  cast('extsi', 'int-like', 'int-like', wider),
  cast('extui', 'int-like', 'int-like', wider),
  cast('trunci', 'int-like', 'int-like', narrower, OVERFLOW),
  cast('extf', 'float-like', 'float-like', wider, FASTMATH),
  cast('truncf', 'float-like', 'float-like', narrower, { ...ROUNDING, ...FASTMATH }),
  cast('sitofp', 'int-like', 'float-like', anyWidth),
  cast('uitofp', 'int-like', 'float-like', anyWidth),
  cast('fptosi', 'float-like', 'int-like', anyWidth),
  cast('fptoui', 'float-like', 'int-like', anyWidth),
  cast('index_cast', 'int-or-index-like', 'int-or-index-like', oneIndex),
  cast('index_castui', 'int-or-index-like', 'int-or-index-like', oneIndex),
  cast('bitcast', 'scalar-like', 'scalar-like', (a, b) => a.kind !== 'index' && b.kind !== 'index' && bitsOf(a) === bitsOf(b)),
];
