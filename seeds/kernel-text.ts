// Writes one `@main(memref...)` loop kernel as generic-form MLIR text (what ir/parser reads), through typed helpers
// that read like the custom syntax: `k.affineFor(0, n, (i) => k.astore(k.aload(A, [i]), B, [i]))`.
// Values carry their type, so every op's generic signature is printed from its operands.

/** An SSA value and its type as MLIR prints it (`f32`, `index`, `vector<4xf32>`, `memref<4x8xf32>`). */
export type V = { readonly ref: string; readonly type: string };

export type DType = 'f16' | 'f32' | 'f64' | 'i8' | 'i16' | 'i32' | 'i64';
export const FLOAT_DTYPES: readonly DType[] = ['f16', 'f32', 'f64'];
export const INT_DTYPES: readonly DType[] = ['i8', 'i16', 'i32', 'i64'];
export const ALL_DTYPES: readonly DType[] = [...FLOAT_DTYPES, ...INT_DTYPES];

export const isFloat = (t: string): boolean => /^(f16|bf16|f32|f64)$/.test(elemOf(t));
export const elemOf = (t: string): string => t.match(/^(?:vector|memref)<(?:\d+x)*(\w+)>$/)?.[1] ?? t;
export const memrefType = (shape: readonly number[], elem: string): string => `memref<${shape.map((d) => `${d}x`).join('')}${elem}>`;
export const shapeOf = (t: string): number[] => (t.match(/^(?:memref|vector)<((?:\d+x)*)\w+>$/)?.[1] ?? '').split('x').filter(Boolean).map(Number);

const FM = '<{fastmath = #arith.fastmath<none>}>';
const OVF = '<{overflowFlags = #arith.overflow<none>}>';
const CMPF = { oeq: 1, ogt: 2, oge: 3, olt: 4, ole: 5, one: 6, ord: 7, ueq: 8, ugt: 9, uge: 10, ult: 11, ule: 12, une: 13, uno: 14 } as const;
const CMPI = { eq: 0, ne: 1, slt: 2, sle: 3, sgt: 4, sge: 5, ult: 6, ule: 7, ugt: 8, uge: 9 } as const;
const dims = (n: number): string => Array.from({ length: n }, (_, k) => `d${k}`).join(', ');

export class Kernel {
  private readonly lines: string[] = [];
  private readonly constLines: string[] = [];
  private depth = 2;
  private next = 0;
  private readonly consts = new Map<string, V>();
  readonly args: V[];

  constructor(args: readonly { readonly name: string; readonly type: string }[]) {
    this.args = args.map((a) => ({ ref: `%${a.name}`, type: a.type }));
  }

  /** The module text; `comment` goes on the first line. */
  text(comment: string): string {
    const sig = this.args.map((a) => a.type).join(', ');
    return [
      `// ${comment}`,
      `"builtin.module"() ({`,
      `  "func.func"() <{function_type = (${sig}) -> (), sym_name = "main"}> ({`,
      `  ^bb0(${this.args.map((a) => `${a.ref}: ${a.type}`).join(', ')}):`,
      ...this.constLines,
      ...this.lines,
      `    "func.return"() : () -> ()`,
      `  }) : () -> ()`,
      `}) : () -> ()`,
      '',
    ].join('\n');
  }

  private emit(line: string): void {
    this.lines.push(`${'  '.repeat(this.depth)}${line}`);
  }
  private fresh(hint = 'v'): string {
    return `%${hint}${this.next++}`;
  }
  /** `%r = "name"(operands) props : (types) -> result`. */
  op(name: string, operands: readonly V[], result: string, props = ''): V {
    const ref = this.fresh();
    this.emit(`${ref} = "${name}"(${operands.map((o) => o.ref).join(', ')})${props ? ` ${props}` : ''} : (${operands.map((o) => o.type).join(', ')}) -> ${result}`);
    return { ref, type: result };
  }
  private stmt(name: string, operands: readonly V[], props = ''): void {
    this.emit(`"${name}"(${operands.map((o) => o.ref).join(', ')})${props ? ` ${props}` : ''} : (${operands.map((o) => o.type).join(', ')}) -> ()`);
  }
  /** A region with one block: `body` runs with the block arguments and returns the terminator to print. */
  private region(argTypes: readonly string[], hint: string, body: (args: V[]) => void): string[] {
    const args = argTypes.map((type) => ({ ref: this.fresh(hint), type }));
    const saved = this.lines.length;
    this.depth++;
    body(args);
    this.depth--;
    const inner = this.lines.splice(saved);
    const head = args.length ? [`${'  '.repeat(this.depth)}^bb0(${args.map((a) => `${a.ref}: ${a.type}`).join(', ')}):`] : [];
    return [...head, ...inner];
  }

