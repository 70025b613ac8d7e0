// The status line of a long command on stderr: rewritten in place on a terminal (at most every 250 ms), a line every
// few seconds otherwise. Commands say what the line holds; this file only decides when and how it is written.
import type { Io } from './io.ts';

const EVERY_MS = 5000;

export class StatusLine {
  private last = performance.now();
  private shown = false;

  constructor(
    private readonly io: Io,
    private readonly tty = process.stderr.isTTY === true,
  ) {}

  /** Writes `line()` when it is time to; `line` is not called otherwise. */
  show(line: () => string): void {
    const now = performance.now();
    if (now - this.last < (this.tty ? 250 : EVERY_MS)) return;
    this.last = now;
    const text = line();
    this.io.err(this.tty ? `\r${text}\x1b[K` : `${text}\n`);
    this.shown = true;
  }

  /** A line of its own, printed above the status line. */
  above(text: string): void {
    this.done();
    this.io.err(text);
  }

  done(): void {
    if (this.shown && this.tty) this.io.err('\r\x1b[K');
  }
}
