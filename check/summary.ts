// Totals of a check run, filled as results stream in: the JSON report of `tcfuzz check` and the basis of its text.
import type { Difference, FindingKind } from '../contracts/oracle.ts';
import type { CaseResult, Reporter } from '../contracts/reporter.ts';

/** `agreeing`: other backends with the same wrong result; `signature`: the finding's dedup key. */
export type Disagreement = { readonly file: string; readonly backends: readonly [string, string]; readonly signature: string; readonly agreeing: readonly string[] } & Difference;
/** A UB-free program an executor failed to compile or run. */
export type BackendFailure = {
  readonly file: string;
  readonly backend: string;
  readonly kind: string;
  readonly finding: FindingKind;
  readonly detail: string;
  readonly tool: string;
  readonly signature: string;
  readonly agreeing: readonly string[];
};

export type CheckReport = {
  cases: number;
  ub_discarded: number;
  hang_discarded: number;
  /** Programs using something the reference does not model: neither judged nor reported. */
  unsupported: number;
  /** Programs that cross a portability limit of a selected executor (an index outside int32 on wasm32). */
  unportable: number;
  /** Judged programs on which every executor ran and matched the reference. */
  agree: number;
  /** agree / judged. */
  agreement: number;
  disagreements: Disagreement[];
  backend_failures: BackendFailure[];
  /** Pipeline passes that refused valid IR with a diagnostic: recorded, not compiler bugs. */
  pass_failures: BackendFailure[];
  /** Findings per signature: how many sightings each distinct bug had. */
  signatures: Record<string, number>;
  findings_by_kind: Partial<Record<FindingKind, number>>;
  ub_kinds: Record<string, number>;
  interp_ops_executed: number;
  interp_ops: string[];
  /** Per executor (and the reference), outcomes by kind. */
  outcomes: Record<string, Record<string, number>>;
  /** Milliseconds summed over cases, per stage. */
  time_by_stage: Record<string, number>;
  seconds: number;
};

export class CheckSummary implements Reporter {
  private readonly t0 = performance.now();
  private readonly ops = new Set<string>();
  private judged = 0;
  readonly report: CheckReport = {
    cases: 0,
    ub_discarded: 0,
    hang_discarded: 0,
    unsupported: 0,
    unportable: 0,
    agree: 0,
    agreement: 1,
    disagreements: [],
    backend_failures: [],
    pass_failures: [],
    signatures: {},
    findings_by_kind: {},
    ub_kinds: {},
    interp_ops_executed: 0,
    interp_ops: [],
    outcomes: {},
    time_by_stage: {},
    seconds: 0,
  };

  onCaseChecked(r: CaseResult): void {
    const rep = this.report;
    rep.cases++;
    const ref = r.reference;
    this.count('interp', ref.kind);
    this.time(ref.ms);
    if (ref.kind === 'ub') rep.ub_kinds[ref.ub] = (rep.ub_kinds[ref.ub] ?? 0) + 1;
    if (r.discarded === 'ub') rep.ub_discarded++;
    else if (r.discarded === 'hang') rep.hang_discarded++;
    else if (r.discarded === 'unsupported') rep.unsupported++;
    else if (r.discarded === 'unportable') rep.unportable++;
    if (ref.kind !== 'ok') return;
    this.judged++;
    for (const o of ref.opsExecuted) this.ops.add(o);
    for (const [name, { outcome }] of r.outcomes) {
      this.count(name, outcome.kind);
      this.time(outcome.ms);
    }
    if (r.findings.length === 0) rep.agree++;
    const file = r.case.name;
    for (const f of r.findings) {
      rep.findings_by_kind[f.kind] = (rep.findings_by_kind[f.kind] ?? 0) + 1;
      rep.signatures[f.signature] = (rep.signatures[f.signature] ?? 0) + 1;
      if (f.kind === 'miscompile' && f.difference) {
        rep.disagreements.push({ file, backends: ['interp', f.executor], signature: f.signature, agreeing: f.agreeing, ...f.difference });
        continue;
      }
      const failure: BackendFailure = {
        file,
        backend: f.executor,
        kind: r.outcomes.get(f.executor)?.outcome.kind ?? f.kind,
        finding: f.kind,
        detail: f.detail,
        tool: f.tool,
        signature: f.signature,
        agreeing: f.agreeing,
      };
      (f.kind === 'pass-failure' ? rep.pass_failures : rep.backend_failures).push(failure);
    }
  }

  onEnd(): void {
    const rep = this.report;
    rep.agreement = this.judged ? rep.agree / this.judged : 1;
    rep.interp_ops = [...this.ops].sort();
    rep.interp_ops_executed = this.ops.size;
    for (const k of Object.keys(rep.time_by_stage)) rep.time_by_stage[k] = Math.round(rep.time_by_stage[k]!);
    rep.seconds = (performance.now() - this.t0) / 1000;
  }

  private count(who: string, kind: string): void {
    const m = (this.report.outcomes[who] ??= {});
    m[kind] = (m[kind] ?? 0) + 1;
  }

  private time(ms: Readonly<Record<string, number>>): void {
    const t = this.report.time_by_stage;
    for (const [stage, v] of Object.entries(ms)) t[stage] = (t[stage] ?? 0) + v;
  }
}
