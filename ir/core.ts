// The in-memory IR and the only ways to change it. Operations own regions, regions own blocks, blocks own
// operations and arguments; every value keeps its use-list (which operand slots hold it), so edits such as
// replaceAllUsesWith, erase and clone stay correct. Arrays and parent links are read-only outside this file:
// every change goes through a method here, and each such edit can be checked by the verifier (`setVerifyEdits`).
import type { Attr } from './attributes.ts';
import type { Type } from './types.ts';

/** Operand `index` of `owner` holds `value`. Uses of one value form a doubly linked list (newest first). */
export class Use {
  // Fields are assigned in the constructor, not declared with initializers: a use is made per operand, and V8
  // builds plain stores faster than class-field definitions.
  declare readonly owner: Operation;
  /** @internal */ declare _index: number;
  /** @internal */ declare _value: Value;
  /** @internal */ declare _prev: Use | null;
  /** @internal */ declare _next: Use | null;
  constructor(owner: Operation, index: number, value: Value) {
    (this as { owner: Operation }).owner = owner;
    this._index = index;
    this._value = value;
    this._prev = null;
    const first = value._firstUse;
    this._next = first;
    if (first) first._prev = this;
    value._firstUse = this;
  }
  get index(): number {
    return this._index;
  }
  get value(): Value {
    return this._value;
  }
  get next(): Use | null {
    return this._next;
  }
}

/** Points use `u` (and its operand slot) at `v`. */
function relink(u: Use, v: Value): void {
  unlink(u);
  u._value = v;
  u._next = v._firstUse;
  if (v._firstUse) v._firstUse._prev = u;
  v._firstUse = u;
  (u.owner.operands as Value[])[u._index] = v;
}

function unlink(u: Use): void {
  if (u._prev) u._prev._next = u._next;
  else u._value._firstUse = u._next;
  if (u._next) u._next._prev = u._prev;
  u._prev = u._next = null;
}

/** An SSA value: an op result or a block argument. Identity is object identity. */
export class Value {
  // Plain fields assigned in the constructor (see Use): values are made per result and block argument.
  declare type: Type;
  /** The defining op, or the block for a block argument. */
  declare readonly owner: Operation | Block;
  /** @internal Position among its op's results or its block's arguments (kept up to date by eraseArg). */
  declare _index: number;
  /** @internal */ declare _firstUse: Use | null;
  constructor(type: Type, owner: Operation | Block, index: number) {
    this.type = type;
    (this as { owner: Operation | Block }).owner = owner;
    this._index = index;
    this._firstUse = null;
  }
  get index(): number {
    return this._index;
  }
  get definingOp(): Operation | undefined {
    return this.owner instanceof Operation ? this.owner : undefined;
  }
  /** The block the value is defined in (for a result, the block holding its op). */
  get parentBlock(): Block | undefined {
    return this.owner instanceof Block ? this.owner : this.owner.parent;
  }

  get firstUse(): Use | null {
    return this._firstUse;
  }
  get hasUses(): boolean {
    return this._firstUse !== null;
  }
  /** A snapshot of the uses, newest first: safe to iterate while editing them. */
  get uses(): Use[] {
    const out: Use[] = [];
    for (let u = this._firstUse; u; u = u._next) out.push(u);
    return out;
  }
  /** The distinct ops that use this value, in use-list order. */
  get users(): Operation[] {
    const out: Operation[] = [];
    for (let u = this._firstUse; u; u = u._next) if (!out.includes(u.owner)) out.push(u.owner);
    return out;
  }

  /** Makes every use of this value use `to` instead. */
  replaceAllUsesWith(to: Value): void {
    this.replaceUsesWithIf(to, () => true);
  }
  /** Makes the uses that `pred` accepts use `to` instead. */
  replaceUsesWithIf(to: Value, pred: (u: Use) => boolean): void {
    if (to === this) return;
    const roots = editChecks.on ? new Set<Operation | undefined>() : undefined;
    for (const u of this.uses) {
      if (!pred(u)) continue;
      relink(u, to);
      roots?.add(rootOf(u.owner));
    }
    if (roots) for (const r of roots) edited(r, 'replaceAllUsesWith');
  }
}

/** Source position for diagnostics (1-based line and column). */
export type Loc = { readonly file: string; readonly line: number; readonly col: number };

const NO_VALUES: readonly Value[] = Object.freeze([]);

