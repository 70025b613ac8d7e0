// Generator state: where ops go, which values and buffers are visible, and what is known about each value.
import type { Attr } from '../../ir/attributes.ts';
import { floatAttr, intAttr } from '../../ir/attributes.ts';
import type { Block, Value } from '../../ir/core.ts';
import { Builder } from '../../ir/builder.ts';
import type { FloatType, FunctionType, IntType, MemRefType, Type } from '../../ir/types.ts';
import { index, typeEq } from '../../ir/types.ts';
import type { Rand } from './rand.ts';
import type { Range } from './ranges.ts';
import { fits, fullRange, point } from './ranges.ts';
import type { WeightName, Weights, WeightTables } from './weights.ts';
import { weightTables } from './weights.ts';

export type Facts = {
  /** Signed interval of an int or index value. Index values always carry one that fits int32. */
  range?: Range;
  /** Valid as an affine dimension or symbol operand. */
  affine?: 'dim' | 'sym';
  /** Depends on a transcendental math op, whose result differs by implementation. */
  approx?: boolean;
  /** A float that cannot be NaN. Only such floats may be bitcast to ints: NaN payloads differ between targets. */
  noNaN?: boolean;
};

/** A memref the generated code may access, with the shape it really has (its type may hide it). */
export type Buffer = {
  readonly value: Value;
  readonly shape: readonly number[];
  readonly elem: Type;
  /** Constant globals may not be written. */
  readonly readOnly: boolean;
  /** The allocation this buffer views: accesses through two views of one root may alias. */
  readonly root: object;
  /** Element strides and offset of the view, when its type states them statically (for subviews of subviews). */
  readonly layout?: { readonly strides: readonly number[]; readonly offset: number };
};

export type Callee = {
  readonly name: string;
  readonly type: FunctionType;
  /** Takes a memref it may write: never called where writes are forbidden. */
  readonly touchesMemory: boolean;
  readonly approxResults: readonly boolean[];
};

/** Module-level declarations a function body may ask for. */
export interface ModuleScope {
  declareGlobal(t: MemRefType, constant: boolean, values: bigint[]): string;
}

class Scope {
  readonly values: Value[] = [];
  readonly buffers: Buffer[] = [];
  /** memref.alloc results to free before the region's terminator. */
  readonly deallocs: Value[] = [];
  constructor(readonly parent: Scope | undefined) {}
}

export type Limits = {
  /** Ops left to emit in the current function. */
  budget: number;
  maxDepth: number;
  /** Upper bound on the product of enclosing trip counts, to keep runs short. */
  maxWork: number;
};

export class GenContext {
  readonly b: Builder;
  private scope: Scope;
  private readonly facts = new Map<Value, Facts>();
  depth = 0;
  /** Product of the trip counts of the enclosing loops. */
  work = 1;
  /** Inside scf.parallel no buffer is written, so iterations never race; `parallelOut`'s root is written once per iteration by the loop itself and not read. */
  parallelReadOnly = false;
  parallelOut: object | undefined;
  /** Blocks directly in the current function's region: their values are affine symbols. */
  topLevelBlocks = new Set<Block>();
  readonly callees: Callee[] = [];

  /** `weights` as [weight, name] tables for `rand.weighted`. */
  readonly tables: WeightTables;

  constructor(
    readonly rand: Rand,
    block: Block,
    readonly limits: Limits,
    readonly module: ModuleScope,
    readonly weights: Weights,
  ) {
    this.tables = weightTables(weights);
    this.b = new Builder(block);
    this.scope = new Scope(undefined);
  }

  get block(): Block {
    return this.b.block;
  }
  /** A yes/no decision with the probability `weights.chance[name]`. */
  chance(name: WeightName<'chance'>): boolean {
    return this.rand.chance(this.weights.chance[name]);
  }

  factsOf(v: Value): Facts {
    return this.facts.get(v) ?? {};
  }
  setFacts(v: Value, f: Facts): Value {
    if (v.type.kind === 'index' && !f.range) throw new Error('generator: index value without a range');
    this.facts.set(v, f);
    return v;
  }
  rangeOf(v: Value): Range {
    const r = this.factsOf(v).range;
    if (r) return r;
    const t = v.type;
    return t.kind === 'int' ? fullRange(t.width) : fullRange(32);
  }

