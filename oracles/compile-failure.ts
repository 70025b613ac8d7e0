// An executor could not turn a valid program into something it runs, without crashing: its lowering failed (a
// pass of its own suffix refused the IR, or left ops unconverted), mlir-translate, llc or wasm-ld rejected their
// input, the lowered entry lost the harness's signature, or a pipeline pass failed without saying why.
import type { CaseRun, Finding, Oracle } from '../contracts/oracle.ts';
import { describeFailure } from './describe-failure.ts';
import type { Draft } from './finding-fields.ts';
import { failedOutcomes, firstError, toolOf, withAgreement } from './finding-fields.ts';
import { isPipelinePassFailure } from './pass-failure.ts';
import { signature } from './signature.ts';

export const compileFailure: Oracle = {
  name: 'compile-failure',
  judge(run: CaseRun): Finding[] {
    const drafts = failedOutcomes(run, ['compile-failure'])
      .filter(([, o]) => o.reason !== 'verifier' && !isPipelinePassFailure(run, o))
      .map(([executor, o]): Draft => {
        const tool = toolOf(executor, o);
        const message = firstError(o) || (o.reason === 'pass-failure' ? 'pass failed without a diagnostic' : o.reason);
        return {
          kind: 'compile-failure',
          executor,
          stage: o.stage,
          ...(o.pass !== undefined && { pass: o.pass }),
          tool,
          frames: [],
          detail: describeFailure(o),
          signature: signature({ kind: 'compile-failure', tool, frames: [], message, ...(o.pass !== undefined && { pass: o.pass }) }),
        };
      });
    return withAgreement(run, drafts);
  },
};
