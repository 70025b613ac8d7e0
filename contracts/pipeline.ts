// Pipelines and pass catalogs, for any compiler: a pass runs on an anchor (an op name such as 'builtin.module',
// 'func.func', 'gpu.module', or a TIR 'PrimFunc'), possibly nested, with typed options.

export type OptionValue = boolean | number | string | readonly number[];

export type PassStep = {
  readonly pass: string;
  readonly options?: Readonly<Record<string, OptionValue>>;
  /** Anchors from the outside in, outermost excluded: [] runs on the root, ['func.func'] on every function, ['gpu.module', 'func.func'] on every kernel. */
  readonly nest: readonly string[];
};

export type Pipeline = readonly PassStep[];

export type OptionDomain =
  | { readonly kind: 'bool' }
  | { readonly kind: 'int'; readonly min: number; readonly max: number }
  | { readonly kind: 'int-list'; readonly min: number; readonly max: number; readonly maxLen: number }
  | { readonly kind: 'number'; readonly values: readonly number[] }
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  /** A free-form string option; `values` are the settings worth trying. */
  | { readonly kind: 'string'; readonly values: readonly string[] };

/**
 * - optimization: the mutable part of a pipeline;
 * - lowering: conversions; executors append their own, and pipelines may also use them early;
 * - test: passes that exercise a compiler utility (mlir-opt's test-*).
 */
export type PassStage = 'optimization' | 'lowering' | 'test';

export type PassInfo = {
  readonly name: string;
  /** Anchors the pass may run on; 'any' means op-agnostic. */
  readonly anchors: readonly string[];
  readonly stage: PassStage;
  readonly options: Readonly<Record<string, OptionDomain>>;
  /** Options always printed, because the pass needs them to act or to keep the harness working. */
  readonly required?: Readonly<Record<string, OptionValue>>;
  /** The pass may change the entry's signature, so an executor's harness can no longer call it. */
  readonly changesEntryAbi?: boolean;
  /** Whether a result that changes after this pass is a miscompile. Absent: it promises to preserve semantics. */
  readonly semantics?: SemanticsPromise;
};

/**
 * What a pass promises about the meaning of the program. Crashes, hangs and invalid IR are findings whatever it
 * promises; only a changed result needs the promise. Reasons cite the pass's source or a bug report.
 * - preserves: a changed result is a miscompile (`note` records why a test-* pass counts, or the known bugs);
 * - no-promise: the pass may change results by design, so they are never judged;
 * - unless: it preserves semantics unless an option has a listed value (each with its reason).
 */
export type SemanticsPromise =
  | { readonly kind: 'preserves'; readonly note?: string }
  | { readonly kind: 'no-promise'; readonly reason: string }
  | { readonly kind: 'unless'; readonly options: readonly BreakingOption[]; readonly note?: string };

export type BreakingOption = {
  readonly option: string;
  /** The value that voids the promise. */
  readonly value: OptionValue;
  /** What the pass uses when a step leaves the option out. */
  readonly default: OptionValue;
  readonly reason: string;
};

/** Thrown by `PassCatalog.parse` and `validate` for a pipeline the user wrote wrong: a usage error, never a finding. */
export class PipelineError extends Error {
  override readonly name = 'PipelineError';
}

export interface PassCatalog {
  readonly passes: readonly PassInfo[];
  lookup(name: string): PassInfo | undefined;
  /** A step for `pass`, nested where the catalog says, with its required options. */
  step(pass: string, options?: Readonly<Record<string, OptionValue>>): PassStep;
  /** The compiler's own spelling (for MLIR `builtin.module(func.func(cse),inline)`). */
  print(p: Pipeline): string;
  /** Reads the compiler's own spelling; throws PipelineError. */
  parse(text: string): Pipeline;
}
