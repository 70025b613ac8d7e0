// The reference: exact semantics and the UB detector. A program with UB on its inputs is never judged (DESIGN §5).
import type { Program } from './case.ts';
import type { StageTimes } from './outcome.ts';
import type { PortabilityLimits } from './target.ts';

export type SourceLoc = { readonly file: string; readonly line: number; readonly col: number };

export type ReferenceOutcome = (
  | {
      readonly kind: 'ok';
      /** Every argument buffer after the run, in the reference's own layout. */
      readonly buffers: readonly Uint8Array[];
      readonly stdout: Uint8Array;
      /** Per buffer, per element: 1 where the value depends on an inexact (transcendental) op; null when none does. */
      readonly taint: readonly (Uint8Array | null)[];
      readonly opsExecuted: ReadonlySet<string>;
      readonly steps: number;
    }
  /** Semantic UB: the program means nothing on these inputs. */
  | { readonly kind: 'ub'; readonly ub: string; readonly op: string; readonly loc?: SourceLoc; readonly message: string; readonly stdout: Uint8Array }
  /** The run needs more than the limits allow (an index value outside int32 on a 32-bit target): not UB, not judged. */
  | { readonly kind: 'unportable'; readonly limit: keyof PortabilityLimits; readonly op: string; readonly loc?: SourceLoc; readonly message: string }
  /** The step budget ran out. */
  | { readonly kind: 'hang'; readonly steps: number }
  /** The reference does not model something the program uses. */
  | { readonly kind: 'unsupported'; readonly op: string; readonly loc?: SourceLoc; readonly message: string }
) & { readonly ms: StageTimes };

export type ReferenceOptions = {
  /** The narrowest limits of the executors the result is compared with. */
  readonly limits: PortabilityLimits;
  /** Steps before the run counts as a hang. */
  readonly stepBudget?: number;
};

export interface Reference {
  readonly name: string;
  /** The layout of the buffers it reads and writes (its `index` width); independent of the limits it checks. */
  readonly layout: PortabilityLimits;
  /** Program behaviour never throws; it comes back as an outcome. */
  run(program: Program, inputs: readonly Uint8Array[], opts: ReferenceOptions): ReferenceOutcome;
}
