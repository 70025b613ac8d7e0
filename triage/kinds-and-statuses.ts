// The finding kinds and triage statuses as values, for checking what a user typed. Each is a record over its type,
// so adding a kind or status to contracts/ fails to compile here until it is listed.
import type { FindingStatus } from '../contracts/corpus.ts';
import type { FindingKind } from '../contracts/oracle.ts';

const KINDS: Readonly<Record<FindingKind, true>> = {
  crash: true, hang: true, 'invalid-ir': true, 'pass-failure': true, 'compile-failure': true, 'runtime-trap': true, miscompile: true,
};

/** In the order of a bug's life: found, confirmed, reported upstream, fixed upstream; or not a bug at all. */
const STATUSES: Readonly<Record<FindingStatus, true>> = { new: true, confirmed: true, reported: true, fixed: true, invalid: true };

export const FINDING_KINDS = Object.keys(KINDS) as readonly FindingKind[];
export const FINDING_STATUSES = Object.keys(STATUSES) as readonly FindingStatus[];

export const isFindingKind = (s: string): s is FindingKind => Object.hasOwn(KINDS, s);
export const isFindingStatus = (s: string): s is FindingStatus => Object.hasOwn(STATUSES, s);
