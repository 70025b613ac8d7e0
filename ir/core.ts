// The in-memory IR: operations own regions, regions own blocks, blocks own operations and arguments.
import type { Attr } from './attributes.ts';
import type { Type } from './types.ts';

/** An SSA value: an op result or a block argument. Identity is object identity. */
export class Value {
  constructor(
    public type: Type,
    /** The defining op, or the block for a block argument. */
    public readonly owner: Operation | Block,
    public readonly index: number,
  ) {}
  get definingOp(): Operation | undefined {
    return this.owner instanceof Operation ? this.owner : undefined;
  }
  /** The block the value is defined in (for a result, the block holding its op). */
  get parentBlock(): Block | undefined {
    return this.owner instanceof Block ? this.owner : this.owner.parent;
  }
}

/** Source position for diagnostics (1-based line and column). */
export type Loc = { readonly file: string; readonly line: number; readonly col: number };

export class Operation {
  readonly results: Value[];
  parent: Block | undefined;
  loc: Loc | undefined;

  constructor(
    public readonly name: string,
    public operands: Value[],
    resultTypes: readonly Type[],
    /** Inherent attributes, printed as `<{...}>`. */
    public props: Record<string, Attr> = {},
    public regions: Region[] = [],
    public successors: Block[] = [],
    /** Discardable attributes, printed as `{...}`. */
    public attrs: Record<string, Attr> = {},
  ) {
    this.results = resultTypes.map((t, k) => new Value(t, this, k));
    for (const r of regions) r.parent = this;
  }

  get dialect(): string {
    return this.name.slice(0, this.name.indexOf('.'));
  }
  get result(): Value {
    if (this.results.length !== 1) throw new Error(`${this.name} has ${this.results.length} results, not 1`);
    return this.results[0]!;
  }
  get parentOp(): Operation | undefined {
    return this.parent?.parent?.parent;
  }
  /** Pre-order walk over this op and every op nested in its regions. */
  *walk(): Generator<Operation> {
    yield this;
    for (const r of this.regions) for (const b of r.blocks) for (const op of b.ops) yield* op.walk();
  }
}

export class Block {
  readonly args: Value[] = [];
  readonly ops: Operation[] = [];
  parent: Region | undefined;

  constructor(argTypes: readonly Type[] = []) {
    for (const t of argTypes) this.addArg(t);
  }
  addArg(t: Type): Value {
    const v = new Value(t, this, this.args.length);
    this.args.push(v);
    return v;
  }
  append(op: Operation): Operation {
    op.parent = this;
    this.ops.push(op);
    return op;
  }
  get terminator(): Operation | undefined {
    return this.ops[this.ops.length - 1];
  }
}

export class Region {
  parent: Operation | undefined;
  readonly blocks: Block[] = [];
  constructor(blocks: Block[] = []) {
    for (const b of blocks) this.addBlock(b);
  }
  addBlock(b: Block): Block {
    b.parent = this;
    this.blocks.push(b);
    return b;
  }
  get entry(): Block | undefined {
    return this.blocks[0];
  }
}

/** A whole program: a `builtin.module` op. */
export type Module = Operation;

export function isAncestorBlock(ancestor: Block, b: Block | undefined): boolean {
  for (let cur = b; cur; cur = cur.parent?.parent?.parent) if (cur === ancestor) return true;
  return false;
}
