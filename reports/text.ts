// The report on a terminal: totals, one line per campaign, findings by kind, one line per finding.
import { count, duration, latest, oneLine, time } from './display.ts';
import type { ReportModel } from './model.ts';
import type { ReportRenderer } from './renderer.ts';

export const textRenderer: ReportRenderer = {
  format: 'text',
  folder: 'unused',
  render(model, out) {
    out.print(textReport(model));
  },
};

export function textReport(m: ReportModel): string {
  const t = m.totals;
  const lines = [
    `tcfuzz report of ${printable(m.db)}, ${time(m.generatedAt)}`,
    `${count(t.campaigns, 'campaign')}, ${count(t.cases, 'case')} checked, ${count(t.findings, 'finding')} (${count(t.sightings, 'sighting')})`,
  ];
  if (m.campaigns.length > 0) {
    lines.push('', 'campaigns');
    lines.push(...columns(m.campaigns.map((c) => {
      const s = latest(c);
      return [`#${c.id}`, `seed ${c.seed}`, c.status, duration(s?.t ?? 0), count(s?.cases ?? 0, 'case'), `${(s?.casesPerS ?? 0).toFixed(1)}/s`,
        count(s?.features ?? 0, 'feature'), count(c.poolSize, 'seed'), count(c.findings, 'finding')];
    })));
  }
  if (m.findings.length > 0) {
    lines.push('', 'findings by kind');
    lines.push(...columns(t.byKind.map((k) => [k.kind, String(k.findings), `(${count(k.sightings, 'sighting')})`])));
    lines.push('', 'findings');
    lines.push(...columns(m.findings.map((f) => [`#${f.id}`, f.kind, f.status, `×${f.count}`, f.pass ?? '-', oneLine(f.detail, 100)])));
  }
  return lines.join('\n') + '\n';
}

/** Rows padded to aligned columns, two spaces apart, indented by two. */
function columns(rows: readonly (readonly string[])[]): string[] {
  const clean = rows.map((r) => r.map(printable));
  const widths: number[] = [];
  for (const r of clean) r.forEach((cell, k) => (widths[k] = Math.max(widths[k] ?? 0, cell.length)));
  return clean.map((r) => `  ${r.map((cell, k) => (k === r.length - 1 ? cell : cell.padEnd(widths[k]!))).join('  ')}`);
}

/** Control characters from the store (a tool's escape sequences) would drive the reader's terminal. */
const printable = (s: string): string => s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