  // ---- constants ----
  /** A constant of `type` (hoisted to the function entry and shared). Floats take a decimal literal. */
  c(value: number | string, type: string): V {
    const lit = typeof value === 'number' && isFloat(type) && Number.isInteger(value) ? `${value}.0` : String(value);
    const key = `${lit}:${type}`;
    let v = this.consts.get(key);
    if (!v) {
      v = { ref: this.fresh('c'), type };
      this.constLines.push(`    ${v.ref} = "arith.constant"() <{value = ${lit} : ${type}}> : () -> ${type}`);
      this.consts.set(key, v);
    }
    return v;
  }
  idx(n: number): V {
    return this.c(n, 'index');
  }

  // ---- arithmetic, by element kind ----
  add(a: V, b: V): V {
    return isFloat(a.type) ? this.op('arith.addf', [a, b], a.type, FM) : this.op('arith.addi', [a, b], a.type, OVF);
  }
  sub(a: V, b: V): V {
    return isFloat(a.type) ? this.op('arith.subf', [a, b], a.type, FM) : this.op('arith.subi', [a, b], a.type, OVF);
  }
  mul(a: V, b: V): V {
    return isFloat(a.type) ? this.op('arith.mulf', [a, b], a.type, FM) : this.op('arith.muli', [a, b], a.type, OVF);
  }
  /** Float division, or signed integer division by a positive constant (never UB). */
  div(a: V, b: V): V {
    return isFloat(a.type) ? this.op('arith.divf', [a, b], a.type, FM) : this.op('arith.divsi', [a, b], a.type);
  }
  max(a: V, b: V): V {
    return isFloat(a.type) ? this.op('arith.maximumf', [a, b], a.type, FM) : this.op('arith.maxsi', [a, b], a.type);
  }
  min(a: V, b: V): V {
    return isFloat(a.type) ? this.op('arith.minimumf', [a, b], a.type, FM) : this.op('arith.minsi', [a, b], a.type);
  }
  neg(a: V): V {
    return isFloat(a.type) ? this.op('arith.negf', [a], a.type, FM) : this.sub(this.c(0, a.type), a);
  }
  cmpf(pred: keyof typeof CMPF, a: V, b: V): V {
    return this.op('arith.cmpf', [a, b], 'i1', `<{fastmath = #arith.fastmath<none>, predicate = ${CMPF[pred]} : i64}>`);
  }
  cmpi(pred: keyof typeof CMPI, a: V, b: V): V {
    return this.op('arith.cmpi', [a, b], 'i1', `<{predicate = ${CMPI[pred]} : i64}>`);
  }
  and(a: V, b: V): V {
    return this.op('arith.andi', [a, b], a.type);
  }
  select(c: V, a: V, b: V): V {
    return this.op('arith.select', [c, a, b], a.type);
  }
  /** `math.NAME` on a float (exp, tanh, erf, sqrt, rsqrt...). */
  math(name: string, a: V): V {
    return this.op(`math.${name}`, [a], a.type, FM);
  }
  mathFma(a: V, b: V, c: V): V {
    return this.op('math.fma', [a, b, c], a.type, FM);
  }
  /** Signed integer or index → another integer type, index, or float. */
  cast(a: V, to: string): V {
    if (a.type === to) return a;
    if (to === 'index' || a.type === 'index') return this.op('arith.index_cast', [a], to);
    if (isFloat(to)) return this.op('arith.sitofp', [a], to);
    const w = (t: string) => Number(t.slice(1));
    return this.op(w(to) > w(a.type) ? 'arith.extsi' : 'arith.trunci', [a], to);
  }

