// affine dialect semantics. Maps are compiled to number closures; any intermediate beyond 2^53 falls back to
// exact BigInt evaluation. Results are index values, so they must stay in int32.
import type { AffineExpr, AffineMap } from '../ir/affine.ts';
import { evalAffineExpr } from '../ir/affine.ts';
import type { Operation } from '../ir/core.ts';
import { denseInts, prop } from './attrs.ts';
import type { Cx, Frame, Instr } from './engine.ts';
import { defineOps, exitTerm } from './engine.ts';
import type { MemRef } from './memory.ts';
import { linearIndex, readAt, writeAt } from './memory.ts';
import { rmwCombiner, RMW_KINDS, segments, storeTaint } from './memref.ts';
import { elemKindOf } from './lift.ts';
import { intFromBig } from './int-semantics.ts';
import { takeOut } from './scf.ts';
import { ub, unsupported } from './ub.ts';
import type { ElemKind, Scalar, Vec } from './values.ts';
import { checkIndex } from './values.ts';

type NumFn = (v: readonly number[]) => number;

const nonPositive = (k: string, r: number | bigint): never => ub('invalid-affine', `affine ${k} by non-positive value ${r}`);

/** v holds dims then symbols. Returns NaN when an intermediate leaves the exact double range. */
function compileExpr(e: AffineExpr, dims: number): NumFn {
  switch (e.k) {
    case 'dim':
      return (v) => v[e.i]!;
    case 'sym': {
      const i = dims + e.i;
      return (v) => v[i]!;
    }
    case 'const': {
      const c = Number(e.v);
      return () => c;
    }
    case 'add': {
      const l = compileExpr(e.l, dims);
      const r = compileExpr(e.r, dims);
      return (v) => {
        const x = l(v) + r(v);
        return Number.isSafeInteger(x) ? x : NaN;
      };
    }
    case 'mul': {
      const l = compileExpr(e.l, dims);
      const r = compileExpr(e.r, dims);
      return (v) => {
        const x = l(v) * r(v);
        return Number.isSafeInteger(x) ? x + 0 : NaN;
      };
    }
    default: {
      const l = compileExpr(e.l, dims);
      const r = compileExpr(e.r, dims);
      const kind = e.k;
      return (v) => {
        const a = l(v);
        const b = r(v);
        if (Math.abs(a) > 2 ** 52) return NaN; // the double quotient is exact only below this
        if (!(b > 0)) {
          if (b !== b) return NaN;
          nonPositive(kind, b);
        }
        if (kind === 'mod') return ((a % b) + b) % b;
        return kind === 'floordiv' ? Math.floor(a / b) : Math.ceil(a / b);
      };
    }
  }
}

/** Evaluates all results of a map on dims+syms values; exact, and each result checked as an index. */
export function compileMap(m: AffineMap): (v: readonly number[]) => number[] {
  const fns = m.results.map((e) => compileExpr(e, m.dims));
  return (v) =>
    fns.map((f, k) => {
      let x = f(v);
      if (x !== x || Math.abs(x) > 2 ** 52) {
        try {
          x = Number(
            evalAffineExpr(
              m.results[k]!,
              v.slice(0, m.dims).map((y) => BigInt(y)),
              v.slice(m.dims).map((y) => BigInt(y)),
            ),
          );
        } catch (err) {
          if (err instanceof RangeError) nonPositive('division', 0);
          throw err;
        }
      }
      return checkIndex(x);
    });
}

function mapProp(op: Operation, name: string): AffineMap {
  const a = prop(op, name);
  if (!a || a.kind !== 'affine_map') unsupported(op, `${op.name} without ${name}`);
  return a.map;
}

function values(fr: Frame, slots: readonly number[]): number[] {
  const out = new Array<number>(slots.length);
  for (let k = 0; k < slots.length; k++) out[k] = fr.r[slots[k]!] as number;
  return out;
}

function anyTaint(fr: Frame, slots: readonly number[]): number {
  if (fr.t === null) return 0;
  let x = 0;
  for (const s of slots) x |= fr.t[s]!;
  return x;
}

