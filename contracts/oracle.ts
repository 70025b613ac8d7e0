// Oracles decide whether what happened to one case is a bug. They return data and never throw.
import type { TestCase } from './case.ts';
import type { ExecOutcome } from './outcome.ts';
import type { ReferenceOutcome } from './reference.ts';
import type { PortabilityLimits } from './target.ts';

export type FindingKind = 'crash' | 'hang' | 'invalid-ir' | 'pass-failure' | 'compile-failure' | 'runtime-trap' | 'miscompile';

/** The first place two executions differ. */
export type Difference =
  | { readonly kind: 'buffer'; readonly buffer: number; readonly index: number; readonly dtype: string; readonly values: readonly [string, string]; readonly tainted: boolean }
  | { readonly kind: 'stdout'; readonly offset: number; readonly values: readonly [string, string] }
  | { readonly kind: 'shape'; readonly message: string };

export type Finding = {
  readonly kind: FindingKind;
  /** The executor that misbehaved. */
  readonly executor: string;
  readonly stage?: string;
  readonly pass?: string;
  /** One line for people. */
  readonly detail: string;
  /** For a miscompile: the first difference from the reference. */
  readonly difference?: Difference;
};

/** What the check unit hands to oracles: one case, the reference's outcome, and every executor's. */
export type CaseRun = {
  readonly case: TestCase;
  readonly reference: ReferenceOutcome;
  /** The layout of the reference's buffers. */
  readonly referenceLayout: PortabilityLimits;
  readonly outcomes: ReadonlyMap<string, { readonly outcome: ExecOutcome; readonly limits: PortabilityLimits }>;
};

export interface Oracle {
  readonly name: string;
  /** Findings for this run, or none. Only called on runs the reference judged ('ok'). */
  judge(run: CaseRun): readonly Finding[];
}
