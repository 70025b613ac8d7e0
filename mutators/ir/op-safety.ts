// Which values a structural mutator may change without re-proving UB-freedom. The generator justified flags,
// divisors, shift amounts, indices, loop bounds and NaN-freedom with facts it did not keep in the IR; a mutation
// that changes a value some op relied on could break them. So: an operand position is *total* when any value of
// its type keeps that op UB-free and portable (table below); every other position is sensitive, and the values
// feeding a sensitive position, transitively through data flow, are *constrained*. Changing how an unconstrained
// value is computed can never reach a sensitive position, so it cannot introduce UB.
import type { Block, Operation, Value } from '../../ir/core.ts';
import type { Type } from '../../ir/types.ts';

/** Integer ops whose operands may hold any bits (on int types; index results must stay in int32). */
const TOTAL_INT_BINARY = new Set(['arith.addi', 'arith.subi', 'arith.muli', 'arith.andi', 'arith.ori', 'arith.xori', 'arith.maxsi', 'arith.minsi', 'arith.maxui', 'arith.minui', 'arith.cmpi']);
/** Float ops defined for every input, NaN and infinities included (IEEE semantics, no poison). */
const TOTAL_FLOAT = new Set([
  'arith.addf', 'arith.subf', 'arith.mulf', 'arith.divf', 'arith.remf', 'arith.maximumf', 'arith.minimumf', 'arith.maxnumf', 'arith.minnumf',
  'arith.negf', 'arith.extf', 'arith.truncf', 'math.copysign', 'math.absf', 'math.sqrt', 'math.ceil', 'math.floor', 'math.round',
  'math.roundeven', 'math.trunc', 'math.fma', 'math.exp', 'math.exp2', 'math.expm1', 'math.log', 'math.log2', 'math.log10', 'math.log1p',
  'math.tanh', 'math.sin', 'math.cos', 'math.tan', 'math.atan', 'math.sinh', 'math.cosh', 'math.asinh', 'math.erf', 'math.cbrt',
  'math.rsqrt', 'math.erfc', 'math.asin', 'math.acos', 'math.acosh', 'math.atanh', 'math.powf', 'math.atan2', 'math.sincos',
]);
/** Any operand, any value: the op computes bits from bits (vectors: static positions only, checked below). */
const TOTAL_ANY = new Set([
  'math.absi', 'math.ctlz', 'math.cttz', 'math.ctpop', 'arith.extsi', 'arith.extui', 'arith.sitofp', 'arith.uitofp',
  'arith.addui_extended', 'arith.mulsi_extended', 'arith.mului_extended',
  'vector.broadcast', 'vector.shuffle', 'vector.fma', 'vector.from_elements', 'vector.to_elements', 'vector.interleave',
  'vector.shape_cast', 'vector.transpose', 'vector.extract_strided_slice', 'vector.insert_strided_slice', 'vector.outerproduct',
  'vector.multi_reduction', 'vector.reduction',
  // Results and yields: what they feed is checked through propagation, not here.
  'func.return', 'func.call', 'scf.yield', 'affine.yield', 'cf.br', 'scf.reduce', 'scf.reduce.return',
]);
/** Ops that write their first operand (a value) into memory: the stored value is never relied on. */
const STORES_VALUE_FIRST = new Set(['memref.store', 'affine.store', 'memref.atomic_rmw', 'vector.store', 'affine.vector_store', 'vector.transfer_write']);

const isIndexLike = (t: Type): boolean => t.kind === 'index' || (t.kind === 'vector' && t.elem.kind === 'index');
const isFloatLike = (t: Type): boolean => t.kind === 'float' || (t.kind === 'vector' && t.elem.kind === 'float');
const isIntLike = (t: Type): boolean => t.kind === 'int' || (t.kind === 'vector' && t.elem.kind === 'int');

/** nsw, nuw or exact: the result is poison on some inputs. */
export function hasIntPoisonFlags(op: Operation): boolean {
  const of = op.props.overflowFlags;
  return (of !== undefined && !(of.kind === 'dialect' && of.body.trim() === 'none')) || op.props.isExact !== undefined;
}

/** Fastmath flags other than none (nnan and ninf make results poison; the others allow other results). */
export function hasFastmath(op: Operation): boolean {
  const fm = op.props.fastmath;
  return fm !== undefined && !(fm.kind === 'dialect' && fm.body.trim() === 'none');
}