export class Operation {
  // Plain fields assigned in the constructor (see Use): construction is the parser's hot path.
  declare readonly name: string;
  declare readonly operands: readonly Value[];
  declare readonly results: readonly Value[];
  /** Inherent attributes, printed as `<{...}>`. */
  declare props: Record<string, Attr>;
  declare readonly regions: readonly Region[];
  declare readonly successors: readonly Block[];
  /** Discardable attributes, printed as `{...}`. */
  declare attrs: Record<string, Attr>;
  declare loc: Loc | undefined;
  /** @internal */ declare _parent: Block | undefined;

  constructor(
    name: string,
    /**
     * Taken, not copied (construction is the parser's hot path): pass a fresh array. The mutable type keeps
     * another op's `operands` (read-only) from being passed by mistake.
     */
    operands: Value[],
    resultTypes: readonly Type[],
    props: Record<string, Attr> = {},
    /** Taken, like `operands`. */
    regions: Region[] = [],
    successors: Block[] = [],
    attrs: Record<string, Attr> = {},
  ) {
    (this as { name: string }).name = name;
    this.operands = operands;
    const nr = resultTypes.length;
    if (nr === 0) this.results = NO_VALUES;
    else {
      const results = new Array<Value>(nr);
      for (let k = 0; k < nr; k++) results[k] = new Value(resultTypes[k]!, this, k);
      this.results = results;
    }
    this.props = props;
    this.regions = regions;
    this.successors = successors;
    this.attrs = attrs;
    this.loc = undefined;
    this._parent = undefined;
    for (let k = 0; k < operands.length; k++) new Use(this, k, operands[k]!);
    for (const r of regions) {
      if (r._parent) throw new Error(`${name}: the region already belongs to '${r._parent.name}'`);
      r._parent = this;
    }
  }

  get parent(): Block | undefined {
    return this._parent;
  }
  get dialect(): string {
    return this.name.slice(0, this.name.indexOf('.'));
  }
  get result(): Value {
    if (this.results.length !== 1) throw new Error(`${this.name} has ${this.results.length} results, not 1`);
    return this.results[0]!;
  }
  get parentOp(): Operation | undefined {
    return this._parent?._parent?._parent;
  }
  /** The use in operand slot `k`. */
  use(k: number): Use {
    const v = this.operands[k];
    if (!v) throw new Error(`${this.name} has no operand #${k}`);
    // Scanning the value's list keeps ops free of a second per-operand array; use-lists are short.
    for (let u = v._firstUse; u; u = u._next) if (u.owner === this && u._index === k) return u;
    throw new Error(`use-list of ${this.name} operand #${k} is corrupt`);
  }
  /**
   * Pre-order walk over this op and every op nested in its regions. One generator with a stack of positions: nested
   * `yield*` made a generator per op and passed each op up through every level (a quarter of mutation's own time).
   */
  *walk(): Generator<Operation> {
    yield this;
    const stack: WalkPosition[] = [{ op: this, region: 0, block: 0, next: 0 }];
    while (stack.length > 0) {
      const at = stack[stack.length - 1]!;
      const region = at.op.regions[at.region];
      if (!region) {
        stack.pop();
        continue;
      }
      const block = region.blocks[at.block];
      if (!block) {
        at.region++;
        at.block = 0;
        continue;
      }
      const op = block.ops[at.next++];
      if (!op) {
        at.block++;
        at.next = 0;
        continue;
      }
      yield op;
      stack.push({ op, region: 0, block: 0, next: 0 });
    }
  }
  /** Whether `other` is this op or nested in one of its regions. */
  isAncestorOf(other: Operation): boolean {
    for (let cur: Operation | undefined = other; cur; cur = cur.parentOp) if (cur === this) return true;
    return false;
  }

  // ---- operands and successors ----

  setOperand(k: number, v: Value): void {
    relink(this.use(k), v);
    if (editChecks.on) edited(rootOf(this), 'setOperand');
  }
  /** Replaces the whole operand list (its length may change; segment-size props are the caller's to update). */
  setOperands(vs: readonly Value[]): void {
    this._dropOperands();
    this._assignOperands(vs);
    if (editChecks.on) edited(rootOf(this), 'setOperands');
  }
  setSuccessor(k: number, b: Block): void {
    if (k >= this.successors.length) throw new Error(`${this.name} has no successor #${k}`);
    (this.successors as Block[])[k] = b;
    if (editChecks.on) edited(rootOf(this), 'setSuccessor');
  }

