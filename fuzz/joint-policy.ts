// Tzer's joint policy: mutate the IR until `stallLimit` cases in a row bring no new coverage, then mutate the
// pipeline until it stalls too, and back. IR and passes evolve together, and neither search starves the other.
export type MutationMode = 'ir' | 'pipeline';

export class JointPolicy {
  private current: MutationMode = 'ir';
  private stalled = 0;

  constructor(private readonly stallLimit: number) {}

  get mode(): MutationMode {
    return this.current;
  }

  /** After each judged case: whether it added coverage. */
  record(newCoverage: boolean): void {
    if (newCoverage) {
      this.stalled = 0;
      return;
    }
    if (++this.stalled < this.stallLimit) return;
    this.stalled = 0;
    this.current = this.current === 'ir' ? 'pipeline' : 'ir';
  }

  snapshot(): { mode: MutationMode; stalled: number } {
    return { mode: this.current, stalled: this.stalled };
  }
  restore(s: { mode: MutationMode; stalled: number }): void {
    this.current = s.mode;
    this.stalled = s.stalled;
  }
}