function forSem(op: Operation, cx: Cx): Instr {
  const [lbS = [], ubS = [], initS = []] = segments(op, cx);
  const lbMap = compileMap(mapProp(op, 'lowerBoundMap'));
  const ubMap = compileMap(mapProp(op, 'upperBoundMap'));
  const stepA = prop(op, 'step');
  const step = stepA?.kind === 'int' ? Number(stepA.value) : 1;
  if (!(step > 0)) unsupported(op, `affine.for with step ${step}`);
  const body = cx.region(op.regions[0]!);
  const [ivS, ...iterS] = body.argSlots as [number, ...number[]];
  const ds = cx.slotsOf(op.results);
  return (fr) => {
    const r = fr.r;
    const lb = Math.max(...lbMap(values(fr, lbS)));
    const u = Math.min(...ubMap(values(fr, ubS)));
    const savedPc = fr.pc;
    const bt = anyTaint(fr, [...lbS, ...ubS]);
    fr.pc |= bt;
    for (let k = 0; k < iterS.length; k++) {
      r[iterS[k]!] = r[initS[k]!]!;
      if (fr.t !== null) fr.t[iterS[k]!] = fr.t[initS[k]!]! | fr.pc;
    }
    for (let iv = lb; iv < u; ) {
      r[ivS] = iv;
      if (fr.t !== null) fr.t[ivS] = fr.pc;
      body.exec(fr);
      if (iterS.length) takeOut(fr, body, iterS);
      iv = checkIndex(iv + step);
    }
    for (let k = 0; k < ds.length; k++) {
      r[ds[k]!] = r[iterS[k]!]!;
      if (fr.t !== null) fr.t[ds[k]!] = fr.t[iterS[k]!]! | fr.pc;
    }
    fr.pc = savedPc;
  };
}

function ifSem(op: Operation, cx: Cx): Instr {
  const a = prop(op, 'condition');
  if (!a || a.kind !== 'integer_set') unsupported(op, 'affine.if without an integer set');
  const set = a.set;
  const fns = set.constraints.map((c) => ({ f: compileMap({ dims: set.dims, syms: set.syms, results: [c.expr] }), eq: c.eq }));
  const args = cx.slotsOf(op.operands);
  const thenR = cx.region(op.regions[0]!);
  const elseR = op.regions[1] ? cx.region(op.regions[1]) : undefined;
  const ds = cx.slotsOf(op.results);
  return (fr) => {
    const v = values(fr, args);
    const holds = fns.every(({ f, eq }) => {
      const x = f(v)[0]!;
      return eq ? x === 0 : x >= 0;
    });
    const savedPc = fr.pc;
    fr.pc |= anyTaint(fr, args);
    const rc = holds ? thenR : elseR;
    if (rc !== undefined && rc.blocks.length !== 0) {
      rc.exec(fr);
      takeOut(fr, rc, ds);
    }
    fr.pc = savedPc;
  };
}

function accessSem(op: Operation, cx: Cx, store: boolean): Instr {
  const slots = cx.slotsOf(op.operands);
  const v = store ? slots[0]! : -1;
  const m = slots[store ? 1 : 0]!;
  const mapArgs = slots.slice(store ? 2 : 1);
  const map = compileMap(mapProp(op, 'map'));
  const d = store ? -1 : cx.slot(op.results[0]!);
  const what = op.name;
  const addrSlots = [m, ...mapArgs];
  return (fr) => {
    const mr = fr.r[m] as MemRef;
    const lin = linearIndex(mr, map(values(fr, mapArgs)), what);
    if (store) {
      writeAt(mr, lin, fr.r[v] as Scalar);
      if (fr.t !== null) storeTaint(fr, mr.buf, lin, v, addrSlots);
    } else {
      fr.r[d] = readAt(mr, lin);
      if (mr.buf.taint !== null && fr.t !== null) fr.st.extraT = mr.buf.taint[lin]!;
    }
  };
}

function vectorAccessSem(op: Operation, cx: Cx, store: boolean): Instr {
  const slots = cx.slotsOf(op.operands);
  const v = store ? slots[0]! : -1;
  const m = slots[store ? 1 : 0]!;
  const mapArgs = slots.slice(store ? 2 : 1);
  const map = compileMap(mapProp(op, 'map'));
  const vt = (store ? op.operands[0]! : op.results[0]!).type;
  if (vt.kind !== 'vector') unsupported(op, `${op.name} without a vector type`);
  const shape = vt.shape;
  const n = shape.reduce((a, b) => a * b, 1);
  const d = store ? -1 : cx.slot(op.results[0]!);
  const what = op.name;
  return (fr) => {
    const mr = fr.r[m] as MemRef;
    const base = map(values(fr, mapArgs));
    const lead = base.length - shape.length;
    const out: Scalar[] = [];
    const vec = store ? (fr.r[v] as Vec) : undefined;
    let tainted = 0;
    for (let p = 0; p < n; p++) {
      const idx = base.slice();
      let rest = p;
      for (let k = shape.length - 1; k >= 0; k--) {
        idx[lead + k]! += rest % shape[k]!;
        rest = Math.floor(rest / shape[k]!);
      }
      const lin = linearIndex(mr, idx, what);
      if (store) {
        writeAt(mr, lin, vec![p]!);
        if (fr.t !== null) storeTaint(fr, mr.buf, lin, v, [m, ...mapArgs]);
      } else {
        out.push(readAt(mr, lin));
        if (mr.buf.taint !== null) tainted |= mr.buf.taint[lin]!;
      }
    }
    if (!store) {
      fr.r[d] = out;
      if (fr.t !== null && tainted) fr.st.extraT = 1;
    }
  };
}

