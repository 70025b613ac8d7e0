// memref dialect semantics: allocation, access with bounds/init/lifetime checks, and views (subview, cast,
// reinterpret_cast, expand/collapse_shape, transpose) as descriptor arithmetic over one allocation.
import type { Operation } from '../ir/core.ts';
import { evalAffineExpr } from '../ir/affine.ts';
import { elementBytes } from '../ir/inputs.ts';
import type { MemRefType, Type } from '../ir/types.ts';
import { contiguousStrides, DYNAMIC, numElements } from '../ir/types.ts';
import { denseElements, denseInts, dialectWords, hasUnit, prop } from './attrs.ts';
import type { Cx, Frame, Instr, State } from './engine.ts';
import { defineOps, exitTerm, setArgs } from './engine.ts';
import { maximumf, maxnumf, minimumf, minnumf, rounder } from './float-semantics.ts';
import { intBinary } from './int-semantics.ts';
import { elemKindOf } from './lift.ts';
import type { Allocation } from './memory.ts';
import { allocate, checkViewInBounds, forEachElement, linearIndex, MemRef, readAt, writeAt } from './memory.ts';
import { ub, unsupported } from './ub.ts';
import type { ElemKind, Scalar, Val } from './values.ts';
import { checkIndex } from './values.ts';

/** MLIR's ShapedType::kDynamic in static_offsets/sizes/strides arrays. */
export const K_DYNAMIC = -(2 ** 63);

/** Static layout of a memref type: undefined entries are dynamic. */
export function staticLayout(t: MemRefType): { offset: number | undefined; strides: (number | undefined)[] } | undefined {
  const l = t.layout;
  const dyn = (x: number): number | undefined => (x === DYNAMIC || x === K_DYNAMIC ? undefined : x);
  if (!l) {
    if (t.shape.some((d) => d === DYNAMIC)) {
      // Identity layout over a dynamic shape: strides are only known at runtime, but still contiguous.
      return { offset: 0, strides: t.shape.map(() => undefined) };
    }
    return { offset: 0, strides: contiguousStrides(t.shape) };
  }
  if (l.kind === 'strided') return { offset: dyn(l.offset), strides: l.strides.map(dyn) };
  if (l.kind === 'affine_map') {
    // Only maps equivalent to a strided form with constant coefficients are understood.
    const m = l.map;
    if (m.results.length !== 1 || m.syms !== 0) return undefined;
    const rank = m.dims;
    const zeros = new Array<bigint>(rank).fill(0n);
    const off = evalAffineExpr(m.results[0]!, zeros, []);
    const strides = Array.from({ length: rank }, (_, k) => {
      const unit = [...zeros];
      unit[k] = 1n;
      return Number(evalAffineExpr(m.results[0]!, unit, []) - off);
    });
    return { offset: Number(off), strides };
  }
  return undefined;
}

function isIdentityLayout(t: MemRefType): boolean {
  if (!t.layout) return true;
  const sl = staticLayout(t);
  if (!sl || sl.offset !== 0) return false;
  const c = contiguousStrides(t.shape);
  return sl.strides.every((s, k) => s === c[k]);
}

/** Runtime check that a descriptor is what its static type claims (memref.cast and friends). */
export function checkAgainstType(m: MemRef, t: Type, what: string): void {
  if (t.kind !== 'memref') return;
  if (t.shape.length !== m.rank) ub('invalid-shape', `${what}: rank ${m.rank} does not match ${t.shape.length}`);
  t.shape.forEach((d, k) => {
    if (d !== DYNAMIC && d !== m.sizes[k]) ub('invalid-shape', `${what}: dimension ${k} is ${m.sizes[k]}, the type says ${d}`);
  });
  if (!t.layout) {
    const c = contiguousStrides(m.sizes);
    if (m.offset !== 0 && m.rank >= 0) {
      // An identity-layout memref has offset 0 and contiguous strides (unit dims may have any stride).
      ub('invalid-shape', `${what}: offset ${m.offset} in an identity-layout memref`);
    }
    m.strides.forEach((s, k) => {
      if (m.sizes[k]! > 1 && s !== c[k]) ub('invalid-shape', `${what}: stride ${s} in dimension ${k} of an identity-layout memref`);
    });
    return;
  }
  const sl = staticLayout(t);
  if (!sl) return;
  if (sl.offset !== undefined && sl.offset !== m.offset) ub('invalid-shape', `${what}: offset ${m.offset}, the type says ${sl.offset}`);
  sl.strides.forEach((s, k) => {
    if (s !== undefined && s !== m.strides[k] && m.sizes[k]! > 1) ub('invalid-shape', `${what}: stride ${m.strides[k]} in dimension ${k}, the type says ${s}`);
  });
}

