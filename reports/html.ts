// The report as one self-contained page, index.html: totals, campaigns, progress charts, the pass × op heat maps and
// the findings table, each finding linking to its own page in findings/. ECharts is inlined from node_modules and
// the chart data travels as one JSON blob, so the page works offline, from a file:// URL or a CI artifact.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { FindingKind } from '../contracts/oracle.ts';
import { count, duration, latest, oneLine, time } from './display.ts';
import type { HeatMap } from './heat-map.ts';
import { findingPage, findingPath, reproPath } from './html-finding.ts';
import { escapeHtml as h, jsonScript, page } from './html-page.ts';
import type { ReportModel } from './model.ts';
import type { ReportRenderer } from './renderer.ts';

export const htmlRenderer: ReportRenderer = {
  format: 'html',
  folder: 'required',
  render(model, out) {
    out.write('index.html', indexPage(model));
    for (const f of model.findings) out.write(findingPath(f.id), findingPage(f, out.exists(reproPath(f.id))));
  },
};

const CHARTS = new URL('./html-charts.js', import.meta.url);

export function indexPage(m: ReportModel): string {
  const body = [
    '<h1>tcfuzz report</h1>',
    `<p class="sub"><code>${h(m.db)}</code>, ${time(m.generatedAt)}</p>`,
    totalsCards(m),
    '<h2>Campaigns</h2>',
    m.campaigns.length ? campaignsTable(m) : '<p class="empty">No campaign yet.</p>',
    '<h2>Progress</h2>',
    progressCharts(m),
    '<h2>Passes × ops</h2>',
    heatSection('heat-coverage', 'By coverage: the cases of the live pools', m.heatMaps.coverage),
    heatSection('heat-findings', 'By findings: the findings’ reproducers', m.heatMaps.findings),
    '<h2>Findings</h2>',
    m.findings.length ? findingsTable(m) : '<p class="empty">No finding yet.</p>',
    `<script type="application/json" id="report-data">${jsonScript(chartData(m))}</script>`,
  ].join('\n');
  // Resolved here, not when the module loads: every command imports this file, and only a report needs ECharts.
  const echarts = createRequire(import.meta.url).resolve('echarts/dist/echarts.min.js');
  return page({ title: `tcfuzz report: ${m.db}`, body, scripts: [readFileSync(echarts, 'utf8'), readFileSync(CHARTS, 'utf8')] });
}

function totalsCards(m: ReportModel): string {
  const t = m.totals;
  const cards: [string, number][] = [['campaigns', t.campaigns], ['cases checked', t.cases], ['findings', t.findings], ['sightings', t.sightings]];
  for (const k of t.byKind) cards.push([k.kind, k.findings]);
  return `<div class="cards">${cards.map(([label, n]) => `<div class="card"><b>${n}</b>${h(label)}</div>`).join('')}</div>`;
}

function campaignsTable(m: ReportModel): string {
  const rows = m.campaigns.map((c) => {
    const s = latest(c);
    const nums = [s?.cases ?? 0, (s?.casesPerS ?? 0).toFixed(1), s?.features ?? 0, c.poolSize, c.findings, s?.ubDiscarded ?? 0];
    return `<tr><td>#${c.id}</td><td class="num">${c.seed}</td><td>${h(c.status)}</td><td>${time(c.startedAt)}</td>` +
      `<td class="num">${duration(s?.t ?? 0)}</td>${nums.map((n) => `<td class="num">${n}</td>`).join('')}</tr>`;
  });
  const head = ['campaign', 'seed', 'status', 'started', 'fuzzing time', 'cases', 'cases/s', 'features', 'seeds', 'findings', 'UB discarded'];
  return `<table><thead><tr>${head.map((c) => `<th>${c}</th>`).join('')}</tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table>`;
}

function progressCharts(m: ReportModel): string {
  if (!m.campaigns.some((c) => c.stats.length > 0)) return '<p class="empty">No stats sample yet.</p>';
  const kinds = sampledKinds(m);
  return `<p class="sub">Campaigns end to end on one axis of fuzzing time.</p><div class="grid">${[
    chart('chart-features', 'Coverage features'),
    chart('chart-cases', 'Cases checked'),
    kinds.length ? chart('chart-findings', 'Findings by kind') : section('Findings by kind', '<p class="empty">No finding in any sample.</p>'),
    chart('chart-rate', 'Cases per second'),
  ].join('')}</div>`;
}

function heatSection(id: string, title: string, map: HeatMap): string {
  if (!map.counts.some((row) => row.some((n) => n > 0))) {
    return section(title, `<p class="empty">${map.cases ? `${count(map.cases, 'case')}, none with both a pass and an op.` : 'No case.'}</p>`);
  }
  const shown = (n: number, all: number, what: string): string => (n === all ? `all ${all} ${what}` : `the ${n} most frequent of ${all} ${what}`);
  const caption = `Rows: ${shown(map.passes.length, map.allPasses, 'passes')}; columns: ${shown(map.ops.length, map.allOps, 'ops')}. ` +
    `A cell counts the cases, of ${map.cases}, that run the pass on a program holding the op.`;
  // html-charts.js sizes it to its rows and labels.
  return section(title, `<p class="sub">${caption}</p><div class="chart" id="${id}"></div>`);
}

function findingsTable(m: ReportModel): string {
  const head = ['#', 'kind', 'status', 'count', 'first seen', 'last seen', 'pass', 'op', 'detail'];
  const rows = m.findings.map((f) => {
    const link = (text: string): string => `<a href="${h(findingPath(f.id))}">${h(text)}</a>`;
    return `<tr data-finding="${f.id}"><td>${link(`#${f.id}`)}</td><td>${h(f.kind)}</td><td>${h(f.status)}</td><td class="num">${f.count}</td>` +
      `<td>${time(f.firstSeen)}</td><td>${time(f.lastSeen)}</td><td>${h(f.pass ?? '')}</td><td>${h(f.op ?? '')}</td><td>${link(oneLine(f.detail, 140))}</td></tr>`;
  });
  return `<table id="findings"><thead><tr>${head.map((c) => `<th>${c}</th>`).join('')}</tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table>`;
}

const chart = (id: string, title: string): string => section(title, `<div class="chart" id="${id}"></div>`);
const section = (title: string, inner: string): string => `<section><h3>${h(title)}</h3>${inner}</section>`;

/** Kinds with findings in some sample, in the order the page stacks them. */
function sampledKinds(m: ReportModel): FindingKind[] {
  const kinds = new Set<FindingKind>();
  for (const c of m.campaigns) for (const s of c.stats) for (const [k, n] of Object.entries(s.findingsByKind)) if (n) kinds.add(k as FindingKind);
  return [...kinds].sort();
}

/** What html-charts.js draws: only the series, never a program's text. */
function chartData(m: ReportModel) {
  return {
    campaigns: m.campaigns.map((c) => ({
      id: c.id,
      stats: c.stats.map((s) => ({ t: s.t, cases: s.cases, features: s.features, casesPerS: s.casesPerS, findingsByKind: s.findingsByKind })),
    })),
    kinds: sampledKinds(m),
    heatMaps: m.heatMaps,
  };
}
