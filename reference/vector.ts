// vector dialect semantics. Vectors are flat row-major arrays; shapes come from the static types.
import type { Operation } from '../ir/core.ts';
import { bf16Bits, bf16FromBits, f16Bits, f16FromBits, f32Bits, f32FromBits, f64Bits, f64FromBits } from '../numeric/float.ts';
import type { Type, VectorType } from '../ir/types.ts';
import { contiguousStrides, numElements } from '../ir/types.ts';
import { boolArray, denseInts, dialectWords, prop } from './attrs.ts';
import type { Cx, Frame, Instr } from './engine.ts';
import { defineOps, exitTerm, hasLooseFastmath } from './engine.ts';
import { maximumf, maxnumf, minimumf, minnumf, rounder, signedZeroTie } from './float-semantics.ts';
import { fma } from '../numeric/float.ts';
import { intBinary } from './int-semantics.ts';
import { elemKindOf, liftTernary } from './lift.ts';
import type { MemRef } from './memory.ts';
import { readAt, writeAt } from './memory.ts';
import { K_DYNAMIC, segments } from './memref.ts';
import { narrowFma } from './math.ts';
import { printVector } from './runner-utils.ts';
import { ub, unsupported } from './ub.ts';
import type { ElemKind, Scalar, Vec } from './values.ts';
import { checkIndex, sextN } from './values.ts';

function vtype(op: Operation, t: Type): VectorType {
  if (t.kind !== 'vector') unsupported(op, `${op.name}: expected a vector type`);
  if (t.scalable?.some((s) => s)) unsupported(op, `${op.name} on a scalable vector`);
  return t;
}

/** Shape of a vector or scalar type ([] for scalars and 0-d vectors). */
function shapeOf(t: Type): readonly number[] {
  return t.kind === 'vector' ? t.shape : [];
}

// ---- reductions ----

type Combine = (a: Scalar, b: Scalar) => Scalar;

/** The combiner of a #vector.kind; `tie` is set when maxnumf/minnumf met +0 against -0. */
function combiner(op: Operation, kind: string, k: ElemKind, tie: { v: boolean }): Combine {
  if (k.k === 'f') {
    const r = rounder(k.name);
    switch (kind) {
      case 'add':
        return (a, b) => r((a as number) + (b as number));
      case 'mul':
        return (a, b) => r((a as number) * (b as number));
      case 'maximumf':
        return (a, b) => maximumf(a as number, b as number);
      case 'minimumf':
        return (a, b) => minimumf(a as number, b as number);
      case 'maxnumf':
        return (a, b) => {
          if (signedZeroTie(a as number, b as number)) tie.v = true;
          return maxnumf(a as number, b as number);
        };
      case 'minnumf':
        return (a, b) => {
          if (signedZeroTie(a as number, b as number)) tie.v = true;
          return minnumf(a as number, b as number);
        };
    }
    unsupported(op, `reduction kind ${kind} on floats`);
  }
  const map: Record<string, Parameters<typeof intBinary>[0]> = {
    add: 'addi',
    mul: 'muli',
    minui: 'minui',
    minsi: 'minsi',
    maxui: 'maxui',
    maxsi: 'maxsi',
    and: 'andi',
    or: 'ori',
    xor: 'xori',
  };
  const name = map[kind];
  if (!name) unsupported(op, `reduction kind ${kind} on integers`);
  return intBinary(name, k);
}

function kindOf(op: Operation): string {
  const w = dialectWords(op, 'kind');
  if (w.length !== 1) unsupported(op, `${op.name} without a combining kind`);
  return w[0]!;
}

function reductionSem(op: Operation, cx: Cx): Instr {
  const [v, acc] = cx.slotsOf(op.operands) as [number, number | undefined];
  const k = elemKindOf(op.results[0]!.type);
  const tie = { v: false };
  const f = combiner(op, kindOf(op), k, tie);
  const d = cx.slot(op.results[0]!);
  // Without reassoc, LLVM's vector.reduce.fadd/fmul are sequential from the start value: so is this.
  return (fr) => {
    const x = fr.r[v] as Vec;
    let a: Scalar = acc === undefined ? x[0]! : f(fr.r[acc] as Scalar, x[0]!);
    for (let j = 1; j < x.length; j++) a = f(a, x[j]!);
    fr.r[d] = a;
    if (tie.v) {
      tie.v = false;
      fr.st.extraT = 1;
    }
  };
}

function multiReductionSem(op: Operation, cx: Cx): Instr {
  const [v, acc] = cx.slotsOf(op.operands) as [number, number];
  const st = vtype(op, op.operands[0]!.type);
  const dims = new Set(denseInts(op, 'reduction_dims') ?? []);
  const k = elemKindOf(st);
  const tie = { v: false };
  const f = combiner(op, kindOf(op), k, tie);
  const d = cx.slot(op.results[0]!);
  // Map each source element to its destination position; reduce in row-major order of the reduced dims.
  const strides = contiguousStrides(st.shape);
  const kept = st.shape.map((_, j) => j).filter((j) => !dims.has(j));
  const keptStrides = contiguousStrides(kept.map((j) => st.shape[j]!));
  const n = numElements(st.shape);
  const dest = new Array<number>(n);
  for (let p = 0; p < n; p++) {
    let q = 0;
    kept.forEach((j, kk) => (q += (Math.floor(p / strides[j]!) % st.shape[j]!) * keptStrides[kk]!));
    dest[p] = q;
  }
  const scalarResult = op.results[0]!.type.kind !== 'vector';
  return (fr) => {
    const x = fr.r[v] as Vec;
    const a: Scalar[] = scalarResult ? [fr.r[acc] as Scalar] : (fr.r[acc] as Vec).slice();
    for (let p = 0; p < n; p++) a[dest[p]!] = f(a[dest[p]!]!, x[p]!);
    fr.r[d] = scalarResult ? a[0]! : a;
    if (tie.v) {
      tie.v = false;
      fr.st.extraT = 1;
    }
  };
}