function memrefType(op: Operation, t: Type): MemRefType {
  if (t.kind !== 'memref') unsupported(op, `${op.name} on a non-memref type`);
  return t;
}

/** Values of mixed static/dynamic lists: static entries equal to kDynamic take the next dynamic operand. */
function mixed(op: Operation, statics: number[] | undefined, dyn: readonly number[]): (fr: Frame) => number[] {
  if (!statics) return (fr) => dyn.map((s) => fr.r[s] as number);
  let next = 0;
  const slotOf = statics.map((v) => (v === K_DYNAMIC ? dyn[next++]! : -1));
  if (next !== dyn.length) unsupported(op, `${op.name}: ${dyn.length} dynamic operands for ${next} dynamic entries`);
  if (next === 0) return () => statics;
  return (fr) => statics.map((v, k) => (slotOf[k]! >= 0 ? (fr.r[slotOf[k]!] as number) : v));
}

/** Operand groups by operandSegmentSizes (or the given fallback split). */
export function segments(op: Operation, cx: Cx): number[][] {
  const sizes = denseInts(op, 'operandSegmentSizes');
  const slots = cx.slotsOf(op.operands);
  if (!sizes) return [slots];
  const out: number[][] = [];
  let pos = 0;
  for (const n of sizes) {
    out.push(slots.slice(pos, pos + n));
    pos += n;
  }
  return out;
}

/**
 * Stack the allocas of a run may take: both backends give a program 8 MiB (the native main thread's default, and
 * wasm-ld's -z stack-size), which also holds every frame and spill. A program past it overflows there, which is
 * no compiler bug; here it is UB, so the case is discarded. An alloca in a loop takes more stack each iteration
 * (the lowering does not reclaim it before the function returns), and so it does here.
 */
export const MAX_STACK_BYTES = 4 << 20;

const stackBytes = (buf: Allocation): number => buf.length * elementBytes(buf.elem);

/** Frees the frame's allocas from position `from` on (a function's return, the end of an alloca scope). */
export function releaseAllocas(fr: Frame, from = 0): void {
  const a = fr.allocas;
  if (!a) return;
  for (let k = from; k < a.length; k++) {
    a[k]!.freed = true;
    fr.st.stackBytes -= stackBytes(a[k]!);
  }
  a.length = from;
}

function allocSem(origin: 'alloc' | 'alloca'): (op: Operation, cx: Cx) => Instr {
  return (op, cx) => {
    const t = memrefType(op, op.results[0]!.type);
    const [dynSizes = []] = segments(op, cx);
    const d = cx.slot(op.results[0]!);
    const sl = staticLayout(t);
    if (!sl || (t.layout && (sl.offset === undefined || sl.strides.some((s) => s === undefined))))
      unsupported(op, `${op.name} with a layout the interpreter cannot lay out`);
    const identity = isIdentityLayout(t);
    return (fr) => {
      let next = 0;
      const sizes = t.shape.map((s) => (s === DYNAMIC ? (fr.r[dynSizes[next++]!] as number) : s));
      for (const s of sizes) if (s < 0) ub('invalid-shape', `${op.name} with negative size ${s}`);
      let strides: number[];
      let offset = 0;
      let n: number;
      if (identity) {
        strides = contiguousStrides(sizes);
        n = numElements(sizes);
      } else {
        strides = sl.strides as number[];
        offset = sl.offset!;
        n = offset + 1;
        sizes.forEach((s, k) => (n += s === 0 ? 0 : (s - 1) * Math.abs(strides[k]!)));
        if (sizes.some((s) => s === 0)) n = offset;
      }
      if (n > 1 << 26) unsupported(op, `${op.name} of ${n} elements is beyond the interpreter's memory limit`);
      const buf = allocate(t.elem, n, origin, false);
      if (origin === 'alloca') {
        fr.st.stackBytes += stackBytes(buf);
        if (fr.st.stackBytes > MAX_STACK_BYTES) ub('stack-overflow', `${fr.st.stackBytes} bytes of memref.alloca buffers live at once, past the ${MAX_STACK_BYTES} a run may use`);
        (fr.allocas ??= []).push(buf);
      }
      fr.r[d] = new MemRef(buf, offset, sizes, strides);
    };
  };
}

