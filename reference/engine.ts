// The execution engine: IR is compiled once into closures (one per op, one runner per region), so a run never
// dispatches on op names. Every SSA value gets a slot in its function's frame; nested regions share the frame.
//
// Taint: when the module holds a taint source (a transcendental math op or a fastmath-flagged op), each frame
// carries a parallel taint byte per slot. An op's results are tainted when an operand is, when it is a source,
// or when control reached it through a tainted decision (frame.pc). Memory ops and region ops handle their own.
import type { Block, Operation, Region, Value } from '../ir/core.ts';
import { PrintedBytes } from '../numeric/runner-utils-print.ts';
import type { Allocation } from './memory.ts';
import { HangSignal, UbSignal, unsupported } from './ub.ts';
import type { Val } from './values.ts';

export interface Frame {
  readonly r: Val[];
  readonly t: Uint8Array | null;
  /** 1 while execution depends on a tainted control decision. */
  pc: number;
  readonly st: State;
  /** memref.alloca buffers of this call, freed when it returns. */
  allocas: Allocation[] | null;
}
export type Instr = (fr: Frame) => void;
/** Returns the index of the next block in the region, or -1 when control leaves the region. */
export type Term = (fr: Frame) => number;

let generation = 0;

/** Everything one run mutates: counters, output, globals. The compiled program is shared between runs. */
export class State {
  steps = 0;
  readonly gen = ++generation;
  /** What the program printed. */
  readonly out = new PrintedBytes();
  readonly executed = new Set<string>();
  depth = 0;
  /** Bytes of memref.alloca buffers live now (memref.ts): past MAX_STACK_BYTES a run is a stack overflow. */
  stackBytes = 0;
  /** Set by memory reads and calls to pass element taint to the generic result-taint wrapper. */
  extraT = 0;
  readonly globals = new Map<string, Allocation>();
  constructor(
    readonly prog: Program,
    readonly budget: number,
  ) {}
}

export interface OpSem {
  /** Compiles a non-terminator op. */
  readonly compile?: (op: Operation, cx: Cx) => Instr;
  /** Compiles a terminator; `target` maps successor blocks to their index in the region. */
  readonly term?: (op: Operation, cx: Cx, rc: RegionCode, target: (b: Block) => number) => Term;
  /** 'source': results always tainted. 'self': the op manages taint itself (region ops, memory ops). */
  readonly taint?: 'source' | 'self';
  /** The op may taint its results itself (through State.extraT), so the module needs taint tracking. */
  readonly enablesTaint?: (op: Operation) => boolean;
  /** A taint source only for some instances (e.g. fma on f16, which targets compute through f32). */
  readonly sourceIf?: (op: Operation) => boolean;
}

const semantics = new Map<string, OpSem>();
export function defineOps(table: Record<string, OpSem>): void {
  for (const [name, s] of Object.entries(table)) {
    if (semantics.has(name)) throw new Error(`interpreter semantics for ${name} defined twice`);
    semantics.set(name, s);
  }
}
export function supportedOps(): string[] {
  return [...semantics.keys()].sort();
}

/** An op carries fastmath flags that allow a different (non-IEEE-exact) result. */
export function hasLooseFastmath(op: Operation): boolean {
  const fm = op.props['fastmath'] ?? op.attrs['fastmath'];
  if (fm === undefined || fm.kind !== 'dialect') return false;
  const b = fm.body;
  return b !== 'none' && b.trim() !== 'none' && b.trim() !== '';
}

export class BlockCode {
  instrs: Instr[] = [];
  ops: Operation[] = [];
  argSlots: number[] = [];
  term: Term = () => -1;
  n = 0;
  gen = 0;
  mark(st: State): void {
    this.gen = st.gen;
    for (const op of this.ops) st.executed.add(op.name);
  }
}

export class RegionCode {
  readonly blocks: BlockCode[] = [];
  /** Operands of the terminator that left the region, and their taints. */
  out: Val[] = [];
  outT: Uint8Array = new Uint8Array(0);
  get argSlots(): number[] {
    return this.blocks[0]?.argSlots ?? [];
  }
  get empty(): boolean {
    return this.blocks.length === 0;
  }

