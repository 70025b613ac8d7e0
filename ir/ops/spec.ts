// The op spec schema: ops are data. Adding an op to tcfuzz means adding one spec to its dialect file.
//
// Additions beyond the first schema (all optional, so older specs stay valid):
// - ValueGroup.type: a named type constraint from the shared vocabulary below (checked by the verifier,
//   and readable by generators that must pick a type for a new operand).
// - OpSpec.sameType / sameShape: groups whose values must share a type, or a vector shape.
// - OpSpec.terminators: the terminator op each region must end with.
// - OpSpec.successorOperands: which operands each successor block receives.
// - OpSpec.variadicRegions: the op holds any number of regions (its verify hook checks how many).
// - PropSpec.dialect / type / range: the dialect attribute, attribute type, or integer range a prop takes.
// - Traits 'graph-region' and 'constant-like'.
import type { Attr } from '../attributes.ts';
import type { Operation, Value } from '../core.ts';

/** How many values a named operand or result group holds. */
export type Arity = 'single' | 'optional' | 'variadic';

/**
 * The type constraint vocabulary, named after ODS's. "-like" means the type itself or a vector of it,
 * because arith and math ops work elementwise on vectors.
 */
export type TypeConstraint =
  | 'any'
  | 'int' // signless integer of any width
  | 'index'
  | 'int-or-index'
  | 'float'
  | 'i1'
  | 'scalar' // int, index or float
  | 'any-scalar' // also signed and unsigned ints (siN, uiN)
  | 'int-like'
  | 'int-or-index-like'
  | 'float-like'
  | 'i1-like'
  | 'scalar-like'
  | 'any-scalar-like' // also siN/uiN elements
  | 'memref' // ranked
  | 'unranked-memref'
  | 'any-memref'
  | 'vector';

export type ValueGroup = { readonly name: string; readonly arity?: Arity; readonly type?: TypeConstraint };

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
  | 'attr-sized-results'
  | 'graph-region' // no dominance inside its regions: uses may precede defs (builtin.module)
  | 'constant-like'; // a constant: its result is a valid affine symbol anywhere

export type PropSpec = {
  readonly required: boolean;
  readonly kind?: Attr['kind'];
  /** For kind 'dialect': `dialect.mnemonic`, e.g. `arith.fastmath`; its body is checked by that name. */
  readonly dialect?: string;
  /** Printed type of an int attribute (`i64`), of a dense_array's elements, or the kind of a type attribute's type. */
  readonly type?: string;
  /** Inclusive bounds of an int attribute (an enum such as a cmpi predicate). */
  readonly range?: readonly [number, number];
};

export interface OpSpec {
  readonly name: string;
  readonly operands: readonly ValueGroup[];
  readonly results: readonly ValueGroup[];
  /** Inherent attributes (printed as properties). Names not listed here are rejected. */
  readonly props?: Readonly<Record<string, PropSpec>>;
  /** Exact number of regions. */
  readonly regions?: number;
  /** Any number of regions; `regions` is then ignored and the verify hook checks the count. */
  readonly variadicRegions?: boolean;
  readonly successors?: number | 'variadic';
  readonly traits?: readonly Trait[];
  /** The op may only appear directly inside one of these ops. */
  readonly parents?: readonly string[];
  /** Value groups (operand or result names) whose values must all have one type. */
  readonly sameType?: readonly (readonly string[])[];
  /** Value groups whose types must have the same vector shape (or all be scalars). */
  readonly sameShape?: readonly (readonly string[])[];
  /** Per region, the op its blocks must end with (region k uses entry k, the last entry covers the rest). */
  readonly terminators?: readonly string[];
  /** Per successor, the operand group forwarded to it as block arguments; or a function for irregular ops. */
  readonly successorOperands?: readonly string[] | ((op: Operation) => readonly (readonly Value[])[]);
  /** Op-specific checks after the structural ones; returns an error message or undefined. */
  readonly verify?: (op: Operation) => string | undefined;
}
