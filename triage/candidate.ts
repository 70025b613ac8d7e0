// What triage asks a compiler about: a variant of a finding's case (its program text and pipeline; the input seed
// stays the finding's), and whether the variant still shows the finding's bug. The answer comes from the check
// unit, wired in cli/ (cli/triage-replay.ts): triage/ knows no compiler.
import type { Pipeline } from '../contracts/pipeline.ts';

export type Candidate = { readonly program: string; readonly pipeline: Pipeline };

/**
 * For each candidate, whether it reproduces the finding (same bug, and for a wrong result a UB-free program).
 * Candidates come in batches so that the executors compile them together.
 */
export type Reproduces = (candidates: readonly Candidate[]) => Promise<boolean[]>;
