// scf dialect semantics. Loop-carried values live in the body's argument slots between iterations.
// Taint: a loop whose bounds or a conditional whose predicate is tainted runs its regions with frame.pc set,
// so everything they produce or store is tainted; pc is restored where the structured op reconverges.
import type { Operation } from '../ir/core.ts';
import { denseInts, hasUnit } from './attrs.ts';
import type { Cx, Frame, Instr, RegionCode } from './engine.ts';
import { defineOps, exitTerm } from './engine.ts';
import { elemKindOf } from './lift.ts';
import { segments } from './memref.ts';
import { ub, unsupported } from './ub.ts';
import type { Val } from './values.ts';
import { checkIndex, indexMax, sextN, uN } from './values.ts';

/** Copies a region's exit values into slots (with their taints). */
export function takeOut(fr: Frame, rc: RegionCode, dst: readonly number[], from = 0): void {
  const out = rc.out;
  for (let k = 0; k < dst.length; k++) fr.r[dst[k]!] = out[k + from]!;
  if (fr.t !== null) for (let k = 0; k < dst.length; k++) fr.t[dst[k]!] = rc.outT[k + from]! | fr.pc;
}

function copySlots(fr: Frame, src: readonly number[], dst: readonly number[]): void {
  const n = dst.length;
  for (let k = 0; k < n; k++) fr.r[dst[k]!] = fr.r[src[k]!]!;
  if (fr.t !== null) for (let k = 0; k < n; k++) fr.t[dst[k]!] = fr.t[src[k]!]! | fr.pc;
}

function anyTaint(fr: Frame, slots: readonly number[]): number {
  if (fr.t === null) return 0;
  let x = 0;
  for (const s of slots) x |= fr.t[s]!;
  return x;
}

/** iv + step in the induction type. Lowered loops compute it before comparing with the bound, so an overflow
 * (or an index leaving int32) changes the trip count on some target even when the loop is about to exit. */
function inductionStep(op: Operation): (iv: Val, step: Val) => Val {
  const k = elemKindOf(op.operands[0]!.type);
  const unsigned = hasUnit(op, 'unsignedCmp');
  if (k.k === 'x') return (iv, st) => checkIndex((iv as number) + (st as number));
  if (k.k === 'n') {
    const w = k.w;
    const max = unsigned ? 2 ** w - 1 : 2 ** (w - 1) - 1;
    return (iv, st) => {
      const a = unsigned ? uN(w, iv as number) + uN(w, st as number) : (iv as number) + (st as number);
      if (a > max) ub('poison', `${op.name}: induction variable overflows i${w}`);
      return unsigned ? sextN(w, a) : a;
    };
  }
  if (k.k === 'b') {
    const w = BigInt(k.w);
    return (iv, st) => {
      const a = unsigned ? BigInt.asUintN(k.w, iv as bigint) + BigInt.asUintN(k.w, st as bigint) : (iv as bigint) + (st as bigint);
      if (unsigned ? a >= 1n << w : a >= 1n << (w - 1n)) ub('poison', `${op.name}: induction variable overflows i${k.w}`);
      return BigInt.asIntN(k.w, a);
    };
  }
  unsupported(op, `${op.name} over a float induction variable`);
}

