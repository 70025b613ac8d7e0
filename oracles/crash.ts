// A compiler tool died (a signal, `LLVM ERROR`, an assertion) on a UB-free program: always a bug.
import type { CaseRun, Finding, Oracle } from '../contracts/oracle.ts';
import { describeFailure } from './describe-failure.ts';
import type { Draft } from './finding-fields.ts';
import { failedOutcomes, pipelinePasses, toolOf, withAgreement } from './finding-fields.ts';
import { normaliseFrames, signature } from './signature.ts';

export const crash: Oracle = {
  name: 'crash',
  judge(run: CaseRun): Finding[] {
    const drafts = failedOutcomes(run, ['crash']).map(([executor, o]): Draft => {
      const tool = toolOf(executor, o);
      const frames = normaliseFrames(o.crash.frames);
      return {
        kind: 'crash',
        executor,
        stage: o.stage,
        tool,
        frames,
        detail: describeFailure(o),
        signature: signature({ kind: 'crash', tool, frames, passes: pipelinePasses(run), ...(o.crash.message !== undefined && { message: o.crash.message }) }),
      };
    });
    return withAgreement(run, drafts);
  },
};
