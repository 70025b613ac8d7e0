// vector: n-D vector values. Construction, element access, memory transfers, reductions and printing.
import type { AffineMap } from '../affine.ts';
import type { Operation, Value } from '../core.ts';
import type { MemRefType, Type, VectorType } from '../types.ts';
import { i1, numElements, printType, typeEq, vector } from '../types.ts';
import { FLOAT_KINDS, INT_KINDS, bitsOf, first, group, intList, isDynamicEntry, opt, sameShape, ty } from './constraints.ts';
import type { OpSpec, PropSpec } from './spec.ts';

const FASTMATH: Record<string, PropSpec> = { fastmath: { required: false, kind: 'dialect', dialect: 'arith.fastmath' } };
const KIND: PropSpec = { required: true, kind: 'dialect', dialect: 'vector.kind' };
const MEMORY_PROPS: Record<string, PropSpec> = {
  nontemporal: { required: false, kind: 'int', type: 'i1' },
  alignment: { required: false, kind: 'int', type: 'i64' },
};

const vt = (v: Value): VectorType => v.type as VectorType;
const mt = (v: Value): MemRefType => v.type as MemRefType;

/** The vector holding dims `from..` of `t`, or its element type once every dim is indexed. */
function trailing(t: VectorType, from: number): Type {
  return from >= t.shape.length ? t.elem : vector(t.shape.slice(from), t.elem, t.scalable?.slice(from));
}

/** A combining kind must suit the element type: bitwise and unsigned kinds on integers, *f kinds on floats. */
function kindFits(kind: string, elem: Type): boolean {
  return elem.kind === 'float' ? FLOAT_KINDS.includes(kind) : INT_KINDS.includes(kind);
}
const kindOf = (op: Operation): string => (op.props.kind as { body: string } | undefined)?.body.trim() ?? 'add';

/** static_position: as many dynamic markers as dynamic operands, and every static entry in range or poison (-1). */
function checkPosition(op: Operation, t: VectorType): string | undefined {
  const pos = (op.props.static_position as { values: readonly bigint[] }).values;
  if (pos.length > t.shape.length) return 'expected position attribute of rank no greater than vector rank';
  const dyn = pos.filter(isDynamicEntry).length;
  if (dyn !== group(op, 'dynamic_position').length) return `expected ${dyn} dynamic position operands`;
  for (let k = 0; k < pos.length; k++) {
    const p = pos[k]!;
    if (isDynamicEntry(p)) continue;
    if (p !== -1n && (p < 0n || p >= BigInt(t.shape[k]!))) return `expected position attribute #${k + 1} to be a non-negative integer smaller than the corresponding vector dimension or poison (-1)`;
  }
  return undefined;
}

/** The i1 mask a transfer op takes: the vector shape permuted back into memref dim order, broadcast dims dropped. */
function transferMaskType(v: VectorType, map: AffineMap): VectorType {
  const pairs: [number, number][] = [];
  map.results.forEach((e, k) => {
    if (e.k === 'dim') pairs.push([e.i, v.shape[k]!]);
  });
  pairs.sort((a, b) => a[0] - b[0]);
  return vector(pairs.map((p) => p[1]), i1);
}

function verifyTransfer(op: Operation, vec: VectorType, base: Value, write: boolean): string | undefined {
  const m = mt(base);
  const map = (op.props.permutation_map as { map: AffineMap }).map;
  const inBounds = op.props.in_bounds;
  const flags = inBounds?.kind === 'array' ? inBounds.elems : [];
  const mask = opt(op, 'mask');
  return first(
    () => (group(op, 'indices').length === m.shape.length ? undefined : `requires ${m.shape.length} indices`),
    () => (typeEq(m.elem, vec.elem) ? undefined : 'requires source and vector element types to match'),
    () => (map.dims === m.shape.length && map.syms === 0 ? undefined : 'requires a permutation_map with input dims of the same rank as the source type'),
    () => (map.results.length === vec.shape.length ? undefined : 'requires a permutation_map with result dims of the same rank as the vector type'),
    () => {
      const seen = new Set<number>();
      for (const e of map.results) {
        if (e.k === 'dim' && !seen.has(e.i)) seen.add(e.i);
        else if (!(e.k === 'const' && e.v === 0n) || write) return write ? 'should not have broadcast dimensions' : 'requires a projected permutation_map (at most one dim or the zero constant can appear in each result)';
      }
      return undefined;
    },
    () => (inBounds?.kind === 'array' && flags.length === vec.shape.length ? undefined : 'expects the in_bounds attr of same rank as permutation_map results'),
    () => (map.results.every((e, k) => e.k === 'dim' || (flags[k]?.kind === 'int' && flags[k].value !== 0n)) ? undefined : 'requires broadcast dimensions to be in-bounds'),
    () => {
      if (!mask) return undefined;
      const want = transferMaskType(vec, map);
      return typeEq(mask.type, want) ? undefined : `expects mask type ${ty(want)}, but got ${ty(mask.type)}`;
    },
    () => {
      const pad = write ? undefined : opt(op, 'padding');
      return !pad || typeEq(pad.type, m.elem) ? undefined : 'requires formal padding and source of the same elemental type';
    },
  );
}