/** Compiles `indices -> linear element` for a memref operand, with all UB checks. */
export function addressOf(mSlot: number, idx: readonly number[], what: string): (fr: Frame) => number {
  if (idx.length === 1) {
    const i0 = idx[0]!;
    return (fr) => {
      const m = fr.r[mSlot] as MemRef;
      const i = fr.r[i0] as number;
      const lin = m.offset + i * m.strides[0]!;
      if (i >= 0 && i < m.sizes[0]! && lin >= 0 && lin < m.buf.length && !m.buf.freed) return lin;
      return linearIndex(m, [i], what);
    };
  }
  if (idx.length === 2) {
    const i0 = idx[0]!;
    const i1 = idx[1]!;
    return (fr) => {
      const m = fr.r[mSlot] as MemRef;
      const i = fr.r[i0] as number;
      const j = fr.r[i1] as number;
      const lin = m.offset + i * m.strides[0]! + j * m.strides[1]!;
      if (i >= 0 && i < m.sizes[0]! && j >= 0 && j < m.sizes[1]! && lin >= 0 && lin < m.buf.length && !m.buf.freed) return lin;
      return linearIndex(m, [i, j], what);
    };
  }
  return (fr) =>
    linearIndex(
      fr.r[mSlot] as MemRef,
      idx.map((s) => fr.r[s] as number),
      what,
    );
}

/** Taint bookkeeping for a store at lin: value, address and control taint. */
export function storeTaint(fr: Frame, buf: Allocation, lin: number, valSlot: number, idx: readonly number[]): void {
  const t = fr.t!;
  let it = 0;
  for (let k = 0; k < idx.length; k++) it |= t[idx[k]!]!;
  if (it !== 0) {
    // Which element was written depends on a tainted value: any of them may differ.
    buf.taintAll();
    return;
  }
  if ((t[valSlot]! | fr.pc) !== 0) buf.taintAt(lin);
  else if (buf.taint !== null) buf.taint[lin] = 0;
}

function loadSem(op: Operation, cx: Cx): Instr {
  const [m, ...idx] = cx.slotsOf(op.operands) as [number, ...number[]];
  const d = cx.slot(op.results[0]!);
  const addr = addressOf(m, idx, op.name);
  if (!cx.taint)
    return (fr) => {
      fr.r[d] = readAt(fr.r[m] as MemRef, addr(fr));
    };
  return (fr) => {
    const mr = fr.r[m] as MemRef;
    const lin = addr(fr);
    fr.r[d] = readAt(mr, lin);
    if (mr.buf.taint !== null) fr.st.extraT = mr.buf.taint[lin]!;
  };
}

function storeSem(op: Operation, cx: Cx): Instr {
  const [v, m, ...idx] = cx.slotsOf(op.operands) as [number, number, ...number[]];
  const addr = addressOf(m, idx, op.name);
  const addrSlots = [m, ...idx];
  if (!cx.taint)
    return (fr) => {
      writeAt(fr.r[m] as MemRef, addr(fr), fr.r[v] as Scalar);
    };
  return (fr) => {
    const mr = fr.r[m] as MemRef;
    const lin = addr(fr);
    writeAt(mr, lin, fr.r[v] as Scalar);
    storeTaint(fr, mr.buf, lin, v, addrSlots);
  };
}

function isContiguous(m: MemRef): boolean {
  let acc = 1;
  for (let k = m.rank - 1; k >= 0; k--) {
    if (m.sizes[k]! > 1 && m.strides[k] !== acc) return false;
    acc *= m.sizes[k]!;
  }
  return true;
}

