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

/** Exit codes shared by every command. */
export const enum Exit {
  Ok = 0,
  /** The command ran and found something: a disagreement, a finding. */
  Found = 1,
  /** Bad input, bad flags, or a missing toolchain. */
  Usage = 2,
}