function applySem(op: Operation, cx: Cx, pick: 'one' | 'min' | 'max'): Instr {
  const map = compileMap(mapProp(op, 'map'));
  const args = cx.slotsOf(op.operands);
  const d = cx.slot(op.results[0]!);
  if (pick === 'one')
    return (fr) => {
      fr.r[d] = map(values(fr, args))[0]!;
    };
  return (fr) => {
    const rs = map(values(fr, args));
    fr.r[d] = pick === 'min' ? Math.min(...rs) : Math.max(...rs);
  };
}

/** affine.linearize_index / delinearize_index with mixed static/dynamic basis. */
function basisOf(op: Operation, dynSlots: readonly number[]): (fr: Frame) => number[] {
  const stat = denseInts(op, 'static_basis') ?? [];
  let next = 0;
  const slotOf = stat.map((b) => (b === -(2 ** 63) ? dynSlots[next++]! : -1));
  return (fr) => stat.map((b, k) => (slotOf[k]! >= 0 ? (fr.r[slotOf[k]!] as number) : b));
}

/** Results from the innermost: r_k = x mod b_k, x = x floordiv b_k; the outermost takes what is left. */
function delinearizeSem(op: Operation, cx: Cx): Instr {
  const lin = cx.slot(op.operands[0]!);
  const basis = basisOf(op, cx.slotsOf(op.operands.slice(1)));
  const ds = cx.slotsOf(op.results);
  return (fr) => {
    const b = basis(fr);
    const x0 = fr.r[lin] as number;
    const inner = b.slice(b.length === ds.length ? 1 : 0);
    let total = 1;
    for (const size of b) {
      if (!(size > 0)) ub('invalid-affine', `affine.delinearize_index with basis entry ${size}`);
      total *= size;
    }
    if (x0 < 0 || (b.length === ds.length && x0 >= total))
      ub('poison', `affine.delinearize_index of ${x0} outside the basis (${b.join(', ')})`);
    let x = x0;
    for (let k = ds.length - 1; k >= 1; k--) {
      const size = inner[k - 1]!;
      fr.r[ds[k]!] = x % size;
      x = Math.floor(x / size);
    }
    fr.r[ds[0]!] = x;
  };
}

/** sum idx_k * prod(basis_{>k}); `disjoint` promises idx_k in [0, basis_k), and breaking it is poison. */
function linearizeSem(op: Operation, cx: Cx): Instr {
  const segs = segments(op, cx);
  const idx = segs[0] ?? [];
  const basis = basisOf(op, segs[1] ?? []);
  const a = prop(op, 'disjoint');
  const disjoint = a !== undefined && (a.kind === 'unit' || (a.kind === 'int' && a.value !== 0n));
  const d = cx.slot(op.results[0]!);
  return (fr) => {
    const b = basis(fr);
    const lead = idx.length - b.length;
    let x = 0;
    for (let k = 0; k < idx.length; k++) {
      const i = fr.r[idx[k]!] as number;
      const size = k - lead >= 0 ? b[k - lead]! : undefined;
      if (disjoint && size !== undefined && !(i >= 0 && i < size)) ub('poison', `affine.linearize_index disjoint: index ${i} outside [0, ${size})`);
      x = k === 0 ? i : checkIndex(x * (size ?? 1) + i);
    }
    fr.r[d] = checkIndex(x);
  };
}

/** Identity of a reduction kind: what lower-affine seeds the scf.parallel reduction with. */
function reductionIdentity(op: Operation, kind: string, ek: ElemKind): Scalar {
  if (ek.k === 'f') {
    switch (kind) {
      case 'addf':
        return 0;
      case 'mulf':
        return 1;
      case 'maximumf':
      case 'maxnumf':
        return -Infinity;
      case 'minimumf':
      case 'minnumf':
        return Infinity;
    }
  } else {
    const big = ek.k === 'b';
    const w = ek.w;
    const v = (x: bigint): Scalar => intFromBig(ek, x);
    switch (kind) {
      case 'addi':
      case 'ori':
      case 'xori':
      case 'maxu':
        return big ? 0n : 0;
      case 'muli':
        return v(1n);
      case 'andi':
      case 'minu':
        return v(-1n);
      case 'maxs':
        return v(-(1n << BigInt(w - 1)));
      case 'mins':
        return v((1n << BigInt(w - 1)) - 1n);
    }
  }
  unsupported(op, `affine.parallel reduction ${kind} on ${ek.k === 'f' ? ek.name : 'i' + ek.w}`);
}

