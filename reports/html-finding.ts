// One finding's page, findings/<id>.html: what the store knows about it, its reproducer's pipeline and program, and
// its repro script when one has been made next to the report.
import { time } from './display.ts';
import { escapeHtml as h, page } from './html-page.ts';
import type { CaseText, FindingReport } from './model.ts';

export const findingPath = (id: number): string => `findings/${id}.html`;
/** Where a finding's repro script goes when one is made (DESIGN §10), next to the report. */
export const reproPath = (id: number): string => `repro/${id}/repro.sh`;

/** `hasRepro`: whether repro/<id>/repro.sh is in the output folder (the page links it from findings/, one level down). */
export function findingPage(f: FindingReport, hasRepro: boolean): string {
  const facts: [string, string | undefined][] = [
    ['kind', f.kind],
    ['status', f.status],
    ['signature', f.signature],
    ['count', `${f.count}`],
    ['first seen', time(f.firstSeen)],
    ['last seen', time(f.lastSeen)],
    ['executor', f.executor],
    ['tool', f.tool],
    ['stage', f.stage],
    ['pass', f.pass],
    ['op', f.op],
    ['suspect', f.suspect],
    ['agreeing', f.agreeing.join(', ') || undefined],
    ['matching the reference', f.matchingReference?.join(', ')],
    ['first campaign', f.campaign === undefined ? undefined : `#${f.campaign}`],
  ];
  const body = [
    '<p><a href="../index.html">← report</a></p>',
    `<h1>Finding #${f.id}: ${h(f.kind)}</h1>`,
    `<dl>${facts.filter(([, v]) => v !== undefined).map(([k, v]) => `<dt>${k}</dt><dd>${h(v!)}</dd>`).join('')}</dl>`,
    hasRepro ? `<p><a href="../${reproPath(f.id)}">repro.sh</a>: exits 1 while the bug reproduces, 0 once it is fixed.</p>` : '',
    '<h2>Detail</h2>',
    pre(f.detail),
    f.frames.length ? `<h2>Frames</h2>${pre(f.frames.join('\n'))}` : '',
    f.difference ? `<h2>First difference from the reference</h2>${pre(JSON.stringify(f.difference, null, 1))}` : '',
    caseSection('Reproducer', f.reproducer),
    f.reduced ? caseSection('Reduced reproducer', f.reduced) : '',
  ].filter(Boolean).join('\n');
  return page({ title: `tcfuzz finding #${f.id}: ${f.kind}`, body });
}

function caseSection(title: string, c: CaseText): string {
  return `<h2>${title}</h2><p>case ${c.id}, input seed ${c.inputSeed}</p><h3>Pipeline</h3>${pre(c.pipeline)}<h3>Program</h3>${pre(c.program)}`;
}

const pre = (text: string): string => `<pre>${h(text)}</pre>`;
