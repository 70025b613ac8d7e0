// An executor could not turn a valid program into something it runs, without crashing: its lowering failed (a
// pass of its own suffix refused the IR, or left ops unconverted), mlir-translate, llc or wasm-ld rejected their
// input, the lowered entry lost the harness's signature, or a pipeline pass failed without saying why.
import type { CaseRun, Finding, Oracle } from '../contracts/oracle.ts';
import { diagnosticDraft, failedOutcomes, firstError, withAgreement } from './finding-fields.ts';
import { isPipelinePassFailure } from './pass-failure.ts';

export const compileFailure: Oracle = {
  name: 'compile-failure',
  judge(run: CaseRun): Finding[] {
    const drafts = failedOutcomes(run, ['compile-failure'])
      .filter(([, o]) => o.reason !== 'verifier' && !isPipelinePassFailure(run, o))
      .map(([executor, o]) => diagnosticDraft('compile-failure', executor, o, firstError(o) || (o.reason === 'pass-failure' ? 'pass failed without a diagnostic' : o.reason)));
    return withAgreement(run, drafts);
  },
};
