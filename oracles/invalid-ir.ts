// A pass succeeded but left IR that fails verification: a bug of that pass, whether it is in the pipeline or in
// the executor's lowering.
import type { CaseRun, Finding, Oracle } from '../contracts/oracle.ts';
import { describeFailure } from './describe-failure.ts';
import type { Draft } from './finding-fields.ts';
import { failedOutcomes, firstError, toolOf, withAgreement } from './finding-fields.ts';
import { signature } from './signature.ts';

export const invalidIr: Oracle = {
  name: 'invalid-ir',
  judge(run: CaseRun): Finding[] {
    const drafts = failedOutcomes(run, ['compile-failure'])
      .filter(([, o]) => o.reason === 'verifier')
      .map(([executor, o]): Draft => {
        const tool = toolOf(executor, o);
        return {
          kind: 'invalid-ir',
          executor,
          stage: o.stage,
          ...(o.pass !== undefined && { pass: o.pass }),
          tool,
          frames: [],
          detail: describeFailure(o),
          signature: signature({ kind: 'invalid-ir', tool, frames: [], message: firstError(o), ...(o.pass !== undefined && { pass: o.pass }) }),
        };
      });
    return withAgreement(run, drafts);
  },
};
