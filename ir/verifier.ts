// Checks a module against the op specs and MLIR's structural rules (dominance, terminators, symbols),
// so that tcfuzz never hands mlir-opt a program it would reject for a reason of our own making.
import type { AffineExpr } from './affine.ts';
import { isPureAffine, maxPositions } from './affine.ts';
import type { Attr } from './attributes.ts';
import { printAttr } from './attributes.ts';
import { Block, Operation, registerEditVerifier } from './core.ts';
import type { Region, Value } from './core.ts';
import { IrError } from './diagnostic.ts';
import { dialectAttrBodies, sameShape, sameTypes, splitGroups, ty, typeConstraints, types } from './ops/constraints.ts';
import './ops/index.ts';
import { lookupOp } from './ops/registry.ts';
import type { OpSpec, PropSpec } from './ops/spec.ts';
import { printType } from './types.ts';

/** Verifies `m` and everything nested in it; an empty list means the module is valid. */
export function verifyModule(m: Operation): IrError[] {
  const v = new Verifier();
  v.op(m);
  // As in MLIR, dominance is only checked once every op passed its own checks.
  if (v.errors.length === 0) v.dominance(m);
  return v.errors;
}

// Edit checks (core.ts's debug mode) report the first error.
registerEditVerifier((m) => verifyModule(m)[0]?.format());

const has = (s: OpSpec | undefined, t: NonNullable<OpSpec['traits']>[number]): boolean => !!s?.traits?.includes(t);

class Verifier {
  readonly errors: IrError[] = [];
  private readonly dom = new Map<Region, Dominance>();
  /** Op positions per block, for this run only: edits may reorder a block between two runs. */
  private readonly positions = new Map<Block, Map<Operation, number>>();

  private fail(op: Operation, msg: string): void {
    this.errors.push(new IrError(`'${op.name}' op ${msg}`, op.loc));
  }

  op(op: Operation): void {
    const spec = lookupOp(op.name);
    if (!spec) {
      this.errors.push(new IrError(`unregistered operation '${op.name}'`, op.loc));
    } else {
      const msg = this.structure(op, spec);
      if (msg !== undefined) this.fail(op, msg);
      else {
        let hook: string | undefined;
        try {
          hook = spec.verify?.(op);
        } catch (e) {
          // A hook bug must not stop a fuzzing campaign; it shows up as an error that names itself.
          hook = `verifier hook failed: ${(e as Error).message}`;
        }
        if (hook !== undefined) this.fail(op, hook);
      }
    }
    for (const r of op.regions) for (const b of r.blocks) for (const inner of b.ops) this.op(inner);
  }

  /** The spec-driven checks, in the order MLIR's generated verifiers run them. */
  private structure(op: Operation, spec: OpSpec): string | undefined {
    const traits = spec.traits ?? [];
    const props = this.props(op, spec);
    if (props) return props;
    const operands = splitGroups(spec.operands, op.operands, op.props.operandSegmentSizes, traits.includes('attr-sized-operands'), 'operand');
    if (typeof operands === 'string') return operands;
    const results = splitGroups(spec.results, op.results, op.props.resultSegmentSizes, traits.includes('attr-sized-results'), 'result');
    if (typeof results === 'string') return results;
    for (const [list, what] of [[spec.operands, 'operand'], [spec.results, 'result']] as const) {
      const values = what === 'operand' ? op.operands : op.results;
      const groups = what === 'operand' ? operands : results;
      for (const g of list) {
        const c = g.type && typeConstraints[g.type];
        if (!c) continue;
        for (const v of groups.get(g.name)!) {
          if (!c.test(v.type)) return `${what} #${values.indexOf(v)} must be ${c.desc}, but got ${ty(v.type)}`;
        }
      }
    }
    const all = new Map([...operands, ...results]);
    for (const names of spec.sameType ?? []) {
      const ts = names.flatMap((n) => types(all.get(n) ?? []));
      if (ts.some((t) => printType(t) !== printType(ts[0]!))) {
        return names.every((n) => spec.operands.some((g) => g.name === n)) ? 'requires all operands to have the same type' : 'requires the same type for all operands and results';
      }
    }
    for (const names of spec.sameShape ?? []) {
      const ts = names.flatMap((n) => types(all.get(n) ?? []));
      if (ts.some((t) => !sameShape(t, ts[0]!))) return `requires the same shape for ${names.join(', ')}`;
    }

    if (!spec.variadicRegions && op.regions.length !== (spec.regions ?? 0)) return `requires ${spec.regions ?? 0} regions, but found ${op.regions.length}`;
    const succ = spec.successors ?? 0;
    if (succ !== 'variadic' && op.successors.length !== succ) return `requires ${succ} successors, but found ${op.successors.length}`;
    if (op.successors.length && op !== op.parent?.terminator) return 'must be the last operation in the parent block';

    if (spec.parents) {
      const p = op.parentOp;
      if (!p || !spec.parents.includes(p.name)) return `expects parent op ${spec.parents.length > 1 ? 'to be one of ' : ''}'${spec.parents.join(', ')}'`;
    }
    if (traits.includes('terminator') && op.parent && op.parent.terminator !== op) return 'must be the last operation in the parent block';
    if (traits.includes('symbol') && op.parentOp && !has(lookupOp(op.parentOp.name), 'symbol-table')) return "symbol's parent must have the SymbolTable trait";

    const regionMsg = this.regions(op, spec);
    if (regionMsg) return regionMsg;
    const succMsg = this.successors(op, spec, operands);
    if (succMsg) return succMsg;
    if (traits.includes('symbol-table')) return this.symbols(op);
    return undefined;
  }

