// A pass of the case's pipeline refused valid IR and said why ("failed to legalize operation"): the pass working
// as designed on input it does not handle. Recorded as kind 'pass-failure', which is not a compiler bug (`tcfuzz
// fuzz` counts it apart). A pass that fails silently or with an internal error ("null operand found"), or a pass
// of the executor's own lowering, is a compile-failure instead; a crash or invalid output is a crash or invalid-ir.
import type { CaseRun, Finding, Oracle } from '../contracts/oracle.ts';
import type { Failed } from './finding-fields.ts';
import { diagnosticDraft, failedOutcomes, pipelinePasses, withAgreement } from './finding-fields.ts';

/**
 * Errors no pass emits on purpose: the verifier's own complaints about IR the pass broke, and dialect conversion
 * left half done. A pass failing with one of these is a bug.
 */
const INTERNAL_ERROR = /^null operand found$|does not dominate this use|destroyed but still has uses|failed to materialize conversion|unresolved materialization|unrealized_conversion_cast/;

/** A failure of a pipeline pass with an error diagnostic of its own that is not an internal error. */
export function isPipelinePassFailure(run: CaseRun, o: Extract<Failed, { kind: 'compile-failure' }>): boolean {
  const errors = o.diagnostics.filter((d) => d.severity === 'error' && d.message.trim() !== '');
  return (
    o.reason === 'pass-failure' &&
    o.pass !== undefined &&
    pipelinePasses(run).includes(o.pass) &&
    errors.length > 0 &&
    !errors.some((d) => INTERNAL_ERROR.test(d.message))
  );
}

export const passFailure: Oracle = {
  name: 'pass-failure',
  judge(run: CaseRun): Finding[] {
    const drafts = failedOutcomes(run, ['compile-failure'])
      .filter(([, o]) => isPipelinePassFailure(run, o))
      .map(([executor, o]) => diagnosticDraft('pass-failure', executor, o));
    return withAgreement(run, drafts);
  },
};
