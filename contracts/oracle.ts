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
  /** The program that misbehaved: 'mlir-opt', 'mlir-translate', 'llc', 'wasm-ld', 'mlir-runner' (a native run), 'v8' (a wasm run). */
  readonly tool: string;
  /** The top frames of its stack, normalised (no arguments, template arguments or addresses); [] when it printed none. */
  readonly frames: readonly string[];
  /**
   * The other executors that saw the same thing: for a miscompile, those whose results equal this one's (so they
   * are wrong the same way); otherwise those with a finding of the same signature.
   */
  readonly agreeing: readonly string[];
  /** For a miscompile: the executors whose results matched the reference. */
  readonly matchingReference?: readonly string[];
  /**
   * For a wrong run (miscompile, runtime trap, hang while running): 'pipeline' when every other executor that ran
   * went wrong the same way and the case has a pipeline (the reference ran the original program UB-free);
   * 'executor' when another executor ran it right. Absent when no other executor ran.
   */
  readonly suspect?: 'pipeline' | 'executor';
  /** For a miscompile: the op that produced the first diverging value ('memref.store', 'vector.print'), when found. */
  readonly op?: string;
  /** The dedup key (oracles/signature.ts): equal for one bug across programs, different across bugs. */
  readonly signature: string;
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