  /** Runs from the entry block, whose argument slots the caller has filled. */
  exec(fr: Frame): void {
    let b = this.blocks[0];
    if (b === undefined) return;
    const st = fr.st;
    for (;;) {
      st.steps += b.n;
      if (st.steps > st.budget) throw new HangSignal(st.steps);
      if (b.gen !== st.gen) b.mark(st);
      const ins = b.instrs;
      let i = 0;
      let nx: number;
      try {
        for (; i < ins.length; i++) ins[i]!(fr);
        nx = b.term(fr);
      } catch (e) {
        if (e instanceof UbSignal && e.op === undefined) e.op = b.ops[i];
        throw e;
      }
      if (nx < 0) return;
      b = this.blocks[nx]!;
    }
  }
}

export class CompiledFunc {
  nslots = 0;
  constructor(
    readonly op: Operation,
    readonly name: string,
    readonly body: RegionCode,
  ) {}
}

/** A compiled module: functions compile lazily on their first call. */
export class Program {
  readonly funcOps = new Map<string, Operation>();
  readonly globalOps = new Map<string, Operation>();
  private readonly compiled = new Map<string, CompiledFunc>();
  readonly taint: boolean;

  constructor(readonly module: Operation) {
    // Symbols live at the top level of the module; taint needs a full walk, but only until a source shows up.
    for (const r of module.regions)
      for (const b of r.blocks)
        for (const op of b.ops) {
          const name = op.name;
          if (name !== 'func.func' && name !== 'memref.global') continue;
          const sym = op.props['sym_name'] ?? op.attrs['sym_name'];
          if (sym?.kind === 'string') (name === 'func.func' ? this.funcOps : this.globalOps).set(sym.value, op);
        }
    const needsTaint = (ops: readonly Operation[]): boolean => {
      for (let i = 0; i < ops.length; i++) {
        const op = ops[i]!;
        const sem = semantics.get(op.name);
        if (sem?.taint === 'source' || sem?.enablesTaint?.(op) || sem?.sourceIf?.(op) || hasLooseFastmath(op)) return true;
        const rs = op.regions;
        for (let r = 0; r < rs.length; r++) {
          const bs = rs[r]!.blocks;
          for (let b = 0; b < bs.length; b++) if (needsTaint(bs[b]!.ops)) return true;
        }
      }
      return false;
    };
    this.taint = needsTaint([module]);
  }

  func(name: string): CompiledFunc {
    let f = this.compiled.get(name);
    if (f) return f;
    const op = this.funcOps.get(name);
    if (!op) unsupported('func.call', `no function @${name} in the module`);
    const cx = new Cx(this, name);
    const body = op.regions[0];
    if (!body || body.blocks.length === 0) unsupported('func.func', `@${name} is a declaration without a known runtime implementation`);
    f = new CompiledFunc(op, name, new RegionCode());
    // Registered before compiling the body, so recursive calls resolve to it.
    this.compiled.set(name, f);
    try {
      cx.fillRegion(body, f.body);
    } catch (e) {
      this.compiled.delete(name);
      throw e;
    }
    f.nslots = cx.nslots;
    return f;
  }

  newFrame(f: CompiledFunc, st: State, pc: number): Frame {
    return { r: new Array<Val>(f.nslots), t: this.taint ? new Uint8Array(f.nslots) : null, pc, st, allocas: null };
  }
}

/** Per-function compilation context: slot numbering and op/region compilation. */
export class Cx {
  private readonly slots = new Map<Value, number>();
  nslots = 0;
  constructor(
    readonly prog: Program,
    readonly funcName: string,
  ) {}

  get taint(): boolean {
    return this.prog.taint;
  }

  slot(v: Value): number {
    let s = this.slots.get(v);
    if (s === undefined) {
      s = this.nslots++;
      this.slots.set(v, s);
    }
    return s;
  }
  slotsOf(vs: readonly Value[]): number[] {
    return vs.map((v) => this.slot(v));
  }

  region(r: Region): RegionCode {
    const rc = new RegionCode();
    this.fillRegion(r, rc);
    return rc;
  }

  fillRegion(r: Region, rc: RegionCode): void {
    const index = new Map<Block, number>();
    r.blocks.forEach((b, k) => {
      index.set(b, k);
      rc.blocks.push(new BlockCode());
    });
    const target = (b: Block): number => {
      const k = index.get(b);
      if (k === undefined) throw new Error('branch to a block outside the region');
      return k;
    };
    r.blocks.forEach((b, k) => {
      const bc = rc.blocks[k]!;
      bc.argSlots = this.slotsOf(b.args);
      const ops = b.ops;
      const last = ops[ops.length - 1];
      const lastSem = last ? semantics.get(last.name) : undefined;
      const body = lastSem?.term ? ops.slice(0, -1) : ops;
      for (const op of body) {
        bc.instrs.push(this.op(op));
        bc.ops.push(op);
      }
      if (last && lastSem?.term) {
        bc.term = lastSem.term(last, this, rc, target);
        bc.ops.push(last);
      }
      bc.n = ops.length;
    });
  }

