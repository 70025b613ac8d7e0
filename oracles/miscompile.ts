// A UB-free program whose result on an executor differs from the reference's: a miscompile (DESIGN §5). Each
// finding says which other executors computed the same wrong result and which got it right, and which op of the
// entry produced the first diverging value.
import type { CaseRun, Finding, Oracle } from '../contracts/oracle.ts';
import { bufferMemRef } from '../ir/entry-abi.ts';
import type { FloatName } from '../ir/types.ts';
import type { Program } from '../contracts/case.ts';
import type { Side, Tolerance } from './compare.ts';
import { DEFAULT_TOLERANCE, firstDifference, toleranceFor } from './compare.ts';
import { divergingOp, programModule } from './diverging-op.ts';
import type { Draft } from './finding-fields.ts';
import { pipelinePasses, suspectOf, toolOf } from './finding-fields.ts';
import { signature } from './signature.ts';

export const miscompile: Oracle = {
  name: 'miscompile',
  judge(run: CaseRun): Finding[] {
    const ref = run.reference;
    if (ref.kind !== 'ok') return [];
    const args = run.case.program.entry.args.map(bufferMemRef);
    const refSide: Side = { buffers: ref.buffers, stdout: ref.stdout, indexBytes: run.referenceLayout.indexBits / 8 };
    const ok: [string, Side][] = [];
    for (const [executor, { outcome, limits }] of run.outcomes) {
      if (outcome.kind === 'ok') ok.push([executor, { buffers: outcome.buffers, stdout: outcome.stdout, indexBytes: limits.indexBits / 8 }]);
    }
    const wrong: [string, Side, NonNullable<ReturnType<typeof firstDifference>>][] = [];
    const right: string[] = [];
    const tol = ref.taint.some((t) => t !== null) ? taintTolerance(run.case.program) : DEFAULT_TOLERANCE;
    for (const [executor, side] of ok) {
      const d = firstDifference(args, refSide, side, ref.taint, tol);
      if (d) wrong.push([executor, side, d]);
      else right.push(executor);
    }
    const passes = pipelinePasses(run);
    return wrong.map(([executor, side, d]) => {
      const op = divergingOp(run.case.program, d);
      const agreeing = wrong.filter(([e, other]) => e !== executor && firstDifference(args, side, other, ref.taint, tol) === undefined).map(([e]) => e);
      const draft: Draft = {
        kind: 'miscompile',
        executor,
        tool: toolOf(executor, run.outcomes.get(executor)!.outcome),
        frames: [],
        detail: describe(d),
        difference: d,
        matchingReference: right,
        ...(op !== undefined && { op }),
        signature: signature({ kind: 'miscompile', executor, passes, op: op ?? (d.kind === 'shape' ? 'shape' : 'unknown') }),
      };
      return { ...draft, agreeing, ...suspectOf(run, executor, agreeing, right) };
    });
  },
};

function describe(d: NonNullable<ReturnType<typeof firstDifference>>): string {
  switch (d.kind) {
    case 'buffer':
      return `arg${d.buffer}[${d.index}] ${d.dtype}${d.tainted ? ' (tainted)' : ''}: ${d.values[0]} vs ${d.values[1]}`;
    case 'stdout':
      return `stdout at byte ${d.offset}: ${d.values[0]} vs ${d.values[1]}`;
    case 'shape':
      return d.message;
  }
}

/** The tolerance for tainted values of `program`, from the float types its ops compute in. */
function taintTolerance(program: Program): Tolerance {
  const computed = new Set<FloatName>();
  for (const op of programModule(program)?.walk() ?? []) {
    for (const v of op.results) {
      const t = v.type;
      const elem = t.kind === 'vector' || t.kind === 'tensor' ? t.elem : t;
      if (elem.kind === 'float') computed.add(elem.name);
    }
  }
  return toleranceFor(computed);
}