  /** Creates an op in the current block and makes its results visible. */
  op(name: string, operands: Value[], results: readonly Type[], props: Record<string, Attr> = {}): readonly Value[] {
    this.limits.budget--;
    const o = this.b.create(name, { operands, results, props });
    for (const r of o.results) this.define(r);
    return o.results;
  }
  /** Single-result op with known facts about its result. */
  value(name: string, operands: Value[], result: Type, facts: Facts = {}, props: Record<string, Attr> = {}): Value {
    const v = this.op(name, operands, [result], props)[0]!;
    const approx = facts.approx || operands.some((x) => this.factsOf(x).approx);
    return this.setFacts(v, approx ? { ...facts, approx } : facts);
  }

  define(v: Value): void {
    this.scope.values.push(v);
  }
  addBuffer(buf: Buffer): void {
    this.scope.buffers.push(buf);
  }

  deferDealloc(v: Value): void {
    this.scope.deallocs.push(v);
  }
  /** Frees this scope's allocations; region builders call it right before the terminator. */
  emitDeallocs(): void {
    for (const v of this.scope.deallocs.splice(0)) this.op('memref.dealloc', [v], []);
  }

  /** Runs `body` with `block` as the insertion point and a fresh nested scope. */
  inScope<T>(block: Block, body: () => T, opts: { isolated?: boolean } = {}): T {
    const saved = this.scope;
    this.scope = new Scope(opts.isolated ? undefined : saved);
    try {
      return this.b.inBlock(block, body);
    } finally {
      this.scope = saved;
    }
  }

  /** Visible values, most recently defined first. */
  visibleValues(pred: (v: Value) => boolean): Value[] {
    const out: Value[] = [];
    for (let s: Scope | undefined = this.scope; s; s = s.parent) {
      for (let k = s.values.length - 1; k >= 0; k--) if (pred(s.values[k]!)) out.push(s.values[k]!);
    }
    return out;
  }
  visibleBuffers(pred: (b: Buffer) => boolean = () => true): Buffer[] {
    const out: Buffer[] = [];
    for (let s: Scope | undefined = this.scope; s; s = s.parent) for (const b of s.buffers) if (pred(b)) out.push(b);
    return out;
  }
  writableBuffers(): Buffer[] {
    return this.parallelReadOnly ? [] : this.visibleBuffers((b) => !b.readOnly);
  }
  readableBuffers(): Buffer[] {
    return this.visibleBuffers((b) => b.root !== this.parallelOut);
  }

  /** A visible value of exactly this type, preferring recent ones, if any. */
  pickOfType(t: Type, pred: (v: Value) => boolean = () => true): Value | undefined {
    const vs = this.visibleValues((v) => typeEq(v.type, t) && pred(v));
    if (vs.length === 0) return undefined;
    // Bias to recent values so data flows through the program instead of everything reading the inputs.
    return this.chance('preferRecentValue') ? vs[this.rand.int(0, Math.min(3, vs.length - 1))]! : this.rand.pick(vs);
  }

  constInt(t: IntType | typeof index, v: bigint): Value {
    const w = t.kind === 'int' ? t.width : 64;
    const val = BigInt.asIntN(w, v);
    const facts: Facts = { range: point(val) };
    if (t.kind === 'index') {
      if (!fits(point(val), 32)) throw new Error(`generator: index constant ${val} outside int32`);
      facts.affine = 'sym';
    }
    return this.value('arith.constant', [], t, facts, { value: intAttr(val, t) });
  }
  constIndex(v: number | bigint): Value {
    return this.constInt(index, BigInt(v));
  }
  constFloat(t: FloatType, x: number): Value {
    return this.value('arith.constant', [], t, {}, { value: floatAttr(x, t) });
  }

  /** Whether a value may be an affine symbol here: constants and values at the function's top level. */
  isAffineSymbol(v: Value): boolean {
    if (v.type.kind !== 'index') return false;
    if (this.factsOf(v).affine === 'sym' && v.definingOp?.name === 'arith.constant') return true;
    const blk = v.parentBlock;
    return blk !== undefined && this.topLevelBlocks.has(blk) && this.factsOf(v).affine !== 'dim';
  }
  isAffineDim(v: Value): boolean {
    return this.factsOf(v).affine === 'dim' || this.isAffineSymbol(v);
  }

  /** Checks a statement fits in the remaining budget and nesting. */
  canNest(trips: number): boolean {
    return this.depth < this.limits.maxDepth && this.work * Math.max(trips, 1) <= this.limits.maxWork && this.limits.budget > 4;
  }
  /** Runs `body` one loop level deeper with `trips` iterations per enclosing iteration. */
  nested<T>(trips: number, body: () => T): T {
    const [d, w] = [this.depth, this.work];
    this.depth++;
    this.work *= Math.max(trips, 1);
    try {
      return body();
    } finally {
      this.depth = d;
      this.work = w;
    }
  }
}
