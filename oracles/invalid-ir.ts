// A pass succeeded but left IR that fails verification: a bug of that pass, whether it is in the pipeline or in
// the executor's lowering.
import type { CaseRun, Finding, Oracle } from '../contracts/oracle.ts';
import { diagnosticDraft, failedOutcomes, withAgreement } from './finding-fields.ts';

export const invalidIr: Oracle = {
  name: 'invalid-ir',
  judge(run: CaseRun): Finding[] {
    const drafts = failedOutcomes(run, ['compile-failure'])
      .filter(([, o]) => o.reason === 'verifier')
      .map(([executor, o]) => diagnosticDraft('invalid-ir', executor, o));
    return withAgreement(run, drafts);
  },
};