  private props(op: Operation, spec: OpSpec): string | undefined {
    const declared = spec.props ?? {};
    const traits = spec.traits ?? [];
    for (const [name, p] of Object.entries(declared)) {
      if (p.required && !(name in op.props)) return `requires attribute '${name}'`;
    }
    for (const [name, a] of Object.entries(op.props)) {
      if (name === 'operandSegmentSizes' && traits.includes('attr-sized-operands')) continue;
      if (name === 'resultSegmentSizes' && traits.includes('attr-sized-results')) continue;
      const p = declared[name];
      if (!p) return `does not accept property '${name}'`;
      const m = checkProp(a, p);
      if (m) return `attribute '${name}' ${m}`;
    }
    return undefined;
  }

  private regions(op: Operation, spec: OpSpec): string | undefined {
    const needsTerminator = !has(spec, 'no-terminator');
    for (let k = 0; k < op.regions.length; k++) {
      const r = op.regions[k]!;
      if (has(spec, 'single-block') && r.blocks.length > 1) return `expects region #${k} to have 0 or 1 blocks`;
      if (r.blocks.length && this.predecessors(r).get(r.blocks[0]!)!.length) return `entry block of region #${k} may not have predecessors`;
      const want = spec.terminators && (spec.terminators[k] ?? spec.terminators[spec.terminators.length - 1]);
      for (const b of r.blocks) {
        const last = b.ops[b.ops.length - 1];
        if (!needsTerminator) continue;
        if (!last) return `region #${k}: empty block: expect at least a terminator`;
        if (!has(lookupOp(last.name), 'terminator') && lookupOp(last.name)) return `region #${k}: block must end with a terminator, found '${last.name}'`;
        if (want && last.name !== want) return `expects regions to end with '${want}', found '${last.name}'`;
      }
    }
    return undefined;
  }

  private successors(op: Operation, spec: OpSpec, operands: Map<string, Value[]>): string | undefined {
    for (const s of op.successors) {
      if (s.parent !== op.parent?.parent) return 'reference to block defined in another region';
    }
    const so = spec.successorOperands;
    if (!so) return undefined;
    const forwarded = typeof so === 'function' ? so(op) : so.map((n) => operands.get(n) ?? []);
    for (let k = 0; k < op.successors.length; k++) {
      const got = types(forwarded[k] ?? []);
      const want = types(op.successors[k]!.args);
      if (got.length !== want.length) return `branch has ${got.length} operands for successor #${k}, but target block has ${want.length}`;
      for (let j = 0; j < got.length; j++) {
        if (!sameTypes([got[j]!], [want[j]!])) return `type mismatch for bb argument #${j} of successor #${k}`;
      }
    }
    return undefined;
  }

  private symbols(op: Operation): string | undefined {
    const seen = new Set<string>();
    for (const r of op.regions)
      for (const b of r.blocks)
        for (const inner of b.ops) {
          const n = inner.props.sym_name;
          if (n?.kind !== 'string') continue;
          if (seen.has(n.value)) return `redefinition of symbol named '${n.value}'`;
          seen.add(n.value);
        }
    return undefined;
  }

  private predecessors(r: Region): Map<Block, Block[]> {
    return this.dominance_(r).preds;
  }

  private dominance_(r: Region): Dominance {
    let d = this.dom.get(r);
    if (!d) this.dom.set(r, (d = new Dominance(r)));
    return d;
  }

  /** Every use must be dominated by its definition, and may not reach across an isolated-from-above op. */
  dominance(root: Operation): void {
    for (const op of root.walk()) {
      // Like MLIR, one error per op: the first operand that fails.
      for (let k = 0; k < op.operands.length; k++) {
        const m = this.dominates(op.operands[k]!, op);
        if (m === undefined) continue;
        this.fail(op, m.replace('#', `#${k}`));
        break;
      }
    }
  }