/** vector.load/store and the masked forms: the vector's elements come from the memref's, indexed per memref dim. */
function checkAccess(op: Operation, base: Value, vec: Type): string | undefined {
  const m = mt(base);
  if (!typeEq(m.elem, (vec as VectorType).elem)) return 'base and result element type should match';
  const n = group(op, 'indices').length;
  if (n !== m.shape.length) return `requires ${m.shape.length} indices`;
  const plain = op.name === 'vector.load' || op.name === 'vector.store';
  return plain && m.shape.length < (vec as VectorType).shape.length ? 'destination memref has lower rank than the result vector' : undefined;
}

const isBoolVector = (t: Type): boolean => t.kind === 'vector' && t.elem.kind === 'int' && !t.elem.signedness && t.elem.width === 1;

/** gather/scatter: element types, one index per base dim, an integer or index offset vector and an i1 mask. */
function verifyIndexed(op: Operation, vec: Type): string | undefined {
  const m = mt(op.operands[0]!);
  const n = group(op, 'indices').length;
  const iv = op.operands[1 + n]!.type as VectorType;
  const mask = op.operands[2 + n]!.type;
  return first(
    () => (typeEq(m.elem, (vec as VectorType).elem) ? undefined : `base and ${op.name === 'vector.gather' ? 'result' : 'valueToStore'} element type should match`),
    () => (n === m.shape.length ? undefined : `requires ${m.shape.length} indices`),
    () => ((iv.elem.kind === 'int' && !iv.elem.signedness) || iv.elem.kind === 'index' ? undefined : `operand #${1 + n} must be vector of integer or index values`),
    () => (isBoolVector(mask) ? undefined : `operand #${2 + n} must be vector of 1-bit signless integer values`),
    () => ((vec as VectorType).scalable?.some((x) => x) ? 'scalable vectors are not modelled' : undefined),
  );
}

/** compressstore/expandload: 1-D vectors, element types, one index per base dim, an i1 mask. */
function verifyExpandCompress(op: Operation, vec: Type): string | undefined {
  const m = mt(op.operands[0]!);
  const n = group(op, 'indices').length;
  return first(
    () => ((vec as VectorType).shape.length === 1 ? undefined : 'operand must be vector of any type values of ranks 1'),
    () => (typeEq(m.elem, (vec as VectorType).elem) ? undefined : `base and ${op.name === 'vector.expandload' ? 'result' : 'valueToStore'} element type should match`),
    () => (n === m.shape.length ? undefined : `requires ${m.shape.length} indices`),
    () => (isBoolVector(op.operands[1 + n]!.type) ? undefined : `operand #${1 + n} must be vector of 1-bit signless integer values`),
  );
}

/** The ops vector.mask may mask (those implementing MaskableOpInterface that tcfuzz models). */
export const MASKABLE_OPS = ['vector.transfer_read', 'vector.transfer_write', 'vector.reduction', 'vector.multi_reduction', 'vector.contract', 'vector.gather', 'vector.scatter'];

/** The mask a transfer takes: its vector shape in the order of the memref dims it reads (broadcast dims dropped). */
function transferMaskShape(inner: Operation): number[] | undefined {
  const v = (inner.name === 'vector.transfer_read' ? inner.results[0] : inner.operands[0])?.type;
  const pm = inner.props.permutation_map;
  if (v?.kind !== 'vector' || pm?.kind !== 'affine_map') return undefined;
  const dims = pm.map.results.map((e, k) => ({ d: e.k === 'dim' ? e.i : -1, k })).filter((x) => x.d >= 0).sort((a, b) => a.d - b.d);
  return dims.map((x) => v.shape[x.k]!);
}

