// Everything triage says about one finding, gathered from the store once: `show` prints it, `show --json` is it,
// and the bug report is written from it.
import type { Campaign, Corpus, FindingHit, FindingId, StoredCase, StoredFinding } from '../contracts/corpus.ts';

export type FindingView = {
  readonly finding: StoredFinding;
  /** The reproducer: the case of the first sighting. */
  readonly case: StoredCase;
  /** Triage's smaller reproducer, when there is one. */
  readonly reducedCase?: StoredCase;
  /** The campaign of the first sighting. */
  readonly campaign?: Campaign;
  /** Sightings per campaign, oldest first. */
  readonly hits: readonly FindingHit[];
  /** Tool → version when it was found: the finding's own record, else its campaign's. */
  readonly toolchain: Readonly<Record<string, string>>;
};

/** Undefined when the store has no finding `id`. */
export function findingView(corpus: Corpus, id: FindingId): FindingView | undefined {
  const finding = corpus.finding(id);
  if (!finding) return undefined;
  const kase = corpus.case(finding.case)!; // a foreign key: the store cannot hold a finding without its case
  const reduced = finding.reducedCase === undefined ? undefined : corpus.case(finding.reducedCase);
  const campaign = finding.campaign === undefined ? undefined : corpus.campaign(finding.campaign);
  return {
    finding,
    case: kase,
    ...(reduced && { reducedCase: reduced }),
    ...(campaign && { campaign }),
    hits: corpus.findingHits(id),
    toolchain: finding.toolchain ?? campaign?.toolchain ?? {},
  };
}

/** The case a report should show: the reduced one when triage made it, else the original. */
export function reproducer(view: FindingView): StoredCase {
  return view.reducedCase ?? view.case;
}