/** memref.copy between row-major contiguous views (the common case): a straight element loop. */
function copyContiguous(src: MemRef, dst: MemRef, track: boolean, tainted: boolean): void {
  const n = numElements(src.sizes);
  const so = src.offset;
  const dof = dst.offset;
  const sb = src.buf;
  const db = dst.buf;
  if (sb === db && n > 0 && so < dof + n && dof < so + n && so !== dof) ub('overlapping-copy', 'memref.copy with overlapping source and target');
  const sd = sb.data as Float64Array;
  const dd = db.data as Float64Array;
  for (let k = 0; k < n; k++) dd[dof + k] = sd[so + k]!;
  if (sb.init !== null || db.init !== null) {
    if (db.init === null) db.init = new Uint8Array(db.length).fill(1);
    for (let k = 0; k < n; k++) db.init[dof + k] = sb.init === null ? 1 : sb.init[so + k]!;
  }
  if (track) {
    if (tainted) for (let k = 0; k < n; k++) db.taintAt(dof + k);
    else if (sb.taint !== null || db.taint !== null) for (let k = 0; k < n; k++) {
      if (sb.taint !== null && sb.taint[so + k]) db.taintAt(dof + k);
      else if (db.taint !== null) db.taint[dof + k] = 0;
    }
  }
}

function copySem(op: Operation, cx: Cx): Instr {
  const [s, d] = cx.slotsOf(op.operands) as [number, number];
  return (fr) => {
    const src = fr.r[s] as MemRef;
    const dst = fr.r[d] as MemRef;
    if (src.rank !== dst.rank || src.sizes.some((x, k) => x !== dst.sizes[k]))
      ub('invalid-shape', `memref.copy between shapes [${src.sizes}] and [${dst.sizes}]`);
    checkViewInBounds(src, 'memref.copy source');
    checkViewInBounds(dst, 'memref.copy target');
    if (dst.buf.constant) ub('write-to-constant', `memref.copy into constant global @${dst.buf.name}`);
    const tainted = fr.t !== null && (fr.pc !== 0 || fr.t[s] !== 0 || fr.t[d] !== 0);
    if (isContiguous(src) && isContiguous(dst)) return copyContiguous(src, dst, fr.t !== null, tainted);
    const srcLin: number[] = [];
    forEachElement(src, (lin) => srcLin.push(lin));
    if (src.buf === dst.buf) {
      const seen = new Set(srcLin);
      forEachElement(dst, (lin) => {
        if (seen.has(lin)) ub('overlapping-copy', 'memref.copy with overlapping source and target');
      });
    }
    const sb = src.buf;
    const db = dst.buf;
    forEachElement(dst, (lin, k) => {
      const from = srcLin[k]!;
      (db.data as Float64Array)[lin] = sb.data[from] as number;
      if (db.init !== null) db.init[lin] = sb.init === null ? 1 : sb.init[from]!;
      else if (sb.init !== null && sb.init[from] === 0) {
        // Copying uninitialised bytes into a fully initialised buffer: start tracking it.
        db.init = new Uint8Array(db.length).fill(1);
        db.init[lin] = 0;
      }
      if (fr.t !== null) {
        const x = tainted || (sb.taint !== null && sb.taint[from] !== 0);
        if (x) db.taintAt(lin);
        else if (db.taint !== null) db.taint[lin] = 0;
      }
    });
  };
}

/** Which source dims a rank-reducing view drops: MLIR's greedy size matching (unit dims are droppable). */
export function droppedDims(srcSizes: readonly number[], resultShape: readonly number[]): boolean[] | undefined {
  const drop = new Array<boolean>(srcSizes.length).fill(false);
  if (srcSizes.length === resultShape.length) return drop;
  let i = 0;
  for (let j = 0; j < resultShape.length; j++, i++) {
    const want = resultShape[j]!;
    while (i < srcSizes.length && srcSizes[i] !== want && !(want === DYNAMIC && srcSizes[i] === K_DYNAMIC)) {
      if (srcSizes[i] !== 1) return undefined;
      drop[i++] = true;
    }
    if (i >= srcSizes.length) return undefined;
  }
  for (; i < srcSizes.length; i++) {
    if (srcSizes[i] !== 1) return undefined;
    drop[i] = true;
  }
  return drop;
}