function verifyMask(op: Operation): string | undefined {
  const body = op.regions[0]!.blocks[0];
  const ops = body ? body.ops.filter((o) => o.name !== 'vector.yield') : [];
  const mask = op.operands[0]!.type;
  const yieldOp = body?.ops[body.ops.length - 1];
  return first(
    () => (mask.kind === 'vector' && mask.elem.kind === 'int' && !mask.elem.signedness && mask.elem.width === 1 ? undefined : 'operand #0 must be vector of 1-bit signless integer values'),
    () => (ops.length <= 1 ? undefined : 'expects only one operation to mask'),
    () => (ops.length === 0 || MASKABLE_OPS.includes(ops[0]!.name) ? undefined : 'expects a MaskableOpInterface within the mask region'),
    () => {
      const inner = ops[0];
      if (!inner || (inner.name !== 'vector.transfer_read' && inner.name !== 'vector.transfer_write')) return undefined;
      const want = transferMaskShape(inner);
      return !want || (mask.kind === 'vector' && mask.shape.join('x') === want.join('x')) ? undefined : `expects a 'vector<${want.map((d) => d + 'x').join('')}i1>' mask for the maskable operation`;
    },
    () => {
      const got = yieldOp?.name === 'vector.yield' ? yieldOp.operands.map((v) => printType(v.type)) : [];
      const want = op.results.map((v) => printType(v.type));
      return got.join(',') === want.join(',') ? undefined : 'expects result type to match maskable operation result type';
    },
    () => {
      // The masked op's results are exactly what the region yields.
      const inner = ops[0];
      if (!inner || yieldOp?.name !== 'vector.yield') return undefined;
      const same = inner.results.length === yieldOp.operands.length && inner.results.every((v, k) => yieldOp.operands[k] === v);
      return same ? undefined : 'expects all the results from the MaskableOpInterface to match all the values returned by the terminator';
    },
    () => (op.operands.length < 2 || (op.results.length === 1 && typeEq(op.operands[1]!.type, op.results[0]!.type)) ? undefined : 'expects passthru type to match result type'),
  );
}

function verifyShuffle(op: Operation): string | undefined {
  const [a, b] = [vt(op.operands[0]!), vt(op.operands[1]!)];
  const r = vt(op.results[0]!);
  const mask = intList(op.props.mask) ?? [];
  const dimA = a.shape[0] ?? 1;
  const dimB = b.shape[0] ?? 1;
  return first(
    () => (a.shape.length === b.shape.length && a.shape.slice(1).every((d, k) => d === b.shape[k + 1]) ? undefined : 'dimension mismatch'),
    () => (typeEq(a.elem, b.elem) && typeEq(a.elem, r.elem) ? undefined : 'requires the same element type for operands and result'),
    () => {
      const want = vector([mask.length, ...a.shape.slice(1)], a.elem);
      return typeEq(r, want) ? undefined : `result type should be ${ty(want)}`;
    },
    () => {
      const k = mask.findIndex((x) => x < -1 || x >= dimA + dimB);
      return k < 0 ? undefined : `mask index #${k + 1} out of range`;
    },
  );
}

function verifyBroadcast(op: Operation): string | undefined {
  const s = op.operands[0]!.type;
  const d = vt(op.results[0]!);
  if (s.kind !== 'vector') return typeEq(s, d.elem) ? undefined : `source type ${ty(s)} is not the result element type`;
  if (!typeEq(s.elem, d.elem)) return 'source and result element types must match';
  if (s.shape.length > d.shape.length) return 'source rank higher than destination rank';
  const off = d.shape.length - s.shape.length;
  for (let k = 0; k < s.shape.length; k++) {
    const a = s.shape[k]!;
    const b = d.shape[k + off]!;
    if (a !== 1 && a !== b) return `dimension mismatch (${a} vs. ${b})`;
  }
  return undefined;
}

function verifyMultiReduction(op: Operation): string | undefined {
  const src = vt(op.operands[0]!);
  const dims = intList(op.props.reduction_dims) ?? [];
  const kept = src.shape.map((_, k) => k).filter((k) => !dims.includes(k));
  if (dims.some((d) => d < 0 || d >= src.shape.length) || new Set(dims).size !== dims.length) return 'invalid reduction dimensions';
  const want = kept.length === 0 ? src.elem : vector(kept.map((k) => src.shape[k]!), src.elem);
  const r = op.results[0]!.type;
  if (!typeEq(r, want)) return `invalid output vector type: ${printType(r)} (expected: ${printType(want)})`;
  if (!typeEq(op.operands[1]!.type, r)) return 'requires the accumulator to have the result type';
  return kindFits(kindOf(op), src.elem) ? undefined : `unsupported reduction type ${ty(src.elem)} for kind '${kindOf(op)}'`;
}

