// Whether a replayed finding is the bug triage is working on. A signature names the pipeline's passes for the kinds
// keyed by them (a miscompile, a runtime trap, a hang, a crash in unexported code: oracles/signature.ts), so a
// shorter pipeline alone would change it; those fields compare as equal when each is its own run's pass list.
import type { Pipeline } from '../contracts/pipeline.ts';

export type Sighting = { readonly signature: string; readonly pipeline: Pipeline };

const passList = (p: Pipeline): string => p.map((s) => s.pass).join(',');

export function sameBug(original: Sighting, candidate: Sighting): boolean {
  if (original.signature === candidate.signature) return true;
  const a = original.signature.split('|');
  const b = candidate.signature.split('|');
  if (a.length !== b.length) return false;
  const pa = passList(original.pipeline);
  const pb = passList(candidate.pipeline);
  return a.every((field, k) => field === b[k] || (field === pa && b[k] === pb));
}
