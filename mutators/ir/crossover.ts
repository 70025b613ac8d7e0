// Splices a donor's private callee into the program: the callee, every callee and global it reaches, renamed so
// no symbol clashes, and a call to it in @main's top level. Why this stays UB-free: a generated callee assumes
// nothing about its scalar arguments (full-range facts; outline-region keeps that true of its callees), and it
// indexes its memref arguments by their static type, so only @main's own argument buffers of exactly that type are
// passed (always initialised and writable, never freed). The call's results replace free uses (op-safety.ts), so
// what the callee computes is observed without reaching a divisor, an index or a bound.
import type { Attr } from '../../ir/attributes.ts';
import { strAttr, symbolRef } from '../../ir/attributes.ts';
import { Operation } from '../../ir/core.ts';
import type { Value } from '../../ir/core.ts';
import type { FunctionType } from '../../ir/types.ts';
import { typeEq } from '../../ir/types.ts';
import { constrainedValues, dropPoisonFlags, isFreeUse } from './op-safety.ts';
import type { IrMutator } from './mutator.ts';
import { cloneProgram, dominatingValues, pickOne } from './structural-edit.ts';

const symName = (op: Operation): string | undefined => (op.props.sym_name?.kind === 'string' ? op.props.sym_name.value : undefined);
const refName = (a: Attr | undefined): string | undefined => (a?.kind === 'symbol' && a.path.length === 1 ? a.path[0] : undefined);

/** The symbols `f` refers to: callees (`callee`) and globals (`name` of memref.get_global). */
function referencedSymbols(f: Operation): string[] {
  const out: string[] = [];
  for (const op of f.walk()) {
    const s = op.name === 'func.call' ? refName(op.props.callee) : op.name === 'memref.get_global' ? refName(op.props.name) : undefined;
    if (s !== undefined) out.push(s);
  }
  return out;
}

/** `root` and every module-level symbol op it reaches, in the donor's order (definitions before uses do not matter). */
function closure(donorBody: readonly Operation[], root: Operation): Operation[] {
  const byName = new Map(donorBody.flatMap((op) => (symName(op) !== undefined ? [[symName(op)!, op] as const] : [])));
  const seen = new Set<Operation>([root]);
  const work = [root];
  while (work.length) {
    for (const s of referencedSymbols(work.pop()!)) {
      const op = byName.get(s);
      if (op && !seen.has(op)) {
        seen.add(op);
        work.push(op);
      }
    }
  }
  return donorBody.filter((op) => seen.has(op));
}

/** Copies of `ops` with every symbol among them renamed to a fresh name, and references rewritten. */
function renamedCopies(ops: readonly Operation[], taken: Set<string>): { copies: Operation[]; names: Map<string, string> } {
  const names = new Map<string, string>();
  for (const op of ops) {
    const old = symName(op)!;
    let k = 0;
    while (taken.has(`${old}_x${k}`)) k++;
    names.set(old, `${old}_x${k}`);
    taken.add(`${old}_x${k}`);
  }
  const copies = ops.map((op) => {
    const c = op.clone();
    c.props = { ...c.props, sym_name: strAttr(names.get(symName(op)!)!) };
    for (const inner of c.walk()) {
      for (const key of ['callee', 'name']) {
        const s = refName(inner.props[key]);
        if (s !== undefined && names.has(s) && (inner.name === 'func.call' || inner.name === 'memref.get_global')) inner.props = { ...inner.props, [key]: symbolRef(names.get(s)!) };
      }
    }
    return c;
  });
  return { copies, names };
}

export const crossover: IrMutator = {
  name: 'crossover',
  mutate(input, ctx) {
    const r = ctx.random;
    const donor = ctx.donor?.();
    if (!donor) return undefined;
    const p = cloneProgram(input);
    const body = p.module.regions[0]!.blocks[0]!;
    const main = body.ops.find((op) => op.name === 'func.func' && symName(op) === 'main');
    if (!main) return undefined;
    const mainArgs = main.regions[0]!.blocks[0]!.args;
    const donorBody = donor.module.regions[0]!.blocks[0]!.ops;
    // Callees whose memref parameters all match one of @main's buffers exactly and that free no buffer they are given.
    const usable = donorBody.filter((op) => {
      if (op.name !== 'func.func' || symName(op) === 'main' || op.props.function_type?.kind !== 'type') return false;
      const ft = op.props.function_type.type as FunctionType;
      return (
        ft.inputs.every((t) => t.kind !== 'memref' || mainArgs.some((a) => typeEq(a.type, t))) &&
        closure(donorBody, op).every((f) => [...f.walk()].every((o) => o.name !== 'memref.dealloc' || o.operands[0]!.definingOp?.name === 'memref.alloc'))
      );
    });
    const callee = pickOne(r, usable);
    if (!callee) return undefined;
    const taken = new Set(body.ops.map(symName).filter((s): s is string => s !== undefined));
    const { copies, names } = renamedCopies(closure(donorBody, callee), taken);
    for (const c of copies) {
      if (c.name === 'memref.global') body.insert(0, c);
      else c.insertBefore(main);
    }
    // The call goes before a random op of @main's top-level blocks (outside every loop, so no parallel body).
    const anchor = r.pick(main.regions[0]!.blocks.flatMap((b) => b.ops));
    const ft = (callee.props.function_type as { type: FunctionType }).type;
    const args: Value[] = [];
    for (const t of ft.inputs) {
      const pool = t.kind === 'memref' ? mainArgs.filter((a) => typeEq(a.type, t)) : dominatingValues(anchor).filter((v) => typeEq(v.type, t));
      const v = pickOne(r, pool);
      if (!v) {
        const c = new Operation('arith.constant', [], [t], { value: zeroOf(t) });
        c.insertBefore(anchor);
        args.push(c.result);
      } else args.push(v);
    }
    const call = new Operation('func.call', args, ft.results, { callee: symbolRef(names.get(symName(callee)!)!) });
    call.insertBefore(anchor);
    observeResults(call);
    return p;
  },
};

/** A zero constant attribute for a scalar parameter no visible value can fill. */
function zeroOf(t: FunctionType['inputs'][number]): Attr {
  if (t.kind === 'float') return { kind: 'float', type: t, bits: 0n };
  return { kind: 'int', type: t, value: 0n };
}

/** Makes later total uses in the call's block read its results, where nothing sensitive relies on them. */
function observeResults(call: Operation): void {
  const block = call.parent!;
  const later = block.ops.slice(block.ops.indexOf(call) + 1);
  const constrained = constrainedValues(call.parentOp!.parentOp!);
  for (const res of call.results) {
    for (const op of later) {
      const k = op.operands.findIndex((v, k) => typeEq(v.type, res.type) && isFreeUse(op, k, constrained));
      if (k >= 0) {
        dropPoisonFlags(op);
        op.setOperand(k, res);
        break;
      }
    }
  }
}
