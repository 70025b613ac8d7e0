// Creates operations at an insertion point; everything else in tcfuzz builds IR through it.
import type { Attr } from './attributes.ts';
import { Block, Operation, Region } from './core.ts';
import type { Value } from './core.ts';
import type { Type } from './types.ts';

export type OpInit = {
  /** Taken by the op, not copied. */
  operands?: Value[];
  results?: readonly Type[];
  props?: Record<string, Attr>;
  regions?: Region[];
  successors?: Block[];
  attrs?: Record<string, Attr>;
};

export class Builder {
  constructor(public block: Block) {}

  create(name: string, init: OpInit = {}): Operation {
    const op = new Operation(name, init.operands ?? [], init.results ?? [], init.props ?? {}, init.regions ?? [], init.successors ?? [], init.attrs ?? {});
    return this.block.append(op);
  }
  /** Creates a single-result op and returns the result. */
  value(name: string, operands: Value[], result: Type, props: Record<string, Attr> = {}): Value {
    return this.create(name, { operands, results: [result], props }).result;
  }
  /** Runs `body` with the insertion point moved to `block`, then restores it. */
  inBlock<T>(block: Block, body: (b: Builder) => T): T {
    const saved = this.block;
    this.block = block;
    try {
      return body(this);
    } finally {
      this.block = saved;
    }
  }
}

/** A region holding one block with the given argument types. */
export function singleBlockRegion(argTypes: readonly Type[] = []): Region {
  return new Region([new Block(argTypes)]);
}

export function newModule(): { module: Operation; body: Block } {
  const body = new Block();
  const module = new Operation('builtin.module', [], [], {}, [new Region([body])]);
  return { module, body };
}
