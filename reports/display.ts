// How times, durations, counts and long text read in every report format, so that text, markdown and HTML agree.
import type { StatsSample } from '../contracts/corpus.ts';
import type { CampaignReport } from './model.ts';

/** `2025-03-01 14:02:07 UTC`: one zone for every reader of a shared report. */
export function time(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** `850 ms`, `4.9 s`, `12.5 min`, `8.0 h`. */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${(ms / 60_000).toFixed(1)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

/** `1 finding`, `3 findings`. */
export function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** The campaign's most recent sample: where it stands. */
export function latest(c: CampaignReport): StatsSample | undefined {
  return c.stats[c.stats.length - 1];
}

/** On one line, at most `max` characters: a diagnostic in a table cell. */
export function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}
