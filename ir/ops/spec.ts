// The op spec schema: ops are data. Adding an op to tcfuzz means adding one spec to its dialect file.
import type { Attr } from '../attributes.ts';
import type { Operation } from '../core.ts';

/** How many values a named operand or result group holds. */
export type Arity = 'single' | 'optional' | 'variadic';
export type ValueGroup = { readonly name: string; readonly arity?: Arity };

export type Trait =
  | 'terminator'
  | 'pure' // no side effects: may be folded, hoisted, removed when unused
  | 'isolated-from-above'
  | 'no-terminator' // regions need not end in a terminator (builtin.module)
  | 'single-block' // every region holds at most one block
  | 'affine-scope' // values defined at its top level are valid affine symbols
  | 'symbol-table'
  | 'symbol' // defines a symbol through `sym_name`
  | 'attr-sized-operands' // operandSegmentSizes gives the group sizes
  | 'attr-sized-results';

export type PropSpec = { readonly required: boolean; readonly kind?: Attr['kind'] };

export interface OpSpec {
  readonly name: string;
  readonly operands: readonly ValueGroup[];
  readonly results: readonly ValueGroup[];
  /** Inherent attributes (printed as properties). Names not listed here are rejected. */
  readonly props?: Readonly<Record<string, PropSpec>>;
  /** Exact number of regions. */
  readonly regions?: number;
  readonly successors?: number | 'variadic';
  readonly traits?: readonly Trait[];
  /** The op may only appear directly inside one of these ops. */
  readonly parents?: readonly string[];
  /** Op-specific checks after the structural ones; returns an error message or undefined. */
  readonly verify?: (op: Operation) => string | undefined;
}