function subviewSem(op: Operation, cx: Cx): Instr {
  const [[src] = [], dynOff = [], dynSize = [], dynStride = []] = segments(op, cx);
  const rt = memrefType(op, op.results[0]!.type);
  const staticSizes = denseInts(op, 'static_sizes');
  const offs = mixed(op, denseInts(op, 'static_offsets'), dynOff);
  const sizesF = mixed(op, staticSizes, dynSize);
  const stridesF = mixed(op, denseInts(op, 'static_strides'), dynStride);
  const drop = droppedDims(staticSizes ?? [], rt.shape);
  if (!drop) unsupported(op, 'memref.subview whose rank reduction cannot be inferred');
  const d = cx.slot(op.results[0]!);
  return (fr) => {
    const m = fr.r[src!] as MemRef;
    const o = offs(fr);
    const sz = sizesF(fr);
    const st = stridesF(fr);
    let offset = m.offset;
    const sizes: number[] = [];
    const strides: number[] = [];
    for (let k = 0; k < m.rank; k++) {
      const size = sz[k]!;
      if (size < 0) ub('invalid-shape', `memref.subview with negative size ${size}`);
      const last = o[k]! + (size - 1) * st[k]!;
      if (o[k]! < 0 || (size > 0 && (o[k]! >= m.sizes[k]! || last < 0 || last >= m.sizes[k]!)))
        ub('out-of-bounds', `memref.subview dimension ${k}: offset ${o[k]}, size ${size}, stride ${st[k]} exceed size ${m.sizes[k]}`);
      offset += o[k]! * m.strides[k]!;
      if (drop[k]) continue;
      sizes.push(size);
      strides.push(m.strides[k]! * st[k]!);
    }
    fr.r[d] = new MemRef(m.buf, checkIndex(offset), sizes, strides);
  };
}

function castSem(op: Operation, cx: Cx): Instr {
  const s = cx.slot(op.operands[0]!);
  const d = cx.slot(op.results[0]!);
  const t = op.results[0]!.type;
  return (fr) => {
    const m = fr.r[s] as MemRef;
    checkAgainstType(m, t, op.name);
    fr.r[d] = m;
  };
}

function reinterpretSem(op: Operation, cx: Cx): Instr {
  const [[src] = [], dynOff = [], dynSize = [], dynStride = []] = segments(op, cx);
  const offs = mixed(op, denseInts(op, 'static_offsets'), dynOff);
  const sizesF = mixed(op, denseInts(op, 'static_sizes'), dynSize);
  const stridesF = mixed(op, denseInts(op, 'static_strides'), dynStride);
  const d = cx.slot(op.results[0]!);
  return (fr) => {
    const m = fr.r[src!] as MemRef;
    const sizes = sizesF(fr);
    for (const s of sizes) if (s < 0) ub('invalid-shape', `memref.reinterpret_cast with negative size ${s}`);
    fr.r[d] = new MemRef(m.buf, offs(fr)[0] ?? 0, sizes, stridesF(fr));
  };
}

/**
 * memref.reshape: a view of the source's elements (identity layout, so contiguous from its offset) in the shape the
 * shape buffer holds. A negative size, a total that differs from the source's, or a size that contradicts a static
 * result dimension is UB (MemRefOps.td: the types must hold the same number of elements).
 */
function reshapeSem(op: Operation, cx: Cx): Instr {
  const [s, sh] = cx.slotsOf(op.operands) as [number, number];
  const d = cx.slot(op.results[0]!);
  const rt = op.results[0]!.type;
  const statics = rt.kind === 'memref' ? rt.shape : undefined;
  return (fr) => {
    const m = fr.r[s] as MemRef;
    const shape = fr.r[sh] as MemRef;
    checkViewInBounds(m, op.name);
    const n = shape.sizes[0]!;
    const sizes: number[] = [];
    let total = 1;
    for (let k = 0; k < n; k++) {
      const v = Number(readAt(shape, linearIndex(shape, [k], op.name)));
      if (v < 0) ub('invalid-shape', `memref.reshape to a negative size ${v}`);
      if (statics && statics[k] !== DYNAMIC && statics[k] !== v) ub('invalid-shape', `memref.reshape: dimension ${k} is ${v}, the type says ${statics[k]}`);
      sizes.push(v);
      total *= v;
    }
    let count = 1;
    for (const x of m.sizes) count *= x;
    if (total !== count) ub('invalid-shape', `memref.reshape of ${count} elements into ${total}`);
    fr.r[d] = new MemRef(m.buf, m.offset, sizes, contiguousStrides(sizes));
  };
}