// ---- positions ----

/** Positions of extract/insert: static entries, kDynamic ones from operands. */
function positions(op: Operation, dynSlots: readonly number[]): (fr: Frame) => number[] {
  const stat = denseInts(op, 'static_position') ?? [];
  let next = 0;
  const slotOf = stat.map((p) => (p === K_DYNAMIC ? dynSlots[next++]! : -1));
  return (fr) => stat.map((p, k) => (slotOf[k]! >= 0 ? (fr.r[slotOf[k]!] as number) : p));
}

function offsetOf(op: Operation, shape: readonly number[], pos: readonly number[]): number {
  const strides = contiguousStrides(shape);
  let off = 0;
  for (let k = 0; k < pos.length; k++) {
    const p = pos[k]!;
    if (!(p >= 0 && p < shape[k]!)) ub('poison', `${op.name} position ${p} out of range for dimension ${k} of size ${shape[k]}`);
    off += p * strides[k]!;
  }
  return off;
}

function extractSem(op: Operation, cx: Cx): Instr {
  const [src, ...dyn] = cx.slotsOf(op.operands) as [number, ...number[]];
  const shape = vtype(op, op.operands[0]!.type).shape;
  const pos = positions(op, dyn);
  const rt = op.results[0]!.type;
  const len = numElements(shapeOf(rt));
  const d = cx.slot(op.results[0]!);
  const scalar = rt.kind !== 'vector';
  return (fr) => {
    const x = fr.r[src] as Vec;
    const off = offsetOf(op, shape, pos(fr));
    fr.r[d] = scalar ? x[off]! : x.slice(off, off + len);
  };
}

function insertSem(op: Operation, cx: Cx): Instr {
  const [val, dst, ...dyn] = cx.slotsOf(op.operands) as [number, number, ...number[]];
  const shape = vtype(op, op.results[0]!.type).shape;
  const pos = positions(op, dyn);
  const vt = op.operands[0]!.type;
  const d = cx.slot(op.results[0]!);
  const scalar = vt.kind !== 'vector';
  return (fr) => {
    const out = (fr.r[dst] as Vec).slice();
    const off = offsetOf(op, shape, pos(fr));
    if (scalar) out[off] = fr.r[val] as Scalar;
    else {
      const v = fr.r[val] as Vec;
      for (let j = 0; j < v.length; j++) out[off + j] = v[j]!;
    }
    fr.r[d] = out;
  };
}

function broadcastSem(op: Operation, cx: Cx): Instr {
  const s = cx.slot(op.operands[0]!);
  const d = cx.slot(op.results[0]!);
  const rt = vtype(op, op.results[0]!.type);
  const n = numElements(rt.shape);
  const st = op.operands[0]!.type;
  if (st.kind !== 'vector')
    return (fr) => {
      fr.r[d] = new Array<Scalar>(n).fill(fr.r[s] as Scalar);
    };
  // Source dims align with the trailing result dims; size-1 source dims stretch.
  const lead = rt.shape.length - st.shape.length;
  const rs = contiguousStrides(rt.shape);
  const ss = contiguousStrides(st.shape);
  const from = new Array<number>(n);
  for (let p = 0; p < n; p++) {
    let q = 0;
    for (let j = 0; j < st.shape.length; j++) {
      const i = Math.floor(p / rs[j + lead]!) % rt.shape[j + lead]!;
      q += (st.shape[j] === 1 ? 0 : i) * ss[j]!;
    }
    from[p] = q;
  }
  return (fr) => {
    const x = fr.r[s] as Vec;
    const out = new Array<Scalar>(n);
    for (let p = 0; p < n; p++) out[p] = x[from[p]!]!;
    fr.r[d] = out;
  };
}

function shuffleSem(op: Operation, cx: Cx): Instr {
  const [a, b] = cx.slotsOf(op.operands) as [number, number];
  const mask = denseInts(op, 'mask') ?? [];
  const t1 = op.operands[0]!.type;
  const inner = t1.kind === 'vector' ? numElements(t1.shape.slice(1)) : 1;
  const n1 = t1.kind === 'vector' ? (t1.shape[0] ?? 1) : 1;
  const d = cx.slot(op.results[0]!);
  return (fr) => {
    const x = fr.r[a]!;
    const y = fr.r[b]!;
    const xs = Array.isArray(x) ? x : [x as Scalar];
    const ys = Array.isArray(y) ? y : [y as Scalar];
    const out: Scalar[] = [];
    for (const m of mask) {
      if (m < 0) ub('poison', 'vector.shuffle with a poison (-1) mask entry');
      const [src, row] = m < n1 ? [xs, m] : [ys, m - n1];
      for (let j = 0; j < inner; j++) out.push(src[row * inner + j]!);
    }
    fr.r[d] = out;
  };
}

/**
 * extract_strided_slice: offsets/sizes/strides cover the leading source dims; trailing dims are copied whole.
 * insert_strided_slice: the small vector lands on the trailing dest dims at offsets (leading offsets pick the slice).
 */
