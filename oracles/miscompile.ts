// A UB-free program whose result on an executor differs from the reference's: a miscompile (DESIGN §5).
import type { CaseRun, Finding, Oracle } from '../contracts/oracle.ts';
import { bufferMemRef } from '../ir/entry-abi.ts';
import { firstDifference } from './compare.ts';

export const miscompile: Oracle = {
  name: 'miscompile',
  judge(run: CaseRun): Finding[] {
    const ref = run.reference;
    if (ref.kind !== 'ok') return [];
    const args = run.case.program.entry.args.map(bufferMemRef);
    const findings: Finding[] = [];
    for (const [executor, { outcome, limits }] of run.outcomes) {
      if (outcome.kind !== 'ok') continue;
      const d = firstDifference(
        args,
        { buffers: ref.buffers, stdout: ref.stdout, indexBytes: run.referenceLayout.indexBits / 8 },
        { buffers: outcome.buffers, stdout: outcome.stdout, indexBytes: limits.indexBits / 8 },
        ref.taint,
      );
      if (d) findings.push({ kind: 'miscompile', executor, detail: describe(d), difference: d });
    }
    return findings;
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