/** Drops nsw/nuw/exact: the result is unchanged wherever it was defined, and never poison afterwards. */
export function dropPoisonFlags(op: Operation): void {
  delete op.props.overflowFlags;
  delete op.props.isExact;
}

/**
 * Whether operand `k` of `op` may hold any value of its type without the op becoming UB, poison or
 * target-dependent. `ignoringFlags`: as if nsw/nuw/exact were dropped (the caller drops them).
 */
export function isTotalOperand(op: Operation, k: number, ignoringFlags = false): boolean {
  const v = op.operands[k]!;
  const t = v.type;
  // Index values must fit int32, and unsigned views of them differ between 32- and 64-bit targets.
  if (isIndexLike(t) || t.kind === 'memref' || t.kind === 'umemref') return false;
  const name = op.name;
  const flagsOk = !hasFastmath(op) && (ignoringFlags || !hasIntPoisonFlags(op));
  if (TOTAL_INT_BINARY.has(name)) return flagsOk && isIntLike(t);
  if (TOTAL_FLOAT.has(name)) return flagsOk && isFloatLike(t);
  if (TOTAL_ANY.has(name)) return flagsOk;
  switch (name) {
    case 'arith.select':
      return true;
    // Shifted value: any bits; the amount was proven below the width.
    case 'arith.shli':
    case 'arith.shrsi':
    case 'arith.shrui':
      return k === 0 && flagsOk;
    case 'arith.trunci':
      return flagsOk;
    // Int bits to float bits are fine; float to int bits would expose NaN payloads.
    case 'arith.bitcast':
      return isIntLike(t);
    case 'math.ipowi':
    case 'math.fpowi':
      return k === 0;
    // Every successor is UB-free whatever the flag; scf.if's branches were built without assuming the condition.
    case 'cf.switch':
    case 'scf.if':
      return k === 0;
    // Loop-carried values: the body assumed nothing about them (their facts are the type's full range).
    case 'scf.for':
      return k >= 3;
    case 'affine.for':
      return k >= op.operands.length - op.results.length;
    case 'vector.insert':
    case 'vector.extract':
      return op.operands.length === (name === 'vector.insert' ? 2 : 1);
    case 'vector.bitcast':
      return isIntLike(t);
    case 'vector.print':
      return isIntLike(t);
    // The padding (last when there is no mask, which is a vector) and the pass-through or stored lanes.
    case 'vector.transfer_read':
      return k === op.operands.length - 1 && t.kind !== 'vector';
    case 'vector.maskedload':
    case 'vector.maskedstore':
      return k === op.operands.length - 1;
  }
  if (STORES_VALUE_FIRST.has(name)) return k === 0 && !holdsShape(op.operands[1]!);
  return false;
}

/**
 * Whether `buffer` (or a cast of it) is the shape operand of a memref.reshape: the one buffer whose contents an op
 * relies on, so what is stored into it, and that it is stored at all, must not change.
 */
export function holdsShape(buffer: Value): boolean {
  for (const u of buffer.uses) {
    if (u.owner.name === 'memref.reshape' && u.index === 1) return true;
    if (u.owner.name === 'memref.cast' && holdsShape(u.owner.result)) return true;
  }
  return false;
}

/** The func.func a func.call names, if it is in the same module. */
export function calleeOf(call: Operation): Operation | undefined {
  const ref = call.props.callee;
  if (ref?.kind !== 'symbol') return undefined;
  const module = rootOp(call);
  for (const f of module.regions[0]?.blocks[0]?.ops ?? []) {
    const n = f.props.sym_name;
    if (f.name === 'func.func' && n?.kind === 'string' && n.value === ref.path[0]) return f;
  }
  return undefined;
}

function rootOp(op: Operation): Operation {
  let cur = op;
  for (let p = cur.parentOp; p; p = p.parentOp) cur = p;
  return cur;
}

/** Terminators of every block of every region of `op`. */
function terminatorsOf(op: Operation): Operation[] {
  return op.regions.flatMap((r) => r.blocks.map((b) => b.terminator).filter((t): t is Operation => t !== undefined));
}

/** Ops that branch to `b` (cf successors). */
function predecessorsOf(b: Block): Operation[] {
  const out: Operation[] = [];
  for (const blk of b.parent?.blocks ?? []) {
    const t = blk.terminator;
    if (t?.successors.includes(b)) out.push(t);
  }
  return out;
}

