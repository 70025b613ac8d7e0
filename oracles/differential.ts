// The differential oracle: the interpreter decides which programs are judged (UB and hangs are discarded, never
// reported), every compiled backend runs the rest in batches, and each result is compared with the reference.
import type { Backend, BackendOutcome, Program, RunOptions } from '../targets/mlir/backend.ts';
import type { Operation } from '../ir/core.ts';
import { fillBuffer } from '../ir/inputs.ts';
import type { InterpOutcome } from '../reference/index.ts';
import { runMain } from '../reference/index.ts';
import type { MemRefType } from '../ir/types.ts';
import type { Difference } from './compare.ts';
import { firstDifference } from './compare.ts';

export type CheckCase = { readonly file: string; readonly text: string; readonly module: Operation; readonly args: readonly MemRefType[] };

export type Disagreement = { readonly file: string; readonly backends: readonly [string, string] } & Difference;
/** A UB-free program that a backend failed to compile or run: a finding of its own kind. */
export type BackendFailure = { readonly file: string; readonly backend: string; readonly kind: Exclude<BackendOutcome['kind'], 'ok'>; readonly detail: string };

export type CheckReport = {
  cases: number;
  ub_discarded: number;
  hang_discarded: number;
  /** Programs using an op the interpreter does not model: neither judged nor reported. */
  unsupported: number;
  /** UB-free programs on which every backend ran and matched the reference. */
  agree: number;
  /** agree / judged, where judged = cases - discarded - unsupported. */
  agreement: number;
  disagreements: Disagreement[];
  backend_failures: BackendFailure[];
  ub_kinds: Record<string, number>;
  interp_ops_executed: number;
  interp_ops: string[];
  outcomes: Record<string, Record<string, number>>;
  seconds: number;
};

export type CheckOptions = { readonly inputSeed?: number; readonly run?: RunOptions; readonly stepBudget?: number };

export function inputsFor(args: readonly MemRefType[], inputSeed: number, indexBytes: number): Uint8Array[] {
  return args.map((t, k) => fillBuffer(t, inputSeed, k, indexBytes));
}

export async function checkPrograms(cases: readonly CheckCase[], backends: readonly Backend[], opts: CheckOptions = {}): Promise<CheckReport> {
  const t0 = performance.now();
  const seed = opts.inputSeed ?? 0;
  const report: CheckReport = {
    cases: cases.length,
    ub_discarded: 0,
    hang_discarded: 0,
    unsupported: 0,
    agree: 0,
    agreement: 1,
    disagreements: [],
    backend_failures: [],
    ub_kinds: {},
    interp_ops_executed: 0,
    interp_ops: [],
    outcomes: {},
    seconds: 0,
  };
  const ops = new Set<string>();
  const judged: { c: CheckCase; ref: Extract<InterpOutcome, { kind: 'ok' }> }[] = [];
  for (const c of cases) {
    const r = runMain(c.module, inputsFor(c.args, seed, 8), opts.stepBudget ? { stepBudget: opts.stepBudget } : {});
    count(report, 'interp', r.kind);
    if (r.kind === 'ub') {
      report.ub_discarded++;
      report.ub_kinds[r.ub] = (report.ub_kinds[r.ub] ?? 0) + 1;
    } else if (r.kind === 'hang') report.hang_discarded++;
    else if (r.kind === 'unsupported') report.unsupported++;
    else {
      for (const o of r.opsExecuted) ops.add(o);
      judged.push({ c, ref: r });
    }
  }
  const agreeing = judged.map(() => true);
  // Backends are separate processes: run them at once, then compare in a fixed order so reports are stable.
  const allOuts = await Promise.all(
    backends.map((b) => {
      const items = judged.map(({ c }) => ({ program: { text: c.text, args: c.args } satisfies Program, inputs: inputsFor(c.args, seed, b.indexBytes) }));
      return items.length ? b.runBatch(items, opts.run) : Promise.resolve([]);
    }),
  );
  backends.forEach((b, bi) => {
    allOuts[bi]!.forEach((o, k) => {
      count(report, b.name, o.kind);
      const { c, ref } = judged[k]!;
      if (o.kind !== 'ok') {
        agreeing[k] = false;
        report.backend_failures.push({ file: c.file, backend: b.name, kind: o.kind, detail: describe(o) });
        return;
      }
      const d = firstDifference(c.args, { buffers: ref.buffers, stdout: ref.stdout, indexBytes: 8 }, { buffers: o.buffers, stdout: o.stdout, indexBytes: b.indexBytes }, ref.taint);
      if (d) {
        agreeing[k] = false;
        report.disagreements.push({ file: c.file, backends: ['interp', b.name], ...d });
      }
    });
  });
  report.agree = agreeing.filter(Boolean).length;
  report.agreement = judged.length ? report.agree / judged.length : 1;
  report.interp_ops = [...ops].sort();
  report.interp_ops_executed = ops.size;
  report.seconds = (performance.now() - t0) / 1000;
  return report;
}

function count(r: CheckReport, backend: string, kind: string): void {
  const m = (r.outcomes[backend] ??= {});
  m[kind] = (m[kind] ?? 0) + 1;
}

function describe(o: Exclude<BackendOutcome, { kind: 'ok' }>): string {
  switch (o.kind) {
    case 'compile-failure':
      return `${o.stage} ${o.reason}${o.pass ? ` in ${o.pass}` : ''}: ${o.diagnostics.find((d) => d.severity === 'error')?.message ?? o.result?.stderr.slice(0, 300) ?? ''}`;
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
