// The store of every campaign (DESIGN §1, §9, §10): programs, pipelines and the cases worth keeping (seeds of the
// pool, reproducers of findings), the seed pool, findings deduplicated by signature across the whole store, stats
// over time, and the state a campaign resumes from. Ids are the store's integers; times are ms since the epoch.
import type { Finding, FindingKind } from './oracle.ts';

export type CampaignId = number;
export type ProgramId = number;
export type PipelineId = number;
export type CaseId = number;
export type SeedId = number;
export type FindingId = number;

export type CampaignStatus = 'running' | 'done' | 'interrupted';

export type CampaignStart = {
  readonly seed: number;
  /** Everything that replays the campaign: backends, pipeline settings, weights, jobs, time or iteration limits. */
  readonly config: Readonly<Record<string, unknown>>;
  /** Tool name → version (tcfuzz's own included). */
  readonly toolchain: Readonly<Record<string, string>>;
};

export type Campaign = CampaignStart & {
  readonly id: CampaignId;
  readonly startedAt: number;
  /** Set when the campaign leaves 'running'. */
  readonly endedAt?: number;
  readonly status: CampaignStatus;
  readonly summary?: Readonly<Record<string, unknown>>;
};

export type ProgramInput = {
  /** The program's text exactly as run; the store deduplicates by its sha256. */
  readonly text: string;
  readonly parent?: ProgramId;
  /** The mutators that made it from its parent, joined by '>': 'insert-subtree>rewire-operand'. */
  readonly lineage?: string;
  /** Where its line started: `seed:matmul{m=4}`, `gen:7:12`. */
  readonly seedName?: string;
};

export type StoredProgram = ProgramInput & {
  readonly id: ProgramId;
  readonly sha256: string;
  readonly createdAt: number;
};

export type CaseInput = {
  readonly program: ProgramId;
  readonly pipeline: PipelineId;
  readonly inputSeed: number;
  /** The campaign that stored it first; absent for cases from outside a campaign (triage's reductions). */
  readonly campaign?: CampaignId;
};

/** A case by content, for `storeCase`: the program, the pipeline in the target's own spelling, the input seed. */
export type CaseContent = ProgramInput & { readonly pipeline: string; readonly inputSeed: number; readonly campaign?: CampaignId };

export type StoredCase = {
  readonly id: CaseId;
  readonly program: StoredProgram;
  readonly pipeline: { readonly id: PipelineId; readonly text: string };
  readonly inputSeed: number;
  readonly campaign?: CampaignId;
  readonly createdAt: number;
};

/** Scheduling fields of a seed (DESIGN §9); the engine decides what they mean. */
export type SeedWeights = {
  readonly energy?: number;
  /** Times the seed was picked for mutation. */
  readonly picks?: number;
  /** New-coverage cases its mutants produced. */
  readonly finds?: number;
  /** Time to check the seed's case, for energy scaled by speed. */
  readonly execMs?: number;
};

export type SeedInput = SeedWeights & {
  readonly campaign: CampaignId;
  readonly case: CaseId;
  /** What the case reached (coverage/): feature ids, each followed by its hit count, so a resumed campaign rebuilds its hit-count buckets. */
  readonly features: Uint32Array | readonly number[];
};

/** A live member of the pool, with what a mutator needs to start from it. */
export type Seed = Required<Pick<SeedWeights, 'energy' | 'picks' | 'finds'>> & Pick<SeedWeights, 'execMs'> & {
  readonly id: SeedId;
  readonly campaign: CampaignId;
  readonly case: StoredCase;
  /** Feature id, hit count, feature id, hit count, … (as `SeedInput.features`). */
  readonly features: Uint32Array;
  readonly addedAt: number;
};

export type FindingStatus = 'new' | 'confirmed' | 'reported' | 'fixed' | 'invalid';

/** What an oracle found (its `signature` is the dedup key: one bug, one finding across the store), with more for triage. */
export type FindingRecord = Finding & {
  /** The normalised diagnostic or `LLVM ERROR` text the signature was made from. */
  readonly pattern?: string;
  readonly toolchain?: Readonly<Record<string, string>>;
};

export type StoredFinding = FindingRecord & {
  readonly id: FindingId;
  readonly status: FindingStatus;
  /** Sightings across the store. */
  readonly count: number;
  readonly firstSeen: number;
  readonly lastSeen: number;
  /** The reproducer: the case of the first sighting. */
  readonly case: CaseId;
  /** The campaign of the first sighting. */
  readonly campaign?: CampaignId;
  /** The reduced reproducer, once triage has one. */
  readonly reducedCase?: CaseId;
  /** Sightings in the campaign of the filter, when `findings` was asked for one. */
  readonly campaignCount?: number;
};

export type FindingFilter = {
  readonly kind?: FindingKind;
  readonly status?: FindingStatus;
  readonly executor?: string;
  /** Findings seen in this campaign (first or again). */
  readonly campaign?: CampaignId;
};

/** One sample of a campaign's progress. */
export type StatsSample = {
  /** ms since the campaign started. */
  readonly t: number;
  readonly cases: number;
  readonly features: number;
  readonly seeds: number;
  readonly findingsByKind: Readonly<Partial<Record<FindingKind, number>>>;
  readonly ubDiscarded: number;
  readonly casesPerS: number;
};

