// Reporters are optional hooks (Stryker's shape): text progress, JSON, markdown, HTML implement what they need.
import type { CaseRun, Finding } from './oracle.ts';

/** Why a case was not judged; counted, never reported as a bug. */
export type Discard = 'ub' | 'hang' | 'unsupported' | 'unportable';

export type CaseResult = CaseRun & {
  readonly discarded?: Discard;
  readonly findings: readonly Finding[];
};

export interface Reporter {
  onCaseChecked?(result: CaseResult): void;
  onFinding?(finding: Finding, result: CaseResult): void;
  onEnd?(summary: Readonly<Record<string, unknown>>): void | Promise<void>;
}