  private dominates(v: Value, user: Operation): string | undefined {
    const defBlock = v.parentBlock;
    const defRegion = defBlock?.parent;
    if (!defBlock || !defRegion) return 'operand # is not attached to the IR';
    let cur = user;
    while (cur.parent?.parent !== defRegion) {
      const p = cur.parentOp;
      if (!p) return 'operand # does not dominate this use';
      if (has(lookupOp(p.name), 'isolated-from-above')) return 'using value defined outside the region';
      cur = p;
    }
    const useBlock = cur.parent!;
    const regionOp = defRegion.parent;
    if (regionOp && has(lookupOp(regionOp.name), 'graph-region')) return undefined;
    const def = v.definingOp;
    if (useBlock === defBlock) {
      if (!def) return undefined;
      return def !== cur && this.indexIn(def) < this.indexIn(cur) ? undefined : 'operand # does not dominate this use';
    }
    return this.dominance_(defRegion).dominates(defBlock, useBlock) ? undefined : 'operand # does not dominate this use';
  }

  private indexIn(op: Operation): number {
    const b = op.parent!;
    let m = this.positions.get(b);
    if (!m) this.positions.set(b, (m = new Map(b.ops.map((o, k) => [o, k]))));
    return m.get(op)!;
  }
}


/** Block dominance in one CFG region (Cooper, Harvey and Kennedy's iterative algorithm). */
class Dominance {
  readonly preds = new Map<Block, Block[]>();
  private readonly idom = new Map<Block, Block>();

  constructor(r: Region) {
    for (const b of r.blocks) this.preds.set(b, []);
    for (const b of r.blocks) for (const s of b.terminator?.successors ?? []) this.preds.get(s)?.push(b);
    const entry = r.blocks[0];
    if (!entry) return;
    // Post-order by an explicit stack: generated CFGs may be deep enough to overflow recursion.
    const order: Block[] = [];
    const seen = new Set<Block>([entry]);
    const stack: [Block, number][] = [[entry, 0]];
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const succs = top[0].terminator?.successors ?? [];
      if (top[1] < succs.length) {
        const s = succs[top[1]++]!;
        if (!seen.has(s) && this.preds.has(s)) {
          seen.add(s);
          stack.push([s, 0]);
        }
      } else {
        order.push(top[0]);
        stack.pop();
      }
    }
    const rpo = order.reverse();
    const num = new Map(rpo.map((b, k) => [b, k]));
    this.idom.set(entry, entry);
    const intersect = (a: Block, b: Block): Block => {
      while (a !== b) {
        while (num.get(a)! > num.get(b)!) a = this.idom.get(a)!;
        while (num.get(b)! > num.get(a)!) b = this.idom.get(b)!;
      }
      return a;
    };
    for (let changed = true; changed; ) {
      changed = false;
      for (const b of rpo.slice(1)) {
        let d: Block | undefined;
        for (const p of this.preds.get(b)!) if (this.idom.has(p)) d = d ? intersect(p, d) : p;
        if (d && this.idom.get(b) !== d) {
          this.idom.set(b, d);
          changed = true;
        }
      }
    }
  }

  /** As in LLVM: an unreachable block is dominated by everything, and dominates nothing else. */
  dominates(a: Block, b: Block): boolean {
    if (!this.idom.has(b)) return true;
    if (!this.idom.has(a)) return false;
    for (let cur = b; ; cur = this.idom.get(cur)!) {
      if (cur === a) return true;
      if (this.idom.get(cur) === cur) return false;
    }
  }
}

function checkProp(a: Attr, p: PropSpec): string | undefined {
  if (p.kind && a.kind !== p.kind) return `must be a ${p.kind} attribute, but got ${printAttr(a)}`;
  if (a.kind === 'affine_map' && !wellFormed(a.map.dims, a.map.syms, a.map.results)) return `is not a valid affine map: ${printAttr(a)}`;
  if (a.kind === 'integer_set' && !wellFormed(a.set.dims, a.set.syms, a.set.constraints.map((c) => c.expr))) return `is not a valid integer set: ${printAttr(a)}`;
  if (p.dialect && a.kind === 'dialect') {
    const name = a.mnemonic ? `${a.dialect}.${a.mnemonic}` : a.dialect;
    if (name !== p.dialect) return `must be #${p.dialect}<...>, but got ${printAttr(a)}`;
    const ok = dialectAttrBodies[name];
    if (ok && !ok(a.body)) return `has an invalid value ${printAttr(a)}`;
  }
  if (p.type) {
    const t = a.kind === 'int' ? a.type : a.kind === 'dense_array' ? a.elem : undefined;
    if (t && printType(t) !== p.type) return `must have type ${p.type}, but got ${printAttr(a)}`;
    if (a.kind === 'type' && a.type.kind !== p.type) return `must be a ${p.type} type, but got ${printAttr(a)}`;
  }
  if (p.range && a.kind === 'int' && (a.value < BigInt(p.range[0]) || a.value > BigInt(p.range[1]))) {
    return `must be in [${p.range[0]}, ${p.range[1]}], but got ${a.value}`;
  }
  return undefined;
}

/** What MLIR's parser would accept: positions in range, and no products or divisions by dims. */
function wellFormed(dims: number, syms: number, exprs: readonly AffineExpr[]): boolean {
  return exprs.every((e) => {
    const m = maxPositions(e);
    return m.dim < dims && m.sym < syms && isPureAffine(e);
  });
}