/** What triage may change on a finding; absent fields stay as they are. */
export type FindingChange = {
  readonly status?: FindingStatus;
  readonly reducedCase?: CaseId;
  /** The first bad pass, once bisection found it. */
  readonly pass?: string;
  /** Tool → version: fix verification adds the toolchain a finding no longer reproduces with (`fixed-in`). */
  readonly toolchain?: Readonly<Record<string, string>>;
};

/** A finding's sightings in one campaign. */
export type FindingHit = { readonly campaign: CampaignId; readonly count: number; readonly firstSeen: number; readonly lastSeen: number };

/** What one `merge` added to the store (corpus/README.md has the rules). */
export type MergeCounts = {
  readonly campaigns: { readonly added: number; readonly updated: number; readonly known: number };
  readonly programs: number;
  readonly cases: number;
  readonly findings: { readonly added: number; readonly updated: number };
  /** Sightings added to findings the store already had. */
  readonly sightings: number;
};

export type ExportedSeed = { readonly seed: SeedId; readonly program: string; readonly pipeline: string; readonly inputSeed: number; readonly name?: string; readonly lineage?: string };

/**
 * One store, one writer (a campaign's parent process) and any number of readers. Every write has committed when
 * the call returns; `transaction` batches many into one commit.
 */
export interface Corpus {
  readonly path: string;
  readonly readonly: boolean;

  startCampaign(c: CampaignStart): CampaignId;
  campaign(id: CampaignId): Campaign | undefined;
  /** The most recently started campaign: the one to resume when it is 'running' or 'interrupted'. */
  lastCampaign(): Campaign | undefined;
  /** 'running' again clears `endedAt` (a resume); the others set it. */
  markCampaign(id: CampaignId, status: CampaignStatus, summary?: Readonly<Record<string, unknown>>): void;

  /** Idempotent by text: a known text keeps its first parent, lineage and seed name. */
  addProgram(p: ProgramInput): { readonly id: ProgramId; readonly isNew: boolean };
  program(id: ProgramId): StoredProgram | undefined;
  /** Idempotent by text. */
  addPipeline(text: string): PipelineId;
  /** Idempotent by (program, pipeline, input seed); a known case keeps its first campaign. */
  addCase(c: CaseInput): CaseId;
  /** `addProgram` + `addPipeline` + `addCase` in one commit. */
  storeCase(c: CaseContent): CaseId;
  case(id: CaseId): StoredCase | undefined;

  /** Puts a case in a campaign's pool (again, if it was culled, with the new features and weights). */
  addSeed(s: SeedInput): SeedId;
  /** The live pool, oldest first. */
  seeds(campaign: CampaignId): Seed[];
  updateSeeds(updates: readonly (SeedWeights & { readonly id: SeedId })[]): void;
  cullSeeds(ids: readonly SeedId[]): void;
  /** Writes the live pool to `dir` (created; refused when it already holds an export): `seed-0001.mlir`,
   *  `seed-0001.pipeline`, … and `pool.json` listing each seed's input seed and origin. */
  exportPool(campaign: CampaignId, dir: string): ExportedSeed[];
  /**
   * Stores an `exportPool` folder as the pool of a campaign of its own (status done, features unknown); a folder
   * of the same content imported before gives that campaign back with `isNew` false.
   */
  importPool(dir: string): { readonly campaign: CampaignId; readonly seeds: number; readonly isNew: boolean };

  /** A new signature is a new finding; a known one counts a sighting (`count`, `lastSeen`, per campaign). */
  recordFinding(f: FindingRecord, at: { readonly case: CaseId; readonly campaign?: CampaignId }): { readonly id: FindingId; readonly isNew: boolean; readonly count: number };
  findings(filter?: FindingFilter): StoredFinding[];
  finding(id: FindingId): StoredFinding | undefined;
  /** The campaigns a finding was seen in, oldest sighting first. */
  findingHits(id: FindingId): FindingHit[];
  /** Triage's verdicts: a status, a reduced reproducer, the first bad pass, the toolchain record (replaced whole). */
  updateFinding(id: FindingId, change: FindingChange): void;

  addStats(campaign: CampaignId, s: StatsSample): void;
  stats(campaign: CampaignId): StatsSample[];

  /** Resume state under a key: JSON values, or bytes (a Uint8Array comes back as one). */
  saveState(campaign: CampaignId, key: string, value: unknown): void;
  loadState(campaign: CampaignId, key: string): unknown;

  /**
   * Adds another store (opened read-only) to this one: campaigns, programs, cases, pools, stats and findings, with
   * ids remapped and findings deduplicated by signature. Merging a store again adds only what its campaigns did
   * since (corpus/README.md has the rules).
   */
  merge(source: Corpus): MergeCounts;

  /** 'ok', or SQLite's list of problems. */
  integrityCheck(): string;
  /** Runs `fn` as one commit (nested calls become savepoints); a throw rolls all of it back. */
  transaction<T>(fn: () => T): T;
  close(): void;
}