  // ---- memory ----
  /** `affine.load A[exprs(operands)]`; exprs default to the operands themselves. */
  aload(mem: V, operands: readonly V[], exprs?: readonly string[]): V {
    return this.op('affine.load', [mem, ...operands], elemOf(mem.type), `<{map = ${amap(operands.length, exprs)}}>`);
  }
  astore(value: V, mem: V, operands: readonly V[], exprs?: readonly string[]): void {
    this.stmt('affine.store', [value, mem, ...operands], `<{map = ${amap(operands.length, exprs)}}>`);
  }
  load(mem: V, indices: readonly V[]): V {
    return this.op('memref.load', [mem, ...indices], elemOf(mem.type));
  }
  store(value: V, mem: V, indices: readonly V[]): void {
    this.stmt('memref.store', [value, mem, ...indices]);
  }
  alloca(shape: readonly number[], elem: string): V {
    return this.op('memref.alloca', [], memrefType(shape, elem), '<{operandSegmentSizes = array<i32: 0, 0>}>');
  }
  /** `affine.apply`, `affine.min`, `affine.max` over dims `operands` (exprs in d0, d1...). */
  apply(operands: readonly V[], expr: string): V {
    return this.op('affine.apply', operands, 'index', `<{map = affine_map<(${dims(operands.length)}) -> (${expr})>}>`);
  }
  amin(operands: readonly V[], exprs: readonly string[]): V {
    return this.op('affine.min', operands, 'index', `<{map = affine_map<(${dims(operands.length)}) -> (${exprs.join(', ')})>}>`);
  }
  amax(operands: readonly V[], exprs: readonly string[]): V {
    return this.op('affine.max', operands, 'index', `<{map = affine_map<(${dims(operands.length)}) -> (${exprs.join(', ')})>}>`);
  }

  // ---- loops ----
  /** `affine.for %i = lb to ub step s` with constant bounds, carrying `inits`; `body` returns the yielded values. */
  affineFor(lb: number, ub: number, body: (i: V, acc: V[]) => V[] | void, opts: { step?: number; inits?: readonly V[] } = {}): V[] {
    const inits = opts.inits ?? [];
    const types = inits.map((v) => v.type);
    const bodyLines = this.region(['index', ...types], 'i', ([i, ...acc]) => {
      const ys = body(i!, acc) ?? [];
      this.stmt('affine.yield', ys);
    });
    return this.regionOp(
      'affine.for',
      inits,
      types,
      `<{lowerBoundMap = affine_map<() -> (${lb})>, operandSegmentSizes = array<i32: 0, 0, ${inits.length}>, step = ${opts.step ?? 1} : index, upperBoundMap = affine_map<() -> (${ub})>}>`,
      [bodyLines],
    );
  }
  /** Nested `affine.for`s over [0, ubs) carrying one accumulator from `init`: a reduction nest. */
  affineReduce(ubs: readonly number[], init: V, body: (ivs: V[], acc: V) => V): V {
    const nest = (d: number, ivs: V[], acc: V): V =>
      this.affineFor(0, ubs[d]!, (i, [a]) => [d + 1 === ubs.length ? body([...ivs, i], a!) : nest(d + 1, [...ivs, i], a!)], { inits: [acc] })[0]!;
    return ubs.length ? nest(0, [], init) : init;
  }
  /** `mem[indices]` where indices in dims `guarded` may be out of bounds (padding): loads at the clamped index
   * and selects `fill` outside, so no access is ever out of bounds. Without `fill`, the clamped element itself. */
  guardedLoad(mem: V, indices: readonly V[], guarded: readonly number[], fill?: V): V {
    const shape = shapeOf(mem.type);
    let inb: V | undefined;
    const clamped = indices.map((x, d) => {
      if (!guarded.includes(d)) return x;
      if (fill) {
        const ok = this.and(this.cmpi('sge', x, this.idx(0)), this.cmpi('slt', x, this.idx(shape[d]!)));
        inb = inb ? this.and(inb, ok) : ok;
      }
      return this.amin([this.amax([x], ['d0', '0'])], ['d0', String(shape[d]! - 1)]);
    });
    const v = this.load(mem, clamped);
    return inb && fill ? this.select(inb, v, fill) : v;
  }
  /** `scf.for` over constant bounds, carrying `inits`. */
  scfFor(lb: number, ub: number, step: number, body: (i: V, acc: V[]) => V[] | void, inits: readonly V[] = []): V[] {
    const types = inits.map((v) => v.type);
    const ops = [this.idx(lb), this.idx(ub), this.idx(step), ...inits];
    const bodyLines = this.region(['index', ...types], 'i', ([i, ...acc]) => {
      const ys = body(i!, acc) ?? [];
      this.stmt('scf.yield', ys);
    });
    return this.regionOp('scf.for', ops, types, '', [bodyLines]);
  }
  /** `scf.parallel` over [0, ubs): each iteration must write its own elements (no reductions). */
  scfParallel(ubs: readonly number[], body: (iv: V[]) => void): void {
    const n = ubs.length;
    const ops = [...ubs.map(() => this.idx(0)), ...ubs.map((u) => this.idx(u)), ...ubs.map(() => this.idx(1))];
    const bodyLines = this.region(ubs.map(() => 'index'), 'p', (ivs) => {
      body(ivs);
      this.stmt('scf.reduce', []);
    });
    this.regionOp('scf.parallel', ops, [], `<{operandSegmentSizes = array<i32: ${n}, ${n}, ${n}, 0>}>`, [bodyLines]);
  }
  /** `scf.if` yielding one value per branch result. */
  scfIf(cond: V, then: () => V[], otherwise: () => V[]): V[] {
    let types: string[] = [];
    const t = this.region([], '', () => {
      const ys = then();
      types = ys.map((y) => y.type);
      this.stmt('scf.yield', ys);
    });
    const e = this.region([], '', () => this.stmt('scf.yield', otherwise()));
    return this.regionOp('scf.if', [cond], types, '', [t, e]);
  }
  private regionOp(name: string, operands: readonly V[], results: readonly string[], props: string, regions: readonly string[][]): V[] {
    const refs = results.map(() => this.fresh('r'));
    const res = refs.length === 0 ? '' : refs.length === 1 ? `${refs[0]} = ` : `${refs[0]}:${refs.length} = `;
    const names = refs.length > 1 ? refs.map((_, k) => `${refs[0]}#${k}`) : refs;
    this.emit(`${res}"${name}"(${operands.map((o) => o.ref).join(', ')})${props ? ` ${props}` : ''} (${regions.length ? '{' : ''}`);
    regions.forEach((r, k) => {
      this.lines.push(...r);
      this.emit(k < regions.length - 1 ? '}, {' : '})' + ` : (${operands.map((o) => o.type).join(', ')}) -> ${resultList(results)}`);
    });
    return names.map((ref, k) => ({ ref, type: results[k]! }));
  }

