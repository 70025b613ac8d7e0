// func: functions, calls and returns.
import type { Operation } from '../core.ts';
import type { FunctionType } from '../types.ts';
import { checkRegionArgs, first, sameTypes, ty, types, tys } from './constraints.ts';
import { lookupOp } from './registry.ts';
import type { OpSpec } from './spec.ts';

const VISIBILITIES = ['public', 'private', 'nested'];

/** The function type of a func.func, if it has a well-formed one. */
export function functionTypeOf(f: Operation): FunctionType | undefined {
  const a = f.props.function_type;
  return a?.kind === 'type' && a.type.kind === 'function' ? a.type : undefined;
}

/** The op a symbol name refers to, searched in the nearest enclosing symbol table (as SymbolTable does). */
export function lookupSymbol(from: Operation, name: string): Operation | undefined {
  for (let p = from.parentOp; p; p = p.parentOp) {
    if (!lookupOp(p.name)?.traits?.includes('symbol-table')) continue;
    for (const r of p.regions) for (const b of r.blocks) for (const op of b.ops) {
      const n = op.props.sym_name;
      if (n?.kind === 'string' && n.value === name) return op;
    }
    return undefined;
  }
  return undefined;
}

function verifyVisibility(op: Operation): string | undefined {
  const v = op.props.sym_visibility;
  if (v?.kind === 'string' && !VISIBILITIES.includes(v.value)) return `visibility expected to be one of ["public", "private", "nested"], but got "${v.value}"`;
  return undefined;
}

export const funcOps: readonly OpSpec[] = [
  {
    name: 'func.func',
    operands: [],
    results: [],
    props: {
      sym_name: { required: true, kind: 'string' },
      function_type: { required: true, kind: 'type', type: 'function' },
      sym_visibility: { required: false, kind: 'string' },
      arg_attrs: { required: false, kind: 'array' },
      res_attrs: { required: false, kind: 'array' },
      no_inline: { required: false, kind: 'unit' },
    },
    regions: 1,
    traits: ['isolated-from-above', 'symbol', 'affine-scope'],
    verify: (op) => {
      const ft = functionTypeOf(op)!;
      const body = op.regions[0]!;
      return first(
        () => verifyVisibility(op),
        () => {
          if (body.blocks.length > 0) return undefined;
          const v = op.props.sym_visibility;
          return v?.kind === 'string' && v.value !== 'public' ? undefined : 'symbol declaration cannot have public visibility';
        },
        () => {
          const n = body.blocks[0]?.args.length;
          return n !== undefined && n !== ft.inputs.length ? `entry block must have ${ft.inputs.length} arguments to match function signature` : undefined;
        },
        () => checkRegionArgs(op, 0, ft.inputs, 'entry block'),
      );
    },
  },
  {
    name: 'func.return',
    operands: [{ name: 'operands', arity: 'variadic' }],
    results: [],
    traits: ['terminator', 'pure'],
    parents: ['func.func'],
    verify: (op) => {
      const f = op.parentOp!;
      const ft = functionTypeOf(f);
      if (!ft) return undefined;
      const name = f.props.sym_name?.kind === 'string' ? f.props.sym_name.value : '';
      if (op.operands.length !== ft.results.length) return `has ${op.operands.length} operands, but enclosing function (@${name}) returns ${ft.results.length}`;
      const k = op.operands.findIndex((v, j) => !sameTypes([v.type], [ft.results[j]!]));
      return k < 0 ? undefined : `type of return operand ${k} (${ty(op.operands[k]!.type)}) doesn't match function result type (${ty(ft.results[k]!)}) in function @${name}`;
    },
  },
  {
    name: 'func.call',
    operands: [{ name: 'operands', arity: 'variadic' }],
    results: [{ name: 'results', arity: 'variadic' }],
    props: {
      callee: { required: true, kind: 'symbol' },
      arg_attrs: { required: false, kind: 'array' },
      res_attrs: { required: false, kind: 'array' },
      no_inline: { required: false, kind: 'unit' },
    },
    verify: (op) => {
      const ref = op.props.callee;
      if (ref?.kind !== 'symbol' || ref.path.length !== 1) return `requires a flat symbol reference for 'callee'`;
      const name = ref.path[0]!;
      const f = lookupSymbol(op, name);
      const ft = f?.name === 'func.func' ? functionTypeOf(f) : undefined;
      if (!ft) return `'${name}' does not reference a valid function`;
      if (ft.inputs.length !== op.operands.length) return 'incorrect number of operands for callee';
      const k = op.operands.findIndex((v, j) => !sameTypes([v.type], [ft.inputs[j]!]));
      if (k >= 0) return `operand type mismatch: expected operand type ${ty(ft.inputs[k]!)}, but provided ${ty(op.operands[k]!.type)} for operand number ${k}`;
      if (ft.results.length !== op.results.length) return 'incorrect number of results for callee';
      if (!sameTypes(types(op.results), ft.results)) return `result type mismatch: expected ${tys(ft.results)}, but got ${tys(types(op.results))}`;
      return undefined;
    },
  },
];
