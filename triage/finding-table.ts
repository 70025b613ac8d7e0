// `tcfuzz triage list`: one line per finding, in columns.
import type { StoredFinding } from '../contracts/corpus.ts';

const SIGNATURE_WIDTH = 60;

/** A time as people read it in a table: minutes, UTC. */
export function utc(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

/** `text` cut to `width` characters, an ellipsis marking the cut. */
export function cut(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

export function findingTable(findings: readonly StoredFinding[]): string {
  const header = ['ID', 'KIND', 'STATUS', 'COUNT', 'FIRST SEEN (UTC)', 'LAST SEEN (UTC)', 'PASS', 'SIGNATURE'];
  const rows = findings.map((f) => [String(f.id), f.kind, f.status, String(f.count), utc(f.firstSeen), utc(f.lastSeen), f.pass ?? '-', cut(f.signature, SIGNATURE_WIDTH)]);
  const widths = header.map((h, k) => Math.max(h.length, ...rows.map((r) => r[k]!.length)));
  // Numbers align right; the last column is not padded, so lines carry no trailing blanks.
  const line = (cells: readonly string[]): string =>
    cells.map((c, k) => (k === cells.length - 1 ? c : k === 0 || k === 3 ? c.padStart(widths[k]!) : c.padEnd(widths[k]!))).join('  ');
  return [header, ...rows].map(line).join('\n') + '\n';
}
