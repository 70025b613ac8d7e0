// The store of a campaign: cases, findings (deduplicated by signature), and stats over time.
import type { TestCase } from './case.ts';
import type { Finding } from './oracle.ts';

export type StoredFinding = Finding & { readonly id: string; readonly signature: string; readonly count: number };

export interface Corpus {
  /** Stores a case (idempotent by content); returns its id. */
  addCase(c: TestCase, lineage: { readonly parent?: string; readonly mutator?: string }): string;
  /** Stores a finding for a case, or counts a repeat of its signature. */
  recordFinding(f: Finding, signature: string, caseId: string): { readonly finding: StoredFinding; readonly isNew: boolean };
  close(): void;
}