  /** @internal */
  _assignOperands(vs: readonly Value[]): void {
    const operands = vs.slice();
    for (let k = 0; k < operands.length; k++) new Use(this, k, operands[k]!);
    (this as { operands: readonly Value[] }).operands = operands;
  }
  /** @internal */
  _dropOperands(): void {
    for (let k = 0; k < this.operands.length; k++) unlink(this.use(k));
    (this as { operands: readonly Value[] }).operands = NO_VALUES;
  }

  // ---- placement ----

  /** Inserts this detached op right before `anchor`. */
  insertBefore(anchor: Operation): void {
    this._insertNear(anchor, 0);
    if (editChecks.on) edited(rootOf(this), 'insertBefore');
  }
  /** Inserts this detached op right after `anchor`. */
  insertAfter(anchor: Operation): void {
    this._insertNear(anchor, 1);
    if (editChecks.on) edited(rootOf(this), 'insertAfter');
  }
  /** Moves this op (attached or not) right before `anchor`, keeping its uses. */
  moveBefore(anchor: Operation): void {
    this._move(anchor, 0, 'moveBefore');
  }
  moveAfter(anchor: Operation): void {
    this._move(anchor, 1, 'moveAfter');
  }
  /** Takes this op out of its block, keeping its operands and uses: insert it elsewhere, or erase it. */
  remove(): void {
    const root = editChecks.on ? rootOf(this) : undefined;
    this._detach();
    if (editChecks.on) edited(root, 'remove');
  }
  /**
   * Removes this op and everything nested in it. Refuses while a value it defines (a result, or anything defined
   * in its regions) is used outside it: replace those uses first (`replaceAllUsesWith`) or erase the users.
   */
  erase(): void {
    const outside = this._usedOutside();
    if (outside) throw new Error(`cannot erase '${this.name}': ${outside}`);
    const root = editChecks.on ? rootOf(this) : undefined;
    this.dropAllReferences();
    if (this._parent) this._detach();
    if (editChecks.on) edited(root, 'erase');
  }
  /** Unlinks the operands of this op and of every op nested in it (they keep their values but are no uses). */
  dropAllReferences(): void {
    for (const op of this.walk()) op._dropOperands();
  }
  /** Deep copy, detached: operands defined outside this op map through `mapping` (or stay), successors likewise. */
  clone(mapping: IrMapping = new IrMapping()): Operation {
    const pairs: [Operation, Operation][] = [];
    const copy = cloneStructure(this, mapping, pairs);
    for (const [from, to] of pairs) {
      if (from.operands.length) to._assignOperands(from.operands.map((v) => mapping.lookup(v)));
      if (from.successors.length) (to as { successors: readonly Block[] }).successors = from.successors.map((b) => mapping.lookupBlock(b));
    }
    return copy;
  }

  /** @internal */
  _detach(): void {
    const b = this._parent;
    if (!b) throw new Error(`'${this.name}' is not in a block`);
    (b.ops as Operation[]).splice(b.ops.indexOf(this), 1);
    this._parent = undefined;
  }
  private _insertNear(anchor: Operation, after: 0 | 1): void {
    const b = anchor._parent;
    if (!b) throw new Error(`cannot insert next to '${anchor.name}': it is not in a block`);
    b._insert(b.ops.indexOf(anchor) + after, this);
  }
  private _move(anchor: Operation, after: 0 | 1, what: string): void {
    if (anchor === this) throw new Error(`cannot move '${this.name}' next to itself`);
    if (!anchor._parent) throw new Error(`cannot move next to '${anchor.name}': it is not in a block`);
    if (this.isAncestorOf(anchor)) throw new Error(`cannot insert '${this.name}' into its own region`);
    const root = editChecks.on ? rootOf(this) : undefined;
    if (this._parent) this._detach();
    this._insertNear(anchor, after);
    if (editChecks.on) {
      const now = rootOf(this);
      if (root && root !== now) edited(root, what);
      edited(now, what);
    }
  }
  /** Describes the first use of a value defined by or in this op by an op outside it, if any. */
  private _usedOutside(): string | undefined {
    for (const op of this.walk()) {
      const defs: readonly Value[][] = [op.results as Value[], ...op.regions.flatMap((r) => r.blocks.map((b) => b.args as Value[]))];
      for (const vs of defs)
        for (const v of vs)
          for (let u = v._firstUse; u; u = u._next) {
            if (!this.isAncestorOf(u.owner)) {
              const what = v.owner instanceof Block ? `block argument #${v._index}` : `result #${v._index} of '${op.name}'`;
              return `${what} is still used by '${u.owner.name}'`;
            }
          }
    }
    return undefined;
  }
}

