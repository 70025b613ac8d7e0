// First-bad-pass bisection (DESIGN §10): every prefix of the finding's pipeline in one batch, and the shortest that
// reproduces names the pass. A prefix of a pipeline whose every pass promises to keep the program's meaning keeps
// that promise, so a wrong result stays judged on every prefix. Inside the pass, a compiler may go further and
// name the rewrite that does the damage (`PatternBisect`: MLIR's greedy patterns, targets/mlir/pattern-bisect.ts).
import type { PassStep } from '../contracts/pipeline.ts';
import type { Candidate, Reproduces } from './candidate.ts';

export type PatternBlame =
  /** The `application`-th of `applications` pattern applications is the first whose result reproduces. */
  | { readonly kind: 'pattern'; readonly pattern: string; readonly op: string; readonly application: number; readonly applications: number }
  /** Why no pattern is named: the pass applies none, the bug needs none, or the compiler alone cannot show it. */
  | { readonly kind: 'none'; readonly reason: string };

/** Names the rewrite inside the last pass of `c.pipeline` that makes `c` go wrong. */
export type PatternBisect = (c: Candidate) => Promise<PatternBlame>;

export type Bisection =
  | { readonly kind: 'pass'; readonly step: PassStep; /** 1-based: the prefix's length. */ readonly prefix: number; readonly of: number; readonly pattern?: PatternBlame }
  /** Reproduces with no pass at all: the bug is in what every pipeline shares (a backend's lowering, its code generation). */
  | { readonly kind: 'not-pipeline-dependent'; readonly of: number }
  /** Even the whole pipeline does not reproduce it (any more). */
  | { readonly kind: 'not-reproduced'; readonly of: number };

export async function bisect(c: Candidate, reproduces: Reproduces, patterns?: PatternBisect): Promise<Bisection> {
  const of = c.pipeline.length;
  const ok = await reproduces(Array.from({ length: of + 1 }, (_, k) => ({ program: c.program, pipeline: c.pipeline.slice(0, k) })));
  if (!ok[of]) return { kind: 'not-reproduced', of };
  const k = ok.indexOf(true);
  if (k === 0) return { kind: 'not-pipeline-dependent', of };
  const pattern = patterns && (await patterns({ program: c.program, pipeline: c.pipeline.slice(0, k) }));
  return { kind: 'pass', step: c.pipeline[k - 1]!, prefix: k, of, ...(pattern && { pattern }) };
}
