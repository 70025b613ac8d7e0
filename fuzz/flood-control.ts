// Flood control: one bug must not eat the campaign. After a signature has been seen `threshold` times, the passes of
// the pipelines that trigger it lose weight (halved at every further multiple of the threshold), so pipeline
// mutation drifts to other passes; the finding itself is stored once, with its count.
import type { Pipeline } from '../contracts/pipeline.ts';

export class FloodControl {
  private readonly seen = new Map<string, number>();
  private readonly weights = new Map<string, number>();

  constructor(private readonly threshold: number) {}

  /** Counts one sighting; returns how many times the signature has been seen, this one included. */
  hit(signature: string, pipeline: Pipeline, pass?: string): number {
    const n = (this.seen.get(signature) ?? 0) + 1;
    this.seen.set(signature, n);
    if (n % this.threshold === 0) {
      // The guilty pass when known, else every pass of the pipeline that triggered it.
      const passes = pass ? [pass] : [...new Set(pipeline.map((s) => s.pass))];
      for (const p of passes) this.weights.set(p, this.passWeight(p) / 2);
    }
    return n;
  }

  count(signature: string): number {
    return this.seen.get(signature) ?? 0;
  }

  /** 1 for a pass no flood has touched. */
  passWeight(pass: string): number {
    return this.weights.get(pass) ?? 1;
  }
}
