// A failed compiler-tool run as an execution outcome: one mapping for every stage and executor.
import type { ExecOutcome, Stage } from '../../contracts/outcome.ts';
import type { ToolResult } from '../../exec/tool-driver.ts';
import { classify, parseDiagnostics } from './diagnostics.ts';

export type Failure = Exclude<ExecOutcome, { kind: 'ok' }>;

/** `fallback` is the message when the tool printed no diagnostic. `ms` is filled in by the caller. */
export function toolFailure(stage: Stage, tool: ToolResult, fallback: string): Failure {
  const ms = {};
  const c = classify(tool);
  switch (c.kind) {
    case 'crash':
      return { kind: 'crash', stage, crash: c.crash, tool, ms };
    case 'hang':
      return { kind: 'hang', stage, tool, ...(c.stack && { stack: c.stack }), ms };
    case 'spawn-error':
      return { kind: 'unavailable', reason: c.message, ms };
    case 'output-limit':
      return { kind: 'compile-failure', stage, reason: 'output-limit', diagnostics: [], tool, ms };
    default: {
      const diagnostics = parseDiagnostics(tool.stderr);
      return {
        kind: 'compile-failure',
        stage,
        reason: 'error',
        diagnostics: diagnostics.length > 0 ? diagnostics : [{ severity: 'error', message: tool.stderr.trim() || fallback, notes: [] }],
        tool,
        ms,
      };
    }
  }
}

/** Adds stage times to an outcome. */
export function withMs<O extends ExecOutcome>(o: O, ms: Readonly<Record<string, number>>): O {
  const sum: Record<string, number> = { ...o.ms };
  for (const [k, v] of Object.entries(ms)) sum[k] = (sum[k] ?? 0) + v;
  return { ...o, ms: sum };
}