/** Creates the copies of ops, regions, blocks and block arguments, recording what maps to what. */
function cloneStructure(op: Operation, mapping: IrMapping, pairs: [Operation, Operation][]): Operation {
  const regions = op.regions.map((r) => {
    const copy = new Region();
    for (const b of r.blocks) {
      const nb = new Block(b.args.map((a) => a.type));
      b.args.forEach((a, k) => mapping.map(a, nb.args[k]!));
      mapping.mapBlock(b, nb);
      copy._addBlock(nb);
    }
    return copy;
  });
  const to = new Operation(op.name, [], op.results.map((v) => v.type), { ...op.props }, regions, [], { ...op.attrs });
  to.loc = op.loc;
  op.results.forEach((v, k) => mapping.map(v, to.results[k]!));
  pairs.push([op, to]);
  op.regions.forEach((r, k) => {
    r.blocks.forEach((b, j) => {
      const nb = to.regions[k]!.blocks[j]!;
      for (const inner of b.ops) nb._insert(nb.ops.length, cloneStructure(inner, mapping, pairs));
    });
  });
  return to;
}

/** What `clone` maps: values and blocks of the original to their copies (or to replacements given up front). */
export class IrMapping {
  private readonly values = new Map<Value, Value>();
  private readonly blocks = new Map<Block, Block>();
  map(from: Value, to: Value): void {
    this.values.set(from, to);
  }
  mapBlock(from: Block, to: Block): void {
    this.blocks.set(from, to);
  }
  /** The value `v` maps to, or `v` itself. */
  lookup(v: Value): Value {
    return this.values.get(v) ?? v;
  }
  lookupBlock(b: Block): Block {
    return this.blocks.get(b) ?? b;
  }
}

export class Block {
  readonly args: readonly Value[] = [];
  readonly ops: readonly Operation[] = [];
  /** @internal */ _parent: Region | undefined;

  constructor(argTypes: readonly Type[] = []) {
    for (const t of argTypes) (this.args as Value[]).push(new Value(t, this, this.args.length));
  }
  get parent(): Region | undefined {
    return this._parent;
  }
  get terminator(): Operation | undefined {
    return this.ops[this.ops.length - 1];
  }
  /** The op that holds this block's region. */
  get parentOp(): Operation | undefined {
    return this._parent?._parent;
  }

  addArg(t: Type): Value {
    return this.insertArg(this.args.length, t);
  }
  /** Adds an argument at position `k` (branches to this block must then pass one more value). */
  insertArg(k: number, t: Type): Value {
    const args = this.args as Value[];
    if (k < 0 || k > args.length) throw new Error(`cannot insert block argument #${k} of ${args.length}`);
    const v = new Value(t, this, k);
    args.splice(k, 0, v);
    for (let j = k + 1; j < args.length; j++) args[j]!._index = j;
    if (editChecks.on) edited(rootOf(this), 'insertArg');
    return v;
  }
  /** Removes argument `k`, which must have no uses (branches to this block must then pass one value less). */
  eraseArg(k: number): void {
    const args = this.args as Value[];
    const v = args[k];
    if (!v) throw new Error(`no block argument #${k}`);
    if (v.hasUses) throw new Error(`cannot erase block argument #${k}: it is still used by '${v._firstUse!.owner.name}'`);
    args.splice(k, 1);
    for (let j = k; j < args.length; j++) args[j]!._index = j;
    if (editChecks.on) edited(rootOf(this), 'eraseArg');
  }

  /** Appends a detached op. */
  append(op: Operation): Operation {
    this._insert(this.ops.length, op);
    if (editChecks.on) edited(rootOf(this), 'append');
    return op;
  }
  /** Inserts a detached op at position `k` (0: first). */
  insert(k: number, op: Operation): Operation {
    if (k < 0 || k > this.ops.length) throw new Error(`cannot insert at #${k} in a block of ${this.ops.length} ops`);
    this._insert(k, op);
    if (editChecks.on) edited(rootOf(this), 'insert');
    return op;
  }

  /** @internal */
  _insert(k: number, op: Operation): void {
    if (op._parent) throw new Error(`'${op.name}' is already in a block: remove it or use moveBefore`);
    for (let cur: Operation | undefined = this.parentOp; cur; cur = cur.parentOp) {
      if (cur === op) throw new Error(`cannot insert '${op.name}' into its own region`);
    }
    const ops = this.ops as Operation[];
    if (k === ops.length) ops.push(op);
    else ops.splice(k, 0, op);
    op._parent = this;
  }
}

