// The shared vocabulary the dialect specs are written in: type constraints, dialect attribute bodies,
// operand and result groups by name, and the small checks many verify hooks repeat.
import type { Attr, DenseArrayAttr } from '../attributes.ts';
import type { Operation, Region, Value } from '../core.ts';
import type { Type, VectorType } from '../types.ts';
import { elementOf, i1, printType, typeEq, withElement } from '../types.ts';
import { lookupOp } from './registry.ts';
import type { OpSpec, TypeConstraint, ValueGroup } from './spec.ts';

const isInt = (t: Type): boolean => t.kind === 'int' && t.signedness === undefined;
const isIntOrIndex = (t: Type): boolean => isInt(t) || t.kind === 'index';
const isFloat = (t: Type): boolean => t.kind === 'float';
const isI1 = (t: Type): boolean => t.kind === 'int' && t.signedness === undefined && t.width === 1;
const isScalar = (t: Type): boolean => isIntOrIndex(t) || isFloat(t);
/** Signed and unsigned integers too (vector and memref elements, vector.print). */
const isAnyScalar = (t: Type): boolean => t.kind === 'int' || t.kind === 'index' || isFloat(t);
const like = (p: (t: Type) => boolean) => (t: Type) => p(t) || (t.kind === 'vector' && p(t.elem));

export const typeConstraints: Readonly<Record<TypeConstraint, { readonly desc: string; readonly test: (t: Type) => boolean }>> = {
  any: { desc: 'any type', test: () => true },
  int: { desc: 'signless integer', test: isInt },
  index: { desc: 'index', test: (t) => t.kind === 'index' },
  'int-or-index': { desc: 'signless integer or index', test: isIntOrIndex },
  float: { desc: 'floating-point', test: isFloat },
  i1: { desc: '1-bit signless integer', test: isI1 },
  scalar: { desc: 'integer, index or floating-point', test: isScalar },
  'any-scalar': { desc: 'integer of any signedness, index or floating-point', test: isAnyScalar },
  'int-like': { desc: 'signless-integer-like', test: like(isInt) },
  'int-or-index-like': { desc: 'signless-integer-or-index-like', test: like(isIntOrIndex) },
  'float-like': { desc: 'floating-point-like', test: like(isFloat) },
  'i1-like': { desc: 'bool-like', test: like(isI1) },
  'scalar-like': { desc: 'integer, index or floating-point, or a vector of them', test: like(isScalar) },
  'any-scalar-like': { desc: 'integer of any signedness, index or floating-point, or a vector of them', test: like(isAnyScalar) },
  memref: { desc: 'ranked memref', test: (t) => t.kind === 'memref' },
  'unranked-memref': { desc: 'unranked memref', test: (t) => t.kind === 'umemref' },
  'any-memref': { desc: 'memref', test: (t) => t.kind === 'memref' || t.kind === 'umemref' },
  vector: { desc: 'vector', test: (t) => t.kind === 'vector' },
};

const flagSet = (allowed: readonly string[], empty: string) => (body: string) => {
  const parts = body.split(',').map((s) => s.trim());
  return body.trim() === empty || (parts.length > 0 && parts.every((p) => allowed.includes(p)) && new Set(parts).size === parts.length);
};
const oneOf = (allowed: readonly string[]) => (body: string) => allowed.includes(body.trim());

export const COMBINING_KINDS = ['add', 'mul', 'minui', 'minsi', 'minnumf', 'maxui', 'maxsi', 'maxnumf', 'and', 'or', 'xor', 'minimumf', 'maximumf'] as const;
export const FLOAT_KINDS: readonly string[] = ['add', 'mul', 'minnumf', 'maxnumf', 'minimumf', 'maximumf'];
export const INT_KINDS: readonly string[] = ['add', 'mul', 'minui', 'minsi', 'maxui', 'maxsi', 'and', 'or', 'xor'];