/** Reads of memory are never relied on (the generator knows nothing about loaded values), so they stop propagation. */
const MEMORY_READS = new Set(['memref.load', 'affine.load', 'vector.load', 'affine.vector_load', 'vector.transfer_read', 'vector.maskedload', 'memref.atomic_rmw']);

/**
 * Every value of the module that some sensitive operand position relies on, directly or through the ops,
 * region yields, branches and calls that compute it. Index values are always constrained (int32 range).
 */
export function constrainedValues(module: Operation): Set<Value> {
  const out = new Set<Value>();
  const work: Value[] = [];
  const mark = (v: Value): void => {
    if (out.has(v)) return;
    out.add(v);
    work.push(v);
  };
  const callsTo = new Map<string, Operation[]>();
  for (const op of module.walk()) {
    op.operands.forEach((v, k) => {
      if (!isTotalOperand(op, k)) mark(v);
    });
    for (const r of op.results) if (isIndexLike(r.type)) mark(r);
    if (op.name === 'func.call' && op.props.callee?.kind === 'symbol') {
      const name = op.props.callee.path[0]!;
      callsTo.set(name, [...(callsTo.get(name) ?? []), op]);
    }
  }
  while (work.length) {
    const v = work.pop()!;
    const def = v.definingOp;
    if (def) {
      if (MEMORY_READS.has(def.name)) continue;
      const carried = carriedSources(def, v.index);
      if (carried) carried.forEach(mark);
      else {
        def.operands.forEach(mark);
        for (const t of terminatorsOf(def)) t.operands.forEach(mark);
      }
      if (def.name === 'func.call') {
        const f = calleeOf(def);
        if (f) for (const t of terminatorsOf(f)) if (t.name === 'func.return') mark(t.operands[v.index]!);
      }
      continue;
    }
    const blk = v.parentBlock!;
    const parent = blk.parentOp;
    if (!parent) continue;
    if (parent.name === 'func.func' && blk === parent.regions[0]!.blocks[0]) {
      const name = parent.props.sym_name;
      if (name?.kind === 'string') for (const c of callsTo.get(name.value) ?? []) mark(c.operands[v.index]!);
    } else if (blk !== blk.parent!.blocks[0]) {
      for (const p of predecessorsOf(blk)) p.operands.forEach(mark);
    } else if (LOOPS.has(parent.name)) {
      // An induction variable depends only on the bounds (sensitive already); an iter arg on its init and yield.
      if (v.index > 0) carriedSources(parent, v.index - 1)?.forEach(mark);
    } else {
      parent.operands.forEach(mark);
      for (const t of terminatorsOf(parent)) t.operands.forEach(mark);
    }
  }
  return out;
}

const LOOPS = new Set(['scf.for', 'affine.for', 'scf.parallel', 'affine.parallel']);

/**
 * What the j-th result (or iter arg) of a loop or scf.if depends on besides control: its init and its yields.
 * Undefined for other ops, whose results depend on everything they hold.
 */
function carriedSources(op: Operation, j: number): Value[] | undefined {
  const yields = terminatorsOf(op).map((t) => t.operands[j]).filter((x): x is Value => x !== undefined);
  switch (op.name) {
    case 'scf.for':
    case 'affine.for':
      return [op.operands[op.operands.length - op.results.length + j]!, ...yields];
    case 'scf.if':
      return [op.operands[0]!, ...yields];
    default:
      return undefined;
  }
}

/** Whether no result of `op` is constrained: its values may change freely. */
export function resultsFree(op: Operation, constrained: ReadonlySet<Value>): boolean {
  return op.results.every((r) => !constrained.has(r));
}

/** Ops that pass an operand on (to a region, a callee, a successor): what it reaches decides, not their results. */
const PASSES_ON = new Set(['func.return', 'func.call', 'scf.yield', 'affine.yield', 'cf.br', 'cf.switch', 'scf.reduce', 'scf.reduce.return', 'scf.for', 'affine.for', 'scf.if']);

/**
 * Whether operand `k` of `op` may be given another value once nsw/nuw/exact are dropped from `op`: the position is
 * total and nothing sensitive relies on what the op computes from it.
 */
export function isFreeUse(op: Operation, k: number, constrained: ReadonlySet<Value>): boolean {
  if (!isTotalOperand(op, k, true)) return false;
  return PASSES_ON.has(op.name) ? !constrained.has(op.operands[k]!) : resultsFree(op, constrained);
}
