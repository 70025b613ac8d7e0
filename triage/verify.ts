// Fix verification (DESIGN §10): every open finding (not yet fixed, not invalid) runs again on the installed
// toolchain; one that no longer reproduces becomes `fixed`, and its toolchain record gains `fixed-in`, the version
// it was verified fixed with. How to run one is the compiler's (`reproduces`, wired in cli/).
import type { Corpus, StoredFinding } from '../contracts/corpus.ts';
import { findingView } from './finding-view.ts';

/** The toolchain record key fix verification adds. */
export const FIXED_IN = 'fixed-in';

export type Verdict = {
  readonly finding: StoredFinding;
  /** 'skipped': it cannot run here (`reason`); its status stays. */
  readonly verdict: 'reproduces' | 'fixed' | 'skipped';
  readonly reason?: string;
};

export type VerifyOptions = {
  /** Whether the finding still reproduces on the case it was found with, or why it cannot run here. */
  readonly reproduces: (f: StoredFinding) => Promise<boolean | { readonly skip: string }>;
  /** The installed toolchain's version, as recorded. */
  readonly toolchain: string;
  readonly onVerdict?: (v: Verdict) => void;
};

export async function verifyFindings(corpus: Corpus, opts: VerifyOptions): Promise<Verdict[]> {
  const open = corpus.findings().filter((f) => f.status !== 'fixed' && f.status !== 'invalid');
  const verdicts: Verdict[] = [];
  for (const f of open) {
    const r = await opts.reproduces(f);
    const v: Verdict = typeof r === 'object' ? { finding: f, verdict: 'skipped', reason: r.skip } : { finding: f, verdict: r ? 'reproduces' : 'fixed' };
    if (v.verdict === 'fixed') {
      // The record keeps what it was found with (its campaign's, when it had none of its own).
      const found = findingView(corpus, f.id)!.toolchain;
      corpus.updateFinding(f.id, { status: 'fixed', toolchain: { ...found, [FIXED_IN]: opts.toolchain } });
    }
    verdicts.push(v);
    opts.onVerdict?.(v);
  }
  return verdicts;
}
