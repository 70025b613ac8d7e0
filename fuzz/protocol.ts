// What a campaign's parent and its workers say to each other over IPC. Workers fuzz; the parent is the only writer
// of the corpus (one SQLite connection, so no lock contention and one place that decides what is committed).
import type { Finding } from '../contracts/oracle.ts';

/** One worker's share of a campaign. */
export type WorkerConfig = {
  readonly worker: number;
  readonly jobs: number;
  readonly seed: number;
  /** Iterations this worker runs; undefined: until told to stop. */
  readonly iterations?: number;
  /** Where this worker's iteration counter starts (a resumed campaign goes on where it was). */
  readonly firstIteration: number;
  readonly noFeedback: boolean;
  /** Executor names, the reference excluded. */
  readonly backends: readonly string[];
  /** Cases without new coverage before the joint policy switches what it mutates. */
  readonly stallLimit: number;
  /** Sightings of one signature before its passes lose weight. */
  readonly floodThreshold: number;
  readonly timeoutMs: number;
  readonly compileTimeoutMs: number;
  readonly stepBudget: number;
  /** The text of --suppress's file. */
  readonly suppressions?: string;
  /** The pool so far, when resuming. */
  readonly pool: readonly SeedRecord[];
};

/** The case behind a finding or a seed, enough to reproduce it. */
export type CaseRecord = {
  readonly name: string;
  readonly text: string;
  readonly pipeline: string;
  readonly inputSeed: number;
  readonly lineage: string;
  readonly parentKey?: string;
};

/** A kept seed. `hits` is [feature id, hit count] pairs, flattened, so the parent and a resumed worker can rebuild the coverage map. */
export type SeedRecord = CaseRecord & { readonly key: string; readonly hits: readonly number[] };

export type FindingReport = {
  readonly finding: Finding;
  readonly signature: string;
  readonly case: CaseRecord;
  /** Backends whose output equals the misbehaving one's (miscompiles). */
  readonly agreeing?: readonly string[];
};

/** Counters since the previous progress message. */
export type ProgressDelta = {
  readonly iteration: number;
  readonly cases: number;
  readonly judged: number;
  readonly discarded: Readonly<Record<string, number>>;
  readonly suppressed: number;
  /** Miscompiles a second run did not reproduce: never reported, always a harness bug to look at. */
  readonly unconfirmed: number;
  readonly stageMs: Readonly<Record<string, number>>;
};

export type WorkerMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'seed'; readonly seed: SeedRecord }
  | { readonly type: 'finding'; readonly report: FindingReport }
  | { readonly type: 'progress'; readonly delta: ProgressDelta }
  | { readonly type: 'done' }
  | { readonly type: 'error'; readonly message: string };

export type ParentMessage =
  | { readonly type: 'start'; readonly config: WorkerConfig }
  | { readonly type: 'stop' }
  /** Seeds other workers kept, passed on as they arrive (campaigns with a time budget only: see Campaign). */
  | { readonly type: 'seeds'; readonly seeds: readonly SeedRecord[] };

/** A seed's hits as a map. */
export function seedHits(s: SeedRecord): Map<number, number> {
  const hits = new Map<number, number>();
  for (let k = 0; k + 1 < s.hits.length; k += 2) hits.set(s.hits[k]!, s.hits[k + 1]!);
  return hits;
}
