// What a CLI command may touch besides files: two output streams. Tests pass capturing ones.
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Raw bytes to stdout (a program's printed output need not be UTF-8); without it, `out` gets them as UTF-8. */
  outBytes?(bytes: Uint8Array): void;
}

export const processIo: Io = {
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
  outBytes: (b) => void process.stdout.write(b),
};

/**
 * Exit codes shared by every command. When a run has both findings and bad input (a miscompile among invalid
 * files), findings win: a nightly script waiting for 77 must not miss a bug because a file was bad.
 */
export const enum Exit {
  Ok = 0,
  /** Bad input, bad flags, a bad database, or a missing toolchain. */
  Usage = 2,
  /** The command ran and found something: a disagreement, a compiler failure, UB in `run`. */
  Found = 77,
}
