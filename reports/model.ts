// What every report shows, read once from a store: campaigns with their stats series, findings with their
// reproducers, and the pass × op heat maps. Renderers only format it.
import type { Campaign, CaseId, Corpus, StatsSample, StoredFinding } from '../contracts/corpus.ts';
import type { FindingKind } from '../contracts/oracle.ts';
import type { PassCatalog } from '../contracts/pipeline.ts';
import { heatMap, type HeatCase, type HeatMap } from './heat-map.ts';

export type CampaignReport = Campaign & {
  /** Samples over time, oldest first. */
  readonly stats: readonly StatsSample[];
  /** Seeds in the live pool now. */
  readonly poolSize: number;
  /** Distinct findings it saw, first or again. */
  readonly findings: number;
};

export type CaseText = { readonly id: CaseId; readonly program: string; readonly pipeline: string; readonly inputSeed: number };

export type FindingReport = StoredFinding & {
  readonly reproducer: CaseText;
  /** Triage's reduced reproducer, once it has one. */
  readonly reduced?: CaseText;
};

export type KindTotal = { readonly kind: FindingKind; readonly findings: number; readonly sightings: number };

export type ReportTotals = {
  readonly campaigns: number;
  /** Cases checked, over every campaign (each one's last sample). */
  readonly cases: number;
  readonly findings: number;
  /** Sightings of the findings: a finding seen again counts again. */
  readonly sightings: number;
  /** Kinds with findings, the most findings first. */
  readonly byKind: readonly KindTotal[];
};

export type ReportModel = {
  /** The store's path, as given. */
  readonly db: string;
  readonly generatedAt: number;
  readonly totals: ReportTotals;
  readonly campaigns: readonly CampaignReport[];
  /** Oldest first. */
  readonly findings: readonly FindingReport[];
  readonly heatMaps: {
    /** Over the live pools' cases: what the campaigns exercise. */
    readonly coverage: HeatMap;
    /** Over the findings' reproducers: where the bugs are. */
    readonly findings: HeatMap;
  };
};

/** Reads `corpus` (a read-only one is enough); `catalog` reads the stored pipelines for the heat maps. */
export function buildReportModel(corpus: Corpus, catalog: PassCatalog, now: number = Date.now()): ReportModel {
  const campaigns: CampaignReport[] = [];
  const poolCases = new Map<CaseId, HeatCase>();
  // Campaign ids are the store's row ids, never reused, and the Corpus names only the last one.
  for (let id = 1; id <= (corpus.lastCampaign()?.id ?? 0); id++) {
    const campaign = corpus.campaign(id);
    if (!campaign) continue;
    const seeds = corpus.seeds(id);
    // Campaigns may keep the same case; the map counts a case once.
    for (const s of seeds) poolCases.set(s.case.id, { program: s.case.program.text, pipeline: s.case.pipeline.text });
    campaigns.push({ ...campaign, stats: corpus.stats(id), poolSize: seeds.length, findings: corpus.findings({ campaign: id }).length });
  }
  const findings = corpus.findings().map((f): FindingReport => {
    const reduced = f.reducedCase === undefined ? undefined : caseText(corpus, f.reducedCase);
    return { ...f, reproducer: caseText(corpus, f.case), ...(reduced && { reduced }) };
  });
  return {
    db: corpus.path,
    generatedAt: now,
    totals: totals(campaigns, findings),
    campaigns,
    findings,
    heatMaps: {
      coverage: heatMap(poolCases.values(), catalog),
      findings: heatMap(findings.map((f) => ({ program: f.reproducer.program, pipeline: f.reproducer.pipeline })), catalog),
    },
  };
}

function caseText(corpus: Corpus, id: CaseId): CaseText {
  const c = corpus.case(id);
  if (!c) throw new Error(`${corpus.path}: case ${id} of a finding is missing; the store is damaged`);
  return { id, program: c.program.text, pipeline: c.pipeline.text, inputSeed: c.inputSeed };
}

function totals(campaigns: readonly CampaignReport[], findings: readonly FindingReport[]): ReportTotals {
  const kinds = new Map<FindingKind, KindTotal>();
  for (const f of findings) {
    const t = kinds.get(f.kind) ?? { kind: f.kind, findings: 0, sightings: 0 };
    kinds.set(f.kind, { kind: f.kind, findings: t.findings + 1, sightings: t.sightings + f.count });
  }
  return {
    campaigns: campaigns.length,
    cases: campaigns.reduce((n, c) => n + (c.stats[c.stats.length - 1]?.cases ?? 0), 0),
    findings: findings.length,
    sightings: findings.reduce((n, f) => n + f.count, 0),
    byKind: [...kinds.values()].sort((a, b) => b.findings - a.findings || a.kind.localeCompare(b.kind)),
  };
}