  // ---- vector ----
  /** `vector.transfer_read mem[indices]` of `width` elements along the last dimension, in bounds. */
  vread(mem: V, indices: readonly V[], width: number, pad: V): V {
    const r = shapeOf(mem.type).length;
    return this.op('vector.transfer_read', [mem, ...indices, pad], `vector<${width}x${elemOf(mem.type)}>`, `<{in_bounds = [true], operandSegmentSizes = array<i32: 1, ${r}, 1, 0>, permutation_map = affine_map<(${dims(r)}) -> (d${r - 1})>}>`);
  }
  vwrite(v: V, mem: V, indices: readonly V[]): void {
    const r = shapeOf(mem.type).length;
    this.stmt('vector.transfer_write', [v, mem, ...indices], `<{in_bounds = [true], operandSegmentSizes = array<i32: 1, 1, ${r}, 0>, permutation_map = affine_map<(${dims(r)}) -> (d${r - 1})>}>`);
  }
  vbroadcast(s: V, width: number): V {
    return this.op('vector.broadcast', [s], `vector<${width}x${s.type}>`);
  }
  vfma(a: V, b: V, c: V): V {
    return this.op('vector.fma', [a, b, c], a.type);
  }
  /** `vector.reduction <kind>` (add, mul, maximumf, maxsi, ...), with an optional accumulator. */
  vreduce(kind: string, v: V, acc?: V): V {
    return this.op('vector.reduction', acc ? [v, acc] : [v], elemOf(v.type), `<{fastmath = #arith.fastmath<none>, kind = #vector.kind<${kind}>}>`);
  }
}

function amap(n: number, exprs?: readonly string[]): string {
  return `affine_map<(${dims(n)}) -> (${(exprs ?? Array.from({ length: n }, (_, k) => `d${k}`)).join(', ')})>`;
}
function resultList(results: readonly string[]): string {
  return results.length === 1 ? results[0]! : `(${results.join(', ')})`;
}
