// The report as GitHub-flavoured markdown, sized for a GitHub Actions job summary (`>> $GITHUB_STEP_SUMMARY`):
// totals, campaigns, findings by kind, and a findings table. Printed, and written to summary.md given a folder.
import { count, duration, latest, oneLine, time } from './display.ts';
import type { ReportModel } from './model.ts';
import type { ReportRenderer } from './renderer.ts';

/** Findings past this many rows are counted, not listed: a job summary holds at most 1 MiB. */
export const MARKDOWN_FINDING_ROWS = 100;

export const markdownRenderer: ReportRenderer = {
  format: 'markdown',
  folder: 'optional',
  render(model, out) {
    const text = markdownReport(model);
    if (out.hasFolder) out.write('summary.md', text);
    out.print(text);
  },
};

export function markdownReport(m: ReportModel): string {
  const t = m.totals;
  const out = [
    '# tcfuzz report',
    '',
    `${cell(m.db)}, ${time(m.generatedAt)}: **${count(t.campaigns, 'campaign')}**, **${count(t.cases, 'case')}** checked, ` +
      `**${count(t.findings, 'finding')}** (${count(t.sightings, 'sighting')}).`,
  ];
  if (m.campaigns.length > 0) {
    out.push('', '## Campaigns', '');
    out.push(...table(['campaign', 'seed', 'status', 'started', 'fuzzing time', 'cases', 'cases/s', 'features', 'seeds', 'findings'],
      m.campaigns.map((c) => {
        const s = latest(c);
        return [`#${c.id}`, String(c.seed), c.status, time(c.startedAt), duration(s?.t ?? 0), String(s?.cases ?? 0),
          (s?.casesPerS ?? 0).toFixed(1), String(s?.features ?? 0), String(c.poolSize), String(c.findings)];
      })));
  }
  out.push('', '## Findings', '');
  if (m.findings.length === 0) return [...out, 'None.', ''].join('\n');
  out.push(...table(['kind', 'findings', 'sightings'], t.byKind.map((k) => [k.kind, String(k.findings), String(k.sightings)])), '');
  const listed = m.findings.slice(0, MARKDOWN_FINDING_ROWS);
  out.push(...table(['#', 'kind', 'status', 'count', 'last seen', 'pass', 'op', 'detail'],
    listed.map((f) => [`#${f.id}`, f.kind, f.status, String(f.count), time(f.lastSeen), f.pass ?? '', f.op ?? '', oneLine(f.detail, 120)])));
  const rest = m.findings.length - listed.length;
  if (rest > 0) out.push('', `… and ${count(rest, 'more finding')}: the HTML report (\`tcfuzz report --format html\`) lists them all.`);
  return [...out, ''].join('\n');
}

function table(head: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const line = (cells: readonly string[]): string => `| ${cells.map(cell).join(' | ')} |`;
  return [line(head), `|${head.map(() => ' --- |').join('')}`, ...rows.map(line)];
}

/**
 * Text from the store as inert markdown on one line: GitHub renders HTML and markdown syntax in a summary, so a
 * diagnostic such as `<unknown>` or `a|b` must neither vanish, nor break the table, nor become markup.
 */
function cell(text: string): string {
  return oneLine(text, Infinity)
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]|#~!]/g, (c) => `\\${c}`);
}