function reassociation(op: Operation): number[][] {
  const a = prop(op, 'reassociation');
  if (!a || a.kind !== 'array') unsupported(op, `${op.name} without a reassociation`);
  return a.elems.map((g) => {
    if (g.kind !== 'array') unsupported(op, 'malformed reassociation');
    return g.elems.map((e) => (e.kind === 'int' ? Number(e.value) : NaN));
  });
}

function collapseSem(op: Operation, cx: Cx): Instr {
  const groups = reassociation(op);
  const s = cx.slot(op.operands[0]!);
  const d = cx.slot(op.results[0]!);
  return (fr) => {
    const m = fr.r[s] as MemRef;
    const sizes: number[] = [];
    const strides: number[] = [];
    for (const g of groups) {
      let size = 1;
      for (const k of g) size *= m.sizes[k]!;
      // The collapsed dim steps by the innermost non-unit stride; the group must be contiguous in memory.
      let stride = g.length ? m.strides[g[g.length - 1]!]! : 1;
      for (let j = g.length - 1; j > 0; j--) {
        const inner = g[j]!;
        const outer = g[j - 1]!;
        if (m.sizes[outer]! > 1 && m.sizes[inner]! !== 0 && m.strides[outer] !== m.strides[inner]! * m.sizes[inner]!) {
          if (m.sizes[inner] !== 1) ub('invalid-shape', 'memref.collapse_shape of a non-contiguous group');
        }
      }
      for (let j = g.length - 1; j >= 0; j--)
        if (m.sizes[g[j]!] !== 1) {
          stride = m.strides[g[j]!]!;
          break;
        }
      sizes.push(size);
      strides.push(stride);
    }
    fr.r[d] = new MemRef(m.buf, m.offset, sizes, strides);
  };
}

function expandSem(op: Operation, cx: Cx): Instr {
  const groups = reassociation(op);
  const [[src] = [], dynShape = []] = segments(op, cx);
  const rt = memrefType(op, op.results[0]!.type);
  const outShape = mixed(op, denseInts(op, 'static_output_shape') ?? rt.shape.map((x) => (x === DYNAMIC ? K_DYNAMIC : x)), dynShape);
  const d = cx.slot(op.results[0]!);
  return (fr) => {
    const m = fr.r[src!] as MemRef;
    const shape = outShape(fr);
    const strides = new Array<number>(shape.length);
    groups.forEach((g, k) => {
      let prod = 1;
      for (const j of g) prod *= shape[j]!;
      if (prod !== m.sizes[k]) ub('invalid-shape', `memref.expand_shape: group ${k} has ${prod} elements, the source dimension ${m.sizes[k]}`);
      let st = m.strides[k]!;
      for (let j = g.length - 1; j >= 0; j--) {
        strides[g[j]!] = st;
        st *= shape[g[j]!]!;
      }
    });
    fr.r[d] = new MemRef(m.buf, m.offset, shape, strides);
  };
}

function transposeSem(op: Operation, cx: Cx): Instr {
  const a = prop(op, 'permutation');
  if (!a || a.kind !== 'affine_map') unsupported(op, 'memref.transpose without a permutation map');
  const perm = a.map.results.map((e) => (e.k === 'dim' ? e.i : -1));
  if (perm.some((p) => p < 0)) unsupported(op, 'memref.transpose with a non-permutation map');
  const s = cx.slot(op.operands[0]!);
  const d = cx.slot(op.results[0]!);
  return (fr) => {
    const m = fr.r[s] as MemRef;
    fr.r[d] = new MemRef(
      m.buf,
      m.offset,
      perm.map((p) => m.sizes[p]!),
      perm.map((p) => m.strides[p]!),
    );
  };
}

export function getGlobal(st: State, name: string, op: Operation): Allocation {
  let g = st.globals.get(name);
  if (g) return g;
  const decl = st.prog.globalOps.get(name);
  if (!decl) unsupported(op, `no memref.global @${name}`);
  const t = prop(decl, 'type');
  if (!t || t.kind !== 'type' || t.type.kind !== 'memref') unsupported(decl, 'memref.global without a memref type');
  const mt = t.type;
  const n = numElements(mt.shape);
  const init = prop(decl, 'initial_value');
  if (init === undefined) unsupported(decl, `external memref.global @${name} has no contents`);
  const constant = hasUnit(decl, 'constant');
  g = allocate(mt.elem, n, 'global', init.kind === 'dense', constant, name);
  if (init.kind === 'dense') {
    const vals = denseElements(init, n);
    for (let k = 0; k < n; k++) (g.data as Float64Array)[k] = vals[k] as number;
  }
  st.globals.set(name, g);
  return g;
}

