// Lowers one affine construct to scf/memref by hand: an affine.for with constant bounds becomes an scf.for, or an
// affine.load/store becomes a memref.load/store whose indices come from one affine.apply per map result. The same
// values are computed in the same order, so nothing new can be UB. An affine.for whose induction variable feeds
// affine ops stays: an scf.for's induction variable is not a valid affine dim.
import { affineMap } from '../../ir/affine.ts';
import { intAttr, mapAttr } from '../../ir/attributes.ts';
import { Operation, Region } from '../../ir/core.ts';
import { index } from '../../ir/types.ts';
import type { IrMutator } from './mutator.ts';
import { allOps, cloneProgram, pickOne } from './structural-edit.ts';

/** The constant of a map attribute with no operands and one constant result. */
function constantBound(op: Operation, prop: string): bigint | undefined {
  const a = op.props[prop];
  if (a?.kind !== 'affine_map' || a.map.dims + a.map.syms !== 0 || a.map.results.length !== 1) return undefined;
  const e = a.map.results[0]!;
  return e.k === 'const' ? e.v : undefined;
}

function convertibleFor(op: Operation): boolean {
  if (op.name !== 'affine.for' || constantBound(op, 'lowerBoundMap') === undefined || constantBound(op, 'upperBoundMap') === undefined) return false;
  return op.regions[0]!.blocks[0]!.args[0]!.users.every((u) => u.dialect !== 'affine');
}

function forToScf(op: Operation): void {
  const konst = (v: bigint) => {
    const c = new Operation('arith.constant', [], [index], { value: intAttr(v, index) });
    c.insertBefore(op);
    return c.result;
  };
  const step = op.props.step?.kind === 'int' ? op.props.step.value : 1n;
  const inits = op.operands.slice(op.operands.length - op.results.length);
  const bounds = [konst(constantBound(op, 'lowerBoundMap')!), konst(constantBound(op, 'upperBoundMap')!), konst(step)];
  const loop = new Operation('scf.for', [...bounds, ...inits], op.results.map((r) => r.type), {}, [new Region()]);
  loop.insertBefore(op);
  loop.regions[0]!.takeBody(op.regions[0]!);
  const y = loop.regions[0]!.blocks[0]!.terminator!;
  new Operation('scf.yield', [...y.operands], []).insertBefore(y);
  y.erase();
  op.results.forEach((r, k) => r.replaceAllUsesWith(loop.results[k]!));
  op.erase();
}

/** affine.load/store -> affine.apply per index + memref.load/store (the apply's operands are the access's). */
function accessToMemref(op: Operation): void {
  const map = op.props.map;
  if (map?.kind !== 'affine_map') return;
  const store = op.name === 'affine.store';
  const fixed = op.operands.slice(0, store ? 2 : 1);
  const mapOperands = op.operands.slice(fixed.length);
  const idx = map.map.results.map((e) => {
    const apply = new Operation('affine.apply', [...mapOperands], [index], { map: mapAttr(affineMap(map.map.dims, map.map.syms, [e])) });
    apply.insertBefore(op);
    return apply.result;
  });
  const access = new Operation(store ? 'memref.store' : 'memref.load', [...fixed, ...idx], op.results.map((r) => r.type), {});
  access.insertBefore(op);
  op.results.forEach((r, k) => r.replaceAllUsesWith(access.results[k]!));
  op.erase();
}

export const affineToScf: IrMutator = {
  name: 'affine-to-scf',
  mutate(input, ctx) {
    const p = cloneProgram(input);
    const op = pickOne(ctx.random, allOps(p.module).filter((o) => convertibleFor(o) || o.name === 'affine.load' || o.name === 'affine.store'));
    if (!op) return undefined;
    if (op.name === 'affine.for') forToScf(op);
    else accessToMemref(op);
    return p;
  },
};