  op(op: Operation): Instr {
    const sem = semantics.get(op.name);
    if (!sem?.compile) {
      if (sem?.term) unsupported(op, `terminator ${op.name} in the middle of a block`);
      unsupported(op, `the interpreter has no semantics for ${op.name}`);
    }
    const inner = sem.compile(op, this);
    if (!this.taint || sem.taint === 'self' || op.results.length === 0) return inner;
    const os = this.slotsOf(op.operands);
    const rs = this.slotsOf(op.results);
    const src = sem.taint === 'source' || sem.sourceIf?.(op) || hasLooseFastmath(op) ? 1 : 0;
    // Specialised for the common shapes: this wrapper runs after every op of a tainted module.
    if (rs.length === 1) {
      const r = rs[0]!;
      if (os.length === 1) {
        const a = os[0]!;
        return (fr) => {
          inner(fr);
          const st = fr.st;
          fr.t![r] = src | fr.pc | st.extraT | fr.t![a]!;
          st.extraT = 0;
        };
      }
      if (os.length === 2) {
        const a = os[0]!;
        const b = os[1]!;
        return (fr) => {
          inner(fr);
          const st = fr.st;
          const t = fr.t!;
          t[r] = src | fr.pc | st.extraT | t[a]! | t[b]!;
          st.extraT = 0;
        };
      }
    }
    return (fr) => {
      inner(fr);
      const t = fr.t!;
      let x = src | fr.pc | fr.st.extraT;
      fr.st.extraT = 0;
      for (let k = 0; k < os.length; k++) x |= t[os[k]!]!;
      for (let k = 0; k < rs.length; k++) t[rs[k]!] = x;
    };
  }
}

/** Terminator that leaves its region, handing its operands to the parent op through rc.out/outT. */
export function exitTerm(op: Operation, cx: Cx, rc: RegionCode): Term {
  const s = cx.slotsOf(op.operands);
  const n = s.length;
  // Reused across executions: every parent copies the values out before the region can run again.
  const out = new Array<Val>(n);
  const ot = new Uint8Array(n);
  return (fr) => {
    const r = fr.r;
    for (let k = 0; k < n; k++) out[k] = r[s[k]!]!;
    rc.out = out;
    const t = fr.t;
    if (t !== null) {
      for (let k = 0; k < n; k++) ot[k] = t[s[k]!]! | fr.pc;
      rc.outT = ot;
    }
    return -1;
  };
}

/** Writes vals into slots, reading them all first (block arguments may be permuted). */
export function parallelCopy(fr: Frame, vals: readonly number[], dst: readonly number[]): void {
  const r = fr.r;
  const n = dst.length;
  if (n === 1) {
    r[dst[0]!] = r[vals[0]!]!;
    if (fr.t !== null) fr.t[dst[0]!] = fr.t[vals[0]!]! | fr.pc;
    return;
  }
  const tmp = new Array<Val>(n);
  for (let k = 0; k < n; k++) tmp[k] = r[vals[k]!]!;
  for (let k = 0; k < n; k++) r[dst[k]!] = tmp[k]!;
  const t = fr.t;
  if (t !== null) {
    const tt = new Uint8Array(n);
    for (let k = 0; k < n; k++) tt[k] = t[vals[k]!]! | fr.pc;
    for (let k = 0; k < n; k++) t[dst[k]!] = tt[k]!;
  }
}

/** Sets a region's entry arguments from values (and taints) the parent computed. */
export function setArgs(fr: Frame, rc: RegionCode, vals: readonly Val[], taints?: ArrayLike<number>, extraT = 0): void {
  const a = rc.argSlots;
  for (let k = 0; k < a.length; k++) fr.r[a[k]!] = vals[k]!;
  if (fr.t !== null) for (let k = 0; k < a.length; k++) fr.t[a[k]!] = (taints?.[k] ?? 0) | extraT | fr.pc;
}