function getGlobalSem(op: Operation, cx: Cx): Instr {
  const a = prop(op, 'name');
  if (!a || a.kind !== 'symbol') unsupported(op, 'memref.get_global without a symbol');
  const name = a.path[a.path.length - 1]!;
  const t = memrefType(op, op.results[0]!.type);
  const d = cx.slot(op.results[0]!);
  const strides = contiguousStrides(t.shape);
  return (fr) => {
    fr.r[d] = new MemRef(getGlobal(fr.st, name, op), 0, t.shape, strides);
  };
}

/** arith::AtomicRMWKind in enum order (memref.atomic_rmw, affine.parallel reductions). */
export const RMW_KINDS = ['addf', 'addi', 'andi', 'assign', 'maximumf', 'maxnumf', 'maxs', 'maxu', 'minimumf', 'minnumf', 'mins', 'minu', 'mulf', 'muli', 'ori', 'xori'];

/** The combining function of an AtomicRMWKind. */
export function rmwCombiner(op: Operation, kind: string | undefined, ek: ElemKind): (old: Scalar, v: Scalar) => Scalar {
  const r = ek.k === 'f' ? rounder(ek.name) : (x: number): number => x;
  switch (kind) {
    case 'assign':
      return (_o, v) => v;
    case 'addf':
      return (o, v) => r((o as number) + (v as number));
    case 'mulf':
      return (o, v) => r((o as number) * (v as number));
    case 'maximumf':
      return (o, v) => maximumf(o as number, v as number);
    case 'minimumf':
      return (o, v) => minimumf(o as number, v as number);
    case 'maxnumf':
      return (o, v) => maxnumf(o as number, v as number);
    case 'minnumf':
      return (o, v) => minnumf(o as number, v as number);
    case 'addi':
    case 'muli':
    case 'ori':
    case 'andi':
    case 'xori':
      return intBinary(kind, ek);
    case 'maxs':
    case 'mins':
    case 'maxu':
    case 'minu':
      return intBinary(`${kind}i` as 'maxsi', ek);
  }
  unsupported(op, `${op.name} kind ${String(kind)}`);
}

function atomicRmwSem(op: Operation, cx: Cx): Instr {
  const a = prop(op, 'kind');
  const kind = a?.kind === 'int' ? RMW_KINDS[Number(a.value)] : dialectWords(op, 'kind')[0];
  const f = rmwCombiner(op, kind, elemKindOf(op.results[0]!.type));
  const [v, m, ...idx] = cx.slotsOf(op.operands) as [number, number, ...number[]];
  const addr = addressOf(m, idx, op.name);
  const d = cx.slot(op.results[0]!);
  return (fr) => {
    const mr = fr.r[m] as MemRef;
    const lin = addr(fr);
    const old = readAt(mr, lin);
    writeAt(mr, lin, f(old, fr.r[v] as Scalar));
    fr.r[d] = old;
    if (fr.t !== null) {
      const x = (mr.buf.taint?.[lin] ?? 0) | fr.t[v]! | fr.pc;
      fr.t[d] = (mr.buf.taint?.[lin] ?? 0) | fr.pc;
      for (const s of idx) if (fr.t[s]) mr.buf.taintAll();
      if (x) mr.buf.taintAt(lin);
    }
  };
}

function genericAtomicSem(op: Operation, cx: Cx): Instr {
  const [m, ...idx] = cx.slotsOf(op.operands) as [number, ...number[]];
  const addr = addressOf(m, idx, op.name);
  const body = cx.region(op.regions[0]!);
  const d = cx.slot(op.results[0]!);
  return (fr) => {
    const mr = fr.r[m] as MemRef;
    const lin = addr(fr);
    const old = readAt(mr, lin);
    const ot = mr.buf.taint?.[lin] ?? 0;
    setArgs(fr, body, [old], [ot]);
    body.exec(fr);
    const nv = body.out[0] as Scalar;
    writeAt(mr, lin, nv);
    fr.r[d] = old;
    if (fr.t !== null) {
      fr.t[d] = ot | fr.pc;
      if (body.outT[0]) mr.buf.taintAt(lin);
    }
  };
}

