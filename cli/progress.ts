// Progress of a long command on stderr: a line rewritten in place on a terminal, a line every few seconds otherwise.
import type { CheckReport } from '../check/summary.ts';
import type { Io } from './io.ts';

const EVERY_MS = 5000;

export class Progress {
  private readonly t0 = performance.now();
  private last = performance.now();
  private shown = false;

  constructor(
    private readonly io: Io,
    private readonly total: number,
    private readonly tty = process.stderr.isTTY === true,
  ) {}

  tick(r: Readonly<CheckReport>): void {
    const now = performance.now();
    if (now - this.last < (this.tty ? 250 : EVERY_MS)) return;
    this.last = now;
    const secs = (now - this.t0) / 1000;
    const findings = r.disagreements.length + r.backend_failures.length;
    const line = `${r.cases}/${this.total} cases  ${(r.cases / secs).toFixed(1)}/s  findings ${findings}  ub-discarded ${r.ub_discarded}`;
    this.io.err(this.tty ? `\r${line}\x1b[K` : `${line}\n`);
    this.shown = true;
  }

  done(): void {
    if (this.shown && this.tty) this.io.err('\r\x1b[K');
  }
}
