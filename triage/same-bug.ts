// Whether a replayed finding is the bug triage is working on. A signature names the pipeline's passes for the kinds
// keyed by them (a miscompile, a runtime trap, a hang, a crash in unexported code: oracles/signature.ts), so a
// shorter pipeline alone would change it; those fields compare as equal when each is its own run's pass list, or
// when the original names the one pass the fuzzer blamed and the candidate still runs it.
import type { Pipeline } from '../contracts/pipeline.ts';

export type Sighting = { readonly signature: string; readonly pipeline: Pipeline };

const passList = (p: Pipeline): string => p.map((s) => s.pass).join(',');

export function sameBug(original: Sighting, candidate: Sighting): boolean {
  if (original.signature === candidate.signature) return true;
  const a = original.signature.split('|');
  const b = candidate.signature.split('|');
  // A hang is signed by where its tool was when stopped, which a loop moves around in: any hang of that tool will do.
  if (a[0] === 'hang') return b[0] === 'hang' && a[1] === b[1];
  if (a.length !== b.length) return false;
  const pa = passList(original.pipeline);
  const pb = passList(candidate.pipeline);
  return a.every((field, k) => field === b[k] || (b[k] === pb && (field === pa || blamedIn(field, candidate.pipeline))));
}

/**
 * A field the fuzzer blamed on one pass (oracles/signature.ts `blamedSignature`) matches any pipeline that still
 * runs that pass; `(lowering)`, the backend's own lowering, matches any pipeline.
 */
function blamedIn(field: string, p: Pipeline): boolean {
  return field === '(lowering)' || (!field.includes(',') && p.some((s) => s.pass === field));
}