function allocaScopeSem(op: Operation, cx: Cx): Instr {
  const body = cx.region(op.regions[0]!);
  const ds = cx.slotsOf(op.results);
  return (fr) => {
    const mark = fr.allocas?.length ?? 0;
    body.exec(fr);
    releaseAllocas(fr, mark);
    for (let k = 0; k < ds.length; k++) {
      fr.r[ds[k]!] = body.out[k]!;
      if (fr.t !== null) fr.t[ds[k]!] = body.outT[k]!;
    }
  };
}

function passThrough(op: Operation, cx: Cx): Instr {
  const s = cx.slot(op.operands[0]!);
  const ds = op.results.length ? cx.slot(op.results[0]!) : -1;
  return (fr) => {
    if (ds >= 0) fr.r[ds] = fr.r[s]!;
  };
}

defineOps({
  'memref.alloc': { compile: allocSem('alloc') },
  'memref.alloca': { compile: allocSem('alloca') },
  'memref.dealloc': {
    compile: (op, cx) => {
      const s = cx.slot(op.operands[0]!);
      return (fr) => {
        const m = fr.r[s] as MemRef;
        if (m.buf.origin !== 'alloc') ub('invalid-free', `memref.dealloc of a ${m.buf.origin} buffer`);
        if (m.buf.freed) ub('invalid-free', 'memref.dealloc of a buffer already deallocated');
        m.buf.freed = true;
      };
    },
  },
  'memref.load': { compile: loadSem },
  'memref.store': { compile: storeSem, taint: 'self' },
  'memref.copy': { compile: copySem, taint: 'self' },
  'memref.subview': { compile: subviewSem },
  'memref.cast': { compile: castSem },
  'memref.memory_space_cast': { compile: passThrough },
  'memref.assume_alignment': { compile: passThrough },
  'memref.reinterpret_cast': { compile: reinterpretSem },
  'memref.collapse_shape': { compile: collapseSem },
  'memref.reshape': { compile: reshapeSem },
  'memref.expand_shape': { compile: expandSem },
  'memref.transpose': { compile: transposeSem },
  'memref.get_global': { compile: getGlobalSem },
  'memref.dim': {
    compile: (op, cx) => {
      const [m, i] = cx.slotsOf(op.operands) as [number, number];
      const d = cx.slot(op.results[0]!);
      return (fr) => {
        const mr = fr.r[m] as MemRef;
        const k = fr.r[i] as number;
        if (!(k >= 0 && k < mr.rank)) ub('out-of-bounds', `memref.dim ${k} of a rank-${mr.rank} memref`);
        fr.r[d] = mr.sizes[k]!;
      };
    },
  },
  'memref.rank': {
    compile: (op, cx) => {
      const m = cx.slot(op.operands[0]!);
      const d = cx.slot(op.results[0]!);
      return (fr) => {
        fr.r[d] = (fr.r[m] as MemRef).rank;
      };
    },
  },
  'memref.extract_strided_metadata': {
    compile: (op, cx) => {
      const m = cx.slot(op.operands[0]!);
      const ds = cx.slotsOf(op.results);
      return (fr) => {
        const mr = fr.r[m] as MemRef;
        const vals: Val[] = [new MemRef(mr.buf, 0, [], []), mr.offset, ...mr.sizes, ...mr.strides];
        for (let k = 0; k < ds.length; k++) fr.r[ds[k]!] = vals[k]!;
      };
    },
  },
  'memref.atomic_rmw': { compile: atomicRmwSem, taint: 'self' },
  'memref.generic_atomic_rmw': { compile: genericAtomicSem, taint: 'self' },
  'memref.atomic_yield': { term: (op, cx, rc) => exitTerm(op, cx, rc) },
  'memref.alloca_scope': { compile: allocaScopeSem, taint: 'self' },
  'memref.alloca_scope.return': { term: (op, cx, rc) => exitTerm(op, cx, rc) },
  'memref.prefetch': { compile: () => () => undefined },
});