function stridedSliceSem(op: Operation, cx: Cx, insert: boolean): Instr {
  const offs = intArray(op, 'offsets');
  const strides = intArray(op, 'strides');
  const s = cx.slot(op.operands[0]!);
  const dst = insert ? cx.slot(op.operands[1]!) : -1;
  const d = cx.slot(op.results[0]!);
  const big = vtype(op, insert ? op.results[0]!.type : op.operands[0]!.type).shape;
  const small = shapeOf(insert ? op.operands[0]!.type : op.results[0]!.type);
  const n = numElements(small);
  const bigStrides = contiguousStrides(big);
  const smallStrides = contiguousStrides(small);
  const lead = insert ? big.length - small.length : 0;
  const map = new Array<number>(n);
  for (let p = 0; p < n; p++) {
    let q = 0;
    for (let j = 0; j < big.length; j++) {
      const sj = j - lead;
      const c = sj >= 0 && sj < small.length ? Math.floor(p / smallStrides[sj]!) % small[sj]! : 0;
      const coord = insert ? (sj < 0 ? offs[j]! : offs[j]! + c * strides[sj]!) : j < offs.length ? offs[j]! + c * strides[j]! : c;
      q += coord * bigStrides[j]!;
    }
    map[p] = q;
  }
  if (!insert)
    return (fr) => {
      const x = fr.r[s] as Vec;
      const out = new Array<Scalar>(n);
      for (let p = 0; p < n; p++) out[p] = x[map[p]!]!;
      fr.r[d] = out;
    };
  return (fr) => {
    const x = fr.r[s]!;
    const xs = Array.isArray(x) ? x : [x as Scalar];
    const out = (fr.r[dst] as Vec).slice();
    for (let p = 0; p < n; p++) out[map[p]!] = xs[p]!;
    fr.r[d] = out;
  };
}

function intArray(op: Operation, name: string): number[] {
  return denseInts(op, name) ?? [];
}

function transposeSem(op: Operation, cx: Cx): Instr {
  const perm = intArray(op, 'permutation');
  const st = vtype(op, op.operands[0]!.type).shape;
  const rt = vtype(op, op.results[0]!.type).shape;
  const n = numElements(rt);
  const ss = contiguousStrides(st);
  const rs = contiguousStrides(rt);
  const from = new Array<number>(n);
  for (let p = 0; p < n; p++) {
    let q = 0;
    for (let j = 0; j < rt.length; j++) q += (Math.floor(p / rs[j]!) % rt[j]!) * ss[perm[j]!]!;
    from[p] = q;
  }
  const s = cx.slot(op.operands[0]!);
  const d = cx.slot(op.results[0]!);
  return (fr) => {
    const x = fr.r[s] as Vec;
    const out = new Array<Scalar>(n);
    for (let p = 0; p < n; p++) out[p] = x[from[p]!]!;
    fr.r[d] = out;
  };
}

// ---- memory ----

/** Linear position of a memref index vector, or OOB; negative indices and OOB on `strict` dims are UB. */
function locate(m: MemRef, idx: readonly number[], strict: readonly boolean[], what: string): number | undefined {
  let lin = m.offset;
  let oob = false;
  for (let j = 0; j < idx.length; j++) {
    const i = idx[j]!;
    if (i < 0) ub('out-of-bounds', `${what}: negative index ${i} in dimension ${j}`);
    if (i >= m.sizes[j]!) {
      if (strict[j]) ub('out-of-bounds', `${what}: index ${i} out of bounds for dimension ${j} of size ${m.sizes[j]}`);
      oob = true;
    }
    lin += i * m.strides[j]!;
  }
  if (oob) return undefined;
  if (m.buf.freed) ub('use-after-free', `${what} through a deallocated memref`);
  if (!(lin >= 0 && lin < m.buf.length)) ub('out-of-bounds', `${what}: element ${lin} outside its allocation`);
  return lin;
}

function loadTaint(fr: Frame, m: MemRef, lin: number): void {
  if (m.buf.taint !== null && m.buf.taint[lin]) fr.st.extraT = 1;
}

function storeTaintEl(m: MemRef, lin: number, tainted: number): void {
  if (tainted) m.buf.taintAt(lin);
  else if (m.buf.taint !== null) m.buf.taint[lin] = 0;
}

/** Taint of a set of slots (0 without taint tracking). */
function slotsTaint(fr: Frame, slots: readonly number[]): number {
  if (fr.t === null) return 0;
  let x = fr.pc;
  for (const s of slots) x |= fr.t[s]!;
  return x;
}

/**
 * transfer_read/transfer_write. Vector dim k walks memref dim perm[k] (or broadcasts when perm[k] < 0).
 * Out-of-bounds elements on dims that are not in_bounds are padded (read) or dropped (write); masked-off
 * elements are not accessed at all.
 */
