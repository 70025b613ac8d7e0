// Reporters are optional hooks (Stryker's shape): text progress, JSON, markdown, HTML implement what they need.
import type { Features } from './coverage.ts';
import type { CaseRun, Finding } from './oracle.ts';

/** Why a case was not judged; counted, never reported as a bug. */
export type Discard = 'ub' | 'hang' | 'unsupported' | 'unportable';

export type CaseResult = CaseRun & {
  readonly discarded?: Discard;
  /** The coverage features of compiling the case on `CheckSetup.coverageFrom`'s executor, when it compiled there. */
  readonly features?: Features;
  readonly findings: readonly Finding[];
};

export interface Reporter {
  onCaseChecked?(result: CaseResult): void;
  onFinding?(finding: Finding, result: CaseResult): void;
  onEnd?(summary: Readonly<Record<string, unknown>>): void | Promise<void>;
}