function groups(op: Operation, name: string): number[] {
  const g = denseInts(op, name);
  if (!g) unsupported(op, `affine.parallel without ${name}`);
  return g;
}

function parallelSem(op: Operation, cx: Cx): Instr {
  const lbMapA = mapProp(op, 'lowerBoundsMap');
  const ubMapA = mapProp(op, 'upperBoundsMap');
  const lbMap = compileMap(lbMapA);
  const ubMap = compileMap(ubMapA);
  const lbG = groups(op, 'lowerBoundsGroups');
  const ubG = groups(op, 'upperBoundsGroups');
  const steps = denseInts(op, 'steps') ?? lbG.map(() => 1);
  const args = cx.slotsOf(op.operands);
  const nLb = lbMapA.dims + lbMapA.syms;
  const lbArgs = args.slice(0, nLb);
  const ubArgs = args.slice(nLb);
  const red = prop(op, 'reductions');
  const kinds = red && red.kind === 'array' ? red.elems.map((e) => (e.kind === 'int' ? RMW_KINDS[Number(e.value)]! : '?')) : [];
  const eks = op.results.map((r) => elemKindOf(r.type));
  const combine = kinds.map((k, j) => rmwCombiner(op, k, eks[j]!));
  const ids = kinds.map((k, j) => reductionIdentity(op, k, eks[j]!));
  const floatReduction = eks.some((k) => k.k === 'f');
  const body = cx.region(op.regions[0]!);
  const ivS = body.argSlots;
  const ds = cx.slotsOf(op.results);
  const n = lbG.length;
  const pick = (vals: number[], g: number[], f: (...x: number[]) => number): number[] => {
    let pos = 0;
    return g.map((c) => {
      const part = vals.slice(pos, pos + c);
      pos += c;
      return f(...part);
    });
  };
  return (fr) => {
    const lb = pick(lbMap(values(fr, lbArgs)), lbG, Math.max);
    const u = pick(ubMap(values(fr, ubArgs)), ubG, Math.min);
    const savedPc = fr.pc;
    fr.pc |= anyTaint(fr, args);
    const acc = ids.slice();
    const accT = ids.map(() => 0);
    let empty = false;
    for (let k = 0; k < n; k++) if (!(lb[k]! < u[k]!)) empty = true;
    const iv = lb.slice();
    while (!empty) {
      for (let k = 0; k < n; k++) {
        fr.r[ivS[k]!] = iv[k]!;
        if (fr.t !== null) fr.t[ivS[k]!] = fr.pc;
      }
      body.exec(fr);
      for (let j = 0; j < acc.length; j++) {
        acc[j] = combine[j]!(acc[j]!, body.out[j] as Scalar);
        if (fr.t !== null) accT[j]! |= body.outT[j]!;
      }
      let d = n - 1;
      for (; d >= 0; d--) {
        iv[d] = checkIndex(iv[d]! + steps[d]!);
        if (iv[d]! < u[d]!) break;
        iv[d] = lb[d]!;
      }
      if (d < 0) break;
    }
    for (let j = 0; j < ds.length; j++) {
      fr.r[ds[j]!] = acc[j]!;
      // The reduction order is unspecified for a parallel loop: float results are not exactly reproducible.
      if (fr.t !== null) fr.t[ds[j]!] = accT[j]! | fr.pc | (floatReduction ? 1 : 0);
    }
    fr.pc = savedPc;
  };
}

defineOps({
  'affine.parallel': { compile: parallelSem, taint: 'self', enablesTaint: (op) => op.results.some((r) => elemKindOf(r.type).k === 'f') },
  'affine.for': { compile: forSem, taint: 'self' },
  'affine.if': { compile: ifSem, taint: 'self' },
  'affine.load': { compile: (op, cx) => accessSem(op, cx, false) },
  'affine.store': { compile: (op, cx) => accessSem(op, cx, true), taint: 'self' },
  'affine.vector_load': { compile: (op, cx) => vectorAccessSem(op, cx, false) },
  'affine.vector_store': { compile: (op, cx) => vectorAccessSem(op, cx, true), taint: 'self' },
  'affine.apply': { compile: (op, cx) => applySem(op, cx, 'one') },
  'affine.min': { compile: (op, cx) => applySem(op, cx, 'min') },
  'affine.max': { compile: (op, cx) => applySem(op, cx, 'max') },
  'affine.delinearize_index': { compile: delinearizeSem },
  'affine.linearize_index': { compile: linearizeSem },
  'affine.prefetch': { compile: () => () => undefined },
  'affine.yield': { term: exitTerm },
});

