// A UB-free program an executor failed to compile or run: each failure kind is a finding kind of its own
// (DESIGN §10). 'unavailable' is never a finding: the executor could not try.
import type { CaseRun, Finding, FindingKind, Oracle } from '../contracts/oracle.ts';
import type { ExecOutcome } from '../contracts/outcome.ts';

export const executionFailure: Oracle = {
  name: 'execution-failure',
  judge(run: CaseRun): Finding[] {
    const findings: Finding[] = [];
    for (const [executor, { outcome }] of run.outcomes) {
      if (outcome.kind === 'ok' || outcome.kind === 'unavailable') continue;
      findings.push({
        kind: findingKind(outcome),
        executor,
        ...('stage' in outcome && { stage: outcome.stage }),
        ...(outcome.kind === 'compile-failure' && outcome.pass !== undefined && { pass: outcome.pass }),
        detail: describeFailure(outcome),
      });
    }
    return findings;
  },
};

function findingKind(o: Exclude<ExecOutcome, { kind: 'ok' | 'unavailable' }>): FindingKind {
  switch (o.kind) {
    case 'compile-failure':
      return o.reason === 'verifier' ? 'invalid-ir' : o.reason === 'pass-failure' ? 'pass-failure' : 'compile-failure';
    case 'crash':
      return 'crash';
    case 'hang':
      return 'hang';
    case 'trap':
      return 'runtime-trap';
  }
}

/** One line: the stage, what went wrong, and the tool's own words. */
export function describeFailure(o: Exclude<ExecOutcome, { kind: 'ok' }>): string {
  switch (o.kind) {
    case 'compile-failure':
      return `${o.stage} ${o.reason}${o.pass ? ` in ${o.pass}` : ''}: ${o.diagnostics.find((d) => d.severity === 'error')?.message ?? o.tool?.stderr.slice(0, 300) ?? ''}`;
    case 'crash':
      return `${o.stage} crashed: ${o.crash.message ?? o.crash.signal ?? ''} ${o.crash.frames.slice(0, 3).map((f) => f.fn ?? '?').join(' < ')}`.trim();
    case 'hang':
      return `${o.stage} timed out`;
    case 'trap':
      return o.message;
    case 'unavailable':
      return o.reason;
  }
}