function transferSem(op: Operation, cx: Cx, write: boolean, outerMask?: number): Instr {
  const segs = segments(op, cx);
  // outerMask: the slot of an enclosing vector.mask's mask, which acts as the transfer's own mask operand.
  const [vecS, memS, idxS, padS, maskS] = write
    ? [segs[0]![0]!, segs[1]![0]!, segs[2]!, -1, segs[3]?.[0] ?? outerMask]
    : [-1, segs[0]![0]!, segs[1]!, segs[2]![0]!, segs[3]?.[0] ?? outerMask];
  const vt = vtype(op, write ? op.operands[0]!.type : op.results[0]!.type);
  const mt = op.operands[write ? 1 : 0]!.type;
  if (mt.kind !== 'memref') unsupported(op, `${op.name} on a ${mt.kind}`);
  if (mt.elem.kind === 'vector') unsupported(op, `${op.name} on a memref of vectors`);
  const rank = mt.shape.length;
  const pm = prop(op, 'permutation_map');
  let perm: number[];
  if (pm && pm.kind === 'affine_map') {
    perm = pm.map.results.map((e) => (e.k === 'dim' ? e.i : e.k === 'const' && e.v === 0n ? -1 : NaN));
    if (perm.some((p) => Number.isNaN(p))) unsupported(op, `${op.name} with a non-projected permutation map`);
  } else perm = vt.shape.map((_, k) => rank - vt.shape.length + k);
  const inb = boolArray(op, 'in_bounds') ?? vt.shape.map(() => false);
  // strict[j]: OOB on memref dim j is UB (not transferred, or transferred by an in_bounds vector dim).
  const strict = new Array<boolean>(rank).fill(true);
  perm.forEach((p, k) => {
    if (p >= 0) strict[p] = inb[k] ?? false;
  });
  // Mask dims: the transferred (non-broadcast) vector dims, ordered by memref dim.
  const maskDims = perm.map((p, k) => ({ p, k })).filter((x) => x.p >= 0).sort((a, b) => a.p - b.p).map((x) => x.k);
  const maskShape = maskDims.map((k) => vt.shape[k]!);
  const maskStrides = contiguousStrides(maskShape);
  const n = numElements(vt.shape);
  const vs = contiguousStrides(vt.shape);
  const coords = new Array<number[]>(n);
  const maskPos = new Array<number>(n);
  for (let p = 0; p < n; p++) {
    coords[p] = vt.shape.map((size, k) => Math.floor(p / vs[k]!) % size);
    maskPos[p] = maskDims.reduce((acc, k, j) => acc + coords[p]![k]! * maskStrides[j]!, 0);
  }
  const d = write ? (op.results.length ? cx.slot(op.results[0]!) : -1) : cx.slot(op.results[0]!);
  if (write && d >= 0) unsupported(op, 'vector.transfer_write on tensors');
  const what = op.name;
  const addrSlots = [memS, ...idxS];
  return (fr) => {
    const m = fr.r[memS] as MemRef;
    const base = idxS.map((s) => fr.r[s] as number);
    const mask = maskS === undefined ? undefined : (fr.r[maskS] as Vec);
    const idx = new Array<number>(rank);
    const vec = write ? (fr.r[vecS] as Vec) : undefined;
    const out = write ? undefined : new Array<Scalar>(n);
    const pad = write ? 0 : (fr.r[padS] as Scalar);
    const at = write ? slotsTaint(fr, addrSlots) : 0;
    const vtaint = write && fr.t !== null ? fr.t[vecS]! | fr.pc : 0;
    for (let p = 0; p < n; p++) {
      if (mask !== undefined && mask[maskPos[p]!] === 0) {
        if (out) out[p] = pad;
        continue;
      }
      for (let j = 0; j < rank; j++) idx[j] = base[j]!;
      const c = coords[p]!;
      for (let k = 0; k < perm.length; k++) if (perm[k]! >= 0) idx[perm[k]!] += c[k]!;
      const lin = locate(m, idx, strict, what);
      if (lin === undefined) {
        if (out) out[p] = pad;
        continue;
      }
      moveLane(fr, m, lin, p, out, vec, at, vtaint);
    }
    if (out) fr.r[d] = out;
  };
}

/** vector.load/store/maskedload/maskedstore: the vector covers the trailing memref dims; OOB is UB. */
function contiguousSem(op: Operation, cx: Cx, write: boolean, masked: boolean): Instr {
  const slots = cx.slotsOf(op.operands);
  let vecS = -1;
  let memS: number;
  let idxS: number[];
  let maskS = -1;
  let passS = -1;
  const mt = op.operands[write && !masked ? 1 : 0]!.type;
  if (mt.kind !== 'memref') unsupported(op, `${op.name} on a ${mt.kind}`);
  const rank = mt.shape.length;
  if (!write && !masked) [memS, ...idxS] = slots as [number, ...number[]];
  else if (write && !masked) [vecS, memS, ...idxS] = slots as [number, number, ...number[]];
  else {
    memS = slots[0]!;
    idxS = slots.slice(1, 1 + rank);
    maskS = slots[1 + rank]!;
    if (write) vecS = slots[2 + rank]!;
    else passS = slots[2 + rank]!;
  }
  const vt = vtype(op, write ? op.operands[write && !masked ? 0 : 2 + rank]!.type : op.results[0]!.type);
  const n = numElements(vt.shape);
  const vs = contiguousStrides(vt.shape);
  const lead = rank - vt.shape.length;
  const strict = new Array<boolean>(rank).fill(true);
  const d = write ? -1 : cx.slot(op.results[0]!);
  const addrSlots = [memS, ...idxS];
  const what = op.name;
  return (fr) => {
    const m = fr.r[memS] as MemRef;
    const base = idxS.map((s) => fr.r[s] as number);
    const idx = base.slice();
    const mask = maskS >= 0 ? (fr.r[maskS] as Vec) : undefined;
    const out = write ? undefined : new Array<Scalar>(n);
    const pass = passS >= 0 ? (fr.r[passS] as Vec) : undefined;
    const vec = write ? (fr.r[vecS] as Vec) : undefined;
    const at = write ? slotsTaint(fr, addrSlots) : 0;
    const vtaint = write && fr.t !== null ? fr.t[vecS]! | fr.pc : 0;
    for (let p = 0; p < n; p++) {
      if (mask !== undefined && mask[p] === 0) {
        if (out) out[p] = pass![p]!;
        continue;
      }
      for (let k = 0; k < vt.shape.length; k++) idx[lead + k] = base[lead + k]! + (Math.floor(p / vs[k]!) % vt.shape[k]!);
      const lin = locate(m, idx, strict, what)!;
      moveLane(fr, m, lin, p, out, vec, at, vtaint);
    }
    if (out) fr.r[d] = out;
  };
}