/** Body validators of the dialect attributes props may hold, by `dialect.mnemonic`. */
export const dialectAttrBodies: Readonly<Record<string, (body: string) => boolean>> = {
  'arith.overflow': flagSet(['nsw', 'nuw'], 'none'),
  'arith.fastmath': (b) => b.trim() === 'fast' || flagSet(['reassoc', 'nnan', 'ninf', 'nsz', 'arcp', 'contract', 'afn'], 'none')(b),
  'vector.kind': oneOf(COMBINING_KINDS),
  'vector.punctuation': oneOf(['no_punctuation', 'newline', 'comma', 'open', 'close']),
  // `#index<cmp_predicate slt>`: the index dialect's one attribute has no mnemonic.
  index: (b) => /^cmp_predicate\s+(eq|ne|slt|sle|sgt|sge|ult|ule|ugt|uge)$/.test(b.trim()),
};

// ---- operand and result groups ----

export const arity = (g: ValueGroup) => g.arity ?? 'single';

/**
 * Splits values into named groups, using the segment sizes when the op has them.
 * Returns a message when the counts cannot fit the groups.
 */
export function splitGroups(
  groups: readonly ValueGroup[],
  values: readonly Value[],
  segments: Attr | undefined,
  attrSized: boolean,
  what: 'operand' | 'result',
): Map<string, Value[]> | string {
  const out = new Map<string, Value[]>();
  if (attrSized) {
    const attr = what === 'operand' ? 'operandSegmentSizes' : 'resultSegmentSizes';
    // MLIR reads an absent segment-size property as all zeros, so an op without operands may omit it.
    if (segments && segments.kind !== 'dense_array') return `attribute '${attr}' must be a dense i32 array`;
    const sizes = segments ? (segments as DenseArrayAttr).values.map(Number) : groups.map(() => 0);
    if (sizes.length !== groups.length) return `'${attr}' attribute for specifying ${what} segments must have ${groups.length} elements, but got ${sizes.length}`;
    let pos = 0;
    for (let k = 0; k < groups.length; k++) {
      const g = groups[k]!;
      const n = sizes[k]!;
      const a = arity(g);
      if (n < 0 || (a === 'single' && n !== 1) || (a === 'optional' && n > 1)) return `${what} group '${g.name}' requires ${a === 'single' ? '1' : a === 'optional' ? '0 or 1' : 'a non-negative number of'} ${what}s, but got ${n}`;
      out.set(g.name, values.slice(pos, pos + n));
      pos += n;
    }
    if (pos !== values.length) return `${what} count (${values.length}) does not match with the total size (${pos}) specified in attribute '${attr}'`;
    return out;
  }
  const fixed = groups.filter((g) => arity(g) === 'single').length;
  const flexible = groups.find((g) => arity(g) !== 'single');
  const extra = values.length - fixed;
  const ok = flexible ? extra >= 0 && (arity(flexible) === 'variadic' || extra <= 1) : extra === 0;
  if (!ok) {
    const expect = !flexible ? `${fixed}` : arity(flexible) === 'optional' ? `${fixed} or ${fixed + 1}` : `at least ${fixed}`;
    return `expected ${expect} ${what}s, but found ${values.length}`;
  }
  let pos = 0;
  for (const g of groups) {
    const n = arity(g) === 'single' ? 1 : extra;
    out.set(g.name, values.slice(pos, pos + n));
    pos += n;
  }
  return out;
}

function specOf(op: Operation): OpSpec {
  const s = lookupOp(op.name);
  if (!s) throw new Error(`no spec for ${op.name}`);
  return s;
}

/** All groups of a verified op by name, operands then results. Hooks run only after the counts are checked. */
export function groupsOf(op: Operation, spec: OpSpec = specOf(op)): Map<string, Value[]> {
  const traits = spec.traits ?? [];
  const ops = splitGroups(spec.operands, op.operands, op.props.operandSegmentSizes, traits.includes('attr-sized-operands'), 'operand');
  const res = splitGroups(spec.results, op.results, op.props.resultSegmentSizes, traits.includes('attr-sized-results'), 'result');
  if (typeof ops === 'string' || typeof res === 'string') throw new Error(`${op.name}: groups do not fit (${ops}, ${res})`);
  return new Map([...ops, ...res]);
}

