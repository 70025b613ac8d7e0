// scf: structured control flow. Loops and conditionals whose regions yield values back to the op.
import type { Operation } from '../core.ts';
import { index } from '../types.ts';
import { checkRegionArgs, checkYields, first, group, intList, sameTypes, terminatorsOf, types, tys } from './constraints.ts';
import type { OpSpec } from './spec.ts';

const resultTypes = (op: Operation) => types(op.results);

function verifyFor(op: Operation): string | undefined {
  const inits = types(group(op, 'initArgs'));
  return first(
    () => (sameTypes(inits, resultTypes(op)) ? undefined : 'mismatch in number of loop-carried values and defined values'),
    () => checkRegionArgs(op, 0, [op.operands[0]!.type, ...inits], 'the body'),
    () => checkYields(op, 0, inits, 'scf.yield'),
  );
}

function verifyIf(op: Operation): string | undefined {
  return first(
    () => (op.regions[0]!.blocks.length === 1 ? undefined : "region #0 ('thenRegion') failed to verify constraint: region with 1 blocks"),
    () => (op.results.length && op.regions[1]!.blocks.length === 0 ? 'must have an else block if defining values' : undefined),
    () => checkRegionArgs(op, 0, []) ?? checkRegionArgs(op, 1, []),
    () => checkYields(op, 0, resultTypes(op), 'scf.yield') ?? checkYields(op, 1, resultTypes(op), 'scf.yield'),
  );
}

function verifyWhile(op: Operation): string | undefined {
  const inits = types(op.operands);
  const cond = terminatorsOf(op, 0).find((t) => t.name === 'scf.condition');
  return first(
    () => (op.regions.every((r) => r.blocks.length === 1) ? undefined : 'expects both regions to hold one block'),
    () => checkRegionArgs(op, 0, inits, 'the "before" region'),
    () => {
      const passed = types(cond?.operands.slice(1) ?? []);
      return sameTypes(passed, resultTypes(op)) ? undefined : `expects the 'scf.condition' arguments ${tys(passed)} to match the result types ${tys(resultTypes(op))}`;
    },
    () => checkRegionArgs(op, 1, resultTypes(op), 'the "after" region'),
    () => checkYields(op, 1, inits, 'scf.yield'),
  );
}

/** A constant step of zero or less never terminates; MLIR rejects it when it can see the constant. */
function constantStepOk(steps: readonly Operation['operands'][number][]): boolean {
  return steps.every((s) => {
    const d = s.definingOp;
    const v = d?.name === 'arith.constant' ? d.props.value : undefined;
    return v?.kind !== 'int' || v.value > 0n;
  });
}

function verifyParallel(op: Operation): string | undefined {
  const n = group(op, 'lowerBound').length;
  const inits = types(group(op, 'initVals'));
  const reduce = terminatorsOf(op, 0).find((t) => t.name === 'scf.reduce');
  return first(
    () => (n > 0 ? undefined : 'needs at least one tuple element for lowerBound, upperBound and step'),
    () => (group(op, 'upperBound').length === n && group(op, 'step').length === n ? undefined : 'expects the same number of lower bounds, upper bounds and steps'),
    () => (constantStepOk(group(op, 'step')) ? undefined : 'constant step operand must be positive'),
    () => checkRegionArgs(op, 0, Array.from({ length: n }, () => index), 'the body'),
    () => (sameTypes(inits, resultTypes(op)) ? undefined : 'expects the init values to have the result types'),
    () => (!reduce || sameTypes(types(reduce.operands), resultTypes(op)) ? undefined : `expects 'scf.reduce' operands ${tys(types(reduce?.operands ?? []))} to match the result types ${tys(resultTypes(op))}`),
  );
}

function verifyReduce(op: Operation): string | undefined {
  if (op.regions.length !== op.operands.length) return `expects one region per operand, but found ${op.regions.length} regions for ${op.operands.length} operands`;
  for (let k = 0; k < op.regions.length; k++) {
    const r = op.regions[k]!;
    const t = op.operands[k]!.type;
    if (r.blocks.length !== 1) return `expects region #${k} to hold one block`;
    const m = checkRegionArgs(op, k, [t, t], `reduction region #${k}`) ?? checkYields(op, k, [t], 'scf.reduce.return');
    if (m) return m;
  }
  return undefined;
}