function forSem(op: Operation, cx: Cx): Instr {
  const [lbS, ubS, stS, ...initS] = cx.slotsOf(op.operands) as [number, number, number, ...number[]];
  const body = cx.region(op.regions[0]!);
  const [ivS, ...iterS] = body.argSlots as [number, ...number[]];
  const ds = cx.slotsOf(op.results);
  const k = elemKindOf(op.operands[0]!.type);
  const unsigned = hasUnit(op, 'unsignedCmp');
  const next = inductionStep(op);
  const lt = (a: Val, b: Val): boolean => {
    if (!unsigned || k.k === 'x') return (a as number) < (b as number);
    if (k.k === 'n') return uN(k.w, a as number) < uN(k.w, b as number);
    const w = (k as { w: number }).w;
    return BigInt.asUintN(w, a as bigint) < BigInt.asUintN(w, b as bigint);
  };
  const positive = (s: Val): boolean => (unsigned ? s !== 0 && s !== 0n : (s as number) > 0);
  // Fast path: index loop, no iter_args results to copy beyond the body's own slots.
  if (k.k === 'x' && !unsigned && !cx.taint)
    return (fr) => {
      const r = fr.r;
      const lb = r[lbS] as number;
      const u = r[ubS] as number;
      const step = r[stS] as number;
      if (!(step > 0)) ub('poison', `scf.for with non-positive step ${step}`);
      copySlots(fr, initS, iterS);
      const max = indexMax();
      for (let iv = lb; iv < u; ) {
        r[ivS] = iv;
        body.exec(fr);
        const out = body.out;
        for (let j = 0; j < iterS.length; j++) r[iterS[j]!] = out[j]!;
        iv += step;
        if (iv > max) checkIndex(iv);
      }
      for (let j = 0; j < ds.length; j++) r[ds[j]!] = r[iterS[j]!]!;
    };
  return (fr) => {
    const r = fr.r;
    const lb = r[lbS]!;
    const u = r[ubS]!;
    const step = r[stS]!;
    if (!positive(step)) ub('poison', `${op.name} with non-positive step ${String(step)}`);
    const savedPc = fr.pc;
    const bt = anyTaint(fr, [lbS, ubS, stS]);
    fr.pc |= bt;
    copySlots(fr, initS, iterS);
    let iv: Val | undefined = lt(lb, u) ? lb : undefined;
    while (iv !== undefined) {
      r[ivS] = iv;
      if (fr.t !== null) fr.t[ivS] = bt | fr.pc;
      body.exec(fr);
      takeOut(fr, body, iterS);
      const nx = next(iv, step);
      iv = lt(nx, u) ? nx : undefined;
    }
    for (let j = 0; j < ds.length; j++) r[ds[j]!] = r[iterS[j]!]!;
    if (fr.t !== null) for (let j = 0; j < ds.length; j++) fr.t[ds[j]!] = fr.t[iterS[j]!]! | fr.pc;
    fr.pc = savedPc;
  };
}

function ifSem(op: Operation, cx: Cx): Instr {
  const c = cx.slot(op.operands[0]!);
  const thenR = cx.region(op.regions[0]!);
  const elseR = op.regions[1] ? cx.region(op.regions[1]) : undefined;
  const ds = cx.slotsOf(op.results);
  return (fr) => {
    const savedPc = fr.pc;
    if (fr.t !== null) fr.pc |= fr.t[c]!;
    const rc = fr.r[c] !== 0 ? thenR : elseR;
    if (rc !== undefined && rc.blocks.length !== 0) {
      rc.exec(fr);
      takeOut(fr, rc, ds);
    }
    fr.pc = savedPc;
  };
}

function whileSem(op: Operation, cx: Cx): Instr {
  const initS = cx.slotsOf(op.operands);
  const before = cx.region(op.regions[0]!);
  const after = cx.region(op.regions[1]!);
  const ds = cx.slotsOf(op.results);
  const bArgs = before.argSlots;
  const aArgs = after.argSlots;
  return (fr) => {
    const savedPc = fr.pc;
    copySlots(fr, initS, bArgs);
    for (;;) {
      before.exec(fr);
      const cond = before.out[0];
      if (fr.t !== null && before.outT[0]) fr.pc = 1;
      if (cond === 0) {
        takeOut(fr, before, ds, 1);
        break;
      }
      takeOut(fr, before, aArgs, 1);
      after.exec(fr);
      takeOut(fr, after, bArgs);
    }
    if (fr.t !== null && fr.pc) for (const d of ds) fr.t[d] = 1;
    fr.pc = savedPc;
  };
}