/**
 * The ops that move lane p of a vector to or from one element counted from base[indices] in the memref's
 * contiguous order: vector.gather/scatter take element index_vec[p], vector.expandload/compressstore the k-th
 * element for the k-th active lane (the lowering's llvm.masked.compressstore/expandload). Inactive lanes of a
 * load take pass_thru and touch no memory; an active lane outside the memref is UB, and so are two active lanes
 * of a scatter on one element (VectorOps.td leaves their order undefined).
 */
function laneAccessSem(op: Operation, cx: Cx, opts: { readonly indexed: boolean; readonly store: boolean }): Instr {
  const slots = cx.slotsOf(op.operands);
  const mt = op.operands[0]!.type;
  if (mt.kind !== 'memref') unsupported(op, `${op.name} on a ${mt.kind}`);
  const rank = mt.shape.length;
  const memS = slots[0]!;
  const idxS = slots.slice(1, 1 + rank);
  // After the indices: index_vec (gather/scatter only), the mask, then pass_thru or the value to store.
  const ivS = opts.indexed ? slots[1 + rank]! : -1;
  const [maskS, thirdS] = slots.slice(opts.indexed ? 2 + rank : 1 + rank) as [number, number];
  const n = numElements(vtype(op, op.operands[1 + rank]!.type).shape);
  const d = opts.store ? -1 : cx.slot(op.results[0]!);
  const what = op.name;
  const conflicts = opts.indexed && opts.store;
  return (fr) => {
    const m = fr.r[memS] as MemRef;
    const { c, flat0 } = contiguousBase(op, m, idxS.map((s) => fr.r[s] as number));
    const iv = opts.indexed ? (fr.r[ivS] as Vec) : undefined;
    const mask = fr.r[maskS] as Vec;
    const third = fr.r[thirdS] as Vec;
    const out = opts.store ? undefined : new Array<Scalar>(n);
    const total = numElements(m.sizes);
    const vtaint = fr.t !== null ? fr.t[thirdS]! | fr.pc | (iv ? fr.t[ivS]! : 0) : 0;
    const written = conflicts ? new Set<number>() : undefined;
    let next = flat0;
    for (let p = 0; p < n; p++) {
      if (mask[p] === 0) {
        if (out) out[p] = third[p]!;
        continue;
      }
      const flat = iv ? flat0 + Number(iv[p]!) : next++;
      if (!(flat >= 0 && flat < total)) {
        ub('out-of-bounds', iv ? `${what}: element ${flat} outside a memref of ${total} elements` : `${what}: active lane ${p} reaches element ${flat} of a memref of ${total} elements`);
      }
      if (written) {
        if (written.has(flat)) ub('scatter-conflict', `${what}: two active lanes write element ${flat}`);
        written.add(flat);
      }
      if (m.buf.freed) ub('use-after-free', `${what} through a deallocated memref`);
      moveLane(fr, m, linearOf(m, c, flat), p, out, third, 0, vtaint);
    }
    if (out) fr.r[d] = out;
  };
}

/**
 * vector.mask around a transfer: the mask is the transfer's mask (masked-off lanes are not accessed; a read gives
 * the padding there, or passthru when the mask has one). An empty region passes passthru (or nothing) through.
 * Other maskable ops (reductions, contractions, gathers) are not modelled.
 */
function maskSem(op: Operation, cx: Cx): Instr {
  const body = op.regions[0]!.blocks[0];
  const inner = body?.ops.find((o) => o.name !== 'vector.yield');
  const [maskS, passS] = cx.slotsOf(op.operands) as [number, number | undefined];
  const ds = cx.slotsOf(op.results);
  const yieldOp = body?.ops[body.ops.length - 1];
  if (!inner) {
    const ys = yieldOp ? cx.slotsOf(yieldOp.operands) : [];
    return (fr) => {
      for (let k = 0; k < ds.length; k++) {
        fr.r[ds[k]!] = fr.r[ys[k]!]!;
        if (fr.t !== null) fr.t[ds[k]!] = fr.t[ys[k]!]! | fr.pc;
      }
    };
  }
  const write = inner.name === 'vector.transfer_write';
  if (!write && inner.name !== 'vector.transfer_read') unsupported(op, `vector.mask of ${inner.name} is not modelled`);
  const run = transferSem(inner, cx, write, maskS);
  if (write) return run;
  const r = cx.slot(inner.results[0]!);
  const y = cx.slot(yieldOp!.operands[0]!);
  const d = ds[0]!;
  const rt = vtype(op, op.results[0]!.type);
  const mt = vtype(op, op.operands[0]!.type);
  if (passS !== undefined && mt.shape.join('x') !== rt.shape.join('x')) unsupported(op, 'vector.mask with passthru and a permuted transfer mask');
  const others = cx.slotsOf(inner.operands);
  return (fr) => {
    run(fr);
    let v = fr.r[r] as Vec;
    if (passS !== undefined) {
      const m = fr.r[maskS] as Vec;
      const pass = fr.r[passS] as Vec;
      v = v.map((x, p) => (m[p] === 0 ? pass[p]! : x));
    }
    fr.r[r] = v;
    fr.r[y] = v;
    fr.r[d] = v;
    if (fr.t !== null) {
      const st = fr.st;
      let t = fr.pc | st.extraT | fr.t[maskS]! | (passS !== undefined ? fr.t[passS]! : 0);
      st.extraT = 0;
      for (const s of others) t |= fr.t[s]!;
      fr.t[r] = t;
      fr.t[d] = t;
    }
  };
}

// ---- misc ----