function verifyExecuteRegion(op: Operation): string | undefined {
  const r = op.regions[0]!;
  if (r.blocks.length === 0) return 'region needs to have at least one block';
  if (r.blocks[0]!.args.length) return 'region cannot have any arguments';
  return checkYields(op, 0, resultTypes(op), 'scf.yield');
}

function verifyIndexSwitch(op: Operation): string | undefined {
  const cases = intList(op.props.cases) ?? [];
  if (op.regions.length !== cases.length + 1) return `has ${op.regions.length - 1} case regions but ${cases.length} case values`;
  if (new Set(cases).size !== cases.length) return 'has duplicate case values';
  for (let k = 0; k < op.regions.length; k++) {
    const m =
      (op.regions[k]!.blocks.length === 1 ? undefined : `expects region #${k} to hold one block`) ??
      checkRegionArgs(op, k, []) ??
      checkYields(op, k, resultTypes(op), 'scf.yield');
    if (m) return m;
  }
  return undefined;
}

export const scfOps: readonly OpSpec[] = [
  {
    name: 'scf.for',
    operands: [
      { name: 'lowerBound', type: 'int-or-index' },
      { name: 'upperBound', type: 'int-or-index' },
      { name: 'step', type: 'int-or-index' },
      { name: 'initArgs', arity: 'variadic' },
    ],
    results: [{ name: 'results', arity: 'variadic' }],
    props: { unsignedCmp: { required: false, kind: 'unit' } },
    regions: 1,
    sameType: [['lowerBound', 'upperBound', 'step']],
    terminators: ['scf.yield'],
    traits: ['single-block'],
    verify: verifyFor,
  },
  {
    name: 'scf.if',
    operands: [{ name: 'condition', type: 'i1' }],
    results: [{ name: 'results', arity: 'variadic' }],
    regions: 2,
    terminators: ['scf.yield'],
    traits: ['single-block'],
    verify: verifyIf,
  },
  {
    name: 'scf.while',
    operands: [{ name: 'inits', arity: 'variadic' }],
    results: [{ name: 'results', arity: 'variadic' }],
    regions: 2,
    terminators: ['scf.condition', 'scf.yield'],
    traits: ['single-block'],
    verify: verifyWhile,
  },
  {
    name: 'scf.condition',
    operands: [{ name: 'condition', type: 'i1' }, { name: 'args', arity: 'variadic' }],
    results: [],
    parents: ['scf.while'],
    traits: ['terminator', 'pure'],
  },
  {
    name: 'scf.yield',
    operands: [{ name: 'results', arity: 'variadic' }],
    results: [],
    parents: ['scf.execute_region', 'scf.for', 'scf.if', 'scf.index_switch', 'scf.while'],
    traits: ['terminator', 'pure'],
  },
  {
    name: 'scf.parallel',
    operands: [
      { name: 'lowerBound', arity: 'variadic', type: 'index' },
      { name: 'upperBound', arity: 'variadic', type: 'index' },
      { name: 'step', arity: 'variadic', type: 'index' },
      { name: 'initVals', arity: 'variadic' },
    ],
    results: [{ name: 'results', arity: 'variadic' }],
    regions: 1,
    terminators: ['scf.reduce'],
    traits: ['single-block', 'attr-sized-operands'],
    verify: verifyParallel,
  },
  {
    name: 'scf.reduce',
    operands: [{ name: 'operands', arity: 'variadic' }],
    results: [],
    variadicRegions: true,
    parents: ['scf.parallel'],
    terminators: ['scf.reduce.return'],
    traits: ['terminator', 'single-block'],
    verify: verifyReduce,
  },
  {
    name: 'scf.reduce.return',
    operands: [{ name: 'result' }],
    results: [],
    parents: ['scf.reduce'],
    traits: ['terminator', 'pure'],
  },
  {
    name: 'scf.execute_region',
    operands: [],
    results: [{ name: 'results', arity: 'variadic' }],
    props: { no_inline: { required: false, kind: 'unit' } },
    regions: 1,
    verify: verifyExecuteRegion,
  },
  {
    name: 'scf.index_switch',
    operands: [{ name: 'arg', type: 'index' }],
    results: [{ name: 'results', arity: 'variadic' }],
    props: { cases: { required: true, kind: 'dense_array', type: 'i64' } },
    variadicRegions: true,
    terminators: ['scf.yield'],
    traits: ['single-block'],
    verify: verifyIndexSwitch,
  },
];