/** extract/insert_strided_slice: unit strides, and every slice inside the vector it indexes. */
function checkSlice(offsets: readonly number[], sizes: readonly number[], strides: readonly number[], shape: readonly number[]): string | undefined {
  if (strides.some((s) => s !== 1)) return 'expected strides to be confined to [1, 2)';
  for (let k = 0; k < offsets.length; k++) {
    const o = offsets[k]!;
    if (o < 0 || o >= shape[k]!) return `expected offsets dimension ${k} to be confined to [0, ${shape[k]})`;
    if (k < sizes.length && (sizes[k]! < 1 || o + sizes[k]! > shape[k]!)) return `expected sum(offsets, sizes) dimension ${k} to be confined to [1, ${shape[k]! + 1})`;
  }
  return undefined;
}

function verifyExtractSlice(op: Operation): string | undefined {
  const src = vt(op.operands[0]!);
  const [offsets, sizes, strides] = ['offsets', 'sizes', 'strides'].map((n) => intList(op.props[n]) ?? []) as [number[], number[], number[]];
  if (offsets.length !== sizes.length || sizes.length !== strides.length || offsets.length > src.shape.length) return 'expected offsets, sizes and strides attributes of the same length, at most the vector rank';
  const m = checkSlice(offsets, sizes, strides, src.shape);
  if (m) return m;
  const want = vector([...sizes, ...src.shape.slice(sizes.length)], src.elem);
  return typeEq(op.results[0]!.type, want) ? undefined : `expected result type ${ty(want)}`;
}

function verifyInsertSlice(op: Operation): string | undefined {
  const [src, dst] = [vt(op.operands[0]!), vt(op.operands[1]!)];
  const offsets = intList(op.props.offsets) ?? [];
  const strides = intList(op.props.strides) ?? [];
  if (src.shape.length > dst.shape.length) return 'expected source rank to be no greater than destination rank';
  if (offsets.length !== dst.shape.length) return 'expected offsets of same size as destination vector rank';
  if (strides.length !== src.shape.length) return 'expected strides of same size as source vector rank';
  if (!typeEq(src.elem, dst.elem)) return 'expected source and destination element types to match';
  const lead = dst.shape.length - src.shape.length;
  const sizes = [...dst.shape.slice(0, lead).map(() => 1), ...src.shape];
  return checkSlice(offsets, sizes, [...dst.shape.slice(0, lead).map(() => 1), ...strides], dst.shape);
}

function verifyOuterProduct(op: Operation): string | undefined {
  const lhs = vt(op.operands[0]!);
  const rhs = op.operands[1]!.type;
  const r = op.results[0]!.type;
  if (lhs.shape.length !== 1) return 'expected 1-d vector for operand #1';
  const want = rhs.kind === 'vector' ? vector([lhs.shape[0]!, rhs.shape[0]!], lhs.elem) : vector(lhs.shape, lhs.elem);
  if (rhs.kind === 'vector' && rhs.shape.length !== 1) return 'expected 1-d vector for operand #2';
  if (!typeEq(rhs.kind === 'vector' ? rhs.elem : rhs, lhs.elem)) return 'failed to verify that rhs operand and result have same element type';
  if (!typeEq(r, want)) return `expected result type ${ty(want)}`;
  const acc = opt(op, 'acc');
  if (acc && !typeEq(acc.type, r)) return 'expected operand #3 of same type as result type';
  return kindFits(kindOf(op), lhs.elem) ? undefined : `unsupported outerproduct type for kind '${kindOf(op)}'`;
}