function bitsOf(k: ElemKind, x: Scalar): bigint {
  if (k.k !== 'f') return BigInt.asUintN(k.w, BigInt(x));
  const v = x as number;
  if (v !== v) ub('nondeterministic-nan', 'vector.bitcast of a NaN: its sign and payload differ between targets');
  return k.name === 'f64' ? f64Bits(v) : BigInt(k.name === 'f32' ? f32Bits(v) : k.name === 'f16' ? f16Bits(v) : bf16Bits(v));
}
function fromBitsOf(k: ElemKind, b: bigint): Scalar {
  if (k.k === 'f')
    return k.name === 'f64' ? f64FromBits(b) : k.name === 'f32' ? f32FromBits(Number(b)) : k.name === 'f16' ? f16FromBits(Number(b)) : bf16FromBits(Number(b));
  if (k.k === 'n') return sextN(k.w, Number(b));
  if (k.k === 'x') return checkIndex(Number(BigInt.asIntN(64, b)));
  return BigInt.asIntN(k.w, b);
}

function bitcastSem(op: Operation, cx: Cx): Instr {
  const st = vtype(op, op.operands[0]!.type);
  const rt = vtype(op, op.results[0]!.type);
  const fk = elemKindOf(st);
  const tk = elemKindOf(rt);
  const fw = fk.k === 'f' ? (fk.name === 'f64' ? 64 : fk.name === 'f32' ? 32 : 16) : fk.w;
  const tw = tk.k === 'f' ? (tk.name === 'f64' ? 64 : tk.name === 'f32' ? 32 : 16) : tk.w;
  const s = cx.slot(op.operands[0]!);
  const d = cx.slot(op.results[0]!);
  const rows = numElements(st.shape.slice(0, -1));
  const inN = st.shape[st.shape.length - 1] ?? 1;
  const outN = rt.shape[rt.shape.length - 1] ?? 1;
  const wmask = (1n << BigInt(tw)) - 1n;
  return (fr) => {
    const x = fr.r[s] as Vec;
    const out: Scalar[] = [];
    for (let r = 0; r < rows; r++) {
      // Little-endian: element 0 holds the lowest bits of the row.
      let acc = 0n;
      for (let j = inN - 1; j >= 0; j--) acc = (acc << BigInt(fw)) | bitsOf(fk, x[r * inN + j]!);
      for (let j = 0; j < outN; j++) out.push(fromBitsOf(tk, (acc >> BigInt(j * tw)) & wmask));
    }
    fr.r[d] = out;
  };
}

function contractSem(op: Operation, cx: Cx): Instr {
  const [lhsS, rhsS, accS] = cx.slotsOf(op.operands) as [number, number, number];
  const maps = prop(op, 'indexing_maps');
  if (!maps || maps.kind !== 'array') unsupported(op, 'vector.contract without indexing maps');
  const ms = maps.elems.map((m) => {
    if (m.kind !== 'affine_map') unsupported(op, 'vector.contract map');
    return m.map.results.map((e) => (e.k === 'dim' ? e.i : -1));
  });
  if (ms.some((m) => m.some((x) => x < 0))) unsupported(op, 'vector.contract with non-projection maps');
  const its = prop(op, 'iterator_types');
  const iterKinds = its && its.kind === 'array' ? its.elems.map((e) => (e.kind === 'dialect' ? e.body : e.kind === 'string' ? e.value : '')) : [];
  const lt = vtype(op, op.operands[0]!.type);
  const rt = vtype(op, op.operands[1]!.type);
  const nd = iterKinds.length;
  const dimSize = new Array<number>(nd).fill(1);
  ms[0]!.forEach((dd, j) => (dimSize[dd] = lt.shape[j]!));
  ms[1]!.forEach((dd, j) => (dimSize[dd] = rt.shape[j]!));
  const accT = op.operands[2]!.type;
  const accShape = shapeOf(accT);
  ms[2]!.forEach((dd, j) => (dimSize[dd] = accShape[j]!));
  const k = elemKindOf(op.results[0]!.type);
  const tie = { v: false };
  const add = combiner(op, kindOf(op), k, tie);
  const mul: Combine = k.k === 'f' ? ((r) => (a, b) => r((a as number) * (b as number)))(rounder(k.name)) : intBinary('muli', k);
  const total = numElements(dimSize);
  const ds = contiguousStrides(dimSize);
  const flatOf = (map: number[], shape: readonly number[], it: number[]): number => {
    const st = contiguousStrides(shape);
    let q = 0;
    map.forEach((dd, j) => (q += it[dd]! * st[j]!));
    return q;
  };
  const plan: [number, number, number][] = [];
  for (let p = 0; p < total; p++) {
    const it = dimSize.map((sz, j) => Math.floor(p / ds[j]!) % sz);
    plan.push([flatOf(ms[0]!, lt.shape, it), flatOf(ms[1]!, rt.shape, it), flatOf(ms[2]!, accShape, it)]);
  }
  const d = cx.slot(op.results[0]!);
  const scalar = accT.kind !== 'vector';
  const float = k.k === 'f';
  return (fr) => {
    const l = fr.r[lhsS] as Vec;
    const r = fr.r[rhsS] as Vec;
    const acc = scalar ? [fr.r[accS] as Scalar] : (fr.r[accS] as Vec).slice();
    for (const [a, b, c] of plan) acc[c] = add(acc[c]!, mul(l[a]!, r[b]!));
    fr.r[d] = scalar ? acc[0]! : acc;
    // Lowerings differ in association and in fusing mul+add into fma: float results are not exact.
    if (float || tie.v) {
      tie.v = false;
      fr.st.extraT = 1;
    }
  };
}

