// One line for people about a failed execution, shared by the oracles' findings and `tcfuzz run`.
import type { ExecOutcome } from '../contracts/outcome.ts';

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
