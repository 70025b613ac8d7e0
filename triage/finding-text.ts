// `tcfuzz triage show`: one finding for people, field by field, then its reproducer (and reduced case) in full.
import type { StoredCase } from '../contracts/corpus.ts';
import type { Difference } from '../contracts/oracle.ts';
import { utc } from './finding-table.ts';
import type { FindingView } from './finding-view.ts';

/** Expected (the reference's) against actual (the executor's), in words. */
export function describeDifference(d: Difference): string {
  switch (d.kind) {
    case 'buffer':
      return `arg${d.buffer}[${d.index}] (${d.dtype}): expected ${d.values[0]}, actual ${d.values[1]}${d.tainted ? ' (tainted by inexact math: compared within tolerance)' : ''}`;
    case 'stdout':
      return `printed output at byte ${d.offset}: expected '${d.values[0]}', actual '${d.values[1]}'`;
    case 'shape':
      return d.message;
  }
}

export function findingText(v: FindingView): string {
  const f = v.finding;
  const fields: [string, string | undefined][] = [
    ['signature', f.signature],
    ['executor', [f.executor, f.stage && `stage ${f.stage}`, `tool ${f.tool}`, f.pass && `pass ${f.pass}`].filter(Boolean).join(', ')],
    ['seen', `${f.count} time${f.count > 1 ? 's' : ''}, first ${utc(f.firstSeen)}, last ${utc(f.lastSeen)} UTC`],
    ['campaigns', v.hits.map((h) => `${h.campaign} (×${h.count})`).join(', ') || undefined],
    ['toolchain', Object.entries(v.toolchain).map(([k, ver]) => `${k} ${ver}`).join(', ') || undefined],
    ['detail', f.detail],
    ['difference', f.difference && describeDifference(f.difference)],
    ['op', f.op],
    ['agreeing', f.agreeing.join(', ') || undefined],
    ['ran right', f.matchingReference?.join(', ') || undefined],
    ['suspect', f.suspect],
    ['pattern', f.pattern],
  ];
  const width = Math.max(...fields.map(([k]) => k.length)) + 2;
  const lines = [`finding #${f.id}: ${f.kind}, ${f.status}`];
  for (const [k, value] of fields) if (value !== undefined) lines.push(`${k.padEnd(width)}${value}`);
  if (f.frames.length > 0) lines.push('frames', ...f.frames.map((fr) => `  ${fr}`));
  lines.push('', caseText(`case #${v.case.id} (the first sighting's)`, v.case));
  if (v.reducedCase) lines.push('', caseText(`reduced case #${v.reducedCase.id}`, v.reducedCase));
  return lines.join('\n') + '\n';
}

function caseText(title: string, c: StoredCase): string {
  const origin = [c.program.seedName && `from ${c.program.seedName}`, c.program.lineage && `lineage ${c.program.lineage}`].filter(Boolean);
  const head = [[`${title}: input seed ${c.inputSeed}`, ...origin].join(', '), `pipeline ${c.pipeline.text}`];
  return [...head, c.program.text.replace(/\n$/, '')].join('\n');
}
