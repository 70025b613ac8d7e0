// Edits the structural mutators share: cloning a program, the values that dominate an op, and hoisting a
// single-block region's body out of its op.
import type { Block, Operation, Value } from '../../ir/core.ts';
import type { Rand } from '../generate/rand.ts';
import type { IrProgram } from './mutator.ts';

/** A deep copy: mutators edit the copy, never their input. */
export function cloneProgram(p: IrProgram): IrProgram {
  return { module: p.module.clone(), args: p.args };
}

/** Every op of the module, in pre-order (a stable order, so choices replay from the seed). */
export function allOps(module: Operation): Operation[] {
  return [...module.walk()];
}

/**
 * Values that dominate `op`: results of earlier ops in its block and in each enclosing block up to its function,
 * and the arguments of those blocks. (Other blocks of a multi-block region are left out: they may not dominate.)
 */
export function dominatingValues(op: Operation): Value[] {
  const out: Value[] = [];
  let cur: Operation = op;
  for (let b: Block | undefined = op.parent; b; b = cur.parent) {
    out.push(...b.args);
    for (const o of b.ops) {
      if (o === cur) break;
      out.push(...o.results);
    }
    const parent = b.parentOp;
    if (!parent || parent.name === 'func.func') break;
    cur = parent;
  }
  return out;
}

/**
 * Replaces `op` (one region, one block) by its body: block arguments become `args`, the body moves in front of
 * `op`, and `op`'s results become the terminator's operands.
 */
export function hoistBody(op: Operation, region: number, args: readonly Value[]): void {
  const block = op.regions[region]!.blocks[0]!;
  block.args.forEach((a, k) => a.replaceAllUsesWith(args[k]!));
  const term = block.terminator!;
  for (const inner of block.ops.slice(0, -1)) inner.moveBefore(op);
  op.results.forEach((r, k) => r.replaceAllUsesWith(term.operands[k]!));
  op.erase();
}

/** Views of a buffer: a write through them writes their source. */
const VIEWS = new Set(['memref.subview', 'memref.cast', 'memref.reinterpret_cast']);

/** The memref.alloc/alloca a memref value views, if it is one (not an argument or a global). */
export function allocationOf(v: Value): Operation | undefined {
  let def = v.definingOp;
  while (def && VIEWS.has(def.name)) def = def.operands[0]!.definingOp;
  return def && (def.name === 'memref.alloc' || def.name === 'memref.alloca') ? def : undefined;
}

/** A random element, or undefined for none. */
export function pickOne<T>(r: Rand, xs: readonly T[]): T | undefined {
  return xs.length ? r.pick(xs) : undefined;
}