function outerProductSem(op: Operation, cx: Cx): Instr {
  const [lhsS, rhsS, accS] = cx.slotsOf(op.operands) as [number, number, number | undefined];
  const k = elemKindOf(op.results[0]!.type);
  const kind = kindOf(op);
  const rt = vtype(op, op.results[0]!.type);
  const d = cx.slot(op.results[0]!);
  const tie = { v: false };
  const add = combiner(op, kind, k, tie);
  const rhsScalar = op.operands[1]!.type.kind !== 'vector';
  const n = rt.shape[0]!;
  const m = rt.shape[1] ?? 1;
  return (fr) => {
    const l = fr.r[lhsS] as Vec;
    const r = fr.r[rhsS]!;
    const acc = accS === undefined ? undefined : (fr.r[accS] as Vec);
    const out = new Array<Scalar>(n * m);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < m; j++) {
        const q = i * m + j;
        const b = rhsScalar ? (r as Scalar) : (r as Vec)[j]!;
        if (k.k === 'f') {
          const prod = (l[i] as number) * (b as number);
          // An add-kind outer product is defined as (and lowered to) an fma.
          out[q] = acc === undefined ? rounder(k.name)(prod) : kind === 'add' ? fma(k.name, l[i] as number, b as number, acc[q] as number) : add(acc[q]!, rounder(k.name)(prod));
        } else {
          const prod = intBinary('muli', k)(l[i]!, b);
          out[q] = acc === undefined ? prod : add(acc[q]!, prod);
        }
      }
    fr.r[d] = out;
    if (tie.v) {
      tie.v = false;
      fr.st.extraT = 1;
    }
  };
}

function printSem(op: Operation, cx: Cx): Instr {
  const v = op.operands[0];
  const s = v ? cx.slot(v) : -1;
  const t = v?.type;
  if (t?.kind === 'vector' && t.scalable?.some((x) => x)) unsupported(op, 'vector.print of a scalable vector');
  if (t && ((t.kind === 'int' && t.width > 64) || (t.kind === 'vector' && t.elem.kind === 'int' && t.elem.width > 64)))
    unsupported(op, 'vector.print of integers wider than 64 bits');
  const p = dialectWords(op, 'punctuation')[0] ?? 'newline';
  const lit = prop(op, 'stringLiteral');
  const literal = lit?.kind === 'string' ? lit.value : undefined;
  return (fr) => {
    printVector(fr.st.out, t, s >= 0 ? fr.r[s] : undefined, p, literal);
  };
}

function constantMaskSem(op: Operation, cx: Cx): Instr {
  const sizes = intArray(op, 'mask_dim_sizes');
  const t = vtype(op, op.results[0]!.type);
  const n = numElements(t.shape);
  const st = contiguousStrides(t.shape);
  const out = new Array<Scalar>(n);
  // A 0-d mask has one size for its one bit (0 or 1).
  if (t.shape.length === 0) out[0] = sizes[0] ? -1 : 0;
  else for (let p = 0; p < n; p++) out[p] = t.shape.every((sz, j) => Math.floor(p / st[j]!) % sz < sizes[j]!) ? -1 : 0;
  const d = cx.slot(op.results[0]!);
  return (fr) => {
    fr.r[d] = out;
  };
}

function createMaskSem(op: Operation, cx: Cx): Instr {
  const bs = cx.slotsOf(op.operands);
  const t = vtype(op, op.results[0]!.type);
  const n = numElements(t.shape);
  const st = contiguousStrides(t.shape);
  const d = cx.slot(op.results[0]!);
  return (fr) => {
    const bounds = bs.map((s) => fr.r[s] as number);
    const out = new Array<Scalar>(n);
    for (let p = 0; p < n; p++) out[p] = t.shape.every((sz, j) => Math.floor(p / st[j]!) % sz < bounds[j]!) ? -1 : 0;
    fr.r[d] = out;
  };
}