export const vectorOps: readonly OpSpec[] = [
  {
    name: 'vector.broadcast',
    operands: [{ name: 'source', type: 'any-scalar-like' }],
    results: [{ name: 'vector', type: 'vector' }],
    traits: ['pure'],
    verify: verifyBroadcast,
  },
  {
    name: 'vector.extract',
    operands: [{ name: 'source', type: 'vector' }, { name: 'dynamic_position', arity: 'variadic', type: 'index' }],
    results: [{ name: 'result', type: 'any-scalar-like' }],
    props: { static_position: { required: true, kind: 'dense_array', type: 'i64' } },
    traits: ['pure'],
    verify: (op) => {
      const t = vt(op.operands[0]!);
      return first(
        () => checkPosition(op, t),
        () => {
          const n = (op.props.static_position as { values: readonly bigint[] }).values.length;
          const want = trailing(t, n);
          return typeEq(op.results[0]!.type, want) ? undefined : `expected result type ${ty(want)}, but got ${ty(op.results[0]!.type)}`;
        },
      );
    },
  },
  {
    name: 'vector.insert',
    operands: [{ name: 'valueToStore', type: 'any-scalar-like' }, { name: 'dest', type: 'vector' }, { name: 'dynamic_position', arity: 'variadic', type: 'index' }],
    results: [{ name: 'result', type: 'vector' }],
    props: { static_position: { required: true, kind: 'dense_array', type: 'i64' } },
    sameType: [['dest', 'result']],
    traits: ['pure'],
    verify: (op) => {
      const t = vt(op.operands[1]!);
      return first(
        () => checkPosition(op, t),
        () => {
          const n = (op.props.static_position as { values: readonly bigint[] }).values.length;
          const want = trailing(t, n);
          return typeEq(op.operands[0]!.type, want) ? undefined : `expected the value to store to have type ${ty(want)}, but got ${ty(op.operands[0]!.type)}`;
        },
      );
    },
  },
  {
    name: 'vector.transfer_read',
    operands: [
      { name: 'base', type: 'memref' },
      { name: 'indices', arity: 'variadic', type: 'index' },
      { name: 'padding', type: 'any-scalar' },
      { name: 'mask', arity: 'optional', type: 'vector' },
    ],
    results: [{ name: 'vector', type: 'vector' }],
    props: { permutation_map: { required: true, kind: 'affine_map' }, in_bounds: { required: true, kind: 'array' } },
    traits: ['attr-sized-operands'],
    verify: (op) => verifyTransfer(op, vt(op.results[0]!), op.operands[0]!, false),
  },
  {
    name: 'vector.transfer_write',
    operands: [
      { name: 'valueToStore', type: 'vector' },
      { name: 'base', type: 'memref' },
      { name: 'indices', arity: 'variadic', type: 'index' },
      { name: 'mask', arity: 'optional', type: 'vector' },
    ],
    results: [],
    props: { permutation_map: { required: true, kind: 'affine_map' }, in_bounds: { required: true, kind: 'array' } },
    traits: ['attr-sized-operands'],
    verify: (op) => verifyTransfer(op, vt(op.operands[0]!), op.operands[1]!, true),
  },
  {
    name: 'vector.load',
    operands: [{ name: 'base', type: 'memref' }, { name: 'indices', arity: 'variadic', type: 'index' }],
    results: [{ name: 'result', type: 'vector' }],
    props: MEMORY_PROPS,
    verify: (op) => checkAccess(op, op.operands[0]!, op.results[0]!.type),
  },
  {
    name: 'vector.store',
    operands: [{ name: 'valueToStore', type: 'vector' }, { name: 'base', type: 'memref' }, { name: 'indices', arity: 'variadic', type: 'index' }],
    results: [],
    props: MEMORY_PROPS,
    verify: (op) => checkAccess(op, op.operands[1]!, op.operands[0]!.type),
  },
  {
    name: 'vector.maskedload',
    operands: [
      { name: 'base', type: 'memref' },
      { name: 'indices', arity: 'variadic', type: 'index' },
      { name: 'mask', type: 'i1-like' },
      { name: 'pass_thru', type: 'vector' },
    ],
    results: [{ name: 'result', type: 'vector' }],
    props: { alignment: MEMORY_PROPS.alignment! },
    sameType: [['pass_thru', 'result']],
    sameShape: [['mask', 'result']],
    verify: (op) => checkAccess(op, op.operands[0]!, op.results[0]!.type),
  },
  {
    // base[indices] + index_vec[p] for lane p (a flat element offset), where mask[p]; pass_thru elsewhere.
    name: 'vector.gather',
    operands: [
      { name: 'base', type: 'memref' },
      { name: 'indices', arity: 'variadic', type: 'index' },
      { name: 'index_vec', type: 'vector' },
      { name: 'mask', type: 'vector' },
      { name: 'pass_thru', type: 'vector' },
    ],
    results: [{ name: 'result', type: 'vector' }],
    props: { alignment: MEMORY_PROPS.alignment! },
    sameType: [['pass_thru', 'result']],
    sameShape: [['index_vec', 'result'], ['mask', 'result']],
    verify: (op) => verifyIndexed(op, op.results[0]!.type),
  },
  {
    name: 'vector.scatter',
    operands: [
      { name: 'base', type: 'memref' },
      { name: 'indices', arity: 'variadic', type: 'index' },
      { name: 'index_vec', type: 'vector' },
      { name: 'mask', type: 'vector' },
      { name: 'valueToStore', type: 'vector' },
    ],
    results: [],
    props: { alignment: MEMORY_PROPS.alignment! },
    sameShape: [['index_vec', 'valueToStore'], ['mask', 'valueToStore']],
    verify: (op) => verifyIndexed(op, op.operands[op.operands.length - 1]!.type),
  },
  {
    // The active lanes of valueToStore, in lane order, to consecutive elements from base[indices].
    name: 'vector.compressstore',
    operands: [
      { name: 'base', type: 'memref' },
      { name: 'indices', arity: 'variadic', type: 'index' },
      { name: 'mask', type: 'vector' },
      { name: 'valueToStore', type: 'vector' },
    ],
    results: [],
    props: { alignment: MEMORY_PROPS.alignment! },
    sameShape: [['mask', 'valueToStore']],
    verify: (op) => verifyExpandCompress(op, op.operands[op.operands.length - 1]!.type),
  },
  {
    // Lane p takes the next consecutive element from base[indices] where mask[p], pass_thru[p] elsewhere.
    name: 'vector.expandload',
    operands: [
      { name: 'base', type: 'memref' },
      { name: 'indices', arity: 'variadic', type: 'index' },
      { name: 'mask', type: 'vector' },
      { name: 'pass_thru', type: 'vector' },
    ],
    results: [{ name: 'result', type: 'vector' }],
    props: { alignment: MEMORY_PROPS.alignment! },
    sameType: [['pass_thru', 'result']],
    sameShape: [['mask', 'result']],
    verify: (op) => verifyExpandCompress(op, op.results[0]!.type),
  },
  {
    // Masks the one maskable op of its region (MaskableOpInterface); masked-off lanes of a result take passthru.
    name: 'vector.mask',
    operands: [{ name: 'mask', type: 'vector' }, { name: 'passthru', arity: 'optional' }],
    results: [{ name: 'results', arity: 'variadic' }],
    regions: 1,
    terminators: ['vector.yield'],
    traits: ['single-block'],
    verify: verifyMask,
  },
  {
    name: 'vector.yield',
    operands: [{ name: 'operands', arity: 'variadic' }],
    results: [],
    parents: ['vector.mask'],
    traits: ['terminator', 'pure'],
  },
  {
    name: 'vector.maskedstore',
    operands: [
      { name: 'base', type: 'memref' },
      { name: 'indices', arity: 'variadic', type: 'index' },
      { name: 'mask', type: 'i1-like' },
      { name: 'valueToStore', type: 'vector' },
    ],
    results: [],
    props: { alignment: MEMORY_PROPS.alignment! },
    sameShape: [['mask', 'valueToStore']],
    verify: (op) => checkAccess(op, op.operands[0]!, op.operands[op.operands.length - 1]!.type),
  },
  {
    name: 'vector.reduction',
    operands: [{ name: 'vector', type: 'vector' }, { name: 'acc', arity: 'optional', type: 'scalar' }],
    results: [{ name: 'dest', type: 'scalar' }],
    props: { kind: KIND, ...FASTMATH },
    sameType: [['acc', 'dest']],
    traits: ['pure'],
    verify: (op) => {
      const v = vt(op.operands[0]!);
      return first(
        () => (v.shape.length === 1 ? undefined : `unsupported reduction rank: ${v.shape.length}`),
        () => (typeEq(op.results[0]!.type, v.elem) ? undefined : 'result type must be the vector element type'),
        () => (kindFits(kindOf(op), v.elem) ? undefined : `unsupported reduction type '${ty(v.elem)}' for kind '${kindOf(op)}'`),
      );
    },
  },
  {
    name: 'vector.multi_reduction',
    operands: [{ name: 'source', type: 'vector' }, { name: 'acc', type: 'scalar-like' }],
    results: [{ name: 'dest', type: 'scalar-like' }],
    props: { kind: KIND, reduction_dims: { required: true, kind: 'dense_array', type: 'i64' } },
    traits: ['pure'],
    verify: verifyMultiReduction,
  },
  {
    name: 'vector.fma',
    operands: [{ name: 'lhs', type: 'vector' }, { name: 'rhs', type: 'vector' }, { name: 'acc', type: 'vector' }],
    results: [{ name: 'result', type: 'vector' }],
    sameType: [['lhs', 'rhs', 'acc', 'result']],
    traits: ['pure'],
    verify: (op) => (vt(op.operands[0]!).elem.kind === 'float' ? undefined : `operand #0 must be vector of floating-point values, but got ${ty(op.operands[0]!.type)}`),
  },
  {
    name: 'vector.print',
    operands: [{ name: 'source', arity: 'optional', type: 'any-scalar-like' }],
    results: [],
    props: { punctuation: { required: false, kind: 'dialect', dialect: 'vector.punctuation' }, stringLiteral: { required: false, kind: 'string' } },
  },
  {
    name: 'vector.shuffle',
    operands: [{ name: 'v1', type: 'vector' }, { name: 'v2', type: 'vector' }],
    results: [{ name: 'vector', type: 'vector' }],
    props: { mask: { required: true, kind: 'dense_array', type: 'i64' } },
    traits: ['pure'],
    verify: verifyShuffle,
  },
  {
    name: 'vector.from_elements',
    operands: [{ name: 'elements', arity: 'variadic', type: 'any-scalar' }],
    results: [{ name: 'dest', type: 'vector' }],
    traits: ['pure'],
    verify: (op) => {
      const d = vt(op.results[0]!);
      if (op.operands.length !== numElements(d.shape)) return `expected ${numElements(d.shape)} operands, but found ${op.operands.length}`;
      return op.operands.every((v) => typeEq(v.type, d.elem)) ? undefined : 'operand types must match the result element type';
    },
  },
  {
    name: 'vector.to_elements',
    operands: [{ name: 'source', type: 'vector' }],
    results: [{ name: 'elements', arity: 'variadic', type: 'any-scalar' }],
    traits: ['pure'],
    verify: (op) => {
      const s = vt(op.operands[0]!);
      if (op.results.length !== numElements(s.shape)) return `expected ${numElements(s.shape)} results, but found ${op.results.length}`;
      return op.results.every((v) => typeEq(v.type, s.elem)) ? undefined : 'result types must match the source element type';
    },
  },
  {
    name: 'vector.bitcast',
    operands: [{ name: 'source', type: 'vector' }],
    results: [{ name: 'result', type: 'vector' }],
    traits: ['pure'],
    verify: (op) => {
      const [a, b] = [vt(op.operands[0]!), vt(op.results[0]!)];
      if (a.shape.length !== b.shape.length) return 'op source and result vector types must have the same rank';
      const r = a.shape.length;
      if (a.shape.slice(0, -1).some((d, k) => d !== b.shape[k])) return 'dimension size mismatch';
      const last = (t: VectorType) => (r ? t.shape[r - 1]! : 1) * bitsOf(t);
      return a.elem.kind !== 'index' && b.elem.kind !== 'index' && last(a) === last(b) ? undefined : 'source/result bitwidth of the minor 1-D vectors must be equal';
    },
  },
  {
    name: 'vector.shape_cast',
    operands: [{ name: 'source', type: 'vector' }],
    results: [{ name: 'result', type: 'vector' }],
    traits: ['pure'],
    verify: (op) => {
      const [a, b] = [vt(op.operands[0]!), vt(op.results[0]!)];
      if (!typeEq(a.elem, b.elem)) return 'has different source and result element types';
      return numElements(a.shape) === numElements(b.shape) ? undefined : 'has different number of elements at source and result';
    },
  },
  {
    name: 'vector.transpose',
    operands: [{ name: 'vector', type: 'vector' }],
    results: [{ name: 'result', type: 'vector' }],
    props: { permutation: { required: true, kind: 'dense_array', type: 'i64' } },
    traits: ['pure'],
    verify: (op) => {
      const [a, b] = [vt(op.operands[0]!), vt(op.results[0]!)];
      const p = intList(op.props.permutation) ?? [];
      if (p.length !== a.shape.length || new Set(p).size !== p.length || p.some((x) => x < 0 || x >= p.length)) return 'transposition length mismatch or invalid permutation';
      const want = vector(p.map((x) => a.shape[x]!), a.elem);
      return typeEq(b, want) ? undefined : `expected result type ${ty(want)}`;
    },
  },
  {
    name: 'vector.create_mask',
    operands: [{ name: 'operands', arity: 'variadic', type: 'index' }],
    results: [{ name: 'result', type: 'i1-like' }],
    traits: ['pure'],
    verify: (op) => {
      const r = op.results[0]!.type;
      if (r.kind !== 'vector') return `result #0 must be vector of 1-bit signless integer values, but got ${ty(r)}`;
      return op.operands.length === r.shape.length ? undefined : 'must specify an operand for each result vector dimension';
    },
  },
  {
    name: 'vector.constant_mask',
    operands: [],
    results: [{ name: 'result', type: 'i1-like' }],
    props: { mask_dim_sizes: { required: true, kind: 'dense_array', type: 'i64' } },
    traits: ['pure'],
    verify: (op) => {
      const r = op.results[0]!.type;
      if (r.kind !== 'vector') return `result #0 must be vector of 1-bit signless integer values, but got ${ty(r)}`;
      const sizes = intList(op.props.mask_dim_sizes) ?? [];
      // A 0-d mask is one bit: mlir-opt 22 takes one size, 0 or 1.
      if (r.shape.length === 0) {
        if (sizes.length !== 1) return 'array attr must have length 1 for 0-D vectors';
        return sizes[0] === 0 || sizes[0] === 1 ? undefined : 'mask dim size must be either 0 or 1 for 0-D vectors';
      }
      if (sizes.length !== r.shape.length) return 'must specify array attr of size equal vector result rank';
      if (sizes.some((s, k) => s < 0 || s > r.shape[k]!)) return 'array attr of size out of bounds of vector result dimension size';
      return sizes.every((s) => s === 0) || sizes.every((s) => s !== 0) ? undefined : 'expected all mask dim sizes to be zeros, as a result of conjunction with zero mask dim';
    },
  },
  {
    name: 'vector.step',
    operands: [],
    results: [{ name: 'result', type: 'vector' }],
    traits: ['pure'],
    verify: (op) => {
      const r = vt(op.results[0]!);
      return r.shape.length === 1 && r.elem.kind === 'index' ? undefined : `result #0 must be vector of index values of ranks 1, but got ${ty(r)}`;
    },
  },
  {
    name: 'vector.interleave',
    operands: [{ name: 'lhs', type: 'vector' }, { name: 'rhs', type: 'vector' }],
    results: [{ name: 'result', type: 'vector' }],
    sameType: [['lhs', 'rhs']],
    traits: ['pure'],
    verify: (op) => {
      const a = vt(op.operands[0]!);
      const r = a.shape.length;
      const want = vector(r ? [...a.shape.slice(0, -1), a.shape[r - 1]! * 2] : [2], a.elem);
      return typeEq(op.results[0]!.type, want) && sameShape(want, op.results[0]!.type) ? undefined : `expected result type ${ty(want)}`;
    },
  },
  {
    name: 'vector.extract_strided_slice',
    operands: [{ name: 'source', type: 'vector' }],
    results: [{ name: 'result', type: 'vector' }],
    props: { offsets: { required: true, kind: 'array' }, sizes: { required: true, kind: 'array' }, strides: { required: true, kind: 'array' } },
    traits: ['pure'],
    verify: verifyExtractSlice,
  },
  {
    name: 'vector.insert_strided_slice',
    operands: [{ name: 'valueToStore', type: 'vector' }, { name: 'dest', type: 'vector' }],
    results: [{ name: 'result', type: 'vector' }],
    props: { offsets: { required: true, kind: 'array' }, strides: { required: true, kind: 'array' } },
    sameType: [['dest', 'result']],
    traits: ['pure'],
    verify: verifyInsertSlice,
  },
  {
    name: 'vector.outerproduct',
    operands: [{ name: 'lhs', type: 'vector' }, { name: 'rhs', type: 'scalar-like' }, { name: 'acc', arity: 'optional', type: 'vector' }],
    results: [{ name: 'result', type: 'vector' }],
    props: { kind: { required: false, kind: 'dialect', dialect: 'vector.kind' } },
    traits: ['pure'],
    verify: verifyOuterProduct,
  },
];