function parallelSem(op: Operation, cx: Cx): Instr {
  const [lbS = [], ubS = [], stS = [], initS = []] = segments(op, cx);
  const body = cx.region(op.regions[0]!);
  const ivS = body.argSlots;
  const red = op.regions[0]!.blocks[0]?.terminator;
  if (!red || red.name !== 'scf.reduce') unsupported(op, 'scf.parallel without an scf.reduce terminator');
  const reducers = red.regions.map((r) => cx.region(r));
  const ds = cx.slotsOf(op.results);
  const floatReduction = op.results.some((r) => elemKindOf(r.type).k === 'f');
  const n = lbS.length;
  return (fr) => {
    const r = fr.r;
    const lb = lbS.map((s) => r[s] as number);
    const u = ubS.map((s) => r[s] as number);
    const st = stS.map((s) => r[s] as number);
    for (const s of st) if (!(s > 0)) ub('poison', `scf.parallel with non-positive step ${s}`);
    const savedPc = fr.pc;
    fr.pc |= anyTaint(fr, [...lbS, ...ubS, ...stS]);
    const acc = initS.map((s) => r[s]!);
    const accT = initS.map((s) => (fr.t === null ? 0 : fr.t[s]!));
    for (let k = 0; k < n; k++) if (!(lb[k]! < u[k]!)) return finish();
    const iv = [...lb];
    for (;;) {
      for (let k = 0; k < n; k++) {
        r[ivS[k]!] = iv[k]!;
        if (fr.t !== null) fr.t[ivS[k]!] = fr.pc;
      }
      body.exec(fr);
      const vals = body.out.slice();
      const valT = Array.from(body.outT);
      for (let j = 0; j < reducers.length; j++) {
        const rr = reducers[j]!;
        const a = rr.argSlots;
        r[a[0]!] = acc[j]!;
        r[a[1]!] = vals[j]!;
        if (fr.t !== null) {
          fr.t[a[0]!] = accT[j]! | fr.pc;
          fr.t[a[1]!] = valT[j]! | fr.pc;
        }
        rr.exec(fr);
        acc[j] = rr.out[0]!;
        accT[j] = fr.t === null ? 0 : rr.outT[0]!;
      }
      let d = n - 1;
      for (; d >= 0; d--) {
        iv[d] = checkIndex(iv[d]! + st[d]!);
        if (iv[d]! < u[d]!) break;
        iv[d] = lb[d]!;
      }
      if (d < 0) break;
    }
    return finish();
    function finish(): void {
      for (let j = 0; j < ds.length; j++) {
        r[ds[j]!] = acc[j]!;
        // Parallel reductions may combine in any order: float results are not exactly reproducible.
        if (fr.t !== null) fr.t[ds[j]!] = accT[j]! | fr.pc | (floatReduction ? 1 : 0);
      }
      fr.pc = savedPc;
    }
  };
}

function executeRegionSem(op: Operation, cx: Cx): Instr {
  const body = cx.region(op.regions[0]!);
  const ds = cx.slotsOf(op.results);
  return (fr) => {
    const savedPc = fr.pc;
    body.exec(fr);
    takeOut(fr, body, ds);
    fr.pc = savedPc;
  };
}

function indexSwitchSem(op: Operation, cx: Cx): Instr {
  const arg = cx.slot(op.operands[0]!);
  const cases = denseInts(op, 'cases') ?? [];
  const [defR, ...caseR] = op.regions.map((r) => cx.region(r)) as [RegionCode, ...RegionCode[]];
  const ds = cx.slotsOf(op.results);
  return (fr) => {
    const savedPc = fr.pc;
    if (fr.t !== null) fr.pc |= fr.t[arg]!;
    const k = cases.indexOf(fr.r[arg] as number);
    const rc = k < 0 ? defR : caseR[k]!;
    rc.exec(fr);
    takeOut(fr, rc, ds);
    fr.pc = savedPc;
  };
}

const exit = { term: exitTerm };

defineOps({
  'scf.for': { compile: forSem, taint: 'self' },
  'scf.if': { compile: ifSem, taint: 'self' },
  'scf.while': { compile: whileSem, taint: 'self' },
  'scf.parallel': { compile: parallelSem, taint: 'self', enablesTaint: (op) => op.results.some((r) => elemKindOf(r.type).k === 'f') },
  'scf.execute_region': { compile: executeRegionSem, taint: 'self' },
  'scf.index_switch': { compile: indexSwitchSem, taint: 'self' },
  'scf.yield': exit,
  'scf.condition': exit,
  'scf.reduce': exit,
  'scf.reduce.return': exit,
});