/** The values of one named group. */
export function group(op: Operation, name: string): Value[] {
  const g = groupsOf(op).get(name);
  if (!g) throw new Error(`${op.name} has no value group ${name}`);
  return g;
}
/** The value of an optional or single group, if present. */
export const opt = (op: Operation, name: string): Value | undefined => group(op, name)[0];
export const types = (vs: readonly Value[]): Type[] => vs.map((v) => v.type);
export const ty = (t: Type): string => `'${printType(t)}'`;
export const tys = (ts: readonly Type[]): string => `(${ts.map(printType).join(', ')})`;
export const sameTypes = (a: readonly Type[], b: readonly Type[]): boolean => a.length === b.length && a.every((t, k) => typeEq(t, b[k]!));

/** Vector shape of a type, or undefined for scalars. */
export const shapeOf = (t: Type): readonly number[] | undefined => (t.kind === 'vector' ? t.shape : undefined);
export function sameShape(a: Type, b: Type): boolean {
  const sa = shapeOf(a);
  const sb = shapeOf(b);
  if (!sa || !sb) return !sa && !sb;
  const va = a as VectorType;
  const vb = b as VectorType;
  return sa.length === sb.length && sa.every((d, k) => d === sb[k] && !!va.scalable?.[k] === !!vb.scalable?.[k]);
}
/** i1, or a vector of i1 shaped like `t` (what comparisons produce). */
export const boolLike = (t: Type): Type => withElement(t, i1);

export const bitsOf = (t: Type): number => {
  const e = elementOf(t);
  return e.kind === 'int' ? e.width : e.kind === 'float' ? (e.name === 'f64' ? 64 : e.name === 'f32' ? 32 : 16) : 0;
};

// ---- regions ----

export function entryArgs(r: Region): Type[] {
  return types(r.blocks[0]?.args ?? []);
}

/** Checks the entry block arguments of region `k` against `expected`. */
export function checkRegionArgs(op: Operation, k: number, expected: readonly Type[], what = `region #${k}`): string | undefined {
  const r = op.regions[k];
  if (!r || r.blocks.length === 0) return undefined;
  const got = entryArgs(r);
  if (!sameTypes(got, expected)) return `expects ${what} arguments to be ${tys(expected)}, but found ${tys(got)}`;
  return undefined;
}

/** The ops ending the blocks of region `k` (their presence and kind are checked structurally). */
export function terminatorsOf(op: Operation, k: number): Operation[] {
  const out: Operation[] = [];
  for (const b of op.regions[k]?.blocks ?? []) {
    const t = b.ops[b.ops.length - 1];
    if (t) out.push(t);
  }
  return out;
}

/** Checks that every terminator named `name` in region `k` yields values of `expected` types. */
export function checkYields(op: Operation, k: number, expected: readonly Type[], name: string): string | undefined {
  for (const t of terminatorsOf(op, k)) {
    if (t.name !== name) continue;
    const got = types(t.operands);
    if (!sameTypes(got, expected)) return `expects region #${k} to yield ${tys(expected)}, but '${name}' yields ${tys(got)}`;
  }
  return undefined;
}

/** Runs checks in order and returns the first failure. */
export function first(...checks: (() => string | undefined)[]): string | undefined {
  for (const c of checks) {
    const m = c();
    if (m !== undefined) return m;
  }
  return undefined;
}

/** An int, dense_array or array-of-int attribute as numbers (for positions, sizes, permutations). */
export function intList(a: Attr | undefined): number[] | undefined {
  if (!a) return undefined;
  if (a.kind === 'dense_array') return a.values.map(Number);
  if (a.kind === 'array' && a.elems.every((e) => e.kind === 'int')) return a.elems.map((e) => Number((e as { value: bigint }).value));
  if (a.kind === 'dense') return a.splat ? Array.from({ length: a.type.shape.reduce((x, y) => x * y, 1) }, () => Number(a.values[0]!)) : a.values.map(Number);
  return undefined;
}

/** ShapedType::kDynamic, the marker of a dynamic entry in static_offsets and friends. */
export const K_DYNAMIC = -(2n ** 63n);
export const isDynamicEntry = (v: bigint): boolean => v === K_DYNAMIC;
