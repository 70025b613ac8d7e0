// The compiled program of a UB-free case trapped (a signal natively, a WebAssembly trap, the wasm allocator's
// double or invalid free): the reference ran the original program to the end, so the compiler made it trap.
// When every backend traps the same way, the finding's suspect is the pipeline.
import type { CaseRun, Finding, Oracle } from '../contracts/oracle.ts';
import type { Draft } from './finding-fields.ts';
import { failedOutcomes, okExecutors, pipelinePasses, toolOf, withAgreement } from './finding-fields.ts';
import { signature, trapClass } from './signature.ts';

export const runtimeTrap: Oracle = {
  name: 'runtime-trap',
  judge(run: CaseRun): Finding[] {
    const passes = pipelinePasses(run);
    const drafts = failedOutcomes(run, ['trap']).map(([executor, o]): Draft => {
      const tool = toolOf(executor, o);
      return { kind: 'runtime-trap', executor, stage: 'run', tool, frames: [], detail: o.message, signature: signature({ kind: 'runtime-trap', tool, passes, message: o.message }) };
    });
    return withAgreement(run, drafts, { key: (d) => trapClass(d.detail), wrongRun: () => true, right: okExecutors(run) });
  },
};