export class Region {
  /** @internal */ _parent: Operation | undefined;
  readonly blocks: readonly Block[] = [];
  constructor(blocks: readonly Block[] = []) {
    for (const b of blocks) this._addBlock(b);
  }
  get parent(): Operation | undefined {
    return this._parent;
  }
  get entry(): Block | undefined {
    return this.blocks[0];
  }
  addBlock(b: Block): Block {
    this._addBlock(b);
    if (editChecks.on) edited(rootOf(b), 'addBlock');
    return b;
  }
  /** Moves every block of `from` (another op's region, or a detached one) into this region, which must be empty. */
  takeBody(from: Region): void {
    if (from === this) return;
    if (this.blocks.length) throw new Error('takeBody: the destination region is not empty');
    const root = editChecks.on ? rootOf(from._parent) : undefined;
    const moved = from.blocks.slice();
    (from.blocks as Block[]).length = 0;
    for (const b of moved) {
      b._parent = undefined;
      this._addBlock(b);
    }
    if (editChecks.on) {
      const now = rootOf(this._parent);
      if (root && root !== now) edited(root, 'takeBody');
      edited(now, 'takeBody');
    }
  }

  /** @internal */
  _addBlock(b: Block): void {
    if (b._parent) throw new Error('the block already belongs to a region');
    b._parent = this;
    (this.blocks as Block[]).push(b);
  }
}

/** A whole program: a `builtin.module` op. */
export type Module = Operation;

// ---- edit checks (debug mode) ----

/**
 * Debug mode: after every edit of IR inside a `builtin.module`, the verifier runs on that module and the edit
 * throws with its first message. IR under construction (not yet in a module, or inside `deferEditChecks`) is
 * checked later. Turned on by TCFUZZ_VERIFY_EDITS=1 or `setVerifyEdits(true)`; off, it costs one flag test.
 */
const editChecks: { on: boolean; deferred: number; pending: Set<Operation>; verify: ((m: Operation) => string | undefined) | undefined } = {
  on: typeof process !== 'undefined' && process.env.TCFUZZ_VERIFY_EDITS === '1',
  deferred: 0,
  pending: new Set(),
  verify: undefined,
};

/** Turns edit checks on or off; returns the previous setting. */
export function setVerifyEdits(on: boolean): boolean {
  const was = editChecks.on;
  editChecks.on = on;
  return was;
}

/** ir/verifier.ts registers itself here when it loads (the verifier imports this file, not the reverse). */
export function registerEditVerifier(verify: (m: Operation) => string | undefined): void {
  editChecks.verify = verify;
}

/**
 * Runs `body` (a multi-step edit, or building a whole program) with edit checks deferred: each module it edited
 * is verified once when the outermost `deferEditChecks` returns.
 */
export function deferEditChecks<T>(body: () => T): T {
  editChecks.deferred++;
  let ok = false;
  try {
    const out = body();
    ok = true;
    return out;
  } finally {
    if (--editChecks.deferred === 0) {
      const pending = [...editChecks.pending];
      editChecks.pending.clear();
      if (ok) for (const m of pending) checkModule(m, 'deferred edits');
    }
  }
}

/** The outermost op above `x`, when it is a `builtin.module`. */
function rootOf(x: Operation | Block | undefined): Operation | undefined {
  let op = x instanceof Block ? x.parentOp : x;
  if (!op) return undefined;
  for (let p = op.parentOp; p; p = p.parentOp) op = p;
  return op.name === 'builtin.module' && !op._parent ? op : undefined;
}

function edited(root: Operation | undefined, what: string): void {
  if (!root) return;
  if (editChecks.deferred) editChecks.pending.add(root);
  else checkModule(root, what);
}

function checkModule(m: Operation, what: string): void {
  if (!editChecks.verify) throw new Error('edit checks are on (TCFUZZ_VERIFY_EDITS), but ir/verifier.ts is not loaded');
  const msg = editChecks.verify(m);
  if (msg !== undefined) throw new Error(`${what} left an invalid module: ${msg}`);
}

/** Where Operation.walk is in one op's regions: the next op of block `block` of region `region`. */
type WalkPosition = { readonly op: Operation; region: number; block: number; next: number };
