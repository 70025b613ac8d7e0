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
      // A tool that said which pass it was stopped in is signed by that pass: where in the loop the signal lands
      // varies, so one vector.mask folding loop gave three stack signatures in a 30-minute campaign (triage already
      // took any hang of a tool for the same bug). Else by where it was looping, as a crash is, and else by the
      // pipeline. Only named frames count: a library's unnamed code at the top would vary too.
      const frames = o.stack ? normaliseFrames(o.stack.frames.filter((f) => normaliseFrame(f.fn) !== undefined)) : [];
      const stoppedIn = o.pass !== undefined ? { pass: o.pass } : {};
      return { kind: 'hang', executor, stage: o.stage, tool, frames, ...stoppedIn, detail: describeFailure(o), signature: signature({ kind: 'hang', tool, frames, passes, ...stoppedIn }) };
    });
    // Programs that hang on two backends hang the same way whatever runs them.
    return withAgreement(run, drafts, { key: (d) => (d.stage === 'run' ? 'run' : d.signature), wrongRun: (d) => d.stage === 'run', right: okExecutors(run) });
  },
};