defineOps({
  'vector.print': { compile: printSem },
  'vector.broadcast': { compile: broadcastSem },
  'vector.extract': { compile: extractSem },
  'vector.insert': { compile: insertSem },
  'vector.shuffle': { compile: shuffleSem },
  'vector.fma': {
    sourceIf: narrowFma,
    compile: (op, cx) => {
      const k = elemKindOf(op.results[0]!.type);
      if (k.k !== 'f') unsupported(op, 'vector.fma on integers');
      return liftTernary(op, cx, (a, b, c) => fma(k.name, a as number, b as number, c as number));
    },
  },
  'vector.reduction': { compile: reductionSem, enablesTaint: (op) => /maxnumf|minnumf/.test(dialectWords(op, 'kind').join()) || hasLooseFastmath(op) },
  'vector.multi_reduction': { compile: multiReductionSem, enablesTaint: (op) => /maxnumf|minnumf/.test(dialectWords(op, 'kind').join()) },
  'vector.contract': { compile: contractSem, enablesTaint: () => true },
  'vector.outerproduct': { compile: outerProductSem, enablesTaint: (op) => /maxnumf|minnumf/.test(dialectWords(op, 'kind').join()) },
  'vector.transfer_read': { compile: (op, cx) => transferSem(op, cx, false) },
  'vector.transfer_write': { compile: (op, cx) => transferSem(op, cx, true), taint: 'self' },
  'vector.load': { compile: (op, cx) => contiguousSem(op, cx, false, false) },
  'vector.store': { compile: (op, cx) => contiguousSem(op, cx, true, false), taint: 'self' },
  'vector.maskedload': { compile: (op, cx) => contiguousSem(op, cx, false, true) },
  'vector.maskedstore': { compile: (op, cx) => contiguousSem(op, cx, true, true), taint: 'self' },
  'vector.gather': { compile: (op, cx) => laneAccessSem(op, cx, { indexed: true, store: false }) },
  'vector.mask': { compile: maskSem, taint: 'self' },
  'vector.scatter': { compile: (op, cx) => laneAccessSem(op, cx, { indexed: true, store: true }), taint: 'self' },
  'vector.compressstore': { compile: (op, cx) => laneAccessSem(op, cx, { indexed: false, store: true }), taint: 'self' },
  'vector.expandload': { compile: (op, cx) => laneAccessSem(op, cx, { indexed: false, store: false }) },
  'vector.extract_strided_slice': { compile: (op, cx) => stridedSliceSem(op, cx, false) },
  'vector.insert_strided_slice': { compile: (op, cx) => stridedSliceSem(op, cx, true) },
  'vector.shape_cast': {
    compile: (op, cx) => {
      const s = cx.slot(op.operands[0]!);
      const d = cx.slot(op.results[0]!);
      return (fr) => {
        fr.r[d] = fr.r[s]!;
      };
    },
  },
  'vector.transpose': { compile: transposeSem },
  'vector.bitcast': { compile: bitcastSem },
  'vector.constant_mask': { compile: constantMaskSem },
  'vector.create_mask': { compile: createMaskSem },
  'vector.step': {
    compile: (op, cx) => {
      const n = numElements(vtype(op, op.results[0]!.type).shape);
      const v = Array.from({ length: n }, (_, k) => k);
      const d = cx.slot(op.results[0]!);
      return (fr) => {
        fr.r[d] = v;
      };
    },
  },
  'vector.from_elements': {
    compile: (op, cx) => {
      const ss = cx.slotsOf(op.operands);
      const d = cx.slot(op.results[0]!);
      return (fr) => {
        fr.r[d] = ss.map((s) => fr.r[s] as Scalar);
      };
    },
  },
  'vector.to_elements': {
    compile: (op, cx) => {
      const s = cx.slot(op.operands[0]!);
      const ds = cx.slotsOf(op.results);
      return (fr) => {
        const x = fr.r[s] as Vec;
        for (let k = 0; k < ds.length; k++) fr.r[ds[k]!] = x[k]!;
      };
    },
  },
  'vector.interleave': {
    compile: (op, cx) => {
      const [a, b] = cx.slotsOf(op.operands) as [number, number];
      const inner = shapeOf(op.operands[0]!.type).at(-1) ?? 1;
      const d = cx.slot(op.results[0]!);
      return (fr) => {
        const x = fr.r[a]!;
        const y = fr.r[b]!;
        const xs = Array.isArray(x) ? x : [x as Scalar];
        const ys = Array.isArray(y) ? y : [y as Scalar];
        const out: Scalar[] = [];
        for (let r = 0; r < xs.length; r += inner) for (let j = 0; j < inner; j++) out.push(xs[r + j]!, ys[r + j]!);
        fr.r[d] = out;
      };
    },
  },
  'vector.deinterleave': {
    compile: (op, cx) => {
      const s = cx.slot(op.operands[0]!);
      const inner = shapeOf(op.operands[0]!.type).at(-1) ?? 1;
      const [d0, d1] = cx.slotsOf(op.results) as [number, number];
      const scalar = op.results[0]!.type.kind !== 'vector';
      return (fr) => {
        const x = fr.r[s] as Vec;
        const a: Scalar[] = [];
        const b: Scalar[] = [];
        for (let r = 0; r < x.length; r += inner) for (let j = 0; j < inner; j += 2) a.push(x[r + j]!), b.push(x[r + j + 1]!);
        fr.r[d0] = scalar ? a[0]! : a;
        fr.r[d1] = scalar ? b[0]! : b;
      };
    },
  },
  'vector.yield': { term: exitTerm },
});


/**
 * The flat element position of base[indices] in `m`, which these ops address as one run of elements (their lowering
 * adds lane offsets to that position), so the view must be contiguous; `c` is its contiguous strides.
 */
function contiguousBase(op: Operation, m: MemRef, base: readonly number[]): { c: number[]; flat0: number } {
  const c = contiguousStrides(m.sizes);
  if (m.strides.some((s, j) => m.sizes[j]! > 1 && s !== c[j])) unsupported(op, `${op.name} on a non-contiguous memref`);
  let flat0 = 0;
  for (let j = 0; j < base.length; j++) flat0 += base[j]! * c[j]!;
  return { c, flat0 };
}

/** The storage position of the `flat`-th element (row-major) of a contiguous view with contiguous strides `c`. */
function linearOf(m: MemRef, c: readonly number[], flat: number): number {
  let lin = m.offset;
  let rest = flat;
  for (let j = 0; j < c.length; j++) {
    const i = Math.floor(rest / c[j]!);
    rest -= i * c[j]!;
    lin += i * m.strides[j]!;
  }
  return lin;
}
/**
 * One lane of a vector memory access: read into `out[p]`, or write `vec[p]`, carrying taint. A tainted address
 * taints the whole buffer on a write (which element changed is itself uncertain).
 */
function moveLane(fr: Frame, m: MemRef, lin: number, p: number, out: Scalar[] | undefined, vec: Vec | undefined, at: number, vtaint: number): void {
  if (out) {
    out[p] = readAt(m, lin);
    if (fr.t !== null) loadTaint(fr, m, lin);
  } else {
    writeAt(m, lin, vec![p]!);
    if (fr.t !== null) {
      if (at) m.buf.taintAll();
      else storeTaintEl(m, lin, vtaint);
    }
  }
}
