// A compiler tool, or the compiled program (stage 'run'), ran out of time on a program the reference finished
// within its step budget.
import type { CaseRun, Finding, Oracle } from '../contracts/oracle.ts';
import { describeFailure } from './describe-failure.ts';
import type { Draft } from './finding-fields.ts';
import { failedOutcomes, okExecutors, pipelinePasses, toolOf, withAgreement } from './finding-fields.ts';
import { normaliseFrame, normaliseFrames, signature } from './signature.ts';

export const hang: Oracle = {
  name: 'hang',
  judge(run: CaseRun): Finding[] {
    const passes = pipelinePasses(run);
    const drafts = failedOutcomes(run, ['hang']).map(([executor, o]): Draft => {
      const tool = toolOf(executor, o);
      // A tool that printed its stack when stopped is signed by where it was looping, as a crash is; else by the
      // pipeline. Only named frames count: where in the loop the signal lands varies, and so would a library's
      // unnamed code at the top.
      const frames = o.stack ? normaliseFrames(o.stack.frames.filter((f) => normaliseFrame(f.fn) !== undefined)) : [];
      return { kind: 'hang', executor, stage: o.stage, tool, frames, detail: describeFailure(o), signature: signature({ kind: 'hang', tool, frames, passes }) };
    });
    // Programs that hang on two backends hang the same way whatever runs them.
    return withAgreement(run, drafts, { key: (d) => (d.stage === 'run' ? 'run' : d.signature), wrongRun: (d) => d.stage === 'run', right: okExecutors(run) });
  },
};
