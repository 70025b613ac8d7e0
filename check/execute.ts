// Compile and run one batch on one executor, for callers that need no pipelining (`run`, the bench, tests).
import type { Program } from '../contracts/case.ts';
import type { ExecOutcome } from '../contracts/outcome.ts';
import type { Pipeline } from '../contracts/pipeline.ts';
import type { ExecOptions, Executor } from '../contracts/target.ts';

export type ExecItem = { readonly program: Program; readonly inputs: readonly Uint8Array[]; readonly pipeline?: Pipeline };

export async function execute(e: Executor, items: readonly ExecItem[], opts?: ExecOptions): Promise<ExecOutcome[]> {
  const compiled = await e.compile(items.map((it) => ({ program: it.program, pipeline: it.pipeline ?? [] })), opts);
  return e.run(compiled, items.map((it) => it.inputs), opts);
}
